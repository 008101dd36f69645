"""``newsdesk eval quotes --dataset basil``: quote speakers against BASIL's annotations.

BASIL (Fan et al. 2019) marks quoted spans in 300 articles (Fox News, New York
Times, HuffPost) with their speaker: a named one ("Donald_Trump",
"House_Democrats") or an anonymous class (``other_pro``/``other_anti``/
``other_neutral``).  Every article is deep-parsed and run through
:func:`newsdesk.briefing.quotes.find_quotes`; a gold quote is *found* when one of newsdesk's
quotes overlaps its span, and its speaker is *correct* when the predicted speaker's
key word (surname, or head word of a group) is one of the gold speaker's words.

* precision = correct / gold quotes found with a predicted speaker;
* recall = correct / all gold quotes with a named speaker;
* F1 of the two.  Anonymous speakers cannot be checked by name: for them the
  share that newsdesk attributes to *someone* is reported as ``anonymous_attributed``.
"""

from __future__ import annotations

import ast
import json
import logging
import re
import time
from pathlib import Path
from typing import Any

import typer

from .common import require_dataset

log = logging.getLogger(__name__)


def _paragraphs(raw: Any) -> list[list[str]]:
    if isinstance(raw, str):
        try:
            raw = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return [[raw]]
    return [[p] if isinstance(p, str) else list(p) for p in raw]


def load(root: Path) -> list[tuple[Any, list[dict[str, Any]]]]:
    """(Article, quote annotations) for every BASIL article that has annotations."""
    import datetime as _dt

    from ..models import Article

    out = []
    for ann_file in sorted((root / "annotations").glob("*/*_ann.json")):
        art_file = root / "articles" / ann_file.parent.name / ann_file.name.replace("_ann.json", ".json")
        if not art_file.is_file():
            continue
        art = json.loads(art_file.read_text(encoding="utf-8"))
        ann = json.loads(ann_file.read_text(encoding="utf-8"))
        text = "\n\n".join(" ".join(s.strip() for s in para) for para in _paragraphs(art["body-paragraphs"]))
        try:
            published = _dt.date.fromisoformat(str(art.get("date"))[:10])
        except ValueError:
            published = None
        article = Article(id=art_file.stem, text=text, title=art.get("title"), source=art.get("source"),
                          published=published)
        quotes = [p for p in ann.get("phrase-level-annotations", []) if p.get("quote") == "yes" and p.get("speaker")]
        out.append((article, quotes))
    return out


def _words(name: str) -> set[str]:
    return {w for w in re.findall(r"[a-z]+", name.lower().replace("_", " ")) if len(w) > 1}


def _core(txt: str) -> str:
    return txt.strip(" \t\n\"“”‘’'`,.;:")


def evaluate(root: Path, limit: int | None = None, options: Any = None) -> dict[str, Any]:
    from ..briefing.quotes import _full_names, find_quotes, speaker_key
    from ..nlp import NLP
    from ..options import DEFAULT_OPTIONS

    options = options or DEFAULT_OPTIONS
    data = load(root)[:limit]
    nlp = NLP(options)
    t0 = time.perf_counter()
    parsed = nlp.parse_many([a for a, _ in data], deep=True)
    parse_s = time.perf_counter() - t0
    named = correct = predicted = found = located = 0
    anon = anon_attr = 0
    for (article, gold), pa in zip(data, parsed):
        try:
            raw = find_quotes(pa)
        except Exception as exc:  # one broken article never stops the evaluation
            log.warning("%s: %s", article.id, exc)
            raw = []
        names = _full_names(raw, [pa])
        for g in gold:
            core = _core(g.get("txt", ""))
            pos = article.text.find(core) if core else -1
            is_anon = g["speaker"].startswith("other_")
            if is_anon:
                anon += 1
            else:
                named += 1
            if pos < 0:
                continue
            located += 1
            end = pos + len(core)
            hits = [q for q in raw if q.start < end and pos < q.start + len(q.text)]
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
            key = speaker_key(names.get(speaker_key(q.speaker) or "", q.speaker))
            if key and key in _words(g["speaker"]):
                correct += 1
    p = correct / predicted if predicted else 0.0
    r = correct / named if named else 0.0
    return {"dataset": "basil", "articles": len(data), "named_quotes": named, "located": located,
            "found": found, "predicted": predicted, "correct": correct, "precision": p, "recall": r,
            "f1": 2 * p * r / (p + r) if p + r else 0.0, "anonymous_quotes": anon,
            "anonymous_attributed": anon_attr / anon if anon else 0.0, "parse_seconds": round(parse_s, 1)}


def register(app: typer.Typer) -> None:
    @app.command("quotes")
    def quotes_cmd(
        dataset: str = typer.Option("basil", "--dataset", help="Only basil is available."),
        shared: Path | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        limit: int | None = typer.Option(None, "--limit", min=1, help="Only the first N articles."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """Speaker precision, recall and F1 on BASIL's quote annotations."""
        root = require_dataset("quotes", dataset, {"basil": "basil"}, shared)
        res = evaluate(root, limit)
        if as_json:
            print(json.dumps(res, indent=2))
            return
        from rich.console import Console

        out = Console(highlight=False)
        out.print(f"BASIL quotes ({res['articles']} articles, {res['named_quotes']} quotes with a named speaker)")
        out.print(f"speaker precision {res['precision']:.3f}  recall {res['recall']:.3f}  F1 {res['f1']:.3f}")
        out.print(f"quotes found {res['found']}, with a speaker {res['predicted']}, correct {res['correct']}; "
                  f"anonymous speakers attributed to someone: {res['anonymous_attributed']:.2f}")
