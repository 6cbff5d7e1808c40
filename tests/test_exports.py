"""Fact-check exports (issue 14): schema.org ClaimReview read back as JSON-LD, and CSV.

The schema.org context comes from ``tests/data/schema_org_context.jsonld``, a local copy
of the part of https://schema.org/docs/jsonldcontext.jsonld that the export uses (the
same term definitions), served by a document loader: the tests never reach the internet.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

from crawler.cli import main
from crawler.storage.db import make_engine, make_sessions, upgrade
from crawler.storage.store import add_article
from tests.support import storage_data as data
from verify.intake import Quotation

CONTEXT = Path(__file__).parent / "data" / "schema_org_context.jsonld"
SCHEMA = "http://schema.org/"
# schema.org's own domains for the properties the export uses (a ClaimReview is a
# Review, a CreativeWork, a Thing: it has their properties too).
THING = {"name", "url", "alternateName"}
CREATIVE_WORK = THING | {"author", "datePublished", "headline"}
PROPERTIES = {
    "ClaimReview": CREATIVE_WORK | {"claimReviewed", "itemReviewed", "reviewRating", "reviewBody"},
    "Claim": CREATIVE_WORK | {"appearance", "firstAppearance"},
    "CreativeWork": CREATIVE_WORK,
    "Rating": THING | {"ratingValue", "bestRating", "worstRating", "author"},
    "Person": THING,
    "Organization": THING,
}


def local_loader(url: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    if url.rstrip("/") not in ("https://schema.org", "http://schema.org"):
        raise AssertionError(f"the test tried to load {url}")
    return {
        "contentType": "application/ld+json",
        "contextUrl": None,
        "documentUrl": url,
        "document": json.loads(CONTEXT.read_text(encoding="utf-8")),
    }


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    path = tmp_path / "exports.db"
    engine = make_engine(f"sqlite:///{path}")
    upgrade(engine)
    sessions = make_sessions(engine)
    data.populate(sessions)
    with sessions.begin() as session:  # a spreadsheet formula in an article's quote
        hostile = Quotation(
            text='=HYPERLINK("http://evil.example","click")',
            kind="inline",
            position=1,
            speaker="@SUM(1+1)",
            outlet="-2+3",
            url=None,
        )
        add_article(session, "https://example.org/other", "+Other", "h2", [hostile])
    engine.dispose()
    return path


def export(db_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["report", "--db", str(db_path), "--format", fmt]) == 0
    return capsys.readouterr().out


def check_node(node: dict[str, Any]) -> None:
    """Every type and property of an expanded node (and its children) is schema.org's."""
    (type_iri,) = node["@type"]
    assert type_iri.startswith(SCHEMA), type_iri
    kind = type_iri.removeprefix(SCHEMA)
    for key, values in node.items():
        if key.startswith("@"):
            continue
        assert key.startswith(SCHEMA), key
        assert key.removeprefix(SCHEMA) in PROPERTIES[kind], f"{kind} has no {key}"
        for value in values:
            if "@type" in value and isinstance(value["@type"], list):
                check_node(value)


def test_claimreview_reads_back_as_schema_org_json_ld(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    doc = json.loads(export(db_path, "claimreview", capsys))
    expanded = jsonld.expand(doc, {"documentLoader": local_loader})
    reviews = [n for n in expanded if n.get("@type") == [SCHEMA + "ClaimReview"]]
    # one per checked quotation: verified, altered, edited away, gone (not the unsourced ones)
    assert len(reviews) == len(expanded) == 4
    for review in reviews:
        check_node(review)
        rating = review[SCHEMA + "reviewRating"][0]
        value = rating[SCHEMA + "ratingValue"][0]["@value"]
        best = rating[SCHEMA + "bestRating"][0]["@value"]
        worst = rating[SCHEMA + "worstRating"][0]["@value"]
        assert worst <= value <= best
        claim = review[SCHEMA + "itemReviewed"][0]
        appearance = claim[SCHEMA + "appearance"][0]
        assert appearance[SCHEMA + "url"] == [{"@id": data.ARTICLE_URL}]
        assert review[SCHEMA + "url"][0]["@id"].startswith("https://")  # the evidence
        date = review[SCHEMA + "datePublished"][0]
        assert date["@type"] == SCHEMA + "Date" and len(date["@value"]) == 10
    by_words = {r[SCHEMA + "claimReviewed"][0]["@value"]: r for r in reviews}
    altered = by_words[data.QUOTES[1].text]
    rating = altered[SCHEMA + "reviewRating"][0]
    assert rating[SCHEMA + "alternateName"][0]["@value"] == "Altered quote: number changed"
    speaker = altered[SCHEMA + "itemReviewed"][0][SCHEMA + "author"][0]
    assert speaker[SCHEMA + "name"][0]["@value"] == "The minister"
    assert (
        "the source says '3,000', the quote '5,000'"
        in (altered[SCHEMA + "reviewBody"][0]["@value"])
    )
    verified = by_words[data.QUOTES[0].text][SCHEMA + "reviewRating"][0]
    assert verified[SCHEMA + "alternateName"][0]["@value"] == "Accurate quote"
    names = {r[SCHEMA + "reviewRating"][0][SCHEMA + "alternateName"][0]["@value"] for r in reviews}
    assert "Source unavailable" in names
    # problems first, as in the report
    first = reviews[0][SCHEMA + "reviewRating"][0][SCHEMA + "ratingValue"][0]["@value"]
    assert first < 5


def test_a_typo_in_a_property_would_fail_the_check() -> None:
    node = {"@context": "https://schema.org", "@type": "ClaimReview", "claimReveiwed": "x"}
    (expanded,) = jsonld.expand(node, {"documentLoader": local_loader})
    with pytest.raises(AssertionError):
        check_node(expanded)


def test_csv_has_a_row_per_quotation_and_neutralises_formulas(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = list(csv.DictReader(io.StringIO(export(db_path, "csv", capsys))))
    assert len(rows) == 6
    assert [r["finding"] for r in rows[:3]] == ["altered", "source_edited", "unavailable"]
    altered = rows[0]
    assert altered["words_in_place"] == "96" and "'3,000'" in altered["what_changed"]
    hostile = next(r for r in rows if "HYPERLINK" in r["quote"])
    for column in ("quote", "speaker", "outlet", "article_title"):
        assert hostile[column][0] == "'", column  # a spreadsheet shows it as text
    for row in rows:
        assert not any(v.startswith(("=", "+", "-", "@")) for v in row.values())
