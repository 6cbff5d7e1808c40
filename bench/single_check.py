"""One quote, one local page, a person at a terminal: sourcecheck against the lightest peer.

    python bench/single_check.py [--pages DIR] [--rounds N] [--page NAME]

Times two whole processes, alternating so that both see the same load:

- ``sourcecheck check QUOTE --source PAGE --json`` (the installed command);
- a peer script that imports trafilatura, extracts the page and runs quotecheck 0.1.0's
  matcher on the text (without quotecheck installed: trafilatura alone, a floor).

Prints each one's median wall time and the ratio (target: at most 1.0). The quote is
a sentence of the page's own main text, so both tools have work to do and should agree
that it is there. Exit codes: 0 done, 2 bad arguments or no page.
"""

from __future__ import annotations

import argparse
import json
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


def timed(argv: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
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
    times: dict[str, list[float]] = {"sourcecheck": [], "peer": []}
    answers: dict[str, str] = {}
    for _ in range(args.rounds):
        for name, command in (("sourcecheck", [*ours, "--json"]), ("peer", peer)):
            seconds, out = timed(command)
            times[name].append(seconds)
            answers[name] = out
    status = json.loads(answers["sourcecheck"] or "{}").get("status")
    ours_s, peer_s = statistics.median(times["sourcecheck"]), statistics.median(times["peer"])
    print(f"single local check on {page.name} ({len(quote.split())}-word quote), "
          f"median of {args.rounds} alternating runs")  # fmt: skip
    print(f"  sourcecheck check --source page.html  {ours_s:6.3f} s  ({status})")
    print(f"  peer: trafilatura + quotecheck        {peer_s:6.3f} s  ({answers['peer']})")
    print(f"single-check ratio: {ours_s / peer_s:.2f} (target <= 1.0)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
