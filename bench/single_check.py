"""One quote, one local page, a person at a terminal: sourcecheck against the lightest peer.

    python bench/single_check.py [--pages DIR] [--rounds N] [--page NAME]

Times two whole processes, alternating so that both see the same load:

- ``sourcecheck check QUOTE --source PAGE --json`` (the installed command), and the same
  with ``SOURCECHECK_READ_AHEAD=0`` (no page reader: what it costs on one CPU);
- a peer script that imports trafilatura, extracts the page and runs quotecheck 0.1.0's
  matcher on the text (without quotecheck installed: trafilatura alone, a floor).

Prints each one's median wall time and the ratio (target: at most 1.0). The quote is
a sentence of the page's own main text, so both tools have work to do and should agree
that it is there. Exit codes: 0 done, 2 bad arguments or no page.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `bench` importable
    sys.path.append(str(Path(__file__).resolve().parent.parent))  # after PYTHONPATH

from bench.corpus import DEFAULT_PAGES, REPO

PEER = """
import sys, trafilatura
html = open(sys.argv[1], encoding="utf-8", errors="replace").read()
text = trafilatura.extract(html, include_comments=False) or ""
try:
    import quotecheck
except ImportError:
    print("trafilatura only")
else:
    print(quotecheck.check(sys.argv[2], text).status)
"""


def pick_quote(page: Path) -> str:
    """A sentence of 12 to 40 words from the page's ground-truth text."""
    truth = (page / "truth.txt").read_text(encoding="utf-8", errors="replace")
    for sentence in re.split(r"(?<=[.!?])\s+", truth):
        if 12 <= len(sentence.split()) <= 40:
            return sentence.strip()
    raise SystemExit(f"no sentence of 12-40 words in {page}")


def timed(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    started = time.perf_counter()
    environ = {**os.environ, **env}
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=environ)
    return time.perf_counter() - started, done.stdout.strip()


def compile_our_modules() -> None:
    """Byte-compile sourcecheck's own modules, as installing a package does.

    The checkout is installed in editable mode, which compiles nothing; where
    PYTHONDONTWRITEBYTECODE is set, every run would compile them again, and a user's
    installed command never does that. Compiling is idempotent, and a source edited
    since is recompiled on import anyway."""
    import compileall

    for package in ("crawler", "verify", "spiders"):
        compileall.compile_dir(str(REPO / package), quiet=1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=Path, default=DEFAULT_PAGES)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--page", help="a page folder's name (default: the first one)")
    args = parser.parse_args(argv)
    folders = sorted(p for p in args.pages.glob("*") if (p / "source.html").is_file())
    if args.page:
        folders = [p for p in folders if p.name == args.page]
    if not folders:
        print(f"no pages in {args.pages}", file=sys.stderr)
        return 2
    page = folders[0]
    quote = pick_quote(page)
    compile_our_modules()
    source = str(page / "source.html")
    ours = [str(REPO / ".venv" / "bin" / "sourcecheck"), "check", quote, "--source", source]
    peer = [sys.executable, "-c", PEER, source, quote]
    # The command as it runs, the same without its page reader (one CPU's worth: see
    # crawler/extraction/ahead.py), and the peer.
    commands: dict[str, tuple[list[str], dict[str, str]]] = {
        "sourcecheck": ([*ours, "--json"], {}),
        "no read-ahead": ([*ours, "--json"], {"SOURCECHECK_READ_AHEAD": "0"}),
        "peer": (peer, {}),
    }
    times: dict[str, list[float]] = {name: [] for name in commands}
    answers: dict[str, str] = {}
    for _ in range(args.rounds):
        for name, (command, env) in commands.items():
            seconds, out = timed(command, env)
            times[name].append(seconds)
            answers[name] = out
    status = json.loads(answers["sourcecheck"] or "{}").get("status")
    median = {name: statistics.median(runs) for name, runs in times.items()}
    load = os.getloadavg()[0]
    print(f"single local check on {page.name} ({len(quote.split())}-word quote), median of "
          f"{args.rounds} alternating runs, {os.cpu_count()} CPUs, load {load:.1f}")  # fmt: skip
    print(f"  sourcecheck check --source page.html  {median['sourcecheck']:6.3f} s  ({status})")
    print(f"  the same, SOURCECHECK_READ_AHEAD=0    {median['no read-ahead']:6.3f} s")
    print(f"  peer: trafilatura + quotecheck        {median['peer']:6.3f} s  ({answers['peer']})")
    print(f"single-check ratio: {median['sourcecheck'] / median['peer']:.2f} (target <= 1.0); "
          f"without the reader {median['no read-ahead'] / median['peer']:.2f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
