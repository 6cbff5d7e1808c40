"""Speakers: who intake says spoke each quotation, and the speaker check against a source.

    python bench/speakers.py [--pages DIR] [--labels FILE] [--show N]

Prints two groups of figures, each over the evaluation pages (read at run time, never
committed) and over the original articles of ``tests/data/speakers`` (which the eval gate
pins):

- intake: for quotations a reader can name a speaker for (hand labels by page and name
  only, ``bench/speaker_labels.tsv``; ``tests/data/speakers/labels.tsv``), how often the
  speaker intake gives is right, wrong, or missing; and how often it names someone for
  a quotation nobody can name (``spurious``);
- speaker check: passages the source attributes clearly (quotation marks, a speech verb
  and a named speaker right by them, found with a regular expression independent of
  intake's rules), checked with the right speaker (``same`` wanted), with another person
  named in the same article (``different`` wanted, ``same`` never) and with no speaker
  (``unknown`` wanted, never a verdict about a claim nobody made).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))

from bench.corpus import DEFAULT_PAGES, REPO, decode_html
from verify.attribution import LEADING_STOP, TITLES, looks_like_person, name_runs
from verify.intake import Quotation, find_quotes_in_html
from verify.speaker import check_speaker, same_speaker

EVAL_LABELS = REPO / "bench" / "speaker_labels.tsv"
ORIGINAL = REPO / "tests" / "data"
ORIGINAL_LABELS = ORIGINAL / "speakers" / "labels.tsv"


@dataclass(frozen=True, slots=True)
class Label:
    page: str  # folder, relative to the pages directory
    key: str  # the quotation's first words, or sha1(text)[:10]
    speaker: str | None  # None: no speaker a reader can name


def read_labels(path: Path) -> list[Label]:
    labels = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        page, key, speaker = line.split("\t")
        labels.append(Label(page, key, None if speaker == "-" else speaker))
    return labels


def quote_key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:10]


def _matches(q: Quotation, key: str) -> bool:
    return q.text.startswith(key) or quote_key(q.text) == key


def _page_quotes(folder: Path) -> list[Quotation]:
    meta_file = folder / "meta.json"
    meta = json.loads(meta_file.read_text(encoding="utf-8")) if meta_file.exists() else {}
    html = decode_html((folder / "source.html").read_bytes())
    return find_quotes_in_html(html, meta.get("url"))


def intake_figures(labels: list[Label], pages: Path, show: int = 0) -> Counter[str]:
    """right / wrong / none for labelled speakers; spurious / silent for the unnamed."""
    tally: Counter[str] = Counter()
    cache: dict[str, list[Quotation]] = {}
    for label in labels:
        if label.page not in cache:
            cache[label.page] = _page_quotes(pages / label.page)
        found = next((q for q in cache[label.page] if _matches(q, label.key)), None)
        if found is None:
            tally["missing"] += 1  # intake no longer finds that quotation at all
            if show:
                print(f"  missing: {label.page} {label.key}")
            continue
        if label.speaker is None:
            tally["spurious" if found.speaker else "silent"] += 1
            if found.speaker and show:
                print(f"  spurious: {label.page} {label.key}: {found.speaker!r}")
        elif found.speaker is None:
            tally["none"] += 1
        elif same_speaker(label.speaker, found.speaker):
            tally["right"] += 1
        else:
            tally["wrong"] += 1
            if show:
                print(f"  wrong: {label.page} {label.key}: {found.speaker!r} for {label.speaker!r}")
        tally["labelled" if label.speaker else "unnamed"] += 1
    return tally


# -- the speaker check on clearly attributed passages --------------------------------------

_NAME = r"(?:[A-Z][\w’'\-]+|[A-Z]\.)(?: (?:[A-Z][\w’'\-]+|[A-Z]\.|de|van|von|al)){0,3}"
_VERB = r"(?:said|says|added|explained|told [a-z]+)"
# “...,” said Jane Roe / “...,” Jane Roe said. Independent of intake's rules on purpose.
CLEAR = re.compile(
    r"[“\"](?P<quote>[^“”\"]{30,}?)[,.?!]?[”\"],? "
    rf"(?:{_VERB} (?P<after>{_NAME})|(?P<before>{_NAME}) {_VERB}\b)"
)


def _person(name: str) -> str | None:
    words = [w for w in name.split() if w.rstrip(".") not in TITLES]
    if not words or words[0] in LEADING_STOP or len(words[-1].rstrip(".")) < 2:
        return None
    runs = name_runs(" ".join(words))
    return runs[0].text if len(runs) == 1 and looks_like_person(runs[0]) else None


@dataclass(frozen=True, slots=True)
class Passage:
    start: int
    end: int
    speaker: str
    other: str | None  # another person the same article names


def clear_passages(text: str) -> Iterator[Passage]:
    named = []
    for run in name_runs(text):
        if len(run.text.split()) >= 2 and looks_like_person(run) and run.text not in named:
            named.append(run.text)
    for found in CLEAR.finditer(text):
        speaker = _person(found.group("after") or found.group("before"))
        if speaker is None:
            continue
        others = [n for n in named if not same_speaker(speaker, n)]
        other = others[0] if others else None
        yield Passage(found.start("quote"), found.end("quote"), speaker, other)


def check_figures(texts: Iterator[tuple[str, str]], show: int = 0) -> Counter[str]:
    tally: Counter[str] = Counter()
    for name, text in texts:
        for p in clear_passages(text):
            right = check_speaker(text, p.start, p.end, p.speaker)
            tally["passages"] += 1
            tally[f"right_{right.status}"] += 1
            if right.status != "same" and show:
                print(f"  right not same: {name} {p.speaker!r}: {right}")
            if p.other:
                wrong = check_speaker(text, p.start, p.end, p.other)
                tally["others"] += 1
                tally[f"other_{wrong.status}"] += 1
                if wrong.status != "different" and show:
                    print(f"  other not different: {name} {p.other!r}: {wrong}")
            none = check_speaker(text, p.start, p.end, None)
            tally[f"none_{none.status}"] += 1
    return tally


def eval_texts(pages: Path) -> Iterator[tuple[str, str]]:
    """Each English evaluation page's full body text (its ground truth)."""
    for folder in sorted(pages.iterdir()):
        meta_file = folder / "meta.json"
        if not meta_file.exists():
            continue
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        if meta.get("truth_complete") and str(meta.get("language", "")).startswith("en"):
            yield folder.name, (folder / "truth.txt").read_text(encoding="utf-8")


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:5.1f}%" if whole else "    -"


def coverage(pages: Path) -> Counter[str]:
    """Over every English evaluation page: quotations found, and how many name a speaker
    (unlabelled: context for the labelled figures, not a score)."""
    tally: Counter[str] = Counter()
    for folder in sorted(pages.iterdir()):
        meta_file = folder / "meta.json"
        if not meta_file.exists():
            continue
        if not str(
            json.loads(meta_file.read_text(encoding="utf-8")).get("language", "")
        ).startswith("en"):
            continue
        for q in _page_quotes(folder):
            tally["quotations"] += 1
            tally["with_speaker"] += q.speaker is not None
    return tally


def print_intake(title: str, t: Counter[str]) -> None:
    n = t["labelled"]
    print(
        f"{title}: {n} quotations with a speaker a reader can name: right {t['right']} "
        f"({_pct(t['right'], n)}), wrong {t['wrong']} ({_pct(t['wrong'], n)}), none "
        f"{t['none']} ({_pct(t['none'], n)}); {t['unnamed']} with none: spurious "
        f"{t['spurious']}; labelled quotations not found {t['missing']}"
    )


def print_check(title: str, t: Counter[str]) -> None:
    n, o = t["passages"], t["others"]
    print(
        f"{title}: {n} clearly attributed passages: right speaker -> same {t['right_same']} "
        f"({_pct(t['right_same'], n)}); another named person ({o}) -> different "
        f"{t['other_different']} ({_pct(t['other_different'], o)}), same {t['other_same']}; "
        f"no speaker -> unknown {t['none_unknown']} ({_pct(t['none_unknown'], n)})"
    )


def original_texts() -> Iterator[tuple[str, str]]:
    """The original articles' text as the product reads it (trafilatura's main text)."""
    from crawler.extraction.extract import read_html  # here: the rest of the bench needs no crawler

    for label_page in sorted({lb.page for lb in read_labels(ORIGINAL_LABELS)}):
        html = (ORIGINAL / label_page / "source.html").read_text(encoding="utf-8")
        yield label_page, read_html(html).text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--labels", type=Path, default=EVAL_LABELS)
    parser.add_argument("--show", type=int, default=0, help="print the failures")
    args = parser.parse_args(argv)
    if not args.pages.is_dir():
        print(f"error: no evaluation pages at {args.pages}", file=sys.stderr)
        return 2
    original = intake_figures(read_labels(ORIGINAL_LABELS), ORIGINAL, args.show)
    print_intake("intake, original articles", original)
    sample = intake_figures(read_labels(args.labels), args.pages, args.show)
    print_intake("intake, eval sample", sample)
    every = coverage(args.pages)
    print(
        f"intake, all English eval pages: {every['quotations']} quotations, a speaker named "
        f"for {every['with_speaker']} ({_pct(every['with_speaker'], every['quotations'])})"
    )
    print_check("speaker check, original articles", check_figures(original_texts(), args.show))
    print_check("speaker check, eval pages", check_figures(eval_texts(args.pages), args.show))
    return 0


if __name__ == "__main__":
    sys.exit(main())
