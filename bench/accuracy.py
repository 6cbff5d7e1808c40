"""Accuracy and speed of sourcecheck's quote check on the labelled quote set.

    python bench/accuracy.py [--cases FILE] [--pages DIR] [--tools sourcecheck,naive,quotecheck]
                             [--kind KIND] [--show-failures N] [--slowest N] [--repeat N]
                             [--cli [COMMAND]] [--json]

Runs, over the same cases: sourcecheck (read_html once per page, then check_quote),
a naive baseline (exact match after folding, on trafilatura's text) and, when it is
installed, quotecheck 0.1.0 (on trafilatura's text). Prints the accuracy table by
kind, the overall false verified and false rejections, the per-quote matching time
(median, p95, worst) and the wall time of each whole batch, reading and extraction
included. A page that sourcecheck cannot read is counted in its own column
(``unavail``), neither right nor a false rejection.

The cases come from ``bench/make_cases.py``; when the file is missing it is built
first. Exit codes: 0 done, 2 bad arguments, a bad cases file or missing pages.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH

from bench import make_cases
from bench.corpus import DEFAULT_PAGES, REPO, decode_html
from bench.tools import (
    QUOTECHECK_STATUS,
    Outcome,
    load_quotecheck,
    naive_check,
    naive_fold,
    run_cli_batch,
    sourcecheck_outcome,
    trafilatura_text,
)

TOOLS = ("sourcecheck", "naive", "quotecheck")
CLI_DEFAULT = f"{REPO / '.venv' / 'bin' / 'sourcecheck'} check --batch {{batch}} --json"


class BadCases(Exception):
    """The cases file cannot be used; the message says which line and why."""


def read_cases(path: Path, pages_dir: Path) -> list[dict]:
    cases = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:
                raise BadCases(f"{path}:{n}: not JSON ({exc.msg})") from None
            missing = {"id", "page", "kind", "quote", "expect"} - set(case)
            if missing:
                raise BadCases(f"{path}:{n}: missing {', '.join(sorted(missing))}")
            if not (pages_dir / case["page"] / "source.html").is_file():
                raise BadCases(f"{path}:{n}: no page {case['page']} under {pages_dir}")
            cases.append(case)
    return cases


def by_page(cases: list[dict]) -> dict[str, list[dict]]:
    pages: dict[str, list[dict]] = defaultdict(list)
    for case in cases:
        pages[case["page"]].append(case)
    return pages


def page_html(pages_dir: Path, name: str) -> tuple[str, str | None]:
    folder = pages_dir / name
    meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
    return decode_html((folder / "source.html").read_bytes(), meta), meta.get("url")


def clear_engine_caches() -> None:
    """Forget whatever the engine memoised, so a repeated pass is as cold as the first."""
    for name, module in list(sys.modules.items()):
        if name == "verify" or name.startswith("verify."):
            for value in vars(module).values():
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def product_check() -> Any:
    """What every sourcecheck interface calls for one quote on one read page.

    ``crawler.crawling.checking.verdict`` where it exists (main text first, the full page text
    only when needed, built lazily; paywall rules); otherwise ``check_quote`` on the
    page's main and full texts.
    """
    try:
        from crawler.crawling.checking import verdict
    except ImportError:
        from verify import check_quote

        return lambda quote, page: check_quote(quote, page.text, lambda: page.page_text)
    return verdict


def run_sourcecheck(
    cases: list[dict], pages_dir: Path, repeat: int = 1
) -> tuple[dict[str, Outcome], dict]:
    """The whole sourcecheck batch, timed from its imports to its last verdict.

    The batch pass calls the product's own per-quote check, so a page's full text is
    built (inside a quote's time) only when a quote needs it. The matching times are
    then taken on a pass of their own, with both texts already built: one
    ``check_quote``, which searches the page text only when the main text does not
    verify (as the product's check does).
    Each such pass runs on texts the engine has not seen (trailing spaces make new
    cache keys, so a page's first quote pays for indexing the page) and, with
    ``repeat`` > 1, each quote keeps its fastest time: on a shared machine one pass's
    worst figure is often another process's doing.
    """
    started = time.perf_counter()
    from crawler.extraction.extract import Unreadable, read_html
    from verify import QuoteError, check_quote

    check = product_check()
    imported = time.perf_counter()
    import verify

    print(f"sourcecheck engine: {Path(verify.__file__).parent}", file=sys.stderr)
    out: dict[str, Outcome] = {}
    read: dict[str, Any] = {}
    extract_s = 0.0
    for name, page_cases in by_page(cases).items():
        html, url = page_html(pages_dir, name)
        t = time.perf_counter()
        try:
            read[name] = page = read_html(html, url=url)
        except Unreadable as exc:
            extract_s += time.perf_counter() - t
            for case in page_cases:
                out[case["id"]] = Outcome("unavailable", detail={"reason": exc.reason})
            continue
        extract_s += time.perf_counter() - t
        for case in page_cases:
            try:
                result = check(case["quote"], page)
            except QuoteError as exc:
                out[case["id"]] = Outcome("error", detail={"error": str(exc)})
                continue
            out[case["id"]] = sourcecheck_outcome(result, 0.0)
    total = time.perf_counter() - started
    best: dict[str, float] = {}
    for again in range(1, repeat + 1):
        pad = " " * again
        for name, page_cases in by_page(cases).items():
            if name not in read:
                continue
            text, page_text = read[name].text + pad, read[name].page_text + pad
            for case in page_cases:
                t = time.perf_counter()
                with contextlib.suppress(QuoteError):
                    check_quote(case["quote"], text, page_text)
                seconds = time.perf_counter() - t
                best[case["id"]] = min(best.get(case["id"], seconds), seconds)
    for case_id, seconds in best.items():
        out[case_id].seconds = seconds
    return out, {"startup_s": imported - started, "extract_s": extract_s, "total_s": total}


def run_baselines(
    cases: list[dict], pages_dir: Path, want_quotecheck: bool
) -> tuple[dict[str, Outcome], dict[str, Outcome], dict]:
    """naive and quotecheck on trafilatura's text, extracted once per page."""
    qc_check = load_quotecheck() if want_quotecheck else None
    naive: dict[str, Outcome] = {}
    qc: dict[str, Outcome] = {}
    extract_s = qc_s = 0.0
    started = time.perf_counter()
    for name, page_cases in by_page(cases).items():
        html, url = page_html(pages_dir, name)
        t = time.perf_counter()
        text = trafilatura_text(html, url)
        extract_s += time.perf_counter() - t
        folded = naive_fold(text)
        for case in page_cases:
            t = time.perf_counter()
            status = naive_check(case["quote"], folded)
            naive[case["id"]] = Outcome(status, time.perf_counter() - t)
            if qc_check is None:
                continue
            t = time.perf_counter()
            try:
                m = qc_check(case["quote"], text)
                outcome = Outcome(QUOTECHECK_STATUS[m.status], score=100 * m.similarity)
            except Exception as exc:  # quotecheck 0.1.0 crashes on Hangul (IndexError)
                outcome = Outcome("error", detail={"error": repr(exc)})
            outcome.seconds = time.perf_counter() - t
            qc_s += outcome.seconds
            qc[case["id"]] = outcome
    timing = {
        "extract_s": extract_s,
        "total_s": time.perf_counter() - started,
        "quotecheck_batch_s": extract_s + qc_s if qc_check else None,
        "quotecheck_available": qc_check is not None,
    }
    return naive, qc, timing


def score(cases: list[dict], outcomes: dict[str, Outcome]) -> dict[str, dict[str, int]]:
    """Per kind: cases, correct, false verified, false rejections, unavailable, other."""
    table: dict[str, dict[str, int]] = {}
    for case in cases:
        row = table.setdefault(
            case["kind"],
            {"cases": 0, "correct": 0, "false_verified": 0, "false_rejections": 0,
             "unavailable": 0, "errors": 0, "status_differs": 0},
        )  # fmt: skip
        status = outcomes[case["id"]].status
        row["cases"] += 1
        if status == "unavailable":
            row["unavailable"] += 1
        elif status == "error":
            row["errors"] += 1
        elif case["expect"] == "verified":
            row["correct" if status == "verified" else "false_rejections"] += 1
        elif status == "verified":
            row["false_verified"] += 1
        else:
            row["correct"] += 1
            if case.get("expect_status") and status != case["expect_status"]:
                row["status_differs"] += 1
    total = {k: sum(r[k] for r in table.values()) for k in next(iter(table.values()))}
    ordered = {kind: table[kind] for kind in make_cases.KINDS if kind in table}
    return {**ordered, "ALL": total}


def timing_ms(outcomes: dict[str, Outcome]) -> dict[str, float]:
    ms = sorted(o.seconds * 1000 for o in outcomes.values() if o.status != "unavailable")
    if not ms:
        return {}
    return {
        "median_ms": statistics.median(ms),
        "p95_ms": ms[min(len(ms) - 1, int(0.95 * len(ms)))],
        "worst_ms": ms[-1],
        "quotes": len(ms),
    }


def print_tables(tables: dict[str, dict], out: Any) -> None:
    tools = list(tables)
    head = f"{'kind':<18}{'cases':>6}"
    for tool in tools:
        head += f" | {tool[:11]:>11} ok  FV  FR  UN"
    print(head, file=out)
    print("-" * len(head), file=out)
    for kind in tables[tools[0]]:
        row = tables[tools[0]][kind]
        line = f"{kind:<18}{row['cases']:>6}"
        for tool in tools:
            r = tables[tool][kind]
            line += (
                f" | {r['correct']:>14}{r['false_verified']:>4}"
                f"{r['false_rejections']:>4}{r['unavailable']:>4}"
            )
        if kind == "ALL":
            print("-" * len(head), file=out)
        print(line, file=out)
    print("ok correct, FV false verified, FR false rejections, UN page unreadable", file=out)


def print_failures(
    cases: list[dict], outcomes: dict[str, Outcome], limit: int, out: Any, differs: bool = False
) -> None:
    """The first ``limit`` wrong answers (or, with ``differs``, right answers whose
    status is not the expected one, e.g. ``not_found`` for a changed number)."""
    shown = 0
    for case in cases:
        o = outcomes[case["id"]]
        wrong = (case["expect"] == "verified") != (o.status == "verified")
        if differs:
            expected = case.get("expect_status")
            wrong = not wrong and bool(expected) and o.status != expected
        if not wrong or o.status == "unavailable" or shown >= limit:
            continue
        shown += 1
        what = case.get("variant") or case.get("mutation")
        print(f"\n[{case['id']}] {case['kind']} on {case['page']}  ({what})", file=out)
        print(f"  quote:  {case['quote']!r}", file=out)
        print(f"  expect: {case['expect']}  got: {o.status}  score: {o.score}", file=out)
        match = o.detail.get("match")
        if match:
            print(f"  match ({match['location']}): {match['text'][:300]!r}", file=out)
        for change in o.detail.get("changes", [])[:6]:
            print(f"  change: {change}", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=Path, default=REPO / "bench" / "data" / "cases.jsonl")
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset")
    parser.add_argument("--kind", action="append", help="only these kinds (repeatable)")
    parser.add_argument("--show-failures", type=int, default=0, metavar="N")
    parser.add_argument(
        "--show-differs",
        type=int,
        default=0,
        metavar="N",
        help="right, but not the expected status",
    )
    parser.add_argument("--failures-of", default="sourcecheck", choices=TOOLS)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument(
        "--cli",
        nargs="?",
        const=CLI_DEFAULT,
        metavar="COMMAND",
        help=f"also time the real batch command; {{batch}} is the JSONL file ({CLI_DEFAULT})",
    )
    parser.add_argument(
        "--repeat", type=int, default=1, metavar="N", help="time matching N times, keep the best"
    )
    parser.add_argument("--slowest", type=int, default=3, metavar="N", help="list the N slowest")
    args = parser.parse_args(argv)
    tools = [t.strip() for t in args.tools.split(",") if t.strip()]
    if not tools or any(t not in TOOLS for t in tools):
        print(f"accuracy: --tools must name some of {', '.join(TOOLS)}", file=sys.stderr)
        return 2
    if not args.pages.is_dir():
        print(f"accuracy: no pages folder at {args.pages}", file=sys.stderr)
        return 2
    if not args.cases.exists():
        print(f"accuracy: {args.cases} is missing; building it first", file=sys.stderr)
        if make_cases.main(["--pages", str(args.pages), "--out", str(args.cases)]) != 0:
            return 2
    try:
        cases = read_cases(args.cases, args.pages)
    except (BadCases, OSError) as exc:
        print(f"accuracy: {exc}", file=sys.stderr)
        return 2
    if args.kind:
        cases = [c for c in cases if c["kind"] in args.kind]
    report = sys.stderr if args.json else sys.stdout

    outcomes: dict[str, dict[str, Outcome]] = {}
    figures: dict[str, Any] = {"cases": len(cases), "pages": len(by_page(cases))}
    if "sourcecheck" in tools:
        outcomes["sourcecheck"], figures["sourcecheck_batch"] = run_sourcecheck(
            cases, args.pages, args.repeat
        )
    if "naive" in tools or "quotecheck" in tools:
        naive, qc, figures["baseline_batch"] = run_baselines(
            cases, args.pages, "quotecheck" in tools
        )
        if "naive" in tools:
            outcomes["naive"] = naive
        if qc:
            outcomes["quotecheck"] = qc
        elif "quotecheck" in tools:
            print("note: quotecheck is not installed (pip install quotecheck==0.1.0); skipped",
                  file=report)  # fmt: skip
    if args.cli:
        outcomes["cli"], figures["cli_batch"] = run_cli_batch(cases, args.pages, args.cli)
    tables = {tool: score(cases, o) for tool, o in outcomes.items()}
    figures["accuracy"] = tables
    figures["matching"] = {tool: timing_ms(o) for tool, o in outcomes.items() if tool != "cli"}

    print(f"{len(cases)} cases over {figures['pages']} pages ({args.cases})\n", file=report)
    print_tables(tables, report)
    print(file=report)
    for tool, table in tables.items():
        a = table["ALL"]
        print(
            f"{tool:<12} false verified {a['false_verified']:>4}   false rejections "
            f"{a['false_rejections']:>4}   unavailable {a['unavailable']:>3}   "
            f"errors {a['errors']:>3}   expected status differs {a['status_differs']:>3}",
            file=report,
        )
    print(file=report)
    for tool, t in figures["matching"].items():
        if t:
            print(
                f"{tool:<12} matching per quote: median {t['median_ms']:.3f} ms, "
                f"p95 {t['p95_ms']:.3f} ms, worst {t['worst_ms']:.1f} ms",
                file=report,
            )
    if "sourcecheck_batch" in figures:
        b = figures["sourcecheck_batch"]
        print(
            f"sourcecheck  whole batch {b['total_s']:.1f} s (imports {b['startup_s']:.1f} s, "
            f"read_html {b['extract_s']:.1f} s, rest checking and lazy page texts)",
            file=report,
        )
    if "cli_batch" in figures:
        b = figures["cli_batch"]
        print(
            f"cli          whole batch {b['total_s']:.1f} s in its own process "
            f"(exit {b['exit']}; start-up, reading, extraction, matching)",
            file=report,
        )
        if tables["cli"]["ALL"]["errors"]:
            print("cli stderr: " + " | ".join(b["stderr_tail"]), file=report)
    if figures.get("baseline_batch", {}).get("quotecheck_batch_s") is not None:
        b = figures["baseline_batch"]
        print(
            f"quotecheck   whole batch {b['quotecheck_batch_s']:.1f} s "
            f"(trafilatura.extract {b['extract_s']:.1f} s, rest matching)",
            file=report,
        )
    cli_b, base_b = figures.get("cli_batch"), figures.get("baseline_batch", {})
    if cli_b and base_b.get("quotecheck_batch_s"):
        ratio = cli_b["total_s"] / base_b["quotecheck_batch_s"]
        print(f"batch ratio: sourcecheck check --batch / quotecheck = {ratio:.2f} "
              "(target <= 0.6)", file=report)  # fmt: skip
    if "sourcecheck" in outcomes:
        slow = sorted(cases, key=lambda c: -outcomes["sourcecheck"][c["id"]].seconds)[
            : args.slowest
        ]
        for case in slow:
            ms = outcomes["sourcecheck"][case["id"]].seconds * 1000
            print(
                f"slow: {ms:7.1f} ms  {case['id']:<22} {len(case['quote'].split()):>4} words  "
                f"{case['page']}",
                file=report,
            )
    if args.show_failures and args.failures_of in outcomes:
        print_failures(cases, outcomes[args.failures_of], args.show_failures, report)
    if args.show_differs and args.failures_of in outcomes:
        print_failures(cases, outcomes[args.failures_of], args.show_differs, report, differs=True)
    if args.json:
        print(json.dumps(figures, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
