"""The Independent: independent.co.uk.

Layouts, newest first:
- ``independent-2020``: ``article div#main`` (URLs ending ``-b<digits>.html``).
- ``independent-2015``: ``[itemprop="articleBody"]`` / ``div.text-wrapper``.
- ``independent-2013``: ``#main`` on the old ``-<digits>.html`` pages.

Independent Premium articles are cut off for readers without a subscription; the
page says so in JSON-LD (``isAccessibleForFree: false``); only a quote verified in
the visible part stands, anything else is ``unavailable`` with reason ``paywall``.
AMP copies (``?amp``, ``/amp``) are folded into the canonical URL.
"""

from __future__ import annotations

import re
from typing import Any

from parsel import Selector

from spiders.base import ArticleSpider
from spiders.layouts import Layout
from spiders.urls import canonicalize
from verify.outlets import outlet_domains


def _strip_amp(path: str) -> str:
    path = re.sub(r"^/amp(?=/)", "", path)
    return re.sub(r"/amp/?$", "", path) or "/"


class IndependentSpider(ArticleSpider):
    name = "independent"
    outlet = "independent"
    domains = outlet_domains("independent")  # one list of domains: verify/outlets.py
    layouts = (
        Layout("independent-2020", "article div#main"),
        Layout("independent-2015", '[itemprop="articleBody"], div.text-wrapper'),
        Layout("independent-2013", "#main"),
    )
    live_layouts = (Layout("independent-live-2020", "article div#main, #live-blog-content"),)

    def is_paywalled(self, selector: Selector, linked_data: list[dict[str, Any]]) -> bool:
        # Independent Premium marks the article element too, not only the JSON-LD.
        return super().is_paywalled(selector, linked_data) or bool(
            selector.css('article[data-is-premium="true"]')
        )

    @classmethod
    def canonical_url(cls, url: str) -> str:
        return canonicalize(url, host="www.independent.co.uk", scheme="https", path=_strip_amp)
