"""Crawling: the scheduled job, the pipelines that verify and store, workers, the lock."""
