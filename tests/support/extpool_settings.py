"""Settings laid over crawler.settings (SOURCECHECK_SETTINGS_MODULE): extraction in a
pool of two processes, to check that it gives the same verdicts as in the crawl
process."""

SOURCECHECK_EXTRACT_PROCESSES = 2
