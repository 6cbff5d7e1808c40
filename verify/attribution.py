"""Who said it: speech verbs, sentences and people's names in an article's own words.

No named-entity model: news attribution is formulaic enough ("White House spokesperson
John Kirby stated:", "Zelenskyy told reporters, ...", "..., said Kirby") that a run of
capitalised words next to a speech verb, with titles, places and organisations filtered
out, finds the speaker. A model would be a heavy dependency for ``verify/``, which must
stay importable alone; these rules are small, testable and say why they chose a name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from verify.names import (
    ABBREVIATIONS,
    LEADING_STOP,
    NATIONALITIES,
    NOT_PERSON,
    PARTICLES,
    PREPOSITIONS,
    TITLES,
    Name,
    name_runs,
    wordset,
)
from verify.outlets import OUTLETS, outlet_named_in

# Names and word lists of verify.names are used from here too.
__all__ = [
    "ABBREVIATIONS",
    "ADVERB_GAP",
    "ARTICLE_BEFORE",
    "DESCRIPTION",
    "DESCRIPTION_AFTER",
    "LEADING_ADVERB",
    "LEADING_STOP",
    "NATIONALITIES",
    "NOT_IN_DESCRIPTION",
    "NOT_NOUNS",
    "NOT_ORG_ACRONYMS",
    "NOT_PERSON",
    "OPENING_PRONOUN",
    "ORG_LINK",
    "ORG_NOUNS",
    "ORG_WORDS",
    "OUTLET_WORDS",
    "PARTICLES",
    "POSSESSIVE_BEFORE",
    "PREPOSITIONS",
    "PRONOUN_SUBJECT",
    "SPEECH_VERB",
    "SPEECH_VERBS",
    "TITLES",
    "UNNAMED_NOUNS",
    "UNNAMED_PERSON",
    "Antecedents",
    "Name",
    "People",
    "by_first_letter",
    "is_organisation",
    "last_speech_verb",
    "looks_like_person",
    "name_runs",
    "sentence_spans",
    "speaker_after",
    "speaker_of",
    "subject_candidates",
    "wordset",
]

# The verbs (and phrases) that introduce what someone said or wrote: the alternatives of
# SPEECH_VERB, in order.
SPEECH_VERBS = (
    # Forms that are more often nouns ("a post", "tweets", "notes") are left
    # out: a colon after "See tweets" or "the following notes" introduces no quotation.
    r"say|says|said|tell|tells|told|stated|explain|explains|explained|"
    r"add|adds|added|assert|asserts|asserted|spout|spouts|spouted|writes|wrote|"
    r"reports|reported|claims|claimed|warn|warns|warned|noted|"
    r"argue|argues|argued|declare|declares|declared|insist|insists|insisted|"
    r"announce|announces|announced|tweeted|posted|commented|remarked|replied|"
    r"respond|responds|responded|admit|admits|admitted|acknowledged|continued|observed|"
    r"quipped|recalled|conceded|testified|stressed|emphasi[sz]ed|urged|put it|"
    r"asked|asks|wondered|shouted|exclaimed|joked|cautioned|pointed out|predicted|"
    r"as saying|according to"
)


def by_first_letter(alternatives: str) -> str:
    """``a|b|...`` grouped by first letter, keeping the order within each letter:
    "say|tell|says" -> "s(?:ay|ays)|t(?:ell)".

    The same matches: alternatives that start with different letters never match at the
    same place, and among those that start alike the first to match still wins. Why: at
    every word boundary the regular expression engine tries each alternative's first
    character in turn; about 75 alternatives become about 20 (SPEECH_VERB is searched in
    every sentence a speaker is looked for in: 2.7 times faster grouped).
    """
    groups: dict[str, list[str]] = {}
    for alternative in alternatives.split("|"):
        if not alternative[:1].isalpha():
            raise ValueError(f"an alternative must start with a letter: {alternative!r}")
        groups.setdefault(alternative[0], []).append(alternative[1:])
    return "|".join(f"{first}(?:{'|'.join(rests)})" for first, rests in groups.items())


SPEECH_VERB = re.compile(r"\b(?:" + by_first_letter(SPEECH_VERBS) + r")\b")


# "she said", "it added", "they tearfully asked": a pronoun (and an adverb) before the verb.
PRONOUN_SUBJECT = re.compile(
    r"\b(?P<pronoun>he|she|they|it|He|She|They|It)(?:,?\s+\w+ly,?)?\s*,?\s*$"
)
# "said the actor", "the 45-year-old actor said", "the ministry added": a description that
# points back to someone named before (a person, or an organisation for the nouns below).
DESCRIPTION = re.compile(
    r"\b(?:the|The)\s+(?:[\w’'\-]+\s+){0,2}?(?P<noun>[a-z][a-z\-]+)(?:,?\s+\w+ly,?)?\s*,?\s*$"
)
DESCRIPTION_AFTER = re.compile(r"^\s*(?:the|The)\s+(?:[\w’'\-]+\s+){0,2}?(?P<noun>[a-z][a-z\-]+)\b")
# The last words of UNNAMED_PERSON.
_UNNAMED_ENDS = tuple(
    wordset(
        """
        mother father woman man resident user parent witness neighbour neighbor customer
        passenger voter fan employee worker official source
        """
    )
)
# \b(?:[Oo]ne|[Aa]n?(?: \w+)?) (?:mother|...)\b, written so that the engine skips to
# the next O or A (a pattern that opens with \b is tried at every character): the
# boundary is the look-behind after the first letter, which then picks the branch.
UNNAMED_PERSON = re.compile(
    r"[OoAa](?<!\w[OoAa])(?:(?<=[Oo])ne|(?<=[Aa])n?(?: \w+)?) "
    r"(?:mother|father|woman|man|resident|user|parent|"
    r"witness|neighbou?r|customer|passenger|voter|fan|employee|worker|official|source)\b"
)
# "NASA’s Science ...": a possessive and the spaces before a name. Where a match ends, a
# name starts that the possessive owns (a match ends where its run of spaces does).
POSSESSIVE_BEFORE = re.compile(r"[A-Z][\w.\-]*[’']s?\s+")
LEADING_ADVERB = re.compile(r",?\s*(?:\w+ly\b)?,?\s*")  # matched where a name ends
# "the Gush Etzion bloc", "more nervous than Rose-Lynn Harlan", "in Music City": not
# who "she" is (a name starts where a match ends, as above).
ARTICLE_BEFORE = re.compile(r"\b(?:the|a|an|than|like|in|at|into|near|across)\s+")
ORG_LINK = re.compile(r"\s+(?:of|for|on)\s+(?:the\s+)?")
OPENING_PRONOUN = re.compile(r"\s*(He|She|They)\b")
ADVERB_GAP = re.compile(r"^(?:,?\s*\w+ly\b,?)?\s*,?\s*$")

# "As The Independent reported": the words of an outlet's name are not a person's.
OUTLET_WORDS = frozenset(
    word for names, _ in OUTLETS.values() for name in names for word in name.split()
) - {"The", "the"}
_OPEN_QUOTES = '“"‘«'
_SENTENCE_MARKS = re.compile(r'[“”".!?]')
_CLOSE_QUOTES = '”"’»'


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Sentence boundaries, never inside a double-quoted passage or after "Prof."."""
    # One paragraph is split again and again (for each quotation and each lookup in it).
    return list(_sentence_spans(text))


@lru_cache(maxsize=256)
def _sentence_spans(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start, depth = 0, 0
    # Only quotation marks and sentence ends change anything: jump from one to the next.
    mark = _SENTENCE_MARKS.search(text)
    while mark is not None:
        i = mark.start()
        ch = text[i]
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif ch == '"':
            depth = 0 if depth else 1
        elif depth == 0:  # . ! ?
            j = i + 1
            while j < len(text) and text[j] in _CLOSE_QUOTES + ")":
                j += 1
            if (
                j < len(text)
                and text[j].isspace()
                and not (ch == "." and _abbreviated(text, start, i))
            ):
                k = j
                while k < len(text) and text[k].isspace():
                    k += 1
                if k < len(text) and (text[k].isupper() or text[k] in _OPEN_QUOTES):
                    spans.append((start, j))
                    start = k
                    mark = _SENTENCE_MARKS.search(text, k)
                    continue
        mark = _SENTENCE_MARKS.search(text, i + 1)
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return tuple(spans)


def _abbreviated(text: str, start: int, end: int) -> bool:
    """Whether the word before a full stop at ``end`` ("Prof", "J") makes it no sentence end."""
    # The word is ``([\w.]+)$`` searched in text[start:end]; searched so, the regular
    # expression tried every position of the sentence before failing at each, for every
    # full stop: walking back over the word's few characters is the same answer.
    if end > start and text[end - 1] == "\n":  # `$` also matches before a final newline
        end -= 1
    k = end
    while k > start and (text[k - 1].isalnum() or text[k - 1] in "_."):
        k -= 1
    prev = text[k:end]
    return prev in ABBREVIATIONS or (len(prev) == 1 and prev.isupper())


def looks_like_person(name: Name) -> bool:
    """A name of one to four words, none of them an organisation, place or acronym."""
    # Asked for every run of every paragraph, over and over (who is known, who a pronoun
    # means, each quotation's speaker), and it reads only the name's words: memoised.
    return _looks_like_person(name.text)


@lru_cache(maxsize=16384)
def _looks_like_person(text: str) -> bool:
    words = text.split()
    if not 1 <= len(words) <= 4 or outlet_named_in(text):
        return False
    for word in words:
        if word in NOT_PERSON or word in NATIONALITIES or word in LEADING_STOP:
            return False
        if word in OUTLET_WORDS:
            return False
        if len(word) >= 3 and word.replace(".", "").isupper():  # NATO, MAGA, NIS
            return False
        if word.endswith(("ists", "ians")):  # "Tunisian Islamists", "Ukrainians"
            return False
    return True


class People:
    """The people an article has named so far, so that "Biden" means "Joe Biden"."""

    def __init__(self) -> None:
        self._by_surname: dict[str, str] = {}
        self._by_first: dict[str, str] = {}  # "Zoë" for "Zoë Lefèvre", when used alone
        self._titled: set[str] = set()  # one-word names seen with a title

    def learn(self, text: str) -> None:
        for name in name_runs(text):
            if looks_like_person(name) and name.titled and " " not in name.text:
                self._titled.add(name.text)  # "Prince Andrew": "Andrew" alone is him
            if looks_like_person(name) and len(name.text.split()) >= 2:
                words = name.text.split()
                self._by_surname[words[-1]] = name.text
                self._by_first.setdefault(words[0], name.text)

    def copy(self) -> People:
        """Who had been named so far, kept apart from who is named next."""
        other = People()
        other._by_surname = dict(self._by_surname)
        other._by_first = dict(self._by_first)
        other._titled = set(self._titled)
        return other

    def full(self, name: str) -> str:
        if " " in name:
            return name
        return self._by_surname.get(name) or self._by_first.get(name) or name

    def knows(self, name: str) -> bool:
        # Not by first name: "Stadia" of "Stadia Pro" is no one's name alone.
        return name in self._by_surname or name in self._titled


def subject_candidates(
    clause: str, people: People, after_verb: bool = False, verb_follows: bool = False
) -> list[Name]:
    """Names in ``clause`` that could be its speaker, in order.

    ``after_verb``: the clause follows a speech verb ("..., said Kirby"); ``verb_follows``:
    the clause ends where its speech verb begins ("Kirby" of "Kirby said"). Next to the
    verb a lone capitalised word is the speaker's name.
    """
    found = []
    for name in name_runs(clause):
        if name.possessive or name.after_preposition or not looks_like_person(name):
            continue
        single = " " not in name.text
        # A lone capitalised word is a person only when titled, known or saying something.
        if (
            single
            and not (after_verb or name.titled or people.knows(name.text))
            and not SPEECH_VERB.match(clause[name.end :].lstrip())
            and not (verb_follows and ADVERB_GAP.match(clause[name.end :]))
        ):
            continue
        found.append(name)
    return found


# Nouns of a description that points back to an organisation ("the ministry said"), and
# of one that points to no named person (a document, or people left unnamed).
ORG_NOUNS = wordset(
    """
    company firm ministry department agency group organisation organization government
    council authority club party union charity campaign bank regulator police force army
    military commission committee court team board school university hospital airline
    club league federation institute network broadcaster newspaper publisher retailer
    """
)
UNNAMED_NOUNS = wordset(
    """
    report statement study letter document survey filing complaint lawsuit post memo
    ruling indictment paper article website book research analysis review data figures
    note message email release announcement video poll judgment order tweet source
    official family spokesperson spokesman spokeswoman person man woman witness resident
    """
)
# Words a "the ..." run can end in that are no one: "the tweet shown above".
NOT_NOUNS = wordset("above below here there now today too also alone again before after")
# Acronyms that name a country or a unit, not an organisation.
NOT_ORG_ACRONYMS = wordset("US UK USA EU UN AM PM TV GMT BST EST UTC OK")
ORG_WORDS = (
    NOT_PERSON
    - NATIONALITIES
    - wordset(
        """
    Korea States America Kingdom Republic Russia Ukraine China Taiwan Europe Poland Germany
    Africa Asia Israel Gaza Iran Syria Japan India France Britain England London Washington
    Moscow Kyiv Kiev Beijing Pyongyang Seoul Vladivostok Donbas Crimea Kursk Georgia Hungary
    North South East West Street Square War Day Century Empire Region Summit X
    """
    )
)


def is_organisation(name: Name) -> bool:
    """A run that names an organisation: an organisation's word, an outlet, an acronym."""
    return _is_organisation(name.text)  # memoised, as looks_like_person


@lru_cache(maxsize=16384)
def _is_organisation(text: str) -> bool:
    words = text.split()
    if outlet_named_in(text) or any(w in ORG_WORDS for w in words):
        return True
    bare = text.replace(".", "")
    return (
        len(words) == 1
        and 2 <= len(bare) <= 6
        and bare.isupper()
        and bare.isalpha()
        and bare not in NOT_ORG_ACRONYMS
    )


@lru_cache(maxsize=256)
def _marks(text: str) -> tuple[frozenset[int], frozenset[int], bool]:
    """Where an article or a possessive ends (a name starting there is not who "she" is),
    and whether anyone unnamed is brought in, in ``text``: one pass each for the
    paragraph and all its prefixes (in a prefix, the ends before its own end are these)."""
    after_article = frozenset(m.end() for m in ARTICLE_BEFORE.finditer(text))
    after_possessive = frozenset(m.end() for m in POSSESSIVE_BEFORE.finditer(text))
    return after_article, after_possessive, UNNAMED_PERSON.search(text) is not None


def _speech_verb_at(text: str, lead: re.Match[str] | None, end: int) -> bool:
    return lead is not None and SPEECH_VERB.match(text, lead.end(), end) is not None


@dataclass(slots=True)
class Antecedents:
    """Who a pronoun or a description can mean: the last person and the last organisation
    an article's own words named, in reading order (across paragraphs)."""

    person: str | None = None
    organisation: str | None = None

    def seen(self, text: str, people: People, end: int | None = None) -> None:
        """Take in the names of ``text`` (the article's own words, quotations masked), or
        of ``text[:end]``: what a paragraph says before a quotation is asked for again and
        again, and so read, it costs less than as a string of its own.

        Someone brought in without a name ("WIRED spoke to one mother") is who a pronoun
        after it means: no one we can name, not the person named before."""
        end = len(text) if end is None else min(end, len(text))
        runs = name_runs(text, end)
        after_article, after_possessive, unnamed_in_text = _marks(text)
        # Where the text has no one unnamed, a prefix has none either, but where it ends
        # on the noun ("one man|ager"): one found before the cut is the text's too.
        unnamed = (
            [m.start() for m in UNNAMED_PERSON.finditer(text, 0, end)]
            if unnamed_in_text or text.endswith(_UNNAMED_ENDS, 0, end)
            else []
        )
        for k, name in enumerate(runs):
            if unnamed and unnamed[0] < name.start:
                self.person = None
                unnamed = [at for at in unnamed if at > name.start]
            if (
                k
                and is_organisation(runs[k - 1])
                and ORG_LINK.fullmatch(text[runs[k - 1].end : name.start])
            ):
                continue  # the rest of "the Ministry of Water Resources", taken below
            if is_organisation(name):
                self.organisation = name.text
                # "the Ministry of Water Resources": the name goes on after "of" / "for".
                nxt = runs[k + 1] if k + 1 < len(runs) else None
                if nxt and ORG_LINK.fullmatch(text[name.end : nxt.start]):
                    self.organisation = text[name.start : nxt.end]
            elif (
                not name.possessive
                and name.start not in after_article  # "the Gush Etzion bloc"
                # "NASA’s Science Mission Directorate": something someone has, not someone
                and name.start not in after_possessive
                and looks_like_person(name)
                and (
                    " " in name.text
                    or name.titled
                    or people.knows(name.text)
                    # "Zelenskyy said", "Brooke tearfully asked" (a name ends at a word's
                    # end, so the verb's \b reads the same here as in the rest alone)
                    or _speech_verb_at(text, LEADING_ADVERB.match(text, name.end, end), end)
                )
            ):
                self.person = people.full(name.text)

        if unnamed:
            self.person = None

    def after(self, text: str, people: People, end: int | None = None) -> Antecedents:
        """A copy that has also seen ``text`` (or ``text[:end]``)."""
        copy = Antecedents(self.person, self.organisation)
        copy.seen(text, people, end)
        return copy

    def later(self, text: str, people: People, end: int | None = None) -> Antecedents:
        """What :meth:`after` gives, for a speaker rule to ask who a pronoun or a
        description means: found only if it asks (most speakers are named, and then
        no one asks). ``people`` must learn no one before then: pass it to the rule at
        once."""
        return _Later(self.person, self.organisation, text, people, end)

    def pronoun(self, word: str) -> str | None:
        return self.organisation if word.lower() == "it" else self.person

    def description(self, phrase: str) -> str | None:
        """Who "the actor" or "the ministry" is; no one for "the tweet shown above"."""
        words = re.findall(r"[a-z][a-z\-]+", phrase.lower())
        noun = words[-1] if words else ""
        if any(w in UNNAMED_NOUNS for w in words) or noun in NOT_NOUNS:
            return None  # a document, or someone the article leaves unnamed
        if noun.endswith("s") and not noun.endswith("ss"):
            return None  # several people
        return self.organisation if noun in ORG_NOUNS else self.person


class _Later(Antecedents):
    """Antecedents that take in a text when first asked (see Antecedents.later)."""

    __slots__ = ("_pending",)

    def __init__(
        self,
        person: str | None,
        organisation: str | None,
        text: str,
        people: People,
        end: int | None,
    ) -> None:
        super().__init__(person, organisation)
        self._pending: tuple[str, People, int | None] | None = (text, people, end)

    def _take_in(self) -> None:
        if self._pending is not None:
            text, people, end = self._pending
            self._pending = None
            self.seen(text, people, end)

    def pronoun(self, word: str) -> str | None:
        self._take_in()
        return super().pronoun(word)

    def description(self, phrase: str) -> str | None:
        self._take_in()
        return super().description(phrase)


# Words that show a "the ..." run is a clause ("the plan was first reported"), not a
# description of someone ("the 24-year-old actor").
NOT_IN_DESCRIPTION = wordset(
    """
    was were is are be been has have had will would could should can may might did does
    do not also then first later last once again who which that this and or but as
    """
)


def _noun_phrase(words: str) -> bool:
    return not any(w in NOT_IN_DESCRIPTION for w in re.findall(r"[\w’'\-]+", words.lower()))


def _organisation_subject(clause: str) -> str | None:
    """The organisation whose name ends the clause just before its verb ("the NIS said")."""
    runs = name_runs(clause)
    # An outlet as the subject is the source the article cites, not a speaker.
    if (
        runs
        and not clause[runs[-1].end :].strip(" ,")
        and is_organisation(runs[-1])
        and not outlet_named_in(runs[-1].text)
    ):
        return runs[-1].text
    return None


def speaker_of(
    clause: str, people: People, antecedents: Antecedents | None = None
) -> tuple[str | None, bool]:
    """The speaker a clause names before its speech verb, and whether an outlet is it.

    Returns (speaker, outlet_is_subject). "He added" and "when she spouted" resolve to the
    sentence's named subject, or else to the last person named before ("it" to the last
    organisation); "the actor said" likewise.
    """
    antecedents = antecedents or Antecedents()
    candidates = subject_candidates(clause, people, verb_follows=True)
    pronoun = PRONOUN_SUBJECT.search(clause)
    if pronoun:
        if candidates and pronoun.group("pronoun").lower() != "it":
            return people.full(candidates[0].text), False
        return antecedents.pronoun(pronoun.group("pronoun")), False
    outlet = outlet_named_in(clause)
    if candidates and (outlet is None or candidates[-1].start > outlet[1]):
        first = candidates[0]
        # "Shami Chakrabarti, director of civil rights group Liberty, said": the name that
        # opens the clause, not one inside its apposition.
        if not clause[: first.start].strip(' “"‘') and clause[first.end :].startswith(","):
            return people.full(first.text), False
        return people.full(candidates[-1].text), False
    opening = OPENING_PRONOUN.match(clause)
    if opening and outlet is None and SPEECH_VERB.search(clause):
        return antecedents.pronoun(opening.group(1)), False  # "She said she ... but added"
    organisation = _organisation_subject(clause)
    if organisation:
        return organisation, False
    described = DESCRIPTION.search(clause)
    if described and _noun_phrase(described.group(0)) and not candidates and outlet is None:
        return antecedents.description(described.group(0)), False
    return None, outlet is not None


def speaker_after(text: str, people: People, antecedents: Antecedents | None = None) -> str | None:
    """The speaker named just after a speech verb: "said White House spokesperson John Kirby",
    "said the actor" (the last person named)."""
    candidates = subject_candidates(text, people, after_verb=True)
    if candidates:
        return people.full(candidates[0].text)
    described = DESCRIPTION_AFTER.match(text)
    if described and _noun_phrase(described.group(0)) and antecedents is not None:
        return antecedents.description(described.group(0))
    return None


def last_speech_verb(text: str) -> re.Match[str] | None:
    found = None
    for found in SPEECH_VERB.finditer(text):  # noqa: B007 - the last one is wanted
        pass
    return found
