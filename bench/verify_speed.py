"""The crawl's verify stage on its own: CPU a page, by function, and the verdicts.

    python bench/verify_speed.py [PAGES_DIR] [--rounds N] [--profile N]
        [--quotes bench|quotations|all] [--cases FILE] [--out FILE] [--against FILE]
        [--cache FILE]

Reads the evaluation pages at run time (default ../shared/eval/pages; nothing from them
is stored but in the files named by --out and --cache, which are for this machine
only), extracts each page as the crawl does (``read_html`` with its URL, the page text
built up front: the crawl counts it as a stage of its own) and does for each quote what
the crawl's store pipeline does: ``checked_verdict`` with no archive. The quotes:

- ``bench`` (the default): the one bench/throughput.py stores for the page, the middle
  one of its truth's sentences of 8 to 40 words, with no speaker claimed;
- ``quotations``: each quotation of the page's main text (as intake finds them, five
  words or more), with the speaker the source gives it claimed: what a citing article
  quotes (the speaker check then reads who said it, which the bench's narration
  seldom needs);
- ``all``: the quotations, and every sentence of 8 to 40 words of the truth with a copy
  missing a word and one with two words swapped (altered verdicts and misses): many
  more verdicts, to compare builds;
- ``--cases FILE`` instead: the labelled quotes bench/make_cases.py wrote (ellipses,
  brackets, typography and misquotes), each on its page.

Prints CPU a check (each check's least over ``--rounds`` rounds, each round over every
page in a process of its own that has checked nothing before: the engine's memos know
the pages checked before in the round, and its per-text caches hold a page only while
its quotes are checked, as in a crawl), and the same split by function: preparing the
source text (tokenising), the quote's check on the prepared text, and the speaker check.
``--profile N`` prints cProfile's top N functions by own time, over one such round
(cProfile inflates Python code: confirm with the plain timings). ``--out FILE`` writes
every verdict (``repr`` of the Result: status, score, match, changes, notes,
attribution, findings); ``--against FILE`` compares with a file another build wrote and
prints how many are identical. To time another checkout:
``PYTHONPATH=/path/to/it python bench/verify_speed.py``.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import json
import math
import multiprocessing
import pickle
import pstats
import re
import sys
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH

from scrapy.http import HtmlResponse

from bench.corpus import DEFAULT_PAGES
from crawler.archive.pipeline import checked_verdict
from crawler.crawling.checking import check_on_page, with_attribution
from crawler.extraction.extract import Page, Unreadable, read_html
from verify import QuoteError
from verify.article_html import Paragraph
from verify.intake import find_quotes_in_paragraphs
from verify.source import prepare
from verify.speaker import _read_source

SENTENCE = re.compile(r"[^.!?]+[.!?]")  # as bench/throughput.py splits the truth
BASE = "http://127.0.0.1:8000"

Case = tuple[str, Page, str, str | None]  # (page folder, page, quote, claimed speaker)


def _sentences(folder: Path) -> list[str]:
    truth = (folder / "truth.txt").read_text(encoding="utf-8")
    return [s.strip() for s in SENTENCE.findall(truth) if 8 <= len(s.split()) <= 40]


def _mutations(sentence: str) -> list[str]:
    """One word dropped, two words swapped: an altered quote or a miss."""
    words = sentence.split()
    k = len(words) // 2
    dropped = " ".join(words[:k] + words[k + 1 :])
    swapped = " ".join([*words[: k - 1], words[k], words[k - 1], *words[k + 1 :]])
    return [dropped, swapped]


def load_pages(root: Path, cache: Path | None) -> dict[str, Page]:
    """Every page as the crawl extracts it (served as bench/throughput.py serves it)."""
    if cache is not None and cache.exists():
        pages: dict[str, Page] = pickle.loads(cache.read_bytes())
        return pages
    pages = {}
    for meta_path in sorted(root.glob("*/meta.json")):
        folder = meta_path.parent
        if not _sentences(folder):
            continue
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        charset = meta.get("declared_charset") or "utf-8"
        url = f"{BASE}/p0/{folder.name}"
        body = (folder / "source.html").read_bytes()
        response = HtmlResponse(
            url, body=body, headers={"Content-Type": f"text/html; charset={charset}"}
        )
        try:
            page = read_html(response.text, url=url)
        except Unreadable:
            continue
        page.page_text  # noqa: B018 - built here: the crawl counts it as its own stage
        pages[folder.name] = page
    if cache is not None:
        cache.write_bytes(pickle.dumps(pages))
    return pages


def _quotations(page: Page) -> list[tuple[str, str | None]]:
    """The quotations of the page's main text (of five words or more), each with the
    speaker the source gives it: what a citing article quotes, and says who said."""
    lines = [Paragraph(line.strip()) for line in page.text.split("\n") if line.strip()]
    return [(q.text, q.speaker) for q in find_quotes_in_paragraphs(lines) if not q.too_long]


def labelled_cases(path: Path, pages: dict[str, Page]) -> list[Case]:
    """bench/make_cases.py's quotes (ellipses, brackets, typography, misquotes), each on
    its page, in page order (a crawl checks a page's quotes together)."""
    out: list[Case] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        case = json.loads(line)
        if case["page"] in pages:
            out.append((case["page"], pages[case["page"]], case["quote"], None))
    return sorted(out, key=lambda case: case[0])


def cases(root: Path, pages: dict[str, Page], kind: str) -> list[Case]:
    out: list[Case] = []
    for name, page in pages.items():
        sentences = _sentences(root / name)
        if kind == "bench":
            out.append((name, page, sentences[len(sentences) // 2], None))
            continue
        if kind == "all":
            for sentence in sentences:
                out.extend((name, page, q, None) for q in [sentence, *_mutations(sentence)])
        out.extend((name, page, q, who) for q, who in _quotations(page))
    return out


def _clear(case: Case, last: list[str]) -> None:
    """Empty the engine's per-text caches when ``case`` is on another page than the case
    before: a crawl checks a page's quotes one after the other, and each page once."""
    if last and last[0] == case[0]:
        return
    last[:] = [case[0]]
    prepare.cache_clear()
    _read_source.cache_clear()


def verdict_of(case: Case) -> str:
    _, page, quote, claimed = case
    try:
        return repr(checked_verdict(quote, page, None, None, claimed).result)
    except QuoteError as exc:
        return f"QuoteError({exc})"


def whole(batch: list[Case]) -> list[float]:
    """CPU seconds of the verify stage for each case of ``batch``."""
    spent: list[float] = []
    last: list[str] = []
    for case in batch:
        _clear(case, last)
        started = time.process_time()
        verdict_of(case)
        spent.append(time.process_time() - started)
    return spent


def by_function(batch: list[Case]) -> list[tuple[float, float, float]]:
    """The same work split: tokenising the text, the quote's check, the speaker check."""
    spent: list[tuple[float, float, float]] = []
    last: list[str] = []
    for case in batch:
        _, page, quote, claimed = case
        _clear(case, last)
        t0 = time.process_time()
        prepare(page.text)
        t1 = time.process_time()
        try:
            result = check_on_page(quote, page)
        except QuoteError:
            spent.append((t1 - t0, 0.0, 0.0))
            continue
        t2 = time.process_time()
        with_attribution(result, page, claimed)
        spent.append((t1 - t0, t2 - t1, time.process_time() - t2))
    return spent


# The cases, for the rounds run in child processes (forked, so they inherit them).
_BATCH: list[Case] = []


def _cold(run: Callable[[list[Case]], list[Any]]) -> list[Any]:
    """``run`` over the cases in a process that has checked nothing yet: its memos (a
    word's normal form, a paragraph's names) know only what a crawl's do, the pages
    checked before in the round, not every page of the rounds before."""
    fork = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(1, mp_context=fork) as pool:  # a new pool: a new process
        return pool.submit(_on_batch, run).result()


def _on_batch(run: Callable[[list[Case]], list[Any]]) -> list[Any]:
    return run(_BATCH)  # the child's own copy: the pages are not sent over a pipe


def timed(rounds: int) -> tuple[float, tuple[float, ...]]:
    """Seconds of the whole stage and of each part, each case's least over the rounds
    (a shared machine's bursts of load land on some cases of a round, not on all of
    them in every round), summed over the cases. Each round, and each of its two
    timings, in a process of its own that has checked nothing before (see _cold)."""
    total = [math.inf] * len(_BATCH)
    parts: list[tuple[float, ...]] = [(math.inf,) * 3] * len(_BATCH)
    for _ in range(rounds):  # the two timings interleaved, so that both see the same load
        total = list(map(min, total, _cold(whole)))
        parts = [tuple(map(min, a, b)) for a, b in zip(parts, _cold(by_function), strict=True)]
    return sum(total), tuple(sum(column) for column in zip(*parts, strict=True))


def _profiled(batch: list[Case], top: int) -> list[None]:
    profile = cProfile.Profile(time.process_time)
    profile.runcall(whole, batch)
    pstats.Stats(profile).sort_stats("tottime").print_stats(top)
    sys.stdout.flush()
    return []


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="?", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, metavar="N")
    parser.add_argument("--quotes", choices=("bench", "quotations", "all"), default="bench")
    parser.add_argument("--cases", type=Path, help="bench/make_cases.py's quotes instead")
    parser.add_argument("--out", type=Path, help="write every verdict to FILE")
    parser.add_argument("--against", type=Path, help="compare the verdicts with FILE")
    parser.add_argument("--cache", type=Path, help="keep the extracted pages in FILE")
    args = parser.parse_args(argv)
    pages = load_pages(args.pages, args.cache)
    if args.cases:
        _BATCH[:] = batch = labelled_cases(args.cases, pages)
    else:
        _BATCH[:] = batch = cases(args.pages, pages, args.quotes)
    n = len(batch)
    if args.profile:
        _cold(functools.partial(_profiled, top=args.profile))
    if args.rounds:  # before the verdicts: the children fork from a process that checked none
        total, split = timed(args.rounds)
        names = ("prepare", "check", "speaker")
        parts = ", ".join(f"{k} {1000 * v / n:.3f}" for k, v in zip(names, split, strict=True))
        print(f"{n} checks, {len(pages)} pages: verify {1000 * total / n:.3f} ms CPU a check")
        print(f"  by function, ms a check: {parts}")
    verdicts = []
    last: list[str] = []
    for case in batch:
        _clear(case, last)
        verdicts.append(verdict_of(case))
    if args.out:
        args.out.write_text(json.dumps(verdicts), encoding="utf-8")
    if args.against:
        theirs = json.loads(args.against.read_text(encoding="utf-8"))
        same = sum(a == b for a, b in zip(verdicts, theirs, strict=False))
        print(f"verdicts identical to {args.against}: {same} of {len(verdicts)}", end="")
        print(f" ({len(theirs)} there)" if len(theirs) != len(verdicts) else "")
        for (name, _, quote, _), a, b in zip(batch, verdicts, theirs, strict=False):
            if a != b:
                print(f"  differs: {name}: {quote[:60]!r}\n    here:  {a}\n    there: {b}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
