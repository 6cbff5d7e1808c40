"""tests.support.crash_settings (a crawl that kills itself once a source is stored) with
extraction in a pool of two processes."""

from tests.support.crash_settings import *  # noqa: F403

SOURCECHECK_EXTRACT_PROCESSES = 2
