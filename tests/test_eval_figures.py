"""The figures evaluation: the real-news gold is whole and consistent, and newsdesk meets the
issue's bars on it (figure precision >= 0.90, recall >= 0.60, conflict precision >= 0.80, no update
shown as a conflict), in the same run as the every-number baseline."""

from __future__ import annotations

import pytest
from conftest import need_shared
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.eval._figures_data import check_gold, load_articles, load_gold, number_mentions, t17_text


def test_number_mentions_cover_digits_words_and_ranges():
    text = ("Three gunmen killed between 120 and 130 people; tens of thousands fled; one of them, a 9-year-old, "
            "saw $20 billion, 5.4 mln, H1N1, 21st and two hundred and fifty.")
    got = [text[a:b] for a, b in number_mentions(text)]
    assert got == ["Three", "120", "130", "tens of thousands", "one", "9-year-old", "$20 billion", "5.4 mln",
                   "H1N1", "21st", "two hundred and fifty"]


def test_t17_text_undoes_the_tokenisation():
    assert t17_text("BP -LRB- the oil major -RRB- said 5,000 barrels , up 2 % . BP 's boss does n't") == \
        "BP (the oil major) said 5,000 barrels, up 2%. BP's boss doesn't"


def test_gold_stores_no_text_and_labels_every_mention():
    stories, mentions, sha = load_gold()
    assert len(sha) >= 40 and len(stories) >= 10
    assert {a for s in stories for a in s.articles} == set(sha)
    assert any("/" in a for a in sha) and any("#" in a for a in sha)  # Timeline17 and Multi-News
    assert all(m.figure == bool(m.measure) for m in mentions)
    assert all(m.reason for m in mentions if not m.figure)
    ids = {(m.article_id, m.start) for m in mentions}
    for s in stories:
        for group in (*s.conflicts, *s.updates):
            assert len(group) >= 2 and set(group) <= ids
    data = need_shared("data")
    arts = load_articles(data, list(sha), sha)
    assert check_gold(stories, mentions, {a: x.text for a, x in arts.items()}) == []


@pytest.fixture(scope="module")
def scores(nlp):
    need_shared("data", "timeline17")
    from newsdesk.eval.figures import evaluate, load_runs

    return evaluate(load_runs(nlp=nlp))


def test_newsdesk_meets_the_bars_on_the_real_gold(scores):
    ours, base = scores["newsdesk"], scores["baseline"]
    assert ours["figure_precision"] >= 0.90 and ours["figure_recall"] >= 0.60
    assert ours["conflict_precision"] >= 0.80 and ours["updates_shown_as_conflicts"] == 0
    assert ours["real_conflicts_found"] >= 2
    # the baseline takes every number: all the figures, at a fraction of the precision
    assert base["figure_recall"] == 1.0 and base["figure_precision"] < 0.5
    assert ours["measure_accuracy"] > base["measure_accuracy"]


def test_missing_data_is_a_usage_error(tmp_path):
    res = CliRunner().invoke(app, ["eval", "figures", "--shared", str(tmp_path)])
    assert res.exit_code == 2
