"""Figures and conflicts (newsdesk.briefing.figures), on sentences written for these tests.

One test per never-a-figure class, figures that must be found (spelled-out numbers,
ranges, qualifiers, money, amounts), and update vs conflict vs part/whole.  Quality on
real news is measured by ``newsdesk eval figures`` (tests/test_eval_figures.py)."""

from __future__ import annotations

import datetime as dt
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsdesk
from newsdesk.briefing.figures import (
    FigureMention,
    find_conflicts,
    find_figures,
    interval,
    merge_figures,
    parse_number,
    same_source,
)
from newsdesk.briefing.figures.filters import not_a_figure
from newsdesk.briefing.figures.numbers import number_phrases
from newsdesk.models import Brief, Conflict, ConflictValue, Figure
from newsdesk.report import figure_rows, to_html, to_markdown

DAY = dt.date(2015, 11, 14)


def _figures(nlp, text: str, published: dt.date | None = DAY, aid: str = "t") -> list[FigureMention]:
    art = newsdesk.Article(id=aid, text=text, published=published)
    return find_figures(nlp.parse_many([art], deep=True))


def _numbers(nlp, text: str) -> dict[str, str | None]:
    """Every number phrase of ``text`` -> why it is not a figure (None: it may be one)."""
    doc = nlp.parse(newsdesk.Article(id="n", text=text)).docs[0][1]
    return {doc[p.num_start:p.end].text: not_a_figure(doc, p) for p in number_phrases(doc)}


# ------------------------------------------------------------------ numbers


@pytest.mark.parametrize("text, value, qualifier", [
    ("at least 212", 212, "at least"),
    ("some 250", 250, "some"),
    ("About 18,000", 18000, "about"),
    ("as many as 30,000", 30000, "as many as"),
    ("more than 300", 300, "more than"),
    ("four", 4, None),
    ("Thirty-three million", 33_000_000, None),
    ("two hundred and fifty", 250, None),
    ("1.2 million", 1_200_000, None),
    ("5.4 mln", 5_400_000, None),
    ("dozens", 24, "dozens"),
    ("hundreds of thousands", 200_000, "hundreds of thousands"),
])
def test_parse_number(text, value, qualifier):
    assert parse_number(text) == (value, qualifier)


def test_parse_number_rejects_words():
    assert parse_number("several") is None
    assert parse_number("") is None


def test_intervals_of_qualified_and_vague_values():
    assert interval(41, "at least") == (41, math.inf)
    assert interval(81, "up to") == (0, 81)
    assert interval(120, None, high=130) == (120, 130)
    assert interval(24, "dozens", vague=True) == (24, 99)
    assert interval(20_000, "tens of thousands", vague=True) == (20_000, 99_999)
    lo, hi = interval(70, "about")
    assert lo < 70 < hi


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 10**9), st.sampled_from(["", "at least ", "more than ", "up to ", "about ", "some "]))
def test_parse_number_reads_any_written_count(n, qual):
    value, q = parse_number(f"{qual}{n:,}")
    assert value == n and (q or "") == qual.strip()
    lo, hi = interval(value, q)
    assert lo <= n <= hi  # a statement always allows its own value


# ------------------------------------------------------------------ never a figure, one class each


@pytest.mark.parametrize("text, number, reason", [
    ("The dam was finished in 1998 after a long row.", "1998", "year"),
    ("Talks resumed on March 14 in Geneva.", "14", "date"),
    ("The first blast came at 9 p.m. on the quay.", "9", "time"),
    ("The siege lasted 36 hours before police went in.", "36", "duration"),
    ("Tom Walker, 54, was arrested at the scene.", "54", "age"),
    ("A 12-year-old boy was pulled from the river.", "12", "age"),
    ("Police raided a flat at 221 Baker Street overnight.", "221", "address"),
    ("The Boeing 777 left the gate late.", "777", "name"),
    ("Flight 370 vanished over the sea.", "370", "model"),
    ("The single went to number one in May.", "one", "ordinal"),
    ("The figures are on page 12 of the report.", "12", "page"),
    ("Relatives can call 0845 600 1234 for news.", "0845", "phone"),
    ("Shares of the airline fell 14 percent in New York.", "14", "percent"),
    ("The slick is five times larger than first thought.", "five", "ratio"),
    ("One of the survivors said the roof fell first.", "One", "pronoun"),
    ("A seven-storey block collapsed in the night.", "seven", "descriptor"),
    ("The epicentre was 25 km west of the capital.", "25", "location"),
])
def test_never_a_figure(nlp, text, number, reason):
    assert _numbers(nlp, text)[number] == reason
    assert all(text[m.start:m.end] != number for m in _figures(nlp, text))


def test_numbers_inside_names_are_not_even_number_phrases(nlp):
    text = "The H1N1 strain reached Flight MH370's home port and an A330 landed."
    assert _figures(nlp, text) == []


def test_small_counts_of_things_are_not_figures(nlp):
    assert _figures(nlp, "The two sides agreed on three main points.") == []


# ------------------------------------------------------------------ figures that must be found


def test_event_counts_with_qualifiers_ranges_and_number_words(nlp):
    ms = _figures(nlp, "Three gunmen opened fire. Between 120 and 130 people were killed and at least 41 were "
                       "wounded. Tens of thousands of people fled their homes.")
    got = {(m.measure, m.value, m.high, m.qualifier) for m in ms}
    assert ("gunmen", 3, None, None) in got
    assert ("killed", 120, 130, None) in got
    assert ("wounded", 41, None, "at least") in got
    assert ("displaced", 20_000, None, "tens of thousands") in got


def test_money_and_amounts(nlp):
    ms = _figures(nlp, "The clean-up is costing the company $4 million a day. About 5,000 barrels a day are "
                       "leaking, and crews have searched 120 square miles.")
    got = {(m.measure, m.value, m.kind) for m in ms}
    assert ("cost a day", 4_000_000, "money") in got
    assert ("barrels a day", 5000, "unit") in got
    assert ("square miles", 120, "unit") in got


def test_actions_on_things_are_figures(nlp):
    ms = _figures(nlp, "Police seized 12 rifles and arrested four suspects in 30 raids.")
    got = {(m.measure, m.value) for m in ms}
    assert {("rifles", 12), ("arrested", 4), ("raids", 30)} <= got


def test_background_figures_are_labelled(nlp):
    (m,) = _figures(nlp, "The region was ruined by a 1991-94 war that killed about 30,000 people.")
    assert m.background and m.period.startswith("1991")
    (m,) = _figures(nlp, "Seasonal flu kills about 250,000 people in an average year.")
    assert m.background
    (m,) = _figures(nlp, "Gunmen killed 14 people in the market on Friday.")
    assert not m.background and m.as_of == dt.date(2015, 11, 13)


# ------------------------------------------------------------------ update vs conflict vs part/whole


def _story(nlp, *items: tuple[str, str, dt.date | None]) -> list[FigureMention]:
    arts = [newsdesk.Article(id=aid, text=text, published=day) for aid, text, day in items]
    return find_figures(nlp.parse_many(arts, deep=True))


def test_a_count_that_changes_from_day_to_day_is_an_update_not_a_conflict(nlp):
    ms = _story(nlp, ("a", "The attacks killed 129 people, officials said.", dt.date(2015, 11, 14)),
                ("b", "French officials now say the attacks killed 130 people.", dt.date(2015, 11, 17)))
    assert find_conflicts(ms) == []
    brief = Brief("s", "h", (), figures=tuple(merge_figures(ms)))
    (row,) = [r for r in figure_rows(brief) if r.measure == "killed"]
    assert row.update and [s.as_of for s in row.steps] == ["2015-11-14", "2015-11-17"]


def test_sources_disagreeing_on_the_same_day_are_a_conflict(nlp):
    ms = _story(nlp, ("a", "Health officials said 52 people were killed in the blast.", DAY),
                ("b", "The interior ministry put the number killed in the blast at 61.", DAY),
                ("c", "Police told reporters that 52 had died after the explosion.", DAY))
    (c,) = find_conflicts(ms, order=["a", "b", "c"])
    assert c.measure == "killed" and {v.value for v in c.values} == {52, 61}
    assert next(v for v in c.values if v.value == 52).sources == ("a", "c")


def test_a_part_and_the_whole_are_no_conflict(nlp):
    ms = _story(nlp, ("a", "Eighty-nine people were killed at the Bataclan.", DAY),
                ("b", "The attacks killed 130 people across Paris.", DAY))
    assert find_conflicts(ms) == []
    ms = _story(nlp, ("a", "Two passengers seated next to her were killed.", None),
                ("b", "Four passengers were killed in the crash.", None))
    assert find_conflicts(ms) == []


def test_bounds_that_can_both_be_true_are_no_conflict(nlp):
    ms = _story(nlp, ("a", "The collapse killed at least 41 people, police said.", None),
                ("b", "At least 45 people have died in the collapse.", None))
    assert find_conflicts(ms) == []
    ms = _story(nlp, ("a", "Up to 81 people have died of the virus in Mexico.", DAY),
                ("b", "The virus has killed more than 100 people in Mexico.", DAY))
    assert len(find_conflicts(ms)) == 1


def test_a_syndicated_copy_is_not_a_second_source(nlp):
    ms = _story(nlp, ("a", "A building collapsed in the city, killing 41 people, authorities said on Friday.", DAY),
                ("b", "A building collapsed in the city, killing 42 people, authorities said on Friday.", DAY))
    assert same_source(ms[0], ms[1])
    assert find_conflicts(ms) == []


def test_conflict_rules_on_mentions():
    words = {"a": "Health officials said", "b": "The ministry reported that", "c": "According to police,"}

    def fm(v, art, measure="killed", vague=False, text=None, qual=None, day=DAY):
        return FigureMention(measure, v, qual, text or f"{words[art]} {v} died.", art, event=True,
                             vague=vague, kind="event", as_of=day)

    assert find_conflicts([fm(10, "a"), fm(12, "a")]) == []  # one article
    assert find_conflicts([fm(10, "a"), fm(24, "b", vague=True)]) == []  # "dozens" is no value
    assert find_conflicts([fm(10, "a"), fm(10, "b")]) == []  # agreement
    assert find_conflicts([fm(12, "a"), fm(213, "b")]) == []  # orders apart: other scopes
    assert find_conflicts([fm(10, "a"), fm(12, "b", "soldiers killed")]) == []  # other group
    both = "six in the north and seven in the south"
    assert find_conflicts([fm(6, "a", text=both), fm(7, "a", text=both), fm(5, "b")]) == []  # a breakdown
    assert find_conflicts([fm(10, "a"), fm(12, "b", day=DAY + dt.timedelta(days=2))]) == []  # an update
    (c,) = find_conflicts([fm(10, "a"), fm(12, "b"), fm(10, "c")])
    assert [(v.value, v.sources) for v in c.values] == [(10, ("a", "c")), (12, ("b",))]


# ------------------------------------------------------------------ rendering


def _brief() -> Brief:
    arts = tuple(newsdesk.Article(id=f"a{i}", text="x", source=f"Outlet {i}") for i in range(3))
    figs = (Figure("killed", 129, "t1", ("a0",), as_of="2015-11-14"),
            Figure("killed", 130, "t2", ("a1",), as_of="2015-11-17"),
            Figure("soldiers killed", 350, "t3", ("a0",)), Figure("soldiers killed", 376, "t4", ("a2",)),
            Figure("wounded", 41, "t5", ("a1", "a2"), qualifier="at least"),
            Figure("killed", 30000, "t6", ("a2",), qualifier="about", scope="(1991-94)", background=True))
    conflicts = (Conflict("soldiers killed", (ConflictValue(350, "t3", ("a0",)), ConflictValue(376, "t4", ("a2",)))),)
    return Brief("s", "h", arts, figures=figs, conflicts=conflicts)


def test_figure_rows_keep_updates_conflicts_and_background_apart():
    rows = figure_rows(_brief())
    assert [(r.measure, r.conflict, r.update, r.background) for r in rows] == [
        ("soldiers killed", True, False, False), ("killed", False, True, False), ("wounded", False, False, False),
        ("killed", False, False, True)]
    assert all(r.steps and all(s.sources for s in r.steps) for r in rows)  # no empty cell


def test_markdown_and_html_show_updates_and_background_apart():
    md = to_markdown([_brief()])
    assert "### Key figures" in md and "### Background figures" in md
    assert "| killed | 129 [1] (2015-11-14) → 130 [2] (2015-11-17) |" in md
    assert md.index("### Background figures") < md.index("about 30,000")
    head = next(line for line in md.splitlines() if line.startswith("| measure"))
    assert head == "| measure | figures |"  # two columns, both always filled
    html = to_html([_brief()])
    assert 'class="conflicting"' in html and '<ol class="steps">' in html and "Background figures" in html


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["killed", "wounded", "displaced"]), st.integers(1, 500),
                          st.sets(st.integers(0, 3), min_size=1), st.sampled_from([None, "2024-05-01", "2024-05-02"]),
                          st.booleans()), max_size=8))
def test_figure_rows_place_every_figure_once(figs):
    arts = tuple(newsdesk.Article(id=f"a{i}", text="x", source=f"outlet {i % 2}") for i in range(4))
    fs = tuple(Figure(m, v, "t", tuple(f"a{i}" for i in sorted(srcs)), as_of=d, background=bg)
               for m, v, srcs, d, bg in figs)
    rows = figure_rows(Brief("s", "h", arts, figures=fs))
    placed = sorted((r.measure, r.background, s.sources) for r in rows for s in r.steps)
    assert placed == sorted((f.measure, f.background, f.sources) for f in fs)
    assert all(r.background or not any(x.background for x in rows[:i]) for i, r in enumerate(rows))


# ------------------------------------------------------------------ demo corpus and seeds (features, not quality)


def _brief_with(briefs, article_id):
    return next(b for b in briefs if article_id in {a.id for a in b.articles})


def test_demo_conflicts_and_updates(demo_briefs, answers):
    """The demo plants tolls from different claimants: on the same day they conflict, a day
    later they are an update; duplicates never count as sources."""
    for planted in answers["conflicts"]:
        b = _brief_with(demo_briefs, answers["stories"][planted["story"]][0])
        conflict = next(c for c in b.conflicts if c.measure == planted["measure"])
        found = {v.value: set(v.sources) for v in conflict.values}
        originals = {a.id for a in b.articles if a.duplicate_of is None}
        for pv in planted["values"]:
            assert set(pv["articles"]) & originals <= found[pv["value"]]
        dups = {a.id for a in b.articles if a.duplicate_of}
        assert not any(set(v.sources) & dups for v in conflict.values)
    for upd in answers["updates"]:
        b = _brief_with(demo_briefs, answers["stories"][upd["story"]][0])
        assert not any({v["value"] for v in upd["values"]} <= {cv.value for cv in c.values} for c in b.conflicts)
        values = {v["value"] for v in upd["values"]}
        days = {f.as_of for f in b.figures if f.measure == upd["measure"] and f.value in values}
        assert len(days) >= 2, upd
    for nc in answers["non_conflicts"]:
        b = _brief_with(demo_briefs, answers["stories"][nc["story"]][0])
        assert all(nc["value"] not in {v.value for v in c.values} for c in b.conflicts), nc["why"]


def test_figures_know_their_claimant(nlp, demo_articles, answers):
    ids = set(answers["stories"][0])
    parsed = nlp.parse_many([a for a in demo_articles if a.id in ids], deep=True)
    claim = {(m.measure, m.value, m.article_id): m.claimant for m in find_figures(parsed)}
    assert claim[("killed", 187, "web/serenzi-herald-0514-halvia.txt")] == "Valdoria's health ministry"
    assert "emergency committee" in claim[("civilians killed", 23, "web/kna-0515-halvesh.html")]
    assert claim[("killed", 250, "web/kna-0515-halvesh.html")] == "the committee"


@pytest.fixture(scope="module")
def seed_brief(seed_briefs):
    return max(seed_briefs, key=lambda b: len(b.articles))


def test_seeds_show_their_real_conflict_and_nothing_else(seed_brief):
    """Two sides' tolls of the same soldiers on the same days (350 acknowledged vs 376 said by
    Karabakh) conflict; the 1990s war's toll, the civilians of each side and the vague counts do not."""
    (c,) = seed_brief.conflicts
    assert c.measure == "soldiers killed" and {v.value for v in c.values} == {350, 376}
    assert all(len(v.sources) == 1 for v in c.values)
    past = [f for f in seed_brief.figures if f.value == 30000]
    assert past and all(f.background for f in past)
    md = to_markdown([seed_brief])
    assert md.index("### Background figures") < md.index("about 30,000")
