"""The one place where errors meet exit codes (DESIGN.md's CLI contract)."""

from __future__ import annotations

EXIT_OK = 0  # every quote verified
EXIT_MISMATCH = 1  # some quote altered or not found
EXIT_INPUT = 2  # usage or input error
EXIT_UNAVAILABLE = 3  # some source unavailable, and none altered or not found


class InputError(Exception):
    """Bad input from the user: one clear line on stderr, exit 2."""


def exit_code_for(statuses: list[str]) -> int:
    """The documented exit code for a run's verdicts."""
    if any(s in ("altered", "not_found") for s in statuses):
        return EXIT_MISMATCH
    if any(s == "unavailable" for s in statuses):
        return EXIT_UNAVAILABLE
    return EXIT_OK


# A signal ends a command with the shell's convention, 128 + the signal's number, so
# that a script or cron sees the same status as for a process the signal killed.
EXIT_INTERRUPTED = 130  # SIGINT (Ctrl-C)
EXIT_TERMINATED = 143  # SIGTERM (cron, systemd, kill)


class Interrupted(BaseException):
    """A SIGINT or SIGTERM arrived: stop, keep what is stored, exit 128 + signum.

    A BaseException (like KeyboardInterrupt) so that no ``except Exception`` swallows
    it, but not a KeyboardInterrupt, which click would turn into a bare "Aborted!".
    """

    def __init__(self, signum: int, detail: str = "") -> None:
        super().__init__(signum, detail)
        self.signum = signum
        self.detail = detail

    @property
    def exit_code(self) -> int:
        return 128 + self.signum
