"""The Guardian: theguardian.com (and the old guardian.co.uk).

Layouts, newest first:
- ``guardian-2020``: dotcom-rendering, the body under ``#maincontent``
  (``[data-gu-name="body"]``); the standfirst sits outside it on purpose.
- ``guardian-2016``: ``[itemprop="articleBody"]`` (``div.content__article-body``),
  which is also the AMP page's body.
- ``guardian-2012``: ``#article-body-blocks``.
Live blogs: the posts under ``#liveblog-body`` (2016 on; the pinned copy left out)
and the 2011 ``#article-body-blocks``.

``amp.theguardian.com`` and ``guardian.co.uk`` URLs are rewritten to
``www.theguardian.com`` (where both redirect anyway).
"""

from __future__ import annotations

import re

from spiders.base import ArticleSpider
from spiders.layouts import Layout
from spiders.urls import canonicalize, host_of
from verify.outlets import outlet_domains


class GuardianSpider(ArticleSpider):
    name = "guardian"
    outlet = "guardian"
    domains = outlet_domains("guardian")  # one list of domains: verify/outlets.py
    layouts = (
        Layout("guardian-2020", "#maincontent"),
        Layout("guardian-2016", '[itemprop="articleBody"]'),
        Layout("guardian-2012", "#article-body-blocks"),
    )
    live_layouts = (
        # Each post is an article.block; the pinned post (a copy of one of them) sits
        # in its own wrapper and is left out.
        Layout("guardian-live-2016", "#liveblog-body > article.block"),
        Layout("guardian-live-2016-any", "#liveblog-body"),
    )
    live_path = re.compile(r"/live/|-live(?:-\w+)?$|middle-east-live/")
    # The Guardian's own live-blog pagination is part of the address.
    keep_params = ("page", "filterKeyEvents")

    @classmethod
    def canonical_url(cls, url: str) -> str:
        if host_of(url) == "gu.com":  # a short link: only its redirect knows the article
            return canonicalize(url)
        return canonicalize(
            url,
            host="www.theguardian.com",
            scheme="https",
            keep_params=cls.keep_params,
            path=lambda p: re.sub(r"/amp(?=/|$)", "", p) if p.startswith("/amp/") else p,
        )
