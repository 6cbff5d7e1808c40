"""A fetched page is freed as soon as it is done with, by reference counting alone.

The crawl collects cyclic garbage rarely (crawler/gc_tuning.py), so a page kept alive
by a reference cycle would stay in memory until the next collection: Scrapy's
``response.selector`` caches a selector that refers back to its response, which held
every page's response and parsed tree until the collector ran (a worker's memory over
2,000 fetches rose by about 200 MB). The spider parses with a selector the response
does not keep."""

from __future__ import annotations

import gc
import weakref

from crawler.extraction.pipeline import ExtractPipeline
from spiders.registry import spider_for_url
from tests.support.fixture_urls import BBC, GUARDIAN, INDEPENDENT
from tests.test_spiders import recorded_response


def test_a_read_page_and_its_response_are_freed_without_the_collector() -> None:
    for url in (BBC, GUARDIAN, INDEPENDENT):
        spider = spider_for_url(url)(url=url)
        gc.collect()
        gc.disable()
        try:
            response = recorded_response(url, spider)
            (item,) = list(spider.parse(response))
            item = ExtractPipeline().process_item(item)
            assert item.page is not None and item.page.text
            gone = weakref.ref(response)
            del response, item
            assert gone() is None, f"{url}: the response outlived its last reference"
        finally:
            gc.enable()
