"""The one place where errors meet exit codes (docs/design.md, "Exit codes")."""

from __future__ import annotations

EXIT_OK = 0  # every quote verified
EXIT_MISMATCH = 1  # some quote altered or not found
EXIT_INPUT = 2  # usage or input error
EXIT_UNAVAILABLE = 3  # some source unavailable, and none altered or not found
EXIT_INTERNAL = 4  # a bug: one line, SOURCECHECK_DEBUG=1 shows the traceback
EXIT_LOCKED = 75  # another crawl holds the lock (sysexits' EX_TEMPFAIL: try later)
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class InputError(Exception):
    """Bad input from the user: one clear line on stderr, exit 2."""


def exit_code_for(statuses: list[str]) -> int:
    """The documented exit code for a run's verdicts."""
    if any(s in ("altered", "not_found") for s in statuses):
        return EXIT_MISMATCH
    if any(s == "unavailable" for s in statuses):
        return EXIT_UNAVAILABLE
    return EXIT_OK


class LockHeld(Exception):
    """Another crawl holds the lock: exit 75, nothing done."""


class Interrupted(Exception):
    """The run was stopped by a signal before it finished: exit 130."""
