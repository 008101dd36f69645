"""The date ranker: candidate days and their counts, the learned weights, the baselines."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.briefing import daterank
from newsdesk.dates import find_dates

D = dt.date


def arts(*rows: tuple[D | None, str]) -> list[tuple[D | None, list]]:
    return [(pub, find_dates(text, pub)) for pub, text in rows]


STORY = arts(
    (D(2021, 3, 10), "The dam failed on Wednesday."),                      # a Wednesday: "same" day
    (D(2021, 3, 11), "The dam failed on Wednesday. Talks are set for Tuesday."),
    (D(2021, 3, 25), "Since the dam failed on March 10, repairs began on March 20, after the March 12 vote "
                     "and the March 15 inquiry."),
    (None, "Officials met on Friday."),                                   # undated: places nothing
)


def test_candidates_and_counts():
    t = daterank.date_table(STORY)
    assert t.days == ("2021-03-10", "2021-03-11", "2021-03-12", "2021-03-15", "2021-03-20", "2021-03-25")
    col = dict(zip(t.days, zip(*(t.column(f) for f in ("strict", "same", "pub", "retro", "rich")))))
    scale = 3  # the most-mentioned day, March 10: three articles
    assert np.allclose(col["2021-03-10"], (2 / scale, 1 / scale, 1 / scale, 1 / scale, 1 / scale))
    assert "2021-03-16" not in t.days  # the talks "set for Tuesday": a plan, no candidate


def test_undated_article_adds_nothing_and_old_dates_are_no_candidates():
    alone = daterank.date_table(arts((None, "The dam failed on March 10, 2021.")))
    assert alone.days == ()
    old = daterank.date_table(arts((D(2021, 3, 12), "The first dam failed on May 2, 2003.")))
    assert old.days == ("2021-03-12",)  # 2003 is background, not a candidate day
    assert daterank.story_start([None, D(2021, 3, 12)]) == D(2021, 2, 10)


def test_baselines_and_learned_ranking():
    t = daterank.date_table(STORY)
    assert daterank.rank(t, daterank.rule_scores(t))[0] == "2021-03-10"
    assert daterank.rank(t, daterank.publication_scores(t))[:3] == ["2021-03-10", "2021-03-11", "2021-03-25"]
    assert daterank.rank(t, daterank.learned_scores(t))[0] == "2021-03-10"


def test_shipped_model_is_documented_and_monotone():
    model = daterank.load_model()
    assert model["weights"]["strict"] == 1.0 and all(w >= 0 for w in model["weights"].values())
    assert model["trained_on"] and "leave_one_topic_out_mean" in model["date_f1"] and model["how"]


def test_fit_weights_learns_that_publications_matter():
    # the reference days: the much-recalled start (March 1) and the day most reports appeared (March 21)
    rows = [(D(2021, 3, 20), "It began on March 1.")] * 3 + [(D(2021, 3, 21), "Rescuers worked on.")] * 4
    rows += [(D(2021, 3, 22), "A report from March 5 was found.")]
    t = daterank.date_table(arts(*rows))
    gold = ["2021-03-01", "2021-03-21"]
    assert daterank.date_f1(daterank.rank(t, daterank.score(t, {"strict": 1.0}))[:2], gold) == 0.5
    w = daterank.fit_weights([(t, gold)])
    assert 0.25 < w["pub"] <= 0.75
    assert daterank.date_f1(daterank.rank(t, daterank.score(t, w))[:2], gold) == 1.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.dates(D(2020, 1, 1), D(2020, 12, 31)), st.sampled_from(
    ["on Monday", "on March 3", "yesterday", "last week", "on Sept. 9, 2020", ""])), max_size=12))
def test_property_ranking_is_a_permutation_of_the_candidates(rows):
    t = daterank.date_table(arts(*[(p, f"It happened {x}.") for p, x in rows]))
    for name, fn in daterank.RANKERS.items():
        ranked = daterank.rank(t, fn(t))
        assert sorted(ranked) == list(t.days), name
    for col in t.features.values():
        assert col.shape == (len(t.days),) and (col >= 0).all()
    past = t.column("strict") + t.column("same")
    assert not len(past) or past.max() in (0.0, 1.0)  # counts are relative to the most-mentioned day
