"""Crawl throughput: pages per second through the whole crawl, against extraction alone.

Reads the evaluation corpus at run time (default ../shared/eval/pages beside the
repository, or the folder given as the first argument; nothing from it is stored),
serves every page from a local HTTP server on 127.0.0.1, stores one quote for each
page (a sentence of its ground truth; `--passes N` serves each page under N URLs, for a
longer run)
and measures, each on a fresh database:

- the floor: trafilatura's extraction alone, with crawler/extraction/extract.py's settings, on the
  same pages in a plain loop, before the crawls and again after each (a crawl's ratios
  are to the mean of the floors just before and after it);
- ``sourcecheck crawl`` (fetch, extract, verify, store) in one process on SQLite and
  on PostgreSQL;
- ``sourcecheck crawl --workers-from`` with one worker and with two, on PostgreSQL
  and Redis.

Each crawl is timed without an extraction pool and then with one
(``--extract-processes 0,1``: SOURCECHECK_EXTRACT_PROCESSES for each crawl process).

A crawl's rate is the steady rate: pages from the first page served to the last
verdict stored (process start-up and the idle wait before a worker leaves are
printed apart). RSS of each crawl process is sampled when the first page is served,
halfway, and after the last. "CPU/page" is the CPU time the crawl processes (and
their pools) spent from the first page served to their exit, per page: start-up
("start CPU": imports, Scrapy's engine and the pipelines, read when the first page is
served) is printed apart, as the floors leave it out. (Until the third round it was
the crawl's CPU less that of the same command with nothing due; but with nothing due
the command never starts Scrapy, so about a second of start-up was counted as page
work.) The PostgreSQL and Redis servers' own CPU is not in it. The machine may be
shared: CPU a page is the steadier figure, and "two extraction loops at once" shows
how much a second process can gain right now. Politeness delays are off
(bench/bench_settings.py): the server is ours.

It then prints each crawl's CPU a page by stage (the crawl's own stats, see
crawler/crawling/stages.py and bench/stage_stats.py), the ratio of CPU a page to
extraction alone against issue 16's targets (1.25x one process, 1.4x one worker), the
load with each figure, and whether every crawl gave every page the same verdicts as
the first (and as another build's, with --verdicts-out in one and --verdicts-against
in the other): status, score, match, reason, who the source says spoke the words, and
the title, author, date and site name stored with the page. It also times Scrapy
alone with the crawl's settings (bench/fetch_floor.py) and prints each crawl's CPU a
page beyond extraction and fetching alone. --passes N serves each page under N URLs,
for a long run's memory.

    make bench-scale
    .venv/bin/python bench/throughput.py [PAGES_DIR] [--pages N] [--passes N]
        [--crawls sqlite,postgres,worker,workers] [--extract-processes 0,1]
        [--verdicts-out FILE] [--verdicts-against FILE]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import re
import resource
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import trafilatura
from scrapy.http import HtmlResponse
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from crawler.crawling.stages import STAGES  # noqa: E402
from crawler.gc_tuning import tune_gc  # noqa: E402
from crawler.storage.db import make_engine, make_sessions, upgrade  # noqa: E402
from crawler.storage.models import Quote, Snapshot, Source, Verification  # noqa: E402
from crawler.storage.store import add_article  # noqa: E402
from testbed.pageserver import PageServer  # noqa: E402
from testbed.postgres import scratch_database  # noqa: E402
from verify.intake import Quotation  # noqa: E402

# trafilatura's options as crawler/extraction/extract.py's read_html passes them.
READ_HTML_OPTIONS: dict[str, Any] = {
    "include_comments": False,
    "with_metadata": True,
    "favor_recall": True,
    "date_extraction_params": {"extensive_search": False},
}
SENTENCE = re.compile(r"[^.!?]+[.!?]")
POSTGRES = os.environ.get(
    "SOURCECHECK_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1/test"
)
REDIS = os.environ.get("SOURCECHECK_TEST_REDIS", "redis://127.0.0.1:6379/0")


@dataclass
class Corpus:
    pages: dict[str, tuple[bytes, str]]  # path -> (body, Content-Type)
    quotes: dict[str, str]  # path -> a sentence of its truth


def load(root: Path, limit: int, passes: int = 1) -> Corpus:
    """The pages (each served under ``passes`` URLs, for a longer run) and a quote each."""
    pages: dict[str, tuple[bytes, str]] = {}
    quotes: dict[str, str] = {}
    for meta_path in sorted(root.glob("*/meta.json"))[:limit]:
        folder = meta_path.parent
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        truth = (folder / "truth.txt").read_text(encoding="utf-8")
        candidates = [s.strip() for s in SENTENCE.findall(truth) if 8 <= len(s.split()) <= 40]
        if not candidates:
            continue
        charset = meta.get("declared_charset") or "utf-8"
        body = (folder / "source.html").read_bytes()
        for n in range(passes):
            path = f"/p{n}/{folder.name}"
            pages[path] = (body, f"text/html; charset={charset}")
            quotes[path] = candidates[len(candidates) // 2]
    return Corpus(pages, quotes)


def extraction_alone(corpus: Corpus, base: str) -> tuple[float, float]:
    """Pages per second of trafilatura alone, as crawler/extraction/extract.py calls it, and the
    CPU seconds it spends on a page."""
    texts = []
    for path, (body, ctype) in _distinct(corpus):
        url = base + path
        response = HtmlResponse(url, body=body, headers={"Content-Type": ctype})
        texts.append((url, response.text))  # decoded beforehand: not extraction's work
    started, cpu = time.perf_counter(), time.process_time()
    for url, text in texts:
        trafilatura.bare_extraction(text, url=url, **READ_HTML_OPTIONS)
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    return len(texts) / wall, cpu / len(texts)


def _distinct(corpus: Corpus) -> list[tuple[str, tuple[bytes, str]]]:
    """Each page once (its first URL): a page served under several URLs costs the same
    to extract under each, so the floor is measured on the distinct pages."""
    return [(path, page) for path, page in corpus.pages.items() if path.startswith("/p0/")]


def _extract_all(texts: list[tuple[str, str]]) -> float:
    started = time.perf_counter()
    for url, text in texts:
        trafilatura.bare_extraction(text, url=url, **READ_HTML_OPTIONS)
    return time.perf_counter() - started


def extraction_parallel(corpus: Corpus, base: str, processes: int = 2) -> float:
    """Pages per second of ``processes`` extraction loops at once: what this machine
    can give two workers (each loop reads every page)."""
    texts = []
    for path, (body, ctype) in _distinct(corpus):
        url = base + path
        texts.append((url, HtmlResponse(url, body=body, headers={"Content-Type": ctype}).text))
    with multiprocessing.get_context("fork").Pool(processes) as pool:
        walls = pool.map(_extract_all, [texts] * processes)
    return processes * len(texts) / max(walls)


def fetch_alone(corpus: Corpus) -> float:
    """CPU seconds a page of Scrapy alone: the crawl's settings and middlewares fetching
    every page and yielding one item each, with nothing parsed, extracted, verified or
    stored (bench/fetch_floor.py), less the same command with no URL (start-up)."""
    server = PageServer(dict(corpus.pages))
    tmp = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-urls-{uuid.uuid4().hex}"
    try:
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
        env.update(
            PYTHONPATH=str(REPO),
            SOURCECHECK_ALLOW_HOSTS=server.host,
            SOURCECHECK_SETTINGS_MODULE="bench.bench_settings",
        )
        argv = [sys.executable, str(REPO / "bench" / "fetch_floor.py"), str(tmp)]
        spent = []
        for urls in (list(corpus.pages), []):
            tmp.write_text("\n".join(server.base + path for path in urls), encoding="utf-8")
            cpu = _children_cpu()
            subprocess.run(argv, env=env, cwd=REPO, check=True)
            spent.append(_children_cpu() - cpu)
        if sum(server.page_hits().values()) != len(corpus.pages):
            raise RuntimeError("the fetch floor did not fetch every page once")
    finally:
        server.stop()
        tmp.unlink(missing_ok=True)
    return max(spent[0] - spent[1], 0.0) / len(corpus.pages)


def store_quotes(db_url: str, corpus: Corpus, base: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    with make_sessions(engine).begin() as session:
        quotes = [
            Quotation(text, "inline", position=n, url=base + path)
            for n, (path, text) in enumerate(corpus.quotes.items())
        ]
        add_article(session, f"{base}/citing", None, None, quotes)
    engine.dispose()


def verdicts_by_page(db_url: str, base: str) -> dict[str, list[str]]:
    """Every stored verdict by the path of the page it is about (the server's port
    varies between crawls): status, score, where the match is, the reason, who the
    source says spoke it, and the metadata stored with the page's snapshot."""
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            rows = session.execute(
                select(
                    Source.url,
                    Verification.status,
                    Verification.score,
                    Verification.match_location,
                    Verification.match_start,
                    Verification.match_end,
                    Verification.reason,
                    Verification.attribution_status,
                    Verification.source_speaker,
                    Verification.attribution_evidence,
                    Snapshot.title,
                    Snapshot.author,
                    Snapshot.date,
                    Snapshot.sitename,
                )
                .join(Quote, Quote.id == Verification.quote_id)
                .join(Source, Source.id == Quote.source_id)
                .outerjoin(Snapshot, Snapshot.id == Verification.snapshot_id)
            ).all()
    finally:
        engine.dispose()
    out: dict[str, list[str]] = {}
    host = base.split("://", 1)[-1]  # a site name read from the URL holds the port
    for url, status, score, *rest in rows:
        line = f"{status} {score:.1f} " + " | ".join(str(v) for v in rest)
        line = line.replace(host, "SERVER")
        out.setdefault(url.removeprefix(base), []).append(line)
    return {path: sorted(v) for path, v in sorted(out.items())}


def last_verdict(db_url: str) -> tuple[int, float]:
    engine = make_engine(db_url)
    try:
        with make_sessions(engine)() as session:
            count, last = session.execute(
                select(func.count(), func.max(Verification.checked_at))
            ).one()
            return count, last.timestamp() if last else 0.0
    finally:
        engine.dispose()


def crawl(
    name: str,
    corpus: Corpus,
    db_url: str,
    workers: int = 0,
    extract_processes: int = 0,
    profile: Path | None = None,
) -> dict:
    """Run a crawl (``workers`` = 0: one process without Redis) and measure it;
    ``extract_processes`` > 0 extracts in a pool of that many processes per crawl
    process (SOURCECHECK_EXTRACT_PROCESSES)."""
    server = PageServer(dict(corpus.pages))
    try:
        store_quotes(db_url, corpus, server.base)
        env = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
        stage_file = Path(os.environ.get("TMPDIR", "/tmp")) / f"bench-stages-{uuid.uuid4().hex}"
        env.update(
            BENCH_STAGE_STATS=str(stage_file),
            PYTHONPATH=str(REPO),
            SOURCECHECK_ALLOW_HOSTS=server.host,
            SOURCECHECK_SETTINGS_MODULE="bench.bench_settings",
            SOURCECHECK_REDIS_PREFIX=f"sourcecheck-bench-{uuid.uuid4().hex[:8]}",
            SOURCECHECK_EXTRACT_PROCESSES=str(extract_processes),
        )
        argv = [sys.executable, "-m", "crawler", "crawl", "--json", "--db", db_url]
        if workers:
            argv += ["--workers-from", REDIS]
        started, cpu = time.time(), _children_cpu()
        procs = [
            subprocess.Popen(
                _profiled(argv, profile, name, n),
                env=env,
                cwd=REPO,
                stdout=subprocess.PIPE,
                text=True,
            )
            for n in range(max(workers, 1))
        ]
        rss: dict[str, list[float]] = {"start": [], "middle": [], "end": []}
        total = len(corpus.pages)
        marks = {"start": 1, "middle": total // 2}
        start_cpu: float | None = None
        while any(p.poll() is None for p in procs):
            served = sum(server.page_hits().values())
            for mark, at in marks.items():
                if served >= at and not rss[mark]:
                    rss[mark] = [_rss(p) for p in procs]
            if start_cpu is None and served >= len(procs):
                # CPU a page counts from here: what each crawl process (and its pool)
                # spent before is start-up, printed apart.
                start_cpu = sum(_tree_cpu(p) for p in procs)
            if served >= total:
                # The last pages are still being verified: keep the latest reading taken
                # while every crawl process was still there.
                now = [_rss(p) for p in procs]
                if all(now):
                    rss["end"] = now
            time.sleep(0.05)
        ended = time.time()
        outs = [json.loads(p.communicate()[0]) for p in procs]
        cpu = _children_cpu() - cpu
        stages: dict[str, float] = {}
        if stage_file.exists():
            for line in stage_file.read_text(encoding="utf-8").splitlines():
                for stage, seconds in json.loads(line).items():
                    stages[stage] = stages.get(stage, 0.0) + seconds
            stage_file.unlink()
        stored, last = last_verdict(db_url)
        verdicts = verdicts_by_page(db_url, server.base)
        first = server.first_hit or started
        hits = server.page_hits()
    finally:
        server.stop()
    steady = total / (last - first) if last > first else 0.0
    return {
        "name": name,
        "pages": total,
        "verdicts": stored,
        "fetched_once": all(n == 1 for n in hits.values()) and len(hits) == total,
        "steady_pps": steady,
        "startup_s": first - started,
        "wall_s": ended - started,
        "tail_s": ended - last,
        "rss_mb": {k: [round(v / 2**20) for v in vs] for k, vs in rss.items()},
        "cpu_per_page": max(cpu - (start_cpu or 0.0), 1e-9) / total,
        "startup_cpu": start_cpu or 0.0,
        "statuses": [o["statuses"] for o in outs],
        "stages_per_page": {k: v / total for k, v in stages.items()},
        "load": _load(),
        "verdicts_by_page": verdicts,
    }


# cProfile's own command line times by the wall clock, which counts the waits on the
# network and the database; the stages are CPU time, so the profile is too.
_CPU_PROFILE = (
    "import cProfile, runpy, sys, time\n"
    "out = sys.argv.pop(1)\n"
    "sys.argv[0] = 'crawler'\n"
    "profile = cProfile.Profile(time.process_time)\n"
    "profile.enable()\n"
    "try:\n"
    "    runpy.run_module('crawler', run_name='__main__', alter_sys=True)\n"
    "finally:\n"
    "    profile.disable()\n"
    "    profile.dump_stats(out)\n"
)


def _profiled(argv: list[str], profile: Path | None, name: str, n: int) -> list[str]:
    """``argv`` under cProfile timing CPU, writing to a file in ``profile`` named after
    the crawl (its CPU figures are then cProfile's too: read the profile, not the
    ratios)."""
    if profile is None:
        return argv
    profile.mkdir(parents=True, exist_ok=True)
    out = profile / (re.sub(r"\W+", "-", name).strip("-") + f"-{n}.prof")
    assert argv[1:3] == ["-m", "crawler"]
    return [argv[0], "-c", _CPU_PROFILE, str(out), *argv[3:]]


# CPU a page as a multiple of extraction alone (issue 16), without an extraction pool.
TARGETS = {
    "1 process, SQLite": 1.25,
    "1 process, PostgreSQL": 1.25,
    "1 worker, PostgreSQL + Redis": 1.4,
}
STAGE_NAMES = {
    "parse": "spider's parse",
    "extract": "extraction",
    "page_text": "page text",
    "verify": "verification",
    "store": "storage",
}


def print_stages(runs: list[dict]) -> None:
    """Where each crawl's CPU a page goes: the stages the crawl counts in its stats,
    and the rest (Scrapy, Twisted, Redis; with a pool, the pool's extraction too,
    which is in another process)."""
    print("\nCPU a page by stage, ms (the rest: Scrapy, Twisted, queue; with a pool, the pool)")
    names = [STAGE_NAMES[s] for s in STAGES]
    print(f"{'crawl':38} " + " ".join(f"{n:>13}" for n in names) + f" {'rest':>6} {'total':>6}")
    for r in runs:
        stages = r["stages_per_page"]
        counted = sum(stages.get(s, 0.0) for s in STAGES)
        rest = r["cpu_per_page"] - counted
        print(
            f"{r['name']:38} "
            + " ".join(f"{stages.get(s, 0.0) * 1000:13.1f}" for s in STAGES)
            + f" {rest * 1000:6.1f} {r['cpu_per_page'] * 1000:6.1f}"
        )


def print_verdicts(runs: list[dict], out: Path | None, against: Path | None) -> None:
    """Whether every crawl gave every page the same verdicts (and the build that wrote
    ``against`` too)."""
    if not runs:
        return
    first = runs[0]["verdicts_by_page"]
    if out is not None:
        out.write_text(json.dumps(first, indent=0), encoding="utf-8")
    reference = json.loads(against.read_text(encoding="utf-8")) if against else None
    print()
    for r in runs:
        mine = r["verdicts_by_page"]
        line = f"verdicts of {r['name']}: {sum(len(v) for v in mine.values())}, "
        line += "the same as the first crawl's" if mine == first else "DIFFERENT from the first's"
        if reference is not None:
            differ = sorted(set(mine) ^ set(reference)) + [
                k for k in mine if k in reference and mine[k] != reference[k]
            ]
            line += f"; vs {against}: " + (
                "the same" if not differ else f"{len(differ)} page(s) differ: {differ[:5]}"
            )
        print(line)


def _load() -> str:
    return ", ".join(f"{x:.1f}" for x in os.getloadavg())


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _family_sum(proc: subprocess.Popen, read: Callable[[psutil.Process], float]) -> float:
    """``read(p)`` summed over a crawl process and its children (its extraction pool,
    if any); a process that has left counts 0."""
    try:
        parent = psutil.Process(proc.pid)
        family = [parent, *parent.children(recursive=True)]
    except psutil.Error:
        return 0.0
    total = 0.0
    for member in family:
        try:
            total += read(member)
        except psutil.Error:  # a child that just left
            continue
    return total


def _tree_cpu(proc: subprocess.Popen) -> float:
    """CPU seconds (user and system) a crawl process and its children have spent so far."""
    return _family_sum(proc, lambda p: sum(p.cpu_times()[:2]))


def _rss(proc: subprocess.Popen) -> float:
    """RSS of a crawl process and its children (its extraction pool, if any)."""
    return _family_sum(proc, lambda p: p.memory_info().rss)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "root", nargs="?", default=REPO.parent / "shared" / "eval" / "pages", type=Path
    )
    parser.add_argument("--pages", type=int, default=1000, help="at most this many pages")
    parser.add_argument(
        "--passes", type=int, default=1, help="serve each page under this many URLs"
    )
    parser.add_argument(
        "--crawls",
        default="sqlite,postgres,worker,workers",
        help="which crawls to time (sqlite, postgres, worker, workers)",
    )
    parser.add_argument(
        "--extract-processes",
        default="0,1",
        help="time each crawl with each of these SOURCECHECK_EXTRACT_PROCESSES "
        "(0: extraction in the crawl process; N: a pool of N processes per crawl process)",
    )
    parser.add_argument(
        "--verdicts-out", type=Path, help="write the first crawl's verdicts (JSON) to this file"
    )
    parser.add_argument(
        "--verdicts-against",
        type=Path,
        help="compare every crawl's verdicts with a file --verdicts-out wrote (another build)",
    )
    parser.add_argument(
        "--profile",
        type=Path,
        help="run each crawl process under cProfile, writing NAME-N.prof files to this folder",
    )
    args = parser.parse_args()
    # The floor runs with the crawl processes' garbage-collector thresholds, so that the
    # ratios compare the work done, not the settings (it gains 0.2 to 1 ms a page).
    tune_gc()
    args.crawls = set(args.crawls.split(","))
    pools = [int(n) for n in args.extract_processes.split(",")]
    corpus = load(args.root, args.pages, args.passes)
    if not corpus.pages:
        sys.exit(f"no pages with a ground truth under {args.root}")
    loadavg = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(
        f"{len(corpus.pages)} pages ({len(corpus.pages) // args.passes} from {args.root}, "
        f"each under {args.passes} URL(s)), {os.cpu_count()} CPU(s), load {loadavg}"
    )

    floor, floor_cpu = extraction_alone(corpus, "http://127.0.0.1:1")
    print(
        f"extraction alone (trafilatura, one process): {floor:.1f} pages/s, "
        f"{floor_cpu * 1000:.0f} ms CPU a page"
    )
    parallel = extraction_parallel(corpus, "http://127.0.0.1:1")
    print(
        f"extraction alone, two processes at once: {parallel:.1f} pages/s "
        f"({parallel / floor:.2f}x one: the most two workers can gain on this machine now)"
    )
    fetch_cpu = fetch_alone(corpus)
    print(
        f"fetching alone (Scrapy with the crawl's settings, no parse): "
        f"{fetch_cpu * 1000:.1f} ms CPU a page"
    )
    runs: list[dict] = []
    floors = [(floor, floor_cpu)]

    def timed(run: dict) -> dict:
        # The floor again after each crawl: a crawl is compared with the mean of the
        # floors measured just before and just after it, so that a change of the machine's
        # load or speed during the bench (shared machines drift by 10% and more within
        # minutes) moves both sides of its ratio alike.
        floors.append(extraction_alone(corpus, "http://127.0.0.1:1"))
        run["floor"] = (floors[-2][0] + floors[-1][0]) / 2
        run["floor_cpu"] = (floors[-2][1] + floors[-1][1]) / 2
        return run

    for pool in pools:
        # each crawl with and without the pool, back to back, so both see the same load
        suffix = f", pool {pool}" if pool else ""
        if "sqlite" in args.crawls:
            tmp = (
                Path(os.environ.get("TMPDIR", "/tmp"))
                / f"sourcecheck-bench-{uuid.uuid4().hex[:8]}.db"
            )
            try:
                runs.append(
                    timed(
                        crawl(
                            f"1 process, SQLite{suffix}",
                            corpus,
                            f"sqlite:///{tmp}",
                            0,
                            pool,
                            args.profile,
                        )
                    )
                )
            finally:
                for end in ("", "-wal", "-shm", ".lock"):
                    Path(f"{tmp}{end}").unlink(missing_ok=True)
        for key, name, workers in (
            ("postgres", "1 process, PostgreSQL", 0),
            ("worker", "1 worker, PostgreSQL + Redis", 1),
            ("workers", "2 workers, PostgreSQL + Redis", 2),
        ):
            if key in args.crawls:
                with scratch_database(make_url(POSTGRES), "sourcecheck_bench") as url:
                    db_url = url.render_as_string(hide_password=False)
                    runs.append(
                        timed(crawl(f"{name}{suffix}", corpus, db_url, workers, pool, args.profile))
                    )

    print(
        f"\n{'crawl':38} {'pages/s':>7} {'/floor':>6} {'CPU/page':>8} {'/floor':>6} "
        f"{'start':>5} {'CPU':>5} {'wall':>5} {'verdicts':>8} {'once':>4}  {'load after':14} "
        "RSS MB start/middle/end"
    )
    for r in runs:
        rss = " / ".join(
            ",".join(str(v) for v in r["rss_mb"][k]) for k in ("start", "middle", "end")
        )
        print(
            f"{r['name']:38} {r['steady_pps']:7.1f} {r['steady_pps'] / r['floor']:6.2f} "
            f"{r['cpu_per_page'] * 1000:6.0f}ms {r['floor_cpu'] / r['cpu_per_page']:6.2f} "
            f"{r['startup_s']:4.1f}s {r['startup_cpu']:4.1f}s {r['wall_s']:4.0f}s "
            f"{r['verdicts']:8d} "
            f"{'yes' if r['fetched_once'] else 'NO':>4}  {r['load']:14} {rss}"
        )
    print_stages(runs)
    print_verdicts(runs, args.verdicts_out, args.verdicts_against)
    print(
        "\nCPU a page vs extraction alone, measured before and after each crawl "
        f"({', '.join(f'{cpu * 1000:.1f}' for _, cpu in floors)} ms), load {_load()}:"
    )
    for r in runs:
        target = TARGETS.get(r["name"])
        ratio = r["cpu_per_page"] / r["floor_cpu"]
        verdict = (
            ""
            if target is None
            else (" (target <= {:.2f}x: {})").format(
                target, "met" if ratio <= target else "NOT met"
            )
        )
        print(f"  {r['name']}: {ratio:.2f}x vs {r['floor_cpu'] * 1000:.1f} ms{verdict}")
    print(
        f"CPU a page vs extraction and fetching alone ({fetch_cpu * 1000:.1f} ms): "
        "what sourcecheck adds to the two:"
    )
    for r in runs:
        both = r["floor_cpu"] + fetch_cpu
        added = r["cpu_per_page"] - both
        print(
            f"  {r['name']}: {r['cpu_per_page'] / both:.2f}x "
            f"({added * 1000:+.1f} ms a page beyond the two)"
        )
    for pool in pools:
        suffix = f", pool {pool}" if pool else ""
        one = next((r for r in runs if r["name"] == f"1 worker, PostgreSQL + Redis{suffix}"), None)
        two = next((r for r in runs if r["name"] == f"2 workers, PostgreSQL + Redis{suffix}"), None)
        if one and two:
            print(
                f"two workers vs one worker{suffix} (target >= 1.6x): "
                f"{two['steady_pps'] / one['steady_pps']:.2f}x in pages/s; CPU a page "
                f"{two['cpu_per_page'] * 1000:.0f} ms vs {one['cpu_per_page'] * 1000:.0f} ms "
                f"(machine load {loadavg} on {os.cpu_count()} CPUs; two extraction loops at "
                f"once reached {parallel / floor:.2f}x one)"
            )
    for r in runs:
        if ", pool " in r["name"]:
            base = next((b for b in runs if b["name"] == r["name"].split(", pool ")[0]), None)
            if base and base["steady_pps"]:
                print(
                    f"{r['name']} vs without: {r['steady_pps'] / base['steady_pps']:.2f}x "
                    f"in pages/s; CPU a page {r['cpu_per_page'] * 1000:.0f} ms vs "
                    f"{base['cpu_per_page'] * 1000:.0f} ms"
                )


if __name__ == "__main__":
    main()
