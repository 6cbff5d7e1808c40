"""``check``'s side of the archive: load sources with their captures, and give verdicts.

:func:`load_with_archive` is :func:`crawler.fetching.sources.load_sources` with the
archive pipeline told what to look up (``--as-of``, ``--cited-on``); the captures come
back beside the loaded pages, and :func:`checked_for` turns a quote and a source into
a :class:`crawler.archive.verdicts.Checked`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from crawler.archive.verdicts import Checked
from crawler.crawling.checking import verdict
from crawler.errors import InputError
from crawler.extraction.page import Unreadable
from crawler.fetching.sources import Loaded, is_url, load_sources

if TYPE_CHECKING:
    from crawler.extraction.pool import Check


@dataclass
class Archived:
    """The capture the archive pipeline attached to a source, and why it looked."""

    archive: Any = None
    mode: str | None = None


def archive_overrides(
    as_of: date | datetime | None, cited_on: date | datetime | None
) -> dict[str, Any]:
    """The settings that tell the archive pipeline what to look up."""
    out: dict[str, Any] = {}
    if as_of is not None:
        out["SOURCECHECK_AS_OF"] = as_of.isoformat()
    if cited_on is not None:
        out["SOURCECHECK_CITED_ON"] = cited_on.isoformat()
        out["SOURCECHECK_ARCHIVE_EAGER"] = True  # one source, asked for by name: read it now
    return out


def load_with_archive(
    sources: Iterable[str],
    replay: str | None = None,
    as_of: date | datetime | None = None,
    cited_on: date | datetime | None = None,
    checks: Mapping[str, Sequence[Check]] | None = None,
) -> tuple[dict[str, Loaded], dict[str, Archived]]:
    """Each distinct source once (a Page, or why not), and the captures read for them.

    ``checks``: the quotes to check against each local file, checked where it is read
    when a pool reads them (see :func:`crawler.fetching.sources.load_sources`)."""
    archived: dict[str, Archived] = {}
    urls, files, refused = [], [], {}
    for source in dict.fromkeys(sources):
        if is_url(source):
            urls.append(source)
        elif as_of is not None:
            refused[source] = InputError(f"--as-of needs a URL source, not a file: {source}")
        else:
            files.append(source)
    # Local files: read (in a pool when there are many) with no crawler. The mapping
    # waits for a page still being extracted on first use: keep it, do not copy it.
    loaded = load_sources(files, checks=checks)
    loaded.update(refused)
    if not urls:
        return loaded, archived
    from crawler.fetching.fetch import fetch_items  # Scrapy is only started when needed

    items = fetch_items(urls, replay=replay, settings_overrides=archive_overrides(as_of, cited_on))
    for url, item in items.items():
        if isinstance(item, InputError):
            loaded[url] = item
            continue
        if item.reason is not None or item.page is None:
            loaded[url] = Unreadable(item.reason or "empty_extraction", item.detail)
        else:
            loaded[url] = item.page
        archived[url] = Archived(item.archive, item.archive_mode)
    return loaded, archived


def checked_for(
    quote: str, loaded: Loaded, archived: Archived | None, speaker: str | None = None
) -> Checked:
    """The verdict for one quote against one loaded source, and who said it when
    ``speaker`` is claimed (InputError propagates)."""
    if isinstance(loaded, InputError):
        raise loaded
    if archived is None:
        return Checked(verdict(quote, loaded, speaker))
    from crawler.archive.pipeline import checked_verdict  # Scrapy: only for URL sources

    return checked_verdict(quote, loaded, archived.archive, archived.mode, speaker)
