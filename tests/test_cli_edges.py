"""The edges a new user meets first (issue 14): unsupported URL schemes, the detail of
an unavailable source, --version, and ``scrapy crawl`` with a missing or wrong URL."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.cli import main
from tests.support.cli_run import REPO

QUOTE = "We have sent around 3,000 troops"


@pytest.mark.parametrize("source", ["ftp://example.org/a.html", "file:///etc/passwd"])
def test_an_unsupported_scheme_is_invalid_url_not_a_missing_file(
    capsys: pytest.CaptureFixture[str], source: str
) -> None:
    assert main(["check", QUOTE, "--source", source]) == 2
    _, err = capsys.readouterr()
    assert "invalid_url" in err and "scheme is not supported" in err
    assert "not found" not in err and len(err.strip().splitlines()) == 1


def test_a_batch_line_with_an_unsupported_scheme_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "b.jsonl"
    batch.write_text(json.dumps({"id": "a", "quote": QUOTE, "source": "ftp://x/y"}) + "\n")
    assert main(["check", "--batch", str(batch), "--json"]) == 2
    row = json.loads(capsys.readouterr().out)
    assert "scheme is not supported" in row["error"]


def test_text_output_of_an_unavailable_source_shows_its_detail(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("   \n")
    assert main(["check", QUOTE, "--source", str(empty)]) == 3
    out = capsys.readouterr().out
    assert "reason: empty_extraction" in out
    assert "detail: the file is empty" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--version"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("sourcecheck, version ") and out.strip()[-1].isdigit()


def scrapy_crawl(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "scrapy", "crawl", *args, "--nolog"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        ((), "needs the page to fetch: -a url="),
        (("-a", "url=file:///etc/passwd"), "invalid_url: the scheme is not supported"),
        (("-a", "url=https://www.theguardian.com/x"), "invalid_url: not a bbc URL"),
    ],
)
def test_scrapy_crawl_refuses_a_missing_or_wrong_url_in_one_line(
    args: tuple[str, ...], expected: str
) -> None:
    run = scrapy_crawl("bbc", *args)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and expected in lines[0], run.stderr


def test_an_outlet_spider_given_another_outlets_url_yields_invalid_url() -> None:
    """From code (not the command line) the spider reports the URL, it does not fetch it."""
    import asyncio

    from spiders.bbc import BbcSpider

    async def first() -> list[object]:
        spider = BbcSpider(urls=["https://www.theguardian.com/x", "file:///etc/passwd"])
        return [item async for item in spider.start()]

    items = asyncio.run(first())
    assert [getattr(i, "reason", None) for i in items] == ["invalid_url", "invalid_url"]
