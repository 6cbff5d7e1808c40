"""Discovery benchmark: find the cited source of quotes whose articles give no link.

From the BBC, Guardian and Independent pages of the evaluation corpus (read at run
time, never committed) it builds, in memory:

* a local fake of the Guardian Content API (``/api/search``: exact phrases joined by
  OR, or headline terms joined by AND, within ``from-date``/``to-date``; answers in
  the real ``response.results[]`` format with ``bodyText``);
* each outlet's sitemap index with monthly Google News sitemaps (``news:title``,
  ``news:publication_date``), the Independent's children gzipped;
* the pages themselves;

all served on 127.0.0.1. It then writes one citing paragraph per page, quoting one
sentence of its article text by outlet and title ("In a Guardian piece titled “…”")
or by outlet and date ("As the BBC reported on 3 June 2021:"), without links, reads
it with the product's intake, and runs the product's discovery (the same finders,
page reads and choice that ``sourcecheck run`` uses) with the endpoints pointed at
the fakes through their ``SOURCECHECK_*`` variables. It prints found / right source
/ wrong source and the verdicts. Target: right source >= 95%, wrong source 0.

    python bench/discovery.py [--pages ../shared/eval/pages] [--limit N]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import sys
import threading
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import lxml.html  # type: ignore[import-untyped]

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.corpus import DEFAULT_PAGES, EvalPage, good_sentence, load_pages, split_sentences  # noqa: E402

OUTLETS = {"bbc": "the BBC", "guardian": "The Guardian", "independent": "The Independent"}
_TITLE_PREFIX = re.compile(
    r"^BBC NEWS\s*(?:[|]\s*[\w ]+\s*)*[|]\s*|^BBC News\s*-\s*", re.IGNORECASE
)
_TITLE_SUFFIX = re.compile(r"\s*[|\-–—]\s*(BBC News|BBC|The Guardian|The Independent|[A-Z][\w ]+)$")


@dataclass
class Case:
    key: int
    outlet: str
    path: str  # on the local server
    title: str
    published: date
    quote: str
    body: str


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(re.findall(r"[\w']+", text.lower()))


def _title(html: str) -> str | None:
    doc = lxml.html.fromstring(html)
    og = doc.xpath('//meta[@property="og:title"]/@content')
    raw = og[0] if og else (doc.findtext(".//title") or "")
    raw = " ".join(raw.split())
    raw = _TITLE_PREFIX.sub("", raw)
    for _ in range(2):
        raw = _TITLE_SUFFIX.sub("", raw)
    return raw if len(raw.split()) >= 3 else None


def build_cases(pages: list[EvalPage], limit: int | None) -> list[Case]:
    from verify.cues import published_in_html

    cases: list[Case] = []
    titles: set[str] = set()
    for page in pages:
        outlet = page.meta.get("outlet_group")
        if outlet not in OUTLETS or not page.english:
            continue
        html = page.html()
        title = _title(html)
        # The corpus holds some articles twice (an AMP copy, a later capture): one
        # article is one case, or "the right source" would be ambiguous.
        if title is None or _norm(title) in titles:
            continue
        titles.add(_norm(title))
        sentences = [s for p in page.paragraphs for s in split_sentences(p) if good_sentence(s)]
        # Not a quotation inside the article: its own sentences, one from the middle.
        sentences = [s for s in sentences if not re.search(r"[\"“”]", s)]
        if not title or not sentences:
            continue
        n = len(cases)
        # Pages without a date get one (the fake sitemap and API need one), spread
        # over five years so that windows are crowded but not identical.
        day = published_in_html(html) or date(2019, 1, 1) + timedelta(days=37 * n)
        cases.append(
            Case(n, outlet, f"/{outlet}/{page.name}", title, day, sentences[len(sentences) // 2],
                 "\n\n".join(page.paragraphs))
        )  # fmt: skip
        if limit and len(cases) >= limit:
            break
    return cases


# -- the local fakes ---------------------------------------------------------------------------


class Fakes(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, cases: list[Case], pages: dict[str, bytes]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.cases, self.pages = cases, pages
        self.routes: dict[str, tuple[bytes, str]] = {}
        self.hits: Counter[str] = Counter()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def build_sitemaps(self) -> dict[str, str]:
        roots = {}
        for outlet in OUTLETS:
            months: dict[str, list[Case]] = {}
            for case in self.cases:
                if case.outlet == outlet:
                    months.setdefault(case.published.strftime("%Y-%m"), []).append(case)
            children = []
            for month, cases in sorted(months.items()):
                rows = "".join(
                    f"<url><loc>{self.base}{c.path}</loc><news:news><news:publication_date>"
                    f"{c.published.isoformat()}</news:publication_date><news:title>"
                    f"{escape(c.title)}</news:title></news:news></url>"
                    for c in cases
                )
                body = (
                    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
                    f'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">{rows}</urlset>'
                ).encode()
                path = f"/sitemaps/{outlet}/{month}.xml"
                if outlet == "independent":  # gzipped children, served as files
                    path += ".gz"
                    self.routes[path] = (gzip.compress(body), "application/x-gzip")
                else:
                    self.routes[path] = (body, "application/xml")
                last = max(c.published for c in cases).isoformat()
                children.append(
                    f"<sitemap><loc>{self.base}{path}</loc><lastmod>{last}</lastmod></sitemap>"
                )
            index = (
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                + "".join(children)
                + "</sitemapindex>"
            ).encode()
            self.routes[f"/sitemaps/{outlet}/index.xml"] = (index, "application/xml")
            roots[outlet] = f"{self.base}/sitemaps/{outlet}/index.xml"
        return roots

    def search(self, query: dict[str, list[str]]) -> bytes:
        q = query.get("q", [""])[0]
        start = date.fromisoformat(query.get("from-date", ["1900-01-01"])[0])
        end = date.fromisoformat(query.get("to-date", ["2999-12-31"])[0])
        headline = query.get("query-fields", [""])[0] == "headline"
        phrases = [_norm(p) for p in re.findall(r'"([^"]+)"', q)]
        terms = [_norm(t) for t in q.split(" AND ")] if headline else []
        results = []
        for case in self.cases:
            if case.outlet != "guardian" or not start <= case.published <= end:
                continue
            if headline:
                words = set(_norm(case.title).split())
                hit = all(set(t.split()) <= words for t in terms if t)
            else:
                body = _norm(case.body)
                hit = any(p and p in body for p in phrases)
            if hit:
                results.append(
                    {
                        "id": case.path.strip("/"),
                        "webUrl": f"{self.base}{case.path}",
                        "webTitle": case.title,
                        "webPublicationDate": f"{case.published.isoformat()}T09:00:00Z",
                        "fields": {"headline": case.title, "bodyText": case.body},
                    }
                )
        doc = {"response": {"status": "ok", "total": len(results), "results": results[:10]}}
        return json.dumps(doc).encode()


class _Handler(BaseHTTPRequestHandler):
    server: Fakes

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.hits[parts.path.split("/")[1] if "/" in parts.path else parts.path] += 1
        if parts.path == "/robots.txt":
            body, ctype, status = b"User-agent: *\nDisallow:\n", "text/plain", 200
        elif parts.path == "/api/search":
            body, ctype, status = self.server.search(parse_qs(parts.query)), "application/json", 200
        elif parts.path in self.server.routes:
            (body, ctype), status = self.server.routes[parts.path], 200
        elif parts.path in self.server.pages:
            body, ctype, status = self.server.pages[parts.path], "text/html; charset=utf-8", 200
        else:
            body, ctype, status = b"not here", "text/plain", 404
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# -- citing paragraphs and the run --------------------------------------------------------------


def citing_text(case: Case) -> tuple[str, date]:
    """A paragraph quoting the case by outlet and title, or by outlet and date; the
    citing article's publication date."""
    name = OUTLETS[case.outlet]
    if case.key % 2 == 0:
        published = case.published + timedelta(days=case.key % 20 + 1)
        intro = f"In a piece in {name} titled “{case.title}”, the reporter wrote:"
    else:
        published = case.published + timedelta(days=case.key % 5 + 1)
        when = f"{case.published.day} {case.published:%B %Y}"
        intro = f"As {name} reported on {when}:"
    return f"A column about the news\n\n{intro}\n{case.quote}\n", published


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--limit", type=int, default=None, help="at most this many quotes")
    args = parser.parse_args()
    if not args.pages.is_dir():
        print(f"no evaluation pages at {args.pages}", file=sys.stderr)
        return 2
    cases = build_cases(load_pages(args.pages), args.limit)
    pages = {
        c.path: next(p for p in load_pages(args.pages) if c.path.endswith(p.name))
        .html()
        .encode("utf-8")
        for c in cases
    }
    fakes = Fakes(cases, pages)
    roots = fakes.build_sitemaps()
    # Endpoints through their SOURCECHECK_* variables, before the settings are read.
    os.environ["SOURCECHECK_ALLOW_HOSTS"] = f"127.0.0.1:{fakes.server_address[1]}"
    os.environ["SOURCECHECK_SETTINGS_MODULE"] = "bench.bench_settings"
    os.environ["SOURCECHECK_GUARDIAN_API_URL"] = f"{fakes.base}/api"
    os.environ["SOURCECHECK_GUARDIAN_API_KEY"] = "bench"
    variables = {
        "bbc": "SOURCECHECK_SITEMAPS_BBC",
        "guardian": "SOURCECHECK_SITEMAPS_GUARDIAN",
        "independent": "SOURCECHECK_SITEMAPS_INDEPENDENT",
    }
    for outlet, url in roots.items():
        os.environ[variables[outlet]] = url

    from crawler.discovery.discover import discover
    from crawler.discovery.job import wanted_of
    from verify.intake import find_quotes_in_text

    wanted, expected = [], {}
    for case in cases:
        text, published = citing_text(case)
        found = find_quotes_in_text(text)
        if len(found) != 1:
            print(f"intake missed the quote of {case.path}", file=sys.stderr)
            continue
        wanted.append(wanted_of(found[0].to_dict(), case.key, published))
        expected[case.key] = case
    started = time.perf_counter()
    # The fake is ours: no rate to keep to (the product's default is one call a second).
    searches = discover(
        wanted, settings_overrides={"SOURCECHECK_SERVICE_DELAYS": {"guardian_api": 0.0}}
    )
    took = time.perf_counter() - started

    rows: Counter[str] = Counter()
    by: dict[str, Counter[str]] = {}
    for key, search in searches.items():
        case = expected[key]
        cue = "title" if search.wanted.title else "date"
        tally = by.setdefault(f"{case.outlet}/{cue}", Counter())
        tally["quotes"] += 1
        rows["quotes"] += 1
        chosen = search.chosen
        if chosen is None:
            print(f"not found: {case.path}: {search.summary()}", file=sys.stderr)
            continue
        right = chosen.url == f"{fakes.base}{case.path}"
        for counter in (rows, tally):
            counter["found"] += 1
            counter["right" if right else "wrong"] += 1
            counter[f"by {chosen.found_by}"] += 1
            counter[f"verdict {chosen.status}"] += 1
        if not right:
            print(f"WRONG SOURCE for {case.path}: {chosen.url}", file=sys.stderr)
    n = rows["quotes"] or 1
    print(
        f"discovery bench: {rows['quotes']} quotes from {len(cases)} "
        f"BBC/Guardian/Independent pages, {took:.1f}s"
    )
    print(
        f"found {rows['found']} ({rows['found'] / n:.1%}), right source {rows['right']} "
        f"({rows['right'] / n:.1%}), wrong source {rows['wrong']}"
    )
    verdicts = ", ".join(
        f"{k[8:]} {v}" for k, v in sorted(rows.items()) if k.startswith("verdict ")
    )
    finders = ", ".join(f"{k[3:]} {v}" for k, v in sorted(rows.items()) if k.startswith("by "))
    print(f"verdicts of the chosen sources: {verdicts or 'none'}; found by: {finders or 'none'}")
    for group, tally in sorted(by.items()):
        print(
            f"  {group:18} {tally['quotes']:3} quotes, "
            f"right {tally['right']:3}, wrong {tally['wrong']}"
        )
    print(f"requests served: {dict(fakes.hits)}")
    ok = rows["wrong"] == 0 and rows["right"] >= 0.95 * n
    print("target (right >= 95%, wrong 0):", "met" if ok else "NOT met")
    fakes.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
