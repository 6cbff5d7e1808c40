"""The garbage collector is tuned in every process that does a crawl's work
(crawler/gc_tuning.py): the command from its first line, the crawl once loaded."""

from __future__ import annotations

import subprocess
import sys

from crawler.gc_tuning import THRESHOLDS

AT_EXIT = (
    "import atexit, gc; atexit.register(lambda: print(gc.get_threshold(), gc.get_freeze_count()))"
)


def run(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", f"{AT_EXIT}\n{code}"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.stdout.strip().splitlines()[-1]


def test_the_command_sets_the_thresholds_before_its_imports() -> None:
    line = run(
        "import sys; sys.argv = ['sourcecheck', '--version']\nfrom crawler.entry import run; run()"
    )
    assert line.startswith(str(THRESHOLDS))


def test_a_crawl_freezes_what_it_loaded() -> None:
    code = (
        "from crawler.fetching.fetch import in_reactor\n"
        "async def nothing(runner): return 1\n"
        "assert in_reactor(nothing) == 1\n"
    )
    frozen = run(code).rsplit(" ", 1)[1]
    assert int(frozen) > 10_000  # the modules and settings loaded before the crawl


def test_a_pool_child_is_tuned_too() -> None:
    code = (
        "import gc\n"
        "from concurrent.futures import ProcessPoolExecutor\n"
        "import multiprocessing\n"
        "from crawler.extraction import pool\n"
        "with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context('spawn'),"
        " initializer=pool._leave_with_parent, initargs=(__import__('os').getpid(),)) as ex:\n"
        "    tuned = ex.submit(gc.get_threshold).result()\n"
        "    print(tuned, ex.submit(gc.get_freeze_count).result() > 0)\n"
        "import os; os._exit(0)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert done.stdout.strip() == f"{THRESHOLDS} True"
