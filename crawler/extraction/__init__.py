"""Extraction: a fetched page's main text, full visible text and metadata."""
