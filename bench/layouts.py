"""How well the outlet spiders' layout selectors read real pages.

Reads the evaluation corpus at run time (default ../shared/eval/pages beside the
repository, or the folder given as the first argument; nothing from it is stored) and,
for every BBC,
Guardian and Independent page, prints which layout matched and how much of the
ground truth's words the selector text and trafilatura's text hold (recall), and how
much of the selector text is truth (precision, only where the truth is complete).

    .venv/bin/python bench/layouts.py [PAGES_DIR]
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import trafilatura
from scrapy.http import HtmlResponse

from spiders.items import SourcePage
from spiders.registry import SPIDERS

WORD = re.compile(r"\w+")


def words(text: str) -> Counter[str]:
    return Counter(w.lower() for w in WORD.findall(text))


def overlap(a: Counter[str], b: Counter[str]) -> float:
    """The share of a's words (with counts) also in b."""
    total = sum(a.values())
    return sum((a & b).values()) / total if total else 0.0


def main(root: Path) -> None:
    rows = []
    for meta_path in sorted(root.glob("*/meta.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        group = meta.get("outlet_group")
        if group not in ("bbc", "guardian", "independent"):
            continue
        folder = meta_path.parent
        truth = (folder / "truth.txt").read_text(encoding="utf-8")
        if not truth.strip():
            continue
        html = (folder / "source.html").read_bytes()
        url = meta["url"]
        spider = SPIDERS[group](url=url)
        response = HtmlResponse(url, body=html, encoding="utf-8", request=spider.request_for(url))
        items = [x for x in spider.parse(response) if isinstance(x, SourcePage)]
        if not items:  # an AMP page asked for its canonical page
            continue
        item = items[0]
        body = item.body_text or ""
        traf = trafilatura.extract(response.text, include_comments=False, favor_recall=True) or ""
        tw = words(truth)
        rows.append(
            (
                folder.name,
                group,
                item.layout or "-",
                overlap(tw, words(body)),
                overlap(tw, words(traf)),
                overlap(words(body), tw) if meta.get("truth_complete") and body else None,
            )
        )
    print(f"{'page':48} {'layout':18} {'sel.rec':>7} {'traf.rec':>8} {'sel.prec':>8}")
    for name, _group, layout, rec, trec, prec in rows:
        p = f"{prec:8.2f}" if prec is not None else f"{'':8}"
        print(f"{name[:48]:48} {layout:18} {rec:7.2f} {trec:8.2f} {p}")
    for group in ("bbc", "guardian", "independent"):
        mine = [r for r in rows if r[1] == group]
        matched = [r for r in mine if r[2] != "-"]
        if not mine:
            continue
        print(
            f"{group}: {len(matched)}/{len(mine)} pages read by a layout; mean truth recall "
            f"selectors {sum(r[3] for r in matched) / max(1, len(matched)):.2f}, trafilatura "
            f"on the same pages {sum(r[4] for r in matched) / max(1, len(matched)):.2f}"
        )


if __name__ == "__main__":
    default = Path(__file__).resolve().parents[2] / "shared" / "eval" / "pages"
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else default)
