"""The quote evaluations: PolNeAR's gold (quoted regions, speaker names by rule) and BASIL, with small real runs."""

from __future__ import annotations

from conftest import need_shared
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.eval.basil import paragraphs, quote_annotations
from newsdesk.eval.polnear import load, quoted_regions, source_name, speaker_matches
from newsdesk.eval.quotes import _words, evaluate_basil, evaluate_polnear


def test_basil_helpers():
    assert paragraphs("[['a b', 'c'], ['d']]") == [["a b", "c"], ["d"]]
    assert _words("Donald_Trump") == {"donald", "trump"}


def test_source_names_as_a_reader_gives_them():
    assert source_name("Trump campaign spokesman Jason Miller") == ("Jason Miller", "name")
    assert source_name("Rep. Gwen Moore (D-Wis.)") == ("Gwen Moore", "name")
    assert source_name("Democratic Sen. Claire McCaskill (D-Mo.)") == ("Claire McCaskill", "name")
    assert source_name("Another critic, Laurence H. Tribe,") == ("Laurence Tribe", "name")
    assert source_name("Rep. Elijah Cummings of Maryland, the panel's ranking Democrat")[0] == "Elijah Cummings"
    assert source_name("Illinois Board of Elections")[0] == "Illinois Board of Elections"
    assert source_name("PENCE") == ("Pence", "name")
    assert source_name("Libertarian presidential candidate Gary Johnson’s doctor")[0] is None
    assert source_name("a narrator in the Clinton ad") == (None, "unnamed")
    assert source_name("he") == (None, "pronoun")
    assert source_name("The Republican nominee") == (None, "definite")
    assert source_name("said") == (None, "slip")


def test_speaker_matching_is_by_surname_without_a_conflicting_first_name():
    assert speaker_matches("Donald Trump", "Trump")
    assert speaker_matches("Thomas Massie", "House Republican Thomas Massie")
    assert not speaker_matches("Bill Clinton", "Hillary Clinton")
    assert speaker_matches(None, None)
    assert not speaker_matches("Jason Miller", None)  # an unnamed source given a name is wrong
    assert not speaker_matches(None, "Trump")


def test_quoted_regions_by_paragraph():
    text = "He said “one two three” and ''four five''.\n\n“Left open to the end"
    regions = [text[a:b] for a, b in quoted_regions(text)]
    assert regions == ["one two three", "four five", "Left open to the end"]


@given(st.text(alphabet=st.sampled_from(list("ab \n“”\"'`")), max_size=60))
def test_property_quoted_regions_are_ordered_spans(text):
    regions = quoted_regions(text)
    assert all(0 <= a <= b <= len(text) for a, b in regions)
    assert all(b1 <= a2 for (_, b1), (a2, _) in zip(regions, regions[1:]))


def test_polnear_gold_and_small_real_run():
    root = need_shared("data", "polnear")
    data = load(root, "dev")
    assert len(data) == 84
    quotes = [g for ga in data for g in ga.quotes]
    assert len(quotes) > 400
    assert all(0 <= a < b <= len(ga.article.text) for ga in data for g in ga.quotes for a, b in g.spans)
    hand = [g for g in quotes if g.how == "read by hand"]
    assert hand and all(g.status in ("named", "unnamed", "none") for g in hand)
    res = evaluate_polnear(root, "dev", limit=3)
    assert res["articles"] == 3 and 0.0 <= res["precision"] <= 1.0 and 0.0 <= res["speaker_accuracy"] <= 1.0
    assert res["speaker_correct"] <= res["speaker_scored"]


def test_basil_small_real_run():
    root = need_shared("data", "basil")
    assert len(quote_annotations(root)) > 100
    res = evaluate_basil(root, limit=4)
    assert res["articles"] == 4
    assert res["correct"] <= res["predicted"] <= res["found"] <= res["named_quotes"]


def test_unknown_dataset_and_held_back_split_are_usage_errors():
    assert CliRunner().invoke(app, ["eval", "quotes", "--dataset", "nope"]).exit_code == 2
    need_shared("data", "polnear")
    assert CliRunner().invoke(app, ["eval", "quotes", "--dataset", "polnear", "--split", "test"]).exit_code == 2
