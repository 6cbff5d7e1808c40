"""``sourcecheck record``: fetch pages politely and keep them as replayable fixtures."""

from __future__ import annotations

import sys

import click

from crawler.errors import EXIT_OK, EXIT_UNAVAILABLE, InputError


@click.command()
@click.argument("urls", nargs=-1, required=True, metavar="URL...")
@click.option(
    "--into",
    type=click.Path(file_okay=False),
    default="recordings",
    show_default=True,
    help="Folder for the bodies (pages/) and manifest.json.",
)
@click.option("--warc", type=click.Path(dir_okay=False), help="Also append everything to a WARC.")
def record(urls: tuple[str, ...], into: str, warc: str | None) -> None:
    """Fetch each URL (robots.txt, throttling and the address guard apply) and
    store every response: the body in INTO/pages/ (un-gzipped, as in fixtures/), an
    entry in INTO/manifest.json (URL, final URL, status, headers, fetch time),
    redirects and robots.txt included; --warc keeps the bytes exactly as received.
    Replay later with `sourcecheck check ... --replay INTO` (or the WARC).

    \b
    Examples:
      sourcecheck record https://www.bbc.com/news/articles/c0000000000o --into fixtures
      sourcecheck record URL1 URL2 --into recordings --warc evidence.warc.gz

    Exit status: 0 every page recorded and readable, 2 bad input, 3 some page
    unavailable (its response, if any, is still recorded).
    """
    from crawler.fetching.fetch import fetch_items

    bad = [u for u in urls if u.split(":", 1)[0].lower() not in ("http", "https")]
    if bad:
        raise InputError(f"not an http(s) URL: {bad[0]}")
    items = fetch_items(urls, record=into, warc=warc)
    unavailable = False
    for url in urls:
        item = items[url]
        if isinstance(item, InputError):
            raise item
        if item.reason:
            unavailable = True
            click.echo(f"{url}\tunavailable\t{item.reason}\t{item.detail}")
        else:
            click.echo(f"{url}\t{item.status}\t{item.layout or 'trafilatura'}\t{item.final_url}")
    click.echo(f"recorded into {into}" + (f" and {warc}" if warc else ""), err=True)
    sys.exit(EXIT_UNAVAILABLE if unavailable else EXIT_OK)
