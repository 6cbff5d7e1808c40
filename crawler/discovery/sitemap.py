"""The sitemap finder: an outlet's news and article sitemaps, sitemap indexes and feeds.

Reading: :class:`scrapy.utils.sitemap.Sitemap` tells a sitemap index from a URL set
and gives each entry's ``loc`` and ``lastmod``, but it flattens every child element to
its own text: a Google News entry's nested ``<news:news>`` comes out as an empty
string, and ``news:title`` / ``news:publication_date`` are lost (checked on Scrapy
2.19). Those two are read here with lxml from the same entries. RSS and Atom feeds
are read with lxml too (Scrapy has no feed parser).

Following: an index's children are fetched (up to ``SOURCECHECK_SITEMAP_DEPTH``
levels, ``SOURCECHECK_SITEMAP_CHILDREN`` each) only when they can hold the window:
a child whose ``lastmod`` is before the window, or whose URL names a month outside
it, is skipped. Ranking: entries dated in the window, by title similarity to a cited
title, else by how many of the title's words the quote uses.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import lxml.etree  # type: ignore[import-untyped]
from scrapy.utils.sitemap import Sitemap

from crawler.discovery.candidates import Candidate, Wanted
from verify.cues import COMMON, Window, title_similarity, words_of

FINDER = "sitemap"
SERVICE = "sitemap"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"
ATOM_NS = "http://www.w3.org/2005/Atom"
# A date in a sitemap's or an article's URL: /2022/06/10/, -2022-06-, 20220610.
_URL_DATE = re.compile(r"(?<!\d)(20\d{2}|19\d{2})[-/_]?(0[1-9]|1[0-2])(?:[-/_]?([0-3]\d))?(?!\d)")
_URL_MONTH_NAME = re.compile(
    r"/(20\d{2})/(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/(\d{1,2})/", re.IGNORECASE
)
# Below these, an entry is not worth a page fetch: a cited title this unlike the
# entry's, or a title sharing fewer of the quote's words (one word is chance).
MIN_TITLE_SIMILARITY = 60.0
MIN_SHARED_WORDS = 2
# A window this many days wide or less is narrow enough to read every entry in it
# (within the page budget).
NARROW_DAYS = 7
_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}


@dataclass(slots=True)
class Entry:
    url: str
    title: str | None = None
    published: date | None = None


@dataclass(slots=True)
class Parsed:
    kind: str  # "index", "urlset", "feed" or "unreadable"
    entries: list[Entry] = field(default_factory=list)
    children: list[tuple[str, date | None]] = field(default_factory=list)  # (url, lastmod)
    detail: str = ""


def parse_day(value: str | None) -> date | None:
    """A W3C datetime (sitemaps, Atom) or an RFC 822 date (RSS) as a date."""
    if not value:
        return None
    value = value.strip()
    if m := re.match(r"(\d{4})-(\d{2})-(\d{2})", value):
        try:
            return date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    try:
        return parsedate_to_datetime(value).date()
    except (TypeError, ValueError, IndexError):
        return None


def url_day(url: str) -> tuple[int, int, int | None] | None:
    """(year, month, day or None) named in a URL's path, if any."""
    path = urlsplit(url).path
    if m := _URL_MONTH_NAME.search(path):
        return int(m[1]), _MONTHS[m[2].lower()], int(m[3])
    if m := _URL_DATE.search(path):
        return int(m[1]), int(m[2]), int(m[3]) if m[3] else None
    return None


def _local(tag: object) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def parse(body: bytes, base_url: str) -> Parsed:
    """A sitemap, sitemap index, or RSS / Atom feed."""
    try:
        root = lxml.etree.fromstring(
            body, parser=lxml.etree.XMLParser(recover=True, resolve_entities=False, no_network=True)
        )
    except lxml.etree.XMLSyntaxError as exc:
        return Parsed("unreadable", detail=f"not XML: {exc}")
    if root is None:
        return Parsed("unreadable", detail="not XML")
    kind = _local(root.tag)
    if kind in ("rss", "RDF", "feed"):
        return _feed(root, base_url)
    if kind not in ("urlset", "sitemapindex"):
        return Parsed("unreadable", detail=f"not a sitemap or feed (<{kind}>)")
    sitemap = Sitemap(body)
    if sitemap.type == "sitemapindex":
        children = [
            (urljoin(base_url, e["loc"]), parse_day(e.get("lastmod")))
            for e in sitemap
            if "loc" in e
        ]
        return Parsed("index", children=children)
    # Scrapy's entries for loc and lastmod; lxml for the nested news:* it flattens away.
    news = {}
    for url_el in root.iter("{*}url"):
        loc = url_el.findtext("{*}loc")
        item = url_el.find(f"{{{NEWS_NS}}}news")
        if loc and item is not None:
            news[loc.strip()] = (
                item.findtext(f"{{{NEWS_NS}}}title"),
                item.findtext(f"{{{NEWS_NS}}}publication_date"),
            )
    entries = []
    for e in sitemap:
        if "loc" not in e:
            continue
        title, published = news.get(e["loc"], (None, None))
        day = parse_day(published) or parse_day(e.get("lastmod"))
        entries.append(Entry(urljoin(base_url, e["loc"]), (title or "").strip() or None, day))
    return Parsed("urlset", entries=entries)


def _feed(root: lxml.etree._Element, base_url: str) -> Parsed:
    entries = []
    for item in root.iter("{*}item"):  # RSS 2.0 and RSS 1.0
        link = (item.findtext("{*}link") or "").strip()
        if link:
            day = parse_day(item.findtext("{*}pubDate") or item.findtext("{*}date"))
            title = (item.findtext("{*}title") or "").strip() or None
            entries.append(Entry(urljoin(base_url, link), title, day))
    for item in root.iter(f"{{{ATOM_NS}}}entry"):
        link_el = item.find(f"{{{ATOM_NS}}}link[@rel='alternate']")
        if link_el is None:
            link_el = item.find(f"{{{ATOM_NS}}}link")
        href = link_el.get("href") if link_el is not None else None
        if href:
            day = parse_day(
                item.findtext(f"{{{ATOM_NS}}}published") or item.findtext(f"{{{ATOM_NS}}}updated")
            )
            title = (item.findtext(f"{{{ATOM_NS}}}title") or "").strip() or None
            entries.append(Entry(urljoin(base_url, href), title, day))
    return Parsed("feed", entries=entries)


def child_may_hold(url: str, lastmod: date | None, windows: list[Window]) -> bool:
    """False when a child sitemap surely holds nothing from any of the windows."""
    if lastmod is not None and all(lastmod < w.start for w in windows):
        return False  # last changed before the window opened: nothing newer in it
    named = url_day(url)
    if named is None:
        return True
    year, month, day = named
    for w in windows:
        if day is not None:
            try:
                if w.contains(date(year, month, day)):
                    return True
            except ValueError:
                return True
        elif (w.start.year, w.start.month) <= (year, month) <= (w.end.year, w.end.month):
            return True
    return False


def entry_day(entry: Entry) -> date | None:
    if entry.published is not None:
        return entry.published
    named = url_day(entry.url)
    if named and named[2]:
        try:
            return date(named[0], named[1], named[2])
        except ValueError:
            return None
    return None


def _slug_words(url: str) -> list[str]:
    return words_of(re.sub(r"[-_/.]+", " ", urlsplit(url).path))


def rank(entry: Entry, wanted: Wanted) -> float:
    """0-1: how likely the entry is the quotation's source, from its title and URL."""
    if wanted.title and entry.title:
        similarity = title_similarity(wanted.title, entry.title)
        return similarity / 100 if similarity >= MIN_TITLE_SIMILARITY else 0.0
    quote = {w for w in words_of(wanted.text) if w not in COMMON and len(w) > 2}
    named = [w for w in words_of(entry.title or "") or _slug_words(entry.url) if w not in COMMON]
    named = [w for w in named if len(w) > 2]
    shared = sum(1 for w in named if w in quote)
    if not named or shared < MIN_SHARED_WORDS:
        return 0.0
    return shared / len(named)


def candidates_for(
    wanted: Wanted, entries: list[tuple[Entry, str]], budget: int
) -> list[Candidate]:
    """The entries dated in the window, best ranked first, at most ``budget`` of them
    (each will cost a page fetch). Entries whose title shares nothing with the quote
    are dropped, unless the window is narrow (a dated cue such as "on 3 June"): then
    the date is the evidence, and a headline need not repeat a quoted sentence's words."""
    narrow = (wanted.window.end - wanted.window.start).days <= NARROW_DAYS
    scored = []
    seen = set()
    for entry, sitemap_url in entries:
        day = entry_day(entry)
        if entry.url in seen or day is None or not wanted.window.contains(day):
            continue
        seen.add(entry.url)
        score = rank(entry, wanted)
        if score > 0 or narrow:
            scored.append(
                Candidate(
                    url=entry.url,
                    found_by=FINDER,
                    query=sitemap_url,
                    title=entry.title,
                    published=day,
                    rank=score,
                )
            )
    scored.sort(key=lambda c: -c.rank)
    return scored[:budget]
