"""Every --batch line gets its own answer or error, in place, whatever it holds.

A line that cannot be parsed, a value of the wrong type, a NUL in a path, a lone
surrogate or an id that JSON cannot carry must never stop the batch, crash it or make
it print something that is not JSON.
"""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli_run import sourcecheck

QUOTE = "the harbour commission voted to rebuild the sea wall"
BOUND = 60


def _batch(tmp_path: Path, lines: list[str]) -> tuple[list[dict], object]:
    page = tmp_path / "page.txt"
    page.write_text("The harbour commission voted to rebuild the sea wall. " * 10, "utf-8")
    path = tmp_path / "batch.jsonl"
    good = json.dumps({"id": "good", "quote": QUOTE, "source": str(page)})
    path.write_text("\n".join([*lines, good]) + "\n", "utf-8", errors="surrogatepass")
    run = sourcecheck("check", "--batch", str(path), "--json", timeout=BOUND)
    assert "Traceback" not in run.stderr, run.stderr
    # every line printed is strict JSON (no NaN, no lone surrogate left raw)
    rows = [json.loads(line, parse_constant=_strict) for line in run.stdout.splitlines()]
    assert rows and rows[-1]["id"] == "good" and rows[-1]["status"] == "verified", run.stdout
    return rows, run


def _strict(name: str) -> None:
    raise AssertionError(f"{name} is not JSON")


def test_deep_nesting_is_an_error_on_its_line(tmp_path: Path) -> None:
    rows, run = _batch(tmp_path, ["[" * 100_000])
    assert len(rows) == 2
    assert rows[0]["id"] == 1 and "line 1" in rows[0]["error"]
    assert run.returncode == 2  # type: ignore[attr-defined]


def test_a_nul_in_the_source_is_an_error_on_its_line(tmp_path: Path) -> None:
    line = json.dumps({"id": "nul", "quote": QUOTE, "source": "page\u0000.html"})
    rows, _run = _batch(tmp_path, [line])
    assert rows[0]["id"] == "nul" and "NUL" in rows[0]["error"]


def test_a_quote_that_is_not_a_string_says_so(tmp_path: Path) -> None:
    lines = [json.dumps({"id": i, "quote": q, "source": "x.html"}) for i, q in enumerate([7, []])]
    rows, _run = _batch(tmp_path, lines)
    assert [r["error"] for r in rows[:2]] == ["line 1: quote must be a string"] * 1 + [
        "line 2: quote must be a string"
    ]


def test_a_lone_surrogate_prints_valid_json(tmp_path: Path) -> None:
    # json.dumps escapes the surrogate (\\udc80); json.loads of the line gives it back raw
    line = json.dumps({"id": "sur", "quote": QUOTE + " \udc80", "source": "nowhere.html"})
    rows, _run = _batch(tmp_path, [line])
    assert rows[0]["id"] == "sur"
    raw = json.dumps({"id": "sur2", "quote": QUOTE, "source": "x\udc80.html"})
    rows, _run = _batch(tmp_path, [raw])
    assert rows[0]["id"] == "sur2" and "error" in rows[0]


def test_an_id_json_cannot_carry_is_not_echoed(tmp_path: Path) -> None:
    lines = [
        '{"id": NaN, "quote": "' + QUOTE + '", "source": "x.html"}',
        '{"id": Infinity, "quote": "' + QUOTE + '", "source": "x.html"}',
    ]
    rows, _run = _batch(tmp_path, lines)
    assert [r["id"] for r in rows[:2]] == [1, 2]
    assert all("error" in r for r in rows[:2])


def test_text_output_survives_hostile_lines(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    page.write_text("The harbour commission voted to rebuild the sea wall. " * 10, "utf-8")
    path = tmp_path / "batch.jsonl"
    rows = [
        "[" * 100_000,
        json.dumps({"id": "sur", "quote": QUOTE + " \udc80", "source": str(page)}),
        json.dumps({"id": "ok", "quote": QUOTE, "source": str(page)}),
    ]
    path.write_text("\n".join(rows) + "\n", "utf-8")
    run = sourcecheck("check", "--batch", str(path), timeout=BOUND)
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    assert "1: error:" in run.stdout and "ok: " in run.stdout
