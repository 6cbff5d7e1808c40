"""CPU time per stage of a crawl, kept in the crawl's Scrapy stats.

Each stage adds the reactor thread's CPU time it spent to the stat
``sourcecheck/cpu_us/<stage>`` (microseconds): ``parse`` (the spider reading the page), ``extract``
(trafilatura, or handing the page to the extraction pool), ``page_text`` (the page's
full visible text, built only for a quote its main text did not verify), ``verify``
(the matcher) and ``store`` (reading the due quotes and writing the verdicts). What a
crawl process spends beyond their sum is Scrapy's, Twisted's and the queue's.
bench/throughput.py prints the breakdown. Thread time, not process time: the
extraction pool's children and other threads are not the stage's work.
"""

from __future__ import annotations

import time

from scrapy.statscollectors import StatsCollector

from spiders.base import CPU_STAT

STAGES = ("parse", "extract", "page_text", "verify", "store")


def add_cpu(stats: StatsCollector | None, stage: str, started: float, less: float = 0.0) -> None:
    """Count the CPU time since ``started`` (a :func:`time.thread_time`), less ``less``
    seconds counted as another stage, as ``stage``."""
    add_seconds(stats, stage, time.thread_time() - started - less)


def add_seconds(stats: StatsCollector | None, stage: str, seconds: float) -> None:
    if stats is not None:  # kept in microseconds: Scrapy's stats are typed as integers
        stats.inc_value(CPU_STAT + stage, round(seconds * 1e6))


def stage_seconds(stats: dict[str, object]) -> dict[str, float]:
    """The stages' CPU seconds found in a crawl's stats."""
    out: dict[str, float] = {}
    for key, value in stats.items():
        if key.startswith(CPU_STAT) and isinstance(value, int | float):
            out[key.removeprefix(CPU_STAT)] = float(value) / 1e6
    return out
