"""Each finder on recorded responses (fixtures/pages/discovery), and the choice.

No crawl here: the answers are read from the recording as ServiceResponses, the way
fetch_services returns them; tests/test_discovery_run.py goes through the CLI.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from scrapy.utils.sitemap import Sitemap

from crawler.discovery import guardian_api, sitemap
from crawler.discovery.candidates import Candidate, Search, Wanted
from crawler.discovery.choose import choose
from crawler.fetching.replay import Recording
from crawler.fetching.services import ServiceResponse
from verify.cues import Window

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
RECORDING = Recording.load(FIXTURES)
KIRBY = (
    "If they do deploy to fight against Ukraine, they’re fair game. They’re fair targets and "
    "the Ukrainian military will defend themselves against North Korean soldiers the same way "
    "they’re defending themselves against Russian soldiers."
)
OCTOBER = Window(date(2024, 9, 24), date(2024, 10, 24))


def recorded(url: str) -> ServiceResponse:
    entry = RECORDING.lookup(url)
    assert entry is not None, url
    return ServiceResponse(url, status=entry.status, headers=entry.headers, body=entry.body)


def api_answer(name: str) -> ServiceResponse:
    body = (FIXTURES / "pages" / "discovery" / name).read_bytes()
    return ServiceResponse("https://content.guardianapis.com/search", status=200, body=body)


# -- Guardian Content API --------------------------------------------------------------------


def test_queries_ask_by_phrase_in_the_window_and_by_headline() -> None:
    wanted = Wanted(1, KIRBY, OCTOBER, "guardian", None, "White House says troops fair game")
    (title_q, title_r), (_phrase_q, phrase_r) = guardian_api.queries(
        wanted, "https://api.test", "k"
    )
    title = parse_qs(urlsplit(title_r.url).query)
    assert title["query-fields"] == ["headline"] and title["api-key"] == ["k"]
    assert title_q.startswith("headline:") and "fair AND game" in title["q"][0]
    phrases = parse_qs(urlsplit(phrase_r.url).query)
    assert phrases["from-date"] == ["2024-09-24"] and phrases["to-date"] == ["2024-10-24"]
    assert phrases["q"][0].count('"') >= 2 and " OR " in phrases["q"][0]
    assert "bodyText" in phrases["show-fields"][0]
    assert phrase_r.service == title_r.service == "guardian_api"


def test_recorded_answer_gives_dated_candidates_with_text() -> None:
    found, error = guardian_api.candidates(api_answer("guardian-api-q04-phrases.json"), "q")
    assert error is None and len(found) == 2
    kirby = next(c for c in found if "fair-game" in c.url)
    assert kirby.published == date(2024, 10, 23) and kirby.found_by == "guardian_api"
    assert kirby.text and "fair game" in kirby.text and kirby.title


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (403, b'{"message": "Invalid authentication credentials"}', "http_403"),
        (429, b'{"message": "API rate limit exceeded"}', "http_429"),
        (200, b'{"response": {"status": "ok", "results": [', "malformed_json"),
        (200, b'{"unexpected": true}', "malformed_json"),
        (200, b'{"response": {"status": "error", "message": "bad date"}}', "api_error"),
    ],
)
def test_api_errors_are_reasons_not_crashes(status: int, body: bytes, reason: str) -> None:
    failed = f"http_{status}" if status >= 400 else None
    response = ServiceResponse("https://api.test/search", status=status, body=body, reason=failed)
    found, error = guardian_api.candidates(response, "q")
    assert found == [] and error is not None and error.startswith(reason)
    if status == 403:
        assert "Invalid authentication" in error  # the API's own message is kept


# -- sitemaps and feeds --------------------------------------------------------------------


def test_news_titles_and_dates_survive_where_scrapy_flattens_them() -> None:
    url = "https://www.independent.co.uk/sitemaps/googlenews"
    body = recorded(url).body
    flattened = next(iter(Sitemap(body)))
    assert not flattened.get("title") and flattened.get("news") == ""  # Scrapy loses them
    parsed = sitemap.parse(body, url)
    assert parsed.kind == "urlset" and len(parsed.entries) >= 21
    cited = next(e for e in parsed.entries if e.url.endswith("nis-b2631234.html"))
    assert cited.published == date(2024, 10, 18) and cited.title and "3,000" in cited.title


def test_sitemap_index_children_outside_every_window_are_skipped() -> None:
    url = "https://www.independent.co.uk/sitemap.xml"
    parsed = sitemap.parse(recorded(url).body, url)
    assert parsed.kind == "index" and len(parsed.children) == 3
    kept = [c for c, m in parsed.children if sitemap.child_may_hold(c, m, [OCTOBER])]
    assert any("/2024/10/" in c for c in kept) and not any("/2022/06/" in c for c in kept)


def test_rss_feed_entries() -> None:
    url = "https://www.theguardian.com/newssitemap.xml"
    parsed = sitemap.parse(recorded(url).body, url)
    assert parsed.kind == "feed" and parsed.entries
    assert all(e.published == date(2024, 10, 23) and e.title for e in parsed.entries)


def test_atom_feed_and_garbage() -> None:
    atom = (
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>A story</title>'
        b'<link rel="alternate" href="/news/a-story"/><published>2024-10-20T10:00:00Z</published>'
        b"</entry></feed>"
    )
    parsed = sitemap.parse(atom, "https://news.test/feed")
    assert [(e.url, e.published) for e in parsed.entries] == [
        ("https://news.test/news/a-story", date(2024, 10, 20))
    ]
    assert sitemap.parse(b"<html><body>not a sitemap</body></html>", "x").kind == "unreadable"
    assert sitemap.parse(b"\x00\x01 binary", "x").kind == "unreadable"


def test_page_budget_and_window_bound_the_candidates() -> None:
    wanted = Wanted(1, "North Korean troops were sent to Russia for training", OCTOBER, "bbc")
    entries = [
        (
            sitemap.Entry(
                f"https://news.test/{i}", f"North Korean troops story {i}", date(2024, 10, 18)
            ),
            "s",
        )
        for i in range(30)
    ]
    entries.append(
        (
            sitemap.Entry(
                "https://news.test/old", "North Korean troops in Russia", date(2023, 1, 1)
            ),
            "s",
        )
    )
    entries.append(
        (
            sitemap.Entry(
                "https://news.test/unrelated", "Storm warning for the coast", date(2024, 10, 18)
            ),
            "s",
        )
    )
    found = sitemap.candidates_for(wanted, entries, budget=5)
    assert len(found) == 5
    assert all(c.published and OCTOBER.contains(c.published) for c in found)
    assert not {"https://news.test/old", "https://news.test/unrelated"} & {c.url for c in found}


# -- choosing --------------------------------------------------------------------------------


def _search(quote: str, *candidates: Candidate) -> Search:
    search = Search(Wanted(1, quote, OCTOBER))
    search.candidates.extend(candidates)
    return search


def test_a_near_miss_on_the_same_story_is_never_chosen() -> None:
    near_text = json.loads((FIXTURES / "pages/discovery/guardian-api-q04-phrases.json").read_text())
    near = next(r for r in near_text["response"]["results"] if "us-confirms" in r["webUrl"])
    candidate = Candidate(
        near["webUrl"], "guardian_api", "q", near["webTitle"], None, near["fields"]["bodyText"]
    )
    search = _search(KIRBY, candidate)
    assert choose(search) is None
    assert candidate.status in (None, "not_found") and candidate.note


def test_the_source_beats_the_near_miss_and_an_altered_source_is_chosen_as_altered() -> None:
    found, _ = guardian_api.candidates(api_answer("guardian-api-q04-phrases.json"), "q")
    search = _search(KIRBY, *found)
    chosen = choose(search)
    assert chosen is not None and "fair-game" in chosen.url and chosen.status == "verified"
    altered = KIRBY.replace("fair targets", "legitimate targets")
    search = _search(
        altered, *guardian_api.candidates(api_answer("guardian-api-q04-phrases.json"), "q")[0]
    )
    chosen = choose(search)
    assert chosen is not None and "fair-game" in chosen.url and chosen.status == "altered"


# -- the store ----------------------------------------------------------------------------


def test_store_finds_stored_snapshots_holding_the_quote(tmp_path: Path) -> None:
    from crawler.discovery import store
    from crawler.storage.db import make_engine, make_sessions, upgrade
    from crawler.storage.models import Snapshot, Source

    engine = make_engine(f"sqlite:///{tmp_path / 'store.db'}")
    upgrade(engine)
    sessions = make_sessions(engine)
    holding = "https://www.independent.co.uk/news/world/asia/kirby-b1.html"
    other = "https://www.theguardian.com/world/2024/oct/23/other"
    with sessions.begin() as session:
        for url, text, day in (
            (holding, f"Kirby spoke on Wednesday. {KIRBY} He took questions.", "2024-10-23"),
            (other, "North Korean troops were seen in Russia, officials said.", "2024-10-23"),
            ("https://www.bbc.com/news/articles/old", f"An old copy. {KIRBY}", "2019-01-01"),
        ):
            source = Source(url=url)
            session.add(source)
            session.flush()
            session.add(Snapshot(source_id=source.id, requested_url=url, main_text=text, date=day))
    with sessions() as session:
        found, query = store.candidates(session, Wanted(1, KIRBY, OCTOBER, speaker="John Kirby"))
        assert [c.url for c in found] == [holding]  # the old copy is outside the window
        assert found[0].found_by == "store" and found[0].text and query.count('"') >= 2
        at_bbc, _ = store.candidates(session, Wanted(1, KIRBY, OCTOBER, outlet="bbc"))
        assert at_bbc == []  # a quote the article gives the BBC is not found at the Independent
    engine.dispose()
