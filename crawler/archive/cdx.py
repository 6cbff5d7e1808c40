"""The Wayback Machine's CDX answers and capture addresses: pure, no I/O.

A CDX query asks for the captures of one URL (``output=json``: the first row names
the fields, each later row is one capture). :func:`choose_capture` picks the capture
closest to the citing date, preferring one taken before it: a capture from before
the article was written shows what the writer could have read; one from after may
already hold a later edit. :func:`raw_capture_url` is the ``id_`` form, which the
archive serves as the outlet's own HTML, without its toolbar or rewritten links.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from urllib.parse import urlencode

# The fields asked for (``fl``): the ones a choice and the evidence need.
CDX_FIELDS = ("timestamp", "original", "statuscode", "mimetype", "digest", "length")
# How many years either side of the citing date's year the query looks. By whole
# years, so that one recorded CDX answer replays for every date in that year.
WINDOW_YEARS = 2
# One capture a day (``collapse=timestamp:8``) and at most this many: a much-captured
# page still fits the window.
LIMIT = 2000

_TIMESTAMP = re.compile(r"^\d{4,14}$")


class CdxError(ValueError):
    """The CDX answer is not what the CDX server gives (not JSON, no header row)."""


@dataclass(frozen=True, slots=True)
class Capture:
    """One archived capture of a URL, as the CDX server lists it."""

    timestamp: str  # 14 digits, UTC: YYYYMMDDhhmmss
    original: str
    statuscode: str = ""
    mimetype: str = ""
    digest: str = ""

    @property
    def captured_at(self) -> datetime:
        return parse_timestamp(self.timestamp)

    def to_dict(self) -> dict[str, str]:
        return {
            "timestamp": self.timestamp,
            "original": self.original,
            "statuscode": self.statuscode,
            "mimetype": self.mimetype,
            "digest": self.digest,
        }


def parse_timestamp(value: str) -> datetime:
    """A CDX timestamp (4 to 14 digits, UTC; missing parts are the earliest)."""
    if not _TIMESTAMP.match(value):
        raise ValueError(f"not a CDX timestamp: {value!r}")
    padded = value + "0101000000"[len(value) - 4 :] if len(value) < 14 else value
    return datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=UTC)


def to_timestamp(moment: datetime | date) -> str:
    """A 14-digit CDX timestamp for a date (its start, UTC) or an aware time."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day, tzinfo=UTC)
    elif moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y%m%d%H%M%S")


def as_moment(when: datetime | date) -> datetime:
    """A date as the end of that day (UTC): a page cited on a day may be captured
    later that day and still be what the writer read."""
    if isinstance(when, datetime):
        return when if when.tzinfo else when.replace(tzinfo=UTC)
    return datetime(when.year, when.month, when.day, 23, 59, 59, tzinfo=UTC)


def cdx_query_url(endpoint: str, url: str, when: datetime | date | None) -> str:
    """The CDX query for ``url``'s successful captures around ``when`` (or the latest).

    ``filter=statuscode:200`` leaves out the archive's records of redirects and
    errors: only a capture of the page itself can hold the quote.
    """
    params: list[tuple[str, str]] = [
        ("url", url),
        ("output", "json"),
        ("fl", ",".join(CDX_FIELDS)),
        ("filter", "statuscode:200"),
    ]
    if when is None:
        params.append(("limit", "-5"))  # the five newest captures
    else:
        year = as_moment(when).year
        params += [
            ("from", str(year - WINDOW_YEARS)),
            ("to", str(year + WINDOW_YEARS)),
            ("collapse", "timestamp:8"),
            ("limit", str(LIMIT)),
        ]
    return f"{endpoint}?{urlencode(params)}"


def raw_capture_url(wayback: str, capture: Capture) -> str:
    """The ``id_`` address of a capture: the page as archived, not rewritten."""
    base = wayback if wayback.endswith("/") else wayback + "/"
    return f"{base}{capture.timestamp}id_/{capture.original}"


def viewer_url(wayback: str, capture: Capture) -> str:
    """The address a person opens to see the capture in the archive's viewer."""
    base = wayback if wayback.endswith("/") else wayback + "/"
    return f"{base}{capture.timestamp}/{capture.original}"


def parse_cdx(body: bytes | str) -> list[Capture]:
    """The captures in a CDX ``output=json`` answer (header row first).

    An empty body or ``[]`` is no capture. Rows are read by the header's field names,
    so a server giving more or fewer fields, in any order, is read the same; rows with
    no usable timestamp or URL are skipped.
    """
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    if not text.strip():
        return []
    try:
        rows = json.loads(text)
    except ValueError as exc:
        raise CdxError(f"the CDX answer is not JSON: {exc}") from None
    if not isinstance(rows, list):
        raise CdxError("the CDX answer is not a JSON list")
    if not rows:
        return []
    header = rows[0]
    if not isinstance(header, list) or not {"timestamp", "original"} <= set(header):
        raise CdxError("the CDX answer has no header row naming timestamp and original")
    captures = []
    for row in rows[1:]:
        if not isinstance(row, list) or len(row) != len(header):
            continue
        fields = {str(k): str(v) for k, v in zip(header, row, strict=True)}
        if not _TIMESTAMP.match(fields["timestamp"]) or not fields["original"]:
            continue
        if fields.get("statuscode", "200") not in ("200", "-", ""):
            continue  # a server that ignored the filter: only the page itself will do
        captures.append(
            Capture(
                timestamp=to_timestamp(parse_timestamp(fields["timestamp"])),
                original=fields["original"],
                statuscode=fields.get("statuscode", ""),
                mimetype=fields.get("mimetype", ""),
                digest=fields.get("digest", ""),
            )
        )
    return captures


def choose_capture(captures: list[Capture], when: datetime | date | None) -> Capture | None:
    """The capture to read: the closest before ``when``, else the closest after it.

    With no date, the newest. A page's last capture before it was cited is what the
    writer saw; only when the archive has none from before does a later one stand in
    (the result says when it was captured, so a reader can weigh it).
    """
    usable = [c for c in captures if "html" in c.mimetype or not c.mimetype]
    if not usable:
        return None
    if when is None:
        return max(usable, key=lambda c: c.timestamp)
    moment = as_moment(when)
    before = [c for c in usable if c.captured_at <= moment]
    if before:
        return max(before, key=lambda c: c.timestamp)
    return min(usable, key=lambda c: c.captured_at - moment)
