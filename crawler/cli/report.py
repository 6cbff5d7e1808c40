"""``sourcecheck report``: the stored verdicts as a table, JSON or an HTML page."""

from __future__ import annotations

import os
import sys
from typing import Any

import click

from crawler.cli.db import db_option
from crawler.errors import InputError
from crawler.reporting.exports import render_claimreview, render_csv
from crawler.reporting.html import render_html
from crawler.reporting.report import build_report, render_json, summary_line
from crawler.reporting.rows import ReportRow
from crawler.reporting.table import render_table
from crawler.storage.db import open_existing_db
from crawler.storage.models import utcnow


def report_options(func: Any) -> Any:
    """``--format`` and ``--output``, shared by ``report`` and ``run``."""
    func = click.option(
        "--output",
        "-o",
        type=click.Path(dir_okay=False, writable=True),
        help="Write to FILE instead of standard output.",
    )(func)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(["table", "json", "html", "claimreview", "csv"]),
        default="table",
        show_default=True,
        help=(
            "table for a terminal, json for machines, html for a page to read or share, "
            "claimreview for schema.org ClaimReview JSON-LD, csv for a spreadsheet."
        ),
    )(func)


@click.command()
@db_option
@report_options
@click.option(
    "--article",
    metavar="URL|ID|PATH",
    help="Only the quotes of this stored article (its URL, its id, or the file given to run).",
)
def report(db_url: str | None, fmt: str, output: str | None, article: str | None) -> None:
    """Report every stored quote: its latest verdict, and what changed since the last check.

    \b
    Examples:
      sourcecheck report
      sourcecheck report --format json > verdicts.json
      sourcecheck report --format html --output report.html
      sourcecheck report --format claimreview -o claimreview.jsonld
      sourcecheck report --format csv -o quotes.csv --article 3
      sourcecheck report --db postgresql+psycopg://postgres@127.0.0.1/sourcecheck

    The exit status is 0 when the report was written (the verdicts' exit codes
    belong to `sourcecheck check` and `sourcecheck crawl`), 2 on bad input,
    including a database that does not exist: report never creates one.
    """
    with open_existing_db(db_url) as store, store.sessions() as session:  # only reads
        rows = build_report(session, article)
    write_report(rows, fmt, output)


def write_report(rows: list[ReportRow], fmt: str, output: str | None) -> None:
    """Render report rows as table, JSON or HTML, to stdout or to ``output``."""
    now = utcnow()
    if fmt == "json":
        text = render_json(rows, now)
    elif fmt == "claimreview":
        text = render_claimreview(rows)
    elif fmt == "csv":
        text = render_csv(rows)
    elif fmt == "html":
        text = render_html(rows, now)
    else:
        to_terminal = output is None and sys.stdout.isatty()
        text = render_table(rows, colour=to_terminal and "NO_COLOR" not in os.environ)
    if output is None:
        click.echo(text)
        return
    write_whole(output, text if text.endswith("\n") else text + "\n")
    click.echo(f"{summary_line(rows)}; written to {output}", err=True)


def write_whole(path: str, text: str) -> None:
    """Write ``path`` whole or not at all: a temporary file beside it, then a rename.

    An interrupt (Ctrl-C, SIGTERM) or a full disk mid-write leaves the old file, or
    none, never half a report.
    """
    target = os.path.abspath(path)
    tmp = f"{target}.{os.getpid()}.part"
    try:
        with open(tmp, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
        os.replace(tmp, target)
    except OSError as exc:
        raise InputError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
