"""What an archive lookup gives: a capture that was read, or why there is none.

Plain data with no Scrapy in it, so that verdicts and checks of local files can use
them without starting the crawler's imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from crawler.archive.cdx import Capture
from crawler.extraction.page import Page


@dataclass
class ArchiveCopy:
    """A capture that was read: its page (or why it is not the article) and evidence."""

    capture: Capture
    url: str  # the raw capture's address
    captured_at: str  # ISO 8601, from Memento-Datetime when the archive sent it
    page: Page | None = None
    reason: str | None = None  # why the capture is not the article (page is None)
    detail: str = ""
    memento: dict[str, str] = field(default_factory=dict)

    @property
    def day(self) -> str:
        return self.captured_at[:10]

    def evidence(self) -> dict[str, Any]:
        return {"kind": "archive", "url": self.url, "captured_at": self.captured_at}

    def account(self) -> dict[str, Any]:
        """What the lookup found, for the result (JSON-ready)."""
        return {
            "url": self.url,
            "captured_at": self.captured_at,
            "original": self.capture.original,
            "digest": self.capture.digest,
            "memento": self.memento,
            "reason": self.reason,
            "detail": self.detail or None,
        }


@dataclass
class ArchiveMiss:
    """No usable capture: ``no_capture``, ``archive_blocked``, ``archive_rate_limited``..."""

    reason: str
    detail: str = ""

    def account(self) -> dict[str, Any]:
        return {"reason": self.reason, "detail": self.detail or None}


ArchiveOutcome = ArchiveCopy | ArchiveMiss
