"""Find the quotations in a citing article, and who and what each is attributed to.

    >>> quotes = find_quotes_in_text(
    ...     "White House spokesperson John Kirby stated:\\n"
    ...     "If they do deploy to fight against Ukraine, they're fair game.\\n"
    ... )
    >>> quotes[0].kind, quotes[0].speaker
    ('block', 'John Kirby')

Two kinds of quotation:

- ``block``: a ``<blockquote>`` in HTML; in plain text, the paragraphs after an
  attribution line that ends in a colon and has a speech verb ("As The Independent
  reported:", "He added:"). Plain text has lost the markup that says where a block
  ends, so :func:`_continues_block` decides from the next paragraph's own words
  (see there); an HTML page that marks its blockquotes is taken at its word.
- ``inline``: words in double quotes (straight or curly) of at least five words.
  Shorter quoted strings are scare quotes or terms ("defensive", "star witness"), and a
  quoted string after "titled" is a cited title: neither is a quotation; a title is
  kept as the ``title`` of the quotation its sentence introduces.

Pure: strings in, dataclasses out (the HTML is read with the standard library).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from functools import lru_cache, partial
from typing import Any
from urllib.parse import urljoin

from verify.article_html import Link, Paragraph, html_paragraphs
from verify.attribution import (
    ADVERB_GAP,
    SPEECH_VERB,
    Antecedents,
    People,
    last_speech_verb,
    looks_like_person,
    name_runs,
    sentence_spans,
    speaker_after,
    speaker_of,
    subject_candidates,
    wordset,
)
from verify.cleantext import MAX_QUOTE_CHARS, clean_text, too_long
from verify.outlets import outlet_for_url, outlet_named_in

__all__ = [
    "Quotation",
    "find_quotes_in_html",
    "find_quotes_in_paragraphs",
    "find_quotes_in_text",
    "text_paragraphs",
    "walk_quotes",
]

MIN_INLINE_WORDS = 5
WORD = re.compile(r"\w+(?:[’'\-]\w+)*")
TITLE_CUE = re.compile(r"\b(?:titled|entitled|headlined|headline)\W*$", re.IGNORECASE)
TITLE_WORDS = re.compile(r"titled|headline", re.IGNORECASE)
TERMINAL = '.!?:;”"’)…—'
# Words that may open a continuing paragraph before the word that ties it back.
CONNECTIVES = wordset("But And Yet So Still Even Now Then However Meanwhile Indeed")
# Words that point back to something already said: "But even as he was uttering those words".
ANAPHORA = wordset("he she it they him her them his its their this these those")
STOPWORDS = wordset(
    """
    that this with from have been were what when which would there their they them will
    into than then also just only more most some such about over
    """
)


@dataclass(frozen=True, slots=True)
class Quotation:
    """One quotation found in a citing article."""

    text: str  # the quoted words (a block's paragraphs joined by newlines)
    kind: str  # "block" or "inline"
    speaker: str | None = None  # the person it is attributed to, by full name when known
    outlet: str | None = None  # registry key of the outlet it is attributed to
    url: str | None = None  # the link the article gives for it (HTML only)
    title: str | None = None  # a cited title ("We’re in 1938 now: ...")
    position: int = 0  # 0, 1, 2 ... in article order
    paragraph: int = 0  # index of the paragraph it starts in
    start: int = 0  # character offset of the quotation in that paragraph's text
    attribution: str | None = None  # the sentence that attributes it
    too_long: bool = False  # over MAX_QUOTE_CHARS: cut, and never verified

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def find_quotes_in_text(text: str) -> list[Quotation]:
    """The quotations in a plain-text article (one paragraph a line, or blank-line separated)."""
    return _find(text_paragraphs(clean_text(text)), base_url=None, footers={})


def find_quotes_in_paragraphs(
    paragraphs: list[Paragraph], min_words: int = MIN_INLINE_WORDS
) -> list[Quotation]:
    """The quotations in paragraphs already split (a source's extracted text, one
    paragraph a line), each with ``paragraph`` and ``start`` into that list.

    ``min_words``: the shortest quoted string taken for a quotation (a source's short
    quotation is still someone's words when a quote matched them)."""
    return _find(paragraphs, base_url=None, footers={}, min_words=min_words)


def find_quotes_in_html(html: str, base_url: str | None = None) -> list[Quotation]:
    """The quotations in an article's HTML.

    Relative links are resolved against the page's <base href>, then ``base_url`` (where
    the page was fetched from), then its canonical address (a saved copy of a page).
    """
    article = html_paragraphs(clean_text(html))
    base = base_url or article.canonical
    if article.base_href:
        base = urljoin(base or "", article.base_href)
    return _find(article.paragraphs, base, article.footers)


# -- paragraphs and quoted spans -------------------------------------------------------


def text_paragraphs(text: str) -> list[Paragraph]:
    """Paragraphs of a plain-text article, re-joining lines that a hard wrap broke."""
    paragraphs: list[str] = []
    current = ""
    for raw in text.splitlines():
        line = " ".join(raw.split())
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
        elif current and _runs_on(current, line):
            current += " " + line
        else:
            if current:
                paragraphs.append(current)
            current = line
    if current:
        paragraphs.append(current)
    return [Paragraph(p) for p in paragraphs]


def _runs_on(previous: str, line: str) -> bool:
    """Whether ``line`` continues ``previous``: a quotation left open, or a mid-sentence wrap."""
    if _unclosed_quote(previous) and line[0] not in '“"':
        return True
    return previous[-1] not in TERMINAL and line[0].islower()


def _unclosed_quote(text: str) -> bool:
    return text.count("“") > text.count("”") or text.count('"') % 2 == 1


_QUOTE_MARKS = re.compile('[“”"]')


def quoted_spans(text: str, open_to_end: bool = False) -> list[tuple[int, int]]:
    """(opening mark, closing mark) offsets of each outermost double-quoted passage.

    Curly quotes pair by direction; a straight quote opens after a space or bracket and
    closes otherwise. Nested quotes stay inside the outer passage. ``open_to_end``: a
    quotation left open runs to the end of the text (the news convention for a quotation
    that goes on in the next paragraph, which opens with a quote mark again).
    """
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for found in _QUOTE_MARKS.finditer(text):  # only the marks count: jump between them
        i, ch = found.start(), found.group()
        if ch == "“":
            stack.append((ch, i))
        elif ch == "”":
            if len(stack) == 1 and stack[0][0] == '"':  # "mixed marks,” as some pages have
                stack[0] = ("“", stack[0][1])
            while stack and stack[-1][0] != "“":
                stack.pop()
            if stack:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
        elif ch == '"':
            if stack and stack[-1][0] == '"':
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
            elif i == 0 or text[i - 1].isspace() or text[i - 1] in "([{—–-/“‘":
                stack.append((ch, i))
            elif len(stack) == 1 and stack[0][0] == "“" and text[i - 1] in ".,!?…":
                _, start = stack.pop()  # “mixed marks," as some pages have
                spans.append((start, i))
    if open_to_end and stack:
        spans.append((stack[0][1], len(text)))
    return spans


@lru_cache(maxsize=256)  # a paragraph is masked for each of several passes over it
def _mask_quotes(text: str) -> str:
    """``text`` with quoted words blanked (same length), so that their names and verbs
    are not taken for the attribution's."""
    out = list(text)
    for start, end in quoted_spans(text):
        out[start + 1 : end] = " " * (end - start - 1)
    return "".join(out)


def _words(text: str) -> list[str]:
    return WORD.findall(text)


def _last_sentence(text: str) -> tuple[int, int]:
    spans = sentence_spans(text)
    return spans[-1] if spans else (0, len(text))


def _sentence_at(text: str, offset: int) -> tuple[int, int]:
    for start, end in sentence_spans(text):
        if start <= offset < end:
            return start, end
    return 0, len(text)


def _titles(text: str) -> list[tuple[int, int]]:
    """Quoted spans that a "titled" introduces: cited titles, not quotations."""
    # Each span's cue is searched in all the text before it; a paragraph without the
    # cue's words (nearly all) has none to find (every cue word holds one of these).
    if TITLE_WORDS.search(text) is None:
        return []
    return [(a, b) for a, b in quoted_spans(text) if TITLE_CUE.search(text[:a])]


# -- block quotations ------------------------------------------------------------------


def _is_attribution_line(paragraph: Paragraph) -> bool:
    text = paragraph.text.rstrip()
    if paragraph.heading or not text.endswith(":"):
        return False
    start, end = _last_sentence(text)
    return last_speech_verb(_mask_quotes(text[start:end])) is not None


def _introduces(paragraph: Paragraph, has_footer: bool) -> bool:
    """Whether the paragraph before a <blockquote> attributes it: it ends in a colon, or
    (when the blockquote has no footer of its own) its last sentence has a speech verb."""
    if _is_attribution_line(paragraph):
        return True
    start, end = _last_sentence(paragraph.text)
    return not has_footer and last_speech_verb(_mask_quotes(paragraph.text[start:end])) is not None


def _continues_block(block: list[Paragraph], nxt: Paragraph, reportage: bool) -> bool:
    """Whether plain text's next paragraph is still the block quotation.

    By default a block ends with its first paragraph; it goes on only when the next
    paragraph's opening words tie it to the quoted text:
    - it points back ("But even as he was uttering those words ..."), in a report quoted
      from an outlet; after a person's words "He ..." and "Those words ..." are far more
      often the author talking about the speaker, so this does not apply there;
    - it repeats a noun of the paragraph before with "the" ("... 3,000 troops ..." then
      "The troops have been supplied ...");
    - it begins with "And" and shares at least two content words with the block.
    A paragraph that introduces another quotation (an attribution line, or a quotation of
    five words or more of its own) is always the author's narration.
    """
    text = nxt.text
    if nxt.heading or nxt.blockquote is not None or _is_attribution_line(nxt):
        return False
    if any(len(_words(text[a + 1 : b])) >= MIN_INLINE_WORDS for a, b in quoted_spans(text)):
        return False
    words = _words(text)
    lead = list(words)
    while lead and lead[0] in CONNECTIVES:
        lead.pop(0)
    opening = [w.lower() for w in lead[:4]]
    if reportage and any(w in ANAPHORA for w in opening):
        return True
    previous = {w.lower() for w in _words(block[-1].text)}
    if len(opening) > 1 and opening[0] == "the" and opening[1] in previous:
        return True
    if words and words[0] == "And":
        quoted = {w.lower() for p in block for w in _words(p.text)}
        content = {w.lower() for w in words if len(w) >= 4 and w.lower() not in STOPWORDS}
        return len(content & quoted) >= 2
    return False


# -- attribution -----------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    people: People
    base_url: str | None
    # The last person and organisation named so far: who "He added" and "it said" are.
    antecedents: Antecedents = field(default_factory=Antecedents)
    min_words: int = MIN_INLINE_WORDS
    # Who the paragraph before this one named, or how to find out: found only when a
    # quotation of the next paragraph needs it (see _reported_speaker).
    previous: str | Callable[[], str | None] | None = None

    @property
    def previous_speaker(self) -> str | None:
        if callable(self.previous):
            self.previous = self.previous()
        return self.previous


def _resolve(href: str | None, base_url: str | None) -> str | None:
    if not href or href.startswith(("#", "javascript:", "mailto:")):
        return None
    return urljoin(base_url, href) if base_url else href


def _link_in(
    text: str, links: list[Link], start: int, end: int, prefer: tuple[int, int] | None
) -> str | None:
    """The link whose anchor is in [start, end): the one over ``prefer`` if any, else the last
    that is not on a person's name (a profile or an unrelated story, not the source)."""
    inside = [ln for ln in links if ln.start < end and ln.end > start]
    if prefer is not None:
        for ln in inside:
            if ln.start < prefer[1] and ln.end > prefer[0]:
                return ln.href
    kept = [ln for ln in inside if not _is_a_name(text[ln.start : ln.end])]
    return kept[-1].href if kept else None


def _is_a_name(anchor: str) -> bool:
    """Whether a link's words are just a person's name ("John Kirby", "Kirby’s")."""
    runs = name_runs(anchor)
    return (
        len(runs) == 1
        and looks_like_person(runs[0])
        and not anchor[: runs[0].start].strip(' ‘“"')
        and not anchor[runs[0].end :].strip(' ’”".,;:s')
    )


def _attribute_block(intro: Paragraph | None, ctx: _Context) -> dict[str, Any]:
    """Speaker, outlet, title and link named in the sentence that introduces a block."""
    if intro is None:
        return {}
    start, end = _last_sentence(intro.text.rstrip())
    sentence = intro.text[start:end]
    masked = _mask_quotes(sentence)
    verb = last_speech_verb(masked)
    clause = masked[: verb.start()] if verb else masked
    before = _mask_quotes(intro.text[:start]) + clause
    speaker, _ = speaker_of(clause, ctx.people, ctx.antecedents.later(before, ctx.people))
    named = outlet_named_in(masked)
    titles = _titles(sentence)
    title = sentence[titles[0][0] + 1 : titles[0][1]].strip() if titles else None
    prefer = (start + named[1], start + named[2]) if named else None
    if titles:
        prefer = (start + titles[0][0], start + titles[0][1])
    href = _link_in(intro.text, intro.links, start, end, prefer)
    return {
        "speaker": speaker,
        "outlet": named[0] if named else None,
        "title": title,
        "url": _resolve(href, ctx.base_url),
        "attribution": sentence,
    }


def _first_link(block: list[Paragraph]) -> str | None:
    return next((ln.href for p in block for ln in p.links), None)


def _make_block(
    block: list[Paragraph], index: int, intro: Paragraph | None, ctx: _Context, footer: str | None
) -> dict[str, Any]:
    found = _attribute_block(intro, ctx)
    if not found.get("speaker") and not found.get("outlet") and footer:
        found = _attribute_block(Paragraph(footer.lstrip("—–-― ") + " said:"), ctx)
        found["attribution"] = footer
    # The blockquote's cite="" says where it is from; else the link in its introduction;
    # a link inside the quoted words is the source's own link, the last resort.
    href = block[0].cite or (None if found.get("url") else _first_link(block))
    if href:
        found["url"] = _resolve(href, ctx.base_url)
    text = "\n".join(p.text for p in block)
    return {"text": text, "kind": "block", "paragraph": index, "start": 0, **found}


def _inline_speaker(pre: str, post: str, ctx: _Context, ants: Antecedents) -> str | None:
    """Who an inline quotation is attributed to, from its sentence before and after it.

    ``ants``: who a pronoun or a description means at the quotation's place.
    """
    verb = last_speech_verb(pre)
    if verb:
        return speaker_of(pre[: verb.start()], ctx.people, ants)[0]
    after = SPEECH_VERB.search(post)
    if after and len(_words(post[: after.start()])) <= 4:  # "..., said Kirby" / "Kirby said"
        before = post[: after.start()]
        if _words(before):
            return speaker_of(before, ctx.people, ants)[0]
        return speaker_after(post[after.end() :], ctx.people, ants)
    if after:  # "..., Steve Clarke, deputy administrator at NASA, said."
        candidates = subject_candidates(post[: after.start()], ctx.people, verb_follows=True)
        if candidates and len(_words(post[: candidates[0].start])) == 0:
            return ctx.people.full(candidates[0].text)
        # “...” to hold up on their plans, Indyk said: the name just before the verb.
        if candidates and ADVERB_GAP.match(post[candidates[-1].end : after.start()]):
            return ctx.people.full(candidates[-1].text)
    # No speech verb: the sentence's subject ("Medvedev is hoping for ... that “...”").
    candidates = subject_candidates(pre, ctx.people)
    if candidates:
        return ctx.people.full(candidates[-1].text)
    pronoun = re.match(r"\s*(He|She|They)\b", pre)
    return ants.pronoun(pronoun.group(1)) if pronoun else None


def _inline_quotes(
    paragraph: Paragraph, index: int, ctx: _Context, nxt: Paragraph | None
) -> list[dict[str, Any]]:
    text = paragraph.text
    masked = _mask_quotes(text)
    titles = _titles(text)
    found = []
    bare: list[bool] = []  # the quotation is its sentence's only words: no attribution
    # The last person this paragraph named before it, asked only for a quotation that
    # stands alone in its sentence after no other speaker (a quarter of a source's walk
    # when found for every quotation). Nothing that they read changes before it is
    # asked: ``ctx.people`` and ``ctx.antecedents`` move on between paragraphs.
    local: list[Callable[[], str | None]] = []
    goes_on = nxt is not None and nxt.text[:1] in '“"' and nxt.blockquote is None
    for a, b in quoted_spans(text, open_to_end=goes_on):
        inner = text[a + 1 : b]
        quoted = inner.strip().rstrip(",;:").strip()  # "...," said Kirby: not his comma
        if (a, b) in titles or len(_words(quoted)) < ctx.min_words:
            continue
        whole = not text[:a].strip() and not text[b + 1 :].strip(" .,")
        s0, s1 = _sentence_at(text, a)
        sentence = text[s0:s1]
        pre, post = _mask_quotes(text[s0:a]), _mask_quotes(text[b + 1 : s1])
        named = outlet_named_in(pre) or outlet_named_in(post)
        title = next((text[x + 1 : y].strip() for x, y in titles if s0 <= x < s1), None)
        href = _link_in(text, paragraph.links, s0, s1, (a, b + 1))
        bare.append(
            not _title_case(quoted)
            and not _words(pre)
            and (not _words(post) or _ends_inside(quoted, post))
        )
        ants = ctx.antecedents.later(masked, ctx.people, a)
        local.append(partial(_named_before, masked, a, ctx))
        found.append(
            {
                "text": quoted,
                "kind": "inline",
                # A paragraph that is all quotation carries on the speaker of the one before.
                "speaker": None
                if _title_case(quoted)
                else _inline_speaker(pre, post, ctx, ants)
                or (ctx.previous_speaker if whole else None),
                "outlet": named[0] if named else None,
                "title": title,
                "url": _resolve(href, ctx.base_url),
                "paragraph": index,
                "start": a + 1 + len(inner) - len(inner.lstrip()),
                "attribution": sentence,
            }
        )
    opens = not text[:1].isalnum()
    _carry_speakers(found, bare, lambda: ctx.previous_speaker if opens else None, local)
    return found


def _title_case(quoted: str) -> bool:
    """“Takin’ It to the Streets”, “A Paradise Built in Hell”: a title, no one's words."""
    words = [w for w in _words(quoted) if len(w) > 3 and w not in STOPWORDS]
    return (
        len(words) >= 2 and all(w[0].isupper() for w in words) and quoted.rstrip()[-1:] not in ".!?"
    )


def _ends_inside(quoted: str, post: str) -> bool:
    """“... or not.” But either way, ...: the sentence ended inside the quotation marks, and
    what follows is the next sentence, not the quotation's attribution."""
    lead = post.lstrip()
    return (
        quoted.rstrip()[-1:] in ".!?"
        and lead[:1].isupper()
        and SPEECH_VERB.search(" ".join(_words(lead)[:4])) is None
    )


def _named_before(masked: str, at: int, ctx: _Context) -> str | None:
    """The last person the paragraph named before a quotation (at ``at``)."""
    return _last_said(masked, at, ctx) or Antecedents().after(masked, ctx.people, at).person


def _last_said(masked: str, at: int, ctx: _Context) -> str | None:
    """Who the paragraph's last sentence with a speech verb before a quotation (at ``at``
    in the masked paragraph) names ("“It’s a different muscle,” York said. “You have to
    ...”")."""
    before = masked[:at]
    for s0, s1 in reversed(sentence_spans(before)):
        verb = last_speech_verb(before[s0:s1])
        if verb is not None:
            clause = before[s0 : s0 + verb.start()]
            return speaker_of(clause, ctx.people, ctx.antecedents.later(masked, ctx.people, s0))[0]
    return None


def _carry_speakers(
    found: list[dict[str, Any]],
    bare: list[bool],
    before: Callable[[], str | None],
    local: list[Callable[[], str | None]],
) -> None:
    """A quotation that stands alone in its sentence (“...,” says Werner. “...”) is the
    speaker's of the paragraph's quotation before it; the first, of the paragraph before
    when the paragraph opens with it, of the person the paragraph just named ("Schultze
    summed it up with a metaphor. “...”"), or of the quotation after it."""
    for k, draft in enumerate(found):
        if draft["speaker"] or not bare[k]:
            continue
        earlier = [d["speaker"] for d in found[:k] if d["speaker"]]
        later = [d["speaker"] for d in found[k + 1 :] if d["speaker"]]
        if earlier:
            draft["speaker"] = earlier[-1]
        elif k == 0 and (speaker := before()):
            draft["speaker"] = speaker
        elif named := local[k]():
            draft["speaker"] = named
        elif later:
            draft["speaker"] = later[0]


def _reported_speaker(paragraph: Paragraph, ctx: _Context) -> str | Callable[[], str | None] | None:
    """Who a paragraph of reported speech is about ("However, he defended his decision"):
    a quotation that makes up the next paragraph is theirs.

    The speaker is found when a quotation of the next paragraph asks (most paragraphs
    are followed by none that does), from who had been named so far, as then."""
    if paragraph.heading:
        return None
    masked = _mask_quotes(paragraph.text)
    for start, end in reversed(sentence_spans(masked)):
        verb = last_speech_verb(masked[start:end])
        if verb is not None:
            break
    else:
        return None
    clause = masked[start : start + verb.start()]
    people, named = (
        ctx.people.copy(),
        Antecedents(ctx.antecedents.person, ctx.antecedents.organisation),
    )
    return lambda: speaker_of(clause, people, named.later(masked, people, start))[0]


# -- the walk through the article ---------------------------------------------------------


def _find(
    paragraphs: list[Paragraph],
    base_url: str | None,
    footers: dict[int, str],
    min_words: int = MIN_INLINE_WORDS,
) -> list[Quotation]:
    return [q for _, found in walk_quotes(paragraphs, base_url, footers, min_words) for q in found]


def walk_quotes(
    paragraphs: list[Paragraph],
    base_url: str | None = None,
    footers: dict[int, str] | None = None,
    min_words: int = MIN_INLINE_WORDS,
) -> Iterator[tuple[int, list[Quotation]]]:
    """The walk through the article, step by step: after each step, the index of the
    next paragraph to read and the quotations found in the step (in article order).

    The walk reads only what comes before (and the paragraph after): a caller that needs
    the quotations up to one paragraph stops there and has the same ones, with the same
    positions, as the whole walk gives (the speaker check reads a long source so)."""
    footers = footers or {}
    ctx = _Context(People(), base_url, min_words=min_words)
    marked = any(p.blockquote is not None for p in paragraphs)
    drafts: list[dict[str, Any]] = []
    given = 0

    def step(i: int) -> tuple[int, list[Quotation]]:
        nonlocal given
        found = [Quotation(position=given + n, **_capped(d)) for n, d in enumerate(drafts)]
        given += len(drafts)
        drafts.clear()
        return i, found

    def add(draft: dict[str, Any]) -> None:
        if not draft.get("outlet"):
            draft["outlet"] = outlet_for_url(draft.get("url"))
        drafts.append(draft)
        # A block's footer ("— John Kirby") names someone the narration may not have.
        speaker = draft.get("speaker")
        if draft["kind"] == "block" and speaker and speaker != ctx.antecedents.organisation:
            ctx.antecedents.person = speaker

    i = 0
    while i < len(paragraphs):
        paragraph = paragraphs[i]
        if paragraph.blockquote is not None:
            j = i
            while j + 1 < len(paragraphs) and paragraphs[j + 1].blockquote == paragraph.blockquote:
                j += 1
            before = paragraphs[i - 1] if i else None
            intro = before if before and before.blockquote is None and not before.heading else None
            if intro and not _introduces(intro, paragraph.blockquote in footers):
                intro = None
            add(
                _make_block(paragraphs[i : j + 1], i, intro, ctx, footers.get(paragraph.blockquote))
            )
            i = j + 1
            yield step(i)
            continue
        # Names are learnt from the author's own words only (a block's are quoted), so
        # that a page's HTML and its plain text resolve surnames alike; not from headings
        # ("Republicans Are Following Trump" is no one's name).
        if not paragraph.heading:
            ctx.people.learn(_mask_quotes(paragraph.text))
        nxt = paragraphs[i + 1] if i + 1 < len(paragraphs) else None
        inline = _inline_quotes(paragraph, i, ctx, nxt)
        for draft in inline:
            add(draft)
        opening: dict[str, Any] = (
            _attribute_block(paragraph, ctx) if _is_attribution_line(paragraph) else {}
        )
        speakers = [d["speaker"] for d in inline if d.get("speaker")]
        ctx.previous = (
            opening.get("speaker")
            or (speakers[-1] if speakers else None)
            or (None if inline else _reported_speaker(paragraph, ctx))
        )
        if not paragraph.heading:
            ctx.antecedents.seen(_mask_quotes(paragraph.text), ctx.people)
        if (
            not marked
            and nxt is not None
            # Plain text has no markup to confirm a block: its intro must name who said it.
            and (opening.get("speaker") or opening.get("outlet"))
            and not _is_attribution_line(nxt)
            and not nxt.heading
        ):
            reportage = opening.get("speaker") is None
            j = i + 1
            while j + 1 < len(paragraphs) and _continues_block(
                paragraphs[i + 1 : j + 1], paragraphs[j + 1], reportage
            ):
                j += 1
            add(_make_block(paragraphs[i + 1 : j + 1], i + 1, paragraph, ctx, None))
            i = j + 1
            yield step(i)
            continue
        i += 1
        yield step(i)


def _capped(draft: dict[str, Any]) -> dict[str, Any]:
    """A quotation longer than MAX_QUOTE_CHARS is kept, marked and cut (not verified).

    It stays in the list, so the article's quotations keep their positions and a reader
    sees it; ``too_long`` marks it, and the text is cut one character past the limit
    so that storing it costs little and every later check still sees it is too long.
    """
    if too_long(draft["text"]):
        return {**draft, "text": draft["text"][:MAX_QUOTE_CHARS] + "…", "too_long": True}
    return draft
