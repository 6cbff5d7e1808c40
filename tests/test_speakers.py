"""Who said it: speakers at intake, the speaker check against the source, and the
``misattributed`` finding through the product path (check, batch, run, report, crawl)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.speakers import (
    ORIGINAL,
    ORIGINAL_LABELS,
    check_figures,
    intake_figures,
    original_texts,
    read_labels,
)
from crawler.cli import main
from tests.support.cli_run import FIXTURES, sourcecheck
from verify import Result, Status, check_speaker, same_speaker
from verify.intake import find_quotes_in_html, find_quotes_in_text

MISATTRIBUTED_URL = "https://www.bbc.com/news/articles/cz7kq4n2x9lo"
MISATTRIBUTED_PAGE = str(FIXTURES / "pages" / "bbc-2024-north-korea-escalation-misattributed.html")
ESCALATION = "This is a clear step in Russia’s escalation that matters."


def speakers(text: str) -> list[str | None]:
    return [q.speaker for q in find_quotes_in_text(text)]


# -- intake ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # a pronoun after the quotation, the person named in the paragraph before
            "Amal Haddad grows citrus by the river.\n"
            "“I have already lost forty trees this summer,” she said.",
            ["Amal Haddad"],
        ),
        (  # singular "they"
            "Sam Okoro, the stage manager, joined in 2019.\n"
            "“Nobody here has ever missed a single rehearsal,” they said.",
            ["Sam Okoro"],
        ),
        (  # "it" is the last organisation, not the last person
            "Jane Roe criticised the plan. The Eastmouth Arts Council defended it.\n"
            "“Entries have risen by a third this year,” it added.",
            ["Eastmouth Arts Council"],
        ),
        (  # a description after the verb
            "The role went to Brooke Adeyemi, a nurse.\n"
            "“I only auditioned because my sister dared me,” said the actor.",
            ["Brooke Adeyemi"],
        ),
        (  # an adverb between the name and the verb, a first name alone
            "The role went to Brooke Adeyemi. "
            "Brooke tearfully asked, “Are you sure that is my name?”",
            ["Brooke Adeyemi"],
        ),
        (  # a second quotation alone in its sentence after "says Werner."
            "Lena Werner directed it. “We built the set from driftwood,” says Werner. "
            "“Every plank has been in the sea at least once.”",
            ["Lena Werner", "Lena Werner"],
        ),
        (  # "the ministry said": the organisation named before
            "The Ministry of Water Resources defended the rules.\n"
            "“Without rationing the taps would run dry by August,” the ministry said.",
            ["Ministry of Water Resources"],
        ),
    ],
)
def test_intake_resolves_the_speaker_a_reader_would(text: str, expected: list[str]) -> None:
    assert speakers(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (  # someone brought in unnamed is who "she" is, not the person named before
            "Joseph Minga runs the app. We spoke to one mother, who asked not to be named.\n"
            "“I am so far ahead of every other parent I know,” she said.",
            [None],
        ),
        (  # a title in quotation marks is no one's words
            "Rebecca Solnit wrote a book, “A Paradise Built in Hell: Communities that Arise”.",
            [None],
        ),
        (  # the sentence ended inside the marks: the second quotation is the first's speaker's
            "“It’s a totally different muscle for me,” York said. “You have to take yourself "
            "out of it a little.” But Smith disagreed with her.",
            ["York", "York"],
        ),
        (  # a one-word name seen with a title is a person; "Secretary of State" is a title
            "Secretary of State Hillary Clinton met Prince Andrew.\n"
            "Andrew was unmoved. “Going to Pizza Express is an unusual thing for me,” he said.",
            ["Andrew"],
        ),
    ],
)
def test_intake_keeps_to_whom_a_reader_can_name(text: str, expected: list[str | None]) -> None:
    assert speakers(text) == expected


def test_a_document_or_an_unnamed_person_is_nobodys_speaker() -> None:
    text = (
        "Yusuf Karimi spoke in parliament.\n"
        "“The northern reservoirs will not refill before the rains,” the report said.\n"
        "“The northern reservoirs will not refill before the rains,” officials said."
    )
    assert speakers(text) == [None, None]


def test_an_article_inside_a_form_gives_its_quotations() -> None:
    html = (
        '<html><body><form id="aspnetForm"><input name="q"><main><p>Yusuf Karimi spoke.</p>'
        "<p>“By this time next year the coast will not depend on rivers,” Karimi said.</p>"
        "</main></form></body></html>"
    )
    found = find_quotes_in_html(html)
    assert [(q.speaker, q.text[:7]) for q in found] == [("Yusuf Karimi", "By this")]


def test_a_link_on_a_persons_name_is_not_the_source() -> None:
    html = (
        '<article><p>The minister, <a href="https://meridian.example/profile/karimi">Yusuf '
        "Karimi</a>, said: “By this time next year the coast will not depend on rivers.”</p>"
        '<p>It was reported by <a href="https://www.theguardian.com/world/x">The Guardian</a>, '
        "which quoted an official as saying “the reservoirs will not refill this winter”.</p>"
        "</article>"
    )
    first, second = find_quotes_in_html(html)
    assert (first.speaker, first.url) == ("Yusuf Karimi", None)
    assert (second.speaker, second.url) == (None, "https://www.theguardian.com/world/x")


# -- the speaker check ------------------------------------------------------------------------

SOURCE = (
    "White House spokesman John F. Kirby spoke to reporters on Monday.\n"
    "“If they do deploy to fight against Ukraine, they’re fair game,” Kirby said.\n"
    "Asked about the timing, he added: “We have seen the troops move east this week.”\n"
    "The troops were moved by ship to Vladivostok, the report found.\n"
    "Jane Roe, a senator, disagreed. “This is a dangerous escalation,” she said. "
    "“Nobody wants another front in this war.”\n"
)


def check(words: str, claimed: str | None, text: str = SOURCE, **hints: str) -> tuple:
    at = text.index(words)
    found = check_speaker(text, at, at + len(words), claimed, **hints)  # type: ignore[arg-type]
    return found.status, found.source_speaker


@pytest.mark.parametrize(
    "claimed",
    ["Kirby", "John Kirby", "John F. Kirby", "J. Kirby", "the White House spokesman John Kirby"],
)
def test_same_allows_surnames_titles_and_initials(claimed: str) -> None:
    assert check("they’re fair game", claimed) == ("same", "John F. Kirby")


@pytest.mark.parametrize(
    ("words", "claimed", "expected"),
    [
        ("they’re fair game", "Jane Roe", ("different", "John F. Kirby")),
        ("they’re fair game", "Jane Kirby", ("different", "John F. Kirby")),
        ("seen the troops move east", "Jane Roe", ("different", "John F. Kirby")),  # "he added:"
        ("Nobody wants another front", "Kirby", ("different", "Jane Roe")),  # carried on
        ("moved by ship to Vladivostok", "Kirby", ("source_voice", None)),
        ("moved by ship to Vladivostok", None, ("unknown", None)),  # no claim, no finding
        ("Nobody wants another front", None, ("unknown", "Jane Roe")),
    ],
)
def test_the_source_says_who(words: str, claimed: str | None, expected: tuple) -> None:
    assert check(words, claimed) == expected


def test_a_transcript_label_a_dash_line_a_byline_and_reported_speech() -> None:
    qa = "Q: How often will the gates close?\nA: Between eight and twelve times a year.\n"
    assert check("eight and twelve times", "Helga Brandt", qa, interviewee="Helga Brandt") == (
        "same",
        "Helga Brandt",
    )
    assert check("eight and twelve times", "Tomás Reilly", qa)[0] == "unknown"  # "A:" is whom?
    interview = "Helga Brandt builds gates. We asked Brandt about them.\n" + qa
    assert check("eight and twelve times", "Reilly", interview) == ("different", "Helga Brandt")
    labels = "BRANDT: The gates will hold.\nREILLY: They will close our harbour.\nBRANDT: No.\n"
    assert check("close our harbour", "Brandt", labels) == ("different", "Reilly")
    dash = "“The sea always wins in the end, whatever we build.”\n— Helga Brandt\n"
    assert check("The sea always wins", "Tomás Reilly", dash) == ("different", "Helga Brandt")
    oped = "The sea always wins in the end, whatever we build.\n"
    assert check("sea always wins", "Reilly", oped, byline="Helga Brandt", opinion=True)[0] == (
        "different"
    )
    reported = "Helga Brandt said the gates would close twelve times a year.\n"
    assert check("the gates would close twelve times", "Reilly", reported) == (
        "different",
        "Helga Brandt",
    )


def test_same_speaker_never_matches_another_person() -> None:
    assert same_speaker("Kirby", "John Kirby")
    assert same_speaker("Zoë", "Zoë Lefèvre")
    assert not same_speaker("Jane Kirby", "John Kirby")
    assert not same_speaker("Volodymyr Zelenskyy", "Oksana Haidamaka")


def test_the_word_verdict_never_changes_for_a_speaker() -> None:
    from verify import Attribution

    said = Attribution("different", "Oksana Haidamaka", "she said")
    result = Result(Status.VERIFIED, 100.0, attribution=said)
    assert result.status is Status.VERIFIED and result.findings == ("misattributed",)
    assert Result(Status.NOT_FOUND, attribution=said).findings == ()
    assert result.to_dict()["attribution"]["source_speaker"] == "Oksana Haidamaka"


# -- the gate: figures on the original labelled articles -------------------------------------

PINNED = json.loads((ORIGINAL / "speakers" / "pinned.json").read_text(encoding="utf-8"))


def test_gate_intake_speakers_on_the_original_articles() -> None:
    tally = intake_figures(read_labels(ORIGINAL_LABELS), ORIGINAL)
    assert tally["missing"] == 0
    assert tally["right"] >= PINNED["intake_right"]
    assert tally["wrong"] <= PINNED["intake_wrong"]
    assert tally["right"] >= 0.9 * tally["labelled"] and tally["wrong"] <= 0.02 * tally["labelled"]


def test_gate_speaker_check_on_the_original_articles() -> None:
    labels = [lb for lb in read_labels(ORIGINAL_LABELS) if lb.speaker]
    texts = dict(original_texts())
    same = different = wrong_same = total = 0
    for label in labels:
        text = texts[label.page]
        at = text.find(label.key)
        assert at >= 0, label
        others = {lb.speaker for lb in labels if lb.page == label.page} - {label.speaker}
        total += 1
        same += check_speaker(text, at, at + len(label.key), label.speaker).status == "same"
        for other in others:
            status = check_speaker(text, at, at + len(label.key), other).status
            different += status == "different"
            wrong_same += status == "same"
    assert wrong_same == 0
    assert same >= PINNED["check_same"] and same >= 0.95 * total
    assert different >= PINNED["check_different"]
    clear = check_figures(original_texts())
    assert clear["passages"] and clear["right_same"] == clear["passages"]
    assert clear["other_same"] == 0


def test_an_interview_answer_is_the_interviewees_on_a_recorded_page() -> None:
    texts = dict(original_texts())
    text = texts["speakers/pages/harbour-interview"]
    words = "a closed gate for six hours is better than a flooded harbour"
    assert check(words, "Helga Brandt", text) == ("same", "Helga Brandt")
    assert check(words, "Tomás Reilly", text) == ("different", "Helga Brandt")
    assert check("How often will the gates close", "Brandt", text)[0] == "different"


# -- the product path -------------------------------------------------------------------------


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    return code, capsys.readouterr().out


def test_check_with_another_speaker_is_verified_and_misattributed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # through the crawler on the recorded page (a reactor runs once a process: a child)
    child = sourcecheck(
        "check", ESCALATION, "--source", MISATTRIBUTED_URL, "--replay", str(FIXTURES),
        "--speaker", "Volodymyr Zelenskyy", "--json",
    )  # fmt: skip
    result = json.loads(child.stdout)
    assert child.returncode == 1, child.stderr
    assert result["status"] == "verified" and result["findings"] == ["misattributed"]
    assert result["attribution"]["status"] == "different"
    assert result["attribution"]["source_speaker"] == "Oksana Haidamaka"
    assert "Haidamaka said" in result["attribution"]["evidence"]
    # the recorded page as a local file, in this process
    argv = ("check", ESCALATION, "--source", MISATTRIBUTED_PAGE)
    code, out = run(capsys, *argv, "--speaker", "Zelenskyy")
    assert code == 1
    verdict_line, said_line = out.splitlines()[:2]
    assert verdict_line.startswith("verified")
    assert said_line.startswith("MISATTRIBUTED") and "Oksana Haidamaka" in said_line
    code, out = run(capsys, *argv, "--speaker", "Ms Haidamaka", "--json")
    assert code == 0 and json.loads(out)["attribution"]["status"] == "same"


def test_a_batch_line_takes_a_speaker(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    batch = tmp_path / "quotes.jsonl"
    lines = [
        {"id": "a", "quote": ESCALATION, "source": MISATTRIBUTED_PAGE, "speaker": "Zelenskyy"},
        {"id": "b", "quote": ESCALATION, "source": MISATTRIBUTED_PAGE},
        {"id": "c", "quote": ESCALATION, "source": MISATTRIBUTED_PAGE, "speaker": 7},
    ]
    batch.write_text("\n".join(json.dumps(x) for x in lines), encoding="utf-8")
    code, out = run(capsys, "check", "--batch", str(batch), "--json")
    a, b, c = (json.loads(line) for line in out.splitlines())
    assert a["findings"] == ["misattributed"] and a["speaker"] == "Zelenskyy"
    assert b["findings"] == [] and b["attribution"]["source_speaker"] == "Oksana Haidamaka"
    assert "speaker" in c["error"]
    assert code == 2  # a bad line is an input error


def test_run_uses_the_speaker_found_at_intake_and_reports_the_finding(tmp_path: Path) -> None:
    article = tmp_path / "article.html"
    article.write_text(
        "<article><p>President Volodymyr Zelenskyy spoke on Friday.</p>"
        f'<p>Zelenskyy added, “<a href="{MISATTRIBUTED_URL}">{ESCALATION}</a>”</p></article>',
        encoding="utf-8",
    )
    db, html = tmp_path / "sc.db", tmp_path / "report.html"
    child = sourcecheck("run", str(article), "--replay", str(FIXTURES), "--db", str(db))
    assert child.returncode == 1, child.stderr
    assert "1 verified" in child.stderr and "1 misattributed" in child.stderr
    reported = sourcecheck("report", "--db", str(db), "--format", "json")
    (row,) = json.loads(reported.stdout)["quotes"]
    assert row["status"] == "verified" and row["speaker"] == "Volodymyr Zelenskyy"
    assert row["findings"] == ["misattributed"]
    assert row["attribution"]["source_speaker"] == "Oksana Haidamaka"
    page = sourcecheck("report", "--db", str(db), "--format", "html", "--output", str(html))
    assert page.returncode == 0, page.stderr
    shown = html.read_text(encoding="utf-8")
    assert '<span class="badge">Misattributed</span>' in shown  # the card's own badge, first
    assert 'class="alert misattributed"' in shown and "Oksana Haidamaka" in shown
