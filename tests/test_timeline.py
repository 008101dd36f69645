"""Timeline: date expressions resolved against publication dates, events merged and sorted."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from conftest import need_shared
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import newsdesk
from newsdesk.briefing.timeline import build_timeline, date_key, find_dates
from newsdesk.cli import app

FRI = dt.date(2021, 3, 12)  # a Friday


def dates_of(text: str, published: dt.date | None = FRI) -> list[tuple[str, str]]:
    return [(m.phrase, m.date) for m in find_dates(text, published)]


def test_weekdays_are_past_unless_the_clause_speaks_of_the_future():
    assert ("late Thursday", "2021-03-11") in dates_of("The mayor resigned late Thursday.")
    assert ("on Friday", "2021-03-12") in dates_of("Talks were held on Friday in the capital.")
    assert ("on Monday", "2021-03-08") in dates_of("The bridge collapsed on Monday.")
    assert ("on Monday", "2021-03-15") in dates_of("The two leaders will meet on Monday.")
    assert ("on Tuesday", "2021-03-16") in dates_of("Ministers are due to vote on Tuesday.")
    assert ("last Friday", "2021-03-05") in dates_of("He arrived last Friday.")


def test_relative_and_partial_dates():
    got = dates_of("Fighting began last month and the war of the early 1990s, and a 1991-94 war, ended "
                   "with a truce in 1994. Protests spread in March, yesterday and again since Feb. 27.")
    assert ("last month", "2021-02") in got
    assert any(d == "1990" for p, d in got if "1990s" in p)
    assert any(d == "1991" for p, d in got if "1991" in p)
    assert ("1994", "1994") in got
    assert ("in March", "2021-03") in got
    assert ("yesterday", "2021-03-11") in got
    assert ("Feb. 27", "2021-02-27") in got


def test_explicit_dates_and_year_inference():
    got = dates_of("It opened on October 9, 2020 and closed on 3 January 2021; the vote is on Dec. 28.",
                   dt.date(2021, 1, 5))
    assert ("October 9, 2020", "2020-10-09") in got
    assert ("3 January 2021", "2021-01-03") in got
    assert ("Dec. 28", "2020-12-28") in got  # nearest to publication: last year


def test_no_publication_date_means_no_relative_resolution():
    got = dates_of("The talks began on Friday, last month, on Oct. 9, after the 2003 truce.", None)
    assert got == [("2003", "2003")]


def test_numbers_are_not_years():
    assert dates_of("Some 2,500 people and 1500 troops, 2000 percent more, with 30,000 killed.") == []


def test_demo_planted_dates_resolved(demo_articles, answers):
    by_id = {a.id: a for a in demo_articles}
    for row in answers["relative_dates"] + answers["explicit_dates"]:
        a = by_id[row["article"]]
        found = find_dates(a.text, a.published)
        # the key word of the phrase: the weekday/month/year/relative word
        words = [w for w in re.findall(r"[\w']+", row["phrase"]) if w.lower() not in
                 {"on", "late", "since", "in", "the", "morning", "evening", "night", "of", "that", "ended",
                  "war", "truce", "brennholm", "proclaimed", "their", "republic", "shelling"}]
        key = words[-1].removesuffix("'s").lower()
        assert any(key in m.phrase.lower() and m.date == row["date"] for m in found), (row, found)


@pytest.fixture(scope="module")
def lurane(demo_articles, answers, nlp):
    ids = answers["stories"][0]
    dups = set(answers["duplicates"])
    arts = [a for a in demo_articles if a.id in ids and a.id not in dups]
    return nlp.parse_many(arts, deep=True)


def test_demo_story_timeline_merges_sources_and_is_sorted(lurane, answers):
    events = build_timeline(lurane)
    assert [date_key(e.date) for e in events] == sorted(date_key(e.date) for e in events)
    dups = set(answers["duplicates"])
    assert not any(s in dups for e in events for s in e.sources)
    market = [e for e in events if e.date == "2024-05-13" and len(e.sources) >= 2]
    assert market, "the market shelling is reported by several outlets on Monday 2024-05-13"
    assert any(e.date == "2024-05-16" for e in events)  # the talks, announced ahead
    assert any(e.date == "2024-04" for e in events)  # "last month"


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.data())
def test_property_sorted_verbatim_and_n_dates(lurane, data):
    subset = data.draw(st.lists(st.sampled_from(lurane), min_size=1, max_size=len(lurane), unique_by=lambda p: p.id))
    n = data.draw(st.one_of(st.none(), st.integers(1, 8)))
    events = build_timeline(subset, dates=n)
    assert [date_key(e.date) for e in events] == sorted(date_key(e.date) for e in events)
    texts = {p.id: p.article.text for p in subset}
    for e in events:
        assert e.text in texts[e.sources[0]]
        assert len(set(e.sources)) == len(e.sources) and set(e.sources) <= set(texts)
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", e.date)
    if n is not None:
        assert len({e.date for e in events}) <= n


@settings(max_examples=200, deadline=None)
@given(st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)), st.sampled_from(
    ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]),
    st.sampled_from(["on", "late", "will meet on", "last", "next"]))
def test_property_weekday_within_a_week(pub, day, lead):
    got = find_dates(f"They {lead} {day} said so.", pub)
    assert len(got) == 1
    d = dt.date.fromisoformat(got[0].date)
    assert d.strftime("%A") == day
    assert abs((d - pub).days) <= 7


@given(st.text(max_size=200), st.one_of(st.none(), st.dates(dt.date(1950, 1, 1), dt.date(2050, 1, 1))))
def test_property_find_dates_total(text, pub):
    for m in find_dates(text, pub):
        assert text[m.start:m.end] == m.phrase
        assert re.fullmatch(r"\d{4}(-\d\d(-\d\d)?)?", m.date)


def test_seeds_talks_and_start_of_fighting(seed_articles, nlp):
    originals = [a for a in newsdesk.dedupe(seed_articles) if a.duplicate_of is None]
    events = build_timeline(nlp.parse_many(originals, deep=True))
    assert any(e.date == "2020-10-09" and "talks" in e.text.lower() for e in events)
    assert any(e.date == "2020-09-27" and re.search(r"erupt|clash|broke out|fighting", e.text) for e in events)


def test_cli_timeline_json(demo_dir):
    res = CliRunner().invoke(app, ["timeline", str(demo_dir / "wire"), "--dates", "3", "--json"])
    assert res.exit_code == 0, res.output
    tl = json.loads(res.stdout)["timeline"]
    assert tl and len({e["date"] for e in tl}) <= 3
    assert all(set(e) == {"date", "text", "sources"} for e in tl)
    assert [e["date"] for e in tl] == sorted(e["date"] for e in tl)


def test_seed_brief_has_timeline(seed_briefs):
    need_shared("seeds")
    tl = [e for b in seed_briefs for e in b.timeline]
    assert any(e.date == "2020-10-09" for e in tl)


def test_event_date_skips_datelines_and_period_anchors(nlp):
    a = newsdesk.Article(id="w1", published=FRI, text=(
        "PORTVILLE, 12 March (Wire) – The dam failed on Wednesday after days of rain.\n\n"
        "Officials said on Friday that 40 people had died since March 1 in the floods."))
    events = build_timeline([nlp.parse(a, deep=False)])
    by_text = {e.text[:12]: e.date for e in events}
    assert by_text == {"The dam fail": "2021-03-10", "Officials sa": "2021-03-12"}  # dateline not in the span
    # every date still counts towards importance: asking for 3 dates may bring March 1 back
    assert "2021-03-01" in {e.date for e in build_timeline([nlp.parse(a, deep=False)], dates=3)}
