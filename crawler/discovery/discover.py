"""Run the finders for a set of quotations, read their candidates, and choose.

One pass, batched over all the quotations so that each service is asked once per
query and each page read once:

1. the Guardian Content API queries and each needed outlet's sitemaps and feeds, in
   one service crawl (:func:`crawler.fetching.services.fetch_services`);
2. the children of sitemap indexes that can hold a window, level by level;
3. the store (already fetched snapshots), when the caller gives a session;
4. the pages of the best sitemap candidates, at most ``SOURCECHECK_DISCOVERY_PAGE_BUDGET``
   a quotation, read with the outlet's spider (or the generic one) like any source;
5. the choice (:mod:`crawler.discovery.choose`), unless only listing.

Each crawl runs in a child process (a Twisted reactor cannot be restarted), so the
caller can go on to crawl the chosen sources.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

from crawler.discovery import guardian_api, sitemap
from crawler.discovery.candidates import Candidate, Search, Wanted
from crawler.discovery.choose import choose
from crawler.fetching.services import ServiceRequest, ServiceResponse, fetch_services
from verify.cues import Window

StoreFinder = Callable[[Wanted], tuple[list[Candidate], str]]
PageRead = tuple[str | None, str | None, str | None, str]  # text, title, date, reason


@dataclass(frozen=True, slots=True)
class Config:
    api_url: str
    api_key: str | None
    sitemaps: dict[str, list[str]]
    budget: int
    depth: int
    children: int

    @classmethod
    def from_settings(cls, overrides: dict[str, Any] | None = None) -> Config:
        from crawler.fetching.fetch import project_settings

        s = project_settings(overrides)
        return cls(
            api_url=s.get("SOURCECHECK_GUARDIAN_API_URL"),
            api_key=s.get("SOURCECHECK_GUARDIAN_API_KEY"),
            sitemaps={k: list(v) for k, v in s.getdict("SOURCECHECK_SITEMAPS").items()},
            budget=s.getint("SOURCECHECK_DISCOVERY_PAGE_BUDGET"),
            depth=s.getint("SOURCECHECK_SITEMAP_DEPTH"),
            children=s.getint("SOURCECHECK_SITEMAP_CHILDREN"),
        )


def _error(response: ServiceResponse) -> str:
    return f"{response.reason}: {response.url}"


class Discovery:
    """One discovery pass over many quotations (see the module doc)."""

    def __init__(
        self,
        wanted: list[Wanted],
        replay: str | None = None,
        record: str | None = None,
        settings_overrides: dict[str, Any] | None = None,
        store: StoreFinder | None = None,
    ) -> None:
        self.searches = {w.key: Search(w) for w in wanted}
        self.replay, self.record = replay, record
        self.overrides = settings_overrides
        self.config = Config.from_settings(settings_overrides)
        self.store = store

    def fetch(self, requests: list[ServiceRequest]) -> dict[str, ServiceResponse]:
        return fetch_services(requests, self.replay, self.record, None, self.overrides)

    def run(self, read: bool = True, decide: bool = True) -> dict[int, Search]:
        api_queries: list[tuple[Search, str, ServiceRequest]] = []
        key = None
        for search in self.searches.values():
            if search.wanted.outlet in (None, "guardian"):
                key = key or guardian_api.api_key(self.config.api_key)
                for query, request in guardian_api.queries(search.wanted, self.config.api_url, key):
                    api_queries.append((search, query, request))
                    search.finder(guardian_api.FINDER).queries.append(query)
        outlets = {
            s.wanted.outlet
            for s in self.searches.values()
            if s.wanted.outlet and self.config.sitemaps.get(s.wanted.outlet)
        }
        roots = [
            ServiceRequest(url, sitemap.SERVICE)
            for outlet in sorted(o for o in outlets if o)
            for url in self.config.sitemaps[outlet]
        ]
        answers = self.fetch([r for _s, _q, r in api_queries] + roots)
        for search, query, request in api_queries:
            found, error = guardian_api.candidates(answers[request.url], query)
            run = search.finder(guardian_api.FINDER)
            if error:
                run.errors.append(f"{error}: {query}")
            window = search.wanted.window
            if query.startswith("headline:"):
                start = min(window.start, date.fromordinal(window.end.toordinal() - 365))
                window = Window(start, window.end, window.cue)
            kept = [c for c in found if c.published is None or window.contains(c.published)]
            run.candidates += len(kept)
            self._add(search, kept)
        for outlet in sorted(o for o in outlets if o):
            self._sitemaps(outlet, answers)
        if self.store is not None:
            for search in self.searches.values():
                found, query = self.store(search.wanted)
                run = search.finder("store")
                run.queries.append(query)
                run.candidates += len(found)
                self._add(search, found)
        if read:
            self._read_pages()
        if decide:
            for search in self.searches.values():
                choose(search)
        return self.searches

    def _add(self, search: Search, found: list[Candidate]) -> None:
        have = {c.url: c for c in search.candidates}
        for candidate in found:
            known = have.get(candidate.url)
            if known is None:
                search.candidates.append(candidate)
                have[candidate.url] = candidate
            elif known.text is None and candidate.text:
                known.text = candidate.text  # another finder brought the text

    def _sitemaps(self, outlet: str, answers: dict[str, ServiceResponse]) -> None:
        searches = [s for s in self.searches.values() if s.wanted.outlet == outlet]
        windows = [s.wanted.window for s in searches]
        entries: list[tuple[sitemap.Entry, str]] = []
        errors: list[str] = []
        level = list(self.config.sitemaps[outlet])
        fetched: set[str] = set()
        for depth in range(self.config.depth + 1):
            children: list[str] = []
            for url in level:
                fetched.add(url)
                response = answers[url]
                if not response.ok:
                    errors.append(_error(response))
                    continue
                parsed = sitemap.parse(response.body, response.final_url or url)
                if parsed.kind == "unreadable":
                    errors.append(f"unreadable ({parsed.detail}): {url}")
                    continue
                entries.extend((e, url) for e in parsed.entries)
                wanted_children = [
                    c
                    for c, lastmod in parsed.children
                    if sitemap.child_may_hold(c, lastmod, windows)
                ]
                children.extend(c for c in wanted_children[: self.config.children])
            level = [c for c in dict.fromkeys(children) if c not in fetched]
            if not level or depth == self.config.depth:
                break
            answers = {**answers, **self.fetch([ServiceRequest(c, sitemap.SERVICE) for c in level])}
        for search in searches:
            run = search.finder(sitemap.FINDER)
            run.queries.extend(sorted(fetched))
            run.errors.extend(errors)
            found = sitemap.candidates_for(search.wanted, entries, self.config.budget)
            run.candidates += len(found)
            self._add(search, found)

    def _read_pages(self) -> None:
        wanted: dict[str, list[Candidate]] = {}
        for search in self.searches.values():
            unread = [c for c in search.candidates if c.text is None]
            unread.sort(key=lambda c: -c.rank)
            for candidate in unread[: self.config.budget]:
                wanted.setdefault(candidate.url, []).append(candidate)
                search.pages_read += 1
            for candidate in unread[self.config.budget :]:
                candidate.note = "over the page budget"
        if not wanted:
            return
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            pages = pool.submit(
                read_pages, list(wanted), self.replay, self.record, self.overrides
            ).result()
        for url, (text, title, day, reason) in pages.items():
            for candidate in wanted.get(url, []):
                if text is None:
                    candidate.note = f"unreadable: {reason}"
                    continue
                candidate.text = text
                candidate.title = candidate.title or title
                candidate.published = candidate.published or sitemap.parse_day(day)


def read_pages(
    urls: list[str],
    replay: str | None,
    record: str | None,
    overrides: dict[str, Any] | None,
) -> dict[str, PageRead]:
    """Each candidate page's text, title and date, or why it could not be read (in the
    child process: plain tuples cross the process boundary safely)."""
    from crawler.errors import InputError
    from crawler.extraction.extract import Unreadable
    from crawler.fetching.fetch import fetch_pages

    out: dict[str, PageRead] = {}
    for url, page in fetch_pages(
        urls, replay=replay, record=record, settings_overrides=overrides
    ).items():
        if isinstance(page, InputError):
            out[url] = (None, None, None, f"invalid_url: {page}")
        elif isinstance(page, Unreadable):
            out[url] = (None, None, None, page.reason)
        elif page.paywalled:
            out[url] = (None, page.title, page.date, "paywall")
        else:
            out[url] = (page.text, page.title, page.date, "")
    return out


def discover(
    wanted: list[Wanted],
    replay: str | None = None,
    record: str | None = None,
    settings_overrides: dict[str, Any] | None = None,
    store: StoreFinder | None = None,
    decide: bool = True,
) -> dict[int, Search]:
    """Search for each quotation's source; each :class:`Search` says what was found."""
    return Discovery(wanted, replay, record, settings_overrides, store).run(decide=decide)
