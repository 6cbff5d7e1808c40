"""A local HTTP server on 127.0.0.1 serving given pages and counting every request.

For the crawl-worker tests and bench/throughput.py: ``pages`` maps a path to the HTML
bytes to serve (or to the bytes and their Content-Type). ``gate``, when set, holds
every page request after the first ``gate_after`` until the gate is opened, so a test
can kill a worker while it has requests in flight.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from testbed.localserver import LocalServer, QuietHandler


class PageServer(LocalServer):
    def __init__(
        self, pages: dict[str, bytes | tuple[bytes, str]], gate_after: int | None = None
    ) -> None:
        super().__init__(_Handler)
        self.pages = pages
        self.hits: Counter[str] = Counter()
        self.first_hit: float | None = None  # time.time() of the first page request
        self.gate = threading.Event()
        self.gate_after = gate_after
        if gate_after is None:
            self.gate.set()
        self.start()

    def page_hits(self) -> Counter[str]:
        with self.lock:
            return Counter({p: n for p, n in self.hits.items() if p != "/robots.txt"})

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a killed worker hangs up on its held requests: expected

    def stop(self) -> None:
        self.gate.set()
        super().stop()


class _Handler(QuietHandler):
    server: PageServer

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        with self.server.lock:
            self.server.hits[path] += 1
            if self.server.first_hit is None and path != "/robots.txt":
                self.server.first_hit = time.time()
            served = sum(n for p, n in self.server.hits.items() if p != "/robots.txt")
        body = self.server.pages.get(path)
        if path != "/robots.txt" and (
            self.server.gate_after is not None and served > self.server.gate_after
        ):
            self.server.gate.wait(60)
        if body is None:
            status, body, ctype = 404, b"not here", "text/plain"
        elif isinstance(body, tuple):
            status, (body, ctype) = 200, body
        else:
            status, ctype = 200, "text/html; charset=utf-8"
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


# Made-up local news for the tests (no publisher's text).
PLACES = ("Ashford", "Brindle", "Calder", "Dunmore", "Elsworth", "Fenwick")
TOPICS = ("the ferry timetable", "the library roof", "a new cycle lane", "the flood barrier")


def sentences(i: int) -> list[str]:
    """Six sentences of a made-up local news story, different for every page."""
    place, topic = PLACES[i % len(PLACES)], TOPICS[i % len(TOPICS)]
    return [
        f"Councillors in {place} met on Thursday evening to discuss {topic} for story {i}.",
        f"The council said {i + 12} residents had written in about {topic} since spring.",
        f"A spokesperson said the work on {topic} would cost about {i * 7 + 40} thousand pounds.",
        "Several shopkeepers on the high street said they had not been consulted at all.",
        f"The meeting in {place} ran for nearly three hours before a vote was taken.",
        f"A final decision on {topic} is expected when the committee meets in {i % 12 + 1} weeks.",
    ]


def article_html(i: int) -> bytes:
    body = "".join(f"<p>{s}</p>" for s in sentences(i))
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Story {i}</title></head>"
        f"<body><article><h1>Local story {i}</h1>{body}</article></body></html>"
    ).encode()
