"""What every outlet spider shares: start requests, the item, errbacks, wall detection.

An outlet spider subclasses :class:`ArticleSpider` and states only what it knows
about its own site: its domains, its canonical URLs, its layouts, the markers of its
consent wall, paywall and live blogs. Each spider takes ``-a url=URL`` (or
``urls=[...]`` from code), so ``scrapy crawl bbc -a url=...`` works.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, Response, TextResponse
from twisted.python.failure import Failure

from spiders.failures import reason_for
from spiders.items import SourcePage
from spiders.layouts import Layout, first_matching
from spiders.tree import html_selector
from spiders.urls import canonicalize, host_of
from spiders.walk import one_walk

META = "sourcecheck"  # the request.meta key this project's spiders use
# Stats key prefix of the CPU seconds each stage of the crawl spends (see add_cpu).
CPU_STAT = "sourcecheck/cpu_us/"

# Consent-management platforms whose markup is the consent wall itself. On a real
# article page they are an overlay beside the body, so they only count as a wall
# when no body was found (see ArticleSpider.is_consent_wall).
CONSENT_MARKERS = (
    '[id^="sp_message_container"]',  # Sourcepoint (the Guardian, the Independent)
    "#qc-cmp2-container",  # Quantcast
    "#onetrust-consent-sdk",  # OneTrust
    ".fc-consent-root",  # Google Funding Choices
    "#cmpbox",
    '[class*="consent-wall"]',
    '[id*="consent-wall"]',
    'form[action*="consent"]',
)
# Reader comments, wherever a site puts them: never the source's own words.
COMMENT_SELECTORS = (
    "#comments",
    "#disqus_thread",
    '[data-component="comments"]',
    "section.comments",
    ".comments-area",
    ".fb-comments",
)
CONSENT_HOSTS = re.compile(r"^(consent|consent-pref|privacy|cmp)\.")
# Below this much paragraph text a page that shows a consent form is the form.
CONSENT_WALL_MAX_CHARS = 600


def now_iso() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def headers_dict(response: Response) -> dict[str, str]:
    """Response headers as text; Set-Cookie is left out (it is nobody's evidence)."""
    out: dict[str, str] = {}
    for name, values in response.headers.items():
        key = name.decode("latin-1")
        if key.lower() == "set-cookie":
            continue
        out[key] = ", ".join(v.decode("latin-1") for v in values)
    return out


def json_ld(selector: Selector) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, ``@graph`` members included."""
    for raw in selector.css('script[type="application/ld+json"]::text').getall():
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop()
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                yield node
                stack.extend(v for k, v in node.items() if k in ("@graph", "mainEntity"))


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", [])
    return {value} if isinstance(value, str) else {str(v) for v in value}


class ArticleSpider(scrapy.Spider):
    """Fetch given article URLs and yield one :class:`SourcePage` for each."""

    name = ""  # abstract: Scrapy's spider loader skips classes without a name
    outlet: ClassVar[str] = "generic"
    domains: ClassVar[tuple[str, ...]] = ()
    layouts: ClassVar[tuple[Layout, ...]] = ()
    live_layouts: ClassVar[tuple[Layout, ...]] = ()
    consent_markers: ClassVar[tuple[str, ...]] = CONSENT_MARKERS
    comment_selectors: ClassVar[tuple[str, ...]] = COMMENT_SELECTORS
    # A URL path that only a live blog has (outlet-specific).
    live_path: ClassVar[re.Pattern[str] | None] = None

    def __init__(
        self, url: str | None = None, urls: list[str] | str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(**kwargs)
        given: list[str] = []
        if url:
            given.append(url)
        if isinstance(urls, str):
            given.extend(u for u in re.split(r"[\s,]+", urls) if u)
        elif urls:
            given.extend(urls)
        if not given:
            raise ValueError(f"spider {self.name!r} needs -a url=URL (or urls=...)")
        self.urls = list(dict.fromkeys(given))

    # ---- what an outlet spider states about its site -------------------------

    @classmethod
    def handles(cls, url: str) -> bool:
        """True when ``url`` is on one of this outlet's domains."""
        host = host_of(url)
        return any(host == d or host.endswith("." + d) for d in cls.domains)

    @classmethod
    def canonical_url(cls, url: str) -> str:
        """The URL to request and store for ``url`` (no tracking, no fragment)."""
        return canonicalize(url)

    def same_site(self, url: str, other: str) -> bool:
        """True when ``other`` is this site too (an AMP page's canonical page is read
        only then: a page cannot send the check to somebody else's site)."""
        if self.domains:
            return self.handles(url) and self.handles(other)
        a, b = host_of(url), host_of(other)
        return a == b or a.endswith("." + b) or b.endswith("." + a)

    def is_live(self, response: TextResponse, linked_data: list[dict[str, Any]]) -> bool:
        """True for a live blog; ``linked_data`` is the page's JSON-LD (:func:`json_ld`)."""
        if self.live_path is not None and self.live_path.search(response.url):
            return True
        return any("LiveBlogPosting" in _types(node) for node in linked_data)

    def is_paywalled(self, selector: Selector, linked_data: list[dict[str, Any]]) -> bool:
        """True when the page says its body is for subscribers only (schema.org)."""
        for node in linked_data:
            free = node.get("isAccessibleForFree")
            if free is False or (isinstance(free, str) and free.lower() == "false"):
                return True
        return False

    def is_consent_wall(self, response: TextResponse, selector: Selector) -> bool:
        """True when the page is a consent form rather than an article with a banner."""
        if CONSENT_HOSTS.match(urlsplit(response.url).hostname or ""):
            return True
        # One query for all the markers: each its own would walk the page again.
        if not selector.xpath(one_walk(self.consent_markers)):
            return False
        prose = " ".join(selector.css("body p ::text").getall())
        return len(prose.strip()) < CONSENT_WALL_MAX_CHARS

    def drop_comments(self, selector: Selector) -> bool:
        """Remove reader comments (and HTML comments) from the parsed page, in place;
        True when there were reader comments.

        The tree then goes to extraction as it is (trafilatura reads a parsed tree),
        so the page is parsed once. trafilatura's own parser drops HTML comments, so
        they go here too, to give it the same tree. ``item.html`` keeps the page as
        fetched.
        """
        # One query for all the selectors, in document order: an outer comments block
        # goes before a match inside it (which then leaves the detached block).
        found = selector.xpath(one_walk(self.comment_selectors))
        for node in found:
            node.drop()
        etree.strip_elements(
            selector.root, etree.Comment, etree.ProcessingInstruction, with_tail=False
        )
        return bool(found)

    @classmethod
    def url_problem(cls, url: str) -> str | None:
        """Why this spider must not fetch ``url`` (None when it may).

        Checked before any request: a ``file:`` URL is not a web page (it is invalid,
        not a blocked address), and an outlet spider fetches its own outlet only, so
        that a result labelled ``outlet: bbc`` really is the BBC's page.
        """
        try:
            parts = urlsplit(url)
        except ValueError as exc:
            return f"malformed URL {url!r}: {exc}"
        if parts.scheme.lower() not in ("http", "https"):
            return f"the scheme is not supported ({parts.scheme or 'none'}): {url}"
        if not parts.hostname:
            return f"the URL has no host: {url}"
        if cls.domains and not cls.handles(url):
            return (
                f"not a {cls.outlet} URL: {parts.hostname} is not on "
                f"{', '.join(cls.domains)} (use the spider of that outlet, or generic)"
            )
        return None

    # ---- the crawl ---------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request | SourcePage]:
        for url in self.urls:
            if (problem := self.url_problem(url)) is not None:
                item = SourcePage(requested_url=url, canonical_url=url, outlet=self.outlet)
                item.reason, item.detail = "invalid_url", problem
                yield item
                continue
            try:
                yield self.request_for(url)
            except ValueError as exc:  # a malformed URL must not stop the other URLs
                item = SourcePage(requested_url=url, canonical_url=url, outlet=self.outlet)
                item.reason, item.detail = "invalid_url", str(exc)
                yield item

    def request_for(self, url: str, target: str | None = None, **meta: Any) -> scrapy.Request:
        """The request for a requested ``url`` (fetching ``target`` instead, if given)."""
        canonical = self.canonical_url(target or url)
        return scrapy.Request(
            canonical,
            callback=self.parse,
            errback=self.failed,
            # Two requested URLs may redirect to one page: each still needs its item.
            dont_filter=True,
            meta={META: {"requested": url, "canonical": canonical, **meta}},
        )

    def new_item(self, request: scrapy.Request, response: Response | None) -> SourcePage:
        info = request.meta[META]
        item = SourcePage(
            requested_url=info["requested"],
            canonical_url=info["canonical"],
            outlet=self.outlet,
        )
        if response is not None:
            item.final_url = response.url
            item.status = response.status
            item.headers = headers_dict(response)
        item.fetched_at = request.meta.get("fetched_at") or now_iso()
        return item

    def parse(self, response: Response) -> Iterator[SourcePage | scrapy.Request]:
        item = self.new_item(response.request or scrapy.Request(response.url), response)
        info = response.meta[META]
        if not _is_html(response):
            item.reason = "not_html"
            item.detail = f"the source is {_content_type(response) or 'not HTML'}"
            yield item
            return
        assert isinstance(response, TextResponse)
        started = time.thread_time()
        item.html = response.text  # decoded by Scrapy: header, BOM, <meta>, then sniffing
        # Parsed once, here; extraction reads this tree too. Only an HtmlResponse's own
        # selector is certainly HTML (another text type could be parsed as XML). Built as
        # response.selector builds it, but not cached on the response: a cached selector
        # points back at its response, and that cycle kept every fetched page (body, text
        # and this tree) alive until Python's cyclic collector came by, tens of pages later.
        # Its elements' class is chosen in C (spiders/tree.py).
        selector = (
            html_selector(response)
            if isinstance(response, HtmlResponse)
            else Selector(text=item.html)
        )
        canonical = _amp_canonical(selector, response)
        if canonical and not info.get("amp_item") and self.same_site(response.url, canonical):
            self.read_page(response, selector, item)
            self.add_cpu("parse", started)
            yield self.request_for(info["requested"], target=canonical, amp_item=item)
            return
        self.read_page(response, selector, item)
        self.add_cpu("parse", started)
        yield item

    def add_cpu(self, stage: str, started: float) -> None:
        """Count this thread's CPU time since ``started`` as ``stage`` in the crawl's stats
        (``sourcecheck/cpu_us/<stage>``, microseconds), for the per-stage breakdown of
        bench/throughput.py. Thread time: the reactor's thread is the crawl's."""
        crawler = getattr(self, "crawler", None)
        if crawler is not None and crawler.stats is not None:
            micros = round((time.thread_time() - started) * 1e6)
            crawler.stats.inc_value(CPU_STAT + stage, micros)

    def read_page(self, response: TextResponse, selector: Selector, item: SourcePage) -> None:
        """Fill in the layout, kind and body, or the reason the page is unreadable."""
        linked_data = list(json_ld(selector))  # walked once for every question below
        item.kind = "live" if self.is_live(response, linked_data) else "article"
        # A paywalled page is still read: some publishers mark free articles as paid,
        # and a quote from the visible part is really there. The verdict step turns
        # anything short of verified on such a page into unavailable: paywall.
        item.paywalled = self.is_paywalled(selector, linked_data)
        layouts = self.live_layouts + self.layouts if item.kind == "live" else self.layouts
        found = first_matching(layouts, selector)
        if found is not None:
            item.layout, item.body_text = found[0].name, found[1]
        elif self.is_consent_wall(response, selector):
            item.reason = "consent_wall"
            item.detail = "the page is a cookie or consent form, not the article"
            return
        # Last, once the layouts and walls have read the page as fetched: what is left
        # of the tree is what extraction reads.
        item.reader_comments = self.drop_comments(selector)
        item.tree = selector.root

    def failed(self, failure: Failure) -> SourcePage:
        """Errback: every failure becomes an item with a precise reason."""
        request: scrapy.Request = failure.request  # type: ignore[attr-defined]  # set by Scrapy
        response = getattr(failure.value, "response", None)
        amp_item = request.meta[META].get("amp_item")
        reason, detail = reason_for(failure)
        if amp_item is not None and amp_item.reason is None:
            # The AMP page was readable; its canonical page was not. Use the AMP page.
            amp_item.detail = f"read the AMP page: its canonical page failed ({reason})"
            return amp_item
        item = self.new_item(request, response if isinstance(response, Response) else None)
        item.reason, item.detail = reason, detail
        return item


def _content_type(response: Response) -> str:
    return (response.headers.get(b"Content-Type") or b"").decode("latin-1").strip()


def _is_html(response: Response) -> bool:
    if isinstance(response, HtmlResponse):
        return True
    content_type = _content_type(response).lower()
    return isinstance(response, TextResponse) and "html" in content_type


def _amp_canonical(selector: Selector, response: TextResponse) -> str | None:
    """The canonical URL an AMP page points to, when it is not this page."""
    is_amp = selector.xpath("/html[@amp or @*[name()='⚡']]")
    if not is_amp:
        return None
    href = selector.css('link[rel="canonical"]::attr(href)').get()
    if not href:
        return None
    target = response.urljoin(href.strip())
    return target if target != response.url else None
