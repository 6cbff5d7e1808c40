"""The Guardian: theguardian.com (and the old guardian.co.uk).

Layouts, newest first:
- ``guardian-2020``: dotcom-rendering, the body under ``#maincontent``
  (``[data-gu-name="body"]``); the standfirst sits outside it on purpose.
- ``guardian-2016``: ``[itemprop="articleBody"]`` (``div.content__article-body``),
  which is also the AMP page's body.
- ``guardian-2012``: ``#article-body-blocks``.
Live blogs: ``#liveblog-body`` (2016 on) and the 2011 ``#article-body-blocks``.

``amp.theguardian.com`` and ``guardian.co.uk`` URLs are rewritten to
``www.theguardian.com`` (where both redirect anyway).
"""

from __future__ import annotations

import re

from spiders.base import ArticleSpider
from spiders.layouts import Layout
from spiders.urls import canonicalize


class GuardianSpider(ArticleSpider):
    name = "guardian"
    outlet = "guardian"
    domains = ("theguardian.com", "guardian.co.uk")
    layouts = (
        Layout("guardian-2020", '#maincontent [data-gu-name="body"], #maincontent'),
        Layout("guardian-2016", '[itemprop="articleBody"]'),
        Layout("guardian-2012", "#article-body-blocks"),
    )
    live_layouts = (Layout("guardian-live-2016", '#liveblog-body, [data-gu-name="liveblog-body"]'),)
    live_path = re.compile(r"/live/|-live(?:-\w+)?$|middle-east-live/")
    # The Guardian's own live-blog pagination is part of the address.
    keep_params = ("page", "filterKeyEvents")

    @classmethod
    def canonical_url(cls, url: str) -> str:
        return canonicalize(
            url,
            host="www.theguardian.com",
            scheme="https",
            keep_params=cls.keep_params,
            path=lambda p: re.sub(r"/amp(?=/|$)", "", p) if p.startswith("/amp/") else p,
        )
