"""Every versioned layout selector, on a small page built in its layout's markup.

The current layouts also have recorded fixtures (tests/test_spiders.py); older and
newer designs are built here from the markup those designs use, with furniture
(captions, related links, scripts) that must stay out of the body.
"""

from __future__ import annotations

import pytest
from parsel import Selector

from spiders.bbc import BbcSpider
from spiders.guardian import GuardianSpider
from spiders.independent import IndependentSpider

PROSE = [
    "The council approved the new bus routes after a two-hour debate on Monday night.",
    "Officials said the first buses would run in March, weeks later than planned.",
    "A spokesperson said the delay was caused by a shortage of trained drivers.",
    "Residents who spoke at the meeting welcomed the plan but asked for later services.",
]
FURNITURE = "A caption that is not prose"
RELATED = "Related story that is not prose"


def paragraphs(tag: str = "p") -> str:
    return "".join(f"<{tag}>{p}</{tag}>" for p in PROSE)


def page(inner: str, html_attrs: str = "") -> str:
    return (
        f"<!doctype html><html {html_attrs}><head><title>t</title>"
        "<script>var prose = 'not this';</script></head><body>"
        f"<nav><ul><li>Home</li><li>News</li></ul></nav>{inner}"
        f"<aside><p>{RELATED}</p></aside></body></html>"
    )


FIG = f"<figure><img src='x.jpg'><figcaption>{FURNITURE}</figcaption></figure>"

CASES = [
    (
        BbcSpider,
        "bbc-2020",
        page(
            "<main><article>"
            + "".join(f'<div data-component="text-block"><p>{p}</p></div>' for p in PROSE[:2])
            + f'<div data-component="image-block">{FIG}</div>'
            + '<div data-component="unordered-list-block"><ul>'
            + "".join(f"<li>{p}</li>" for p in PROSE[2:])
            + "</ul></div></article></main>"
        ),
    ),
    (
        BbcSpider,
        "bbc-2025",
        page("<main>" + "".join(f'<div data-block="text"><p>{p}</p></div>' for p in PROSE) + FIG),
    ),
    (
        BbcSpider,
        "bbc-2016",
        page(
            f'<div class="story-body"><div class="story-body__inner">{FIG}'
            f"{paragraphs()}</div></div>"
        ),
    ),
    (BbcSpider, "bbc-2012", page(f'<div class="story-body">{FIG}{paragraphs()}</div>')),
    (BbcSpider, "bbc-amp", page(f'<div class="main_article_text">{paragraphs()}</div>', "amp")),
    (
        BbcSpider,
        "bbc-2009",
        page(f'<table><tr><td class="storybody">{paragraphs()}</td></tr></table>'),
    ),
    (
        GuardianSpider,
        "guardian-2020",
        page(f'<div data-gu-name="body"><div id="maincontent">{paragraphs()}{FIG}</div></div>'),
    ),
    (
        GuardianSpider,
        "guardian-2016",
        page(f'<div class="content__article-body" itemprop="articleBody">{paragraphs()}</div>'),
    ),
    (GuardianSpider, "guardian-2012", page(f'<div id="article-body-blocks">{paragraphs()}</div>')),
    (
        IndependentSpider,
        "independent-2020",
        page(
            f'<article><div id="main">{"".join(f"<div><p>{p}</p></div>" for p in PROSE)}'
            f"</div></article>"
        ),
    ),
    (
        IndependentSpider,
        "independent-2015",
        page(f'<div class="text-wrapper" itemprop="articleBody">{paragraphs()}</div>'),
    ),
    (IndependentSpider, "independent-2013", page(f'<div id="main">{paragraphs()}</div>')),
]


@pytest.mark.parametrize(("spider", "layout", "html"), CASES, ids=[c[1] for c in CASES])
def test_layout_reads_the_body_only(spider: type, layout: str, html: str) -> None:
    from spiders.layouts import first_matching

    found = first_matching(spider.layouts, Selector(text=html))
    assert found is not None
    assert found[0].name == layout
    assert found[1] == "\n\n".join(PROSE)  # every paragraph, in order, nothing else


def test_every_layout_is_tested() -> None:
    # The Guardian's live layouts are tested on the recorded live blog (test_spiders.py).
    tested = {c[1] for c in (*CASES, *LIVE_CASES)} | {"guardian-live-2016"}
    declared = {
        layout.name
        for spider in (BbcSpider, GuardianSpider, IndependentSpider)
        for layout in (*spider.layouts, *spider.live_layouts)
    }
    assert declared - tested <= {"guardian-live-2016-any"}  # the fallback of the above


LIVE_CASES = [
    (
        BbcSpider,
        "bbc-live-2017",
        page("".join(f'<li class="lx-stream-post"><p>{p}</p></li>' for p in PROSE)),
        "https://www.bbc.co.uk/news/live/world-europe-60000000",
    ),
    (
        BbcSpider,
        "bbc-live-2024",
        page("".join(f'<article data-testid="content-post"><p>{p}</p></article>' for p in PROSE)),
        "https://www.bbc.com/news/live/c0000000000t",
    ),
    (
        IndependentSpider,
        "independent-live-2020",
        page(
            '<script type="application/ld+json">{"@type": "LiveBlogPosting"}</script>'
            f'<article><div id="main">{paragraphs()}</div></article>'
        ),
        "https://www.independent.co.uk/news/world/ukraine-war-live-b2630000.html",
    ),
]


@pytest.mark.parametrize(("spider", "layout", "html", "url"), LIVE_CASES)
def test_live_layouts(spider: type, layout: str, html: str, url: str) -> None:
    from scrapy.http import HtmlResponse

    instance = spider(url=url)
    response = HtmlResponse(
        url, body=html.encode(), encoding="utf-8", request=instance.request_for(url)
    )
    (item,) = list(instance.parse(response))
    assert (item.kind, item.layout) == ("live", layout)
    assert item.body_text == "\n\n".join(PROSE)


def test_a_layout_needs_a_real_body() -> None:
    from spiders.layouts import first_matching

    stub = page('<div id="maincontent"><p>Too short to be an article.</p></div>')
    assert first_matching(GuardianSpider.layouts, Selector(text=stub)) is None
