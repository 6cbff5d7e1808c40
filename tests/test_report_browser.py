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


# A measuring page (the product page forbids scripts): the report, without its CSP, in
# an iframe as wide as the screen measured (headless windows are at least 500px wide),
# and a script that reads the layout the browser made and writes it, as JSON, on <body>.
MEASURE = """<script>
const frame = document.getElementById('report');
frame.addEventListener('load', () => {
  const document = frame.contentDocument;
  const visible = () => [...document.querySelectorAll('main .card')]
    .filter((c) => c.offsetParent !== null)
    .sort((a, b) => a.getBoundingClientRect().top - b.getBoundingClientRect().top)
    .map((c) => [...c.classList].find((k) => k.startsWith('fv-')));
  const width = document.documentElement.clientWidth;
  const out = {
    width: width,
    scroll: document.documentElement.scrollWidth,
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > width + 1)
      .map((e) => e.tagName + '.' + e.className).slice(0, 5),
    order: visible(),
    nosourceTop: document.querySelector('.nosource').getBoundingClientRect().top,
    lastCardBottom: Math.max(...[...document.querySelectorAll('main .card')]
      .map((c) => c.getBoundingClientRect().bottom)),
  };
  document.querySelector('label[for="fv-verified"]').click();
  out.verifiedOnly = visible();
  document.querySelector('label[for="fv-all"]').click();
  document.querySelector('label[for="fo-2"]').click();
  out.secondOutlet = visible();
  window.document.body.setAttribute('data-measured', JSON.stringify(out));
});
</script>"""


def measured(page: Path, width: int, profile: str) -> dict:
    import json
    import re

    text = page.read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    probe = page.with_name(f"probe-{width}.html")
    frame = (
        f'<iframe id="report" style="width:{width}px;height:900px;border:0" '
        f'srcdoc="{html.escape(text, quote=True)}"></iframe>'
    )
    probe.write_text(
        f'<!doctype html><html><body style="margin:0">{frame}{MEASURE}</body></html>',
        encoding="utf-8",
    )
    dom = run_chromium(
        ["--window-size=1400,900", "--virtual-time-budget=3000", "--dump-dom", probe.as_uri()],
        profile,
    )
    found = re.search(r'data-measured="([^"]*)"', dom)
    assert found, "the measuring script did not run"
    return json.loads(html.unescape(found[1]))


def test_problems_first_filters_and_no_overflow_at_desktop_and_phone_width(
    tmp_path: Path,
) -> None:
    db = tmp_path / "browser.db"
    engine = make_engine(f"sqlite:///{db}")
    upgrade(engine)
    data.populate(make_sessions(engine))
    engine.dispose()
    page = tmp_path / "report.html"
    assert main(["report", "--db", str(db), "--format", "html", "--output", str(page)]) == 0
    assert "<script" not in page.read_text(encoding="utf-8").lower()  # filters are CSS only
    profile = str(tmp_path / "chromium-profile")
    for width in (1280, 390):
        got = measured(page, width, profile)
        assert got["width"] <= width
        assert got["scroll"] <= got["width"], f"{width}px: the page scrolls sideways: {got}"
        assert got["wide"] == [], f"{width}px: wider than the screen: {got['wide']}"
        # what needs a person comes first, what is fine after, the unsourced list last
        assert got["order"] == ["fv-altered", "fv-source_edited", "fv-unavailable", "fv-verified"]
        assert got["nosourceTop"] > got["lastCardBottom"]
        # the filters work (CSS only): one verdict, then one outlet
        assert got["verifiedOnly"] == ["fv-verified"]
        assert got["secondOutlet"] and set(got["secondOutlet"]) < set(got["order"])
