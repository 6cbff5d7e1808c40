"""Settings laid over crawler.settings for bench/throughput.py
(SOURCECHECK_SETTINGS_MODULE): the local server is ours, so no politeness delays and
no per-domain limit; everything else (robots.txt, the guard, retries, extraction,
verification, storage) is the production path."""

import os

# The bench times each crawl with and without an extraction pool (--extract-processes).
SOURCECHECK_EXTRACT_PROCESSES = int(os.environ.get("SOURCECHECK_EXTRACT_PROCESSES", "0"))

DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 8
SOURCECHECK_WORKER_TTL = 5.0
MAX_IDLE_TIME_BEFORE_CLOSE = 10

# CPU seconds per stage, written for the bench when BENCH_STAGE_STATS names a file.
EXTENSIONS = {"bench.stage_stats.StageStats": 0}
