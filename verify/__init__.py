"""sourcecheck's verification engine: is this quote really in this text?

Pure text logic, no I/O: import it alone.

    >>> from verify import check_quote
    >>> check_quote("the cat sat", "Yesterday the cat sat on the mat.").status
    <Status.VERIFIED: 'verified'>

``check_quote(quote, main_text, page_text=None)`` returns a :class:`Result` with
``status`` (verified / altered / not_found), ``score`` (0-100), ``match`` (the
source's own words and their offsets) and ``changes`` (the word diff, numbers and
negations flagged). ``page_text`` (and ``links``) may be callables: they are called
only when the main text does not verify the quote. ``unavailable`` is never decided
here: whoever reads the page knows when it could not be read, and says so with
``Result.unavailable(reason)``.

``check_speaker(text, start, end, claimed)`` reads who the source attributes the
matched words to (:mod:`verify.speaker`); a result carrying that ``attribution`` has the
finding ``misattributed`` when the source names someone else or says it in its own voice.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from verify.check import check_quote
    from verify.speaker import check_speaker, same_speaker
    from verify.types import (
        MISATTRIBUTED,
        Attribution,
        Change,
        Location,
        Match,
        QuoteError,
        Result,
        Status,
        findings_for,
    )

__all__ = [
    "MISATTRIBUTED",
    "Attribution",
    "Change",
    "Location",
    "Match",
    "QuoteError",
    "Result",
    "Status",
    "check_quote",
    "check_speaker",
    "findings_for",
    "same_speaker",
]

# Where each public name lives, imported on first use (PEP 562): importing one module of
# the package (verify.cleantext, verify.outlets) does not load the whole engine, which a
# process that only reads pages (crawler/extraction/ahead.py) never uses.
_HOMES = {
    "check_quote": "verify.check",
    "check_speaker": "verify.speaker",
    "same_speaker": "verify.speaker",
}


def __getattr__(name: str) -> Any:
    if name not in __all__:
        raise AttributeError(f"module 'verify' has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(_HOMES.get(name, "verify.types")), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
