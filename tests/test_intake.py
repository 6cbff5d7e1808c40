"""Quote intake: every quotation of the seed citing article, in both its forms, and the
rules one at a time on small articles written here."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from verify.intake import Quotation, find_quotes_in_html, find_quotes_in_text, text_paragraphs
from verify.outlets import OUTLETS, outlet_for_url, outlet_named_in

PAGES = Path(__file__).resolve().parent.parent / "fixtures" / "pages"
INDEPENDENT = "https://www.independent.co.uk/news/world/asia/north-korea-troops-russia-ukraine-nis-b2631234.html"
GUARDIAN = (
    "https://www.theguardian.com/world/2024/sep/22/"
    "timothy-snyder-putin-ukraine-war-1938-lessons-history"
)
BBC = "https://www.bbc.com/news/articles/cw8l2nd4pkyo"
SNYDER_TITLE = "We’re in 1938 now: Putin’s war in Ukraine and lessons from history"

# Every quotation of the seed article, in order:
# (kind, speaker, outlet, first words, last words, paragraphs, link in the HTML form).
EXPECTED = [
    (
        "block",
        "Volodymyr Zelenskyy",
        None,
        "This is no longer",
        "occupying military forces.",
        1,
        None,
    ),
    ("block", "Andriy Kovalenko", None, "The enemy’s plans", "the territory of Ukraine.", 1, None),
    ("block", None, "independent", "South Korea’s National", "the NIS said.", 2, INDEPENDENT),
    ("inline", "Volodymyr Zelenskyy", None, "I believe they sent", "deploying troops.", 1, None),
    ("block", "John Kirby", None, "If they do deploy", "against Russian soldiers.", 1, None),
    ("inline", "Volodymyr Zelenskyy", None, "This is a clear step", "that matters.", 1, None),
    ("block", "Damien Spleeters", None, "This illustrates two", "transfer and use.", 1, None),
    ("block", "Damien Spleeters", None, "It would make sense", "to those missiles.", 1, None),
    ("block", "Joe Biden", None, "The autocrats of the world", "simply unthinkable.", 1, None),
    ("block", "Timothy Snyder", "guardian", "If Ukrainians give up", "extend 1938.", 1, GUARDIAN),
    ("inline", "Dmitry Medvedev", None, "would finally lead", "United States of America", 1, None),
    ("block", "Dmitry Medvedev", None, "I cannot with all", "as quickly as possible.", 1, None),
    ("block", "Marjorie Taylor Greene", None, "As long as we remain", "economy at risk.", 1, None),
    ("block", None, "bbc", "When Russia invaded", "in fact an occupation.", 3, BBC),
    ("inline", "Vladimir Putin", None, "there would be no peace", "achieves its goals", 1, None),
]
SCARE_QUOTES = {
    "defensive",
    "defensive pact",
    "steadfast will",
    "united by force",
    "peace",
    "star witness",
    "operation",
    "a negotiated peace",
    "special operation",
    "de-Nazify",
}


def _seed(form: str) -> list[Quotation]:
    text = (PAGES / f"citing-article.{form}").read_text(encoding="utf-8")
    return find_quotes_in_html(text) if form == "html" else find_quotes_in_text(text)


@pytest.mark.parametrize("form", ["html", "txt"])
def test_every_quotation_of_the_seed_article(form: str) -> None:
    found = _seed(form)
    got = [(q.kind, q.speaker, q.outlet, q.text.count("\n") + 1, q.position) for q in found]
    want = [(k, s, o, n, i) for i, (k, s, o, _, _, n, _) in enumerate(EXPECTED)]
    assert got == want
    for q, (_, _, _, first, last, _, _) in zip(found, EXPECTED, strict=True):
        assert q.text.startswith(first), q.text
        assert q.text.endswith(last), q.text


def test_links_to_the_three_cited_pages_come_from_the_html() -> None:
    assert [q.url for q in _seed("html")] == [row[-1] for row in EXPECTED]
    assert all(q.url is None for q in _seed("txt"))


@pytest.mark.parametrize("form", ["html", "txt"])
def test_snyder_title_is_a_title_not_a_quotation(form: str) -> None:
    found = _seed(form)
    snyder = next(q for q in found if q.speaker == "Timothy Snyder")
    assert snyder.title == SNYDER_TITLE
    assert [q.title for q in found].count(SNYDER_TITLE) == 1
    assert all(q.text != SNYDER_TITLE for q in found)


@pytest.mark.parametrize("form", ["html", "txt"])
def test_scare_quotes_and_nested_terms_are_not_quotations(form: str) -> None:
    texts = {q.text.strip('“”",. ') for q in _seed(form)}
    assert not texts & SCARE_QUOTES


def test_html_and_text_forms_give_the_same_quotations() -> None:
    def key(q: Quotation) -> tuple[object, ...]:
        return (q.text, q.kind, q.speaker, q.outlet, q.title, q.position, q.attribution)

    assert [key(q) for q in _seed("html")] == [key(q) for q in _seed("txt")]


def test_attribution_is_the_introducing_sentence() -> None:
    found = _seed("txt")
    assert found[2].attribution == "As The Independent reported:"
    assert found[3].attribution.startswith("Zelenskyy told reporters,")
    # The Spleeters line is two sentences; the attribution is the second.
    assert found[6].attribution.startswith("Damien Spleeters, investigator")


# -- the rules, one at a time ----------------------------------------------------------


def _one(text: str) -> Quotation:
    found = find_quotes_in_text(text)
    assert len(found) == 1, found
    return found[0]


def test_curly_and_straight_quotes_give_the_same_quotation() -> None:
    curly = _one("Zelenskyy told reporters, “This is a clear step in Russia’s escalation.”")
    straight = _one('Zelenskyy told reporters, "This is a clear step in Russia’s escalation."')
    assert curly.text == straight.text == "This is a clear step in Russia’s escalation."
    assert curly.speaker == straight.speaker == "Zelenskyy"


def test_nested_quotes_stay_inside_the_outer_quotation() -> None:
    q = _one("Kirby said, “They told us ‘we are not leaving’ and we believe them today.”")
    assert q.text == "They told us ‘we are not leaving’ and we believe them today."
    q = _one('Greene said, “I read the "new plan" and it was a total disgrace.”')
    assert q.text == 'I read the "new plan" and it was a total disgrace.'


def test_a_quotation_may_span_a_line_break() -> None:
    text = "Zelenskyy told reporters, “I believe they sent officers\nfirst to assess it.”\n"
    assert len(text_paragraphs(text)) == 1
    assert _one(text).text == "I believe they sent officers first to assess it."


def test_a_hard_wrapped_sentence_is_one_paragraph() -> None:
    text = "White House spokesperson John Kirby\nstated:\nThey are fair game, all of them.\n"
    q = _one(text)
    assert (q.kind, q.speaker, q.text) == (
        "block",
        "John Kirby",
        "They are fair game, all of them.",
    )


def test_he_added_is_the_last_named_speaker() -> None:
    text = (
        "White House spokesperson John Kirby stated:\n"
        "They are fair game.\n"
        "Evidence also suggests more.\n"
        "He added:\n"
        "They will be treated as combatants.\n"
    )
    found = find_quotes_in_text(text)
    assert [(q.kind, q.speaker) for q in found] == [("block", "John Kirby")] * 2


def test_a_surname_resolves_to_the_full_name_named_before() -> None:
    text = "President Joe Biden spoke.\nAs Biden asserted:\nWe cannot let that happen at all.\n"
    assert _one(text).speaker == "Joe Biden"


@pytest.mark.parametrize(
    "sentence",
    [
        "“They are fair game and fair targets,” said Kirby.",
        "“They are fair game and fair targets,” Kirby said.",
        "“They are fair game and fair targets,” said White House spokesperson John Kirby.",
    ],
)
def test_an_attribution_after_the_quote(sentence: str) -> None:
    q = _one("John Kirby spoke on Monday.\n" + sentence)
    assert q.speaker == "John Kirby"
    assert q.text == "They are fair game and fair targets"


def test_a_pronoun_after_the_quote_is_the_last_speaker() -> None:
    text = (
        "Zelenskyy told reporters, “We will not give up our land.”\n"
        "“We will win this war,” he said."
    )
    assert [q.speaker for q in find_quotes_in_text(text)] == ["Zelenskyy", "Zelenskyy"]


def test_an_outlet_named_as_subject_is_the_outlet_not_a_speaker() -> None:
    q = _one("As the BBC reported:\nPutin falsely claimed it was a special operation.\n")
    assert (q.speaker, q.outlet) == (None, "bbc")
    q = _one("Kirby told the BBC, “They are fair game, all of them.”")
    assert (q.speaker, q.outlet) == ("Kirby", "bbc")


def test_short_quotes_and_titles_are_not_quotations() -> None:
    text = (
        "Putin signed a “defensive” pact, a “star witness,” said the report.\n"
        "Snyder wrote a piece titled “We’re in 1938 now: lessons from history” last year.\n"
    )
    assert find_quotes_in_text(text) == []


def test_a_title_in_an_inline_quotations_sentence_is_its_title() -> None:
    q = _one("In a piece titled “Lessons of 1938”, Snyder wrote, “We are in 1938 now, not 1939.”")
    assert (q.speaker, q.title, q.text) == (
        "Snyder",
        "Lessons of 1938",
        "We are in 1938 now, not 1939.",
    )


def test_a_colon_line_without_a_speech_verb_starts_no_block() -> None:
    assert find_quotes_in_text("Here is what we know so far:\nThe troops are in Russia.\n") == []


def test_narration_after_a_block_is_not_part_of_it() -> None:
    text = (
        "As The Independent reported:\n"
        "Pyongyang has sent around 3,000 troops to Russia’s far east.\n"
        "The troops have been supplied with Russian uniforms, the NIS said.\n"
        "The Ukrainian intelligence agency is reporting exercises on five bases.\n"
        "Georgia Rep. Marjorie Taylor Greene could have been reading a script when she spouted:\n"
        "As long as we remain a member of NATO, we pay.\n"
        "But the fear of NATO encroaching is a ruse.\n"
    )
    found = find_quotes_in_text(text)
    assert [(q.speaker, q.outlet, q.text.count("\n") + 1) for q in found] == [
        (None, "independent", 2),
        ("Marjorie Taylor Greene", None, 1),
    ]


def test_a_report_goes_on_through_a_pronoun_and_an_and() -> None:
    text = (
        "As the BBC reported:\n"
        "Putin falsely claimed it was a “special operation” in the Donbas region.\n"
        "But even as he was uttering those words, his troops were moving on Kyiv.\n"
        "And now Putin feels bold enough to admit that his “operation” is an occupation.\n"
        "Putin claims “there would be no peace until Russia achieves its goals”.\n"
    )
    found = find_quotes_in_text(text)
    assert [(q.kind, q.text.count("\n") + 1) for q in found] == [("block", 3), ("inline", 1)]
    assert found[1].speaker == "Putin"


# -- HTML ------------------------------------------------------------------------------

HTML = """<!doctype html><html><head><title>T</title>
<link rel="canonical" href="https://news.example/2024/story/">
<script>var s = "this quoted script string has many words in it";</script></head>
<body><nav><p>Kirby said, “navigation is not the article at all, no.”</p></nav>
<article><h1>A headline</h1>
<p>As <a href="/cited/independent-b123.html">The Independent reported</a>:</p>
<blockquote><p>First paragraph of the report.</p><p>Second paragraph of it.</p></blockquote>
<p>Kirby said, <q>they are fair game, all of them</q>, on Monday.</p>
<blockquote cite="https://www.bbc.co.uk/news/world-1"><p>Words from the BBC report here.</p>
<footer>— BBC News</footer></blockquote>
<p>Zelenskyy <a href="https://example.org/speech">told reporters</a>,
“We will not give up our land.”</p>
</article></body></html>"""


def test_html_blockquotes_links_q_and_footers() -> None:
    found = find_quotes_in_html(HTML)
    got = [(q.kind, q.speaker, q.outlet, q.url, q.text) for q in found]
    assert got == [
        (
            "block",
            None,
            "independent",
            "https://news.example/cited/independent-b123.html",  # resolved on the canonical
            "First paragraph of the report.\nSecond paragraph of it.",
        ),
        ("inline", "Kirby", None, None, "they are fair game, all of them"),
        (
            "block",
            None,
            "bbc",
            "https://www.bbc.co.uk/news/world-1",
            "Words from the BBC report here.",
        ),
        (
            "inline",
            "Zelenskyy",
            None,
            "https://example.org/speech",
            "We will not give up our land.",
        ),
    ]


def test_html_links_resolve_against_the_given_base_url() -> None:
    found = find_quotes_in_html(HTML, base_url="https://mirror.example/a/b.html")
    assert found[0].url == "https://mirror.example/cited/independent-b123.html"


def test_an_outlet_link_names_the_outlet_when_the_words_do_not() -> None:
    html = (
        '<p>A <a href="https://www.theguardian.com/world/x">recent piece</a> put it this way:</p>'
        "<blockquote><p>Ukraine is the frontier of Europe.</p></blockquote>"
    )
    (q,) = find_quotes_in_html(html)
    assert (q.outlet, q.url) == ("guardian", "https://www.theguardian.com/world/x")


def test_outlet_names_and_domains() -> None:
    assert set(OUTLETS) == {"independent", "bbc", "guardian"}
    assert outlet_named_in("a recent Guardian piece")[0] == "guardian"
    assert outlet_named_in("BBC News said")[0] == "bbc"
    assert outlet_named_in("an independent inquiry") is None
    assert outlet_for_url("https://www.independent.co.uk/news/x-b1.html") == "independent"
    assert outlet_for_url("https://www.bbc.co.uk/news/world-1") == "bbc"
    assert outlet_for_url("https://notbbc.com/news") is None
    assert outlet_for_url(None) is None


def test_a_colon_line_must_name_who_said_it() -> None:
    for line in ("Here's what the early reviews say:", "See tweets:", "This post will discuss:"):
        assert find_quotes_in_text(f"{line}\nThe game is fun and fast to play.\n") == []


def test_a_speaker_named_after_the_quote_with_an_appositive() -> None:
    q = _one(
        "“We saw the need to accelerate that,” Steve Clarke, deputy associate administrator "
        "at NASA, said on Monday."
    )
    assert q.speaker == "Steve Clarke"


def test_an_all_quoted_paragraph_carries_on_the_speaker_before() -> None:
    text = (
        "Chief Secretary to the Treasury Danny Alexander said, “We will cut the deficit.”\n"
        "“It is the only responsible course for the country to take now.”\n"
        "“Nobody else has a plan worth the name,” a critic replied.\n"
    )
    found = find_quotes_in_text(text)
    assert [q.speaker for q in found] == ["Danny Alexander", "Danny Alexander", None]


def test_html_with_an_unclosed_head_and_a_footer_outside_quotes() -> None:
    html = (
        "<html><head><title>x</title><body><p>Kirby said:</p>"
        "<blockquote><p>They are fair game.</p></blockquote>"
        "<footer><p>Kirby said, “this footer is not part of the article at all.”</p></footer>"
    )
    found = find_quotes_in_html(html)
    assert [(q.kind, q.speaker, q.text) for q in found] == [
        ("block", "Kirby", "They are fair game.")
    ]


def test_outlets_agree_with_the_spiders_registry() -> None:
    registry = pytest.importorskip("spiders.registry", reason="the spiders are not merged yet")
    spiders = {cls.outlet: set(cls.domains) for cls in registry.OUTLET_SPIDERS}
    assert spiders == {key: set(domains) for key, (_, domains) in OUTLETS.items()}
    for key, (names, _) in OUTLETS.items():
        for name in names:
            assert registry.OUTLET_NAMES[name.lower()] == key


def test_a_quotation_running_over_two_paragraphs() -> None:
    text = (
        "Ms Persson said: “I would like to emphasise that the injured are doing well.\n"
        "“Her statements have been coherent and consistent all along.”\n"
    )
    found = find_quotes_in_text(text)
    assert [(q.speaker, q.text) for q in found] == [
        ("Persson", "I would like to emphasise that the injured are doing well."),
        ("Persson", "Her statements have been coherent and consistent all along."),
    ]


def test_a_blocks_link_is_its_cite_then_its_introductions_then_its_own() -> None:
    inner = (
        "<blockquote{cite}><p>See <a href='https://inner.example/'>this</a> now.</p></blockquote>"
    )
    intro = "<p>As <a href='https://www.bbc.co.uk/news/1'>the BBC reported</a>:</p>"
    plain = "<p>As the BBC reported:</p>"
    cases = [
        (intro + inner.format(cite=" cite='https://cite.example/'"), "https://cite.example/"),
        (intro + inner.format(cite=""), "https://www.bbc.co.uk/news/1"),
        (plain + inner.format(cite=""), "https://inner.example/"),
    ]
    for html, url in cases:
        assert [q.url for q in find_quotes_in_html(html)] == [url]


_ARTICLE_BITS = st.sampled_from(
    [
        "Kirby said, ",
        "“",
        "”",
        '"',
        "‘",
        " they are fair game ",
        "As The Independent reported:",
        "He added:",
        "\n",
        "\n\n",
        "The troops were there. ",
        " titled, ",
        "<blockquote>",
        "</blockquote>",
        "<p>",
        "<a href='/x'>",
        "</a>",
        "But even as he spoke, ",
        "And now Putin admits it.",
    ]
)


@settings(max_examples=150, deadline=None)
@given(st.lists(_ARTICLE_BITS, max_size=30).map("".join))
def test_any_text_gives_quotations_that_are_in_it(article: str) -> None:
    paragraphs = [p.text for p in text_paragraphs(article)]
    for q in find_quotes_in_text(article):
        if q.kind == "inline":
            assert paragraphs[q.paragraph][q.start : q.start + len(q.text)] == q.text
        else:
            n = q.text.count("\n") + 1
            assert "\n".join(paragraphs[q.paragraph : q.paragraph + n]) == q.text
        assert len(q.text.split()) >= 1


@settings(max_examples=150, deadline=None)
@given(st.lists(_ARTICLE_BITS, max_size=30).map("".join))
def test_any_html_is_read_without_error(article: str) -> None:
    for q in find_quotes_in_html(article, base_url="https://news.example/a/"):
        assert q.kind in ("block", "inline")
        assert q.url is None or q.url.startswith("https://news.example/")


def test_a_sentences_first_word_is_not_a_first_name() -> None:
    text = "Hosting Cook on stage, Marc Benioff smiled.\n“I can feel his presence here,” Cook said."
    assert _one(text).speaker == "Cook"


def test_html_line_breaks_one_joins_two_part() -> None:
    html = (
        "<div>Zelenskyy told reporters, “I believe they sent officers<br>first to assess it.”"
        "<br><br>White House spokesperson John Kirby stated:<br><br>"
        "<blockquote>They are fair game.<br>They are fair targets.</blockquote></div>"
    )
    found = find_quotes_in_html(html)
    assert [(q.kind, q.speaker, q.text) for q in found] == [
        ("inline", "Zelenskyy", "I believe they sent officers first to assess it."),
        ("block", "John Kirby", "They are fair game. They are fair targets."),
    ]


def test_the_documented_examples_hold() -> None:
    import doctest

    import verify.intake
    import verify.outlets

    for module in (verify.intake, verify.outlets):
        result = doctest.testmod(module)
        assert result.attempted > 0 and result.failed == 0
