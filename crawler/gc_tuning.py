"""How often Python's cyclic garbage collector runs in our processes.

CPython's default thresholds (700, 10, 10) start a young collection every 700 new
container objects and a full one, which walks every live object, every hundred young
ones (when a quarter of the old objects are new). A crawl holds about 170,000 live
objects (Scrapy, Twisted, SQLAlchemy, lxml's proxies, our caches) and makes millions
more a minute (trafilatura's and the matcher's short-lived lists and tuples), so a full
collection cost about 0.1 s and ran every 40 pages or so: measured with ``gc.callbacks``
over bench/throughput.py's 259 pages, 3.1 ms a page, a tenth of the crawl's CPU, and
0.13 s of a command's start-up (its imports alone made 255 young collections).

What the collector finds is mostly each page's Scrapy response and its cached
selector, which refer to each other, and with them the page's parsed tree: collecting
less often keeps those longer. Two settings together give the same memory as
CPython's defaults for a third of the work (bench/throughput.py, 259 pages, one
process: 0.9 s of collection against 0.33 s; RSS halfway and at the end 246 / 284 MB
against 234 / 289 MB):

- a young collection every 5,000 new objects instead of 700 (20,000 halved the work
  again but held 100 MB more by the end);
- :func:`freeze_startup` when a crawl starts: the modules, settings and caches loaded
  by then (120,000 objects) are never walked again, so a full collection costs a
  third as much.
"""

from __future__ import annotations

import gc

# The older generations' ratios stay CPython's.
THRESHOLDS = (5_000, 10, 10)


def tune_gc() -> None:
    """Set :data:`THRESHOLDS`, first thing in a process (imports count too)."""
    gc.set_threshold(*THRESHOLDS)


def freeze_startup() -> None:
    """Leave every object alive now out of all later collections (``gc.freeze``): call
    it once a process has loaded what it keeps for good, before its long work."""
    gc.freeze()
