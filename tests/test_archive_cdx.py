"""crawler/archive: CDX answers, the choice of capture, addresses, dates and history (pure)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from types import SimpleNamespace
from urllib.parse import parse_qs, urlsplit

import pytest

from crawler.archive.cdx import (
    Capture,
    CdxError,
    cdx_query_url,
    choose_capture,
    parse_cdx,
    raw_capture_url,
)
from crawler.archive.citing import cited_on_for
from crawler.dates import parse_date
from crawler.errors import InputError
from crawler.storage.history import (
    ARCHIVE_FALLBACK,
    CONTENT_CHANGED,
    EDITED_SINCE_CITATION,
    SOURCE_EDITED,
    SOURCE_GONE,
    what_changed,
)
from tests.support.cli_run import FIXTURES
from verify.cues import published_in_html

URL = "https://www.independent.co.uk/news/world/x-b1.html"
HEADER = ["timestamp", "original", "statuscode", "mimetype", "digest", "length"]


def answer(*rows: list[str], header: list[str] = HEADER) -> str:
    return json.dumps([header, *rows])


def test_cdx_answer_is_read_by_its_header_row() -> None:
    assert parse_cdx(answer(["not-a-time", URL, "200", "text/html", "D", "1"])) == []
    reordered = json.dumps([["original", "timestamp"], [URL, "20241030081544"]])
    (capture,) = parse_cdx(reordered)
    assert (capture.timestamp, capture.original) == ("20241030081544", URL)
    assert capture.captured_at == datetime(2024, 10, 30, 8, 15, 44, tzinfo=UTC)


def test_cdx_answer_keeps_only_successful_captures_and_reads_empty_answers() -> None:
    body = answer(
        ["20241030081544", URL, "200", "text/html", "AAA", "100"],
        ["20241031000000", URL, "404", "text/html", "BBB", "100"],
    )
    assert [c.digest for c in parse_cdx(body.encode())] == ["AAA"]
    assert parse_cdx("[]") == [] and parse_cdx("") == [] and parse_cdx(answer()) == []
    with pytest.raises(CdxError):
        parse_cdx("<html>not json</html>")
    with pytest.raises(CdxError):
        parse_cdx(json.dumps([["a", "b"], ["1", "2"]]))


def cap(ts: str, mimetype: str = "text/html") -> Capture:
    return Capture(ts, URL, "200", mimetype)


def test_the_capture_closest_before_the_citing_date_is_chosen() -> None:
    captures = [cap("20230101000000"), cap("20241030081544"), cap("20241106000000")]
    assert choose_capture(captures, date(2024, 11, 5)).timestamp == "20241030081544"
    # The citing day itself counts as before (a capture later that day is what was read).
    assert choose_capture(captures, date(2024, 10, 30)).timestamp == "20241030081544"


def test_a_later_capture_stands_in_only_when_none_is_before() -> None:
    captures = [cap("20250301000000"), cap("20241201000000")]
    assert choose_capture(captures, date(2024, 11, 5)).timestamp == "20241201000000"
    assert choose_capture(captures, None).timestamp == "20250301000000"  # no date: newest
    assert choose_capture([], date(2024, 11, 5)) is None
    assert choose_capture([cap("20241001000000", "application/pdf")], None) is None


def test_query_and_capture_addresses() -> None:
    query = urlsplit(cdx_query_url("http://cdx.test/cdx/search/cdx", URL, date(2024, 11, 5)))
    params = parse_qs(query.query)
    assert params["url"] == [URL] and params["output"] == ["json"]
    assert params["filter"] == ["statuscode:200"]
    assert "timestamp" in params["fl"][0] and "original" in params["fl"][0]
    assert params["from"][0] < "20241105" < params["to"][0] + "9999"
    assert params["collapse"] == ["timestamp:8"]
    assert int(params["limit"][0]) > 0
    newest = parse_qs(urlsplit(cdx_query_url("http://c/cdx", URL, None)).query)
    assert int(newest["limit"][0]) < 0 and "from" not in newest
    raw = raw_capture_url("https://web.archive.org/web", cap("20241030081544"))
    assert raw == f"https://web.archive.org/web/20241030081544id_/{URL}"


def test_citing_date_from_the_article_and_bad_dates() -> None:
    html = (FIXTURES / "pages" / "citing-article-archive.html").read_text(encoding="utf-8")
    assert published_in_html(html) == date(2024, 11, 5)
    assert published_in_html("<html><body><p>no date</p></body></html>") is None
    stored = SimpleNamespace(article=SimpleNamespace(published_at=date(2024, 1, 2)))
    assert cited_on_for(stored, date(2024, 11, 5)) == date(2024, 1, 2)
    assert cited_on_for(SimpleNamespace(article=None), date(2024, 11, 5)) == date(2024, 11, 5)
    assert parse_date("2024-10-18") == date(2024, 10, 18)
    with pytest.raises(InputError):
        parse_date("18/10/2024")


def verification(status: str, origin: str = "live", reason: str | None = None, **kw: object):
    snapshot = SimpleNamespace(origin=origin, content_hash=kw.pop("content_hash", None))
    return SimpleNamespace(
        status=status, reason=reason, snapshot=snapshot, findings=kw.pop("findings", None)
    )


def test_history_tells_a_live_edit_from_an_archive_fallback() -> None:
    live_ok = verification("verified", content_hash="a")
    # The live page went; the quote is verified in the capture: gone, not "unchanged".
    archived = verification("verified", "archive", "http_404", content_hash="b")
    assert what_changed(archived, live_ok) == (SOURCE_GONE, ARCHIVE_FALLBACK)
    # A live edit stays a live edit, with its content change.
    edited = verification("altered", content_hash="c")
    assert what_changed(edited, live_ok) == (SOURCE_EDITED, CONTENT_CHANGED)
    # Verified in an archived copy before, altered live now: not called an edit.
    assert SOURCE_EDITED not in what_changed(edited, archived)
    finding = {"code": EDITED_SINCE_CITATION}
    stealth = verification("altered", content_hash="c", findings=[finding])
    assert what_changed(stealth, None) == (EDITED_SINCE_CITATION,)
