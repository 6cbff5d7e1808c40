"""The ``sourcecheck`` command line: thin click commands over :mod:`crawler.job`.

:func:`main` is the one error boundary that maps every failure to an exit code
(:mod:`crawler.errors`); ``run`` is the console-script entry point.
"""

from crawler.cli.app import main, run

__all__ = ["main", "run"]
