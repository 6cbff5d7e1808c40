"""Settings laid over crawler.settings for the crawl-worker tests
(SOURCECHECK_SETTINGS_MODULE): no politeness delays against the local server, and a
short heartbeat so that a killed worker is found dead within seconds."""

from tests.support.fault_settings import *  # noqa: F403

DOWNLOAD_TIMEOUT = 30  # a held (gated) request must outlive the kill test's wait
SOURCECHECK_WORKER_TTL = 4.0  # 2 s was missed by a busy machine: a live worker taken for dead
MAX_IDLE_TIME_BEFORE_CLOSE = 30
