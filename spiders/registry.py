"""Which spider fetches which URL: outlet names and domains to spider classes."""

from __future__ import annotations

from spiders.base import ArticleSpider
from spiders.bbc import BbcSpider
from spiders.generic import GenericSpider
from spiders.guardian import GuardianSpider
from spiders.independent import IndependentSpider

OUTLET_SPIDERS: tuple[type[ArticleSpider], ...] = (BbcSpider, GuardianSpider, IndependentSpider)
ALL_SPIDERS: tuple[type[ArticleSpider], ...] = (*OUTLET_SPIDERS, GenericSpider)
SPIDERS: dict[str, type[ArticleSpider]] = {cls.name: cls for cls in ALL_SPIDERS}
# Names people use for the outlets, as in "quoted by The Guardian".
OUTLET_NAMES: dict[str, str] = {
    "bbc": "bbc",
    "bbc news": "bbc",
    "the bbc": "bbc",
    "guardian": "guardian",
    "the guardian": "guardian",
    "independent": "independent",
    "the independent": "independent",
}


def spider_for_url(url: str) -> type[ArticleSpider]:
    """The outlet spider whose domains hold ``url``, else the generic spider."""
    for cls in OUTLET_SPIDERS:
        if cls.handles(url):
            return cls
    return GenericSpider


def spider_for_outlet(name: str) -> type[ArticleSpider] | None:
    """The spider for an outlet named in prose ("The Guardian"), if we have one."""
    key = OUTLET_NAMES.get(" ".join(name.lower().split()))
    return SPIDERS.get(key) if key else None


def canonical_url(url: str) -> str:
    """``url`` as its outlet's spider would request it."""
    return spider_for_url(url).canonical_url(url)
