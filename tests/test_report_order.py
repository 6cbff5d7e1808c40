"""The report a journalist acts on (issue 14): problems first, changes in words, a table
that fits the terminal with names whole, and one table of findings behind it all."""

from __future__ import annotations

from pathlib import Path

import pytest

from crawler.cli import main
from crawler.reporting import findings
from crawler.reporting.rows import ReportRow
from crawler.reporting.table import render_table
from tests.support import storage_data as data

ALTERED = data.QUOTES[1].text
VERIFIED = data.QUOTES[0].text


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return data.report_db(tmp_path / "report.db")


@pytest.fixture
def rows(db_path: Path) -> list[ReportRow]:
    return data.report_rows(db_path)


def body_lines(table: str) -> list[str]:
    return table.split("\n\n")[0].splitlines()[2:]


def test_problems_come_first_and_no_source_is_folded(rows: list[ReportRow]) -> None:
    stored = [r.status for r in rows]
    assert stored.index("verified") < stored.index("altered")  # stored order is not the point
    table = render_table(rows, width=200)
    verdicts = [line.split("  ")[0] for line in body_lines(table)]
    assert verdicts[0].startswith(ALTERED[:30]) and verdicts[-1].startswith(VERIFIED[:30])
    words = [" ".join(line.split()) for line in body_lines(table)]
    assert ["altered" in words[0], "source edited" in words[1], "unavailable" in words[2]] == [
        True,
        True,
        True,
    ]
    assert "no source cited (1)" in table
    assert all("let this happen" not in line for line in body_lines(table))


def test_what_changed_says_the_words_and_the_score_is_explained(rows: list[ReportRow]) -> None:
    table = render_table(rows, width=240)
    altered = body_lines(table)[0]
    assert "the source says '3,000', the quote '5,000' (number)" in altered
    assert "in place: the share of the quote's words found in place" in table


@pytest.mark.parametrize("width", [60, 80, 100, 132, 200])
def test_the_table_fits_the_width_and_keeps_short_names_whole(
    rows: list[ReportRow], width: int
) -> None:
    table = render_table(rows, width=width)
    assert all(len(line) <= width for line in table.splitlines()), table
    if width >= 80:
        assert "The minister " in table  # 12 characters: never "The minis…"


def test_the_report_command_follows_columns(
    db_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for columns in (72, 180):
        monkeypatch.setenv("COLUMNS", str(columns))
        assert main(["report", "--db", str(db_path)]) == 0
        out = capsys.readouterr().out
        assert max(map(len, out.splitlines())) <= columns
        assert max(map(len, out.splitlines())) > columns - 12  # it uses the room it has


def test_a_new_finding_plugs_in_by_one_entry(
    rows: list[ReportRow], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A cause added to the table takes the badge and the place of the verdict it explains."""
    extra = findings.Finding("quote_trimmed", "cause", "Trimmed", "#000", "test", "Trimmed", 3)
    table = (*findings.FINDINGS[:1], extra, *findings.FINDINGS[1:])
    monkeypatch.setattr(findings, "FINDINGS", table)
    monkeypatch.setattr(findings, "BY_CODE", {f.code: f for f in table})
    monkeypatch.setattr(findings, "RANK", {f.code: i for i, f in enumerate(table)})
    verified = next(r for r in rows if r.quote == VERIFIED)
    verified.findings = ["quote_trimmed"]
    assert findings.primary(verified).label == "Trimmed"
    assert findings.ordered(rows)[1] is verified  # after altered, before the rest


def test_run_reports_its_own_article_and_report_narrows_by_id(tmp_path: Path) -> None:
    """A second article in the same database: `run` counts only its own quotes."""
    import shutil
    import sqlite3

    from tests.support.cli_run import FIXTURES, sourcecheck

    db = str(tmp_path / "two.db")
    page = FIXTURES / "pages" / "citing-article.html"
    clone = tmp_path / "clone.html"
    shutil.copy(page, clone)
    first = sourcecheck("run", str(page), "--replay", str(FIXTURES), "--db", db)
    assert first.returncode in (0, 1, 3), first.stderr
    second = sourcecheck(
        "run", str(clone), "--format", "json", "--replay", str(FIXTURES), "--db", db
    )
    import json

    own = json.loads(second.stdout)["quotes"]
    assert {q["article"]["url"] for q in own} == {str(clone.resolve())}
    line = next(x for x in second.stderr.splitlines() if x.startswith(str(clone)))
    assert line.endswith(f"{len(own)} quote(s): " + line.split(" quote(s): ")[1])
    assert f": {len(own)} quote(s)" in line  # not twice as many (both articles)
    everything = json.loads(sourcecheck("report", "--format", "json", "--db", db).stdout)
    assert len(everything["quotes"]) == 2 * len(own)
    ids = [row[0] for row in sqlite3.connect(db).execute("select id from articles order by id")]
    narrowed = sourcecheck("report", "--format", "json", "--db", db, "--article", str(ids[0]))
    assert {q["article"]["url"] for q in json.loads(narrowed.stdout)["quotes"]} == {
        str(page.resolve())
    }
    by_path = sourcecheck("report", "--db", db, "--article", str(clone))
    assert by_path.returncode == 0 and f"{len(own)} quote(s)" in by_path.stdout
    missing = sourcecheck("report", "--db", db, "--article", "https://example.org/none")
    assert missing.returncode == 2 and "no stored article" in missing.stderr
