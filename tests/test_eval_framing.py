"""newsdesk eval framing: judging shown terms, and a small real run on BASIL."""

from __future__ import annotations

import json
from collections import Counter

from conftest import need_shared
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.eval.framing import judge, load_events


def test_judge_counts_annotated_and_outlet_specific_terms():
    counts = {"fox": Counter({"slammed": 2, "tax": 3, "radical": 1}), "nyt": Counter({"tax": 4, "criticized": 2})}
    spans = {"fox": ("radical left agenda",), "nyt": ()}
    t = judge({"fox": ["radical", "slammed", "tax"], "nyt": ["criticized"]}, counts, spans)
    assert (t.shown, t.annotated, t.specific, t.correct) == (4, 1, 2, 3)
    assert t.result()["precision"] == 0.75 and t.outlets_with_terms == 2


def test_small_real_run():
    root = need_shared("data", "basil")
    events = load_events(root, limit=3)
    assert len(events) == 3 and all(len({a.source for a, _ in e.articles}) == 3 for e in events)
    r = CliRunner().invoke(app, ["eval", "framing", "--limit", "3", "--json"])
    assert r.exit_code == 0, r.output
    res = json.loads(r.stdout)
    assert res["events"] == 3
    for name in ("newsdesk", "frequency baseline"):
        assert 0.0 <= res[name]["precision"] <= 1.0
    assert res["newsdesk"]["terms"] == res["frequency baseline"]["terms"]
