"""Commands that only read never create a database, its folders or a stray file."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.errors import InputError
from crawler.storage.db import open_existing_db, resolve_url
from tests.support.cli_run import sourcecheck


def test_report_on_a_missing_database_creates_nothing(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "dir" / "x.db"
    run = sourcecheck("report", "--db", str(target), cwd=tmp_path)
    assert run.returncode == 2, run.stderr
    assert run.stderr.strip() == f"error: no database at {target}"
    assert not (tmp_path / "no").exists()


def test_a_mistyped_url_is_not_a_file_name(tmp_path: Path) -> None:
    for args in (("report", "--db", "::::"), ("db", "upgrade", "--db", "::::")):
        run = sourcecheck(*args, cwd=tmp_path)
        assert run.returncode == 2, run.stderr
        assert "not a database URL or path" in run.stderr
    assert list(tmp_path.iterdir()) == []


def test_open_existing_db_refuses_an_empty_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.db"
    empty.touch()
    with pytest.raises(InputError, match="no database at"), open_existing_db(str(empty)):
        pass
    assert empty.stat().st_size == 0
    with (
        pytest.raises(InputError, match="no database at"),
        open_existing_db(str(tmp_path / "absent.db")),
    ):
        pass
    assert resolve_url("./a:b.db").database == str((Path("a:b.db")).resolve())
