"""Build a labelled quote set from the evaluation pages (deterministic for a seed).

    python bench/make_cases.py [--pages DIR] [--out FILE] [--per-kind N] [--seed S]

Reads each page's truth.txt (the page's real body text) and source.html (to make
sure a genuine passage is really on the page, and a mutated one really is not),
and writes one JSON object a line: ``id``, ``page``, ``kind``, ``quote``,
``expect`` (``verified`` or ``not_verified``), ``expect_status`` where it is clear,
and ``variant`` (genuine) or ``mutation`` (what was changed). Page text is
publishers' text: the output goes to ``bench/data/`` (git-ignored), never to git.

Exit codes: 0 written, 2 bad arguments or no usable pages.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH

from bench.corpus import DEFAULT_PAGES, REPO, EvalPage, fold, fold_map, good_sentence, load_pages
from bench.corpus import split_sentences as split
from bench.genuine import CONVENTION_MARKS, GENUINE, SENTENCE_END, Sentence, Source
from bench.mutations import EDITS, Page, lexicon, misordered, mutate, spliced, vocabulary

KINDS = [*GENUINE, *EDITS, "spliced", "misordered", "other_page"]
SEED = 20261126


class PageSource(Source):
    """A :class:`Source` built from one evaluation page, with its folded keys."""

    def __init__(self, page: EvalPage) -> None:
        sentences: list[Sentence] = []
        for p, para in enumerate(page.paragraphs):
            for text in split(para, page.spaced):
                sentences.append(Sentence(p, len(sentences), text))
        visible = page.visible()
        self.page = page
        self.visible = visible
        self.key, self.index = fold_map(visible)
        self.loose_key = (
            fold(visible, keep_punct=False)
            + "|"
            + fold("\n".join(page.paragraphs), keep_punct=False)
        )
        words = [fold(w, keep_punct=False) for w in visible.split()]
        words = [w for w in words if w]
        self.grams = {tuple(words[i : i + 4]) for i in range(len(words) - 3)}
        good = [
            s
            for s in sentences
            if good_sentence(s.text, page.spaced)
            and not CONVENTION_MARKS.search(s.text)
            and (SENTENCE_END.search(s.text) or not page.complete)
            and self.present(s.text)
        ]
        names = sorted(
            set(
                re.findall(r"(?<=[a-z,] )([A-Z][a-z]+(?: [A-Z][a-z]+)+)", " ".join(page.paragraphs))
            )
        )
        super().__init__(
            sentences, good, names, page.spaced, self.present, self.in_order, self.gap,
            page.complete,
        )  # fmt: skip
        self.english = page.english
        self.prose = " ".join(page.paragraphs)
        self.vocabulary = vocabulary(self)

    def _find(self, passage: str, start: int = 0) -> int:
        """End of the first occurrence at or after ``start`` in the key, or -1.

        An occurrence counts only on word boundaries of the page's own text: "George"
        is not on a page that says "captionGeorge".
        """
        key = fold(passage)
        if not key:
            return -1
        text = passage.strip()
        at = self.key.find(key, start)
        while at >= 0:
            end = at + len(key)
            first, last = self.index[at], self.index[end - 1]
            starts_clean = not (
                text[0].isalnum() and first > 0 and self.visible[first - 1].isalnum()
            )
            ends_clean = not (
                text[-1].isalnum()
                and last + 1 < len(self.visible)
                and self.visible[last + 1].isalnum()
            )
            if not self.page.spaced or (starts_clean and ends_clean):
                return end
            at = self.key.find(key, at + 1)
        return -1

    def present(self, passage: str) -> bool:
        return self._find(passage) >= 0

    def in_order(self, passages: list[str]) -> bool:
        at = 0
        for passage in passages:
            at = self._find(passage, at)
            if at < 0:
                return False
        return True

    def gap(self, first: str, second: str) -> int | None:
        """Folded characters of page text between ``first`` and the next ``second``."""
        end = self._find(first)
        if end < 0:
            return None
        after = self._find(second, end)
        return None if after < 0 else after - len(fold(second)) - end

    def absent(self, quote: str) -> bool:
        """Letters and digits only: a mutation must not survive even that much folding."""
        return fold(quote, keep_punct=False) not in self.loose_key

    def shares_phrase(self, sentence: str) -> bool:
        words = [fold(w, keep_punct=False) for w in sentence.split()]
        words = [w for w in words if w]
        return any(tuple(words[i : i + 4]) in self.grams for i in range(len(words) - 3))


def other_page(
    src: PageSource, sources: list[PageSource], rng: random.Random
) -> tuple[str, str] | None:
    """A sentence from another page sharing no four-word phrase with this one.

    Mostly another outlet's; sometimes the same outlet's, whose house style and
    furniture make it a closer neighbour.
    """
    outlet = src.page.meta.get("outlet")
    same = [o for o in sources if o is not src and o.page.meta.get("outlet") == outlet and o.good]
    for _ in range(20):
        other = rng.choice(same if same and rng.random() < 0.3 else sources)
        if other is src or not other.good:
            continue
        s = rng.choice(other.good)
        if src.absent(s.text) and not src.shares_phrase(s.text):
            return s.text, f"sentence from {other.page.name}"
    return None


def make_one(
    kind: str,
    src: PageSource,
    sources: list[PageSource],
    rng: random.Random,
    words: frozenset[str] = frozenset(),
) -> dict | None:
    case: dict = {"page": src.page.name, "kind": kind}
    if kind in GENUINE:
        made = GENUINE[kind](src, rng)
        if made is None or not any(ch.isalnum() for ch in made[0]):
            return None
        return {**case, "quote": made[0], "expect": "verified", "expect_status": "verified",
                "variant": made[1]}  # fmt: skip
    if kind in EDITS:
        lexicon_ = words if src.english else frozenset(src.vocabulary)
        page = Page(
            src.vocabulary, src.english, src.page.spaced, lexicon_, tuple(src.names), src.prose
        )
        mutated = mutate(kind, src, page, rng)
        if mutated is None:
            return None
        quote, changed, what = mutated
        case["expect_status"] = "altered"
    else:
        if kind == "other_page":
            made = other_page(src, sources, rng)
            case["expect_status"] = "not_found"
        else:
            made = spliced(src, rng) if kind == "spliced" else misordered(src, rng)
            if kind == "misordered":  # every piece is on the page: altered, flagged order
                case["expect_status"] = "altered"
        if made is None:
            return None
        quote, what = made
        changed = quote
    # A misordered quote's passages are each on the page (only their order is wrong,
    # which misordered() checked); any other mutation must be absent from it.
    if kind != "misordered" and not src.absent(changed):
        return None  # the "mutation" happens to be on the page too: not a mutation
    return {**case, "quote": quote, "expect": "not_verified", "mutation": what}


def generate(pages: list[EvalPage], per_kind: int, seed: int) -> list[dict]:
    sources = [PageSource(p) for p in pages]
    sources = [s for s in sources if s.good]
    words = lexicon([s for s in sources if s.english])  # real English words, for near misses
    order = list(range(len(sources)))
    random.Random(seed).shuffle(order)
    cases: list[dict] = []
    seen: set[tuple[str, str]] = set()
    for k, kind in enumerate(KINDS):
        made = 0
        # Each kind starts at a different page, so every page gets its share of kinds.
        start = (k * len(order)) // len(KINDS)
        for attempt in range(3 * len(order)):
            if made >= per_kind:
                break
            src = sources[order[(start + attempt) % len(order)]]
            rng = random.Random(f"{seed}:{kind}:{src.page.name}:{attempt // len(order)}")
            case = make_one(kind, src, sources, rng, words)
            if case is None or (case["page"], case["quote"]) in seen:
                continue
            seen.add((case["page"], case["quote"]))
            made += 1
            cases.append({"id": f"{kind}-{made:03d}", **case})
    cases.sort(key=lambda c: (c["page"], c["id"]))
    return cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "data" / "cases.jsonl")
    parser.add_argument("--per-kind", type=int, default=69, help="cases per kind (default 69)")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    if not args.pages.is_dir():
        print(f"make_cases: no pages folder at {args.pages}", file=sys.stderr)
        return 2
    pages = load_pages(args.pages)
    if not pages:
        print(f"make_cases: no page folders with truth.txt under {args.pages}", file=sys.stderr)
        return 2
    cases = generate(pages, args.per_kind, args.seed)
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        with args.out.open("w", encoding="utf-8") as out:
            for case in cases:
                out.write(json.dumps(case, ensure_ascii=False) + "\n")
    except OSError as exc:
        print(f"make_cases: cannot write {args.out}: {exc.strerror}", file=sys.stderr)
        return 2
    kinds: dict[str, int] = {}
    for case in cases:
        kinds[case["kind"]] = kinds.get(case["kind"], 0) + 1
    used = len({c["page"] for c in cases})
    print(f"{len(cases)} cases over {used} pages -> {args.out}", file=sys.stderr)
    print("  " + ", ".join(f"{k} {n}" for k, n in kinds.items()), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
