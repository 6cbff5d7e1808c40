"""``sourcecheck quotes``: JSON and human output on both forms of the citing article,
a URL through the crawler's fetch function, and bad input (exit 2, one line)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from crawler.cli import main
from tests.support.cli_run import sourcecheck

ROOT = Path(__file__).resolve().parent.parent

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
FIELDS = {"text", "kind", "speaker", "outlet", "url", "title", "position"}


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["quotes", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("name", ["citing-article.html", "citing-article.txt"])
def test_quotes_json_on_both_fixture_files(capsys: pytest.CaptureFixture[str], name: str) -> None:
    code, out, err = _run(capsys, str(PAGES / name), "--json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert len(rows) == 15
    assert all(set(row) >= FIELDS for row in rows)
    assert [row["position"] for row in rows] == list(range(15))
    outlets = {row["outlet"]: row for row in rows if row["outlet"]}
    assert set(outlets) == {"independent", "guardian", "bbc"}
    assert outlets["guardian"]["speaker"] == "Timothy Snyder"
    assert outlets["guardian"]["title"].startswith("We’re in 1938 now")
    links = [row["url"] for row in rows if row["url"]]
    assert len(links) == (3 if name.endswith(".html") else 0)


def test_both_files_give_the_same_json_but_links(capsys: pytest.CaptureFixture[str]) -> None:
    rows = {}
    for name in ("citing-article.html", "citing-article.txt"):
        _, out, _ = _run(capsys, str(PAGES / name), "--json")
        rows[name] = [
            {k: v for k, v in r.items() if k not in ("url", "paragraph")} for r in json.loads(out)
        ]
    assert rows["citing-article.html"] == rows["citing-article.txt"]


def test_quotes_human_output_is_a_numbered_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, str(PAGES / "citing-article.html"))
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == " 1. block  Volodymyr Zelenskyy"
    assert lines[1].startswith("    “This is no longer just about transferring weapons.")
    assert " 3. block  (no speaker named) · independent" in lines
    assert "15. inline Vladimir Putin" in lines


CITING_URL = (
    "https://www.civicledger.example/opinion/2024/10/24/"
    "putin-bat-signal-north-korean-reinforcements-ukraine/"
)


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    # A crawl starts a Twisted reactor, which runs once per process: a child process.
    return sourcecheck(*argv)


def test_a_url_is_fetched_through_the_crawler_and_gives_the_same_quotes() -> None:
    child = _cli("quotes", CITING_URL, "--json", "--replay", "fixtures")
    assert child.returncode == 0, child.stderr
    rows = json.loads(child.stdout)
    assert len(rows) == 15
    links = {r["outlet"]: r["url"] for r in rows if r["url"]}
    assert set(links) == {"independent", "bbc", "guardian"}
    assert links["bbc"] == "https://www.bbc.com/news/articles/cw8l2nd4pkyo"


def test_an_unrecorded_url_is_unavailable_in_one_line() -> None:
    child = _cli("quotes", "https://news.example/a/story", "--replay", "fixtures")
    assert (child.returncode, child.stdout) == (3, "")
    assert child.stderr.count("\n") == 1 and "not_recorded" in child.stderr


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda d: d / "missing.html", "article file not found"),
        (lambda d: d, "is a directory"),
        (lambda d: _write(d / "blob.bin", b"\x00\x01\x02binary" * 50), "binary"),
        (lambda d: _write(d / "empty.txt", b"  \n"), "empty"),
    ],
)
def test_bad_input_is_exit_2_and_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, make, message: str
) -> None:
    code, out, err = _run(capsys, str(make(tmp_path)))
    assert (code, out) == (2, "")
    assert err.startswith("error: ") and err.count("\n") == 1 and message in err
    assert "Traceback" not in err


def test_no_argument_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = _run(capsys)
    assert code == 2 and "ARTICLE" in err


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _run(capsys, "--help")
    assert code == 0 and "sourcecheck quotes fixtures/pages/citing-article.html" in out


def test_an_article_with_no_quotations(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    path = _write(tmp_path / "plain.txt", b"Nothing quoted here.\nNor here.\n")
    assert _run(capsys, str(path)) == (0, "no quotations found\n", "")
    assert _run(capsys, str(path), "--json") == (0, "[]\n", "")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
