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


# --- reference points and paired comparisons ------------------------------------------------------------

_STORY = [
    "Floodwater closed the Marrow Valley railway on Tuesday. Crews from Dunmere cleared the line by evening. "
    "The mayor thanked the volunteers who filled sandbags all night.",
    "The Marrow Valley railway reopened after floodwater closed it on Tuesday. Engineers checked every bridge "
    "before the first train ran. Ticket prices will not change this winter.",
]


def _parsed(nlp):
    from newsdesk import Article

    return nlp.parse_many([Article(id=f"a{i}", text=t) for i, t in enumerate(_STORY)], deep=False)


def test_oracle_reads_the_reference_and_respects_the_budget(nlp):
    from newsdesk.eval.summarize import Bigrams, oracle_summary

    parsed = _parsed(nlp)
    ref = "Engineers checked every bridge before the first train ran again."
    text = oracle_summary(parsed, [ref], 12, Bigrams())
    assert text == "Engineers checked every bridge before the first train ran."
    # the whole input fits: every sentence, in document order
    everything = oracle_summary(parsed, [ref], 1000, Bigrams())
    assert everything.split(". ")[0] == "Floodwater closed the Marrow Valley railway on Tuesday"
    assert len(everything.split()) == sum(len(t.split()) for t in _STORY)
    # no sentence fits, or no reference: nothing
    assert oracle_summary(parsed, [ref], 3, Bigrams()) == ""
    assert oracle_summary(parsed, [], 100, Bigrams()) == ""
    assert oracle_summary([], [ref], 100, Bigrams()) == ""


def test_random_summary_is_seeded_and_within_budget(nlp):
    from newsdesk.eval.summarize import random_summary

    parsed = _parsed(nlp)
    runs = {random_summary(parsed, 20, seed) for seed in range(12)}
    assert len(runs) > 1  # different seeds, different choices
    assert random_summary(parsed, 20, 5) == random_summary(parsed, 20, 5)
    in_order = [ps.sentence.text for pa in parsed for ps in pa.sentences]
    for text in runs:
        assert 0 < len(text.split()) <= 20
        assert " ".join(s for s in in_order if s in text) == text  # whole sentences, in document order
    assert random_summary([], 20, 1) == ""


def test_paired_bootstrap_difference():
    import pytest

    from newsdesk.eval.summarize import Scores, paired

    ours, theirs = Scores(), Scores()
    for a, b in [(0.5, 0.4), (0.6, 0.4), (0.3, 0.35), (0.7, 0.5)]:
        ours.add({"rouge1_r": a})
        theirs.add({"rouge1_r": b})
    p = paired(ours, theirs, "rouge1_r", samples=2000)
    assert p["diff"] == pytest.approx(0.1125)
    assert p["ci95"][0] <= p["diff"] <= p["ci95"][1]
    assert (p["ahead"], p["behind"], p["clusters"]) == (3, 1, 4)
    same = paired(ours, ours, "rouge1_r", samples=100)
    assert same["diff"] == 0.0 and same["ci95"] == [0.0, 0.0] and same["ahead"] == same["behind"] == 0
    short = Scores()
    short.add({"rouge1_r": 0.1})
    with pytest.raises(ValueError, match="same clusters"):
        paired(ours, short, "rouge1_r")


def test_eval_reports_bounds_and_paired_intervals():
    need_shared("data", "duc2004-task2")
    res = _eval("--dataset", "duc2004", "--limit", "3")
    assert set(res["bounds"]) == {"Random", "Oracle"}
    assert res["bounds"]["Oracle"]["rouge2_r"] > res["bounds"]["Random"]["rouge2_r"]
    assert set(res["paired"]) == set(res["systems"]) - {"newsdesk"}
    dpp = res["paired"]["DPP"]["rouge1_r"]
    assert dpp["clusters"] == 3 and dpp["ci95"][0] <= dpp["diff"] <= dpp["ci95"][1]
    assert dpp["diff"] == pytest_approx(res["systems"]["newsdesk"]["rouge1_r"] - res["systems"]["DPP"]["rouge1_r"])


def pytest_approx(x: float):
    import pytest

    return pytest.approx(x, abs=2e-5)


def test_summary_ceiling_script_runs():
    import subprocess
    import sys
    from pathlib import Path

    from conftest import shared_dir

    need_shared("data", "multi-news-test")
    script = Path(__file__).resolve().parents[1] / "scripts" / "summary_ceiling.py"
    out = subprocess.run([sys.executable, str(script), "--dataset", "multinews", "--limit", "10",
                          "--shared", str(shared_dir())], capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    rows = {line[:48].strip(): [float(x) for x in line[48:].split()] for line in out.stdout.splitlines()[2:]}
    assert set(rows) == {"newsdesk", "Lead", "ranker trained on the other folds' references",
                         "ranker trained on all references", "per-sentence oracle"}
    assert rows["per-sentence oracle"][1] > rows["newsdesk"][1] > 0.0
