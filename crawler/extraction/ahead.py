"""Read a local page ahead, in a second process, while the command loads.

A one-quote check of a local page (``sourcecheck check QUOTE --source page.html``) is
mostly start-up: importing trafilatura (a quarter of a second), then click and the
engine. Extraction needs the first, checking the second, and neither needs the other.
So on a machine with a second CPU the console script forks a reader before it imports
anything heavy (:func:`start`, from ``crawler/entry.py``); the reader imports
trafilatura and waits, while this process imports click and the engine and parses the
arguments. The first local source the command loads (:func:`take`, from
``crawler.fetching.sources.load_sources``) is then read there: the reader sends back the
page, then builds the page's full visible text, which this process reads only if the
main text does not settle the quote (a miss).

The reader is a plain ``os.fork`` of a process that has imported nothing but the
standard library and ``crawler.interrupts``: no threads, no reactor, no database (the
extraction pool forbids fork for that reason, and spawns instead). It is told which
file to read, never guesses: the arguments only decide whether to start it (a local
``--source``), and click still parses them. Anything amiss (the reader died, sent
nonsense) and the page is read here as before, so the answer is the same either way.
``SOURCECHECK_READ_AHEAD=0`` turns it off.
"""

from __future__ import annotations

import os
import pickle
import signal
from collections.abc import Sequence
from typing import IO, Any

_reader: Reader | None = None


def wanted(argv: Sequence[str]) -> str | None:
    """The local file a ``check`` command line names with ``--source``, if it is one to
    read ahead: a one-quote check, an existing file, a machine with a second CPU."""
    if os.environ.get("SOURCECHECK_READ_AHEAD", "1") == "0" or not hasattr(os, "fork"):
        return None
    if (os.cpu_count() or 1) < 2 or len(argv) < 3 or argv[0] != "check" or "--batch" in argv:
        return None
    source = None
    for k, arg in enumerate(argv[:-1]):
        if arg in ("--source", "-s"):
            source = argv[k + 1]
    for arg in argv:
        if arg.startswith("--source="):
            source = arg.split("=", 1)[1]
    if source is None or "://" in source or not os.path.isfile(source):
        return None
    return source


def start(argv: Sequence[str]) -> None:
    """Fork the reader when :func:`wanted` says the command will read a local page."""
    global _reader
    if _reader is not None or wanted(argv) is None:
        return
    ask_r, ask_w = os.pipe()
    answer_r, answer_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # the reader
        os.close(ask_w)
        os.close(answer_r)
        _serve(ask_r, answer_w)  # never returns
    os.close(ask_r)
    os.close(answer_w)
    _reader = Reader(pid, os.fdopen(ask_w, "wb"), os.fdopen(answer_r, "rb"))


def take() -> Reader | None:
    """The reader, once: the first local source read asks it, the others read here."""
    global _reader
    reader, _reader = _reader, None
    return reader


class Reader:
    """This process's end of the reader: ask for a file, receive its page."""

    def __init__(self, pid: int, ask: IO[bytes], answer: IO[bytes]) -> None:
        self.pid = pid
        self._ask = ask
        self._answer = answer

    def read(self, path: str) -> Any:
        """The page read from ``path`` (or why it could not be), as
        :func:`crawler.fetching.sources.read_local` gives it; None when the reader
        failed, and the caller reads the file itself."""
        from crawler.errors import InputError
        from crawler.extraction.page import Page, Unreadable

        try:
            pickle.dump(path, self._ask)
            self._ask.close()  # one request: the reader reads nothing more
            kind, *answer = pickle.load(self._answer)
        except (OSError, EOFError, pickle.UnpicklingError):
            return None
        if kind == "page" and isinstance(answer[0], Page):
            page: Page = answer[0]
            page.html = lambda: self._page_text(path, page)
            import logging  # not at the top: the reader is forked before it would load

            logging.getLogger(__name__).info("page read ahead by process %d", self.pid)
            return page
        if kind == "input_error":
            return InputError(answer[0])
        if kind == "unreadable":
            return Unreadable(answer[0], answer[1])
        return None  # the reader hit a bug: read here, and meet it here

    def _page_text(self, path: str, page: Any) -> tuple[str, list[tuple[str, str]]]:
        """The page's full text and link-only texts, as the reader built them (or built
        here from the file when the reader is gone)."""
        try:
            kind, text, links = pickle.load(self._answer)
            if kind == "text" and isinstance(text, str):
                return text, list(links)
        except (OSError, EOFError, pickle.UnpicklingError, ValueError, TypeError):
            pass
        from crawler.extraction.extract import visible_text_and_links
        from crawler.fetching.sources import read_local_text

        return visible_text_and_links(read_local_text(path), page.url)


def _serve(ask_fd: int, answer_fd: int) -> None:
    """The reader's life: import the extractor, read the one file asked for, send back
    the page and then its full text. It never prints (its output goes nowhere), and it
    ends with ``os._exit``: the command's exit handlers are not its own."""
    try:
        for signum in (signal.SIGINT, signal.SIGTERM):
            signal.signal(signum, signal.SIG_DFL)  # a Ctrl-C ends the reader with the command
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):  # do not hold the command's terminal or pipes open
            os.dup2(devnull, fd)
        import crawler.extraction.extract  # noqa: F401 - trafilatura: the import to overlap
        from crawler.errors import InputError
        from crawler.extraction.page import Unreadable
        from crawler.fetching.sources import read_local

        with os.fdopen(ask_fd, "rb") as ask, os.fdopen(answer_fd, "wb") as answer:
            try:
                path = pickle.load(ask)
            except EOFError:  # the command needed no page (a URL, an error, --help)
                os._exit(0)
            try:
                page = read_local(path)
            except InputError as exc:
                pickle.dump(("input_error", str(exc)), answer)
                os._exit(0)
            except Unreadable as exc:
                pickle.dump(("unreadable", exc.reason, exc.detail), answer)
                os._exit(0)
            source, page.html = page.html, None  # the tree stays here
            pickle.dump(("page", page), answer)
            answer.flush()
            page.html = source
            pickle.dump(("text", page.page_text, page.link_texts or []), answer)
    except BaseException:  # the command reads the page itself, and meets the error there
        pass
    os._exit(0)
