"""A local HTTP server on 127.0.0.1 that plays outside services (an API, sitemaps).

``routes`` maps a path (query string ignored) to a list of answers, each
``(status, headers, body)``; successive requests to a path get successive answers,
the last one repeating. Every request's path, full URL and time are kept, so a test
can check retries, rates and the query a finder sent.
"""

from __future__ import annotations

import time

from testbed.localserver import LocalServer, QuietHandler

Answer = tuple[int, dict[str, str], bytes]


class ServiceServer(LocalServer):
    def __init__(self, routes: dict[str, list[Answer]]) -> None:
        super().__init__(_Handler)
        self.routes = routes
        self.requests: list[tuple[str, str, float]] = []  # (path, path?query, time)
        self.start()

    def hits(self, path: str) -> list[tuple[str, str, float]]:
        with self.lock:
            return [r for r in self.requests if r[0] == path]


class _Handler(QuietHandler):
    server: ServiceServer

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        with self.server.lock:
            seen = sum(1 for r in self.server.requests if r[0] == path)
            self.server.requests.append((path, self.path, time.monotonic()))
        answers = self.server.routes.get(path)
        if not answers:
            status, headers, body = 404, {"Content-Type": "text/plain"}, b"not here"
        else:
            status, headers, body = answers[min(seen, len(answers) - 1)]
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
