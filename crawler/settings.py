"""Scrapy settings for sourcecheck: one polite crawler for every fetch.

``scrapy.cfg`` names this module for the ``scrapy`` command; the ``sourcecheck``
command loads it with ``Settings().setmodule("crawler.settings", priority="project")``
(see :func:`crawler.fetching.fetch.project_settings`). Settings of our own components carry
the ``SOURCECHECK_`` prefix and are read by those components in ``from_crawler``.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sourcecheck")
except PackageNotFoundError:  # running from a checkout that was never installed
    __version__ = "0"

BOT_NAME = "sourcecheck"
SPIDER_MODULES = ["spiders"]
# `scrapy crawl` checks an outlet spider's -a url= before starting (crawler/scrapy_commands).
COMMANDS_MODULE = "crawler.scrapy_commands"
NEWSPIDER_MODULE = "spiders"

# ---- who we are -----------------------------------------------------------------
# Publishers should be able to see who is fetching and how to reach them.
SOURCECHECK_CONTACT_URL = os.environ.get(
    "SOURCECHECK_CONTACT_URL", "https://github.com/sourcecheck/sourcecheck"
)
USER_AGENT = f"sourcecheck/{__version__} (+{SOURCECHECK_CONTACT_URL}; quote verification)"
ROBOTSTXT_OBEY = True
ROBOTSTXT_USER_AGENT = "sourcecheck"
# robots.txt Crawl-delay is honoured (crawler/fetching/robots.py), up to this many seconds.
SOURCECHECK_CRAWL_DELAY_MAX = 30.0

# ---- politeness -------------------------------------------------------------------
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 1
DOWNLOAD_DELAY = 1.0
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
COOKIES_ENABLED = False  # we read public pages; no session, no consent cookies
# Scrapy runs a response's callback output through this many asyncio tasks (100 by
# default, all started for every response). A callback here yields one item or one
# request, so one task does the same work, for 1 to 2 ms less CPU a page (a worker,
# 2,072 fetches). An earlier try saw a worker's memory rise with it: each page (body, text,
# tree) sat in a reference cycle until the cyclic collector ran, and the 100 tasks'
# allocations set that off sooner. With the cycle gone (ArticleSpider.parse) a worker's
# RSS was the same with 1 and with 100 (about 200 MB halfway, 206-222 MB at the end;
# 280-320 and 355-365 MB with the cycle and 100 tasks).
CONCURRENT_ITEMS = 1
# Scrapy checks every response's callback for a generator that returns a value, by
# reading and parsing the callback's source: its cache is keyed by the bound method,
# which dies with its request, so the check ran for every page (2.4 ms a page on the
# development machine, 4% of a crawl's CPU). tests/test_scrapy_components.py makes the
# same check of every callback of the project's spiders, once, in the tests.
WARN_ON_GENERATOR_RETURN_VALUE = False

# ---- failure handling ---------------------------------------------------------------
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 10 * 1024 * 1024  # also bounds gzip decompression (bombs)
DOWNLOAD_WARNSIZE = 5 * 1024 * 1024
REDIRECT_MAX_TIMES = 10
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
# Scrapy's RetryMiddleware retries at once; ours (a subclass) waits first:
# base * 2**attempt seconds, or the server's Retry-After, capped.
SOURCECHECK_RETRY_BACKOFF_BASE = 2.0
SOURCECHECK_RETRY_BACKOFF_MAX = 60.0

# The address guard's second line: the resolver Scrapy connects with refuses
# non-public answers too (DNS rebinding).
TWISTED_DNS_RESOLVER = "crawler.fetching.middlewares.GuardedResolver"

DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "crawler.fetching.robots.CrawlDelayRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.fetching.middlewares.BackoffRetryMiddleware": 550,
    # Last before the network: the guard sees every request, each redirect hop and
    # robots.txt included; replay answers instead of the network; the recorder sees
    # every raw response (redirects and robots.txt included) before decompression.
    "crawler.fetching.middlewares.AddressGuardMiddleware": 940,
    "crawler.fetching.record.RecordMiddleware": 950,
    "crawler.fetching.replay.ReplayMiddleware": 960,
    # Scrapy's components that run for every request and do nothing for this crawl
    # (each one a step of every request's, response's or callback output's chain):
    # Offsite filters only by a spider's allowed_domains, which ours do not set (an
    # outlet spider refuses other hosts itself before any request: url_problem);
    # HttpAuth sends a spider's http_user/http_pass, which none has; DownloaderStats
    # counts bytes and requests into stats that nothing here reads.
    # Kept: robots.txt, retries, redirects (HTTP and <meta> refresh), compression,
    # the timeout (DownloadTimeoutMiddleware gives the handler DOWNLOAD_TIMEOUT, which
    # it does not read itself), the user agent and default headers (what a publisher
    # sees), HttpProxy (a deployment behind a proxy sets http_proxy) and ours.
    # Cookies and the HTTP cache switch themselves off (COOKIES_ENABLED, HTTPCACHE_ENABLED).
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware": None,
    "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
}
# The spider's output passes through each spider middleware's generator. A callback
# yields one item, or one request (an AMP page's canonical page, on the same site):
# Referer would add a Referer header to that request (nobody needs it), UrlLength
# drops long links a link-following crawl finds, Depth counts link hops (DEPTH_LIMIT
# is 0: stats only, which nothing reads), MetaCopyDetection warns a spider author who
# copies response.meta (request_for builds each request's meta afresh). Kept: the
# start requests' handling and HttpError (a 404 or 500 reaches the errback, which
# names the reason).
SPIDER_MIDDLEWARES = {
    "scrapy.spidermiddlewares.referer.RefererMiddleware": None,
    "scrapy.spidermiddlewares.urllength.UrlLengthMiddleware": None,
    "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
    "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware": None,
}

# ---- outside services (crawler/fetching/services.py) ------------------------------
# A service named here gets a download slot of its own: one request at a time, this
# many seconds apart, on whatever host it is. The Guardian Content API allows a
# developer key about one call a second.
SOURCECHECK_SERVICE_DELAYS = {"guardian_api": 1.0}

# ---- source discovery (crawler/discovery/) --------------------------------------------
# Where each finder looks. Every endpoint has an environment override, so tests,
# mirrors and other deployments can point it elsewhere.
SOURCECHECK_GUARDIAN_API_URL = os.environ.get(
    "SOURCECHECK_GUARDIAN_API_URL", "https://content.guardianapis.com"
)
# Unset: the Content API's documented "test" key (with a warning): fine for trying,
# rate-limited hard. Never recorded (crawler/fetching/record.py drops it from URLs).
SOURCECHECK_GUARDIAN_API_KEY = os.environ.get("SOURCECHECK_GUARDIAN_API_KEY")


def _urls(env: str, default: str) -> list[str]:
    return os.environ.get(env, default).split()


# Sitemaps, sitemap indexes or RSS/Atom feeds per outlet (space-separated in the
# environment); the defaults are the ones each outlet's robots.txt announces.
SOURCECHECK_SITEMAPS = {
    "bbc": _urls(
        "SOURCECHECK_SITEMAPS_BBC",
        "https://www.bbc.com/sitemaps/https-index-com-news.xml "
        "https://www.bbc.com/sitemaps/https-index-com-archive.xml",
    ),
    "guardian": _urls(
        "SOURCECHECK_SITEMAPS_GUARDIAN",
        "https://www.theguardian.com/sitemaps/news.xml https://www.theguardian.com/newssitemap.xml",
    ),
    "independent": _urls(
        "SOURCECHECK_SITEMAPS_INDEPENDENT",
        "https://www.independent.co.uk/sitemaps/googlenews https://www.independent.co.uk/sitemap.xml",
    ),
}
# Pages fetched per quote to read candidates a sitemap only names: a wide window must
# never become a crawl of the site.
SOURCECHECK_DISCOVERY_PAGE_BUDGET = 20
# Sitemap indexes are followed this many levels down, at most this many children each.
SOURCECHECK_SITEMAP_DEPTH = 3
SOURCECHECK_SITEMAP_CHILDREN = 40

# ---- extraction -------------------------------------------------------------------
ITEM_PIPELINES = {"crawler.extraction.pipeline.ExtractPipeline": 300}
SOURCECHECK_EXTRACT_ENABLED = True
# Extract in this many pool processes, overlapping with fetching, parsing, verification
# and storage (crawler/extraction/pool.py); 0: in the crawl process. One crawl process
# with a pool crawled 1.2x to 2.1x as many pages a second as without (docs/scale.md).
# By default every CPU but the crawl process's own; none on a one-CPU machine, where a
# pool only adds copying. Several workers on one machine: keep workers x (1 + this)
# near the number of CPUs (set it in SOURCECHECK_SETTINGS_MODULE's module).
_CPUS = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
SOURCECHECK_EXTRACT_PROCESSES = max(0, (_CPUS or 1) - 1)

# ---- record and replay (set by `sourcecheck record` / `--replay`) --------------------
SOURCECHECK_REPLAY = None  # a fixtures folder (manifest.json) or a .warc / .warc.gz file
SOURCECHECK_RECORD_DIR = None  # write body + manifest entry for each response here
SOURCECHECK_RECORD_WARC = None  # append every response to this WARC file

LOG_LEVEL = "INFO"
# Neither a telnet console nor Scrapy 2.19's code-executing HTTP server on localhost:
# a verification crawler has no use for remote control of itself.
TELNETCONSOLE_ENABLED = False
REMOTE_CONTROL_ENABLED = False

# ---- the Internet Archive (crawler/archive/) -----------------------------------------
# Where a gone or edited source is looked up: the CDX server lists a URL's captures,
# and the Wayback Machine serves each raw (``{WAYBACK}{timestamp}id_/{url}``).
SOURCECHECK_CDX_URL = os.environ.get(
    "SOURCECHECK_CDX_URL", "https://web.archive.org/cdx/search/cdx"
)
SOURCECHECK_WAYBACK_URL = os.environ.get("SOURCECHECK_WAYBACK_URL", "https://web.archive.org/web/")
SOURCECHECK_ARCHIVE_ENABLED = os.environ.get("SOURCECHECK_ARCHIVE", "1") not in ("0", "off", "no")
# The archive asks for about 60 calls a minute at most, and firewalls clients that keep
# going past its 429s: one archive request a second at most, across the whole process.
SOURCECHECK_ARCHIVE_DELAY = float(os.environ.get("SOURCECHECK_ARCHIVE_DELAY", "1.0"))
# After a 429 every archive request waits Retry-After (or this) and the request is
# tried again at most SOURCECHECK_ARCHIVE_RETRIES times; a Retry-After longer than
# SOURCECHECK_ARCHIVE_BACKOFF_MAX stops archive lookups for the rest of the run.
SOURCECHECK_ARCHIVE_BACKOFF = 60.0
SOURCECHECK_ARCHIVE_BACKOFF_MAX = 300.0
SOURCECHECK_ARCHIVE_RETRIES = 1
SOURCECHECK_AS_OF = None  # check against the capture closest to this date (`--as-of`)
SOURCECHECK_CITED_ON = None  # the citing article's date, for the edit check (`run`)
DOWNLOADER_MIDDLEWARES["crawler.archive.throttle.ArchiveThrottleMiddleware"] = 560
ITEM_PIPELINES["crawler.archive.pipeline.ArchivePipeline"] = 350
DOWNLOADER_MIDDLEWARES["crawler.archive.pipeline.AsOfMiddleware"] = 90
SOURCECHECK_ARCHIVE_EAGER = False  # read the citing date's capture for every page (check)
# The archive is a service too (crawler/fetching/services.py): its own download slot.
SOURCECHECK_SERVICE_DELAYS["archive"] = SOURCECHECK_ARCHIVE_DELAY
