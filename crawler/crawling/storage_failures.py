"""Why sources' verdicts could not be stored, for the job that started the crawl.

:class:`crawler.crawling.store_pipeline.StorePipeline` runs inside the crawl, in the same
process as the job (crawler/crawling/crawljob.py) that reads this list afterwards: a
crawl that stored nothing must fail, not exit 0. Kept in a module of its own so that
the job can read it without importing Scrapy before a crawl starts.
"""

from __future__ import annotations

# "canonical url: why", in the order the sources failed; cleared before each crawl.
STORAGE_FAILURES: list[str] = []


def failure_line(exc: BaseException) -> str:
    """The first line of a database error, without SQLAlchemy's statement and link."""
    text = str(getattr(exc, "orig", None) or exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__
