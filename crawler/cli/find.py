"""``sourcecheck find`` and ``sourcecheck index rebuild``: where else does a quote appear?"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import click
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from crawler.cli.db import db_option
from crawler.errors import InputError
from crawler.reporting.render import render_result
from crawler.storage import db as dbmod
from crawler.storage.models import Quote, Snapshot, Source, Verification
from crawler.storage.search import Elsewhere, Hit, elsewhere, find_snapshots, rebuild_index
from verify import Result, Status

DEFAULT_LIMIT = 10


@contextmanager
def open_for_reading(db_url: str | None) -> Iterator[sessionmaker[Session]]:
    """Sessions on an existing database at the newest schema; never creates or upgrades
    one (a search only reads)."""
    url = dbmod.resolve_url(db_url)
    if dbmod.is_sqlite_file(url) and not Path(url.database or "").exists():
        raise InputError(f"no database at {url.database}")
    engine = dbmod.make_engine(url)
    shown = dbmod.describe(engine)
    try:
        with dbmod.database_errors(engine):
            current = dbmod.current_revision(engine)
        if current is None:
            raise InputError(f"no database at {shown} (no sourcecheck schema in it)")
        if current != dbmod.head_revision(engine):
            raise InputError(
                f"the database {shown} has no search index yet: "
                f"run `sourcecheck index rebuild --db {shown}` first"
            )
        yield dbmod.make_sessions(engine)
    finally:
        engine.dispose()


class WhereElse:
    """For ``check --db``: where else the store holds a quote its cited page does not.
    Opens the store (read only) at the first not_found, once."""

    def __init__(self, db_url: str | None) -> None:
        self.db_url = db_url
        self._stack = ExitStack()
        self._session: Session | None = None

    def __enter__(self) -> WhereElse:
        return self

    def __exit__(self, *exc: object) -> None:
        self._stack.close()

    def lookup(self, quote: str, source: str, result: Result) -> Elsewhere | None:
        if self.db_url is None or result.status is not Status.NOT_FOUND:
            return None
        if self._session is None:
            sessions = self._stack.enter_context(open_for_reading(self.db_url))
            self._session = self._stack.enter_context(sessions())
        from spiders.registry import canonical_url  # the crawl stores sources by it

        cited = [source]
        if "://" in source:
            cited.append(canonical_url(source))
        return elsewhere(self._session, quote, cited)


def not_found_elsewhere(db_url: str | None, since: datetime) -> list[dict[str, Any]]:
    """For the crawl's output: each quote judged not_found since ``since``, with where
    else the store holds its words."""
    out: list[dict[str, Any]] = []
    with open_for_reading(db_url) as sessions, sessions() as session:
        query = (
            select(Quote.id, Quote.text, Quote.cited_url, Source.url)
            .join(Verification, Verification.quote_id == Quote.id)
            .outerjoin(Source, Source.id == Quote.source_id)
            .where(Verification.status == "not_found", Verification.checked_at >= since)
            .order_by(Quote.id)
            .distinct()
        )
        for quote_id, quote, cited_url, source_url in session.execute(query):
            found = elsewhere(session, quote, [source_url, cited_url])
            out.append({"quote_id": quote_id, "quote": quote, "elsewhere": found.to_dict()})
    return out


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC")


def _texts(session: Session, hit: Hit) -> dict[str, str]:
    main_text, page_text = session.execute(
        select(Snapshot.main_text, Snapshot.page_text).where(Snapshot.id == hit.snapshot_id)
    ).one()
    return {"main_text": main_text or "", "page": page_text or ""}


def _colour() -> bool:
    return sys.stdout.isatty() and "NO_COLOR" not in os.environ


def _print_hits(session: Session, hits: list[Hit]) -> None:
    if not hits:
        click.echo("no stored page holds the quote or a close variant")
        return
    earliest = min(hits, key=lambda h: h.first_seen)
    click.echo(
        f"{len(hits)} stored page(s) hold the quote; earliest {_when(earliest.first_seen)}: "
        f"{earliest.url}"
    )
    for number, hit in enumerate(hits, 1):
        mark = "  <- earliest" if hit is earliest else ""
        click.echo(
            f"\n{number}. {hit.outlet or '-'}  first seen {_when(hit.first_seen)}  "
            f"snapshot {_when(hit.snapshot_at)} ({hit.snapshots} holding it){mark}"
        )
        if hit.title:
            click.echo(f"   {hit.title}")
        click.echo(render_result(hit.result, hit.url, _texts(session, hit), _colour()))


@click.command("find")
@click.argument("quote")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of hits.")
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    default=DEFAULT_LIMIT,
    show_default=True,
    help="At most this many pages.",
)
@db_option
def find(quote: str, as_json: bool, limit: int, db_url: str | None) -> None:
    """Every stored page whose snapshot holds QUOTE or a close variant.

    Each hit has the full verdict against that page (verified, or altered with
    its diff), the outlet, URL, snapshot date and the date it was first seen
    there; the earliest publication is marked. Verified first, then by score,
    then earliest. Reads only: a missing database is an error, never created.

    \b
    Examples:
      sourcecheck find "sent around 3,000 troops to Russia to prepare for the war"
      sourcecheck find "sent around 3,000 troops to Russia" --json --limit 5 --db store.db

    Exit status: 0 some page holds it, 1 none does, 2 usage or input error.
    """
    if not any(ch.isalnum() for ch in quote):
        raise InputError("the quote has no words")
    if len(quote.split()) < 3:
        raise InputError("give at least three words: shorter phrases are on every page")
    with open_for_reading(db_url) as sessions, sessions() as session:
        hits = find_snapshots(session, quote, limit)
        if as_json:
            click.echo(json.dumps([h.to_dict() for h in hits], ensure_ascii=False))
        else:
            _print_hits(session, hits)
    sys.exit(0 if hits else 1)


@click.group("index")
def index_group() -> None:
    """The search index behind `sourcecheck find` (kept current by every crawl).

    \b
    Example:
      sourcecheck index rebuild --db postgresql+psycopg://postgres@127.0.0.1/sourcecheck
    """


@index_group.command("rebuild")
@db_option
def rebuild(db_url: str | None) -> None:
    """Index every stored snapshot afresh: for a store made before the index existed.

    \b
    Examples:
      sourcecheck index rebuild
      sourcecheck index rebuild --db postgresql+psycopg://postgres@127.0.0.1/sourcecheck
    """
    url = dbmod.resolve_url(db_url)
    if dbmod.is_sqlite_file(url) and not Path(url.database or "").exists():
        raise InputError(f"no database at {url.database}")
    with dbmod.open_store(db_url) as store, store.sessions.begin() as session:
        count = rebuild_index(session)
    click.echo(f"indexed {count} snapshot(s)", err=True)
