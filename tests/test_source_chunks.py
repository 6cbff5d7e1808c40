"""A source text is tokenised in chunks cut at whitespace (verify/source.py), so that a
word's span is found without reading the whole page: how long the chunks are must not
change any word or span. (The chunks went from 4,096 characters to 1,024: a check reads
the spans of one or two chunks, and that was a sixth of its cost.)"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify import source
from verify.source import SourceText

TEXTS = st.text(
    alphabet="ab Z9.,'’-\u00a0\t\n中文한국\u0301\u200b\u00ad%$€ ",
    max_size=80,
)


def words_and_spans(text: str) -> tuple[list[str], list[tuple[int, int]]]:
    prepared = SourceText(text)
    return prepared.words, [prepared.span(k) for k in range(len(prepared))]


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from([1, 3, 8, 16]))
def test_chunk_length_changes_no_word_and_no_span(text: str, chunk: int) -> None:
    whole = words_and_spans(text)  # one chunk: the text is far shorter than one
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(source, "_CHUNK_CHARS", chunk)
        assert words_and_spans(text) == whole
