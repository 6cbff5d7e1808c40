"""verify/cues.py: search windows from an attribution's time cues, and what to search for."""

from __future__ import annotations

from datetime import date

import pytest

from verify.cues import (
    date_line,
    distinctive_runs,
    published_in_html,
    run_hits,
    search_window,
    title_similarity,
)

PUB = date(2024, 10, 24)


@pytest.mark.parametrize(
    ("attribution", "inside", "outside"),
    [
        (
            "As the BBC reported two years ago at the start of the invasion:",
            "2022-06-10",
            "2024-06-10",
        ),
        ("As The Independent reported:", "2024-10-18", "2024-09-01"),  # default: 30 days
        ("in a recent Guardian piece titled", "2024-09-22", "2024-06-01"),
        ("He told the BBC last week:", "2024-10-15", "2024-09-30"),
        ("On 24 February, she said:", "2024-02-24", "2023-02-24"),
        ("In 2022 the minister said:", "2022-07-01", "2023-01-02"),
        ("In June, he wrote:", "2024-06-15", "2024-05-20"),
        ("three weeks ago", "2024-10-03", "2024-10-20"),
        ("earlier this month", "2024-10-02", "2024-09-29"),
        ("on Monday", "2024-10-21", "2024-10-17"),
        ("speaking in March 2023", "2023-03-15", "2024-03-15"),
    ],
)
def test_cues_set_the_window(attribution: str, inside: str, outside: str) -> None:
    window = search_window(attribution, PUB)
    assert window.contains(date.fromisoformat(inside)), window
    assert not window.contains(date.fromisoformat(outside)), window
    assert window.end <= PUB


def test_a_date_later_in_the_year_is_last_year() -> None:
    window = search_window("on 3 December", date(2024, 3, 1))
    assert window.contains(date(2023, 12, 3)) and window.cue == "on 3 December"


def test_no_cue_is_the_thirty_days_before() -> None:
    window = search_window(None, PUB)
    assert (window.start, window.end, window.cue) == (date(2024, 9, 24), PUB, None)


def test_date_line_and_html_dates() -> None:
    assert date_line("A headline\nPublished: Oct 24, 2024\nText.") == PUB
    assert date_line("A headline\n24 October 2024\n") == PUB
    assert date_line("A headline\nIt was 24 October 2024 when the long story began.\n") is None
    meta = '<meta property="article:published_time" content="2024-10-24T13:30:00+00:00">'
    assert published_in_html(f"<head>{meta}</head>") == PUB
    ld = '<script type="application/ld+json">{"datePublished": "2022-06-10T16:12:48Z"}</script>'
    assert published_in_html(ld) == date(2022, 6, 10)
    assert published_in_html("<p>no date</p>") is None


def test_distinctive_runs_skip_inserted_words_and_spread_over_the_quote() -> None:
    quote = (
        "The enemy’s plans are to use [the North Korean presence] to reinforce conscripts and "
        "border guards in the border regions of Russia."
    )
    runs = distinctive_runs(quote)
    assert runs and all("North Korean presence" not in r for r in runs)
    assert any("conscripts" in r for r in runs)
    assert all(len(r.split()) == 6 for r in runs)


def test_cheap_rankers() -> None:
    cited = "We’re in 1938 now: Putin’s war in Ukraine and lessons from history"
    assert (
        title_similarity(
            cited,
            "‘We’re in 1938 now’: Putin’s war in Ukraine and lessons from history | The Guardian",
        )
        > 90
    )
    assert title_similarity(cited, "North Korean troops in Russia: what we know") < 60
    quote = "If they do deploy to fight against Ukraine, they’re fair game."
    assert (
        run_hits(quote, "Kirby said if they do deploy to fight against Ukraine, they're fair game")
        == 1.0
    )
    assert run_hits(quote, "Kirby said North Korean troops were in Russia") == 0.0
