"""Real services for integration tests: PostgreSQL, Redis and a headless browser.

A service that is not reachable skips its tests with the reason, unless
``SOURCECHECK_REQUIRE_SERVICES=1`` (CI sets it), where an unreachable service fails
the run: a green CI must mean the integration tests really ran.

PostgreSQL: ``SOURCECHECK_TEST_POSTGRES`` (a server URL, default the local server's
``test`` database as user ``postgres``, then ``root``, trust auth). Each test session
gets a scratch database of its own, dropped afterwards, so that parallel runs and
other projects' tests on the same server never see each other's tables.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import URL, make_url

from testbed.postgres import scratch_database

REQUIRE_ENV = "SOURCECHECK_REQUIRE_SERVICES"
POSTGRES_ENV = "SOURCECHECK_TEST_POSTGRES"
DEFAULT_POSTGRES = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)


def services_required() -> bool:
    return os.environ.get(REQUIRE_ENV) == "1"


def unavailable(reason: str) -> None:
    """Skip with ``reason``, or fail when services are required."""
    if services_required():
        pytest.fail(f"{reason} ({REQUIRE_ENV}=1, so this fails instead of skipping)")
    pytest.skip(reason)


def _reachable(url: str) -> tuple[bool, str]:
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
    except ModuleNotFoundError as exc:  # psycopg not installed
        return False, f"no PostgreSQL driver ({exc}); install sourcecheck[postgres]"
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        return True, ""
    except Exception as exc:  # any connection failure means "not reachable"
        return False, str(exc).strip().splitlines()[0]
    finally:
        engine.dispose()


def postgres_server_url() -> URL:
    """The URL of a reachable PostgreSQL server, or skip/fail with the reason."""
    candidates = [os.environ[POSTGRES_ENV]] if os.environ.get(POSTGRES_ENV) else DEFAULT_POSTGRES
    errors = []
    for candidate in candidates:
        ok, why = _reachable(candidate)
        if ok:
            return make_url(candidate)
        errors.append(f"{make_url(candidate).render_as_string()}: {why}")
    unavailable("PostgreSQL not reachable: " + "; ".join(errors))
    raise AssertionError("unreachable")  # unavailable() always raises


@contextmanager
def scratch_postgres_database(prefix: str = "sourcecheck_t") -> Iterator[URL]:
    """A new, empty database on the test server, dropped on exit."""
    with scratch_database(postgres_server_url(), prefix) as url:
        yield url


# --- Redis --------------------------------------------------------------------------------

REDIS_ENV = "SOURCECHECK_TEST_REDIS"
DEFAULT_REDIS = "redis://127.0.0.1:6379/0"


def redis_server_url() -> str:
    """The URL of a reachable Redis (``SOURCECHECK_TEST_REDIS``, default the local
    server's db 0), or skip/fail with the reason. Tests keep to their own key prefix."""
    url = os.environ.get(REDIS_ENV) or DEFAULT_REDIS
    try:
        import redis
    except ModuleNotFoundError as exc:
        unavailable(f"no Redis client ({exc}); install sourcecheck[scale]")
        raise AssertionError("unreachable") from None
    try:
        client = redis.Redis.from_url(url, socket_connect_timeout=3)
        client.ping()
        client.close()
    except redis.RedisError as exc:
        unavailable(f"Redis not reachable at {url}: {exc}")
    return url


# --- headless browser ---------------------------------------------------------------------

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--hide-scrollbars",
    # No page of ours needs the network: send any attempt to a closed local port.
    "--proxy-server=127.0.0.1:9",
)


def _find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


def chromium() -> str:
    """The path of Debian's chromium, installing it with apt when missing and root.

    Skips (never fails: a browser is a test tool, not a service) where it cannot be had.
    """
    found = _find_chromium()
    if found:
        return found
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        pytest.skip("chromium is not installed and cannot be installed here (needs root + apt)")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "-q", "chromium", "fonts-dejavu-core"]
    done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    if done.returncode != 0:  # a fresh machine may have no package lists yet
        subprocess.run(["apt-get", "update", "-q"], env=env, capture_output=True, timeout=600)
        done = subprocess.run(install, env=env, capture_output=True, text=True, timeout=900)
    found = _find_chromium()
    if not found:
        tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        pytest.skip(f"chromium could not be installed with apt-get: {tail[0]}")
    return found


def run_chromium(args: list[str], profile_dir: str, timeout: int = 120) -> str:
    """Run headless chromium with a throw-away profile; its stdout."""
    cmd = [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile_dir}", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    if done.returncode != 0:
        raise AssertionError(f"chromium failed ({done.returncode}): {done.stderr[-2000:]}")
    return done.stdout
