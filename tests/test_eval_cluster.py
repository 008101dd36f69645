import json

from conftest import need_shared
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsdesk import Options
from newsdesk.cli import app
from newsdesk.eval.cluster import bcubed, evaluate, load_dataset, pairwise


def test_bcubed_and_pairwise_known_values():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    pred = {"a": "x", "b": "x", "c": "x", "d": "y"}
    b = bcubed(pred, gold)
    # precision: a,b,c each 2/3 or 1/3 ..., d 1 -> (2/3 + 2/3 + 1/3 + 1) / 4
    assert abs(b["precision"] - (2 / 3 + 2 / 3 + 1 / 3 + 1) / 4) < 1e-9
    assert abs(b["recall"] - (1 + 1 + 0.5 + 0.5) / 4) < 1e-9
    p = pairwise(pred, gold)
    assert abs(p["precision"] - 1 / 3) < 1e-9 and abs(p["recall"] - 1 / 2) < 1e-9


def test_all_in_one_and_all_alone():
    gold = {str(i): i % 3 for i in range(9)}
    one = bcubed({k: 0 for k in gold}, gold)
    alone = bcubed({k: k for k in gold}, gold)
    assert one["recall"] == 1.0 and abs(one["precision"] - 1 / 3) < 1e-9
    assert alone["precision"] == 1.0 and abs(alone["recall"] - 1 / 3) < 1e-9


@settings(max_examples=50, deadline=None)
@given(st.lists(st.integers(0, 4), min_size=1, max_size=30), st.lists(st.integers(0, 4), min_size=30, max_size=30))
def test_property_metrics_bounded_and_perfect_on_identity(gold_labels, pred_labels):
    gold = {str(i): g for i, g in enumerate(gold_labels)}
    pred = {str(i): pred_labels[i] for i in range(len(gold_labels))}
    for m in (bcubed, pairwise):
        s = m(pred, gold)
        assert all(0.0 <= v <= 1.0 for v in s.values())
        assert m(gold, gold)["f1"] == 1.0
        # relabelling the clusters changes nothing
        assert m({k: f"L{v}" for k, v in pred.items()}, gold) == s


def test_loaders_read_whole_data_sets():
    need_shared("data", "basil")
    arts, gold = load_dataset("basil")
    assert len(arts) == len(gold) == 300 and len(set(gold.values())) == 100
    assert all(a.text and a.published for a in arts) and sum(1 for a in arts if a.title) >= 299
    need_shared("data", "duc2004-task2")
    arts, gold = load_dataset("duc2004")
    assert len(arts) == 500 and len(set(gold.values())) == 50
    assert all("\n" not in a.text.strip() or "\n\n" in a.text for a in arts)  # hard wraps joined


def test_neus_roundups_as_a_clustering_data_set():
    need_shared("data", "neus-allsides")
    arts, gold = load_dataset("neus")
    assert len(arts) == len(gold) == 1479 and len(set(gold.values())) == 505
    assert all(a.title and a.source and a.published for a in arts)
    res = evaluate("neus", Options(), baseline=True)
    assert res["newsdesk"]["bcubed"]["f1"] >= res["baseline"]["bcubed"]["f1"]


def test_eval_cluster_basil_cli():
    need_shared("data", "basil")
    r = CliRunner().invoke(app, ["eval", "cluster", "--dataset", "basil", "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["documents"] == 300 and res["stories"] == 100
    assert res["newsdesk"]["bcubed"]["f1"] >= 0.95  # acceptance
    assert 0.0 < res["baseline"]["threshold"] < 1.0
    assert res["newsdesk"]["bcubed"]["f1"] >= res["baseline"]["bcubed"]["f1"]


def test_eval_cluster_unknown_dataset():
    r = CliRunner().invoke(app, ["eval", "cluster", "--dataset", "nope"])
    assert r.exit_code == 2


def test_evaluate_incremental_and_sweep_on_basil():
    need_shared("data", "basil")
    res = evaluate("basil", Options(), incremental=True, baseline=False, sweep=[0.13])
    assert res["newsdesk"]["mode"] == "incremental"
    assert res["newsdesk"]["bcubed"]["f1"] >= 0.95
    assert [r["threshold"] for r in res["newsdesk_sweep"]] == [0.13]
    assert res["newsdesk_sweep"][0]["bcubed_f1"] >= 0.95  # the batch clusterer at the default
