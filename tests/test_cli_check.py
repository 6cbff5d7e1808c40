"""The check command on local files: verdicts, JSON, batch and every exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.cli import main

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
INDY = str(PAGES / "independent-nis-north-korea-troops.html")
UNIFORMS = (
    "The troops have been supplied with Russian military uniforms, weapons and false "
    "identification documents ahead of their deployment for combat, the NIS said."
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_verified_quote_exits_0_and_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", UNIFORMS, "--source", INDY, "--json")
    assert code == 0
    result = json.loads(out)
    assert result["status"] == "verified"
    assert result["match"]["location"] == "main_text"
    assert result["match"]["text"].startswith("The troops have been supplied")
    assert set(result) >= {"status", "score", "match", "changes", "reason"}


def test_unmatched_quote_exits_1(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "check",
        "This is a clear step in Russia’s escalation that matters.",
        "--source",
        INDY,
        "--json",
    )
    assert code == 1
    assert json.loads(out)["status"] in ("not_found", "altered")


def test_human_output_names_verdict_and_source_words(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", UNIFORMS, "--source", INDY)
    assert code == 0
    assert out.startswith("verified")
    assert "false identification documents" in out


def test_unreadable_page_exits_3_with_reason(capsys: pytest.CaptureFixture[str]) -> None:
    page = str(PAGES / "consent-wall-europost.html")
    code, out, _ = run(capsys, "check", "North Korean troops arrived", "--source", page, "--json")
    assert code == 3
    assert json.loads(out)["reason"] == "consent_wall"
    assert json.loads(out)["status"] == "unavailable"


@pytest.mark.parametrize(
    ("quote", "source", "message"),
    [
        ("", INDY, "empty"),
        ("   \t ", INDY, "empty"),
        ("… — !?", INDY, "punctuation"),
        ("some words here", "/no/such/file.html", "not found"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], quote: str, source: str, message: str
) -> None:
    code, out, err = run(capsys, "check", quote, "--source", source)
    assert code == 2
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and message in err
    assert "Traceback" not in err


def test_binary_and_huge_files_are_input_errors(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    code, _, err = run(capsys, "check", "some words", "--source", str(binary))
    assert code == 2 and "binary" in err
    huge = tmp_path / "huge.html"
    with huge.open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: 50 MB without writing them
    code, _, err = run(capsys, "check", "some words", "--source", str(huge))
    assert code == 2 and "too large" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    # A QUOTE with no --source is searched for (tests/test_discovery_run.py); nothing is not.
    assert run(capsys, "check")[0] == 2
    assert run(capsys, "check", "q", "--around", "24/10/2024", "--outlet", "bbc")[0] == 2
    assert run(capsys, "check", "q", "--source", INDY, "--batch", "x.jsonl")[0] == 2
    assert run(capsys, "nonsense-command")[0] == 2


def test_batch_keeps_order_reads_each_source_once_and_reports_bad_lines(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import crawler.fetching.sources as sources

    reads: list[str] = []
    real = sources.read_local_text
    monkeypatch.setattr(
        sources, "read_local_text", lambda p, *a, **k: reads.append(p) or real(p, *a, **k)
    )
    batch = tmp_path / "quotes.jsonl"
    lines = [
        json.dumps({"id": "a", "quote": UNIFORMS, "source": INDY}),
        "{not json",
        json.dumps({"id": "c", "quote": "  ", "source": INDY}),
        json.dumps({"id": "d", "quote": "the NIS said", "source": INDY}),
    ]
    batch.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out, _ = run(capsys, "check", "--batch", str(batch), "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert [r["id"] for r in rows] == ["a", 2, "c", "d"]
    assert rows[0]["status"] == "verified" and rows[3]["status"] == "verified"
    assert "error" in rows[1] and "error" in rows[2]
    assert reads == [INDY]
    assert code == 2


def test_missing_batch_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "check", "--batch", "/no/such.jsonl", "--json")
    assert code == 2 and "not found" in err


def test_every_command_has_help_with_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "check", "--help")
    assert code == 0 and "Example" in out


def test_human_output_marks_each_change_in_place(capsys: pytest.CaptureFixture[str]) -> None:
    quote = "The troops have been supplied with military uniforms, weapons and fake identification"
    code, out, _ = run(capsys, "check", quote, "--source", INDY)
    assert code == 1 and out.startswith("altered")
    assert "supplied with [-Russian-] military uniforms" in out
    assert "weapons and [-false-] {+fake+} identification" in out


def test_an_uncreatable_database_folder_is_an_input_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, _, err = run(capsys, "report", "--db", str(blocker / "sub" / "sc.db"))
    assert code == 2 and err.startswith("error: cannot create the database folder")
