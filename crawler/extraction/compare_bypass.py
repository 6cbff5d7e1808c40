"""trafilatura's comparison step without its copy of the page when it will not compare.

Why our own: ``trafilatura.core._extract_and_compare`` copies the whole raw tree
(``copy(tree)``, about 1 ms a page) for :func:`trafilatura.external.compare_extraction`,
whose first test, with ``favor_recall`` (as read_html calls it), returns the main
extractor's result untouched whenever it holds more than ten times
``min_extracted_size`` characters: most articles, which then never read the copy.
:func:`extract_and_compare` makes that same test first and copies only when the
comparison will run, so the result is the same. It is installed, with the XPath
stand-ins, only inside :func:`crawler.extraction.fast_xpaths.fast_xpaths`, and only
while both functions are the source text it was written against
(:data:`WRITTEN_FOR`, :data:`BYPASS`); tests/test_fast_xpaths.py fails when they are not.
"""

from __future__ import annotations

import hashlib
import inspect
from copy import copy
from typing import Any

import trafilatura.core
import trafilatura.external
from lxml.etree import _Element
from lxml.html import HtmlElement
from trafilatura.external import compare_extraction
from trafilatura.main_extractor import extract_content
from trafilatura.settings import Extractor

# trafilatura 2.3.1's function (the SHA-256 of its source text), and the first statements
# of compare_extraction's body, which hold the bypass.
WRITTEN_FOR = "f7d056c2118222e8ffb17e32d4796ccbddc452936d7177e27c53fb6d39b8f6e6"
BYPASS = """    len_text = len(text)
    # bypass for recall
    if options.focus == "recall" and len_text > options.min_extracted_size * 10:
        return body, text
"""


def extract_and_compare(
    cleaned_tree: HtmlElement,
    cleaned_tree_backup: HtmlElement,
    tree: HtmlElement,
    options: Extractor,
) -> tuple[_Element, str]:
    """``trafilatura.core._extract_and_compare``, copying the raw tree only when
    ``compare_extraction`` will read it."""
    postbody, temp_text = extract_content(cleaned_tree, options)
    if not options.fast:
        if options.focus == "recall" and len(temp_text) > options.min_extracted_size * 10:
            return postbody, temp_text  # compare_extraction's own bypass, before the copy
        postbody, temp_text = compare_extraction(
            cleaned_tree_backup, copy(tree), postbody, temp_text, options
        )
    return postbody, temp_text


def _source(function: Any) -> str:
    try:
        return inspect.getsource(function)
    except (OSError, TypeError):  # no source to compare: keep trafilatura's own
        return ""


def unchanged() -> bool:
    """Whether trafilatura's two functions are still those :data:`WRITTEN_FOR`."""
    theirs = _source(trafilatura.core._extract_and_compare).encode("utf-8")
    compare = _source(trafilatura.external.compare_extraction)
    body = compare.split('feeds justext."""\n', 1)[-1]
    return hashlib.sha256(theirs).hexdigest() == WRITTEN_FOR and body.startswith(BYPASS)
