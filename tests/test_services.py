"""The skip-or-fail rule for real services, on a server that is surely not there."""

from __future__ import annotations

import pytest

from tests.support import services

NOWHERE = "postgresql+psycopg://nobody@127.0.0.1:9/none"  # port 9: discard, never listening


def test_unreachable_postgres_skips_with_the_reason(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(services.POSTGRES_ENV, NOWHERE)
    monkeypatch.delenv(services.REQUIRE_ENV, raising=False)
    with pytest.raises(pytest.skip.Exception, match=r"PostgreSQL not reachable: .*127\.0\.0\.1:9"):
        services.postgres_server_url()


def test_unreachable_postgres_fails_when_services_are_required(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(services.POSTGRES_ENV, NOWHERE)
    monkeypatch.setenv(services.REQUIRE_ENV, "1")
    with pytest.raises(pytest.fail.Exception, match="SOURCECHECK_REQUIRE_SERVICES=1"):
        services.postgres_server_url()
