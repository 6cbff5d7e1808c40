"""Outlet registry and URL canonicalisation."""

from __future__ import annotations

import pytest

from spiders.bbc import BbcSpider
from spiders.generic import GenericSpider
from spiders.guardian import GuardianSpider
from spiders.independent import IndependentSpider
from spiders.registry import canonical_url, spider_for_outlet, spider_for_url

CANONICAL = [
    # The Guardian: AMP host, old domain, bare domain, tracking, fragment -> www
    (
        "https://amp.theguardian.com/world/2024/sep/22/a-piece",
        "https://www.theguardian.com/world/2024/sep/22/a-piece",
    ),
    (
        "http://www.guardian.co.uk/film/2011/nov/18/kristen-wiig-bridesmaids",
        "https://www.theguardian.com/film/2011/nov/18/kristen-wiig-bridesmaids",
    ),
    (
        "https://theguardian.com/world/2024/sep/22/a-piece?CMP=share_btn_tw&utm_source=x#comments",
        "https://www.theguardian.com/world/2024/sep/22/a-piece",
    ),
    (
        "https://www.theguardian.com/world/live/2024/sep/22/x?page=with:block-123&INTCMP=a",
        "https://www.theguardian.com/world/live/2024/sep/22/x?page=with%3Ablock-123",
    ),
    # The Independent: ?amp, /amp, tracking, bare host
    (
        "https://www.independent.co.uk/news/world/asia/a-story-b2631234.html?amp",
        "https://www.independent.co.uk/news/world/asia/a-story-b2631234.html",
    ),
    (
        "http://independent.co.uk/news/world/asia/a-story-b2631234.html?utm_medium=Social#x",
        "https://www.independent.co.uk/news/world/asia/a-story-b2631234.html",
    ),
    (
        "https://www.independent.co.uk/news/world/asia/a-story-b2631234.html/amp",
        "https://www.independent.co.uk/news/world/asia/a-story-b2631234.html",
    ),
    # The BBC: both domains kept (each is canonical for some pages), bare -> www,
    # .amp suffix and tracking parameters dropped
    (
        "https://bbc.co.uk/news/world-europe-60125659?at_medium=RSS&at_campaign=KARANGA",
        "https://www.bbc.co.uk/news/world-europe-60125659",
    ),
    (
        "https://www.bbc.com/news/articles/cw8l2nd4pkyo.amp",
        "https://www.bbc.com/news/articles/cw8l2nd4pkyo",
    ),
    ("http://m.bbc.co.uk/news/uk-19957138", "https://www.bbc.co.uk/news/uk-19957138"),
    # Any other site: tracking and fragment go, the rest stays as given
    (
        "HTTPS://Example.ORG:443/a/b?id=7&utm_source=feed&fbclid=Z#top",
        "https://example.org/a/b?id=7",
    ),
    ("http://example.org:8080/x?b=2&a=1", "http://example.org:8080/x?b=2&a=1"),
    ("http://[::1]:8080/x", "http://[::1]:8080/x"),
]


@pytest.mark.parametrize(("url", "expected"), CANONICAL)
def test_canonical_url(url: str, expected: str) -> None:
    assert canonical_url(url) == expected
    assert canonical_url(expected) == expected  # canonical URLs are fixed points


@pytest.mark.parametrize(
    ("url", "spider"),
    [
        ("https://www.bbc.co.uk/news/uk-1", BbcSpider),
        ("https://www.bbc.com/news/articles/x", BbcSpider),
        ("http://news.bbc.co.uk/1/hi/england/10249066.stm", BbcSpider),
        ("https://www.theguardian.com/world/x", GuardianSpider),
        ("https://amp.theguardian.com/world/x", GuardianSpider),
        ("http://www.guardian.co.uk/film/x", GuardianSpider),
        ("https://www.independent.co.uk/news/x-b1.html", IndependentSpider),
        ("https://notbbc.com/news/x", GenericSpider),  # a suffix is not a subdomain
        ("https://bbc.co.uk.example.net/x", GenericSpider),
        ("https://example.org/x", GenericSpider),
    ],
)
def test_spider_for_url(url: str, spider: type) -> None:
    assert spider_for_url(url) is spider


@pytest.mark.parametrize(
    ("name", "spider"),
    [
        ("The Guardian", GuardianSpider),
        ("the  independent", IndependentSpider),
        ("BBC News", BbcSpider),
        ("Reuters", None),
    ],
)
def test_spider_for_outlet(name: str, spider: type | None) -> None:
    assert spider_for_outlet(name) is spider
