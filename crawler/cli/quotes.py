"""``sourcecheck quotes ARTICLE``: list the quotations a citing article makes.

The finding is :mod:`verify.intake`'s (pure), the reading :func:`crawler.job.read_article`'s;
this module only prints what was found.
"""

from __future__ import annotations

import sys
import textwrap

import click

from crawler.errors import EXIT_UNAVAILABLE
from crawler.extraction.page import Unreadable
from crawler.job import read_article
from crawler.safetext import for_terminal, json_line
from verify.intake import Quotation

# The fields of the JSON contract (issue 4); ``paragraph``, ``start`` and
# ``attribution`` come along for whoever wants to show the quote in its place.
JSON_FIELDS = ("text", "kind", "speaker", "outlet", "url", "title", "position")


def _first_words(text: str, width: int = 76) -> str:
    flat = " / ".join(text.split("\n"))
    return "“" + textwrap.shorten(flat, width=width, placeholder="…") + "”"


def render_quotes(found: list[Quotation]) -> str:
    """A numbered list a person can read: kind, speaker, outlet, then the first words."""
    if not found:
        return "no quotations found"
    lines = []
    for q in found:
        who = q.speaker or "(no speaker named)"
        head = f"{q.position + 1:>2}. {q.kind:<6} {who}"
        if q.outlet:
            head += f" · {q.outlet}"
        lines.append(head)
        lines.append(f"    {_first_words(q.text)}")
        if q.title:
            lines.append(f"    title: {q.title}")
        if q.url:
            lines.append(f"    link:  {q.url}")
    return for_terminal("\n".join(lines))  # an article's text must not drive the terminal


@click.command()
@click.argument("article", metavar="ARTICLE")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON list of the quotations.")
@click.option("--replay", type=click.Path(), help="Serve URLs from recorded fixtures, no network.")
def quotes(article: str, as_json: bool, replay: str | None) -> None:
    """List the quotations in a citing ARTICLE: a URL, an HTML file or a text file.

    Block quotations (a <blockquote>, or in plain text the paragraphs after an
    attribution line ending in a colon) and inline quotations of five words or more,
    each with its speaker, the outlet it is attributed to, the link the article gives
    and a cited title. Shorter quoted terms ("scare quotes") and titles are left out.

    \b
    Examples:
      sourcecheck quotes fixtures/pages/citing-article.html
      sourcecheck quotes fixtures/pages/citing-article.txt --json

    Exit status: 0 read (even when no quotation was found), 2 usage or input error,
    3 the article's URL could not be read.
    """
    try:
        found = read_article(article, replay=replay).quotations
    except Unreadable as exc:
        click.echo(for_terminal(f"error: cannot read the article {article}: {exc}"), err=True)
        sys.exit(EXIT_UNAVAILABLE)
    if as_json:
        rows = [{**{k: getattr(q, k) for k in JSON_FIELDS}, **q.to_dict()} for q in found]
        click.echo(json_line(rows, indent=2))
    else:
        click.echo(render_quotes(found))
