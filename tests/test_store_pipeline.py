"""Page reading, the engine, storage and the report together, on a page built here."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from crawler.extraction.extract import Unreadable, read_html
from crawler.reporting.html import render_html
from crawler.reporting.report import build_report
from crawler.storage.models import utcnow
from crawler.storage.store import (
    add_article,
    due_by_source,
    matcher_version,
    record_source_check,
)
from verify import Result, check_quote
from verify.intake import Quotation

PARAGRAPHS = [
    "The harbour authority said on Monday that the northern pier would close for repairs.",
    "Engineers found that twelve of the wooden piles had rotted below the waterline.",
    "The work is expected to take four months and will cost the town about 2.1 million euros.",
    "Fishing boats will moor at the southern quay until the pier reopens in the spring.",
]
HTML = (
    "<html><head><title>Pier to close for repairs</title></head><body>"
    "<nav>Home | Local | Weather</nav><article><h1>Pier to close for repairs</h1>"
    + "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    + "</article><footer>Contact us</footer></body></html>"
)
EXACT = "twelve of the wooden piles had rotted below the waterline"
INVENTED = "the mayor promised that no public money would ever be spent on the pier"


def test_read_verify_store_report(sessions: sessionmaker[Session]) -> None:
    pier = "https://news.example.org/local/pier-to-close"
    dead = "https://news.example.org/local/gone"
    quotes = [
        Quotation(text=EXACT, kind="inline", position=10, url=pier, outlet=None),
        Quotation(text=INVENTED, kind="inline", position=20, url=pier),
        Quotation(
            text="fishing boats will moor at the southern quay", kind="block", position=30, url=dead
        ),
    ]
    with sessions.begin() as s:
        add_article(s, "/tmp/article.txt", "Letters", None, quotes)
    with sessions() as s:
        due = due_by_source(s, timedelta(days=1))
        plan = [(src.id, src.url, [(q.id, q.text) for q in qs]) for src, qs in due.items()]
    assert [url for _, url, _ in plan] == [pier, dead]

    page = read_html(HTML, url=pier)
    source_id, url, pier_quotes = plan[0]
    results = [(qid, check_quote(text, page.text, page.page_text)) for qid, text in pier_quotes]
    assert [str(r.status) for _, r in results] == ["verified", "not_found"]
    stored = record_source_check(
        sessions, source_id, url, page, results, matcher_version(), status_code=200
    )
    assert len(stored.verification_ids) == 2

    with pytest.raises(Unreadable) as wall:
        read_html(
            "<html><body><p>We use cookies. Accept all or manage preferences.</p></body></html>"
        )
    source_id, url, dead_quotes = plan[1]
    record_source_check(
        sessions,
        source_id,
        url,
        wall.value,
        [(qid, Result.unavailable(wall.value.reason)) for qid, _ in dead_quotes],
        matcher_version(),
    )
    with sessions() as s:
        rows = build_report(s)
    by_text = {r.quote: r for r in rows}
    exact = by_text[EXACT]
    assert exact.status == "verified"
    assert exact.evidence is not None and exact.match is not None and exact.match.text
    matched = "".join(t for k, t in exact.evidence if k == "equal")
    assert matched.casefold() == EXACT.casefold() == exact.match.text.casefold()
    assert by_text[INVENTED].status == "not_found" and by_text[INVENTED].evidence is None
    wall_row = by_text["fishing boats will moor at the southern quay"]
    assert (wall_row.status, wall_row.reason) == ("unavailable", "consent_wall")
    page_html = render_html(rows, utcnow())
    assert "Could not be read: consent_wall" in page_html
