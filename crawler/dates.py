"""Dates given on the command line (``--published``, ``--around``, ``--as-of``,
``--cited-on``) and in settings: one parser, one error message."""

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


def parse_day(value: object, what: str = "date") -> date | None:
    """:func:`parse_date`, as a calendar day (a time gives its date)."""
    found = parse_date(value, what)
    return found.date() if isinstance(found, datetime) else found
