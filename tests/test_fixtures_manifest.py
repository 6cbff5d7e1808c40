"""The recorded fixtures and their manifest keep the promises other tests rely on.

The fixtures are data: hand-reconstructed outlet pages plus a manifest of how each
was served. These tests check the manifest is complete and sane, that each page
carries the markup of the layout it claims (the outlet spiders' selectors depend
on it), and that the deliberate properties documented in fixtures/README.md hold
(which passages are verbatim, which one is altered, which bytes are not UTF-8).
"""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from scrapy.http import HtmlResponse, Request
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.selector import Selector

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MANIFEST = json.loads((FIXTURES / "manifest.json").read_text(encoding="utf-8"))
ENTRIES = MANIFEST["entries"]
SERVED = [e for e in ENTRIES if e["url"] is not None]
BY_URL = {e["url"]: e for e in SERVED}
OUTLETS = {"bbc", "guardian", "independent", None}

INDEPENDENT_URL = "https://www.independent.co.uk/news/world/asia/north-korea-troops-russia-ukraine-nis-b2631234.html"
BBC_URL = "https://www.bbc.com/news/articles/cw8l2nd4pkyo"
GUARDIAN_URL = (
    "https://www.theguardian.com/world/2024/sep/22/"
    "timothy-snyder-putin-ukraine-war-1938-lessons-history"
)
CITING_URL = (
    "https://www.civicledger.example/opinion/2024/10/24/"
    "putin-bat-signal-north-korean-reinforcements-ukraine/"
)

# Body-selector markup each layout must carry (CSS, minimum number of matches).
LAYOUT_BODY = {
    "bbc-2024": ('div[data-component="text-block"] p', 5),
    "bbc-2019": ('div.story-body__inner[property="articleBody"] p', 5),
    "guardian-dcr-2022": ('[data-gu-name="body"] #maincontent p', 5),
    "guardian-dcr-2025": ("#maincontent .article-body-commercial-selector p", 5),
    "guardian-liveblog-dcr-2024": ("#maincontent #liveblog-body article.block time[datetime]", 3),
    "independent-2024": ("article div#main p", 10),
    "independent-amp-2024": ("article div#main p", 10),
    "independent-2024-premium": ("article div#main p", 1),
    "wordpress-2024": ("article div.entry-content blockquote p", 10),
}


def entry_for(url: str) -> dict:
    return BY_URL[url]


def body_of(entry: dict) -> bytes:
    return (FIXTURES / entry["file"]).read_bytes()


def selector(entry: dict) -> Selector:
    return Selector(text=body_of(entry).decode("utf-8"))


def header(entry: dict, name: str) -> str | None:
    for key, value in entry["headers"].items():
        if key.lower() == name.lower():
            return value
    return None


def plain(text: str) -> str:
    """Typography-insensitive form, for checks that allow only typographic differences."""
    table = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'"})
    return re.sub(r"\s+", " ", text.translate(table)).strip()


def joined(sel: Selector, css: str) -> str:
    return " ".join("".join(node.css("::text").getall()) for node in sel.css(css))


# ---------------------------------------------------------------- the manifest itself


def test_manifest_version_and_required_fields():
    assert MANIFEST["version"] == 1
    required = {"url", "final_url", "status", "headers", "file", "fetched_at", "reconstructed"}
    required |= {"outlet", "layout", "note"}
    for e in ENTRIES:
        assert required <= e.keys(), e.get("url")
        assert e["reconstructed"] is True
        assert e["outlet"] in OUTLETS
        assert e["layout"] and e["note"]


def test_every_manifest_file_exists_and_every_page_file_is_listed():
    listed = {e["file"] for e in ENTRIES if e["file"]}
    for name in listed:
        assert (FIXTURES / name).is_file(), name
    on_disk = {
        p.relative_to(FIXTURES).as_posix() for p in (FIXTURES / "pages").rglob("*") if p.is_file()
    }
    assert on_disk == listed


def test_urls_are_unique_and_served_entries_are_sane():
    assert len(BY_URL) == len(SERVED)
    for e in SERVED:
        assert urlsplit(e["url"]).scheme in {"http", "https"}
        assert urlsplit(e["final_url"]).scheme in {"http", "https"}
        assert isinstance(e["status"], int) and 200 <= e["status"] < 600
        datetime.fromisoformat(e["fetched_at"].replace("Z", "+00:00"))
        assert header(e, "Content-Type"), e["url"]
        assert header(e, "Date"), e["url"]
        # Bodies are stored decoded: a replayed Content-Encoding or Content-Length would lie.
        assert header(e, "Content-Encoding") is None
        assert header(e, "Content-Length") is None
        if e["status"] == 200:
            assert e["file"], e["url"]
            assert e["final_url"] == e["url"]


def test_local_only_entries_are_explicit():
    local = [e for e in ENTRIES if e["url"] is None]
    assert [e["file"] for e in local] == ["pages/citing-article.txt"]
    assert local[0]["status"] is None and local[0]["final_url"] is None


def test_redirects_have_a_location_and_chains_end_at_their_final_url():
    redirects = [e for e in SERVED if 300 <= e["status"] < 400]
    assert {e["status"] for e in redirects} >= {301, 302}
    for e in redirects:
        url, seen = e["url"], set()
        while 300 <= entry_for(url)["status"] < 400:
            assert url not in seen, f"redirect loop at {url}"
            seen.add(url)
            url = header(entry_for(url), "Location")
            assert url in BY_URL, f"redirect target not recorded: {url}"
        assert url == e["final_url"]
        assert entry_for(url)["status"] == 200
    # The BBC short link goes through a 301 and a 302 before the article.
    chain = [entry_for("https://bbc.in/3Nq7xKc")]
    while 300 <= chain[-1]["status"] < 400:
        chain.append(entry_for(header(chain[-1], "Location")))
    assert [c["status"] for c in chain] == [301, 302, 200]


def test_error_page_is_recorded_with_its_status_and_body():
    # The archive cases (layout "error-page") reuse error bodies for their gone URLs.
    errors = [e for e in SERVED if e["status"] == 404 and e["layout"] != "error-page"]
    assert len(errors) == 1 and errors[0]["file"]
    assert b"can\xe2\x80\x99t find the page" in body_of(errors[0])


# ---------------------------------------------------------------- layouts and selectors


@pytest.mark.parametrize("layout", sorted(LAYOUT_BODY))
def test_each_layout_carries_its_body_markup(layout):
    css, minimum = LAYOUT_BODY[layout]
    pages = [e for e in SERVED if e["layout"] == layout]
    assert pages, f"no fixture for layout {layout}"
    for e in pages:
        assert len(selector(e).css(css)) >= minimum, (e["url"], css)


def test_guardian_standfirst_and_headline_sit_outside_the_body():
    sel = selector(entry_for(GUARDIAN_URL))
    assert sel.css('[data-gu-name="headline"] h1::text').get() == (
        "We’re in 1938 now: Putin’s war in Ukraine and lessons from history"
    )
    assert sel.css('[data-gu-name="standfirst"] p::text').get()
    assert not sel.css('#maincontent [data-gu-name="standfirst"]')
    assert not sel.css('[data-gu-name="standfirst"] #maincontent')


def test_current_guardian_layout_has_no_data_gu_name():
    # Selectors must not rely on data-gu-name alone: the 2025 markup dropped it.
    (page,) = [e for e in SERVED if e["layout"] == "guardian-dcr-2025"]
    sel = selector(page)
    assert not sel.css("[data-gu-name]")
    assert sel.css("main article h1::text").get()


def independent_ld(entry: dict) -> dict:
    for raw in selector(entry).css('script[type="application/ld+json"]::text').getall():
        data = json.loads(raw)
        if data.get("@type") == "NewsArticle":
            return data
    raise AssertionError("no NewsArticle JSON-LD")


def test_independent_json_ld_says_whether_the_article_is_free():
    free = [e for e in SERVED if e["layout"] in {"independent-2024", "independent-amp-2024"}]
    assert free
    for e in free:
        assert independent_ld(e)["isAccessibleForFree"] is True
    premium = [e for e in SERVED if e["layout"] == "independent-2024-premium"]
    assert len(premium) == 1
    assert independent_ld(premium[0])["isAccessibleForFree"] is False
    sel = selector(premium[0])
    assert sel.css('article[data-is-premium="true"]')
    assert len(sel.css("article div#main .premium-content p")) <= 3  # the body is cut off
    assert sel.css("article div#main [data-testid=paywall]")


def test_amp_page_points_to_its_canonical_article():
    amp = entry_for(INDEPENDENT_URL + "?amp")
    sel = selector(amp)
    assert sel.css("html").attrib.get("⚡") is not None
    assert sel.css('link[rel="canonical"]::attr(href)').get() == INDEPENDENT_URL
    assert INDEPENDENT_URL in BY_URL


def test_consent_wall_serves_no_article():
    walls = [e for e in SERVED if e["layout"] == "generic-cmp-wall"]
    assert len(walls) == 1 and walls[0]["status"] == 200
    sel = selector(walls[0])
    assert not sel.css("article")
    assert sel.css('[role="dialog"] button')


# ---------------------------------------------------------------- the deliberate properties

NIS = (
    "South Korea’s National Intelligence Service said Pyongyang has sent around 3,000 troops — "
    "including special forces — to Russia’s far east for military training and acclimatising at "
    "the bases there, in what could be readiness for combat in the war."
)
UNIFORMS = (
    "The troops have been supplied with Russian military uniforms, weapons and false "
    "identification documents ahead of their deployment for combat, the NIS said."
)


def test_independent_body_holds_the_quoted_paragraphs_verbatim():
    sel = selector(entry_for(INDEPENDENT_URL))
    paragraphs = sel.css("article div#main p::text").getall()
    # The citing article quotes them as one two-paragraph block: they must be consecutive.
    assert paragraphs.index(UNIFORMS) == paragraphs.index(NIS) + 1
    comments = joined(sel, "#comments .comment-body")
    assert not sel.css("div#main #comments")
    # The comments misquote and out-quote the article: they must stay out of the body.
    assert "fake identification documents" in comments
    assert "clear step in Russia’s escalation" in comments
    assert "clear step in Russia’s escalation" not in " ".join(paragraphs)


def test_bbc_body_differs_from_the_quotes_only_in_typography():
    seed = (FIXTURES / "pages" / "citing-article.txt").read_text(encoding="utf-8").split("\n")
    start = seed.index("As the BBC reported two years ago at the start of the invasion:") + 1
    quoted = seed[start : start + 3]
    body = joined(selector(entry_for(BBC_URL)), 'div[data-component="text-block"] p')
    for paragraph in quoted:
        assert plain(paragraph) in plain(body)
    assert plain(" ".join(quoted)) in plain(body)  # consecutive, as the block quotes them
    # The curly quotes are the citing article's; BBC body copy has straight ones.
    assert "“special operation”" in quoted[0] and "“special operation”" not in body
    page = body_of(entry_for(BBC_URL)).decode("utf-8")
    assert "no peace until" not in page


def test_guardian_quote_differs_by_one_word():
    body = joined(selector(entry_for(GUARDIAN_URL)), "#maincontent p")
    assert "In effect, what Ukrainians are helping us do is extend 1938." in body
    assert "letting us do" not in body
    assert "or if we give up on Ukraine, the war doesn’t end. It’s Russia making war" in body


def test_citing_article_html_has_the_seed_text_block_quotes_and_links():
    seed = (FIXTURES / "pages" / "citing-article.txt").read_text(encoding="utf-8").split("\n")
    sel = selector(entry_for(CITING_URL))
    assert sel.css("h1.entry-title::text").get() == seed[0]
    paragraphs = ["".join(p.css("::text").getall()) for p in sel.css("div.entry-content p")]
    assert paragraphs == [line for line in seed[2:] if line.strip()]
    assert len(sel.css("div.entry-content blockquote")) == 11
    links = sel.css("div.entry-content a::attr(href)").getall()
    assert sorted(links) == sorted([INDEPENDENT_URL, BBC_URL, GUARDIAN_URL])
    assert all(link in BY_URL for link in links)


# ---------------------------------------------------------------- bytes, charsets, robots


@pytest.mark.parametrize(
    "name", ["pages/legacy-cp1252-meta-charset.html", "pages/legacy-cp1252-undeclared.html"]
)
def test_legacy_charset_pages_are_not_utf8_and_decode_as_cp1252(name):
    (e,) = [e for e in SERVED if e["file"] == name]
    raw = body_of(e)
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert b"\x93" in raw and b"\x94" in raw
    assert "charset" not in header(e, "Content-Type").lower()
    response = HtmlResponse(
        url=e["url"],
        body=raw,
        headers={"Content-Type": header(e, "Content-Type")},
        request=Request(e["url"]),
    )
    # Scrapy may name the undeclared page cp1250 (its guess); every byte used here decodes
    # the same in both, which is what matters for the text.
    assert response.text == raw.decode("cp1252")
    assert "“" in response.text and "’" in response.text and "—" in response.text


def robots_for(url: str) -> ProtegoRobotParser:
    """The parser Scrapy's RobotsTxtMiddleware uses by default."""
    parts = urlsplit(url)
    robots = entry_for(f"{parts.scheme}://{parts.netloc}/robots.txt")
    return ProtegoRobotParser(body_of(robots), None)


def test_every_served_host_has_a_robots_txt():
    for e in SERVED:
        parts = urlsplit(e["url"])
        assert f"{parts.scheme}://{parts.netloc}/robots.txt" in BY_URL, e["url"]


def test_robots_allow_the_articles_and_disallow_the_robots_fixture():
    agent = "sourcecheck"
    for url in (INDEPENDENT_URL, BBC_URL, GUARDIAN_URL, CITING_URL):
        assert robots_for(url).allowed(url, agent), url
    assert not robots_for(BBC_URL).allowed("https://www.bbc.com/search?q=ukraine", agent)
    (blocked,) = [e for e in SERVED if "frontline-dispatch" in e["url"] and e["layout"] != "robots"]
    assert blocked["status"] == 200 and blocked["file"]
    assert not robots_for(blocked["url"]).allowed(blocked["url"], agent)


def test_every_json_ld_block_parses():
    pages = [e for e in SERVED if e["file"] and e["file"].endswith(".html")]
    checked = 0
    for e in pages:
        raw = body_of(e)
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            continue  # the legacy pages carry no JSON-LD
        for block in Selector(text=text).css('script[type="application/ld+json"]::text').getall():
            json.loads(block)
            checked += 1
    assert checked >= 8
