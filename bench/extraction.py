"""Which pages extract badly: how much of each page's true body text read_html keeps.

    python bench/extraction.py [--pages DIR] [--worst N]

For every page, the quotable sentences of its truth.txt that are on the page (the
same ones make_cases.py draws from) are looked up in read_html's main text and in
its full page text (folded: case, diacritics, quotes, dashes, whitespace). A
sentence missing from the main text can only be verified through the page text; a
sentence missing from both cannot be verified at all. Also prints the pages that
raise Unreadable and the slowest read_html calls.

Exit codes: 0 done, 2 missing pages.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH

from bench.corpus import DEFAULT_PAGES, fold, load_pages
from bench.make_cases import PageSource


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--worst", type=int, default=15, metavar="N")
    args = parser.parse_args(argv)
    if not args.pages.is_dir():
        print(f"extraction: no pages folder at {args.pages}", file=sys.stderr)
        return 2
    from crawler.extraction.extract import Unreadable, read_html

    rows, unreadable, timings = [], [], []
    total = in_main = in_page = 0
    for page in load_pages(args.pages):
        src = PageSource(page)
        if not src.good:
            continue
        t = time.perf_counter()
        try:
            read = read_html(page.html(), url=page.meta.get("url"))
        except Unreadable as exc:
            unreadable.append((page.name, exc.reason, len(src.good)))
            continue
        finally:
            timings.append((time.perf_counter() - t, page.name))
        main_key, page_key = fold(read.text), fold(read.page_text)
        main_hits = sum(fold(s.text) in main_key for s in src.good)
        page_hits = sum(fold(s.text) in main_key or fold(s.text) in page_key for s in src.good)
        total += len(src.good)
        in_main += main_hits
        in_page += page_hits
        rows.append((main_hits / len(src.good), page.name, len(src.good), main_hits, page_hits))
    print(f"{total} quotable truth sentences on {len(rows)} readable pages:")
    print(f"  in read_html's main text        {in_main:>5} ({100 * in_main / total:.1f}%)")
    print(f"  in main or full page text       {in_page:>5} ({100 * in_page / total:.1f}%)")
    print(f"  in neither (cannot be verified) {total - in_page:>5}")
    print(f"\npages whose main text keeps least of the body ({args.worst} worst):")
    print(f"{'page':<58}{'sentences':>10}{'main':>6}{'page':>6}")
    for _, name, n, main_hits, page_hits in sorted(rows)[: args.worst]:
        print(f"{name:<58}{n:>10}{main_hits:>6}{page_hits:>6}")
    if unreadable:
        print("\npages read_html refuses (their quotes become 'unavailable'):")
        for name, reason, n in unreadable:
            print(f"  {name}: {reason} ({n} quotable sentences)")
    print("\nslowest read_html:")
    for seconds, name in sorted(timings, reverse=True)[:5]:
        print(f"  {seconds * 1000:6.0f} ms  {name}")
    print(json.dumps({"sentences": total, "in_main": in_main, "in_page": in_page}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
