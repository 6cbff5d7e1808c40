"""The Scrapy components a crawl runs for every request: the ones the product needs are
on, the ones that do nothing for it are off (crawler/settings.py says why for each)."""

from __future__ import annotations

from scrapy.utils.conf import build_component_list

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
