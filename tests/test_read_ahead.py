"""A one-quote check of a local page reads the page in a second process while the command
loads (crawler/extraction/ahead.py): the same answers as reading it in-process, the page
text still there for a miss, and the page read here whenever the reader fails."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from crawler.extraction import ahead
from tests.support.cli_run import FIXTURES, REPO, sourcecheck

PAGES = FIXTURES / "pages"
INDEPENDENT = str(PAGES / "independent-nis-north-korea-troops.html")
VLADIVOSTOK = str(PAGES / "bbc-2019-putin-kim-vladivostok.html")
CONSENT = str(PAGES / "consent-wall-europost.html")
IN_BODY = "Pyongyang has sent around 3,000 troops"
# An image caption trafilatura's main text drops: only the full page text holds it.
CAPTION = "Mr Kim was greeted with a military band when he arrived at Vladivostok station"

# One check in a fresh process, with the reader started as the console script starts it
# (os.cpu_count pinned to 2, so that it starts on any machine); optionally the reader is
# killed before it is asked. Prints the answer and what this process had to import.
SCRIPT = """
import json, os, signal, sys
os.cpu_count = lambda: 2
from crawler.extraction import ahead
quote, path, kill = sys.argv[1], sys.argv[2], sys.argv[3] == "kill"
ahead.start(["check", quote, "--source", path])
reader = ahead._reader
if kill and reader is not None:
    os.kill(reader.pid, signal.SIGKILL)
    os.waitpid(reader.pid, 0)
from crawler.job import check_one
checked = check_one(quote, path)
print(json.dumps({
    "started": reader is not None,
    "extractor_here": "trafilatura" in sys.modules,
    "answer": checked.to_dict(),
}))
"""


def _check_in_fresh_process(quote: str, path: str, kill: bool = False) -> dict:
    env = {**os.environ, "SOURCECHECK_READ_AHEAD": "1"}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, quote, path, "kill" if kill else "keep"],
        capture_output=True,
        text=True,
        cwd=REPO,
        env=env,
        check=True,
        timeout=120,
    )
    return json.loads(done.stdout)


def _in_process(quote: str, path: str) -> dict:
    from crawler.job import check_one

    return check_one(quote, path).to_dict()


def test_only_a_one_quote_check_of_an_existing_local_file_is_read_ahead(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.delenv("SOURCECHECK_READ_AHEAD", raising=False)
    assert ahead.wanted(["check", "q", "--source", INDEPENDENT]) == INDEPENDENT
    assert ahead.wanted(["check", "q", "-s", INDEPENDENT, "--json"]) == INDEPENDENT
    assert ahead.wanted(["check", "q", f"--source={INDEPENDENT}"]) == INDEPENDENT
    assert ahead.wanted(["check", "q", "--source", "https://www.bbc.com/news/x"]) is None
    assert ahead.wanted(["check", "q", "--source", str(PAGES / "no-such-page.html")]) is None
    assert ahead.wanted(["check", "--batch", INDEPENDENT, "--source", INDEPENDENT]) is None
    assert ahead.wanted(["quotes", INDEPENDENT, "--source", INDEPENDENT]) is None
    assert ahead.wanted(["check", "q", "--outlet", "guardian"]) is None
    monkeypatch.setattr(os, "cpu_count", lambda: 1)  # nothing to overlap on one CPU
    assert ahead.wanted(["check", "q", "--source", INDEPENDENT]) is None
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setenv("SOURCECHECK_READ_AHEAD", "0")
    assert ahead.wanted(["check", "q", "--source", INDEPENDENT]) is None


@pytest.mark.parametrize("quote, path", [(IN_BODY, INDEPENDENT), (CAPTION, VLADIVOSTOK)])
def test_a_page_read_ahead_gives_the_same_answer_without_the_extractor_here(
    quote: str, path: str
) -> None:
    got = _check_in_fresh_process(quote, path)
    assert got["started"]
    # The reader extracted the page, and for the caption built the full page text too:
    # this process never imported trafilatura.
    assert not got["extractor_here"]
    assert got["answer"] == _in_process(quote, path)
    assert got["answer"]["status"] == "verified"


def test_a_dead_reader_costs_nothing_but_time() -> None:
    got = _check_in_fresh_process(CAPTION, VLADIVOSTOK, kill=True)
    assert got["started"] and got["extractor_here"]  # read here instead
    assert got["answer"] == _in_process(CAPTION, VLADIVOSTOK)


@pytest.mark.parametrize(
    "quote, path",
    [
        (IN_BODY, INDEPENDENT),
        ("Pyongyang has sent around 30,000 troops", INDEPENDENT),
        (CAPTION, VLADIVOSTOK),
        ("they would never accept this", CONSENT),  # unavailable: a consent wall
        ("anything at all", str(FIXTURES / "manifest.json")),  # plain text, not found
    ],
)
def test_the_command_says_the_same_with_and_without_reading_ahead(quote: str, path: str) -> None:
    runs = []
    for setting in ("1", "0"):
        for json_flag in (["--json"], []):
            done = sourcecheck(
                "check",
                quote,
                "--source",
                path,
                *json_flag,
                env={"SOURCECHECK_READ_AHEAD": setting},
            )
            runs.append((done.returncode, done.stdout, done.stderr))
    assert runs[:2] == runs[2:]
