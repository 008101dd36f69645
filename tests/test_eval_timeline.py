"""The Timeline17 evaluation: its metrics on hand-made timelines, and the loader and rankers on the real data."""

from __future__ import annotations

import pytest
from conftest import need_shared
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsdesk.briefing.daterank import date_f1
from newsdesk.cli import app
from newsdesk.eval.timeline import detokenize, evaluate, load_sets, load_topic, loto_rankings
from newsdesk.eval.timeline_rouge import timeline_rouge, tokens


def test_date_f1():
    assert date_f1(["2020-01-01", "2020-01-02"], ["2020-01-02", "2020-01-03"]) == 0.5
    assert date_f1([], ["2020-01-01"]) == 0.0


def test_tokens_drop_stop_words_and_stem():
    assert tokens("The dams were breaking in the valleys") == ("dam", "break", "vallei")


GOLD = {"2020-01-10": "The dam broke and the valley flooded overnight."}


def test_rouge_identical_timelines_score_one():
    got = timeline_rouge(GOLD, GOLD)
    for key in ("concat-1", "concat-2", "agreement-1", "agreement-2", "align-1", "align-2"):
        assert got[key]["f1"] == pytest.approx(1.0), key


def test_rouge_day_off_by_one_is_discounted_by_align_and_zero_for_agreement():
    moved = {"2020-01-11": GOLD["2020-01-10"]}
    got = timeline_rouge(moved, GOLD)
    assert got["concat-1"]["f1"] == pytest.approx(1.0)  # concat ignores days
    assert got["agreement-1"]["f1"] == 0.0  # no day in common
    assert got["align-1"]["f1"] == pytest.approx(0.5)  # 1 / (1 day + 1)
    assert got["align-2"]["f1"] == pytest.approx(0.5)


def test_rouge_recall_aligns_each_reference_day():
    pred = {"2020-01-10": GOLD["2020-01-10"]}
    ref = {**GOLD, "2020-03-01": "Engineers rebuilt the spillway."}
    got = timeline_rouge(pred, ref)["align-1"]
    assert got["p"] == pytest.approx(1.0)
    assert got["r"] < 1.0  # the March day is aligned to January, 51 days off: almost nothing


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(st.dates().map(lambda d: d.isoformat()), st.text("abc de", min_size=1), max_size=4),
       st.dictionaries(st.dates().map(lambda d: d.isoformat()), st.text("abc de", min_size=1), max_size=4))
def test_property_scores_in_unit_interval(pred, gold):
    assert 0.0 <= date_f1(list(pred), list(gold)) <= 1.0
    for v in timeline_rouge(pred, gold).values():
        for x in v.values():
            assert 0.0 <= x <= 1.0 + 1e-9


def test_detokenize():
    assert detokenize("a -LRB- b -RRB- c") == "a ( b ) c"


def test_load_topic_real_data():
    root = need_shared("data", "timeline17")
    folder = next(p for p in sorted(root.iterdir()) if (p / "articles.json").is_file())
    articles, golds = load_topic(folder)
    assert articles and all(a.published for a in articles)
    assert golds and all("date" in e and "text" in e for _, g in golds for e in g)


def test_held_out_rankings_beat_the_baselines_on_small_topics():
    """Leave-one-topic-out on two small topics (H1N1 x3, haiti): the held-out ranker is no worse than
    the publication baseline on every set, and each set's held-out ranking uses no weights fitted on it."""
    root = need_shared("data", "timeline17")
    sets = load_sets(root, ["H1N1_bbc", "H1N1_guardian", "haiti_bbc"])
    assert {s.topic for s in sets} == {"H1N1", "haiti"}
    held = loto_rankings(sets)
    for s in sets:
        n = len(s.gold)
        assert date_f1(held[s.name][:n], s.gold) >= 0.3, s.name
        assert set(held[s.name]) == set(s.table.days)


def test_evaluate_dates_only_reports_every_ranker():
    root = need_shared("data", "timeline17")
    res = evaluate(root, ["haiti_bbc", "H1N1_bbc"], texts=False)
    assert [r["topic"] for r in res["rows"]] == ["H1N1", "haiti"]
    for key in ("f1_held-out", "f1_shipped", "f1_rule", "f1_publication"):
        assert 0.0 <= res["mean"][key] <= 1.0
    assert res["published"] and all(p["source"] for p in res["published"])


def test_unknown_dataset_is_a_usage_error():
    res = CliRunner().invoke(app, ["eval", "timeline", "--dataset", "nope"])
    assert res.exit_code == 2
