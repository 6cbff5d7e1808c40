"""The ``sourcecheck`` console script: signal handling first, then the CLI.

Kept apart from :mod:`crawler.cli` so that the handlers are installed before the
heavy imports (click, SQLAlchemy, Scrapy): a Ctrl-C a moment after starting is an
interrupt too (exit 130, one line), never an import's traceback.
"""

from __future__ import annotations

import sys


def run() -> None:
    from crawler.gc_tuning import tune_gc

    tune_gc()  # before the imports below, which alone made 255 collections
    from crawler import interrupts

    interrupts.install()
    from crawler.extraction import ahead

    ahead.start(sys.argv[1:])  # a local page is read in a second process while we load
    try:
        from crawler.cli import main

        code = main()
    except BaseException as exc:  # an Interrupted while importing, before main's boundary
        from crawler.errors import Interrupted

        if not isinstance(exc, Interrupted):
            raise
        import signal

        print(f"sourcecheck: interrupted by {signal.Signals(exc.signum).name}", file=sys.stderr)
        code = exc.exit_code
    interrupts.work_done()
    sys.exit(code)
