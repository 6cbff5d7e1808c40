"""The HTML report in a real headless browser (Debian's chromium; see tests/support/services.py):
it renders, and a ``<script>`` in a quote shows as text and never runs."""

from __future__ import annotations

import html
import struct
from pathlib import Path

from crawler.cli import main
from crawler.storage.db import make_engine, make_sessions, upgrade
from tests.support import storage_data as data
from tests.support.services import run_chromium

WIDTH, HEIGHT = 1280, 2300


def png_size(path: Path) -> tuple[int, int]:
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    width, height = struct.unpack(">II", head[16:24])
    return width, height


def test_html_report_in_headless_chromium(tmp_path: Path) -> None:
    db = tmp_path / "browser.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    data.populate(make_sessions(engine))
    engine.dispose()
    page = tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--format", "html", "--output", str(page)]) == 0

    profile = str(tmp_path / "chromium-profile")
    shot = tmp_path / "report.png"
    run_chromium(
        [f"--window-size={WIDTH},{HEIGHT}", f"--screenshot={shot}", page.as_uri()], profile
    )
    assert shot.exists() and shot.stat().st_size > 50_000  # a blank page is a few KB
    assert png_size(shot) == (WIDTH, HEIGHT)

    dom = run_chromium(["--virtual-time-budget=2000", "--dump-dom", page.as_uri()], profile)
    # The page was laid out by the browser (the quotes and the chart are there) ...
    assert "Do the quotes match their sources?" in dom and "<svg" in dom
    assert html.escape(data.QUOTES[0].text) in dom
    # ... and the hostile quote is text in the DOM, not an element that ran.
    assert "&lt;script&gt;document.body.setAttribute('data-pwned','1')&lt;/script&gt;" in dom
    assert 'data-pwned="1"' not in dom  # what the script would have set on <body>
    assert "<script" not in dom.lower()
    assert "<img" not in dom.lower()  # the speaker's <img onerror> is text too
