"""``sourcecheck find`` at scale: a synthetic store of 10k, 30k and 100k snapshots.

Built at run time from the evaluation pages (``truth.txt`` of each page, default
``../shared/eval/pages``) and never written anywhere but a scratch database, deleted at
the end. Each snapshot is a page with its paragraphs shuffled, about one sentence in
seven replaced by a sentence of another page, its own URL and another date. The store
grows in stages (10k, then 30k, then 100k), and at each size the same quotes are
searched, so the curve shows what size alone costs:

- ``once``: a passage of 8-60 words planted in one snapshot (words drawn from the
  corpus, so common words mix with rare ones as in prose);
- ``many``: a passage of a page's own text, held by every copy of that page (about
  one snapshot in 276: 36 at 10k, 360 at 100k);
- ``absent``: a passage drawn the same way as ``once`` but planted nowhere;
- ``altered``: a planted passage with one word changed.

Printed per backend and size: find p50/p99 (ms) per kind and overall, index build rate
(snapshots/s: tokens made and written, committed), index size as a share of the stored
text, and recall (a planted passage must come back: verified for ``once`` and
``many``, altered for ``altered``; an absent one must find nothing).

    .venv/bin/python bench/find.py [--pages DIR] [--sizes 10000,30000,100000]
        [--backends sqlite,postgresql] [--queries 25]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import signal
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert, text

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.storage.db import make_engine, make_sessions, upgrade  # noqa: E402
from crawler.storage.models import Snapshot, Source  # noqa: E402
from crawler.storage.search import find_snapshots, index_snapshots  # noqa: E402

T0 = datetime(2024, 1, 1, tzinfo=UTC)
KINDS = ("once", "many", "absent", "altered")
SENTENCE = re.compile(r"(?<=[.!?])\s+")


def default_pages() -> Path:
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "eval" / "pages").is_dir():
            return base / "shared" / "eval" / "pages"
    return REPO.parent / "shared" / "eval" / "pages"


@dataclass
class Corpus:
    pages: list[list[str]]  # paragraphs of each page
    sentences: list[str]  # every sentence, for replacements
    words: list[str]  # the corpus' word stream, for planted passages


def load(root: Path) -> Corpus:
    pages: list[list[str]] = []
    sentences: list[str] = []
    words: list[str] = []
    for truth in sorted(root.glob("*/truth.txt")):
        body = truth.read_text(encoding="utf-8")
        paragraphs = [p.strip() for p in body.split("\n") if p.strip()]
        if len(" ".join(paragraphs).split()) < 80:
            continue
        pages.append(paragraphs)
        for p in paragraphs:
            sentences.extend(s for s in SENTENCE.split(p) if len(s.split()) >= 5)
            words.extend(w for w in p.split() if w.isalpha() and w.isascii())
    if not pages:
        raise SystemExit(f"no pages with truth.txt under {root}")
    return Corpus(pages, sentences, words)


def passage(rng: random.Random, corpus: Corpus) -> str:
    n = rng.randint(8, 60)
    start = rng.randrange(len(corpus.words) - n)
    drawn = [rng.choice(corpus.words) for _ in range(n)]
    # half the words in their corpus order, half drawn at random: a unique passage
    # with the common words prose has
    mixed = [corpus.words[start + i] if i % 2 else drawn[i] for i in range(n)]
    return " ".join(mixed).capitalize() + "."


def own_passage(rng: random.Random, corpus: Corpus) -> tuple[int, str]:
    while True:
        page = rng.randrange(len(corpus.pages))
        paragraph = rng.choice(corpus.pages[page])
        words = paragraph.split()
        if len(words) >= 8:
            n = rng.randint(8, min(60, len(words)))
            start = rng.randrange(len(words) - n + 1)
            return page, " ".join(words[start : start + n])


def alter(rng: random.Random, quote: str, corpus: Corpus) -> str:
    words = quote.split()
    at = rng.randrange(2, len(words) - 2)
    while (new := rng.choice(corpus.words)).lower() == words[at].lower():
        pass
    words[at] = new
    return " ".join(words)


@dataclass
class Plan:
    quotes: dict[str, list[str]]
    planted: dict[int, str]  # snapshot number -> passage planted in it
    expect: dict[str, list[int | None]]  # per quote: the snapshot number it must find
    own_page: dict[str, int]  # a "many" passage -> the page whose copies hold it


def plan(rng: random.Random, corpus: Corpus, per_kind: int, first_size: int) -> Plan:
    quotes: dict[str, list[str]] = {k: [] for k in KINDS}
    expect: dict[str, list[int | None]] = {k: [] for k in KINDS}
    planted: dict[int, str] = {}
    own_page: dict[str, int] = {}
    targets = rng.sample(range(first_size), per_kind * 2)
    for n in range(per_kind):
        once = passage(rng, corpus)
        planted[targets[n]] = once
        quotes["once"].append(once)
        expect["once"].append(targets[n])
        base = passage(rng, corpus)
        planted[targets[per_kind + n]] = base
        quotes["altered"].append(alter(rng, base, corpus))
        expect["altered"].append(targets[per_kind + n])
        quotes["absent"].append(passage(rng, corpus))
        expect["absent"].append(None)
        page, own = own_passage(rng, corpus)
        own_page[own] = page
        quotes["many"].append(own)
        expect["many"].append(None)
    return Plan(quotes, planted, expect, own_page)


def snapshot_text(number: int, corpus: Corpus, plan: Plan) -> str:
    rng = random.Random(number)
    paragraphs = list(corpus.pages[number % len(corpus.pages)])
    rng.shuffle(paragraphs)
    out = []
    for p in paragraphs:
        parts = SENTENCE.split(p)
        parts = [rng.choice(corpus.sentences) if rng.random() < 0.15 else s for s in parts]
        out.append(" ".join(parts))
    if number in plan.planted:
        out.insert(rng.randrange(len(out) + 1), plan.planted[number])
    return "\n".join(out)


@contextmanager
def database(backend: str, workdir: Path) -> Iterator[Engine]:
    if backend == "sqlite":
        engine = make_engine(f"sqlite:///{workdir / 'find-bench.db'}")
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()
        return
    from tests.support.services import scratch_postgres_database

    with scratch_postgres_database("sourcecheck_findbench") as url:
        engine = make_engine(url)
        upgrade(engine)
        try:
            yield engine
        finally:
            engine.dispose()


def grow(engine: Engine, corpus: Corpus, plan: Plan, start: int, stop: int) -> tuple[float, float]:
    """Store snapshots start..stop-1, then index them; seconds spent indexing (wall,
    and this process's CPU: on a shared machine the wall time is mostly waiting)."""
    sessions = make_sessions(engine)
    indexing = cpu = 0.0
    batch = 1000
    for first in range(start, stop, batch):
        numbers = range(first, min(first + batch, stop))
        texts = {n: snapshot_text(n, corpus, plan) for n in numbers}
        with sessions.begin() as session:
            session.execute(
                insert(Source),
                [
                    {
                        "id": n + 1,
                        "url": f"https://site{n % 997}.example/p/{n}",
                        "outlet": f"site{n % 997}",
                        "added_at": T0,
                    }
                    for n in numbers
                ],
            )
            session.execute(
                insert(Snapshot),
                [
                    {
                        "id": n + 1,
                        "source_id": n + 1,
                        "requested_url": f"https://site{n % 997}.example/p/{n}",
                        "fetched_at": T0 + timedelta(minutes=(n * 7919) % 1_000_000),
                        "content_hash": f"{n:064x}",
                        "main_text": texts[n],
                    }
                    for n in numbers
                ],
            )
        began, began_cpu = time.perf_counter(), time.process_time()
        with sessions.begin() as session:
            index_snapshots(session, ((n + 1, texts[n], None) for n in numbers))
        indexing += time.perf_counter() - began
        cpu += time.process_time() - began_cpu
    if engine.dialect.name == "postgresql":  # what autovacuum does after a bulk load
        with engine.begin() as conn:
            conn.execute(text("ANALYZE snapshots, sources, snapshot_find"))
    return indexing, cpu


def sizes_of(engine: Engine) -> tuple[int, int]:
    """(bytes of stored text, bytes of index)."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            stored = conn.execute(
                text("SELECT sum(length(CAST(main_text AS BLOB))) FROM snapshots")
            ).scalar()
            index = conn.execute(
                text(
                    "SELECT (SELECT sum(length(block)) FROM snapshot_find_data)"
                    " + (SELECT sum(length(term)) + 16 * count(*) FROM snapshot_find_idx)"
                )
            ).scalar()
        else:
            stored = conn.execute(
                text("SELECT sum(octet_length(main_text)) FROM snapshots")
            ).scalar()
            index = conn.execute(text("SELECT pg_total_relation_size('snapshot_find')")).scalar()
    return int(stored or 0), int(index or 0)


def verbatim_copies(quote: str, corpus: Corpus, plan: Plan, size: int) -> int:
    """How many copies of the passage's own page still hold it word for word (a
    replaced sentence may have cut it): the verified hits a search must return."""
    flat = " ".join(quote.split())
    page = plan.own_page[quote]
    return sum(
        flat in " ".join(snapshot_text(n, corpus, plan).split())
        for n in range(page, size, len(corpus.pages))
    )


def measure(engine: Engine, corpus: Corpus, plan: Plan, limit: int, size: int) -> dict:
    times: dict[str, list[float]] = {k: [] for k in KINDS}
    cpu: list[float] = []
    found = {k: 0 for k in KINDS}
    sessions = make_sessions(engine)
    for kind in KINDS:
        for quote, target in zip(plan.quotes[kind], plan.expect[kind], strict=True):
            with sessions() as session:
                began, began_cpu = time.perf_counter(), time.process_time()
                hits = find_snapshots(session, quote, limit)
                times[kind].append((time.perf_counter() - began) * 1000)
                cpu.append((time.process_time() - began_cpu) * 1000)
            if kind == "many":
                want = min(limit, verbatim_copies(quote, corpus, plan, size))
                found[kind] += sum(str(h.result.status) == "verified" for h in hits) >= want > 0
            else:
                found[kind] += judge(kind, hits, target)
    return {"times": times, "found": found, "cpu": cpu}


def judge(kind: str, hits: list, target: int | None) -> bool:
    statuses = {h.snapshot_id: str(h.result.status) for h in hits}
    if kind == "absent":
        return not hits
    want = "altered" if kind == "altered" else "verified"
    return statuses.get((target or 0) + 1) == want


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=default_pages())
    parser.add_argument("--sizes", default="10000,30000,100000")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--queries", type=int, default=25, help="quotes of each kind")
    parser.add_argument("--limit", type=int, default=10)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()
    # Stopped with SIGTERM, still drop the scratch database and files (finally blocks).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    corpus = load(args.pages)
    sizes = [int(s) for s in args.sizes.split(",")]
    plan_ = plan(random.Random(args.seed), corpus, args.queries, sizes[0])
    print(f"{len(corpus.pages)} pages; {args.queries} quotes of each kind; limit {args.limit}")
    one, five, fifteen = os.getloadavg()
    print(f"load average {one:.2f} {five:.2f} {fifteen:.2f} on {os.cpu_count()} CPUs")
    print("find wall ms p50/p99 per kind; cpu = this process's CPU ms (p50/p99), all kinds")
    print("build/s: snapshots indexed a second (wall); cpu/s: the same per CPU-second of")
    print("this process (all the work on SQLite; the client's share on PostgreSQL)")
    head = [f"{k:>13}" for k in (*KINDS, "all", "cpu")]
    tail = f"{'build/s':>8} {'cpu/s':>6} {'index/text':>10} {'recall':>8} {'absent':>7} {'load':>5}"
    print(f"{'backend':10} {'size':>7} " + " ".join(head) + " " + tail)
    for backend in args.backends.split(","):
        with (
            tempfile.TemporaryDirectory(prefix="findbench") as tmp,
            database(backend, Path(tmp)) as engine,
        ):
            done, indexing, indexing_cpu = 0, 0.0, 0.0
            for size in sizes:
                wall, cpu = grow(engine, corpus, plan_, done, size)
                indexing, indexing_cpu = indexing + wall, indexing_cpu + cpu
                done = size
                result = measure(engine, corpus, plan_, args.limit, size)
                stored, index = sizes_of(engine)
                times = {**result["times"], "all": [t for k in KINDS for t in result["times"][k]]}
                times["cpu"] = result["cpu"]
                cells = [f"{pct(v, 0.5):6.1f}/{pct(v, 0.99):6.1f}" for v in times.values()]
                found = result["found"]
                planted = found["once"] + found["altered"] + found["many"]
                recall = f"{planted}/{3 * args.queries}"
                print(
                    f"{backend:10} {size:>7} "
                    + " ".join(f"{c:>13}" for c in cells)
                    + f" {size / indexing:8.0f} {size / indexing_cpu:6.0f}"
                    + f" {index / stored:10.0%} {recall:>8}"
                    + f" {found['absent']:>3}/{args.queries:<3} {os.getloadavg()[0]:5.2f}",
                    flush=True,
                )
                misses = {k: args.queries - found[k] for k in KINDS if found[k] < args.queries}
                if misses:
                    print(f"  missed: {misses}", flush=True)


if __name__ == "__main__":
    main()
