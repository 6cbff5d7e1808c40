"""Extraction in a small process pool, shared by the crawlers of one crawl process.

trafilatura's extraction is CPU-bound and holds the GIL: run in the crawl process it
stalls fetching, the spider's parse, verification and storage, which all share the
reactor's one thread. Handed to a pool of processes it overlaps with them (the usual
way to keep CPU-bound work out of a Twisted/asyncio reactor; threads would not help,
lxml and trafilatura's Python code hold the GIL for most of a page).

The pool uses the ``spawn`` start method: a forked copy of a process that runs a
reactor (its threads, sockets and locks) is unsafe. Spawned children are the crawl
process's own children, joined on shutdown, so their CPU time is counted with it.
One pool serves every crawler of a process (a crawl runs one crawler per outlet):
the first crawler to open starts it, the last to close shuts it down.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from crawler.extraction.extract import Page, Unreadable, read_html
from crawler.gc_tuning import freeze_startup, tune_gc
from crawler.interrupts import deferred
from spiders.tree import use_in_trafilaturas_parser

# What a child sends back: the page (without its HTML, which the parent already has),
# or the ``unavailable`` reason and detail. ``Unreadable`` itself is not sent: its
# constructor's arguments are not its ``args``, so it would not unpickle intact.
Outcome = Page | tuple[str, str]

# A quote to check against the page where it is read, with the speaker claimed for it.
Check = tuple[str, str | None]

logger = logging.getLogger(__name__)


def read_in_child(
    html: str, url: str | None, body_text: str | None, checks: Sequence[Check] = ()
) -> Outcome:
    """:func:`crawler.extraction.extract.read_html`, run in a pool process, and the
    verdicts of ``checks`` against the page (``Page.verdicts``).

    A batch knows its quotes before it reads its pages. Checking them here, beside the
    extraction, spreads the checking over every CPU too: it costs about as much as the
    extraction (the speaker check, conventions, a miss's page text, which is built here
    from the tree already parsed instead of parsed again in the parent), and done in the
    parent alone it was the batch's bottleneck (issue 8)."""
    try:
        page = read_html(html, url=url, body_text=body_text)
    except Unreadable as exc:
        return exc.reason, exc.detail
    if checks:
        from crawler.crawling.checking import verdict

        for quote, speaker in checks:
            try:
                page.verdicts[(quote, speaker)] = verdict(quote, page, speaker)
            except Exception:  # the parent checks it again and says why
                continue
    page.html = None  # the parent keeps the HTML it sent: do not ship it back
    return page


def _leave_with_parent(parent_pid: int) -> None:
    """Pool initializer: exit when the crawl process is gone.

    A crawl process that is killed (SIGKILL, the OOM killer, a worker stopped hard)
    cannot shut its pool down, and a pool process waiting for work never notices on
    its own: it would stay for good, holding its memory and the crawl's stdout and
    stderr. Once the parent is gone the child is re-parented, which this sees.

    It also tunes the garbage collector as the crawl process does
    (crawler/gc_tuning.py): a spawned child starts with CPython's settings, and has
    imported all it keeps by now. And trafilatura's parser, which parses each page here,
    picks its elements' class in C (spiders/tree.py), as the spider's tree does.
    """
    tune_gc()
    use_in_trafilaturas_parser()
    freeze_startup()

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="leave-with-parent", daemon=True).start()


class SharedPool:
    """One :class:`ProcessPoolExecutor` per process, counted by its users."""

    def __init__(self) -> None:
        self._executor: ProcessPoolExecutor | None = None
        self._processes = 0
        self._users = 0
        self.generation = 0  # which pool a submitted call went to (see renew)

    def acquire(self, processes: int) -> None:
        if self._executor is None:
            self._processes = processes
            self._executor = self._start()
            logger.info("extracting pages in a pool of %d process(es)", processes)
        self._users += 1

    def release(self) -> None:
        self._users -= 1
        if self._users <= 0 and self._executor is not None:
            self._executor.shutdown(wait=True, cancel_futures=True)
            self._executor = None
            self._users = 0

    def submit(
        self, html: str, url: str | None, body_text: str | None, checks: Sequence[Check] = ()
    ) -> Future[Outcome]:
        if self._executor is None:
            raise RuntimeError("the extraction pool is not open")
        # The pool starts its processes on submit: they inherit the held signals, so
        # a Ctrl-C for the crawl never reaches them (the crawl shuts them down).
        with deferred():
            try:
                return self._executor.submit(read_in_child, html, url, body_text, checks)
            except BrokenProcessPool:  # broken since the last call: start a new one
                self.renew()
                return self._executor.submit(read_in_child, html, url, body_text, checks)

    def renew(self, generation: int | None = None) -> None:
        """Replace a broken pool (a child died: out of memory, a crash in lxml), so
        that one bad page costs the pages then in flight, not the rest of the crawl.

        Every call in flight fails with the broken pool; only the first of them to
        get here (its ``generation`` is still the current one) replaces it, so that
        calls already sent to the new pool are not cancelled."""
        if self._executor is None or generation not in (None, self.generation):
            return
        self._executor.shutdown(wait=False, cancel_futures=True)
        self._executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        self.generation += 1
        return ProcessPoolExecutor(
            self._processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_leave_with_parent,
            initargs=(os.getpid(),),
        )


POOL = SharedPool()
