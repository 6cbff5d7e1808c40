"""The main job as a library (crawler/job.py), through the product path: one reactor per
process reads a URL article and crawls its sources; a batch of local pages is extracted in
a process pool with the same verdicts as one page at a time."""

from __future__ import annotations

import json
from pathlib import Path

from crawler.extraction.extract import Page
from crawler.fetching import sources
from crawler.job import Checked, check_batch, check_one, open_store, parse_batch, read_article
from tests.support.cli_run import FIXTURES, batch, sourcecheck

CITING_URL = (
    "https://www.civicledger.example/opinion/2024/10/24/"
    "putin-bat-signal-north-korean-reinforcements-ukraine/"
)
PAGES = FIXTURES / "pages"


def test_run_reads_a_url_article_and_crawls_its_sources_in_one_process(tmp_path: Path) -> None:
    db = tmp_path / "run.db"
    # --no-discover: only the linked quotes (discovery is tests/test_discovery_run.py's)
    run = sourcecheck(
        "run",
        CITING_URL,
        "--no-discover",
        "--replay",
        "fixtures",
        "--db",
        str(db),
        "--format",
        "json",
    )
    assert run.returncode == 1, run.stderr  # the Guardian quote is altered, by design
    assert "15 quotation(s) found, 15 new" in run.stderr
    assert "crawl: 3 quote(s) due from 3 source(s): 1 altered, 2 verified" in run.stderr
    rows = json.loads(run.stdout)["quotes"]
    assert sorted(r["status"] for r in rows if r["status"] != "no_source") == [
        "altered",
        "verified",
        "verified",
    ]


def test_read_article_and_check_one_need_no_store_or_crawler() -> None:
    cited = read_article(str(PAGES / "citing-article.html"))
    assert len(cited.quotations) == 15
    assert cited.key == str((PAGES / "citing-article.html").resolve())
    checked = check_one(
        "Pyongyang has sent around 3,000 troops",
        str(PAGES / "independent-nis-north-korea-troops.html"),
    )
    assert checked.to_dict()["status"] == "verified"


def test_a_batch_of_local_pages_is_extracted_in_a_pool_with_the_same_verdicts(
    tmp_path: Path,
) -> None:
    pages = [
        "independent-nis-north-korea-troops.html",
        "bbc-russia-invasion-explainer.html",
        "guardian-snyder-1938.html",
        "bbc-2019-putin-kim-vladivostok.html",
        "guardian-2025-north-korean-troops-year-on.html",
    ]
    assert len(pages) >= sources.POOL_MIN_PAGES
    rows = []
    for n, name in enumerate(pages):
        path = str(PAGES / name)
        rows.append(
            {"id": n, "quote": "the troops have been supplied with uniforms", "source": path}
        )
        rows.append({"id": f"{n}-title", "quote": "North Korea", "source": path})
    pooled, run = batch(tmp_path, rows)
    assert run.returncode in (0, 1), run.stderr
    for row in rows:
        alone = check_one(row["quote"], row["source"]).to_dict()
        assert pooled[row["id"]]["status"] == alone["status"], row
        assert pooled[row["id"]]["match"] == alone["match"], row


def test_open_store_gives_one_engine_that_the_store_pipeline_reuses(tmp_path: Path) -> None:
    from crawler.storage.db import engine_for

    with open_store(str(tmp_path / "x.db")) as store:
        url = store.engine.url.render_as_string(hide_password=False)
        engine, new = engine_for(url)
        assert engine is store.engine and not new
    engine, new = engine_for(url)
    assert new and engine is not store.engine
    engine.dispose()


def test_a_pooled_batch_checks_its_quotes_where_the_pages_are_read() -> None:
    """The pool's children give the verdicts (the checking is spread over the CPUs
    too), and they are the verdicts the main process would give, speaker included."""
    pages = [
        "independent-nis-north-korea-troops.html",
        "bbc-russia-invasion-explainer.html",
        "guardian-snyder-1938.html",
        "bbc-2019-putin-kim-vladivostok.html",
    ]
    quotes = [
        ("Pyongyang has sent around 3,000 troops", "the NIS"),
        ("Pyongyang has sent around 30,000 troops", None),
        ("the troops have been supplied with uniforms", None),
    ]
    lines = parse_batch(
        json.dumps({"id": f"{n}-{k}", "quote": q, "source": str(PAGES / page), "speaker": who})
        for n, page in enumerate(pages)
        for k, (q, who) in enumerate(quotes)
    )
    answers = list(check_batch(lines))
    assert len(answers) == len(pages) * len(quotes)
    for line, checked in answers:
        assert isinstance(checked, Checked) and isinstance(checked.loaded, Page)
        assert (line.quote, line.speaker) in checked.loaded.verdicts  # given by a child
        alone = check_one(str(line.quote), str(line.source), speaker=line.speaker)
        assert checked.to_dict() == alone.to_dict(), line
