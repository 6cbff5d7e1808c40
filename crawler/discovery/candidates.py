"""What discovery works with: the quotation it searches for, the candidates it finds,
and the record of the search that is stored with the verdict."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from verify.cues import Window


@dataclass(frozen=True, slots=True)
class Wanted:
    """One quotation to find a source for, with the cues the article gives."""

    key: int  # the quotation's position in the article (or any caller's id)
    text: str
    window: Window
    outlet: str | None = None  # registry key: "guardian", "bbc", "independent"
    speaker: str | None = None
    title: str | None = None  # the cited title, when the article names one


@dataclass(slots=True)
class Candidate:
    """A source a finder proposes for a quotation."""

    url: str
    found_by: str  # the finder: guardian_api, sitemap, store
    query: str  # what the finder asked (a phrase, a title, a sitemap URL)
    title: str | None = None
    published: date | None = None
    text: str | None = None  # the article's text, when the finder provides it
    # Filled in while choosing.
    rank: float = 0.0
    status: str | None = None  # the verification's verdict on this candidate
    score: float = 0.0
    note: str | None = None  # why it was not read or not chosen

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "found_by": self.found_by,
            "query": self.query,
            "title": self.title,
            "date": self.published.isoformat() if self.published else None,
            "rank": round(self.rank, 3),
            "status": self.status,
            "score": round(self.score, 1),
            "note": self.note,
        }


@dataclass(slots=True)
class FinderRun:
    """What one finder did for one quotation: its queries, what came back, what failed."""

    finder: str
    queries: list[str] = field(default_factory=list)
    candidates: int = 0
    errors: list[str] = field(default_factory=list)  # "http_429: <url>", "robots: <url>"

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class Search:
    """The search for one quotation: where it looked, what it tried, what it chose."""

    wanted: Wanted
    finders: list[FinderRun] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    chosen: Candidate | None = None
    pages_read: int = 0

    @property
    def found_by(self) -> str | None:
        return self.chosen.found_by if self.chosen else None

    def finder(self, name: str) -> FinderRun:
        for run in self.finders:
            if run.finder == name:
                return run
        run = FinderRun(name)
        self.finders.append(run)
        return run

    def summary(self) -> str:
        """One line: how it was found, or what was searched without finding it."""
        window = f"{self.wanted.window.start}..{self.wanted.window.end}"
        names = ", ".join(f.finder for f in self.finders) or "no finder"
        if self.chosen is not None:
            return f"found by {self.chosen.found_by}; the article does not link it"
        errors = sum(len(f.errors) for f in self.finders)
        extra = f"; {errors} service error(s)" if errors else ""
        return (
            f"searched {names} for {window}: {len(self.candidates)} candidate(s), "
            f"none holds the quote{extra}"
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "found_by": self.found_by,
            "source": self.chosen.url if self.chosen else None,
            "query": self.chosen.query if self.chosen else None,
            "window": self.wanted.window.to_dict(),
            "outlet": self.wanted.outlet,
            "speaker": self.wanted.speaker,
            "title": self.wanted.title,
            "finders": [f.to_dict() for f in self.finders],
            "candidates": [c.to_dict() for c in self.candidates],
            "pages_read": self.pages_read,
            "summary": self.summary(),
        }
