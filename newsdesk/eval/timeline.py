"""``newsdesk eval timeline --dataset timeline17``: dated timelines against journalists' timelines.

For each topic of Timeline17 (Tran et al. 2013) and each of its gold timelines,
newsdesk builds the timeline of all the topic's articles as one story with
``dates = N`` (the gold timeline's number of dates), exactly as ``newsdesk timeline
PATH --dates N`` does, and is scored with the standard timeline metrics of tilse
(Martschat & Markert 2017):

* **date F1**: precision and recall of the predicted dates against the gold dates;
* **alignment-based ROUGE-1** (``align+ m:1``): every predicted date is aligned to
  the gold date that maximises its discounted unigram overlap, the discount being
  ``1 / (days apart + 1)``; the discounted clipped overlaps, summed, are divided by
  the predicted (precision) and the gold (recall) unigram counts.  Tokens are
  lower-cased and Porter-stemmed (``rouge-score``'s tokenizer), stop words kept, as
  in ROUGE-1.5.5 with ``-m``.  This follows tilse's definition with the greedy
  alignment in place of its optimal assignment, which can only lower the score.

The published Datewise method (Gholipour Ghalandari & Ifrim 2020) reaches date F1
0.544 on Timeline17; it is printed beside the result for reference.
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import re
import time
from collections import Counter
from pathlib import Path
from typing import Any

import typer

from .common import require_dataset

log = logging.getLogger(__name__)

PUBLISHED_DATE_F1 = 0.544  # Datewise, Gholipour Ghalandari & Ifrim (2020), Table 3, T17

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


def detokenize(text: str) -> str:
    """Undo the PTB bracket escapes of the news-tls preprocessing (the spacing is kept)."""
    return re.sub(r"-[LR][RSC]B-", lambda m: _PTB[m.group(0)], text)


def load_topic(folder: Path) -> tuple[list[Any], list[tuple[str, list[dict[str, str]]]]]:
    """(articles, [(gold timeline name, [{date, text}])]) of one Timeline17 topic folder."""
    from ..models import Article

    articles = []
    src = folder / "articles.json"
    if src.is_file():
        for rec in json.loads(src.read_text(encoding="utf-8")):
            text = detokenize(rec.get("text") or "").strip()
            if not text:
                continue
            try:
                published = _dt.date.fromisoformat(str(rec.get("dct"))[:10])
            except ValueError:
                published = None
            articles.append(Article(id=str(rec["uid"]), text=text, published=published, source=folder.name))
    golds = []
    for f in sorted(folder.glob("*.timeline.json")):
        golds.append((f.name, json.loads(f.read_text(encoding="utf-8"))))
    return articles, golds


def _tokens(text: str) -> list[str]:
    from nltk.stem import porter
    from rouge_score import tokenize

    stemmer = _STEMMER.setdefault("s", porter.PorterStemmer())
    return [stemmer.stem(w) if len(w) > 3 else w for w in tokenize.tokenize(detokenize(text), None)]


_STEMMER: dict[str, Any] = {}


def date_f1(pred: set[str], gold: set[str]) -> tuple[float, float, float]:
    """Precision, recall and F1 of predicted against gold dates."""
    hit = len(pred & gold)
    p = hit / len(pred) if pred else 0.0
    r = hit / len(gold) if gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def align_rouge1(pred: dict[str, str], gold: dict[str, str]) -> tuple[float, float, float]:
    """tilse-style alignment-based ROUGE-1 (many-to-one, date-distance discounted): P, R, F1."""
    if not pred or not gold:
        return 0.0, 0.0, 0.0
    gold_c = {d: Counter(_tokens(t)) for d, t in gold.items()}
    gold_day = {d: _dt.date.fromisoformat(d[:10]) for d in gold}
    matched = 0.0
    n_pred = 0
    for d, text in pred.items():
        c = Counter(_tokens(text))
        n_pred += sum(c.values())
        try:
            day = _dt.date.fromisoformat(d[:10]) if len(d) >= 10 else _dt.date(int(d[:4]), 1, 1)
        except ValueError:
            continue
        best = 0.0
        for g, gc in gold_c.items():
            w = 1.0 / (abs((gold_day[g] - day).days) + 1)
            best = max(best, w * sum((c & gc).values()))
        matched += best
    n_gold = sum(sum(c.values()) for c in gold_c.values())
    p = matched / n_pred if n_pred else 0.0
    r = matched / n_gold if n_gold else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def evaluate(root: Path, topics: list[str] | None = None, options: Any = None,
             echo: Any = None) -> dict[str, Any]:
    """Score every (topic, gold timeline) pair under ``root``; per-pair rows and means."""
    from .. import api
    from ..nlp import NLP
    from ..options import DEFAULT_OPTIONS

    options = options or DEFAULT_OPTIONS
    rows: list[dict[str, Any]] = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if topics and folder.name not in topics:
            continue
        articles, golds = load_topic(folder)
        if not articles:
            log.warning("%s: no articles.json, skipped", folder.name)
            continue
        nlp = NLP(options)
        t0 = time.perf_counter()
        for name, gold in golds:
            gold_texts: dict[str, str] = {}
            for ev in gold:
                gold_texts[ev["date"][:10]] = (gold_texts.get(ev["date"][:10], "") + " " + ev["text"]).strip()
            n = len(gold_texts)
            events = api.timeline(articles, options, dates=n, nlp=nlp)
            pred: dict[str, str] = {}
            for e in events:
                pred[e.date] = (pred.get(e.date, "") + " " + e.text).strip()
            dp, dr, df = date_f1(set(pred), set(gold_texts))
            rp, rr, rf = align_rouge1(pred, gold_texts)
            row = {"topic": folder.name, "timeline": name, "articles": len(articles), "dates": n,
                   "date_p": dp, "date_r": dr, "date_f1": df, "ar1_p": rp, "ar1_r": rr, "ar1_f1": rf,
                   "seconds": round(time.perf_counter() - t0, 1)}
            rows.append(row)
            if echo:
                echo(row)
    mean = {k: (sum(r[k] for r in rows) / len(rows) if rows else 0.0)
            for k in ("date_p", "date_r", "date_f1", "ar1_p", "ar1_r", "ar1_f1")}
    return {"dataset": "timeline17", "rows": rows, "mean": mean,
            "published_datewise_date_f1": PUBLISHED_DATE_F1}


def register(app: typer.Typer) -> None:
    @app.command("timeline")
    def timeline_cmd(
        dataset: str = typer.Option("timeline17", "--dataset", help="Only timeline17 is available."),
        shared: Path | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        topic: list[str] = typer.Option([], "--topic", help="Only these topic folders (repeatable)."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """Date F1 and alignment-based ROUGE-1 against Timeline17's journalist timelines."""
        from rich.console import Console
        from rich.table import Table


        err = Console(stderr=True, highlight=False)
        root = require_dataset("timeline", dataset, {"timeline17": "timeline17"}, shared)

        def echo(row: dict[str, Any]) -> None:
            err.print(f"{row['topic']}: date F1 {row['date_f1']:.3f}, AR-1 F1 {row['ar1_f1']:.3f} "
                      f"({row['articles']} articles, {row['seconds']} s)", markup=False)

        res = evaluate(root, list(topic) or None, echo=echo)
        if as_json:
            print(json.dumps(res, indent=2))
            return
        t = Table("topic", "timeline", "dates", "date P", "date R", "date F1", "AR-1 P", "AR-1 R", "AR-1 F1",
                  title="Timeline17 (newsdesk timeline --dates N)")
        for r in res["rows"]:
            t.add_row(r["topic"], r["timeline"], str(r["dates"]), f"{r['date_p']:.3f}", f"{r['date_r']:.3f}",
                      f"{r['date_f1']:.3f}", f"{r['ar1_p']:.3f}", f"{r['ar1_r']:.3f}", f"{r['ar1_f1']:.3f}")
        m = res["mean"]
        t.add_row("mean", "", "", f"{m['date_p']:.3f}", f"{m['date_r']:.3f}", f"{m['date_f1']:.3f}",
                  f"{m['ar1_p']:.3f}", f"{m['ar1_r']:.3f}", f"{m['ar1_f1']:.3f}")
        Console(highlight=False).print(t)
        Console(highlight=False).print(f"published Datewise date F1 on Timeline17: {PUBLISHED_DATE_F1}")
