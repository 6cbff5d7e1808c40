"""Outlet spiders on recorded pages: layouts, walls, live blogs, AMP, charsets.

Responses are built from fixtures/ (the manifest's headers and bodies), then the
spider's callback is run directly, as Scrapy would call it; no crawl, no network.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from parsel import Selector
from scrapy import Request
from scrapy.http import Headers, TextResponse
from scrapy.responsetypes import responsetypes

from crawler.extraction.pipeline import ExtractPipeline
from spiders.base import COMMENT_SELECTORS, CONSENT_MARKERS, ArticleSpider, one_walk
from spiders.items import SourcePage
from spiders.registry import spider_for_url
from tests.support.cli_run import FIXTURES
from tests.support.fixture_urls import (
    BBC,
    BBC_2019,
    CONSENT,
    CP1252_BARE,
    CP1252_META,
    GUARDIAN,
    GUARDIAN_2025,
    INDEPENDENT,
    LIVE,
    PREMIUM,
)


@cache
def manifest() -> dict[str, dict[str, Any]]:
    data = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
    return {e["url"]: e for e in data["entries"] if e.get("url")}


def recorded_response(url: str, spider: ArticleSpider) -> TextResponse:
    entry = manifest()[url]
    body = (FIXTURES / entry["file"]).read_bytes()
    headers = Headers(entry["headers"])
    cls = responsetypes.from_args(headers=headers, url=url, body=body)
    request = spider.request_for(url)
    return cls(url=url, status=entry["status"], headers=headers, body=body, request=request)


def parse(url: str) -> list[Any]:
    spider = spider_for_url(url)(url=url)
    return list(spider.parse(recorded_response(url, spider)))


def item_for(url: str) -> SourcePage:
    (item,) = parse(url)
    assert isinstance(item, SourcePage)
    return ExtractPipeline().process_item(item)


@pytest.mark.parametrize(
    ("url", "outlet", "layout", "in_body", "not_in_body"),
    [
        (
            INDEPENDENT,
            "independent",
            "independent-2020",
            "The troops have been supplied with Russian military uniforms, weapons and false",
            # a reader comment's version of the same sentence, outside #main
            "weapons and fake identification",
        ),
        (
            BBC,
            "bbc",
            "bbc-2020",
            "When Russia invaded its neighbour on 24 February",
            "__INITIAL_DATA__",  # the JSON copy of the article in a script
        ),
        (
            GUARDIAN,
            "guardian",
            "guardian-2020",
            "what Ukrainians are helping us do is extend 1938",
            "Sign up to",  # the newsletter promotion inside #maincontent
        ),
        (
            BBC_2019,
            "bbc",
            "bbc-2016",
            "Mr Kim arrived on Wednesday by armoured train",
            "bbcdotcom",  # the advert script inside the body
        ),
        (
            GUARDIAN_2025,
            "guardian",
            "guardian-2020",  # no data-gu-name any more: #maincontent still holds
            "“This is no longer just about transferring weapons.",
            None,
        ),
    ],
)
def test_outlet_layout(
    url: str, outlet: str, layout: str, in_body: str, not_in_body: str | None
) -> None:
    item = item_for(url)
    assert (item.outlet, item.layout, item.kind, item.reason) == (outlet, layout, "article", None)
    assert item.body_text is not None and in_body in item.body_text
    assert item.page is not None and item.page.extractor == "selectors"
    if not_in_body:
        assert not_in_body not in item.body_text
    assert (item.requested_url, item.final_url, item.status) == (url, url, 200)


def test_guardian_standfirst_is_not_body() -> None:
    from parsel import Selector

    html = (FIXTURES / manifest()[GUARDIAN]["file"]).read_text(encoding="utf-8")
    standfirst = " ".join(
        Selector(text=html).css('[data-gu-name="standfirst"] ::text').getall()
    ).strip()
    assert standfirst and standfirst[:60] not in item_for(GUARDIAN).body_text


def test_independent_premium_is_marked_paywalled_and_still_read() -> None:
    item = item_for(PREMIUM)
    assert item.paywalled and item.reason is None


def test_live_blog_is_recognised_and_read_post_by_post() -> None:
    item = item_for(LIVE)
    assert (item.kind, item.layout, item.reason) == ("live", "guardian-live-2016", None)
    assert "This is a clear step in Russia’s escalation that matters" in item.body_text
    # The pinned post repeats the newest block: read once, not twice.
    assert item.body_text.count("It’s time to close this blog for today") == 1


def test_consent_wall_is_not_an_article() -> None:
    item = item_for(CONSENT)
    assert (item.outlet, item.reason, item.page) == ("generic", "consent_wall", None)


def test_amp_page_fetches_its_canonical_and_keeps_itself_as_fallback() -> None:
    amp = INDEPENDENT + "?amp"
    spider = spider_for_url(amp)(url=amp)
    (follow,) = list(spider.parse(recorded_response(amp, spider)))
    assert isinstance(follow, Request) and follow.url == INDEPENDENT
    fallback = follow.meta["sourcecheck"]["amp_item"]
    assert fallback.requested_url == amp and fallback.layout == "independent-2020"
    assert "supplied with Russian military uniforms" in fallback.body_text


@pytest.mark.parametrize(
    ("url", "encoding", "text"),
    [
        (CP1252_META, "cp1252", "they’re fair game"),
        (CP1252_BARE, "cp1250", "“I believe they sent officers first"),
    ],
)
def test_legacy_charset_is_decoded_by_scrapy(url: str, encoding: str, text: str) -> None:
    spider = spider_for_url(url)(url=url)
    response = recorded_response(url, spider)
    assert response.encoding == encoding
    item = ExtractPipeline().process_item(next(iter(spider.parse(response))))
    assert item.reason is None and text in item.page.text


def test_not_html_is_refused_before_reading() -> None:
    spider = spider_for_url(INDEPENDENT)(url=INDEPENDENT)
    request = spider.request_for(INDEPENDENT)
    from scrapy.http import Response

    pdf = Response(
        INDEPENDENT, body=b"%PDF-1.4", headers={"Content-Type": "application/pdf"}, request=request
    )
    (item,) = list(spider.parse(pdf))
    assert (item.reason, item.html) == ("not_html", "")


def test_spider_needs_a_url() -> None:
    with pytest.raises(ValueError, match="url"):
        spider_for_url(BBC)()


def test_spider_takes_a_list_of_urls() -> None:
    spider = spider_for_url(BBC)(urls=f"{BBC}, {BBC}?at_medium=RSS")
    assert spider.urls == [BBC, f"{BBC}?at_medium=RSS"]


def test_a_consent_host_is_a_wall_and_a_banner_is_not() -> None:
    from scrapy.http import HtmlResponse

    from spiders.generic import GenericSpider

    def read(url: str, html: str) -> SourcePage:
        spider = GenericSpider(url=url)
        response = HtmlResponse(
            url, body=html.encode(), encoding="utf-8", request=spider.request_for(url)
        )
        (item,) = list(spider.parse(response))
        return item

    form = "<div id='onetrust-consent-sdk'><p>We use cookies.</p><button>Accept</button></div>"
    wall = read("https://consent.example.net/v2/collectConsent?site=x", f"<body>{form}</body>")
    assert wall.reason == "consent_wall"
    prose = "".join(
        f"<p>Paragraph {i} of a real article with enough words in it.</p>" for i in range(20)
    )
    article = read(
        "https://news.example.net/story", f"<body>{form}<article>{prose}</article></body>"
    )
    assert article.reason is None  # a banner beside an article is not a wall


def test_amp_canonical_is_followed_only_within_the_site() -> None:
    from scrapy.http import HtmlResponse

    from spiders.generic import GenericSpider

    prose = "".join(
        f"<p>Paragraph {i} of the AMP copy of an article, long enough.</p>" for i in range(9)
    )

    def parse_amp(url: str, canonical: str) -> list[Any]:
        html = f"<html amp><head><link rel='canonical' href='{canonical}'></head><body>{prose}"
        spider = GenericSpider(url=url)
        response = HtmlResponse(
            url, body=html.encode(), encoding="utf-8", request=spider.request_for(url)
        )
        return list(spider.parse(response))

    (follow,) = parse_amp("https://amp.example.net/a", "https://www.example.net/a")
    assert isinstance(follow, Request) and follow.url == "https://www.example.net/a"
    (item,) = parse_amp("https://amp.example.net/a", "https://www.elsewhere.org/a")
    assert isinstance(item, SourcePage) and item.final_url == "https://amp.example.net/a"


def test_one_walk_matches_what_the_css_union_matches() -> None:
    """The consent and comment selectors are read in one walk of the page: the same
    nodes in the same order as their CSS union, nested matches included."""
    html = (
        '<html><body><div id="comments"><section class="x comments"><p>a</p></section>'
        '<div class="fb-comments">b</div></div><form action="/consent/ok"></form>'
        '<div class="fc-consent-root">c</div><div id="sp_message_container_1">d</div>'
        '<section class="comments-x">not a comments section</section></body></html>'
    )
    selector = Selector(text=html)
    for group in (CONSENT_MARKERS, COMMENT_SELECTORS):
        union = [node.root for node in selector.css(", ".join(group))]
        walked = [node.root for node in selector.xpath(one_walk(group))]
        assert union and walked == union


# Selectors of every shape one_walk meets: one attribute (rewritten to a walk of that
# attribute), several attributes, none, not(), positions (each kept as element tests).
_SELECTORS = (
    "#comments",
    ".b",
    "section.b",
    "[data-c]",
    '[data-c="x y"]',
    '[data-c~="y"]',
    '[id^="sp_"]',
    '[id$="_1"]',
    '[class*="b"]',
    '[lang|="en"]',
    'form[action*="ok"]',
    "a.b.c",
    "div#x.b",
    "*:not([id])",
    "p:first-child",
    '[id=""]',
    '[id*=""]',
    "section",
    '[data-c!="x"]',
    "div > p",
    "a, p",
)
_TAGS = ("div", "section", "p", "a", "form", "span")
_ATTRS = st.dictionaries(
    st.sampled_from(("id", "class", "data-c", "action", "lang")),
    st.sampled_from(("", "b", "x y", "a b c", "sp_1", "en-GB", "ok", " b ", "comments")),
    max_size=3,
)


@st.composite
def _pages(draw: st.DrawFn, depth: int = 0) -> str:
    children = draw(st.lists(st.just(0), max_size=0 if depth > 2 else 3))
    tag, attrs = draw(st.sampled_from(_TAGS)), draw(_ATTRS)
    inner = "".join(draw(_pages(depth + 1)) for _ in children)
    quoted = "".join(f' {k}="{v}"' for k, v in attrs.items())
    return f"<{tag}{quoted}>t{inner}</{tag}>"


@settings(max_examples=300, deadline=None)
@given(_pages(), st.lists(st.sampled_from(_SELECTORS), min_size=1, max_size=5, unique=True))
def test_one_walk_is_the_css_union_on_any_page(body: str, selectors: list[str]) -> None:
    """The attribute walks one_walk writes find what Scrapy's CSS union finds, in order."""
    selector = Selector(text=f"<html><body>{body}</body></html>")
    union = [node.root for node in selector.css(", ".join(selectors))]
    walked = [node.root for node in selector.xpath(one_walk(tuple(selectors)))]
    assert walked == union


def test_one_walk_keeps_element_tests_for_conditions_true_without_the_attribute() -> None:
    """A condition that holds on an element without the attribute (``contains(@a, '')``)
    cannot become a walk of that attribute: elements without it would be missed."""
    from spiders.walk import _value_test

    assert _value_test("contains(@a, '')") is None
    assert _value_test("@a = 'x' or contains(@a, '')") is None
    assert _value_test("@a and contains(@a, '')") == ("a", ". and contains(., '')")


def test_a_parsed_response_is_freed_without_the_cyclic_collector() -> None:
    """The spider's selector is not cached on the response: a cached one points back at
    its response, and the cycle kept each page (body, text and tree) alive until a
    garbage collection, tens of pages later in a crawl."""
    import gc
    import weakref

    spider = spider_for_url(GUARDIAN)(url=GUARDIAN)
    response = recorded_response(GUARDIAN, spider)
    gone = weakref.ref(response)
    gc.disable()
    try:
        (item,) = list(spider.parse(response))
        assert isinstance(item, SourcePage) and item.tree is not None
        del response
        assert gone() is None
    finally:
        gc.enable()
