"""Reading the evaluation pages: decoding, visible text, folding keys, sentences.

Shared by ``make_cases.py`` (which builds labelled quotes) and ``accuracy.py``
(which runs the tools over them). Nothing here belongs to sourcecheck itself: the
bench must judge the engine with its own, independent, notion of "is this text on
the page", so it does not import ``verify``.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parent.parent
DEFAULT_PAGES = REPO.parent / "shared" / "eval" / "pages"

# Languages written without spaces between words: word-level edits make no sense there.
UNSPACED = ("ja", "zh", "th")

QUOTE_CHARS = "\"'‘’‚‛“”„‟«»‹›`´"
DASH_CHARS = "-‐‑‒–—―−"
INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"


@dataclass
class EvalPage:
    """One folder of the evaluation corpus."""

    name: str
    folder: Path
    meta: dict
    paragraphs: list[str]
    language: str
    _visible: str | None = field(default=None, repr=False)

    @property
    def complete(self) -> bool:
        return bool(self.meta.get("truth_complete"))

    @property
    def spaced(self) -> bool:
        return not self.language.lower().startswith(UNSPACED)

    @property
    def english(self) -> bool:
        return self.language.lower().startswith("en")

    def html(self) -> str:
        return decode_html((self.folder / "source.html").read_bytes(), self.meta)

    def visible(self) -> str:
        """All text a reader could see on the page (block boundaries become newlines)."""
        if self._visible is None:
            self._visible = visible_text(self.html())
        return self._visible


def decode_html(raw: bytes, meta: dict | None = None) -> str:
    """UTF-8 first (most pages), then the declared charset, then Windows-1252."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = (meta or {}).get("declared_charset")
    for encoding in (declared, "cp1252"):
        if encoding:
            try:
                return raw.decode(encoding)
            except (LookupError, UnicodeDecodeError):
                continue
    return raw.decode("utf-8", errors="replace")


_BLOCK_TAGS = {
    "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "td",
    "th", "section", "article", "header", "footer", "blockquote", "figure", "figcaption",
    "aside", "nav", "table", "dd", "dt", "pre", "main", "form", "option",
}  # fmt: skip


def visible_text(html: str) -> str:
    """Text of the page outside scripts and styles, blocks separated by newlines.

    Deliberately not trafilatura: the bench's notion of "on the page" must not be the
    tool's own extraction, or the bench would only confirm what the tool already does.
    """
    try:
        # Bytes with an explicit parser encoding: lxml would otherwise guess Latin-1 for a
        # page with no <meta charset>, and a str with an XML declaration is refused.
        parser = lxml.html.HTMLParser(encoding="utf-8")
        root = lxml.html.document_fromstring(html.encode("utf-8"), parser=parser)
    except (ValueError, lxml.etree.ParserError):
        return ""
    for bad in root.xpath("//script|//style|//template|//svg"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: lxml.html.HtmlElement) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        block = tag.lower() in _BLOCK_TAGS
        if block:
            parts.append("\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if block:
            parts.append("\n")

    walk(root)
    return "".join(parts)


def fold_map(text: str, keep_punct: bool = True) -> tuple[str, list[int]]:
    """A comparison key and, for each of its characters, the offset it came from.

    The key has no case, no diacritics, one quote, one dash and no whitespace. With
    ``keep_punct=False`` only letters and digits remain: the conservative key used to
    make sure a mutated quote is really absent from the page.
    """
    out: list[str] = []
    index: list[int] = []
    for i, original in enumerate(text):
        for ch in unicodedata.normalize("NFKD", original):
            if unicodedata.combining(ch) or ch in INVISIBLE or ch.isspace():
                continue
            if ch in QUOTE_CHARS:
                ch = "'"
            elif ch in DASH_CHARS:
                ch = "-"
            if not keep_punct and not ch.isalnum():
                continue
            for folded in ch.casefold():
                out.append(folded)
                index.append(i)
    return "".join(out), index


def fold(text: str, keep_punct: bool = True) -> str:
    return fold_map(text, keep_punct)[0]


def load_pages(pages_dir: Path) -> list[EvalPage]:
    """Every page folder with a non-empty truth, in name order."""
    pages = []
    for folder in sorted(p for p in pages_dir.iterdir() if p.is_dir()):
        meta_file, truth_file = folder / "meta.json", folder / "truth.txt"
        if not (meta_file.exists() and truth_file.exists() and (folder / "source.html").exists()):
            continue
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        truth = truth_file.read_text(encoding="utf-8")
        paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", truth) if p.strip()]
        if not meta.get("truth_complete"):
            # Asserted snippets may start inside a word ("ried in a mass grave"): no writer
            # quotes half a word, so such a snippet loses its first, partial, word.
            paragraphs = [p.split(" ", 1)[-1] if p[0].islower() else p for p in paragraphs]
        if not paragraphs:
            continue
        pages.append(
            EvalPage(folder.name, folder, meta, paragraphs, str(meta.get("language") or "en"))
        )
    return pages


_ABBREV = {
    "mr", "mrs", "ms", "dr", "st", "jr", "sr", "prof", "gen", "col", "lt", "sgt", "rep",
    "sen", "gov", "inc", "ltd", "co", "corp", "vs", "no", "jan", "feb", "mar", "apr", "jun",
    "jul", "aug", "sep", "sept", "oct", "nov", "dec", "mt", "ft", "capt", "cmdr", "rev",
    "est", "approx", "fig", "vol", "pp", "etc", "al", "u.s", "u.k", "e.g", "i.e", "a.m",
    "p.m", "d.c", "u.n",
}  # fmt: skip
_BOUNDARY = re.compile(r"[.!?]+[\"'”’)\]]*\s+(?=[\"'“‘(\[]*[A-Z0-9\u00C0-\u024F\u0400-\u04FF])")
_CJK_BOUNDARY = re.compile(r"[。！？]+[」』”’）]*")


def split_sentences(paragraph: str, spaced: bool = True) -> list[str]:
    """Split a paragraph into sentences; abbreviations and initials do not end one."""
    if not spaced:
        pieces, last = [], 0
        for m in _CJK_BOUNDARY.finditer(paragraph):
            pieces.append(paragraph[last : m.end()].strip())
            last = m.end()
        pieces.append(paragraph[last:].strip())
        return [p for p in pieces if p]
    sentences, start = [], 0
    for m in _BOUNDARY.finditer(paragraph):
        before = paragraph[start : m.start()].split()
        word = before[-1].strip("\"'“‘(").lower() if before else ""
        if (
            word in _ABBREV
            or (len(word) == 1 and word.isalpha())
            or re.fullmatch(r"(\w\.)+\w", word)
        ):
            continue
        sentences.append(paragraph[start : m.end()].strip())
        start = m.end()
    sentences.append(paragraph[start:].strip())
    return [s for s in sentences if s]


_BOILERPLATE = re.compile(
    r"https?://|www\.|@\w|\b(click|subscribe|sign up|newsletter|follow us|read more|"
    r"advertisement|cookie|copyright|all rights reserved|image caption|getty images|"
    r"share this|related:|photo:|pictured)\b|©",
    re.IGNORECASE,
)


def good_sentence(sentence: str, spaced: bool = True) -> bool:
    """A sentence worth quoting: 8-60 words (20-150 characters unspaced), real prose."""
    if _BOILERPLATE.search(sentence):
        return False
    letters = sum(ch.isalpha() for ch in sentence)
    if spaced:
        words = sentence.split()
        return 8 <= len(words) <= 60 and letters >= 0.6 * len(sentence.replace(" ", ""))
    return 20 <= len(sentence) <= 150 and letters >= 0.5 * len(sentence)
