"""How often Python's cyclic garbage collector runs in our processes.

CPython's default thresholds (700, 10, 10) start a young collection every 700 new
container objects and a full one, which walks every live object, every hundred young
ones (when a quarter of the old objects are new). A crawl holds about 170,000 live
objects (Scrapy, Twisted, SQLAlchemy, our caches) and makes millions more a minute
(trafilatura's and the matcher's short-lived lists and tuples), so a full collection
cost about 0.1 s and ran every 40 pages or so, and a command's imports alone made 255
young collections.

Almost nothing a crawl makes is cyclic garbage: a page, its tree and its verdicts
are freed by their reference counts the moment they are done with. The one exception
was each page's Scrapy response and its cached selector, which refer to each other
and held the page's parsed tree until a collection; spiders/base.py no longer caches
it (tests/test_spiders.py checks a parsed response is freed with the collector off).
What is left for the collector is small (Twisted's objects for each connection), so
it can run far less often for the same memory.

Measured with ``gc.callbacks`` over bench/throughput.py's 259 pages in one process
(collection time less that of the same command with nothing to do): 0.56 s (2.2 ms
a page) with CPython's thresholds, 0.13 s with young collections every 5,000 objects,
0.04 s (0.2 ms a page) with the settings below; RSS halfway and at the end within a
few MB of each other in all three (about 180 / 195 MB):

- a young collection every 20,000 new objects instead of 700;
- :func:`freeze_startup` when a crawl starts: the modules, settings and caches loaded
  by then (120,000 objects) are never walked again, so a full collection costs a
  third as much.
"""

from __future__ import annotations

import gc

# The older generations' ratios stay CPython's.
THRESHOLDS = (20_000, 10, 10)


def tune_gc() -> None:
    """Set :data:`THRESHOLDS`, first thing in a process (imports count too)."""
    gc.set_threshold(*THRESHOLDS)


def freeze_startup() -> None:
    """Leave every object alive now out of all later collections (``gc.freeze``): call
    it once a process has loaded what it keeps for good, before its long work."""
    gc.freeze()
