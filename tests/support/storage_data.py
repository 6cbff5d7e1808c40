"""Test data built in code for the storage and report tests (no publisher's text)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.extraction.extract import Page, Unreadable
from crawler.reporting.report import build_report
from crawler.reporting.rows import ReportRow
from crawler.storage.db import make_engine, make_sessions, upgrade
from crawler.storage.models import Quote, Source
from crawler.storage.store import add_article, record_source_check
from verify.intake import Quotation
from verify.types import Change, Location, Match, Result, Status

ARTICLE_URL = "https://example.org/opinion/why-quotes-matter"
BBC_URL = "https://www.bbc.com/news/articles/abc123"

SOURCE_TEXT = (
    "The minister spoke to reporters on Tuesday morning. "
    "We have sent around 3,000 troops to the border and they are ready, she said. "
    "Officials declined to say when the troops would move. " * 3
)

QUOTES = [
    Quotation(
        text="We have sent around 3,000 troops to the border",
        kind="inline",
        position=120,
        speaker="The minister",
        outlet="bbc",
        url="https://www.BBC.com/news/articles/abc123#top",
        title="Troops sent to border",
    ),
    Quotation(
        text="We have sent around 5,000 troops to the border",
        kind="block",
        position=480,
        speaker="The minister",
        outlet="bbc",
        url="https://www.bbc.com/news/articles/abc123",
    ),
    Quotation(
        text="We're not going to stand by and let this happen",
        kind="inline",
        position=900,
        speaker="An official",
        outlet=None,
        url=None,
    ),
]


def page(text: str = SOURCE_TEXT, title: str = "Troops sent to border") -> Page:
    return Page(
        text=text,
        full_text="Menu Home News\n" + text + "\nCookie settings",
        title=title,
        author="A Reporter",
        date="2024-11-05",
        sitename="BBC News",
        extractor="trafilatura 2.3.1",
    )


def verified(text: str = SOURCE_TEXT) -> Result:
    quote = QUOTES[0].text
    start = text.index(quote)
    return Result(
        status=Status.VERIFIED,
        score=100.0,
        match=Match(text=quote, start=start, end=start + len(quote)),
    )


def altered_number(text: str = SOURCE_TEXT) -> Result:
    """Quote 2 says 5,000 where the source says 3,000: with placed offsets."""
    source_words = "We have sent around 3,000 troops to the border"
    start = text.index(source_words)
    number_at = start + source_words.index("3,000")
    return Result(
        status=Status.ALTERED,
        score=96.0,
        match=Match(text=source_words, start=start, end=start + len(source_words)),
        changes=(
            Change(
                op="replace",
                quote="5,000",
                source="3,000",
                flags=("number",),
                start=number_at,
                end=number_at + 5,
            ),
        ),
    )


def not_found() -> Result:
    return Result(status=Status.NOT_FOUND, score=41.0)


def unavailable(reason: str = "http_404") -> Result:
    return Result.unavailable(reason)


def page_location_result(text: str) -> Result:
    """A verdict found only in the page text (location ``page``)."""
    quote = QUOTES[0].text
    start = text.index(quote)
    return Result(
        status=Status.VERIFIED,
        score=100.0,
        match=Match(text=quote, start=start, end=start + len(quote), location=Location.PAGE),
    )


# --- a whole stored history, for the report tests ------------------------------------------

SCRIPT_QUOTE = "We will <script>document.body.setAttribute('data-pwned','1')</script> win this"
GUARDIAN_URL = "https://www.theguardian.com/world/2024/nov/05/example"
MATCHER = "verify 0.1.0"


def populate(sessions: sessionmaker[Session]) -> dict[str, int]:
    """Two runs over one article: verified, altered, edited away, gone, no source, hostile.

    Returns the quote ids by name.
    """
    quotes = [
        *QUOTES,
        Quotation(
            text="Officials declined to say when the troops would move",
            kind="inline",
            position=1300,
            outlet="bbc",
            url="https://www.bbc.com/news/articles/abc123",
        ),
        Quotation(
            text=SCRIPT_QUOTE,
            kind="block",
            position=1600,
            speaker='<img src=x onerror="alert(1)">',
            outlet="guardian",
            url=GUARDIAN_URL,
        ),
    ]
    with sessions.begin() as s:
        add_article(s, ARTICLE_URL, "Why quotes <matter>", "h1", quotes)
        ids = dict(
            zip(
                ("q1", "q2", "no_source", "edited", "hostile"),
                s.execute(select(Quote.id).order_by(Quote.position)).scalars(),
                strict=True,
            )
        )
        bbc = s.execute(select(Source.id).where(Source.outlet == "bbc")).scalar_one()
        guardian = s.execute(select(Source.id).where(Source.outlet == "guardian")).scalar_one()
    t0 = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    sentence = "Officials declined to say when the troops would move"
    start = SOURCE_TEXT.index(sentence)
    edited_verified = Result(
        status=Status.VERIFIED,
        score=100.0,
        match=Match(text=sentence, start=start, end=start + len(sentence)),
    )
    run = [
        (ids["q1"], verified()),
        (ids["q2"], altered_number()),
        (ids["edited"], edited_verified),
    ]
    record_source_check(sessions, bbc, BBC_URL, page(), run, MATCHER, fetched_at=t0)
    record_source_check(
        sessions,
        guardian,
        GUARDIAN_URL,
        page(),
        [(ids["hostile"], not_found())],
        MATCHER,
        fetched_at=t0,
    )
    # Run 2, a day later: the BBC piece lost a sentence; the Guardian piece is gone.
    later = t0 + timedelta(days=1)
    edited_text = SOURCE_TEXT.replace(sentence + ". ", "")
    run = [
        (ids["q1"], verified(edited_text)),
        (ids["q2"], altered_number(edited_text)),
        (ids["edited"], not_found()),
    ]
    record_source_check(
        sessions,
        bbc,
        BBC_URL,
        page(edited_text),
        run,
        MATCHER,
        fetched_at=later,
        status_code=200,
    )
    gone = Unreadable("http_404", "the server answered 404 Not Found")
    record_source_check(
        sessions,
        guardian,
        GUARDIAN_URL,
        gone,
        [(ids["hostile"], unavailable())],
        MATCHER,
        fetched_at=later,
        status_code=404,
    )
    return ids


def report_db(path: Path) -> Path:
    """A migrated SQLite database at ``path`` holding :func:`populate`'s rows."""
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    populate(make_sessions(engine))
    engine.dispose()
    return path


def report_rows(path: Path) -> list[ReportRow]:
    """The report rows ``build_report`` gives for the database at ``path``."""
    engine = make_engine(f"sqlite:///{path}")
    try:
        with sessionmaker(engine)() as session:
            return build_report(session)
    finally:
        engine.dispose()
