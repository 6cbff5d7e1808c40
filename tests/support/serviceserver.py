"""A local HTTP server on 127.0.0.1 that plays outside services (an API, sitemaps).

``routes`` maps a path (query string ignored) to a list of answers, each
``(status, headers, body)``; successive requests to a path get successive answers,
the last one repeating. Every request's path, full URL and time are kept, so a test
can check retries, rates and the query a finder sent.
"""

from __future__ import annotations

import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Answer = tuple[int, dict[str, str], bytes]


class ServiceServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, routes: dict[str, list[Answer]]) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.routes = routes
        self.requests: list[tuple[str, str, float]] = []  # (path, path?query, time)
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    @property
    def host(self) -> str:
        return f"127.0.0.1:{self.server_address[1]}"

    def hits(self, path: str) -> list[tuple[str, str, float]]:
        with self.lock:
            return [r for r in self.requests if r[0] == path]

    def stop(self) -> None:
        self.shutdown()
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    server: ServiceServer

    def log_message(self, format: str, *args: object) -> None:
        pass

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
