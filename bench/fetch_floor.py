"""Scrapy alone: fetch URLs with the crawl's own settings and do nothing with them.

bench/throughput.py runs this to measure the framework's share of a crawl: the same
settings module (crawler/settings.py, then SOURCECHECK_SETTINGS_MODULE), so the same
downloader and spider middlewares (robots.txt, the address guard, retries, redirects,
compression), the same HTTP client and concurrency, and one item a page through
Scrapy's item machinery, but no parse, no extraction, no verification and no storage.
What a crawl spends beyond this and trafilatura is what sourcecheck itself adds.

    python bench/fetch_floor.py URLS_FILE     # one URL a line; an empty file: start-up only
"""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import AsyncCrawlerProcess
from scrapy.http import Response

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.fetching.fetch import project_settings  # noqa: E402
from crawler.gc_tuning import tune_gc  # noqa: E402


class FetchOnly(scrapy.Spider):
    """Fetches each URL once; yields one small item a page, as the crawl's spiders do."""

    name = "fetch_only"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> AsyncIterator[scrapy.Request]:
        for url in self.urls:
            yield scrapy.Request(url, callback=self.parse)

    def parse(self, response: Response) -> Any:
        yield {"url": response.url, "status": response.status}


def main() -> None:
    tune_gc()  # as in the crawl's processes (crawler/entry.py)
    urls = [u for u in Path(sys.argv[1]).read_text(encoding="utf-8").split() if u]
    process = AsyncCrawlerProcess(project_settings({"ITEM_PIPELINES": {}, "LOG_LEVEL": "ERROR"}))
    process.crawl(FetchOnly, urls=urls)
    process.start()


if __name__ == "__main__":
    main()
