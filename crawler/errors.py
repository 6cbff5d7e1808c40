"""The one place where errors meet exit codes (DESIGN.md's CLI contract)."""

from __future__ import annotations

EXIT_OK = 0  # every quote verified
EXIT_MISMATCH = 1  # some quote altered or not found
EXIT_INPUT = 2  # usage or input error
EXIT_UNAVAILABLE = 3  # some source unavailable, and none altered or not found
EXIT_STORAGE = 5  # crawl/run: a verdict could not be stored (those stored are kept)
EXIT_DB_DAMAGED = 6  # db check: the database's own integrity check found damage


class InputError(Exception):
    """Bad input from the user: one clear line on stderr, exit 2."""


def exit_code_for(statuses: list[str]) -> int:
    """The documented exit code for a run's verdicts."""
    if any(s in ("altered", "not_found") for s in statuses):
        return EXIT_MISMATCH
    if any(s == "unavailable" for s in statuses):
        return EXIT_UNAVAILABLE
    return EXIT_OK
