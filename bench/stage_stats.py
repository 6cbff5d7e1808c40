"""A Scrapy extension for bench/throughput.py: when a crawler closes, append its CPU
seconds per stage (crawler.crawling.stages) as one JSON line to the file named by
``BENCH_STAGE_STATS``. Each crawl process runs one crawler per outlet spider, so a
crawl writes several lines; the bench adds them up."""

from __future__ import annotations

import json
import os
from typing import Self

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler.crawling.stages import stage_seconds


class StageStats:
    def __init__(self, crawler: Crawler, path: str) -> None:
        self.crawler = crawler
        self.path = path

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Self:
        path = os.environ.get("BENCH_STAGE_STATS")
        if not path:
            raise NotConfigured("BENCH_STAGE_STATS is not set")
        ext = cls(crawler, path)
        crawler.signals.connect(ext.closed, signal=signals.spider_closed)
        return ext

    def closed(self) -> None:
        assert self.crawler.stats is not None
        seconds = stage_seconds(self.crawler.stats.get_stats())
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps(seconds) + "\n")
