"""The archive through the product: check, run and the report, replaying the
reconstructed CDX answers and captures in fixtures/ (nothing reaches the network)."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli_run import FIXTURES, batch, sourcecheck

GONE = "https://www.independent.co.uk/news/world/europe/north-korea-soldiers-kursk-prisoners-b2641111.html"
EDITED = "https://www.independent.co.uk/news/world/asia/north-korea-troops-casualties-kursk-b2645555.html"
NO_CAPTURE = "https://www.bbc.com/news/articles/c9nk4rea2k0o"
BLOCKED = (
    "https://www.theguardian.com/world/2024/oct/25/north-korean-troops-pulled-back-from-kursk-front"
)
WALL = "https://www.europost.example/world/2024/10/22/kim-putin-treaty-ratified"
SOFT_404 = (
    "https://www.independent.co.uk/news/world/asia/kim-jong-un-troops-statement-b2648888.html"
)
RATE_LIMITED = (
    "https://www.independent.co.uk/news/world/asia/north-korea-troops-rate-limited-b2649999.html"
)
LIVE_OK = "https://www.independent.co.uk/news/world/asia/north-korea-troops-russia-ukraine-nis-b2631234.html"

PRISONERS = (
    "Two soldiers from the DPRK were taken prisoner in the Kursk region after being wounded "
    "in fighting, and both are now in Kyiv"
)
CASUALTIES = (
    "North Korean units have suffered at least 200 casualties in their first week of fighting"
)
REPLAY = ("--replay", str(FIXTURES))


def test_gone_sources_are_checked_in_their_capture_and_every_miss_is_stated(
    tmp_path: Path,
) -> None:
    rows = [
        {"id": "gone", "quote": PRISONERS, "source": GONE},
        {"id": "gone-altered", "quote": PRISONERS.replace("Two", "Three"), "source": GONE},
        {"id": "none", "quote": PRISONERS, "source": NO_CAPTURE},
        {"id": "blocked", "quote": PRISONERS, "source": BLOCKED},
        {"id": "wall", "quote": PRISONERS, "source": WALL},
        {"id": "soft404", "quote": PRISONERS, "source": SOFT_404},
        {"id": "limited", "quote": PRISONERS, "source": RATE_LIMITED},
    ]
    env = {"SOURCECHECK_ARCHIVE_DELAY": "0.05"}
    results, run = batch(tmp_path, rows, *REPLAY, "--cited-on", "2024-11-05", env=env)
    assert run.returncode == 1, run.stderr
    gone = results["gone"]
    assert (gone["status"], gone["reason"]) == ("verified", "http_404")
    assert gone["evidence"]["kind"] == "archive"
    assert gone["evidence"]["captured_at"].startswith("2024-10-30")  # before the citing date
    assert "20241030081544id_/" + GONE in gone["evidence"]["url"]
    assert gone["archive"]["memento"]["Memento-Datetime"] == "Wed, 30 Oct 2024 08:15:44 GMT"
    # The capture is read like the live page: a changed number is still caught.
    altered = results["gone-altered"]
    assert altered["status"] == "altered" and altered["evidence"]["kind"] == "archive"
    assert any("number" in c["flags"] for c in altered["changes"])
    # No capture, a blocked site, a wall, an error page, a rate limit: unavailable, said why.
    expected = {
        "none": ("http_404", "no_capture"),
        "blocked": ("http_404", "archive_blocked"),
        "wall": ("http_410", "archive_consent_wall"),
        "soft404": ("http_410", "archive_soft_404"),
        "limited": ("http_404", "archive_rate_limited"),
    }
    for key, (live_reason, archive_reason) in expected.items():
        row = results[key]
        assert row["status"] == "unavailable", key
        assert (row["reason"], row["archive"]["reason"]) == (live_reason, archive_reason), key
        assert "evidence" not in row, key


def test_the_cli_says_the_quote_was_verified_in_the_archived_copy() -> None:
    run = sourcecheck("check", PRISONERS, "--source", GONE, "--cited-on", "2024-11-05", *REPLAY)
    assert run.returncode == 0, run.stderr
    assert "verified in the archived copy of 2024-10-30; the live page is gone (http_404)" in (
        run.stdout
    )
    run = sourcecheck("check", PRISONERS, "--source", NO_CAPTURE, *REPLAY)
    assert run.returncode == 3
    assert "the live page is gone (http_404)" in run.stdout and "no_capture" in run.stdout


def test_a_stealth_edit_is_found_in_the_capture_from_the_citing_date() -> None:
    run = sourcecheck("check", CASUALTIES, "--source", EDITED, "--json", *REPLAY)
    live_only = json.loads(run.stdout)
    assert live_only["status"] == "altered" and live_only["findings"] == []
    assert "finding_details" not in live_only
    run = sourcecheck(
        "check", CASUALTIES, "--source", EDITED, "--json", "--cited-on", "2024-11-05", *REPLAY
    )
    result = json.loads(run.stdout)
    assert result["status"] == "altered"  # against the live page, as it is now
    assert result["findings"] == ["source_edited_since_citation"]
    (finding,) = result["finding_details"]
    assert finding["code"] == "source_edited_since_citation"
    assert "at least 200 casualties" in finding["as_cited"]
    assert "at least 100 casualties" in finding["as_now"]
    assert finding["captured_at"].startswith("2024-11-04")
    assert [(d["as_cited"], d["as_now"]) for d in finding["diff"]] == [("200", "100")]
    assert "[-200-]" in finding["diff_text"] and "{+100+}" in finding["diff_text"]


def test_as_of_checks_the_capture_instead_of_the_live_page() -> None:
    run = sourcecheck("check", CASUALTIES, "--source", EDITED, "--as-of", "2024-11-05", *REPLAY)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "verified in the archived copy of 2024-11-04" in run.stdout
    run = sourcecheck(
        "check", CASUALTIES, "--source", EDITED, "--as-of", "2024-12-01", "--json", *REPLAY
    )
    later = json.loads(run.stdout)  # the newer capture already holds the edit
    assert later["status"] == "altered" and later["evidence"]["captured_at"].startswith(
        "2024-11-21"
    )
    # --as-of never reads the live page: with no recorded CDX answer there is no verdict.
    run = sourcecheck("check", PRISONERS, "--source", LIVE_OK, "--as-of", "2024-11-05", *REPLAY)
    assert run.returncode == 3 and "archive_not_recorded" in run.stdout
    run = sourcecheck("check", PRISONERS, "--source", GONE, "--as-of", "yesterday")
    assert run.returncode == 2 and run.stderr.count("\n") == 1


def test_run_uses_the_articles_date_and_the_report_shows_as_cited_beside_as_now(
    tmp_path: Path,
) -> None:
    db = str(tmp_path / "archive.db")
    article = str(FIXTURES / "pages" / "citing-article-archive.html")
    run = sourcecheck("run", article, "--db", db, *REPLAY)
    assert run.returncode == 1, run.stderr
    report = sourcecheck("report", "--db", db, "--format", "json")
    rows = {r["cited_url"]: r for r in json.loads(report.stdout)["quotes"]}
    gone, edited, missing = rows[GONE], rows[EDITED], rows[NO_CAPTURE]
    assert (gone["status"], gone["reason"]) == ("verified", "http_404")
    assert gone["evidence_from"]["kind"] == "archive"
    assert gone["evidence_from"]["captured_at"].startswith("2024-10-30")
    assert "archive_fallback" in gone["what_changed"]
    assert edited["status"] == "altered" and edited["evidence_from"]["kind"] == "live"
    assert "source_edited_since_citation" in edited["what_changed"]
    assert "source_edited_since_citation" in edited["findings"]
    assert edited["finding_details"][0]["as_cited"].count("200") == 1
    assert (missing["status"], missing["reason"]) == ("unavailable", "http_404")
    table = sourcecheck("report", "--db", db)
    assert "archived copy 2024-10-30" in table.stdout
    html_path = tmp_path / "r.html"
    sourcecheck("report", "--db", db, "--format", "html", "--output", str(html_path))
    page = html_path.read_text(encoding="utf-8")
    assert "As cited (archived copy of 2024-11-04)" in page and "As now (live page)" in page
    assert "<del>200</del>" in page and "<ins>100</ins>" in page
    assert "the archived copy of 2024-10-30" in page
