"""End to end: `sourcecheck check ... --replay fixtures` for each outlet and edge case.

The expected verdicts are those of fixtures/README.md ("Expected verdicts" and
"Expected results for the edge cases"). Each `check` runs in its own process (one
crawl per process); the edge cases share one batch crawl.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.cli_run import FIXTURES, batch, sourcecheck
from tests.support.fixture_urls import BBC, GUARDIAN, INDEPENDENT, LIVE

# The citing article's quotations (fixtures/pages/citing-article.txt), by README number.
Q3 = (
    "South Korea’s National Intelligence Service said Pyongyang has sent around 3,000 troops "
    "— including special forces — to Russia’s far east for military training and "
    "acclimatising at the bases there, in what could be readiness for combat in the war. "
    "The troops have been supplied with Russian military uniforms, weapons and false "
    "identification documents ahead of their deployment for combat, the NIS said."
)
Q4 = "I believe they sent officers first to assess the situation before deploying troops."
Q5 = (
    "If they do deploy to fight against Ukraine, they’re fair game. They’re fair targets and "
    "the Ukrainian military will defend themselves against North Korean soldiers the same "
    "way they’re defending themselves against Russian soldiers."
)
Q6 = "This is a clear step in Russia’s escalation that matters."
Q10 = (
    "If Ukrainians give up, or if we give up on Ukraine…It’s Russia making war in the "
    "future. It’s Russia making war with Ukrainian technology, Ukrainian soldiers from a "
    "different geographical position. At that point, we’re in 1939. We’re in 1938 now. In "
    "effect, what Ukrainians are letting us do is extend 1938."
)
Q14 = (
    "When Russia invaded its neighbour on 24 February, Putin falsely claimed it was a "
    "“special operation” limited to the eastern Donbas region to “de-Nazify” Ukraine and "
    "reduce the supposed threat to Russia. But even as he was uttering those words, his "
    "troops were moving on Kyiv and bombing land even further west. More than 100 days "
    "later, a fifth of Ukrainian territory is under Russian military control, with puppet "
    "administrations who talk of referenda on joining Russia. And now Putin feels bold "
    "enough to admit that his “operation” is in fact an occupation."
)
Q15 = "there would be no peace until Russia achieves its goals"
COMMENT_VERSION = (
    "The troops have been supplied with Russian military uniforms, weapons and fake "
    "identification documents"
)


@pytest.mark.parametrize(
    ("quote", "url", "status"),
    [(Q3, INDEPENDENT, "verified"), (Q14, BBC, "verified"), (Q10, GUARDIAN, "altered")],
    ids=["independent", "bbc", "guardian"],
)
def test_check_each_outlet(quote: str, url: str, status: str) -> None:
    run = sourcecheck("check", quote, "--source", url, "--replay", str(FIXTURES), "--json")
    result = json.loads(run.stdout)
    assert result["status"] == status, result
    assert run.returncode == (0 if status == "verified" else 1)
    if status == "altered":  # letting -> helping, one replaced word
        (change,) = result["changes"]
        assert (change["quote"], change["source"]) == ("letting", "helping")


EDGE_CASES: list[tuple[str, str, str, tuple[str, str | None]]] = [
    (
        "premium",
        Q3,
        "https://www.independent.co.uk/independentpremium/world/"
        "north-korea-kim-jong-un-putin-army-analysis-b2632875.html",
        ("unavailable", "paywall"),
    ),
    (
        "404",
        Q3,
        "https://www.independent.co.uk/news/world/europe/"
        "ukraine-kursk-north-korean-soldiers-captured-b2599999.html",
        ("unavailable", "http_404"),
    ),
    (
        "consent",
        Q3,
        "https://www.europost.example/world/2024/10/21/north-korean-troops-kursk-deployment",
        ("unavailable", "consent_wall"),
    ),
    (
        "robots",
        "The enemy’s plans are to use [the North Korean presence] to reinforce conscripts",
        "https://www.frontline-dispatch.example/reports/2024/10/"
        "kovalenko-north-korean-units-border.html",
        ("unavailable", "robots"),
    ),
    ("comment", COMMENT_VERSION, INDEPENDENT, ("altered", None)),
    ("amp", Q3, INDEPENDENT + "?amp", ("verified", None)),
    ("short-link", Q14, "https://bbc.in/3Nq7xKc", ("verified", None)),
    (
        "guardian-amp",
        Q10,
        "https://amp.theguardian.com/world/2024/sep/22/"
        "timothy-snyder-putin-ukraine-war-1938-lessons-history?CMP=share_btn_link",
        ("altered", None),
    ),
    ("live", Q6, LIVE, ("verified", None)),
    ("comment-only", Q6, INDEPENDENT, ("not_found", None)),
    ("absent", Q15, BBC, ("not_found", None)),
    (
        "cp1252-meta",
        Q5,
        "http://www.pacificwire.example/news/2024/10/19/north-korea-troops-russia-white-house.html",
        ("verified", None),
    ),
    (
        "cp1252-bare",
        Q4,
        "http://www.pacificwire.example/news/2024/10/19/zelenskyy-officers-first.html",
        ("verified", None),
    ),
    ("q3-first", Q3.split(" The troops")[0], INDEPENDENT, ("verified", None)),
    ("q3-second", "The troops" + Q3.split(" The troops")[1], INDEPENDENT, ("verified", None)),
    ("q14-number", Q14.replace("More than 100 days", "More than 200 days"), BBC, ("altered", None)),
    (
        "unrecorded",
        Q3,
        "https://www.bbc.com/news/articles/c000000000o",
        ("unavailable", "not_recorded"),
    ),
]


@pytest.fixture(scope="module")
def edge_results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    rows = [{"id": i, "quote": q, "source": s} for i, q, s, _ in EDGE_CASES]
    results, run = batch(tmp_path_factory.mktemp("edge"), rows, "--replay", str(FIXTURES))
    assert "Traceback" not in run.stderr
    return results


@pytest.mark.parametrize(
    ("case", "expected"), [(c[0], c[3]) for c in EDGE_CASES], ids=[c[0] for c in EDGE_CASES]
)
def test_edge_case(edge_results: dict[str, Any], case: str, expected: tuple) -> None:
    row = edge_results[case]
    assert (row["status"], row["reason"]) == expected, row


def test_replay_from_a_manifest_path_outside_the_project(tmp_path: Path) -> None:
    # No scrapy.cfg in the working folder: the installed command loads its settings itself.
    run = sourcecheck(
        "check",
        Q4,
        "--source",
        INDEPENDENT,
        "--replay",
        str(FIXTURES / "manifest.json"),
        "--json",
        cwd=tmp_path,
    )
    assert json.loads(run.stdout)["status"] == "verified", run.stderr


def test_a_crashing_pipeline_is_reported_not_hidden() -> None:
    run = sourcecheck(
        "check",
        Q3,
        "--source",
        INDEPENDENT,
        "--replay",
        str(FIXTURES),
        "--json",
        env={"SOURCECHECK_SETTINGS_MODULE": "tests.support.broken_settings"},
    )
    result = json.loads(run.stdout)
    assert (result["status"], result["reason"]) == ("unavailable", "fetch_failed")
    assert "broken on purpose" in result["detail"]
    assert run.returncode == 3 and "Traceback" not in run.stderr


def test_scrapy_command_lists_and_crawls_the_spiders(tmp_path: Path) -> None:
    import subprocess
    import sys

    scrapy = [sys.executable, "-m", "scrapy"]
    listed = subprocess.run([*scrapy, "list"], capture_output=True, text=True, cwd=FIXTURES.parent)
    assert listed.stdout.split() == ["bbc", "generic", "guardian", "independent"], listed.stderr
    out = tmp_path / "items.jsonl"
    crawl = subprocess.run(
        [
            *scrapy,
            "crawl",
            "bbc",
            "-a",
            "url=https://bbc.in/3Nq7xKc",
            "-s",
            f"SOURCECHECK_REPLAY={FIXTURES}",
            "-O",
            str(out),
            "-L",
            "ERROR",
        ],
        capture_output=True,
        text=True,
        cwd=FIXTURES.parent,
    )
    (item,) = [json.loads(line) for line in out.read_text().splitlines()]
    assert (item["outlet"], item["layout"], item["final_url"]) == ("bbc", "bbc-2020", BBC), crawl
    assert "When Russia invaded its neighbour on 24 February" in item["page"]["text"]
