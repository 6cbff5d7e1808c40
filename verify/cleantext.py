"""Text from outside, cleaned once at intake and again before storage.

A citing article or a page can hold NUL and other control characters (a broken CMS,
a hostile writer): PostgreSQL refuses NUL in text outright, and the rest are
invisible noise at best and terminal escapes at worst. So C0 controls (but tab, line
feed and carriage return), DEL and the C1 range are removed, form feed and vertical tab
become spaces, and a lone surrogate (which no database can encode) becomes U+FFFD.

And a limit on the one size an article controls that the matcher pays for: a quotation's
length. Aligning a quotation costs time and memory in proportion to its length times
the source's; quotations in news run to a few hundred characters, long block quotes to
a few thousand, so :data:`MAX_QUOTE_CHARS` leaves real ones alone and stops a hostile
article from holding a worker for minutes (a 10 MB quote took 32 s and 1 GB).
"""

from __future__ import annotations

import re

MAX_QUOTE_CHARS = 5_000

_DROP = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_SPACE = re.compile(r"[\x0b\x0c]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_ANY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def clean_text(text: str) -> str:
    """``text`` without control characters (see the module's docstring)."""
    if _ANY.search(text) is None:  # the common case: one scan, no copy
        return text
    return _SURROGATE.sub("\ufffd", _SPACE.sub(" ", _DROP.sub("", text)))


def too_long(quote: str) -> bool:
    """True when a quotation is longer than :data:`MAX_QUOTE_CHARS` (not verified)."""
    return len(quote) > MAX_QUOTE_CHARS
