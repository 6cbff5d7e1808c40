"""Any other site: no outlet selectors, so extraction is trafilatura's alone.

The generic spider still recognises a paywall (schema.org JSON-LD), a consent wall
(common consent-platform markup) and a live blog (``LiveBlogPosting``).
"""

from __future__ import annotations

from spiders.base import ArticleSpider


class GenericSpider(ArticleSpider):
    name = "generic"
    outlet = "generic"

    @classmethod
    def handles(cls, url: str) -> bool:
        return url.split(":", 1)[0].lower() in ("http", "https")
