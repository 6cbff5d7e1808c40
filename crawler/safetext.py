"""Text from outside (articles, pages, batch files) made safe to print.

Two ways out, one function each, used by every command:

- :func:`for_terminal`: a hostile article's quote must not drive the terminal. Escape
  sequences (CSI colours and cursor moves, OSC 52 that writes the clipboard, OSC 8 that
  forges a link, DCS/APC strings) are removed whole, and any other C0/C1 control
  character, DEL and lone surrogate is shown as a visible ``\\xNN``-style escape, so a
  reader sees that something was there. Tabs and newlines are kept.
- :func:`json_line`: one strict JSON document: no ``NaN``/``Infinity`` (Python's
  default would print them, and no JSON parser reads them back), and lone surrogates,
  DEL and C1 controls escaped as ``\\uXXXX`` (valid JSON), so that they neither fail to
  encode on stdout nor reach a terminal raw (json.dumps escapes only C0).

Written here rather than taken from a library: the terminal libraries at hand either
colour text (click, rich) or strip only CSI colour codes; none removes OSC and C1.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC strings up to BEL
# or ST (ESC \), and two-character escapes. The 8-bit C1 forms (CSI = U+009B, OSC =
# U+009D, ...) too, since some terminals honour them.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
# What is left to make visible: C0 but tab and newline, DEL, C1, lone surrogates.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
# Left raw by json.dumps(ensure_ascii=False): DEL, C1 (8-bit CSI, OSC) and surrogates.
_JSON_RAW = re.compile(r"[\x7f-\x9f\ud800-\udfff]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match[0])
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def for_terminal(text: str) -> str:
    """``text`` with escape sequences removed and other control characters shown escaped."""
    if text.isprintable():  # the common case costs one C-level scan
        return text
    return _CONTROLS.sub(_visible, _ESCAPES.sub("", text))


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def json_line(obj: Any, indent: int | None = None) -> str:
    """``obj`` as strict JSON, non-ASCII kept readable, lone surrogates escaped."""
    try:
        text = json.dumps(obj, ensure_ascii=False, allow_nan=False, indent=indent)
    except ValueError:  # a NaN or an infinity: JSON has no spelling for it
        text = json.dumps(_finite(obj), ensure_ascii=False, indent=indent)
    # These can only be inside a JSON string here, where \\uXXXX is their spelling.
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m[0]):04x}", text)
