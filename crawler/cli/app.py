"""The ``sourcecheck`` command line: one group of thin commands over :mod:`crawler.job`.

One error boundary (:func:`main`) maps every failure to the exit codes of
:mod:`crawler.errors`. Subcommands are imported only when they run (click's lazy
group pattern), so that ``sourcecheck check QUOTE --source page.html`` never imports
SQLAlchemy, Alembic or Scrapy.
"""

from __future__ import annotations

import importlib
import os
import signal
import sys

import click

from crawler import interrupts
from crawler.crawling.storage_failures import failure_line
from crawler.errors import (
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_LOCKED,
    EXIT_STORAGE,
    InputError,
    Interrupted,
    LockHeld,
)
from crawler.safetext import for_terminal
from verify import QuoteError

# name -> "module:attribute" of the click command.
COMMANDS = {
    "check": "crawler.cli.check:check",
    "quotes": "crawler.cli.quotes:quotes",
    "run": "crawler.cli.crawl:run_cmd",
    "crawl": "crawler.cli.crawl:crawl",
    "report": "crawler.cli.report:report",
    "record": "crawler.cli.record:record",
    "db": "crawler.cli.db:db_group",
    "find": "crawler.cli.find:find",
    "index": "crawler.cli.find:index_group",
    "discover": "crawler.cli.discover:discover_cmd",
}


class LazyGroup(click.Group):
    """A group whose commands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module, attr = target.split(":")
        command = getattr(importlib.import_module(module), attr)
        assert isinstance(command, click.Command)
        return command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="sourcecheck", prog_name="sourcecheck")
def cli() -> None:
    """Check that what an article quotes is really in the source it cites."""


def main(argv: list[str] | None = None) -> int:
    """Entry point: the single error boundary that maps errors to exit codes."""
    try:
        cli.main(args=argv, prog_name="sourcecheck", standalone_mode=False)
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    except click.exceptions.Exit as exc:  # --help and friends
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return EXIT_INPUT
    except Interrupted as exc:  # SIGINT or SIGTERM (crawler/interrupts.py): 130 or 143
        name = signal.Signals(exc.signum).name
        detail = f"; {exc.detail}" if exc.detail else ""
        click.echo(f"sourcecheck: interrupted by {name}{detail}", err=True)
        return exc.exit_code
    except (click.Abort, KeyboardInterrupt):
        click.echo("sourcecheck: interrupted by SIGINT", err=True)
        return EXIT_INTERRUPTED
    except LockHeld as exc:
        click.echo(f"sourcecheck: {exc}; nothing done", err=True)
        return EXIT_LOCKED
    except (InputError, QuoteError) as exc:
        click.echo(for_terminal(f"error: {exc}"), err=True)  # may quote a hostile input
        return EXIT_INPUT
    except Exception as exc:  # the boundary: one line, never a traceback
        if (signum := interrupts.received()) is not None:
            # A signal's Interrupted raised inside library code that wrapped it (Twisted
            # turns any exception of a callback into a Failure, and so does Scrapy's set-up
            # while a crawl starts): the command was interrupted, whatever it became.
            interrupted = Interrupted(signum)
            click.echo(f"sourcecheck: interrupted by {signal.Signals(signum).name}", err=True)
            return interrupted.exit_code
        if _is_storage_error(exc):  # read-only, full, gone: what was stored before stays
            click.echo(for_terminal(f"error: storage failed: {failure_line(exc)}"), err=True)
            return EXIT_STORAGE
        if os.environ.get("SOURCECHECK_DEBUG"):
            raise
        click.echo(for_terminal(f"internal error: {type(exc).__name__}: {exc}"), err=True)
        return EXIT_INTERNAL
    return 0


def _is_storage_error(exc: Exception) -> bool:
    """A database error, told apart without importing SQLAlchemy: a command that never
    imported it (a local check) cannot have raised one, and starts faster without it."""
    errors = sys.modules.get("sqlalchemy.exc")
    return errors is not None and isinstance(exc, errors.SQLAlchemyError)


def run() -> None:
    """Console-script entry point (signal handling first: see crawler/entry.py)."""
    from crawler.entry import run as entry_run

    entry_run()
