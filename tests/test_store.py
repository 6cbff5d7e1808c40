"""The storage API on SQLite and PostgreSQL: intake, due selection, history, changes."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from crawler.errors import InputError
from crawler.extraction.extract import Unreadable
from crawler.storage.history import (
    CONTENT_CHANGED,
    NO_SOURCE,
    PENDING,
    SOURCE_BACK,
    SOURCE_EDITED,
    SOURCE_GONE,
)
from crawler.storage.models import Article, Quote, Snapshot, Source, Verification
from crawler.storage.store import (
    add_article,
    add_verification,
    attach_source,
    due_by_source,
    due_quotes,
    get_or_create_source,
    latest_with_previous,
    quotes_without_source,
    record_snapshot,
    record_source_check,
    text_hash,
)
from tests.support import storage_data as data

Sessions = sessionmaker[Session]
T0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
MATCHER = "verify 0.1.0"


def count(session: Session, model: type) -> int:
    return session.execute(select(func.count()).select_from(model)).scalar_one()


def intake(sessions: Sessions) -> tuple[int, int]:
    with sessions.begin() as s:
        article, added = add_article(s, data.ARTICLE_URL, "Why quotes matter", "h1", data.QUOTES)
        return article.id, added


def quote_ids(sessions: Sessions) -> list[int]:
    with sessions() as s:
        return list(s.execute(select(Quote.id).order_by(Quote.position)).scalars())


def check(sessions: Sessions, quote_results, at: datetime, outcome=None):
    """Record one source check of the BBC source for (quote_id, result) pairs."""
    with sessions() as s:
        source_id = s.execute(select(Source.id)).scalar_one()
    return record_source_check(
        sessions,
        source_id,
        "https://www.bbc.com/news/articles/abc123",
        outcome if outcome is not None else data.page(),
        quote_results,
        MATCHER,
        final_url="https://www.bbc.com/news/articles/abc123",
        status_code=200,
        fetched_at=at,
    )


def test_article_and_quotes_round_trip(sessions: Sessions) -> None:
    article_id, added = intake(sessions)
    assert added == 3
    with sessions() as s:
        article = s.get_one(Article, article_id)
        assert (article.url, article.title, article.content_hash) == (
            data.ARTICLE_URL,
            "Why quotes matter",
            "h1",
        )
        assert article.added_at.tzinfo is not None
        first, second, third = article.quotes
        assert (first.text, first.kind, first.speaker, first.outlet) == (
            data.QUOTES[0].text,
            "inline",
            "The minister",
            "bbc",
        )
        assert first.cited_url == data.QUOTES[0].url  # as the article gave it
        assert first.cited_title == "Troops sent to border"
        assert first.text_hash == text_hash(data.QUOTES[0].text)
        # Both spellings of the BBC URL are one canonical source.
        assert first.source is not None and first.source is second.source
        assert first.source.url == "https://www.bbc.com/news/articles/abc123"
        assert first.source.outlet == "bbc"
        assert third.source is None and third.cited_url is None
        assert count(s, Source) == 1


def test_adding_the_same_article_twice_adds_nothing(sessions: Sessions) -> None:
    first_id, _ = intake(sessions)
    second_id, added = intake(sessions)
    assert (second_id, added) == (first_id, 0)
    with sessions() as s:
        assert (count(s, Article), count(s, Quote), count(s, Source)) == (1, 3, 1)
    # An edited quote at the same place is a new quote; the old one keeps its history.
    edited = [
        *data.QUOTES[:2],
        data.QUOTES[2].__class__(text="A new sentence here", kind="inline", position=900),
    ]
    with sessions.begin() as s:
        _, added = add_article(s, data.ARTICLE_URL, "Why quotes matter", "h2", edited)
        assert added == 1
        assert s.execute(select(Article.content_hash)).scalar_one() == "h2"
    with sessions() as s:
        assert count(s, Quote) == 4


def test_due_selection(sessions: Sessions) -> None:
    intake(sessions)
    q1, q2, q3 = quote_ids(sessions)
    with sessions() as s:
        due = due_quotes(s, timedelta(days=1), now=T0)
        assert [q.id for q in due] == [q1, q2]  # q3 has no source: never due
        assert [q.id for q in quotes_without_source(s)] == [q3]
        grouped = due_by_source(s, timedelta(days=1), now=T0)
        assert [[q.id for q in qs] for qs in grouped.values()] == [[q1, q2]]
    check(sessions, [(q1, data.verified())], at=T0)
    with sessions() as s:
        # q1 was just checked; q2 never was.
        assert [q.id for q in due_quotes(s, timedelta(days=1), now=T0 + timedelta(hours=1))] == [q2]
        # Once recheck_after has passed, q1 is due again.
        later = T0 + timedelta(days=1, seconds=1)
        assert [q.id for q in due_quotes(s, timedelta(days=1), now=later)] == [q1, q2]


def test_due_quotes_come_with_their_sources_in_one_query(sessions: Sessions) -> None:
    intake(sessions)
    statements: list[str] = []
    with sessions() as s:
        bind = s.get_bind()
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(bind, "before_cursor_execute", listen)
        try:
            grouped = due_by_source(s, timedelta(days=1), now=T0)
            urls = [source.url for source in grouped]
        finally:
            event.remove(bind, "before_cursor_execute", listen)
    assert urls and len(statements) == 1, statements


def test_attach_source_makes_a_quote_due(sessions: Sessions) -> None:
    intake(sessions)
    q3 = quote_ids(sessions)[2]
    with sessions.begin() as s:
        quote = s.get_one(Quote, q3)
        source = attach_source(s, quote, "https://www.theguardian.com/world/x", "guardian")
        assert source.outlet == "guardian"
    with sessions() as s:
        assert q3 in [q.id for q in due_quotes(s, timedelta(days=1), now=T0)]
        assert quotes_without_source(s) == []


def test_every_check_is_a_new_row_with_its_evidence(sessions: Sessions) -> None:
    intake(sessions)
    q1, q2, _ = quote_ids(sessions)
    first = check(sessions, [(q1, data.verified()), (q2, data.altered_number())], at=T0)
    assert len(first.verification_ids) == 2 and not first.content_changed
    edited = data.SOURCE_TEXT.replace("Tuesday", "Wednesday")
    second = check(
        sessions,
        [(q1, data.verified(edited))],
        at=T0 + timedelta(days=2),
        outcome=data.page(edited),
    )
    assert second.content_changed  # the main text differs from the last snapshot
    with sessions() as s:
        assert count(s, Snapshot) == 2
        rows = s.execute(
            select(Verification).where(Verification.quote_id == q1).order_by(Verification.id)
        ).scalars()
        assert [(v.status, v.checked_at) for v in rows] == [
            ("verified", T0),
            ("verified", T0 + timedelta(days=2)),
        ]
        altered = s.execute(select(Verification).where(Verification.quote_id == q2)).scalar_one()
        assert altered.status == "altered" and altered.score == 96.0
        expected = data.altered_number()
        assert altered.match_start == expected.match.start
        assert altered.match_location == "main_text"
        assert altered.changes == [c.to_dict() for c in expected.changes]
        snap = altered.snapshot
        assert snap is not None and snap.main_text == data.SOURCE_TEXT
        assert (snap.extractor, snap.extractor_version, snap.status_code) == (
            "trafilatura",
            "2.3.1",
            200,
        )
        assert snap.content_hash == text_hash(data.SOURCE_TEXT)


def test_an_unreadable_fetch_is_a_snapshot_with_its_reason(sessions: Sessions) -> None:
    intake(sessions)
    q1 = quote_ids(sessions)[0]
    gone = Unreadable("http_404", "the server answered 404")
    result = check(sessions, [(q1, data.unavailable())], at=T0, outcome=gone)
    assert not result.content_changed
    with sessions() as s:
        snap = s.get_one(Snapshot, result.snapshot_id)
        assert (snap.unavailable_reason, snap.unavailable_detail) == ("http_404", gone.detail)
        assert snap.main_text is None and snap.content_hash is None
        v = s.execute(select(Verification)).scalar_one()
        assert (v.status, v.reason, v.match_start) == ("unavailable", "http_404", None)


def test_a_source_check_is_all_or_nothing(sessions: Sessions) -> None:
    intake(sessions)
    q1 = quote_ids(sessions)[0]
    missing_quote = 10_000  # no such quote: the foreign key refuses the second verdict
    with pytest.raises(IntegrityError):
        check(sessions, [(q1, data.verified()), (missing_quote, data.verified())], at=T0)
    with sessions() as s:
        assert (count(s, Snapshot), count(s, Verification)) == (0, 0)


def test_a_retried_write_adds_nothing(sessions: Sessions) -> None:
    intake(sessions)
    q1 = quote_ids(sessions)[0]
    with sessions.begin() as s:
        source = s.execute(select(Source)).scalar_one()
        snapshot, _ = record_snapshot(s, source, source.url, data.page(), fetched_at=T0)
        assert add_verification(s, q1, snapshot, data.verified(), MATCHER) is not None
        assert add_verification(s, q1, snapshot, data.verified(), MATCHER) is None
        # A new matcher version on the same snapshot is a new check.
        assert add_verification(s, q1, snapshot, data.verified(), "verify 0.2.0") is not None
    with sessions() as s:
        assert count(s, Verification) == 2


def test_naive_times_are_refused(sessions: Sessions) -> None:
    intake(sessions)
    q1 = quote_ids(sessions)[0]
    with pytest.raises(Exception, match="naive datetime"):
        check(sessions, [(q1, data.verified())], at=datetime(2026, 1, 5, 9, 0))


def states_by_quote(sessions: Sessions) -> dict[int, object]:
    with sessions() as s:
        return {state.quote.id: state for state in latest_with_previous(s)}


def test_change_detection_across_runs(sessions: Sessions) -> None:
    intake(sessions)
    q1, q2, q3 = quote_ids(sessions)
    states = states_by_quote(sessions)
    assert (states[q1].status, states[q3].status) == (PENDING, NO_SOURCE)

    check(sessions, [(q1, data.verified()), (q2, data.altered_number())], at=T0)
    states = states_by_quote(sessions)
    assert states[q1].status == "verified" and states[q1].changes == ()
    assert states[q1].previous is None

    # Run 2: the source was edited; the quote is no longer in it.
    edited = data.SOURCE_TEXT.replace("3,000 troops", "a few troops")
    day = timedelta(days=1)
    check(
        sessions,
        [(q1, data.not_found()), (q2, data.not_found())],
        at=T0 + day,
        outcome=data.page(edited),
    )
    states = states_by_quote(sessions)
    assert states[q1].changes == (SOURCE_EDITED, CONTENT_CHANGED)
    assert states[q1].previous.status == "verified"
    assert states[q2].changes[0] == "verdict_changed"
    assert "altered → not_found" in states[q2].describe_changes()[0]

    # Run 3: the source is gone.
    gone = Unreadable("http_410", "gone")
    check(sessions, [(q1, data.unavailable("http_410"))], at=T0 + 2 * day, outcome=gone)
    states = states_by_quote(sessions)
    assert states[q1].changes == (SOURCE_GONE,)
    assert states[q1].current.reason == "http_410"

    # Run 4: it is back, unchanged since run 2.
    check(sessions, [(q1, data.not_found())], at=T0 + 3 * day, outcome=data.page(edited))
    assert states_by_quote(sessions)[q1].changes == (SOURCE_BACK,)
    with sessions() as s:
        assert count(s, Verification) == 6  # history: nothing was overwritten


def test_concurrent_writers_create_one_row_each(sessions: Sessions) -> None:
    """Several threads (each its own connection) add the same article and source."""
    workers = 4
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []
    added: list[int] = []

    def work() -> None:
        try:
            barrier.wait(timeout=10)
            with sessions.begin() as s:
                get_or_create_source(s, "https://www.theguardian.com/world/shared", "guardian")
                _, n = add_article(s, data.ARTICLE_URL, "Why quotes matter", "h1", data.QUOTES)
                added.append(n)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    assert sorted(added) == [0] * (workers - 1) + [3]
    with sessions() as s:
        assert (count(s, Article), count(s, Quote), count(s, Source)) == (1, 3, 2)


def test_a_url_too_long_to_index_is_an_input_error(sessions: Sessions) -> None:
    long_url = "https://example.org/" + "a" * 2100
    quote = data.QUOTES[0].__class__(text="some words", kind="inline", position=1)
    with pytest.raises(InputError, match="longer than 2048"), sessions.begin() as s:
        add_article(s, long_url, None, None, [quote])  # the article's own key
    with sessions() as s:
        assert count(s, Article) == 0  # the whole intake rolled back
    # a quote's cited URL that long costs that quote its source, not the article (#15)
    cited = data.QUOTES[0].__class__(text="some words", kind="inline", position=1, url=long_url)
    with sessions.begin() as s:
        add_article(s, data.ARTICLE_URL, None, None, [cited])
    with sessions() as s:
        assert count(s, Article) == 1


def test_a_source_known_without_its_outlet_gets_it_from_its_first_fetch(
    sessions: Sessions,
) -> None:
    url = "https://www.independent.co.uk/known-b2.html"
    with sessions.begin() as s:
        known = get_or_create_source(s, url).id
    for outlet in ("independent", "generic"):  # filled in once, never overwritten
        record_source_check(sessions, url, url, data.page(), [], MATCHER, outlet=outlet)
    with sessions() as s:
        assert s.get_one(Source, known).outlet == "independent"


def test_a_source_check_can_name_its_source_by_url(sessions: Sessions) -> None:
    intake(sessions)
    q1 = quote_ids(sessions)[0]
    by_url = record_source_check(
        sessions, data.BBC_URL, data.BBC_URL, data.page(), [(q1, data.verified())], MATCHER
    )
    fresh = record_source_check(
        sessions,
        "https://www.independent.co.uk/x-b1.html",
        "https://www.independent.co.uk/x-b1.html",
        data.page(),
        [],
        MATCHER,
        outlet="independent",
    )
    with sessions() as s:
        bbc = s.get_one(Snapshot, by_url.snapshot_id).source
        assert bbc.url == data.BBC_URL and count(s, Verification) == 1
        new = s.get_one(Snapshot, fresh.snapshot_id).source
        assert (new.outlet, count(s, Source)) == ("independent", 2)
