"""Crawl workers sharing one queue of sources in Redis (scrapy-redis).

``sourcecheck crawl --workers-from REDIS_URL`` started on one machine or many: every
worker runs the outlet spiders (one crawler each, as a single crawl does) with
scrapy-redis's scheduler and duplicate filter, so all workers pull from one queue per
outlet and each source is fetched once per run. The database is the only other thing
they share: :class:`crawler.crawling.store_pipeline.StorePipeline` reads each fetched source's
due quotes from it and stores the verdicts under a lock on the source row.

A *run* lives in Redis under ``<prefix>:run`` (an id and its start time):

- the first worker to ``SET NX`` that key is the feeder: it pushes the due sources'
  URLs, routed to their outlet spider's key (``<prefix>:<run>:<spider>:sources``),
  then sets ``<prefix>:<run>:fed``. Later workers join the run and consume;
- every worker keeps a heartbeat in ``<prefix>:<run>:workers`` (a sorted set of
  worker ids by time);
- when a worker's queues are empty it asks the database what is still due for this
  run. Nothing: its part is done (and when nothing is due at all, the run's keys are
  deleted). Something, while other workers are alive: they hold it in flight, so it
  waits (at most ``MAX_IDLE_TIME_BEFORE_CLOSE`` seconds). Something, and it is alone:
  a worker that died (SIGKILL, a lost machine) took those requests with it, so it
  pushes them again, bypassing the duplicate filter, at most
  ``SOURCECHECK_RECOVER_MAX`` times per source.

Requests in Redis are JSON (:mod:`crawler.crawling.queue_serializer`, in place of
scrapy-redis's pickle), checked field by field on read: an entry the workers did not
write is logged and skipped, never run. Redis must still be private to the workers:
whoever can write to it can make them fetch URLs (through the address guard) and
delete a run.
"""

from __future__ import annotations

import json
import logging
import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Self

import redis
import scrapy
from scrapy import signals
from scrapy.crawler import AsyncCrawlerProcess, Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy_redis.dupefilter import RFPDupeFilter
from scrapy_redis.spiders import RedisMixin
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from twisted.internet import task

from crawler.fetching.fetch import project_settings
from crawler.storage.models import utcnow
from crawler.storage.store import due_by_source
from spiders.base import META, ArticleSpider
from spiders.items import SourcePage
from spiders.registry import SPIDERS, spider_for_url

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "sourcecheck"
# Seconds without a heartbeat after which a worker counts as dead.
DEFAULT_WORKER_TTL = 30.0
# Seconds a worker with nothing queued waits for live workers to finish theirs.
DEFAULT_MAX_IDLE = 60
DEFAULT_RECOVER_MAX = 2
# A run with no live worker and older than this was abandoned: start a new one.
DEFAULT_RUN_MAX_AGE = timedelta(hours=6)
# Seconds before asking an empty source list again when the scheduler runs dry.
REFILL_BACKOFF = 0.5

# Redis compare-and-delete: end a run only if it is still the run we know.
_DELETE_IF = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) end"


@dataclass(frozen=True)
class RunInfo:
    id: str
    started: datetime
    feeder: bool
    raw: str


class Run:
    """One run's state in Redis, and the database questions the workers ask about it."""

    def __init__(
        self,
        server: redis.Redis,
        prefix: str,
        sessions: sessionmaker[Session],
        recheck_after: timedelta,
        worker_ttl: float = DEFAULT_WORKER_TTL,
        recover_max: int = DEFAULT_RECOVER_MAX,
    ) -> None:
        self.server = server
        self.prefix = prefix
        self.sessions = sessions
        self.recheck_after = recheck_after
        self.worker_ttl = worker_ttl
        self.recover_max = recover_max
        self.worker_id = uuid.uuid4().hex[:12]
        self.info: RunInfo | None = None

    # ---- keys -------------------------------------------------------------------

    @property
    def run_key(self) -> str:
        return f"{self.prefix}:run"

    def key(self, *parts: str) -> str:
        assert self.info is not None
        return ":".join((self.prefix, self.info.id, *parts))

    def sources_key(self, spider: str) -> str:
        return self.key(spider, "sources")

    def requests_key(self, spider: str) -> str:
        return self.key(spider, "requests")

    # ---- joining, feeding, heartbeats ----------------------------------------------

    def join(self, max_age: timedelta = DEFAULT_RUN_MAX_AGE) -> RunInfo:
        """Start a run (and become its feeder) or join the one under way.

        A run older than ``max_age`` with no live worker was abandoned (its last worker
        died long ago): it is ended, and a new run, whose due sources include all it
        left, is started instead of finishing it with its old start time.
        """
        while True:
            raw = json.dumps({"id": uuid.uuid4().hex[:12], "started": utcnow().isoformat()})
            if self.server.set(self.run_key, raw, nx=True):
                return self._info(raw, feeder=True)
            current = self.server.get(self.run_key)
            if current is None:  # it ended between SET NX and GET: try again
                continue
            info = self._info(current, feeder=False)
            if utcnow() - info.started > max_age and not self.others_alive():
                logger.warning("run %s was abandoned; starting a new one", info.id)
                self.end_run()
                continue
            return info

    def end_run(self) -> None:
        """Delete the run's keys, if it is still the current run."""
        assert self.info is not None
        if self.server.eval(_DELETE_IF, 1, self.run_key, self.info.raw):
            keys = list(self.server.scan_iter(match=f"{self.prefix}:{self.info.id}:*"))
            if keys:
                self.server.delete(*keys)

    def _info(self, raw: str | bytes, feeder: bool) -> RunInfo:
        text = raw.decode() if isinstance(raw, bytes) else raw
        data = json.loads(text)
        self.info = RunInfo(data["id"], datetime.fromisoformat(data["started"]), feeder, text)
        return self.info

    def beat(self) -> None:
        self.server.zadd(self.key("workers"), {self.worker_id: time.time()})

    def leave(self) -> None:
        if self.info is not None:
            self.server.zrem(self.key("workers"), self.worker_id)

    def others_alive(self) -> bool:
        """True when another worker's heartbeat is fresh."""
        alive = self.server.zrangebyscore(
            self.key("workers"), time.time() - self.worker_ttl, "+inf"
        )
        return any(w.decode() != self.worker_id for w in alive)  # type: ignore[union-attr]

    def is_fed(self) -> bool:
        return bool(self.server.exists(self.key("fed")))

    def feed(self, urls: list[str], recover: bool = False) -> int:
        """Push source URLs to their outlet spider's key; with ``recover``, past the
        duplicate filter, and only sources not yet pushed ``recover_max`` times."""
        pipe = self.server.pipeline()
        pushed = 0
        for url in urls:
            if recover:
                tries = self.server.hincrby(self.key("recovered"), url, 1)
                if tries > self.recover_max:
                    continue
            data = json.dumps({"url": url, "recover": recover})
            pipe.rpush(self.sources_key(spider_for_url(url).name), data)
            pushed += 1
        pipe.set(self.key("fed"), "1")
        pipe.execute()
        return pushed

    def given_up(self) -> set[str]:
        """Sources already pushed again ``recover_max`` times, and due once more."""
        counts = self.server.hgetall(self.key("recovered"))
        return {k.decode() for k, v in counts.items() if int(v) > self.recover_max}  # type: ignore[union-attr]

    # ---- what the database says ---------------------------------------------------------

    def due_urls(self) -> list[str]:
        """Sources with quotes still due in this run, of every outlet."""
        assert self.info is not None
        with self.sessions() as session:
            due = due_by_source(session, self.recheck_after, self.info.started)
            return [s.url for s in due]

    def finish_if_done(self, due: list[str] | None = None) -> bool:
        """Delete the run's keys when nothing is due any more (bar given-up sources);
        ``due``: the run's due sources, when they were just read."""
        assert self.info is not None
        if set(self.due_urls() if due is None else due) - self.given_up():
            return False
        self.end_run()
        return True


class SourceDupeFilter(RFPDupeFilter):
    """scrapy-redis's Redis duplicate filter, keyed by the source a request fetches.

    A source is fetched once per run (the key holds the run id). A redirect hop is
    part of its source's fetch, never a duplicate: two sources that redirect to one
    page must each still get their item (URL fingerprints would drop the second).
    """

    def request_seen(self, request: scrapy.Request) -> bool:
        if request.meta.get("redirect_urls"):
            return False
        source = request.meta.get(META, {}).get("canonical") or request.url
        added = self.server.sadd(self.key, source)
        return added == 0


class QueueWorkerMixin(RedisMixin):
    """An outlet spider that reads its source URLs from Redis, for a crawl worker.

    Built on scrapy-redis's ``RedisMixin`` (batch pops from the spider's Redis key,
    ``make_request_from_data``), adapted to current Scrapy: scrapy-redis 0.9.1 yields
    its first requests from ``start_requests()``, which Scrapy 2.13+ never calls, so
    :meth:`start` does it; and its idle handling (close after
    ``MAX_IDLE_TIME_BEFORE_CLOSE``) is replaced by :meth:`worker_idle`, which asks the
    run whether work is still due and whether a dead worker's share must be pushed
    again. What the outlet knows (domains, canonical URLs, layouts, walls) stays in
    the outlet spider class this is mixed into.
    """

    run: Run
    outlet_spider: type[ArticleSpider]  # the outlet spider class this is mixed into

    def __init__(self, *args: Any, run: Run, **kwargs: Any) -> None:
        # ArticleSpider.__init__ insists on given URLs; a worker's come from Redis.
        scrapy.Spider.__init__(self, *args, **kwargs)
        self.urls: list[str] = []
        self.run = run
        self.idle_since: float | None = None
        self.refill_after = 0.0

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> Self:
        spider = super().from_crawler(crawler, *args, **kwargs)  # type: ignore[misc]
        spider.setup_redis(crawler)
        # RedisMixin connected its own idle handler; ours replaces it.
        crawler.signals.disconnect(spider.spider_idle, signal=signals.spider_idle)
        crawler.signals.connect(spider.worker_idle, signal=signals.spider_idle)
        # RedisMixin pulls the next batch only when the spider is idle, which drains the
        # downloader at every batch; pulling when the scheduler runs dry keeps it busy.
        crawler.signals.connect(spider.refill, signal=signals.scheduler_empty)
        return spider

    async def start(self) -> Any:
        for request in self.next_requests():
            yield request

    def make_request_from_data(self, data: bytes) -> scrapy.Request | None:
        try:
            message = json.loads(data)
            url = message["url"]
            if not isinstance(url, str):
                raise TypeError("the url is not text")
        except (ValueError, KeyError, TypeError, RecursionError):
            self.logger.error("ignored a malformed queue entry: %r", data[:200])
            return None
        try:
            request = self.request_for(url)
        except ValueError as exc:  # a malformed URL must not stop the worker
            self.logger.error("ignored a malformed source URL %r: %s", url, exc)
            return None
        # The duplicate filter drops a source already fetched in this run, except when
        # a source is pushed again because the worker that held it died.
        request.dont_filter = bool(message.get("recover"))
        return request

    def refill(self) -> None:
        """``scheduler_empty``: move the next batch of sources into the shared queue."""
        now = time.monotonic()
        if now < self.refill_after:
            return
        found = list(self.next_requests())
        for request in found:
            self.crawler.engine.crawl(request)
        if not found:  # none left: do not ask Redis again at every engine tick
            self.refill_after = now + REFILL_BACKOFF

    def _queued(self) -> int:
        return int(self.server.llen(self.redis_key)) + int(
            self.server.zcard(self.run.requests_key(self.name))
        )

    def worker_idle(self) -> None:
        """``spider_idle``: take more work, wait for it, or let the spider close."""
        self.run.beat()
        found = list(self.next_requests())
        for request in found:
            self.crawler.engine.crawl(request)
        if found or self._queued():
            self.idle_since = None
            raise DontCloseSpider
        now = time.monotonic()
        self.idle_since = self.idle_since or now
        if not self.run.is_fed() and self.run.others_alive():
            raise DontCloseSpider  # the feeder is still pushing
        given_up = self.run.given_up()
        # One read of what is due answers both questions: what this outlet still has,
        # and, when that is nothing, whether the whole run is done (it is a query of
        # every due quote, and each of a worker's four spiders asks it when it idles).
        run_due = self.run.due_urls()
        due = [u for u in run_due if spider_for_url(u) is self.outlet_spider]
        due = [u for u in due if u not in given_up]
        if not due:
            self.run.finish_if_done(run_due)
            return
        if self.run.others_alive():
            if now - self.idle_since < self.max_idle_time:
                raise DontCloseSpider  # live workers hold these in flight
            return  # they, or the next worker to start, will finish them
        # Alone, with work due that is in no queue: a dead worker held it.
        if self.run.feed(due, recover=True):
            self.logger.warning("pushed %d source(s) again: a worker died holding them", len(due))
            raise DontCloseSpider
        self.run.finish_if_done()


def worker_spider(outlet: type[ArticleSpider]) -> type[ArticleSpider]:
    """The queue-reading worker class for an outlet spider (same name, same logic)."""
    return type(
        f"{outlet.__name__}Worker",
        (QueueWorkerMixin, outlet),
        {"__module__": __name__, "outlet_spider": outlet},
    )


def worker_settings(run: Run, redis_url: str) -> dict[str, Any]:
    """scrapy-redis settings for one run: set only in worker mode."""
    return {
        "SCHEDULER": "scrapy_redis.scheduler.Scheduler",
        "DUPEFILTER_CLASS": "crawler.crawling.workers.SourceDupeFilter",
        # Workers share the queue: one that stops must not delete it (the run's keys
        # are deleted when nothing is due any more).
        "SCHEDULER_PERSIST": True,
        # JSON checked on read, never pickle: a queue entry must not be able to run code.
        "SCHEDULER_SERIALIZER": "crawler.crawling.queue_serializer",
        "SCHEDULER_QUEUE_CLASS": "crawler.crawling.queue_serializer.SafePriorityQueue",
        "REDIS_URL": redis_url,
        "SCHEDULER_QUEUE_KEY": run.key("%(spider)s", "requests"),
        "SCHEDULER_DUPEFILTER_KEY": run.key("%(spider)s", "dupefilter"),
        "REDIS_START_URLS_KEY": run.key("%(name)s", "sources"),
    }


def run_workers(
    engine: Engine,
    sessions: sessionmaker[Session],
    redis_url: str,
    recheck_after: timedelta,
    settings_overrides: dict[str, Any],
    on_item: Any = None,
) -> tuple[RunInfo, int]:
    """Work on the current run (starting it when there is none) until it is done here.

    Returns the run and how many sources this worker fetched.
    """
    settings = project_settings(settings_overrides)
    prefix = settings.get("SOURCECHECK_REDIS_PREFIX") or os.environ.get(
        "SOURCECHECK_REDIS_PREFIX", DEFAULT_PREFIX
    )
    server = redis.Redis.from_url(redis_url)
    server.ping()
    run = Run(
        server,
        prefix,
        sessions,
        recheck_after,
        worker_ttl=settings.getfloat("SOURCECHECK_WORKER_TTL", DEFAULT_WORKER_TTL),
        recover_max=settings.getint("SOURCECHECK_RECOVER_MAX", DEFAULT_RECOVER_MAX),
    )
    info = run.join(
        timedelta(seconds=settings.getfloat("SOURCECHECK_RUN_MAX_AGE", 0)) or DEFAULT_RUN_MAX_AGE
    )
    run.beat()
    if info.feeder:
        pushed = run.feed(run.due_urls())
        logger.info("run %s: fed %d source(s)", info.id, pushed)
    settings.setdict(worker_settings(run, redis_url), priority="cmdline")
    settings.setdict(
        {
            "SOURCECHECK_RUN_STARTED": info.started.isoformat(),
            "MAX_IDLE_TIME_BEFORE_CLOSE": settings.getint(
                "MAX_IDLE_TIME_BEFORE_CLOSE", DEFAULT_MAX_IDLE
            )
            or DEFAULT_MAX_IDLE,
        },
        priority="cmdline",
    )
    fetched = 0

    def collect(item: SourcePage) -> None:
        nonlocal fetched
        fetched += 1
        if on_item is not None:
            on_item(item)

    process = AsyncCrawlerProcess(settings)
    for outlet in SPIDERS.values():
        crawler = process.create_crawler(worker_spider(outlet))
        crawler.signals.connect(collect, signal=signals.item_scraped)
        process.crawl(crawler, run=run)
    heartbeat = task.LoopingCall(run.beat)
    heartbeat.start(max(run.worker_ttl / 3, 0.5), now=False)
    try:
        process.start()
    finally:
        if heartbeat.running:
            heartbeat.stop()
        run.leave()
        server.close()
    return info, fetched
