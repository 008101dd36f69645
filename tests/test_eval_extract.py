"""``newsdesk eval extract``: the ScrapingHub benchmark metric, and the command on a few real pages."""

from __future__ import annotations

import pytest
from conftest import need_shared
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.eval.extract import evaluate, metrics, shingle_matching

TRUE = "one two three four five six"  # 3 shingles: (1-4) (2-5) (3-6)


def test_shingle_matching_by_hand() -> None:
    assert shingle_matching(TRUE, TRUE) == (1.0, 0.0, 0.0)
    # prediction adds "seven": one extra shingle (4-7); tp 3, fp 1, fn 0 -> normalised by 4
    assert shingle_matching(TRUE, TRUE + " seven") == (0.75, 0.25, 0.0)
    # prediction misses "six": tp 2, fn 1
    assert shingle_matching(TRUE, "one two three four five") == pytest.approx((2 / 3, 0.0, 1 / 3))
    assert shingle_matching(TRUE, "") == (0.0, 0.0, 1.0)
    assert shingle_matching("", "") == (0.0, 0.0, 0.0)


def test_short_texts_are_one_shingle_and_punctuation_is_ignored() -> None:
    assert shingle_matching("Hello, world!", "hello world") == (0.0, 0.5, 0.5)  # case matters, as upstream
    assert shingle_matching("Hello, world!", "Hello world") == (1.0, 0.0, 0.0)


def test_metrics_average_pages_then_take_f1() -> None:
    m = metrics([(1.0, 0.0, 0.0), (0.5, 0.5, 0.0)])
    assert m["precision"] == pytest.approx(0.75) and m["recall"] == pytest.approx(1.0)
    assert m["f1"] == pytest.approx(2 * 0.75 / 1.75)


def test_evaluate_missing_prediction_counts_as_empty() -> None:
    r = evaluate({"a": TRUE, "b": TRUE}, {"a": TRUE}, n_bootstrap=20)
    assert r["recall"] == pytest.approx(0.5) and r["precision"] == pytest.approx(1.0) and r["pages"] == 2


words = st.lists(st.sampled_from("alpha beta gamma delta eps zeta".split()), max_size=30).map(" ".join)


@given(words, words)
def test_counts_are_normalised_and_bounded(true: str, pred: str) -> None:
    tp, fp, fn = shingle_matching(true, pred)
    assert min(tp, fp, fn) >= 0
    assert tp + fp + fn == pytest.approx(1.0) or tp + fp + fn == 0
    if true.split() and true == pred:
        assert (tp, fp, fn) == (1.0, 0.0, 0.0)


def test_command_on_real_pages() -> None:
    need_shared("data", "scrapinghub-article-extraction", "ground-truth.json")
    r = CliRunner().invoke(app, ["eval", "extract", "--dataset", "scrapinghub", "--limit", "6", "--bootstrap", "20"])
    assert r.exit_code == 0, r.output
    rows = {line.split()[1]: line for line in r.stdout.splitlines() if line.startswith("│ ")}
    assert "trafilatura" in rows and "newsdesk" in rows
    f1 = float(rows["newsdesk"].split("│")[2].split()[0])
    assert 0.8 <= f1 <= 1.0


def test_unknown_dataset_is_a_usage_error() -> None:
    r = CliRunner().invoke(app, ["eval", "extract", "--dataset", "nope"])
    assert r.exit_code == 2


def test_evaluate_without_bootstrap_gives_zero_intervals() -> None:
    r = evaluate({"a": TRUE, "b": TRUE}, {"a": TRUE}, n_bootstrap=0)
    assert r["f1_ci"] == r["precision_ci"] == r["recall_ci"] == 0.0
