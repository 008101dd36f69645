"""The Timeline17 evaluation: its metrics on hand-made timelines, and the loader on the real data."""

from __future__ import annotations

import pytest
from conftest import need_shared
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.eval.timeline import align_rouge1, date_f1, detokenize, load_topic


def test_date_f1():
    assert date_f1({"2020-01-01", "2020-01-02"}, {"2020-01-02", "2020-01-03"}) == (0.5, 0.5, 0.5)
    assert date_f1(set(), {"2020-01-01"}) == (0.0, 0.0, 0.0)


def test_align_rouge1_discounts_by_distance():
    gold = {"2020-01-10": "the dam broke and the valley flooded"}
    same = align_rouge1({"2020-01-10": "the dam broke and the valley flooded"}, gold)
    assert same == pytest.approx((1.0, 1.0, 1.0))
    off_by_one = align_rouge1({"2020-01-11": "the dam broke and the valley flooded"}, gold)
    assert off_by_one == pytest.approx((0.5, 0.5, 0.5))
    assert align_rouge1({"2020-01-10": "nothing in common here"}, gold)[2] == 0.0


@given(st.dictionaries(st.dates().map(lambda d: d.isoformat()), st.text("abc de", min_size=1), max_size=5),
       st.dictionaries(st.dates().map(lambda d: d.isoformat()), st.text("abc de", min_size=1), max_size=5))
def test_property_scores_in_unit_interval(pred, gold):
    for v in (*date_f1(set(pred), set(gold)), *align_rouge1(pred, gold)):
        assert 0.0 <= v <= 1.0 + 1e-9


def test_detokenize():
    assert detokenize("a -LRB- b -RRB- c") == "a ( b ) c"


def test_load_topic_real_data():
    root = need_shared("data", "timeline17")
    folder = next(p for p in sorted(root.iterdir()) if (p / "articles.json").is_file())
    articles, golds = load_topic(folder)
    assert articles and all(a.published for a in articles)
    assert golds and all("date" in e and "text" in e for _, g in golds for e in g)


def test_unknown_dataset_is_a_usage_error():
    res = CliRunner().invoke(app, ["eval", "timeline", "--dataset", "nope"])
    assert res.exit_code == 2
