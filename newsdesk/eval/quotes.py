"""``newsdesk eval quotes``: direct quotes and their speakers against annotated news.

``--dataset polnear`` (the default; see :mod:`.polnear` for the gold and the scores):
PolNeAR's dev split (84 articles; ``--split train`` for the 840 tuned on), every
article deep-parsed and run through the brief's own quote path
(:func:`~newsdesk.briefing.quotes.find_quotes`, the story's fullest names and the
entities' names, as in ``newsdesk brief``).  Direct-quote precision and recall, and
speaker accuracy on the quotes found, with every wrong speaker listed.

``--dataset basil``: BASIL (Fan et al. 2019) marks quoted spans in 300 articles with
their speaker, a named one ("Donald_Trump") or an anonymous class (``other_*``).  A gold
quote is *found* when a newsdesk quote overlaps its span, and its speaker is *correct*
when the predicted speaker's key word (surname, or head word of a group) is one of the
gold speaker's words: precision = correct / found with a speaker, recall = correct / all
named gold quotes, F1; for anonymous speakers the share given *someone's* name is
``anonymous_attributed`` (it should be 0).
"""

from __future__ import annotations

import json
import logging
import re
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import typer

from .common import require_dataset

log = logging.getLogger(__name__)

__all__ = ["article_quotes", "evaluate_basil", "evaluate_polnear", "register"]


def article_quotes(parsed: Sequence[Any]) -> list[list[Any]]:
    """Each parsed article's quotes as ``newsdesk brief`` names them (one article a story):
    :class:`~newsdesk.eval.polnear.Found` with offsets, speaker and role."""
    from ..briefing.entities import extract_entities
    from ..briefing.quotes import find_quotes, link_speakers, resolve_speakers
    from ..models import Quote
    from .polnear import Found

    out = []
    for pa in parsed:
        try:
            raw = resolve_speakers(find_quotes(pa), [pa])
            linked = link_speakers([Quote(q.speaker, q.text, (q.article_id,), (), q.role) for q in raw],
                                   extract_entities([pa]))
        except Exception as exc:  # one broken article never stops the evaluation
            log.warning("%s: %s", pa.id, exc)
            raw, linked = [], []
        out.append([Found(q.start, q.end, lq.speaker, lq.role, q.text) for q, lq in zip(raw, linked)])
    return out


def evaluate_polnear(root: Path, split: str = "dev", limit: int | None = None, options: Any = None
                     ) -> dict[str, Any]:
    from ..nlp import NLP
    from ..options import DEFAULT_OPTIONS
    from .polnear import load, score

    options = options or DEFAULT_OPTIONS
    data = load(root, split, limit)
    t0 = time.perf_counter()
    parsed = NLP(options).parse_many([g.article for g in data], deep=True)
    parse_s = time.perf_counter() - t0
    res = score(list(zip(data, article_quotes(parsed))))
    return {"dataset": "polnear", "split": split, **res, "parse_seconds": round(parse_s, 1)}


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", name.lower().replace("_", " ")) if len(w) > 1}


def _core(txt: str) -> str:
    return txt.strip(" \t\n\"“”‘’'`,.;:")


def evaluate_basil(root: Path, limit: int | None = None, options: Any = None) -> dict[str, Any]:
    from ..briefing.quotes import speaker_key
    from ..nlp import NLP
    from ..options import DEFAULT_OPTIONS
    from .basil import quote_annotations

    options = options or DEFAULT_OPTIONS
    data = quote_annotations(root)[:limit]
    t0 = time.perf_counter()
    parsed = NLP(options).parse_many([a for a, _ in data], deep=True)
    parse_s = time.perf_counter() - t0
    named = correct = predicted = found = located = anon = anon_attr = 0
    for (article, gold), quotes in zip(data, article_quotes(parsed)):
        for g in gold:
            core = _core(g.get("txt", ""))
            pos = article.text.find(core) if core else -1
            is_anon = g["speaker"].startswith("other_")
            anon += is_anon
            named += not is_anon
            if pos < 0:
                continue
            located += 1
            hits = [q for q in quotes if q.start < pos + len(core) and pos < q.end]
            if not hits:
                continue
            q = min(hits, key=lambda q: abs(q.start - pos))
            if is_anon:
                anon_attr += q.speaker is not None
                continue
            found += 1
            if q.speaker is None:
                continue
            predicted += 1
            key = speaker_key(q.speaker)
            correct += bool(key and key in _words(g["speaker"]))
    p = correct / predicted if predicted else 0.0
    r = correct / named if named else 0.0
    return {"dataset": "basil", "articles": len(data), "named_quotes": named, "located": located,
            "found": found, "predicted": predicted, "correct": correct, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "anonymous_quotes": anon,
            "anonymous_attributed": anon_attr / anon if anon else 0.0, "parse_seconds": round(parse_s, 1)}


def _print_polnear(res: dict[str, Any]) -> None:
    from rich.console import Console

    out = Console(highlight=False)
    out.print(f"PolNeAR {res['split']} ({res['articles']} articles, {res['gold_quotes']} gold direct quotes)")
    out.print(f"direct quotes: precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f} "
              f"({res['predicted']} scored, {res['partial']} partial quotes in reported speech left out)")
    out.print(f"speaker accuracy {res['speaker_accuracy']:.3f} ({res['speaker_correct']}/{res['speaker_scored']}); "
              f"unnamed sources given a name: {res['unnamed_given_a_name']} of {res['unnamed_gold']}")
    for e in res["speaker_errors"]:
        out.print(f"  {e['article']}@{e['start']}: gold {e['gold']!r} ({e['gold_source']!r}) "
                  f"newsdesk {e['predicted']!r} — “{e['text']}”", markup=False)


def _print_basil(res: dict[str, Any]) -> None:
    from rich.console import Console

    out = Console(highlight=False)
    out.print(f"BASIL quotes ({res['articles']} articles, {res['named_quotes']} quotes with a named speaker)")
    out.print(f"speaker precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}")
    out.print(f"quotes found {res['found']}, with a speaker {res['predicted']}, correct {res['correct']}; "
              f"anonymous speakers attributed to someone: {res['anonymous_attributed']:.2f}")


def register(app: typer.Typer) -> None:
    @app.command("quotes")
    def quotes_cmd(
        dataset: str = typer.Option("polnear", "--dataset", help="polnear (direct quotes and speakers) or basil."),
        split: str = typer.Option("dev", "--split", help="PolNeAR split: dev (reported) or train (tuned on)."),
        shared: Path | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N articles."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores (and every error) as JSON."),
    ) -> None:
        """Direct-quote precision/recall and speaker accuracy (PolNeAR), or speaker P/R/F1 (BASIL)."""
        root = require_dataset("quotes", dataset, {"polnear": "polnear", "basil": "basil"}, shared)
        if dataset == "polnear" and split not in ("dev", "train"):
            typer.echo(f"newsdesk: unknown split {split!r} (dev or train; the test split is held back)", err=True)
            raise typer.Exit(2)
        res = evaluate_polnear(root, split, limit) if dataset == "polnear" else evaluate_basil(root, limit)
        if as_json:
            print(json.dumps(res, indent=2, ensure_ascii=False))
        elif dataset == "polnear":
            _print_polnear(res)
        else:
            _print_basil(res)
