"""Who the source says spoke the words a quote matched: the speaker check.

A quote can be word for word in its source and still be wrong: the source puts the words
in someone else's mouth, or says them in its own voice. Given the source's text, the span
the quote matched and the speaker the citing article names, :func:`check_speaker` reads
who the source attributes that passage to, in this order:

- a quotation of the source that holds the passage: its speaker, found by the same rules
  intake uses on a citing article (a speech verb and a name around it, a pronoun or "the
  actor" resolved to the last person named, a quotation alone in its sentence carrying on
  the speaker before, a colon line introducing a block);
- a Q&A's speaker label ("KIRBY:", "John Kirby:"; "A:" is the interviewee);
- an attribution line under the passage ("— John Kirby");
- reported speech: the passage follows "Kirby said (that)" in its sentence;
- else the source's own words: the byline's when the page is the author's own (an op-ed),
  otherwise the source's voice.

``same`` allows a surname alone, titles, initials and descriptions ("Kirby", "John F.
Kirby", "the White House spokesman John Kirby"). Pure: strings in, a dataclass out.
"""

from __future__ import annotations

import re
import threading
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from functools import lru_cache

from verify.article_html import Paragraph
from verify.attribution import (
    SPEECH_VERB,
    TITLES,
    Antecedents,
    People,
    last_speech_verb,
    looks_like_person,
    name_runs,
    sentence_spans,
    speaker_of,
)
from verify.intake import (
    Quotation,
    _continues_block,
    _is_attribution_line,
    quoted_spans,
    walk_quotes,
)
from verify.types import Attribution

__all__ = ["Attribution", "check_speaker", "same_speaker"]

SAME = "same"
DIFFERENT = "different"
SOURCE_VOICE = "source_voice"
UNKNOWN = "unknown"

# "KIRBY:", "John Kirby:", "Q:", "A." at the start of a paragraph: a transcript's label.
QA_LABEL = re.compile(r"^\s*(?P<label>[A-Z][\w.’'\- ]{0,40}?)\s*[:：]\s+\S")
ANSWER_LABELS = frozenset({"A", "A."})
QUESTION_LABELS = frozenset({"Q", "Q."})
# "— John Kirby", "– Kirby, in a statement": an attribution line under a passage.
DASH_LINE = re.compile(r"^\s*[—–―-]\s*(?P<who>.+)$")
SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})
_EVIDENCE_CHARS = 240


# -- names -------------------------------------------------------------------------------


def _tokens(name: str) -> list[str]:
    """A name's words, lower case, accents and dots dropped, titles and descriptions cut:
    "the White House spokesman John F. Kirby" -> ["john", "f", "kirby"]."""
    runs = [r for r in name_runs(name) if looks_like_person(r)]
    text = runs[-1].text if runs else name
    words = []
    for word in re.findall(r"[^\W\d_][\w’'\-]*", text):
        if word.rstrip(".") in TITLES:
            continue
        plain = unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()
        words.append(plain.lower().strip("’'-"))
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    return [w for w in words if w]


def same_speaker(claimed: str, found: str) -> bool:
    """Whether two ways of naming someone name the same person (or organisation).

    Same surname, and first names that do not contradict: "Kirby" = "John Kirby" =
    "John F. Kirby" = "J. Kirby", but "Jane Kirby" is not "John Kirby".
    """
    a, b = _tokens(claimed), _tokens(found)
    if not a or not b:
        return False
    if a == b:
        return True
    if (len(a) == 1 and a[0] in b) or (len(b) == 1 and b[0] in a):
        return True  # "Zoë" for "Zoë Lefèvre", "Lee" for "Lee Jae-myung"
    if a[-1] != b[-1]:
        # "NIS" for "National Intelligence Service": an organisation by its initials.
        initials = [w[0] for w in (b if len(a) == 1 else a)]
        single = a[0] if len(a) == 1 else (b[0] if len(b) == 1 else "")
        return len(single) >= 2 and single == "".join(initials)
    first_a, first_b = a[:-1], b[:-1]
    if not first_a or not first_b:
        return True
    return any(_compatible(x, y) for x in first_a for y in first_b)


def _compatible(x: str, y: str) -> bool:
    """Two given names (or initials) that can be the same person's."""
    return x == y or ((len(x) == 1 or len(y) == 1) and x[0] == y[0])


# -- the source's paragraphs ----------------------------------------------------------------


class _Reading:
    """A source's paragraphs, their offsets and its quotations, read once for all the
    quotes checked against the same text (a crawl checks several against one page).

    The quotations are found as far as a check needs them, not further: finding a
    page's quotations (and who said each) is most of the check's cost, and a
    quotation can hold a passage only if it starts before the passage ends. The walk
    reads the page in order, so those it has found are the whole page's first ones.
    """

    def __init__(self, text: str) -> None:
        self.paragraphs, self.offsets = _paragraphs(text)
        self.quotes: list[Quotation] = []
        self._walk = walk_quotes(self.paragraphs, min_words=2)
        self._read_to = 0  # the walk has read the paragraphs before this one
        self._lock = threading.Lock()  # one walk, advanced by whoever checks first
        # The paragraphs a block quotation could span (first, last), for the attribution
        # lines before ``_blocks_from``: see :meth:`may_hold`.
        self._blocks: list[tuple[int, int]] = []
        self._blocks_from = 0

    def may_hold(self, start: int, end: int, first: int, last: int) -> bool:
        """Whether a quotation of the walk could hold the passage ``start``..``end`` (in
        paragraphs ``first`` to ``last``), as :func:`_holding` asks: False only when none
        can, read without the walk.

        The walk (who is named, who said each quotation) is nearly all of the check's
        cost, and it matters only for a quotation that holds the passage: in the crawl's
        bench, 31 passages of 257. A quotation within one of :meth:`spans_around`
        overlaps the passage no more than that span does.
        """
        need = max(1, end - start)
        return any(
            (min(b, end) - max(a, start)) * 2 >= need for a, b in self.spans_around(first, last)
        )

    def spans_around(self, first: int, last: int) -> Iterator[tuple[int, int]]:
        """Spans of the text that hold every quotation of the walk that starts in the
        paragraphs up to ``last`` and reaches paragraph ``first`` or later.

        An inline quotation lies between the quote marks of its paragraph (as
        :func:`quoted_spans` pairs them, one left open running to the paragraph's end);
        a block (plain text has no <blockquote>) in the paragraphs after an attribution
        line, as far as :func:`_continues_block` goes on with them: at most as far as it
        goes for a block of reported words, which only adds a reason to go on.
        """
        paragraphs, offsets = self.paragraphs, self.offsets
        for k in range(first, last + 1):
            text = paragraphs[k].text
            if "“" in text or "”" in text or '"' in text:
                at = offsets[k]
                for a, b in quoted_spans(text, True):
                    yield at + a, at + b + 1
        for a, b in self._blocks_to(last):
            yield offsets[a], offsets[b] + len(paragraphs[b].text)

    def _blocks_to(self, last: int) -> list[tuple[int, int]]:
        """The spans a block could have that start in the paragraphs up to ``last``."""
        paragraphs = self.paragraphs
        with self._lock:
            for i in range(self._blocks_from, min(last, len(paragraphs) - 1)):
                if not _is_attribution_line(paragraphs[i]):
                    continue
                j = i + 1
                while j + 1 < len(paragraphs) and _continues_block(
                    paragraphs[i + 1 : j + 1], paragraphs[j + 1], True
                ):
                    j += 1
                self._blocks.append((i + 1, j))
            self._blocks_from = max(self._blocks_from, last)
            return list(self._blocks)

    def quotes_to(self, index: int) -> list[Quotation]:
        """The quotations that start in the paragraphs up to ``index`` (and maybe more)."""
        with self._lock:
            while self._read_to <= index:
                self._read_to, found = next(self._walk, (len(self.paragraphs), []))
                self.quotes.extend(found)
            return list(self.quotes)


@lru_cache(maxsize=8)
def _read_source(text: str) -> _Reading:
    return _Reading(text)


def _paragraphs(text: str) -> tuple[list[Paragraph], list[int]]:
    """The source's lines as paragraphs, with the offset of each in ``text``."""
    paragraphs: list[Paragraph] = []
    offsets: list[int] = []
    at = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if stripped:
            paragraphs.append(Paragraph(stripped))
            offsets.append(at + line.index(stripped[0]))
        at += len(line) + 1
    return paragraphs, offsets


def _span_of(q: Quotation, paragraphs: list[Paragraph], offsets: list[int]) -> tuple[int, int]:
    start = offsets[q.paragraph] + q.start
    if q.kind == "block":
        last = min(q.paragraph + q.text.count("\n"), len(paragraphs) - 1)
        return offsets[q.paragraph], offsets[last] + len(paragraphs[last].text)
    return start, start + len(q.text)


def _holding(
    quotes: list[Quotation], paragraphs: list[Paragraph], offsets: list[int], start: int, end: int
) -> Quotation | None:
    """The quotation that holds most of [start, end), if one holds at least half of it."""
    best, best_overlap = None, 0
    for q in quotes:
        a, b = _span_of(q, paragraphs, offsets)
        overlap = min(b, end) - max(a, start)
        if overlap > best_overlap:
            best, best_overlap = q, overlap
    return best if best is not None and best_overlap * 2 >= max(1, end - start) else None


def _paragraph_at(offsets: list[int], paragraphs: list[Paragraph], at: int) -> int:
    """The last paragraph that starts at ``at`` or before (the first if none does)."""
    return max(bisect_right(offsets, at) - 1, 0) if paragraphs else -1


def _short(text: str | None) -> str | None:
    if text is None:
        return None
    text = " ".join(text.split())
    return text if len(text) <= _EVIDENCE_CHARS else text[: _EVIDENCE_CHARS - 1] + "…"


# -- who the source says ----------------------------------------------------------------------


def _qa_label(
    paragraphs: list[Paragraph], index: int, interviewee: str | None
) -> tuple[str, str] | None:
    """The speaker label of a transcript's paragraph (or of the answer it continues)."""
    labels: Counter[str] = Counter()
    for p in paragraphs:
        found = QA_LABEL.match(p.text)
        if found:
            labels[found.group("label").strip()] += 1
    # A transcript names each speaker more than once; "Progress:" or "Note:" once is a
    # heading or a lead-in, not a speaker.
    speakers = {
        label
        for label, count in labels.items()
        if label in ANSWER_LABELS
        or label in QUESTION_LABELS
        or (label.isupper() and len(label) > 1)  # "REILLY:", a transcript's own style
        or (count >= 2 and _is_person(label))
    }
    if not speakers:
        return None
    for k in range(index, -1, -1):
        found = QA_LABEL.match(paragraphs[k].text)
        if not found:
            continue
        label = found.group("label").strip()
        if label not in speakers:
            return None
        if label in ANSWER_LABELS:  # the interviewee: given, or the one the page is about
            who = interviewee or _most_named(paragraphs)
            return (who or ""), paragraphs[k].text[: found.end() - 1]
        if label in QUESTION_LABELS:
            return label, paragraphs[k].text[: found.end() - 1]
        return (label.title() if label.isupper() else label), label + ":"
    return None


def _most_named(paragraphs: list[Paragraph]) -> str | None:
    """The person a Q&A's narration names most often (at least twice): whom it interviews.
    The answers ("A:") are theirs, the questions the interviewer's."""
    people = People()
    counts: Counter[str] = Counter()
    narration = [p.text for p in paragraphs if not QA_LABEL.match(p.text)]
    for text in narration:
        people.learn(text)
    for text in narration:
        for run in name_runs(text):
            if looks_like_person(run) and (" " in run.text or people.knows(run.text)):
                counts[people.full(run.text)] += 1
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < 2 or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
        return None
    return ranked[0][0]


def _is_person(label: str) -> bool:
    runs = name_runs(label)
    return len(runs) == 1 and looks_like_person(runs[0]) and not runs[0].possessive


def _dash_line(paragraphs: list[Paragraph], index: int) -> tuple[str, str] | None:
    """ "— John Kirby" on the line under the passage."""
    if index + 1 >= len(paragraphs):
        return None
    line = paragraphs[index + 1].text
    found = DASH_LINE.match(line)
    if not found:
        return None
    runs = [r for r in name_runs(found.group("who")) if looks_like_person(r)]
    return (runs[0].text, line) if runs else None


def _reported(
    paragraphs: list[Paragraph], offsets: list[int], index: int, start: int
) -> tuple[str, str] | None:
    """ "Kirby said the troops were fair game": who the sentence reports, when the passage
    comes after the speech verb."""
    text = paragraphs[index].text
    at = start - offsets[index]
    for s0, s1 in sentence_spans(text):
        if not s0 <= at < s1:
            continue
        verb = last_speech_verb(text[s0:at])
        if verb is None:
            # "..., officials said": someone the source leaves unnamed, not its own voice.
            return ("", text[s0:s1]) if SPEECH_VERB.search(text[at:s1]) else None
        # Who the page has named so far, read only now that a name is wanted: most
        # passages are not reported speech, and this reads every paragraph before.
        people, ants = People(), Antecedents()
        for p in paragraphs[:index]:
            people.learn(p.text)
            ants.seen(p.text, people)
        people.learn(text)
        clause = text[s0 : s0 + verb.start()]
        speaker, _ = speaker_of(clause, people, ants.later(text, people, s0))
        return (speaker or "", text[s0:s1])
    return None


def check_speaker(
    source_text: str,
    start: int,
    end: int,
    claimed: str | None,
    byline: str | None = None,
    opinion: bool = False,
    interviewee: str | None = None,
) -> Attribution:
    """Who ``source_text`` says spoke its words ``start``..``end``, against ``claimed``.

    ``byline``: the source's author; ``opinion``: the page is the author's own words (an
    op-ed, a column), so that its narration is the author's; ``interviewee``: who a Q&A's
    "A:" is.
    """
    reading = _read_source(source_text)
    paragraphs, offsets = reading.paragraphs, reading.offsets
    if not paragraphs or end <= start:
        return Attribution(UNKNOWN)
    index = _paragraph_at(offsets, paragraphs, start)
    last = _paragraph_at(offsets, paragraphs, end - 1)
    holder = None
    if reading.may_hold(start, end, index, last):
        # A quotation that overlaps the passage starts in its last paragraph or before.
        quotes = reading.quotes_to(last)
        holder = _holding(quotes, paragraphs, offsets, start, end)
    found: tuple[str, str] | None = None
    if holder is not None:
        if holder.speaker:
            found = (holder.speaker, holder.attribution or "")
        else:
            found = _qa_label(paragraphs, index, interviewee) or _dash_line(paragraphs, index)
        if found is None:
            return Attribution(UNKNOWN, None, _short(holder.attribution))
    else:
        found = (
            _qa_label(paragraphs, index, interviewee)
            or _dash_line(paragraphs, index)
            or _reported(paragraphs, offsets, index, start)
        )
    if found is None:  # the source's own words
        if byline and (opinion or (claimed and same_speaker(claimed, byline))):
            found = (byline, f"by {byline}")
        elif claimed is None or not claimed.strip():
            return Attribution(UNKNOWN)  # no one claimed, so nothing to contradict
        else:
            return Attribution(SOURCE_VOICE, None, None)
    who, evidence = found
    if not who:  # the source reports someone it does not name
        return Attribution(UNKNOWN, None, _short(evidence))
    if who in QUESTION_LABELS:
        who = "the interviewer"
    if claimed is None or not claimed.strip():
        return Attribution(UNKNOWN, who, _short(evidence))
    status = SAME if same_speaker(claimed, who) else DIFFERENT
    return Attribution(status, who, _short(evidence))
