"""Reporting: what the stored verdicts say, as a table, JSON, HTML or terminal text."""
