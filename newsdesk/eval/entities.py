"""``newsdesk eval entities``: the story's entities against a development gold read by hand.

**The gold** (``entities_gold.json``, package data; ids and character offsets only, no
article text) covers 15 BASIL events, 45 articles (three outlets each), read for this
purpose: every named entity a reader would list for the story, with the offsets of each
of its mentions in the articles as newsdesk reads them, its type (two types where both
are defensible: "White House" is ORG or PLACE), and per story the pairs that must never
be merged — a place and an organisation named after it ("San Diego" / "San Diego
Union-Tribune"), two people sharing a surname ("Mary Cheney" / "Liz Cheney", "Donald
Trump" / "Donald Trump Jr."), a person and an outlet sharing a name ("Vicente Fox" /
"Fox News"), a country and its government ("France" / "the Elysee"), a chamber and its
committee.  A demonym is an entity of its own (GROUP) that may also be merged with its
place ("French" -> France); a bare surname several people share in one story
("Cheney") is *ambiguous* and not scored; forms the recogniser takes for names but are
not ("Lyin", "Spouses") are listed as *not names*.

Each story's articles are parsed and briefed for entities exactly as in ``newsdesk
brief`` (:func:`newsdesk.briefing.entities.extract_entities`, ``Options.max_entities``
applied).  A shown surface form (an entity's name or alias) is mapped to the gold entity
whose mentions have the same name key (case, spaces, full stops and possessives aside).

- **merge precision**: over every pair of forms shown as one entity that both map to
  gold entities, the share that are one gold entity (or a demonym and its place);
- **must-not-merge**: pairs of the gold's must-not-merge list shown as one entity
  (must be 0);
- **type accuracy**: over shown entities whose name maps to a gold entity, the share
  whose type is one the gold allows;
- **recall**: gold entities (demonyms aside) of which some form is shown, over all, and
  over those mentioned at least twice;
- **names shown that are not names**: shown entities whose name is a gold *not name*,
  and those whose name maps to nothing in the gold (a truncated or invented name, or a
  name the gold missed), both listed.
"""

from __future__ import annotations

import json
import re
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path
from typing import Any

import typer

from .common import require_dataset

__all__ = ["load_gold", "score_story", "evaluate", "register"]

GOLD = Path(__file__).with_name("entities_gold.json")


def load_gold(path: Path = GOLD) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


def _key(form: str) -> str:
    from ..briefing.entities import name_key

    return name_key(re.sub(r"['’]s?$", "", form.strip()))


def _index(story: dict[str, Any], texts: dict[str, str]) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """Name key -> gold entity ids; the ambiguous keys; the not-name keys."""
    by_key: dict[str, set[str]] = defaultdict(set)
    for ent in story["entities"]:
        for aid, s, e in ent["mentions"]:
            by_key[_key(texts[aid][s:e])].add(ent["id"])
    amb = {_key(texts[a][s:e]) for a, s, e in story.get("ambiguous", ())}
    junk = {_key(texts[a][s:e]) for a, s, e in story.get("not_names", ())}
    return by_key, amb, junk


def score_story(story: dict[str, Any], texts: dict[str, str], shown: list[Any]) -> dict[str, Any]:
    """Counts for one story's shown entities (see the module docstring)."""
    by_key, amb, junk = _index(story, texts)
    ents = {e["id"]: e for e in story["entities"]}
    demonym = {e["id"]: e.get("demonym_of") for e in story["entities"] if e.get("demonym_of")}
    must = {frozenset(p) for p in story.get("must_not_merge", ())}

    def gold_id(form: str) -> str | None:
        k = _key(form)
        ids = by_key.get(k, set())
        return next(iter(ids)) if len(ids) == 1 and k not in amb else None

    c: Counter[str] = Counter()
    wrong_merges, wrong_types, unknown = [], [], []
    found: set[str] = set()
    for ent in shown:
        forms = list(dict.fromkeys([ent.name, *ent.aliases]))
        ids = {f: gold_id(f) for f in forms}
        found.update(i for i in ids.values() if i)
        for (f1, i1), (f2, i2) in combinations([(f, i) for f, i in ids.items() if i], 2):
            if i1 == i2:
                continue  # two spellings of one gold entity's name: not a merge decision
            c["pairs"] += 1
            ok = demonym.get(i1) == i2 or demonym.get(i2) == i1
            c["pairs_ok"] += ok
            if not ok:
                wrong_merges.append((f1, f2))
                c["must_not_merged"] += frozenset((i1, i2)) in must
        same = sum(1 for (_, i1), (_, i2) in combinations([(f, i) for f, i in ids.items() if i], 2) if i1 == i2)
        c["pairs"] += same
        c["pairs_ok"] += same
        name_id = ids.get(ent.name)
        if name_id is None:
            k = _key(ent.name)
            if k in junk:
                c["not_names"] += 1
                unknown.append(("not a name", ent.name, ent.type))
            elif k not in amb:
                c["unmapped"] += 1
                unknown.append(("not in gold", ent.name, ent.type))
            continue
        c["typed"] += 1
        gold = ents[name_id]
        allowed = set(gold["types"]) | (set(ents[gold["demonym_of"]]["types"]) if gold.get("demonym_of") else set())
        if ent.type in allowed:
            c["type_ok"] += 1
        else:
            wrong_types.append((ent.name, ent.type, "/".join(gold["types"])))
    real = [e for e in story["entities"] if not e.get("demonym_of")]
    c["gold"] = len(real)
    c["recalled"] = sum(e["id"] in found for e in real)
    c["gold2"] = sum(len(e["mentions"]) >= 2 for e in real)
    c["recalled2"] = sum(e["id"] in found for e in real if len(e["mentions"]) >= 2)
    c["shown"] = len(shown)
    return {"counts": c, "wrong_merges": wrong_merges, "wrong_types": wrong_types, "unknown": unknown}


def evaluate(root: Path, options: Any = None, limit: int | None = None) -> dict[str, Any]:
    from ..briefing.entities import extract_entities
    from ..nlp import NLP
    from ..options import DEFAULT_OPTIONS
    from .basil import articles_by_id, read_article

    options = options or DEFAULT_OPTIONS
    gold = load_gold()
    files = articles_by_id(root)
    nlp = NLP(options)
    total: Counter[str] = Counter()
    stories = []
    t0 = time.perf_counter()
    for story in gold["stories"][:limit]:
        arts = [read_article(files[a]) for a in story["articles"]]
        parsed = nlp.parse_many(arts, deep=True)
        shown = extract_entities(parsed, options)
        res = score_story(story, {a.id: a.text for a in arts}, shown)
        total.update(res["counts"])
        stories.append({"id": story["id"], **{k: v for k, v in res.items() if k != "counts"}})
    c = total
    return {
        "dataset": "basil", "stories": len(stories),
        "articles": sum(len(s["articles"]) for s in gold["stories"][:limit]),
        "gold_entities": c["gold"], "shown_entities": c["shown"],
        "merge_precision": c["pairs_ok"] / c["pairs"] if c["pairs"] else 1.0, "merged_pairs": c["pairs"],
        "must_not_merge_merged": c["must_not_merged"],
        "type_accuracy": c["type_ok"] / c["typed"] if c["typed"] else 0.0, "typed": c["typed"],
        "recall": c["recalled"] / c["gold"] if c["gold"] else 0.0,
        "recall_mentioned_twice": c["recalled2"] / c["gold2"] if c["gold2"] else 0.0,
        "not_names_shown": c["not_names"], "names_not_in_gold": c["unmapped"],
        "seconds": round(time.perf_counter() - t0, 1), "by_story": stories,
    }


def register(app: typer.Typer) -> None:
    @app.command("entities")
    def entities_cmd(
        dataset: str = typer.Option("basil", "--dataset", help="Only basil (the development gold) is available."),
        shared: Path | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N stories."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores (and every error) as JSON."),
    ) -> None:
        """Entity merge precision, type accuracy and recall on a development gold of 45 BASIL articles."""
        root = require_dataset("entities", dataset, {"basil": "basil"}, shared)
        res = evaluate(root, limit=limit)
        if as_json:
            print(json.dumps(res, indent=2, ensure_ascii=False))
            return
        from rich.console import Console

        out = Console(highlight=False)
        out.print(f"entities on {res['stories']} BASIL stories ({res['articles']} articles, "
                  f"{res['gold_entities']} gold entities, {res['shown_entities']} shown)")
        out.print(f"merge precision {res['merge_precision']:.3f} over {res['merged_pairs']} merged pairs; "
                  f"must-not-merge pairs merged: {res['must_not_merge_merged']}")
        out.print(f"type accuracy {res['type_accuracy']:.3f} over {res['typed']}; recall {res['recall']:.3f} "
                  f"(entities mentioned twice or more: {res['recall_mentioned_twice']:.3f})")
        out.print(f"shown names that are not names: {res['not_names_shown']}; not in the gold: "
                  f"{res['names_not_in_gold']}")
        for s in res["by_story"]:
            for a, b in s["wrong_merges"]:
                out.print(f"  {s['id']}: merged {a!r} + {b!r}", markup=False)
            for name, got, want in s["wrong_types"]:
                out.print(f"  {s['id']}: {name!r} typed {got}, gold {want}", markup=False)
