"""Run the sourcecheck CLI in a subprocess: one crawl per process, as in real use."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
FIXTURES = REPO / "fixtures"


def sourcecheck(
    *args: str, env: dict[str, str] | None = None, cwd: Path = REPO, timeout: float = 120
) -> subprocess.CompletedProcess:
    # Only what a test passes opens the guard or changes the settings.
    inherited = {k: v for k, v in os.environ.items() if not k.startswith("SOURCECHECK_")}
    full_env = {**inherited, "PYTHONPATH": str(REPO), **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "crawler", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        timeout=timeout,
    )


def batch(
    tmp_path: Path, rows: list[dict[str, Any]], *extra: str, env: dict[str, str] | None = None
) -> tuple[dict[Any, dict[str, Any]], subprocess.CompletedProcess]:
    """Check many quotes in one crawl; the JSON result of each row by its id."""
    path = tmp_path / "batch.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    run = sourcecheck("check", "--batch", str(path), "--json", *extra, env=env)
    results = {}
    for line in run.stdout.splitlines():
        row = json.loads(line)
        results[row["id"]] = row
    return results, run
