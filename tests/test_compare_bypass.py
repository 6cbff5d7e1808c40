"""crawler/extraction/compare_bypass.py: trafilatura's comparison step, copying the page
only when the comparison will read it, with trafilatura's own result."""

from pathlib import Path
from typing import Any

import pytest
import trafilatura.core
from lxml import etree
from trafilatura.core import _prepare_tree
from trafilatura.settings import Extractor
from trafilatura.utils import load_html

from crawler.extraction import compare_bypass
from crawler.extraction.fast_xpaths import fast_xpaths

PAGES = Path(__file__).parent.parent / "fixtures" / "pages"
URL = "https://example.org/news/story"


def test_written_for_trafilaturas_current_functions() -> None:
    assert compare_bypass.unchanged()


def test_installed_only_inside_the_context() -> None:
    own = trafilatura.core._extract_and_compare
    with fast_xpaths():
        assert trafilatura.core._extract_and_compare is compare_bypass.extract_and_compare
    assert trafilatura.core._extract_and_compare is own


def _run(function: Any, html: str, options: Extractor) -> tuple[bytes, str, bytes]:
    tree = load_html(html)
    cleaned, backup = _prepare_tree(tree, options, URL)
    body, text = function(cleaned, backup, tree, options)
    # the raw tree afterwards too: the baseline and the recall retry read it later
    return etree.tostring(body), text, etree.tostring(tree)


@pytest.mark.parametrize("recall", [True, False], ids=["recall", "balanced"])
@pytest.mark.parametrize("path", sorted(PAGES.glob("*.html")), ids=lambda p: p.name)
def test_the_same_result_as_trafilaturas(path: Path, recall: bool) -> None:
    html = path.read_text(encoding="utf-8", errors="replace")
    if load_html(html) is None:
        pytest.skip("not a page trafilatura reads")
    options = Extractor(recall=recall, comments=False, url=URL)
    ours = _run(compare_bypass.extract_and_compare, html, options)
    assert ours == _run(trafilatura.core._extract_and_compare, html, options)


def test_a_long_text_is_not_copied_for_a_comparison_that_will_not_run(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    copies: list[object] = []
    monkeypatch.setattr(compare_bypass, "copy", lambda tree: copies.append(tree) or tree)
    paragraph = "<p>" + "A sentence of the article that goes on for a while. " * 12 + "</p>"
    long_page = f"<html><body><article>{paragraph * 8}</article></body></html>"
    options = Extractor(recall=True, comments=False, url=URL)
    _run(compare_bypass.extract_and_compare, long_page, options)
    assert copies == []
    short_page = f"<html><body><article>{paragraph}</article></body></html>"
    _run(compare_bypass.extract_and_compare, short_page, options)
    assert len(copies) == 1  # the comparison runs, on a copy, as trafilatura's does
