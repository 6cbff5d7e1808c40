"""Fetching: one polite Scrapy crawler for every page, with record and replay."""
