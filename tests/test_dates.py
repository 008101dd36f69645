"""The one date grammar: absolute dates in short lines, date expressions in text, periods kept as periods."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.dates import date_bounds, date_key, find_date, find_dates, month_number, parse_absolute, period_bounds

FRI = dt.date(2021, 3, 12)  # a Friday


def dates_of(text: str, published: dt.date | None = FRI) -> list[tuple[str, str]]:
    return [(m.phrase, m.when) for m in find_dates(text, published)]


def test_absolute_dates_in_lines():
    assert find_date("Published: 9 October 2020, 14:05")[0] == dt.date(2020, 10, 9)
    assert find_date("Oct. 9, 2020 | Updated 2020-10-10")[0] == dt.date(2020, 10, 9)
    assert find_date("10/08/2020")[0] == dt.date(2020, 10, 8)  # US order with a slash
    assert find_date("08.10.2020")[0] == dt.date(2020, 10, 8)  # day first with dots
    assert find_date("no date here, 2020 was a year")[0] is None
    assert parse_absolute("the 9th of October, 2020") == dt.date(2020, 10, 9)
    assert parse_absolute("October") is None
    assert month_number("Sept.") == 9 and month_number("december") == 12


def test_weekdays_are_past_unless_the_clause_speaks_of_the_future():
    assert ("late Thursday", "2021-03-11") in dates_of("The mayor resigned late Thursday.")
    assert ("on Friday", "2021-03-12") in dates_of("Talks were held on Friday in the capital.")
    assert ("on Monday", "2021-03-08") in dates_of("The bridge collapsed on Monday.")
    assert ("on Monday", "2021-03-15") in dates_of("The two leaders will meet on Monday.")
    assert ("on Tuesday", "2021-03-16") in dates_of("Ministers are due to vote on Tuesday.")
    assert ("Tuesday", "2021-03-16") in dates_of("Talks are set for Tuesday.")
    assert ("last Friday", "2021-03-05") in dates_of("He arrived last Friday.")


def test_relative_and_partial_dates():
    got = dates_of("Fighting began last month and ended with a truce in 1994. Protests spread in March, "
                   "yesterday and again since Feb. 27.")
    assert ("last month", "2021-02") in got
    assert ("1994", "1994") in got
    assert ("in March", "2021-03") in got
    assert ("yesterday", "2021-03-11") in got
    assert ("Feb. 27", "2021-02-27") in got


def test_decades_and_ranges_are_periods_never_their_first_year():
    ments = find_dates("The war of the early 1990s, a 1991-94 siege, the 1980s boom and the mid-1970s "
                       "crisis shaped the town.", FRI)
    by_phrase = {m.phrase: m for m in ments}
    early = by_phrase["the early 1990s"]
    assert (early.period, early.when, early.last) == ("early 1990s", "early 1990s", "1993")
    assert by_phrase["1991-94"].period == "1991–1994"
    assert by_phrase["the 1980s"].period == "1980s"
    assert by_phrase["the mid-1970s"].period == "mid-1970s"
    assert period_bounds(by_phrase["the 1980s"]) == (dt.date(1980, 1, 1), dt.date(1989, 12, 31))
    assert all(m.period for m in ments)  # no plain year "1990" or "1991" among them


def test_decades_still_to_come_are_forecasts_not_dates():
    assert dates_of("Emissions must fall by the 2040s.", FRI) == []
    assert dates_of("The plant runs into the 2020s.", FRI) == [("the 2020s", "2020s")]


def test_explicit_dates_and_year_inference():
    got = dates_of("It opened on October 9, 2020 and closed on 3 January 2021; the vote is on Dec. 28.",
                   dt.date(2021, 1, 5))
    assert ("October 9, 2020", "2020-10-09") in got
    assert ("3 January 2021", "2021-01-03") in got
    assert ("Dec. 28", "2020-12-28") in got  # nearest to publication: last year


def test_no_publication_date_means_no_relative_resolution():
    got = dates_of("The talks began on Friday, last month, on Oct. 9, after the 2003 truce and the 1990s war.", None)
    assert got == [("2003", "2003"), ("the 1990s", "1990s")]


def test_numbers_are_not_years():
    assert dates_of("Some 2,500 people and 1500 troops, 2000 percent more, with 30,000 killed.") == []


def test_partial_date_keys_and_bounds():
    assert sorted(["2020-11", "2020-10-09", "2020", "2020-10"], key=date_key) == ["2020", "2020-10", "2020-10-09",
                                                                                  "2020-11"]
    assert date_bounds("2020-02") == (dt.date(2020, 2, 1), dt.date(2020, 2, 29))
    assert date_bounds("2021") == (dt.date(2021, 1, 1), dt.date(2021, 12, 31))


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
        if m.period:
            assert m.last and int(m.last) > int(m.date)
        elif pub is None:
            assert m.kind in {"iso", "mdy", "dmy", "my", "year"}  # only what the text states


@settings(max_examples=60, deadline=None)
@given(st.integers(1900, 2090).map(lambda y: y - y % 10), st.sampled_from(["", "early ", "mid-", "late "]))
def test_property_decade_phrases_keep_their_decade(decade, part):
    got = find_dates(f"It began in the {part}{decade}s.", dt.date(2099, 1, 1))
    assert len(got) == 1 and got[0].period and got[0].period.endswith(f"{decade}s")
    assert got[0].period != str(decade)
    # a background item carries the period only; reading it back restores the same sort key
    from newsdesk.models import TimelineEvent
    item = {"date": None, "period": got[0].period, "text": "x", "sources": []}
    assert TimelineEvent.from_json(item, background=True).date == got[0].date
