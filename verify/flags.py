"""Which words turn a quote's meaning: negations, numbers and limiting qualifiers.

A change that adds, drops or swaps one of these is flagged; an ellipsis or a bracket
may not hide one (see :mod:`verify.conventions`).
"""

from __future__ import annotations

from verify.numbers import number_spans

# Words that turn a statement around, and words that are numbers: a change that
# adds, drops or swaps one is flagged (``n't`` endings count as negations too).
# fmt: off
NEGATIONS = frozenset({
    "not", "no", "never", "none", "nobody", "nothing", "neither", "nor", "without",
    "cannot", "nowhere", "noone", "n't", "ain't",
})
NUMBER_WORDS = frozenset({
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen",
    "eighteen", "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy",
    "eighty", "ninety", "hundred", "hundreds", "thousand", "thousands", "million",
    "millions", "billion", "billions", "trillion", "trillions", "dozen", "dozens", "half",
    "quarter", "twice", "thrice", "once", "first", "second", "third", "fourth", "fifth",
    "sixth", "seventh", "eighth", "ninth", "tenth", "bn", "%", "per", "cent", "percent",
})
# Qualifiers: words that limit a claim, so that leaving them out states more than the
# speaker did. By what they limit:
QUALIFIERS = frozenset({
    # to whom or what it applies (focus and quantity)
    "only", "just", "merely", "solely", "exclusively", "some", "most", "many", "few",
    "several", "partly", "partially", "largely", "mostly", "mainly", "somewhat",
    "slightly", "barely", "hardly", "scarcely", "rarely", "seldom", "sometimes",
    "occasionally", "often",
    # how sure it is (hedges and hearsay)
    "may", "might", "could", "possibly", "probably", "perhaps", "maybe", "likely",
    "unlikely", "potentially", "presumably", "apparently", "seemingly", "reportedly",
    "allegedly", "supposedly", "purportedly", "arguably", "suspected", "alleged",
    "preliminary", "unconfirmed",
    # how much (approximation)
    "almost", "nearly", "roughly", "approximately", "virtually", "practically",
    # on what condition
    "if", "unless", "except",
})
# Approximations that are qualifiers only before a number ("about 40", "around $5m"):
# elsewhere they are ordinary prepositions ("talked about it").
NUMBER_QUALIFIERS = frozenset({"about", "around", "over", "under", "above", "below", "some"})
# Two-word qualifiers, read as a pair ("up to 40", "at least", "more than").
QUALIFIER_PAIRS = frozenset({
    ("up", "to"), ("at", "least"), ("at", "most"), ("more", "than"), ("less", "than"),
    ("fewer", "than"), ("as", "many"), ("as", "much"), ("in", "part"), ("so", "far"),
})
# fmt: on


def is_negation(word: str) -> bool:
    return word in NEGATIONS or word.endswith("n't")


def is_number(word: str) -> bool:
    return word in NUMBER_WORDS or any(ch.isdigit() for ch in word)


def has_value(words: list[str]) -> bool:
    """Do ``words`` state a number (digits or cardinal number words; an ordinal such as
    "first" or "second" says which, not how many)?"""
    return any(any(ch.isdigit() for ch in w) for w in words) or any(
        not span.value.ordinal for span in number_spans(words)
    )


def qualifiers(words: list[str]) -> list[str]:
    """The qualifiers in ``words`` (see QUALIFIERS), as they appear."""
    found: list[str] = []
    for k, word in enumerate(words):
        pair = tuple(words[k : k + 2])
        if word in QUALIFIERS:
            found.append(word)
        elif len(pair) == 2 and pair in QUALIFIER_PAIRS:
            found.append(" ".join(pair))
        elif word in NUMBER_QUALIFIERS and k + 1 < len(words) and has_value(words[k + 1 :][:2]):
            found.append(word)
    return found


def change_flags(quote_words: list[str], source_words: list[str]) -> tuple[str, ...]:
    """The flags of a change between two runs of words (``number``, ``negation``)."""
    flags: list[str] = []
    if any(is_number(w) for w in (*quote_words, *source_words)):
        flags.append("number")
    q_neg = sum(map(is_negation, quote_words))
    s_neg = sum(map(is_negation, source_words))
    if q_neg != s_neg:
        flags.append("negation")
    return tuple(flags)


def omission_flags(words: list[str]) -> tuple[str, ...]:
    """The flags of words left out under an ellipsis: what meaning they carry."""
    flags: list[str] = []
    if any(map(is_negation, words)):
        flags.append("negation")
    if has_value(words):
        flags.append("number")
    if qualifiers(words):
        flags.append("qualifier")
    return tuple(flags)
