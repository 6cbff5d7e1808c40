"""The outlets sourcecheck knows, by the names an article calls them and by their domains.

Pure data (and two lookups), kept in ``verify/`` so that quote intake can name the
outlet a quote is attributed to without importing Scrapy. The keys are the spiders'
registry keys (``spiders/``: one spider per outlet), and the spiders take their
domains from here: one list, so the two cannot drift apart.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

# key -> (names as articles write them, domains the outlet serves its articles from).
# Names are matched case-sensitively (a capital "Independent" is the paper, a lowercase
# "independent" is an adjective), longest first, on word boundaries.
OUTLETS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "independent": (
        # Not a bare "Independent": a sentence may begin with the adjective.
        ("The Independent", "the Independent"),
        ("independent.co.uk",),
    ),
    "bbc": (
        ("BBC News", "the BBC", "The BBC", "BBC"),
        ("bbc.co.uk", "bbc.com", "bbc.in"),  # bbc.in: the BBC's link shortener
    ),
    "guardian": (
        ("The Guardian", "the Guardian", "Guardian"),
        ("theguardian.com", "guardian.co.uk", "gu.com"),  # gu.com: its link shortener
    ),
}

_NAMES = sorted(
    ((name, key) for key, (names, _) in OUTLETS.items() for name in names),
    key=lambda pair: -len(pair[0]),
)
_NAME_RE = re.compile(r"\b(?:" + "|".join(re.escape(name) for name, _ in _NAMES) + r")\b")
_KEY_BY_NAME = dict(_NAMES)


def outlet_named_in(text: str) -> tuple[str, int, int] | None:
    """The first outlet an article's words name: (key, start, end), or None.

    >>> outlet_named_in("As The Independent reported:")
    ('independent', 3, 18)
    """
    found = _NAME_RE.search(text)
    if found is None:
        return None
    return _KEY_BY_NAME[found.group(0)], found.start(), found.end()


def outlet_domains(key: str) -> tuple[str, ...]:
    """The domains an outlet serves its articles from (its spider's ``domains``)."""
    return OUTLETS[key][1]


def outlet_for_url(url: str | None) -> str | None:
    """The registry key of the outlet serving ``url`` (subdomains included), or None.

    >>> outlet_for_url("https://amp.theguardian.com/world/2024/x")
    'guardian'
    """
    if not url:
        return None
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    for key, (_, domains) in OUTLETS.items():
        if any(host == d or host.endswith("." + d) for d in domains):
            return key
    return None
