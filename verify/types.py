"""The result types every interface shares: the verdict contract of docs/design.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    VERIFIED = "verified"
    ALTERED = "altered"
    NOT_FOUND = "not_found"
    UNAVAILABLE = "unavailable"


class Location(StrEnum):
    MAIN_TEXT = "main_text"
    PAGE = "page"


@dataclass(frozen=True, slots=True)
class Match:
    """Where the quote sits in the source, in the source's own words.

    ``start`` and ``end`` are offsets into the stored text named by ``location``
    (the extracted main text, or the full visible page text).
    """

    text: str
    start: int
    end: int
    location: Location = Location.MAIN_TEXT

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "start": self.start,
            "end": self.end,
            "location": str(self.location),
        }


@dataclass(frozen=True, slots=True)
class Change:
    """One inserted, deleted or replaced run of words between quote and source.

    ``op`` is seen from the quote: ``insert`` means the quote has words the source
    lacks, ``delete`` means the quote silently dropped source words, ``replace``
    means words were swapped (or a bracket replaced them), ``omit`` means an ellipsis
    (``quote`` "…") left out source words that carry meaning, ``move`` means a piece
    of the quote stands elsewhere in the source. ``flags`` marks a run that is a
    ``number`` or a ``negation``, or holds a ``qualifier``, a proper ``name``, or is
    out of ``order``: the changes that turn a quote's meaning around.
    """

    op: str
    quote: str
    source: str
    flags: tuple[str, ...] = ()
    # Offsets of the source side in the searched text (for an insert, where the
    # quote's extra words would stand), so that a renderer can mark it in place.
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "op": self.op,
            "quote": self.quote,
            "source": self.source,
            "flags": list(self.flags),
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who the source says spoke the matched words, against the speaker claimed.

    ``status``: ``same`` (the claimed speaker, allowing a surname, titles, initials),
    ``different`` (the source names someone else: ``source_speaker``), ``source_voice``
    (the source says it in its own words) or ``unknown`` (no speaker claimed, or the
    source does not say who). ``evidence``: the source's words that say who.
    """

    status: str
    source_speaker: str | None = None
    evidence: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "source_speaker": self.source_speaker,
            "evidence": self.evidence,
        }


# The finding of a quote whose words are right but whose speaker is not.
MISATTRIBUTED = "misattributed"


def findings_for(status: str, attribution_status: str | None) -> tuple[str, ...]:
    """``misattributed`` when the source puts words that are there (verified or altered)
    in another mouth, or says them in its own voice; the verdict itself stays."""
    if status in ("verified", "altered") and attribution_status in ("different", "source_voice"):
        return (MISATTRIBUTED,)
    return ()


@dataclass(frozen=True, slots=True)
class Note:
    """A difference that is typography, not a change: shown, never counted.

    ``kind`` ``number_style``: the same value in another style ("9" / "nine",
    "3.38 per cent" / "3.38%", "$22.6 billion" / "$22.6bn"). ``omitted``: source
    words an ellipsis of the quote left out without changing its meaning (``quote``
    is the ellipsis, ``start``/``end`` the offsets of the left-out words), so that a
    renderer shows them as omitted, never as matching text.
    """

    kind: str
    quote: str
    source: str
    start: int | None = None
    end: int | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "quote": self.quote, "source": self.source}
        if self.start is not None:
            out |= {"start": self.start, "end": self.end}
        return out


@dataclass(frozen=True, slots=True)
class LinkHint:
    """The quote's words found only as the text of a link to another page."""

    text: str
    url: str

    def to_dict(self) -> dict[str, Any]:
        return {"text": self.text, "url": self.url}


@dataclass(frozen=True, slots=True)
class Result:
    status: Status
    score: float = 0.0
    match: Match | None = None
    changes: tuple[Change, ...] = field(default_factory=tuple)
    reason: str | None = None
    notes: tuple[Note, ...] = field(default_factory=tuple)
    link_hint: LinkHint | None = None
    attribution: Attribution | None = None

    @property
    def findings(self) -> tuple[str, ...]:
        """What is wrong beside the words (see :func:`findings_for`)."""
        return findings_for(str(self.status), self.attribution.status if self.attribution else None)

    @classmethod
    def unavailable(cls, reason: str) -> Result:
        return cls(status=Status.UNAVAILABLE, reason=reason)

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": str(self.status),
            "score": round(self.score, 1),
            "match": self.match.to_dict() if self.match else None,
            "changes": [c.to_dict() for c in self.changes],
            "reason": self.reason,
            "attribution": self.attribution.to_dict() if self.attribution else None,
            "findings": list(self.findings),
            "notes": [n.to_dict() for n in self.notes],
            "link_hint": self.link_hint.to_dict() if self.link_hint else None,
        }


class QuoteError(ValueError):
    """The quote itself is unusable (empty, whitespace or punctuation only)."""
