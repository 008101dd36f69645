"""newsdesk eval summarize: loaders, the scorer, and the three data sets on a few clusters each."""

from __future__ import annotations

import json

from conftest import need_shared
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.eval.summarize import Rouge, duc_clusters, multinews_examples, neus_examples, truncate_words


def _eval(*args: str) -> dict:
    r = CliRunner().invoke(app, ["eval", "summarize", *args, "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_rouge_and_truncation():
    rouge = Rouge()
    same = rouge.score(["the harbour bridge opened on monday"], "The harbour bridge opened on Monday.")
    assert same["rouge1_r"] == same["rouge2_f"] == 1.0
    other = rouge.score(["the harbour bridge opened"], "tariffs rose sharply")
    assert other["rouge1_f"] == 0.0
    assert truncate_words("a b  c\nd e", 3) == "a b c"


def test_loaders_read_whole_data_sets():
    duc = duc_clusters(need_shared("data", "duc2004-task2"))
    assert len(duc) == 50 and all(len(c.refs) == 4 and len(c.peers) == 13 for c in duc)
    neus = neus_examples(need_shared("data", "neus-allsides"))
    assert len(neus) == 307
    assert all(len(c.texts) == len(c.titles) == 3 and c.ref_title and c.refs[0] for c in neus)
    assert not any("TITLE=>" in t or "ARTICLE=>" in t for c in neus for t in (*c.texts, *c.refs))
    mn = multinews_examples(need_shared("data", "multi-news-test"), limit=20)
    assert len(mn) == 20 and all(c.texts and c.refs[0] for c in mn)


def test_duc_beside_the_13_published_systems():
    need_shared("data", "duc2004-task2")
    res = _eval("--dataset", "duc2004", "--limit", "2")
    assert res["clusters"] == 2 and res["words"] == 100
    assert len(res["systems"]) == 14
    assert 0.2 < res["systems"]["newsdesk"]["rouge1_r"] < 0.7


def test_multinews_and_neus_beside_in_run_baselines():
    need_shared("data", "multi-news-test")
    res = _eval("--dataset", "multinews", "--limit", "3")
    assert set(res["systems"]) == {"newsdesk", "Lead", "LexRank (sumy)", "TextRank (sumy)"}
    assert res["words"] == 250
    need_shared("data", "neus-allsides")
    res = _eval("--dataset", "neus", "--limit", "6")
    assert res["clusters"] == 6 and res["words"] == 60
    assert set(res["headlines"]) == {"newsdesk", "first article's title"}
    assert all(0.0 <= v <= 1.0 for h in res["headlines"].values() for v in h.values())
    assert res["systems"]["newsdesk"]["rouge1_f"] > 0.2
