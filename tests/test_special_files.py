"""Special files as input: a device that never ends, a FIFO with no writer, a directory.

``stat`` says 0 bytes for /dev/zero and a FIFO blocks ``open``: each must be refused
at once (exit 2, one line), never read until memory runs out or wait forever. Every
run here is bounded by a timeout: a hang fails the test instead of stalling the suite.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.cli_run import sourcecheck

QUOTE = "the harbour commission voted to rebuild the sea wall"
BOUND = 30  # seconds: a hang is a failure, not a stalled suite


@pytest.fixture
def fifo(tmp_path: Path) -> Iterator[str]:
    path = tmp_path / "pipe.html"
    os.mkfifo(path)
    yield str(path)


def _specials(fifo: str) -> list[str]:
    return ["/dev/zero", fifo, "/dev/null"]


def _refused(run: object, name: str) -> None:
    assert run.returncode == 2, (run.returncode, run.stdout, run.stderr)  # type: ignore[attr-defined]
    lines = run.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "not a regular file" in lines[0] and name in lines[0], lines
    assert "Traceback" not in run.stderr  # type: ignore[attr-defined]


def test_check_source_refuses_special_files(fifo: str) -> None:
    for name in _specials(fifo):
        run = sourcecheck("check", QUOTE, "--source", name, timeout=BOUND)
        _refused(run, name)


def test_quotes_and_run_refuse_special_files(fifo: str, tmp_path: Path) -> None:
    for name in _specials(fifo):
        _refused(sourcecheck("quotes", name, timeout=BOUND), name)
        db = tmp_path / "x.db"
        _refused(sourcecheck("run", name, "--db", str(db), timeout=BOUND), name)


def test_batch_file_itself_must_be_a_regular_file(fifo: str) -> None:
    for name in _specials(fifo):
        _refused(sourcecheck("check", "--batch", name, "--json", timeout=BOUND), name)


def test_batch_lines_with_special_sources_answer_in_place(fifo: str, tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(("The harbour commission voted to rebuild the sea wall. " * 10), "utf-8")
    rows = [{"id": n, "quote": QUOTE, "source": s} for n, s in enumerate(_specials(fifo))]
    rows.append({"id": "ok", "quote": QUOTE, "source": str(page)})
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", "utf-8")
    run = sourcecheck("check", "--batch", str(path), "--json", timeout=BOUND)
    out = {row["id"]: row for row in map(json.loads, run.stdout.splitlines())}
    assert set(out) == {0, 1, 2, "ok"}, run.stdout + run.stderr
    for n in (0, 1, 2):
        assert "not a regular file" in out[n]["error"]
    assert out["ok"]["status"] == "verified"
    assert run.returncode == 2


def test_a_large_file_is_refused_by_bytes_read_not_by_stat(tmp_path: Path) -> None:
    from crawler.errors import InputError
    from crawler.localfile import read_capped

    big = tmp_path / "big.html"
    big.write_bytes(b"x" * 2048)
    assert read_capped(str(big), "source", limit=4096) == b"x" * 2048
    with pytest.raises(InputError, match="too large"):
        read_capped(str(big), "source", limit=1024)
