"""The scans that intake and the speaker check run on every paragraph jump from one quote
mark or sentence end to the next (and are memoised); these references visit every
character, as the first versions did. Both must agree on any text."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from verify.attribution import ABBREVIATIONS, sentence_spans
from verify.intake import quoted_spans

TEXTS = st.text(alphabet='ab AB.!?“”"’‘«»)( \n\tProf.Mr.J3_éÉ', max_size=60)


def sentence_spans_reference(text: str) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    start, depth, i = 0, 0, 0
    while i < len(text):
        ch = text[i]
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
        elif ch == '"':
            depth = 0 if depth else 1
        elif ch in ".!?" and depth == 0:
            j = i + 1
            while j < len(text) and text[j] in '”"’»)':
                j += 1
            word = re.search(r"([\w.]+)$", text[start:i])
            prev = word.group(1) if word else ""
            initial = len(prev) == 1 and prev.isupper()
            if (
                j < len(text)
                and text[j].isspace()
                and not (ch == "." and (prev in ABBREVIATIONS or initial))
            ):
                k = j
                while k < len(text) and text[k].isspace():
                    k += 1
                if k < len(text) and (text[k].isupper() or text[k] in '“"‘«'):
                    spans.append((start, j))
                    start, i = k, k
                    continue
        i += 1
    if text[start:].strip():
        spans.append((start, len(text.rstrip())))
    return tuple(spans)


def quoted_spans_reference(text: str, open_to_end: bool) -> tuple[tuple[int, int], ...]:
    spans: list[tuple[int, int]] = []
    stack: list[tuple[str, int]] = []
    for i, ch in enumerate(text):
        if ch == "“":
            stack.append((ch, i))
        elif ch == "”":
            if len(stack) == 1 and stack[0][0] == '"':
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
                _, start = stack.pop()
                spans.append((start, i))
    if open_to_end and stack:
        spans.append((stack[0][1], len(text)))
    return tuple(spans)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_sentence_spans_agree_with_a_scan_of_every_character(text: str) -> None:
    assert tuple(sentence_spans(text)) == sentence_spans_reference(text)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.booleans())
def test_quoted_spans_agree_with_a_scan_of_every_character(text: str, open_to_end: bool) -> None:
    assert tuple(quoted_spans(text, open_to_end)) == quoted_spans_reference(text, open_to_end)


def test_known_sentences_and_quotations() -> None:
    # A full stop inside a quotation ends no sentence of the narration.
    text = 'Prof. Lee said “It is over. We won.” Then he left. "Yes," she said.'
    assert [text[a:b] for a, b in sentence_spans(text)] == [
        "Prof. Lee said “It is over. We won.” Then he left.",
        '"Yes," she said.',
    ]
    assert [text[a : b + 1] for a, b in quoted_spans(text)] == ["“It is over. We won.”", '"Yes,"']
