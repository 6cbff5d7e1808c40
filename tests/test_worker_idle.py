"""A worker's idle check without Redis or a database: what it asks and what it decides."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from crawler.crawling.workers import Run, RunInfo, worker_spider
from spiders.bbc import BbcSpider
from spiders.generic import GenericSpider
from spiders.registry import spider_for_url


class StubRedis:
    """The few calls an idle check with nothing queued makes, answered in memory."""

    def __init__(self) -> None:
        self.deleted = False

    def hgetall(self, key: str) -> dict[bytes, bytes]:
        return {}

    def eval(self, script: str, keys: int, *args: Any) -> int:
        self.deleted = True
        return 1

    def scan_iter(self, match: str) -> list[str]:
        return []


class CountingRun(Run):
    def __init__(self, due: list[str]) -> None:
        super().__init__(StubRedis(), "test", None, timedelta(0))  # type: ignore[arg-type]
        self.info = RunInfo("r1", None, False, "{}")  # type: ignore[arg-type]
        self.due, self.questions = due, 0

    def due_urls(self, spider: Any = None) -> list[str]:
        self.questions += 1
        return [u for u in self.due if spider is None or spider_for_url(u) is spider]

    def beat(self) -> None:
        pass

    def is_fed(self) -> bool:
        return True

    def others_alive(self) -> bool:
        return False


def idle(spider_cls: type, run: CountingRun) -> None:
    spider = object.__new__(worker_spider(spider_cls))
    spider.run, spider.idle_since, spider.max_idle_time = run, None, 60
    spider.next_requests = lambda: iter(())
    spider._queued = lambda: 0
    spider.worker_idle()


def test_an_outlet_with_nothing_due_asks_the_database_once() -> None:
    """Each of a worker's spiders checks what is due when it idles: its own outlet's
    sources and, when it has none, the whole run's, in one query (it was two)."""
    run = CountingRun(["http://example.org/a"])  # due, but not the BBC's
    idle(BbcSpider, run)
    assert run.questions == 1 and not run.server.deleted  # the run goes on
    done = CountingRun([])
    idle(GenericSpider, done)
    assert done.questions == 1 and done.server.deleted  # nothing due: the run ends
