"""`sourcecheck find`, `index rebuild` and "where else" for not_found, through the product
path: the crawl stores snapshots from the recorded fixtures, the CLI searches them."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.support.cli_run import FIXTURES, sourcecheck

CITING = str(FIXTURES / "pages" / "citing-article.html")
INDEPENDENT = "https://www.independent.co.uk/news/world/asia/north-korea-troops-russia-ukraine-nis-b2631234.html"
NIS = "South Korea's National Intelligence Service said Pyongyang has sent around 3,000 troops"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("find") / "sc.db"
    run = sourcecheck("run", CITING, "--replay", str(FIXTURES), "--db", str(db))
    assert run.returncode == 1, run.stderr  # the Guardian quote is altered, by design
    return db


def find(db: Path | str, *args: str) -> tuple[int, list[dict]]:
    child = sourcecheck("find", *args, "--json", "--db", str(db))
    assert child.stderr == "" or child.returncode == 2, child.stderr
    return child.returncode, json.loads(child.stdout) if child.returncode != 2 else []


def test_find_gives_each_page_with_its_verdict(store: Path) -> None:
    code, hits = find(store, NIS)
    assert code == 0
    assert [(h["url"], h["status"], h["outlet"]) for h in hits] == [
        (INDEPENDENT, "verified", "independent")
    ]
    assert set(hits[0]) >= {"url", "outlet", "snapshot_at", "first_seen", "status", "score"}
    assert hits[0]["match"]["text"].startswith("South Korea’s National Intelligence Service")
    # one changed number: still found, as altered, with the diff
    code, hits = find(store, NIS.replace("3,000", "3,500"))
    assert code == 0 and [h["status"] for h in hits] == ["altered"]
    assert [(c["source"], c["quote"], c["flags"]) for c in hits[0]["changes"]] == [
        ("3,000", "3,500", ["number"])
    ]
    code, hits = find(store, "The moon landing was filmed in a studio in Nevada by a director")
    assert (code, hits) == (1, [])


def test_find_prints_the_verdict_and_marks_the_earliest(store: Path) -> None:
    child = sourcecheck("find", NIS.replace("3,000", "3,500"), "--db", str(store))
    assert child.returncode == 0, child.stderr
    assert "1 stored page(s) hold the quote; earliest" in child.stdout
    assert "<- earliest" in child.stdout
    assert "[-3,000-] {+3,500+}" in child.stdout
    assert "replace: source '3,000' -> quote '3,500' (number)" in child.stdout


def test_find_only_reads(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere" / "sc.db"
    child = sourcecheck("find", NIS, "--db", str(missing))
    assert child.returncode == 2
    assert child.stderr == f"error: no database at {missing}\n"
    assert not missing.exists() and not missing.parent.exists()
    assert sourcecheck("find", "--limit", "0", NIS, "--db", str(missing)).returncode == 2
    assert sourcecheck("find", "two words", "--db", str(missing)).returncode == 2


def test_index_rebuild(store: Path) -> None:
    child = sourcecheck("index", "rebuild", "--db", str(store))
    assert child.returncode == 0, child.stderr
    assert re.fullmatch(r"indexed [1-9]\d* snapshot\(s\)\n", child.stderr)
    assert find(store, NIS)[1][0]["url"] == INDEPENDENT


def test_not_found_says_where_else_the_words_appear(tmp_path: Path) -> None:
    """The BBC drops the sentence its page was quoted for; the Guardian page carries it."""
    recording = tmp_path / "fixtures"
    shutil.copytree(FIXTURES, recording)
    db = tmp_path / "sc.db"
    assert sourcecheck("run", CITING, "--replay", str(recording), "--db", str(db)).returncode == 1
    pages = recording / "pages"
    # the cited BBC page now serves another BBC article...
    bbc = pages / "bbc-russia-invasion-explainer.html"
    shutil.copyfile(pages / "bbc-2019-putin-kim-vladivostok.html", bbc)
    # ...and the Guardian page carries the quoted passage
    rows = json.loads(sourcecheck("report", "--db", str(db), "--format", "json").stdout)["quotes"]
    quoted = next(r["quote"] for r in rows if r["outlet"] == "bbc")
    guardian = pages / "guardian-snyder-1938.html"
    moved = "<p>" + html.escape(quoted) + "</p>"
    guardian.write_text(
        guardian.read_text(encoding="utf-8").replace("<p>", moved + "<p>", 1), encoding="utf-8"
    )

    crawl = sourcecheck(
        "crawl", "--replay", str(recording), "--db", str(db), "--recheck-after", "0"
    )
    assert crawl.returncode == 1, crawl.stderr
    lines = [line for line in crawl.stdout.splitlines() if line.startswith("not_found")]
    assert len(lines) == 1
    assert "not in the cited page; found verbatim in 1 other stored page(s), earliest " in lines[0]
    assert "theguardian.com" in lines[0]

    report = sourcecheck("report", "--db", str(db), "--format", "json")
    rows = json.loads(report.stdout)["quotes"]
    bbc_row = next(r for r in rows if r["outlet"] == "bbc")
    assert bbc_row["status"] == "not_found"
    assert bbc_row["elsewhere"]["verbatim"] == 1
    assert "theguardian.com" in bbc_row["elsewhere"]["pages"][0]["url"]
    assert all("elsewhere" not in r for r in rows if r["status"] != "not_found")

    bbc_url = "https://www.bbc.com/news/articles/cw8l2nd4pkyo"
    replay = ("--source", bbc_url, "--replay", str(recording))
    check = sourcecheck("check", quoted, *replay, "--db", str(db), "--json")
    result = json.loads(check.stdout)
    assert result["status"] == "not_found"
    assert result["elsewhere"]["verbatim"] == 1  # the Guardian page, not the BBC's older one
    # without a store, no search and no field
    plain = sourcecheck("check", quoted, *replay, "--json")
    assert "elsewhere" not in json.loads(plain.stdout)
    text = sourcecheck("check", quoted, *replay, "--db", str(db))
    assert "elsewhere: not in the cited page; found verbatim in 1 other" in text.stdout
