"""The sourcecheck application: reading pages, crawling, storage, CLI and reports."""
