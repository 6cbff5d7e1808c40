"""BBC News: bbc.co.uk and bbc.com.

Layouts, newest first (each has a test page in tests/test_spiders.py):
- ``bbc-2020``: the React article page (``/news/articles/<id>`` and late
  ``/news/<section>-<digits>``): body in ``data-component`` blocks: text, lists and
  cross-heads, not captions or "related" blocks.
- ``bbc-2025``: the newer block markup, ``data-block="text"``.
- ``bbc-2016``: ``div.story-body__inner``.
- ``bbc-2012``: ``div.story-body`` (older pages, and pages served without CSS).
- ``bbc-amp``: the AMP page's ``main_article_text`` (only read when its canonical
  page could not be fetched).
- ``bbc-2009``: the old ``news.bbc.co.uk/1/hi/...stm`` table layout, ``td.storybody``.

The BBC's robots.txt forbids systematic crawling of much of the site: the crawler
obeys it and reports ``robots``.
"""

from __future__ import annotations

import re

from spiders.base import ArticleSpider
from spiders.layouts import Layout
from spiders.urls import canonicalize, host_of
from verify.outlets import outlet_domains

_BLOCKS = ", ".join(
    f'[data-component="{c}"]' for c in ("text-block", "unordered-list-block", "crosshead-block")
)


def _strip_amp(path: str) -> str:
    return re.sub(r"\.amp$", "", path)  # /news/articles/<id>.amp


class BbcSpider(ArticleSpider):
    name = "bbc"
    outlet = "bbc"
    domains = outlet_domains("bbc")  # one list of domains: verify/outlets.py
    layouts = (
        Layout("bbc-2020", _BLOCKS),
        Layout("bbc-2025", '[data-block="text"], [data-block="list"]'),
        Layout("bbc-2016", "div.story-body__inner"),
        Layout("bbc-2012", ".story-body"),
        Layout("bbc-amp", ".main_article_text"),
        Layout("bbc-2009", "td.storybody"),
    )
    live_layouts = (
        Layout("bbc-live-2024", '[data-testid="content-post"]'),
        Layout("bbc-live-2017", ".lx-stream-post"),
    )
    live_path = re.compile(r"/(?:news|sport)/live/")

    @classmethod
    def canonical_url(cls, url: str) -> str:
        # bbc.co.uk and bbc.com serve the same articles and each is canonical for some,
        # so the domain is kept; only the bare and mobile hosts become www.
        host = host_of(url).removeprefix("m.")
        host = f"www.{host}" if host in ("bbc.co.uk", "bbc.com") else host
        return canonicalize(url, host=host, scheme="https", path=_strip_amp)
