"""Dates given on the command line (``--as-of``, ``--cited-on``) and in settings."""

from __future__ import annotations

from datetime import date, datetime

from crawler.errors import InputError


def parse_date(value: object, what: str = "date") -> date | datetime | None:
    """A ``YYYY-MM-DD`` date or an ISO 8601 time (``--as-of``, ``--cited-on``)."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        if len(text) == 10:
            return date.fromisoformat(text)
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise InputError(f"not a {what}: {value!r} (use YYYY-MM-DD)") from None
