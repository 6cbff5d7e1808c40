"""What of an item's archived capture the store pipeline keeps."""

from __future__ import annotations

from datetime import datetime

from crawler.archive.copies import ArchiveCopy
from crawler.extraction.page import Page, Unreadable
from crawler.storage.store import ArchiveSnapshot
from spiders.items import SourcePage


def archive_snapshot(item: SourcePage, archived: set[int]) -> ArchiveSnapshot | None:
    """The capture to store: the one verdicts rest on (a gone source), or, with
    ``--as-of``, whatever the archive gave instead of the live page (a miss included)."""
    copy = item.archive
    as_of = item.archive_mode == "as_of"
    if copy is None or (not archived and not as_of):
        return None
    outcome: Page | Unreadable
    if isinstance(copy, ArchiveCopy):
        outcome = copy.page if copy.page is not None else Unreadable(copy.reason or "", copy.detail)
        when = datetime.fromisoformat(copy.captured_at)
        return ArchiveSnapshot(outcome, copy.url, when, frozenset(archived), live=not as_of)
    outcome = Unreadable(copy.reason, copy.detail)
    return ArchiveSnapshot(outcome, None, None, frozenset(archived), live=not as_of)
