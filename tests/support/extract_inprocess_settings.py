"""Settings laid over crawler.settings (SOURCECHECK_SETTINGS_MODULE): extraction in
the crawl process, whatever the machine's default pool size."""

SOURCECHECK_EXTRACT_PROCESSES = 0
