"""A local HTTP server on 127.0.0.1 that misbehaves on purpose, for the fault tests.

Each path is one fault a real site can produce. The article text is written for
these tests (no publisher's text).
"""

from __future__ import annotations

import gzip
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

SENTENCE = "The harbour commission voted on Tuesday to rebuild the old sea wall by 2031."
ARTICLE = (
    "<!doctype html><html><head><meta charset='utf-8'><title>Sea wall vote</title></head>"
    "<body><article><h1>Sea wall vote</h1>"
    + "".join(
        f"<p>{s}</p>"
        for s in (
            "Residents packed the town hall for a meeting that ran late into the evening.",
            SENTENCE,
            "Engineers said the current wall was built in 1952 and has been patched many "
            "times since, most recently after the storms of last winter.",
            "The commission's chair said the work would be paid for by a mix of national "
            "grants and a small levy on harbour moorings over the next decade.",
            "Opponents argued that the plan did not account for rising sea levels and asked "
            "for an independent review before any contract is signed.",
        )
    )
    + "</article></body></html>"
).encode()
CONSENT = (
    b"<!doctype html><html><head><title>Before you continue</title></head><body>"
    b"<div id='sp_message_container_123'><form action='/consent/accept'>"
    b"<p>We and our partners use cookies to personalise content.</p>"
    b"<button>Accept all</button><button>Manage preferences</button></form></div>"
    b"</body></html>"
)
EMPTY = b"<!doctype html><html><head><title>Nothing</title></head><body><p>Hi.</p></body></html>"
# The article nested 5,000 elements deep: libxml2 stops building the tree at 256 levels.
DEEP = (
    b"<!doctype html><html><head><title>Deep</title></head><body>"
    + b"<div>" * 5000
    + ARTICLE.split(b"<body>", 1)[1].split(b"</body>", 1)[0]
    + b"</div>" * 5000
    + b"</body></html>"
)
# A tiny Crawl-delay: the crawl honours it (crawler/fetching/robots.py) without slowing the tests.
ROBOTS = b"User-agent: *\nDisallow: /private/\nCrawl-delay: 0.01\n"
# A tiny PNG header is enough: the Content-Type is what is wrong.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n%%EOF\n"

# Bigger than the tests' DOWNLOAD_MAXSIZE (200 kB).
BIG_SIZE = 400_000
# 50 MB of spaces gzip to about 50 kB: under the size limit on the wire, far over it
# once inflated.
BOMB = gzip.compress(b" " * 50_000_000, compresslevel=9)


class Faults(BaseHTTPRequestHandler):
    counts: ClassVar[dict[str, int]] = {}
    lock = threading.Lock()

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html; charset=utf-8", **extra):
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in extra.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def _hit(self) -> int:
        with self.lock:
            self.counts[self.path] = self.counts.get(self.path, 0) + 1
            return self.counts[self.path]

    def do_GET(self) -> None:
        n = self._hit()
        path = self.path.split("?")[0]
        if path == "/robots.txt":
            self._send(200, ROBOTS, "text/plain")
        elif path in ("/article", "/private/article"):
            self._send(200, ARTICLE)
        elif path == "/flaky":  # 500 once, then the article
            self._send(500, b"oops") if n == 1 else self._send(200, ARTICLE)
        elif path == "/busy":
            self._send(429, b"slow down", "text/plain", Retry_After="0")
        elif path == "/gone":
            self._send(404, b"<html><body>Not here</body></html>")
        elif path.startswith("/loop/"):
            self._send(302, b"", Location=f"/loop/{int(path.rsplit('/', 1)[1]) + 1}")
        elif path == "/to-file":
            self._send(302, b"", Location="file:///etc/passwd")
        elif path == "/to-metadata":
            self._send(302, b"", Location="http://169.254.169.254/latest/meta-data/")
        elif path == "/moved":
            self._send(301, b"", Location="/article")
        elif path == "/slow":
            time.sleep(3)
            self._send(200, ARTICLE)
        elif path == "/big":
            self._send(200, b"<html><body>" + b"<p>padding</p>" * (BIG_SIZE // 14) + b"</body>")
        elif path == "/big-chunked":  # no Content-Length: the limit must hit mid-stream
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            chunk = b"<p>padding</p>" * 1000
            for _ in range(BIG_SIZE // len(chunk) + 2):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif path == "/gzipped":
            self._send(200, gzip.compress(ARTICLE), Content_Encoding="gzip")
        elif path == "/bomb":
            self._send(200, BOMB, Content_Encoding="gzip")
        elif path == "/image":
            self._send(200, PNG, "image/png")
        elif path == "/pdf":
            self._send(200, PDF, "application/pdf")
        elif path == "/consent":
            self._send(200, CONSENT)
        elif path == "/empty":
            self._send(200, EMPTY)
        elif path == "/huge-header":  # one header line far past what a client reads
            self._send(200, ARTICLE, X_Padding="a" * 200_000)
        elif path == "/deep":  # the article inside more nesting than an HTML parser keeps
            self._send(200, DEEP)
        else:
            self._send(404, b"no such fault")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # the crawler hangs up on /slow and /big on purpose


def start() -> tuple[ThreadingHTTPServer, int]:
    """Serve the faults on a free port of 127.0.0.1 in a daemon thread."""
    Faults.counts = {}
    server = QuietServer(("127.0.0.1", 0), Faults)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, server.server_address[1]


def stop(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()
