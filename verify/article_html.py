"""A citing article's HTML as a list of paragraphs: their text, links and blockquotes.

Quote intake needs what trafilatura throws away (which paragraphs sit inside a
``<blockquote>``, which words are links and where they point), so the page is read
with the standard library's ``html.parser`` into plain paragraphs that the same rules
as for a plain-text article then work on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


def _wordset(words: str) -> frozenset[str]:
    return frozenset(words.split())


# Elements whose text is not the article: scripts, navigation, page furniture. Not
# <form>: some pages (Al Jazeera's) wrap their whole body in one; its controls are skipped.
SKIP = _wordset(
    """
    script style noscript template svg nav footer aside button select textarea
    iframe object head
    """
)
# Elements that end one paragraph and start another.
BLOCK = _wordset(
    """
    p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd blockquote figure figcaption pre table tr
    td th section article main header hr
    """
)


HEADINGS = _wordset("h1 h2 h3 h4 h5 h6")
VOID = _wordset("br hr img input meta link area base col embed source track wbr")


@dataclass(frozen=True, slots=True)
class Link:
    start: int  # offsets of the anchor text in its paragraph's text
    end: int
    href: str


@dataclass(slots=True)
class Paragraph:
    """One paragraph of an article, as intake sees it in either form."""

    text: str
    blockquote: int | None = None  # which <blockquote> holds it (HTML only)
    cite: str | None = None  # that blockquote's cite="" address
    heading: bool = False
    links: list[Link] = field(default_factory=list)


class _ArticleParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.paragraphs: list[tuple[Paragraph, str]] = []  # with the scope it was in
        self.base_href: str | None = None
        self.canonical: str | None = None
        self._skip = 0
        self._scope: list[str] = []  # open <article> / <main> elements
        self._quotes: list[tuple[int, str | None]] = []  # open blockquotes: id, cite
        self._next_quote = 0
        self._headings = 0
        self._buf: list[str] = []
        self._len = 0  # characters in _buf
        self._br_at = 0  # where in _buf the last <br> was
        self._links: list[Link] = []
        self._open_links: list[tuple[int, str | None]] = []
        self._footer_in_quote = 0
        self.footers: dict[int, str] = {}  # blockquote id -> its <footer>'s text

    # -- helpers -----------------------------------------------------------------
    def _text_len(self) -> int:
        return self._len

    def _flush(self) -> None:
        raw = "".join(self._buf)
        self._buf, self._len, self._br_at = [], 0, 0
        links, self._links = self._links, []
        # A link still open goes on in the next paragraph, from its start.
        self._open_links = [(0, href) for _, href in self._open_links]
        if not raw or raw.isspace():
            return
        if not links:  # the common case, without the offset map
            text, offsets = " ".join(raw.split()), list[int]()
        else:
            text, offsets = _squash(raw)
        kept = [
            Link(
                offsets[min(ln.start, len(offsets) - 1)],
                offsets[min(ln.end, len(offsets) - 1)],
                ln.href,
            )
            for ln in links
        ]
        quote_id, cite = self._quotes[0] if self._quotes else (None, None)
        para = Paragraph(text, quote_id, cite, self._headings > 0, kept)
        scope = "article" if "article" in self._scope else ("main" if self._scope else "")
        self.paragraphs.append((para, scope))

    # -- HTMLParser callbacks ------------------------------------------------------
    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "base" and self.base_href is None:
            self.base_href = dict(attrs).get("href")
        elif tag == "link" and self.canonical is None:
            found = dict(attrs)
            if (found.get("rel") or "").lower() == "canonical":
                self.canonical = found.get("href")
        if tag == "body":  # a page that never closed its <head> still has a body
            self._skip = 0
        if self._skip:
            self._skip += tag in SKIP and tag not in VOID
            return
        if tag == "footer" and self._quotes:
            # A blockquote's footer names its source ("— John Kirby"): not quoted words.
            self._flush()
            self._footer_in_quote += 1
            return
        if tag in SKIP:
            self._skip += tag not in VOID
            return
        if tag == "br":
            # One <br> breaks a line (a quotation may run over it, as over a line break in
            # plain text); two in a row end a paragraph, as pages without <p> use them.
            if self._len > self._br_at and "".join(self._buf)[self._br_at :].strip():
                self.handle_data("\n")
                self._br_at = self._len
            else:
                self._flush()
            return
        if tag in BLOCK:
            self._flush()
        if tag in ("article", "main"):
            self._scope.append(tag)
        elif tag == "blockquote":
            self._quotes.append((self._next_quote, dict(attrs).get("cite")))
            self._next_quote += 1
        elif tag in HEADINGS:
            self._headings += 1
        elif tag == "a":
            self._open_links.append((self._text_len(), dict(attrs).get("href")))
        elif tag == "q":
            self.handle_data("“")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self.handle_endtag(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if self._skip:
            if tag in SKIP:
                self._skip -= 1
            return
        if tag == "footer" and self._footer_in_quote:
            footer, _ = _squash("".join(self._buf))
            if footer and self._quotes:
                self.footers[self._quotes[-1][0]] = footer
            self._buf, self._len, self._br_at = [], 0, 0
            self._links = []
            self._footer_in_quote -= 1
            return
        if tag == "q":
            self.handle_data("”")
        elif tag == "a" and self._open_links:
            start, href = self._open_links.pop()
            if href:
                self._links.append(Link(start, self._text_len(), href))
        if tag in BLOCK:
            self._flush()
        if tag in ("article", "main") and tag in self._scope:
            self._scope.remove(tag)
        elif tag == "blockquote" and self._quotes:
            self._quotes.pop()
        elif tag in HEADINGS and self._headings:
            self._headings -= 1

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self._buf.append(data)
            self._len += len(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _squash(raw: str) -> tuple[str, list[int]]:
    """Collapse whitespace as a browser does; map each raw offset to the squashed text."""
    out: list[str] = []
    offsets: list[int] = []
    pending_space = False
    for ch in raw:
        if ch.isspace():
            pending_space = bool(out)
            offsets.append(len(out) + (1 if pending_space else 0))
            continue
        if pending_space:
            out.append(" ")
            pending_space = False
        offsets.append(len(out))
        out.append(ch)
    offsets.append(len(out))
    text = "".join(out)
    return text, [min(o, len(text)) for o in offsets]


@dataclass(frozen=True, slots=True)
class HtmlArticle:
    paragraphs: list[Paragraph]
    base_href: str | None  # the page's <base href>, if it has one
    canonical: str | None  # its <link rel="canonical"> address, if it has one
    footers: dict[int, str]  # blockquote id -> the text of its <footer>


def html_paragraphs(html: str) -> HtmlArticle:
    """The article's paragraphs (inside <article>, else <main>, else the whole body)."""
    parser = _ArticleParser()
    parser.feed(html)
    parser.close()
    for scope in ("article", "main"):
        inside = [p for p, s in parser.paragraphs if s == scope or (scope == "main" and s)]
        if inside and any(not p.heading for p in inside):
            return HtmlArticle(inside, parser.base_href, parser.canonical, parser.footers)
    return HtmlArticle(
        [p for p, _ in parser.paragraphs], parser.base_href, parser.canonical, parser.footers
    )
