"""The labelled-quote generator's own guarantees (bench/make_cases.py and friends).

A bench that mislabels a case trains the engine the wrong way, so the properties
the labels rest on are tested here, on the original articles under tests/data.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from bench.corpus import EvalPage, fold, fold_map, load_pages, split_sentences
from bench.make_cases import PageSource, generate
from bench.mutations import EDITS, Page, misordered, spliced

PAGES = Path(__file__).parent / "data" / "labelled" / "pages"


@pytest.fixture(scope="module")
def sources() -> list[PageSource]:
    return [PageSource(p) for p in load_pages(PAGES)]


def test_fold_map_points_back_at_the_original_characters() -> None:
    text = "“Café—ﬁne”\u00a0 Ünïcode’s   TEST"
    key, index = fold_map(text)
    assert key == "'cafe-fine'unicode'stest"
    assert len(index) == len(key)
    assert text[index[key.index("u")]] == "Ü"
    assert all(0 <= i < len(text) for i in index)


def test_sentences_do_not_end_at_abbreviations_or_initials() -> None:
    para = "Mr. Smith met J. K. Rowling in the U.S. on Monday. Then he left! Why?"
    assert split_sentences(para) == [
        "Mr. Smith met J. K. Rowling in the U.S. on Monday.",
        "Then he left!",
        "Why?",
    ]


def test_presence_needs_word_boundaries(tmp_path: Path) -> None:
    folder = tmp_path / "p"
    folder.mkdir()
    (folder / "meta.json").write_text('{"truth_complete": true, "language": "en"}')
    (folder / "truth.txt").write_text("George Osborne said the plan would help families.\n")
    (folder / "source.html").write_text(
        "<html><body><span>Image caption</span>George Osborne said the plan would"
        " help families.<p>The council met on Tuesday.</p></body></html>"
    )
    src = PageSource(load_pages(tmp_path)[0])
    assert not src.present("George Osborne said the plan")  # on the page as "captionGeorge"
    assert src.present("Osborne said the plan would help families.")
    assert src.present("the  council  MET on tuesday")
    assert src.in_order(["Osborne said", "The council met"])
    assert not src.in_order(["The council met", "Osborne said"])


@pytest.mark.parametrize("kind", sorted(EDITS))
def test_every_edit_changes_the_words_inside_the_quote(
    kind: str, sources: list[PageSource]
) -> None:
    made = 0
    for seed in range(40):
        src = sources[seed % len(sources)]
        page = Page(src.vocabulary, src.english, src.page.spaced, frozenset(src.vocabulary))
        rng = random.Random(seed)
        text = rng.choice(src.good).text
        result = EDITS[kind](text, page, rng)
        if result is None:
            continue
        made += 1
        changed, _ = result
        assert fold(changed, keep_punct=False) != fold(text, keep_punct=False)
        if kind in ("word_omitted", "word_inserted"):
            # never the first or last two words: that would only shorten a genuine quote
            assert changed.split()[:2] == text.split()[:2]
            assert changed.split()[-2:] == text.split()[-2:]
    assert made >= 5


def test_splices_and_misorderings_are_not_on_the_page(sources: list[PageSource]) -> None:
    for seed in range(30):
        src = sources[seed % len(sources)]
        quote, _ = spliced(src, random.Random(seed))
        assert src.absent(quote)
        quote, _ = misordered(src, random.Random(seed))
        first, second = quote.split(" … ") if " … " in quote else (None, None)
        if first:
            assert not src.in_order([first, second])


def test_generation_is_deterministic_and_labelled(sources: list[PageSource]) -> None:
    pages: list[EvalPage] = load_pages(PAGES)
    first = generate(pages, per_kind=3, seed=1)
    assert first == generate(pages, per_kind=3, seed=1)
    assert first != generate(pages, per_kind=3, seed=2)
    by_id = {c["id"] for c in first}
    assert len(by_id) == len(first)
    for case in first:
        assert case["expect"] in ("verified", "not_verified")
        assert ("variant" in case) == (case["expect"] == "verified")
        src = next(s for s in sources if s.page.name == case["page"])
        if case["expect"] == "verified" and case["kind"] in ("verbatim", "multi_sentence"):
            assert src.present(case["quote"])
