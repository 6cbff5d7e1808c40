"""The tools the bench compares, each reduced to ``(quote, page) -> status``.

- sourcecheck: ``crawler.extraction.extract.read_html`` once per page, then
  ``verify.check_quote(quote, main_text, page_text)``.
- naive: exact substring after simple folding (case, whitespace, quotes, dashes) on
  trafilatura's main text: what a careful script would do.
- quotecheck 0.1.0 (PyPI) on trafilatura's main text, when it is installed:
  ``found``/``interleaved`` count as verified, ``drift`` as altered, ``absent`` as
  not_found.
"""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

_QUOTES = str.maketrans({c: "'" for c in '"‘’‚‛“”„‟«»‹›`´'})
_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−"})


def naive_fold(text: str) -> str:
    """The folding a careful script would do: nothing that needs thought."""
    return " ".join(text.casefold().translate(_QUOTES).translate(_DASHES).split())


def naive_check(quote: str, folded_text: str) -> str:
    return "verified" if naive_fold(quote) in folded_text else "not_found"


@dataclass
class Outcome:
    """One tool's answer for one case, kept for the failure listing."""

    status: str
    seconds: float = 0.0
    score: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)


def sourcecheck_outcome(result: Any, seconds: float) -> Outcome:
    detail = {"changes": [c.to_dict() for c in result.changes]}
    if result.match is not None:
        detail["match"] = result.match.to_dict()
    if result.reason:
        detail["reason"] = result.reason
    return Outcome(str(result.status), seconds, float(result.score), detail)


def load_quotecheck() -> Any | None:
    """quotecheck's ``check`` when the package is importable, else ``None``."""
    try:
        import quotecheck
    except ImportError:
        return None
    if getattr(quotecheck, "__version__", "") != "0.1.0":
        print(
            f"note: quotecheck {quotecheck.__version__} found; the reference is 0.1.0",
            file=sys.stderr,
        )
    return quotecheck.check


QUOTECHECK_STATUS = {
    "found": "verified",
    "interleaved": "verified",
    "drift": "altered",
    "absent": "not_found",
}


def trafilatura_text(html: str, url: str | None) -> str:
    """Trafilatura's main text the way a user of another tool would get it."""
    import trafilatura

    return trafilatura.extract(html, url=url, include_comments=False) or ""


def words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def run_cli_batch(
    cases: list[dict], pages_dir: Path, command: str
) -> tuple[dict[str, Outcome], dict[str, Any]]:
    """The real thing: ``sourcecheck check --batch FILE --json`` in its own process.

    The wall time includes the interpreter's start-up, imports, reading each file,
    extraction and matching: what a user waits for.
    """
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False, encoding="utf-8") as f:
        for case in cases:
            source = str((pages_dir / case["page"] / "source.html").resolve())
            f.write(json.dumps({"id": case["id"], "quote": case["quote"], "source": source}) + "\n")
        batch = f.name
    argv = shlex.split(command.format(batch=batch))
    started = time.perf_counter()
    try:
        # Not in the repository: `python -m crawler` must find the installed package.
        done = subprocess.run(
            argv, capture_output=True, text=True, check=False, cwd=tempfile.gettempdir()
        )
    finally:
        wall = time.perf_counter() - started
        Path(batch).unlink(missing_ok=True)
    outcomes: dict[str, Outcome] = {}
    for line in done.stdout.splitlines():
        try:
            row = json.loads(line)
        except ValueError:
            continue
        if isinstance(row, dict) and "id" in row:
            status = str(row.get("status") or "error")
            outcomes[str(row["id"])] = Outcome(status, score=row.get("score"), detail=row)
    for case in cases:
        outcomes.setdefault(case["id"], Outcome("error", detail={"error": "no output line"}))
    stderr = done.stderr.strip().splitlines()
    return outcomes, {"total_s": wall, "exit": done.returncode, "stderr_tail": stderr[-3:]}
