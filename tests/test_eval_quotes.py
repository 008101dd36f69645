"""The BASIL quote evaluation: loader and a small real run."""

from __future__ import annotations

from conftest import need_shared
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.eval.quotes import _paragraphs, _words, evaluate, load


def test_helpers():
    assert _paragraphs("[['a b', 'c'], ['d']]") == [["a b", "c"], ["d"]]
    assert _words("Donald_Trump") == {"donald", "trump"}


def test_small_real_run():
    root = need_shared("data", "basil")
    data = load(root)
    assert len(data) > 100 and all(a.text for a, _ in data)
    res = evaluate(root, limit=4)
    assert res["articles"] == 4
    assert 0.0 <= res["precision"] <= 1.0 and 0.0 <= res["recall"] <= 1.0
    assert res["correct"] <= res["predicted"] <= res["found"] <= res["named_quotes"]


def test_unknown_dataset_is_a_usage_error():
    res = CliRunner().invoke(app, ["eval", "quotes", "--dataset", "nope"])
    assert res.exit_code == 2
