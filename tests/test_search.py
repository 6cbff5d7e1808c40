"""Searching every stored snapshot (crawler/storage/search.py) on SQLite and PostgreSQL:
the same hits on both, kept current as snapshots are stored and deleted."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import URL
from sqlalchemy.orm import Session, sessionmaker

from crawler.extraction.extract import Page, Unreadable
from crawler.storage.db import make_engine, make_sessions, upgrade
from crawler.storage.models import Snapshot, Source
from crawler.storage.search import elsewhere, find_snapshots, quote_shingles, rebuild_index
from crawler.storage.store import record_source_check

Sessions = sessionmaker[Session]
T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)

# Invented prose (no outlet's text): three pages share one sentence, one changes a number.
QUOTE = "The harbour board agreed to spend 40 million pounds on the northern sea wall"
FILLER = (
    "Residents of the coastal town gathered in the library on Tuesday evening. "
    "Several fishermen said the winter storms had already flooded the market twice. "
)
WIRE = f"{FILLER}{QUOTE}, officials said after a long meeting. The work starts in spring."
COPY = f"Council news in brief. {QUOTE}. A spokesman declined to give a start date."
ALTERED = f"{FILLER}The harbour board agreed to spend 14 million pounds on the northern sea wall."
OTHER = "A bakery on the high street won a national prize for its rye bread this week."


def store(sessions: Sessions, url: str, text: str | None, at: datetime, outlet: str) -> int:
    outcome = Page(text, title=f"Page at {url}") if text else Unreadable("http_404")
    check = record_source_check(
        sessions, url, url, outcome, [], "verify test", fetched_at=at, outlet=outlet
    )
    return check.snapshot_id


def populate(sessions: Sessions) -> None:
    store(sessions, "https://copy.example/brief", COPY, T0 + timedelta(days=3), "copy")
    store(sessions, "https://wire.example/story", WIRE, T0, "wire")
    store(sessions, "https://wire.example/story", WIRE, T0 + timedelta(days=5), "wire")
    store(sessions, "https://altered.example/a", ALTERED, T0 + timedelta(days=1), "altered")
    store(sessions, "https://bakery.example/rye", OTHER, T0, "bakery")
    store(sessions, "https://gone.example/x", None, T0, "gone")


def summary(sessions: Sessions, quote: str, limit: int = 10) -> list[tuple]:
    with sessions() as session:
        hits = find_snapshots(session, quote, limit)
    return [
        (h.url, h.outlet, str(h.result.status), h.first_seen, h.snapshot_at, h.snapshots)
        for h in hits
    ]


def test_find_ranks_verified_then_altered_with_first_seen(sessions: Sessions) -> None:
    populate(sessions)
    assert summary(sessions, QUOTE) == [
        # verified first, earliest first among them; the wire story was stored twice
        ("https://wire.example/story", "wire", "verified", T0, T0 + timedelta(days=5), 2),
        ("https://copy.example/brief", "copy", "verified", *[T0 + timedelta(days=3)] * 2, 1),
        ("https://altered.example/a", "altered", "altered", *[T0 + timedelta(days=1)] * 2, 1),
    ]
    with sessions() as session:
        altered = find_snapshots(session, QUOTE)[-1]
    assert [(c.source, c.quote) for c in altered.result.changes] == [("14", "40")]
    assert "number" in altered.result.changes[0].flags
    assert altered.to_dict()["changes"][0]["flags"] == ["number"]


def test_an_altered_quote_finds_its_source_and_nothing_finds_an_absent_one(
    sessions: Sessions,
) -> None:
    populate(sessions)
    # one changed word in an eight-word quote: the source is still found, as altered
    rows = summary(sessions, "Several fishermen said the summer storms had already flooded")
    assert {(url, status) for url, _, status, *_ in rows} == {
        ("https://wire.example/story", "altered"),
        ("https://altered.example/a", "altered"),
    }
    assert summary(sessions, "The mayor promised free parking for every visitor") == []
    assert summary(sessions, "sea wall") == []  # too short to mean anything
    assert summary(sessions, QUOTE, limit=1)[0][0] == "https://wire.example/story"


def test_a_new_snapshot_is_findable_at_once_and_a_deleted_one_is_gone(
    sessions: Sessions,
) -> None:
    populate(sessions)
    quote = "a national prize for its rye bread"
    new_id = store(sessions, "https://rye.example/new", f"Also: {OTHER}", T0, "rye")
    assert {r[0] for r in summary(sessions, quote)} == {
        "https://bakery.example/rye",
        "https://rye.example/new",
    }
    with sessions.begin() as session:
        session.execute(delete(Snapshot).where(Snapshot.id == new_id))
    assert [r[0] for r in summary(sessions, quote)] == ["https://bakery.example/rye"]
    with sessions.begin() as session:  # a deleted source takes its snapshots along
        session.execute(delete(Source).where(Source.url == "https://bakery.example/rye"))
    assert summary(sessions, quote) == []
    # a snapshot stored after the deletions (SQLite may reuse the id) is found for its own text
    store(sessions, "https://later.example/p", "Nothing about bread at all here.", T0, "x")
    assert summary(sessions, quote) == []
    assert [r[0] for r in summary(sessions, "Nothing about bread at all")] == [
        "https://later.example/p"
    ]


def test_rebuild_indexes_snapshots_stored_before_the_index(sessions: Sessions) -> None:
    populate(sessions)
    with sessions.begin() as session:
        session.execute(
            insert(Snapshot).values(
                source_id=session.scalar(select(Source.id).where(Source.outlet == "bakery")),
                requested_url="https://bakery.example/rye",
                fetched_at=T0 - timedelta(days=9),
                content_hash="old",
                main_text="An older page said the ovens were lit before dawn every day.",
            )
        )
    quote = "the ovens were lit before dawn"
    assert summary(sessions, quote) == []  # written around the storage API: not indexed
    with sessions.begin() as session:
        assert rebuild_index(session) == 6  # every snapshot with text (not the 404)
    assert [r[0] for r in summary(sessions, quote)] == ["https://bakery.example/rye"]
    assert len(summary(sessions, QUOTE)) == 3  # the rest as before


def test_sqlite_and_postgresql_give_the_same_hits(tmp_path: Path, postgres_url: URL) -> None:
    results = []
    for url in (f"sqlite:///{tmp_path / 'same.db'}", postgres_url):
        engine = make_engine(url)
        upgrade(engine)
        with engine.begin() as conn:  # the session-wide PostgreSQL database may hold rows
            conn.exec_driver_sql("DELETE FROM sources")
        sessions = make_sessions(engine)
        populate(sessions)
        with sessions() as session:
            found = [
                {k: v for k, v in h.to_dict().items() if k != "snapshot_id"}
                for quote in (QUOTE, "storms had already flooded the market", OTHER)
                for h in find_snapshots(session, quote)
            ]
        results.append(found)
        engine.dispose()
    assert results[0] == results[1]
    assert len(results[0]) == 3 + 2 + 1


def test_quote_shingles_fold_typography() -> None:
    plain = quote_shingles("Ukraine's army said 3,000 troops")
    assert plain == quote_shingles("UKRAINE’S  army — said 3000 troops")
    assert len(plain) == 3
    changed = quote_shingles("Ukraine's army said 3,500 troops")
    assert changed[0] == plain[0] and not set(changed[1:]) & set(plain)  # a number is a word


def test_elsewhere_leaves_out_the_cited_page(sessions: Sessions) -> None:
    populate(sessions)
    with sessions() as session:
        found = elsewhere(session, QUOTE, ["https://wire.example/story", None])
        assert [h.url for h in found.hits] == [
            "https://copy.example/brief",
            "https://altered.example/a",
        ]
        assert found.describe().startswith(
            "not in the cited page; found verbatim in 1 other stored page(s) and altered in 1,"
            " earliest https://copy.example/brief"
        )
        nowhere = elsewhere(session, "The mayor promised free parking for every visitor")
        assert nowhere.describe() == "not in the cited page, nor in any other stored page"
        short = elsewhere(session, "sea wall")
        assert not short.searched and "too short" in short.describe()
