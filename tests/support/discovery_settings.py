"""Settings for the discovery tests (SOURCECHECK_SETTINGS_MODULE): the fault tests' short
timeouts, a page budget of 3, and a Content API slot fast enough for a test but still
spaced, with room for a short Retry-After."""

from tests.support.fault_settings import *  # noqa: F403

SOURCECHECK_DISCOVERY_PAGE_BUDGET = 3
SOURCECHECK_SERVICE_DELAYS = {"guardian_api": 0.2}
SOURCECHECK_RETRY_BACKOFF_MAX = 2.0
