"""The Scrapy components a crawl runs for every request: the ones the product needs are
on, the ones that do nothing for it are off (crawler/settings.py says why for each)."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import scrapy
from scrapy.utils.conf import build_component_list
from scrapy.utils.misc import is_generator_with_return_value

from crawler.fetching.fetch import project_settings

NEEDED_DOWNLOADER = (
    "crawler.fetching.robots.CrawlDelayRobotsTxtMiddleware",
    "crawler.fetching.middlewares.BackoffRetryMiddleware",
    "crawler.fetching.middlewares.AddressGuardMiddleware",
    "scrapy.downloadermiddlewares.redirect.RedirectMiddleware",
    "scrapy.downloadermiddlewares.redirect.MetaRefreshMiddleware",
    "scrapy.downloadermiddlewares.httpcompression.HttpCompressionMiddleware",
    "scrapy.downloadermiddlewares.downloadtimeout.DownloadTimeoutMiddleware",
    "scrapy.downloadermiddlewares.useragent.UserAgentMiddleware",
    "scrapy.downloadermiddlewares.defaultheaders.DefaultHeadersMiddleware",
    "scrapy.downloadermiddlewares.httpproxy.HttpProxyMiddleware",
)
IDLE_DOWNLOADER = (
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware",
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware",
    "scrapy.downloadermiddlewares.stats.DownloaderStats",
)
NEEDED_SPIDER = ("scrapy.spidermiddlewares.httperror.HttpErrorMiddleware",)
IDLE_SPIDER = (
    "scrapy.spidermiddlewares.referer.RefererMiddleware",
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware",
    "scrapy.spidermiddlewares.depth.DepthMiddleware",
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware",
)


def _enabled(setting: str) -> set[str]:
    return set(build_component_list(project_settings().getwithbase(setting)))


def test_the_crawl_runs_the_middlewares_it_needs_and_not_the_idle_ones() -> None:
    downloader, spider = _enabled("DOWNLOADER_MIDDLEWARES"), _enabled("SPIDER_MIDDLEWARES")
    assert set(NEEDED_DOWNLOADER) <= downloader
    assert not set(IDLE_DOWNLOADER) & downloader
    assert set(NEEDED_SPIDER) <= spider
    assert not set(IDLE_SPIDER) & spider
    # Switched off by their own settings, so a crawl never builds them.
    settings = project_settings()
    assert not settings.getbool("COOKIES_ENABLED")
    assert not settings.getbool("HTTPCACHE_ENABLED")


def test_a_response_s_output_is_handled_by_one_task() -> None:
    """CONCURRENT_ITEMS: a callback yields one item or one request, so Scrapy's default
    of 100 tasks per response was 99 tasks of overhead (see crawler/settings.py)."""
    assert project_settings().getint("CONCURRENT_ITEMS") == 1


def _spider_classes() -> set[type[scrapy.Spider]]:
    for package in ("spiders", "crawler"):
        root = importlib.import_module(package)
        for module in pkgutil.walk_packages(root.__path__, f"{package}."):
            if ".migrations." not in module.name:  # Alembic's scripts run only under it
                importlib.import_module(module.name)
    found: set[type[scrapy.Spider]] = set()
    todo = [scrapy.Spider]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub.__module__.split(".")[0] in ("spiders", "crawler") and sub not in found:
                found.add(sub)
                todo.append(sub)
    return found


def test_no_callback_is_a_generator_that_returns_a_value() -> None:
    """Scrapy's own check (WARN_ON_GENERATOR_RETURN_VALUE), off in the crawl because it
    ran for every page: made here once, on every spider method that is a generator (a
    value returned from a callback that yields is silently lost)."""
    classes = _spider_classes()
    assert {"ArticleSpider", "GenericSpider", "BbcSpider", "ServiceSpider"} <= {
        c.__name__ for c in classes
    }
    assert not project_settings().getbool("WARN_ON_GENERATOR_RETURN_VALUE")
    checked = 0
    for cls in classes:
        for name, method in inspect.getmembers(cls, inspect.isfunction):
            if inspect.isgeneratorfunction(method) or inspect.isasyncgenfunction(method):
                checked += 1
                assert not is_generator_with_return_value(method), f"{cls.__name__}.{name}"
    assert checked >= 2  # ArticleSpider.start and .parse at least
