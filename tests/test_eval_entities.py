"""The entity evaluation: the development gold (ids and offsets only) and its scores."""

from __future__ import annotations

from conftest import need_shared

from newsdesk.eval.basil import articles_by_id, read_article
from newsdesk.eval.entities import evaluate, load_gold, score_story
from newsdesk.models import Entity


def test_gold_is_ids_and_offsets_from_at_least_40_articles():
    gold = load_gold()
    articles = [a for s in gold["stories"] for a in s["articles"]]
    assert len(articles) >= 40 and len(set(articles)) == len(articles)
    for story in gold["stories"]:
        assert story["must_not_merge"] is not None
        for ent in story["entities"]:
            assert ent["types"] and all(len(m) == 3 and isinstance(m[1], int) for m in ent["mentions"])
    assert sum(len(s["must_not_merge"]) for s in gold["stories"]) >= 30


def test_gold_offsets_fall_on_names_in_the_articles():
    files = articles_by_id(need_shared("data", "basil"))
    story = load_gold()["stories"][0]
    texts = {a: read_article(files[a]).text for a in story["articles"]}
    for ent in story["entities"]:
        for aid, s, e in ent["mentions"]:
            assert texts[aid][s:e][:1].isupper(), (aid, s, e)


def test_scores_of_a_made_up_story():
    text = "Mary Cheney spoke. Liz Cheney left. Russia and Russian troops. The Kremlin said so."
    story = {"articles": ["a"], "entities": [
        {"id": "e1", "types": ["PERSON"], "mentions": [["a", 0, 11]]},
        {"id": "e2", "types": ["PERSON"], "mentions": [["a", 19, 29]]},
        {"id": "e3", "types": ["PLACE"], "mentions": [["a", 36, 42]]},
        {"id": "d1", "types": ["GROUP"], "mentions": [["a", 47, 54]], "demonym_of": "e3"},
        {"id": "e4", "types": ["ORG"], "mentions": [["a", 67, 74]]}],
        "must_not_merge": [["e1", "e2"], ["e3", "e4"]]}
    shown = [Entity("Mary Cheney", "PERSON", ("Mary Cheney", "Liz Cheney")),
             Entity("Russia", "PLACE", ("Russia", "Russian")), Entity("Kremlin", "PLACE", ("Kremlin",))]
    c = score_story(story, {"a": text}, shown)["counts"]
    assert (c["pairs"], c["pairs_ok"], c["must_not_merged"]) == (2, 1, 1)  # the demonym pair is right
    assert (c["typed"], c["type_ok"]) == (3, 2) and c["recalled"] == 4 and c["gold"] == 4


def test_small_real_run():
    res = evaluate(need_shared("data", "basil"), limit=1)
    assert res["stories"] == 1 and 0.0 <= res["merge_precision"] <= 1.0 and 0.0 <= res["recall"] <= 1.0
