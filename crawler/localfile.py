"""Read a file the user named, safely: regular files only, and never more than a cap.

``stat`` cannot be trusted for size: ``/dev/zero`` and ``/proc`` files say 0 bytes and
never end, and a FIFO blocks ``open`` until a writer comes. So the file is opened
non-blocking (a FIFO opens at once), refused unless ``fstat`` says it is a regular
file, and read with a hard cap on the bytes actually read, not on what ``stat`` said.
"""

from __future__ import annotations

import os
import stat

from crawler.errors import InputError

# A local article, source or batch file larger than this is refused, not read.
MAX_FILE_BYTES = 20 * 1024 * 1024


def read_capped(path: str, what: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at ``path``; InputError (naming ``what``) otherwise."""
    if "\x00" in path:
        raise InputError(f"{what} path contains a NUL character")
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputError(f"{what} file not found: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read {what} file {path}: {exc.strerror or exc}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise InputError(f"{what} is a directory, not a file: {path}")
        if not stat.S_ISREG(mode):
            raise InputError(f"{what} is not a regular file (a device, FIFO or socket): {path}")
        chunks: list[bytes] = []
        total = 0
        while total <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    except OSError as exc:
        raise InputError(f"cannot read {what} file {path}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if total > limit:
        raise InputError(f"{what} file is too large (limit {limit // (1024 * 1024)} MB): {path}")
    return b"".join(chunks)
