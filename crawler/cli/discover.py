"""``sourcecheck discover ARTICLE``, and ``sourcecheck check QUOTE`` with no ``--source``.

``discover`` lists, for each quotation the article does not link, the candidates each
finder proposes, without reading their pages or verifying: what a search would try.
``check QUOTE --outlet O [--title T] [--around DATE]`` finds the quote's source and
checks it in one go.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import click

from crawler.discovery.candidates import Search, Wanted
from crawler.errors import EXIT_UNAVAILABLE, InputError, exit_code_for
from verify.cues import DEFAULT_DAYS, Window

# --around DATE: a source is looked for this many days either side of it.
AROUND_DAYS = 15


def _render_search(search: Search, quote: str) -> str:
    lines = [f"{search.wanted.key}: {quote[:90]}" + ("…" if len(quote) > 90 else "")]
    w = search.wanted
    cue = f" ({w.window.cue!r})" if w.window.cue else " (default)"
    lines.append(f"  window {w.window.start}..{w.window.end}{cue}")
    for run in search.finders:
        errors = f", errors: {'; '.join(run.errors[:3])}" if run.errors else ""
        lines.append(
            f"  {run.finder}: {len(run.queries)} query(ies), {run.candidates} candidate(s){errors}"
        )
    for c in search.candidates[:10]:
        day = c.published.isoformat() if c.published else "undated"
        lines.append(f"    [{c.found_by}] {day} {c.title or '-'}\n      {c.url}")
    return "\n".join(lines)


@click.command("discover")
@click.argument("article")
@click.option("--published", metavar="YYYY-MM-DD", help="The article's publication date.")
@click.option("--replay", type=click.Path(), help="Serve responses from recorded fixtures.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON: one object per quotation.")
def discover_cmd(article: str, published: str | None, replay: str | None, as_json: bool) -> None:
    """List the candidate sources for each quote ARTICLE does not link, without verifying.

    Runs the finders (Guardian Content API, the outlets' sitemaps and feeds) within
    each quote's window, as `sourcecheck run` would, but reads no candidate page and
    stores nothing.

    \b
    Example:
      sourcecheck discover fixtures/pages/citing-article.txt --published 2024-10-24 \\
        --replay fixtures --json
    """
    from crawler.discovery.discover import Discovery
    from crawler.discovery.job import parse_date, published_of, wanted_of
    from crawler.fetching.sources import is_url
    from crawler.job import read_article

    given = parse_date(published) if published else None
    html = None
    if is_url(article) and given is None:
        from crawler.fetching.fetch import fetch_html

        html, final_url = fetch_html(article, replay=replay)
        from verify.intake import find_quotes_in_html

        found = find_quotes_in_html(html, base_url=final_url)
    else:
        found = read_article(article, replay=replay).quotations
    quotes = [q.to_dict() for q in found]
    day, _where = published_of(article, given, html)
    unlinked = [q for q in quotes if not q.get("url")]
    wanted = [wanted_of(q, int(q["position"]), day) for q in unlinked]
    searches = Discovery(wanted, replay=replay).run(read=False, decide=False) if wanted else {}
    for q in unlinked:
        search = searches[int(q["position"])]
        if as_json:
            out = {"position": q["position"], "quote": q["text"], **search.to_dict()}
            click.echo(json.dumps(out, ensure_ascii=False))
        else:
            click.echo(_render_search(search, q["text"]) + "\n")


def around_window(around: str | None) -> Window:
    if around is None:
        today = datetime.now(UTC).date()
        return Window(today - timedelta(days=DEFAULT_DAYS), today, None)
    try:
        day = date.fromisoformat(around)
    except ValueError:
        raise InputError(f"--around must be a date as YYYY-MM-DD, not {around!r}") from None
    span = timedelta(days=AROUND_DAYS)
    return Window(day - span, day + span, f"around {day}")


def find_and_check(
    quote: str,
    outlet: str | None,
    title: str | None,
    around: str | None,
    replay: str | None,
    as_json: bool,
    speaker: str | None = None,
) -> int:
    """Find QUOTE's source with the finders (the speaker helps a search by text), then
    check it, the speaker too; the exit status."""
    from crawler.cli.check import _human
    from crawler.discovery.discover import discover
    from crawler.job import check_one

    wanted = Wanted(0, quote, around_window(around), outlet, speaker, title)
    search = discover([wanted], replay=replay)[0]
    record = search.to_dict()
    if search.chosen is None:
        if as_json:
            none: dict[str, Any] = {"quote": quote, "status": "no_source", "source": None}
            none |= {"found_by": None, "search": record}
            click.echo(json.dumps(none, ensure_ascii=False))
        else:
            click.echo(f"no_source  {search.summary()}")
        return EXIT_UNAVAILABLE
    checked = check_one(quote, search.chosen.url, replay=replay, speaker=speaker)
    if as_json:
        out = checked.to_dict()
        out |= {"found_by": search.found_by, "search": record}
        click.echo(json.dumps(out, ensure_ascii=False))
    else:
        click.echo(_human(checked))
        click.echo(f"{search.summary()} (query: {search.chosen.query})")
    return exit_code_for([str(checked.result.status)])
