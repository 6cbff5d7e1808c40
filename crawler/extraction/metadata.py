"""A page's metadata as trafilatura reads it, without what we never store.

:func:`trafilatura.metadata.extract_metadata` also looks for the page's categories,
tags and licence: three more walks of the whole tree (about a tenth of trafilatura's
work on a page, measured on the evaluation corpus), for fields a snapshot has no column
for. :func:`page_metadata` is the same function without them, step for step
(trafilatura 2.x; the author from markup by :mod:`crawler.extraction.author`, which
gives trafilatura's at less than half the cost), so the title, author, date, site name
and URL are the same; tests/test_extract.py compares the two on every fixture page.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from courlan import extract_domain
from htmldate import find_date
from lxml.html import HtmlElement
from trafilatura.metadata import (
    META_URL,
    Document,
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)

from crawler.extraction.author import page_author

# htmldate's extensive search costs about 15% of a page and, the first time it falls
# back to dateparser, a multi-second stall; the date is evidence, not what the verdict
# rests on. (``extensive_search`` False, as crawler/extraction/extract.py passes it.)
DATE_PARAMS: dict[str, Any] = {"extensive_search": False}


def page_metadata(tree: HtmlElement, url: str | None) -> Document:
    """Title, author, date, site name, URL and host name of a parsed page, as
    ``trafilatura.bare_extraction(..., with_metadata=True)`` reads them (no author
    blacklist); categories, tags and licence are left empty."""
    date_config = {**DATE_PARAMS}
    metadata = examine_meta(tree)
    if metadata.author and " " not in metadata.author:
        metadata.author = None
    with suppress(Exception):  # as trafilatura does: bugs in its JSON-LD reading
        metadata = extract_meta_json(tree, metadata)
    if not metadata.title:
        metadata.title = extract_title(tree)
    if not metadata.author:
        metadata.author = page_author(tree)  # trafilatura's extract_author, cheaper
    if not metadata.url:
        metadata.url = extract_url(tree, url)
    if metadata.url:
        metadata.hostname = extract_domain(metadata.url, fast=True)
    date_config["url"] = metadata.url
    metadata.date = find_date(tree, **date_config)
    if not metadata.sitename:
        metadata.sitename = extract_sitename(tree)
    if metadata.sitename:
        metadata.sitename = metadata.sitename.lstrip("@")  # a Twitter handle
        if (
            metadata.sitename
            and "." not in metadata.sitename
            and not metadata.sitename[0].isupper()
        ):
            metadata.sitename = metadata.sitename.title()
    elif metadata.url:
        found = META_URL.match(metadata.url)
        if found:
            metadata.sitename = found[1]
    metadata.filedate = date_config.get("max_date")
    metadata.clean_and_trim()
    return metadata
