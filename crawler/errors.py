"""The one place where errors meet exit codes (docs/design.md, "Exit codes")."""

from __future__ import annotations

EXIT_OK = 0  # every quote verified
EXIT_MISMATCH = 1  # some quote altered or not found
EXIT_INPUT = 2  # usage or input error
EXIT_UNAVAILABLE = 3  # some source unavailable, and none altered or not found
EXIT_INTERNAL = 4  # a bug: one line, SOURCECHECK_DEBUG=1 shows the traceback
EXIT_LOCKED = 75  # another crawl holds the lock (sysexits' EX_TEMPFAIL: try later)
# A signal ends a command with the shell's convention, 128 + the signal's number, so
# that a script or cron sees the same status as for a process the signal killed.
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (cron, systemd, kill)


class InputError(Exception):
    """Bad input from the user: one clear line on stderr, exit 2."""


def exit_code_for(statuses: list[str]) -> int:
    """The documented exit code for a run's verdicts."""
    # "misattributed" is a finding, not a status: the words are right, the speaker is not;
    # callers add it to the list so that it fails a check as an altered quote does.
    if any(s in ("altered", "not_found", "misattributed") for s in statuses):
        return EXIT_MISMATCH
    if any(s == "unavailable" for s in statuses):
        return EXIT_UNAVAILABLE
    return EXIT_OK


class LockHeld(Exception):
    """Another crawl holds the lock: exit 75, nothing done."""


class Interrupted(BaseException):
    """A SIGINT or SIGTERM arrived: stop, keep what is stored, exit 128 + signum.

    A BaseException (like KeyboardInterrupt) so that no ``except Exception`` swallows
    it, but not a KeyboardInterrupt, which click would turn into a bare "Aborted!".
    """

    def __init__(self, signum: int = 2, detail: str = "") -> None:  # 2: SIGINT
        super().__init__(signum, detail)
        self.signum = signum
        self.detail = detail

    @property
    def exit_code(self) -> int:
        return 128 + self.signum
