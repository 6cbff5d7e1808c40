"""When a cited source was published, from the words that cite it; and what to search for.

Pure text logic (no I/O), used by source discovery (``crawler/discovery``):

* :func:`search_window` turns the attribution's time cues ("two years ago", "last
  week", "on 24 February", "in 2022", "earlier this month") into the dates a search
  should cover, counted back from the citing article's publication date. With no cue,
  the 30 days before the article: news quotes news of the past weeks.
* :func:`date_line` finds a plain-text article's own date line.
* :func:`distinctive_runs` picks the quote's word runs worth searching for as exact
  phrases; :func:`title_similarity` and :func:`run_hits` rank candidates cheaply.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from rapidfuzz import fuzz

from verify.attribution import wordset
from verify.normalize import normalize_word, tokenize

DEFAULT_DAYS = 30
# "recently", "a recent piece": wider than the default, still bounded.
RECENT_DAYS = 90

_NUMBERS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "a couple of": 2,
    "a few": 3,
    "several": 3,
}
_MONTHS = {name.lower(): n for n, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): n for n, name in enumerate(calendar.month_abbr) if name}
_WEEKDAYS = {name.lower(): n for n, name in enumerate(calendar.day_name)}
_MONTH_RE = "|".join(
    sorted((m for m in _MONTHS if len(m) > 3 or m == "may"), key=len, reverse=True)
)
_COUNT_RE = "|".join(sorted(map(re.escape, _NUMBERS), key=len, reverse=True)) + r"|\d{1,3}"

_AGO = re.compile(rf"\b({_COUNT_RE})\s+(day|week|month|year)s?\s+ago\b", re.IGNORECASE)
_DAY_MONTH = re.compile(
    rf"\b(?:on\s+)?(\d{{1,2}})(?:st|nd|rd|th)?\s+({_MONTH_RE})\.?(?:,?\s+(\d{{4}}))?\b",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"\b(?:on\s+)?({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?:,?\s+(\d{{4}}))?",
    re.IGNORECASE,
)
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_MONTH_YEAR = re.compile(rf"\b(?:in\s+)?({_MONTH_RE})\.?\s+(\d{{4}})\b", re.IGNORECASE)
_IN_MONTH = re.compile(rf"\b(?:in|since|during|early|late|mid-?)\s+({_MONTH_RE})\b", re.IGNORECASE)
_IN_YEAR = re.compile(r"\b(?:in|during|since|of)\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_LAST = re.compile(r"\blast\s+(week|month|year|weekend)\b", re.IGNORECASE)
_THIS = re.compile(r"\b(?:earlier\s+)?this\s+(week|month|year)\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:on|last)\s+(" + "|".join(_WEEKDAYS) + r")\b", re.IGNORECASE)
_RELATIVE_DAY = re.compile(r"\b(yesterday|today|earlier today|on\s+the\s+day)\b", re.IGNORECASE)
_QUOTED = re.compile(r"“[^”]*”?|\"[^\"]*\"?|«[^»]*»?")
_RECENT = re.compile(r"\brecent(?:ly)?\b", re.IGNORECASE)
_ANY_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DATE_LINE = re.compile(
    rf"^\s*(?:published|posted|updated|date)?:?\s*(?:[A-Z][a-z]+day,?\s+)?"
    rf"(?:(\d{{1,2}})\s+({_ANY_MONTH_RE})\.?,?\s+(\d{{4}})|({_ANY_MONTH_RE})\.?\s+(\d{{1,2}}),?\s+(\d{{4}})"
    rf"|(\d{{4}})-(\d{{2}})-(\d{{2}}))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Window:
    """The dates (inclusive) a cited source is searched in, and the cue that set them."""

    start: date
    end: date
    cue: str | None = None  # the words that set it; None for the default window

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def to_dict(self) -> dict[str, str | None]:
        return {"from": self.start.isoformat(), "to": self.end.isoformat(), "cue": self.cue}


def _minus_months(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _month_span(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _NUMBERS[word.lower()]


def _latest(year: int, month: int, day: int, published: date) -> date | None:
    """The date ``day month`` of ``year``, or of the year before when that is after
    ``published`` (an article on 1 March speaking of "24 February" means last February)."""
    for y in (year, year - 1):
        try:
            found = date(y, month, day)
        except ValueError:
            return None
        if found <= published:
            return found
    return None


def _clip(start: date, end: date, published: date, cue: str) -> Window:
    end = min(end, published)
    return Window(min(start, end), end, cue)


def search_window(attribution: str | None, published: date) -> Window:
    """The window a quote's source is searched in, from the attribution's cues.

    The first cue found wins, in this order: an explicit date, "N units ago",
    "last week / month / year", "this week / month / year", a weekday, a month (with
    or without a year), a year, "yesterday", "recent". A window never ends after the
    citing article.
    """
    # Quoted words (a cited title, an inline quotation) are not the writer's cue: "a
    # piece titled “We’re in 1938 now”" says nothing about when the piece appeared.
    text = _QUOTED.sub(" ", attribution or "")
    if m := _ISO.search(text):
        try:
            iso = date(int(m[1]), int(m[2]), int(m[3]))
            return _clip(iso - timedelta(days=1), iso + timedelta(days=1), published, m[0])
        except ValueError:
            pass
    for pattern, d_group, m_group in ((_DAY_MONTH, 1, 2), (_MONTH_DAY, 2, 1)):
        if m := pattern.search(text):
            year = int(m[3]) if m[3] else published.year
            month = _MONTHS[m[m_group].lower().rstrip(".")]
            day = (
                _latest(year, month, int(m[d_group]), published)
                if not m[3]
                else _safe_date(year, month, int(m[d_group]))
            )
            if day is not None:
                # A report is often published the day after the event it reports.
                return _clip(day - timedelta(days=1), day + timedelta(days=2), published, m[0])
    if m := _AGO.search(text):
        n, unit = _count(m[1]), m[2].lower()
        if unit == "day":
            centre, slack = published - timedelta(days=n), timedelta(days=1)
        elif unit == "week":
            centre, slack = published - timedelta(weeks=n), timedelta(days=4)
        elif unit == "month":
            centre, slack = _minus_months(published, n), timedelta(days=16)
        else:  # "two years ago" is loose: anything within half a year of it
            centre, slack = _minus_months(published, 12 * n), timedelta(days=183)
        return _clip(centre - slack, centre + slack, published, m[0])
    if m := _LAST.search(text):
        unit = m[1].lower()
        if unit in ("week", "weekend"):
            return _clip(published - timedelta(days=14), published, published, m[0])
        if unit == "month":
            prev = _minus_months(published, 1)
            start, end = _month_span(prev.year, prev.month)
            return _clip(start, end + timedelta(days=3), published, m[0])
        return _clip(
            date(published.year - 1, 1, 1), date(published.year - 1, 12, 31), published, m[0]
        )
    if m := _THIS.search(text):
        unit = m[1].lower()
        if unit == "week":
            start = published - timedelta(days=published.weekday() + 1)
        elif unit == "month":
            start = published.replace(day=1)
        else:
            start = published.replace(month=1, day=1)
        return _clip(start, published, published, m[0])
    if m := _WEEKDAY.search(text):
        back = (published.weekday() - _WEEKDAYS[m[1].lower()]) % 7 or 7
        day = published - timedelta(days=back)
        return _clip(day - timedelta(days=1), day + timedelta(days=1), published, m[0])
    if m := _MONTH_YEAR.search(text):
        start, end = _month_span(int(m[2]), _MONTHS[m[1].lower().rstrip(".")])
        return _clip(start, end + timedelta(days=3), published, m[0])
    if m := _IN_MONTH.search(text):
        month = _MONTHS[m[1].lower().rstrip(".")]
        year = published.year if month <= published.month else published.year - 1
        start, end = _month_span(year, month)
        return _clip(start, end + timedelta(days=3), published, m[0])
    if m := _IN_YEAR.search(text):
        year = int(m[1])
        return _clip(date(year, 1, 1), date(year, 12, 31), published, m[0])
    if m := _RELATIVE_DAY.search(text):
        back = 1 if m[1].lower() == "yesterday" else 0
        day = published - timedelta(days=back)
        return _clip(day - timedelta(days=1), day + timedelta(days=1), published, m[0])
    if m := _RECENT.search(text):
        return _clip(published - timedelta(days=RECENT_DAYS), published, published, m[0])
    return Window(published - timedelta(days=DEFAULT_DAYS), published, None)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def date_line(text: str, lines: int = 5) -> date | None:
    """A plain-text article's own date line ("24 October 2024", "Published: Oct 24, 2024",
    "2024-10-24") among its first ``lines`` non-empty lines, or None."""
    seen = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        seen += 1
        if seen > lines:
            break
        m = _DATE_LINE.match(line)
        if m is None or len(line.strip()) > 60:  # a date line is short, not a sentence
            continue
        if m[1]:
            found = _safe_date(int(m[3]), _MONTHS[m[2].lower().rstrip(".")], int(m[1]))
        elif m[4]:
            found = _safe_date(int(m[6]), _MONTHS[m[4].lower().rstrip(".")], int(m[5]))
        else:
            found = _safe_date(int(m[7]), int(m[8]), int(m[9]))
        if found is not None:
            return found
    return None


# -- what to search for ------------------------------------------------------------------

# Words too common to make a search phrase distinctive.
COMMON = wordset(
    """
    a an the and or but if of to in on at by for with from as is are was were be been being
    it its it's this that these those there their they them he she his her him we our us
    you your i me my not no so than then too very can could will would should may might
    must do does did have has had just only also more most some such about over into out
    up down what when which who whom whose where why how all any each both few other
    said says say told one two new
    """
)


def words_of(text: str) -> list[str]:
    """The text's words, normalised as the verification engine normalises them."""
    return [t.word for t in tokenize(text)]


def distinctive_runs(quote: str, size: int = 6, limit: int = 3) -> list[str]:
    """Up to ``limit`` runs of ``size`` consecutive words of the quote, as written,
    chosen for their uncommon words and spread over the quote (the start, the middle
    and the end), for exact-phrase search. Brackets and ellipses split runs: words the
    writer inserted or joined are not the source's."""
    pieces = re.split(r"\[[^\]]*\]|\.\.\.|…|[“”\"]", quote)
    runs: list[tuple[float, int, str]] = []
    position = 0
    for piece in pieces:
        tokens = [t for t in re.findall(r"[\w’'$%.,-]+", piece) if re.search(r"\w", t)]
        tokens = [t.strip(".,") for t in tokens]
        tokens = [t for t in tokens if t]
        for i in range(0, max(0, len(tokens) - size + 1)):
            run = tokens[i : i + size]
            rare = sum(1 for t in run if normalize_word(t) not in COMMON and len(t) > 2)
            runs.append((rare, position + i, " ".join(run)))
        if 0 < len(tokens) < size and len(tokens) >= 3 and not runs:
            runs.append((0.0, position, " ".join(tokens)))
        position += len(tokens)
    if not runs:
        return []
    chosen: list[tuple[float, int, str]] = []
    # Split the quote into ``limit`` stretches and take the rarest run of each.
    total = position or 1
    for part in range(limit):
        lo, hi = total * part / limit, total * (part + 1) / limit
        stretch = [r for r in runs if lo <= r[1] < hi and r not in chosen]
        if stretch:
            chosen.append(max(stretch, key=lambda r: (r[0], -r[1])))
    return [run for _rare, _pos, run in sorted(chosen, key=lambda r: r[1])]


def title_similarity(wanted: str, title: str) -> float:
    """0-100: how well a candidate's title matches a cited title (word order kept,
    a headline's kicker or site suffix tolerated)."""
    a, b = " ".join(words_of(wanted)), " ".join(words_of(title))
    if not a or not b:
        return 0.0
    return max(fuzz.token_set_ratio(a, b), fuzz.partial_ratio(a, b) if len(a) > 20 else 0.0)


def ngrams(words: list[str], n: int) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def run_hits(quote: str, text: str, n: int = 4) -> float:
    """The share (0-1) of the quote's word ``n``-grams found in ``text``: a cheap test
    of whether a candidate can hold the quote at all, before the full verification."""
    grams = ngrams(words_of(quote), n)
    if not grams:
        return 0.0
    have = ngrams(words_of(text), n)
    return len(grams & have) / len(grams)


_META_DATE = re.compile(
    r"""<meta\b[^>]*?(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|"""
    r"""datePublished|pubdate|publishdate|date|dc\.date(?:\.issued)?|og:published_time)["']"""
    r"""[^>]*?>""",
    re.IGNORECASE,
)
_CONTENT = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_LD_DATE = re.compile(r""""datePublished"\s*:\s*"([^"]+)\"""")
_TIME_TAG = re.compile(r"""<time\b[^>]*datetime\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_ISO_PREFIX = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def _iso_day(value: str) -> date | None:
    m = _ISO_PREFIX.match(value.strip())
    return _safe_date(int(m[1]), int(m[2]), int(m[3])) if m else None


def published_in_html(html: str) -> date | None:
    """A page's publication date from its ``<meta>`` (``article:published_time`` and
    kin), else its JSON-LD ``datePublished``, else its first ``<time datetime>``."""
    for tag in _META_DATE.finditer(html):
        if (content := _CONTENT.search(tag[0])) and (day := _iso_day(content[1])):
            return day
    for pattern in (_LD_DATE, _TIME_TAG):
        for m in pattern.finditer(html):
            if day := _iso_day(m[1]):
                return day
    return None
