"""``newsdesk eval attribution --dataset msrp``: is "this outlet reports this too" true?

MSRP (Dolan & Brockett 2005) pairs sentences of different outlets' reports of one event, judged the same
content (1) or not (0); only the training split is visible (the test split is held back and never read).
Scored, in one run:

- the matcher alone (:mod:`newsdesk.briefing.matcher`), with its shipped model (train figures: it was
  fitted on these pairs) and 5-fold cross-validated (fitted and thresholded on four folds, scored on the
  fifth: the figure to expect on held-back pairs);
- the whole brief path: each pair as a two-article story through ``newsdesk.summarize``; a pair is cited
  when some summary sentence lists both articles (shipped model, and each pair under its fold's model);
- two baselines: TF-IDF cosine (fitted on the split's sentences) and the previous matcher (IDF-weighted
  content-stem cosine at 0.26, tuned on the demo corpus; a copy is kept here), matcher alone.

Each gets precision, recall and F1, and a precision-recall table over thresholds.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import typer

log = logging.getLogger(__name__)

FOLDS = 5
SEED = 13
# The threshold is the lowest probability at which the training folds' precision reaches this, so that
# held-back pairs keep precision >= 0.90 (the goal of #14) with a margin for a new sample: 0.91 (CV, MSRP
# train: 0.90 -> held-out precision under 0.90 in some folds, 0.93 -> recall 0.32 < 0.40).
PRECISION_TARGET = 0.91
OLD_THRESHOLD = 0.26  # the previous matcher's attribution threshold (demo corpus)
GRID = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


@dataclass(frozen=True)
class Pair:
    label: int
    id1: str
    id2: str
    s1: str
    s2: str


def load_msrp(root: Path, split: str = "train") -> list[Pair]:
    """The visible MSRP split (``train`` only: the test split is held back)."""
    if split != "train":
        raise ValueError("only the MSRP training split is visible; the test split is held back")
    path = root / "msr_paraphrase_train.txt"
    if not path.is_file():
        from .common import DataMissingError
        raise DataMissingError(f"no MSRP training split at {path}")
    out = []
    with path.open(encoding="utf-8-sig") as fh:
        next(fh)
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) == 5 and parts[0] in {"0", "1"}:
                out.append(Pair(int(parts[0]), parts[1], parts[2], parts[3], parts[4]))
    return out


def _article(text: str, aid: str) -> Any:
    from ..models import Article
    return Article(id=aid, text=text)


def _whole(pa: Any) -> Any:
    """One ParsedSentence over all the sentences of a parsed one-sentence article (the pair's unit)."""
    from ..models import Sentence
    from ..nlp import ParsedSentence
    toks = tuple(t for ps in pa.sentences for t in ps.tokens)
    return ParsedSentence(Sentence(pa.id, 0, len(pa.article.text), pa.article.text), toks)


def parse_pairs(pairs: Sequence[Pair], nlp: Any = None) -> list[tuple[Any, Any]]:
    """Each pair's two sentences, parsed (shallow, as ``summarize`` parses) into one ParsedSentence each."""
    from ..nlp import NLP
    nlp = nlp or NLP()
    arts = [_article(t, f"{i}/{k}") for i, p in enumerate(pairs) for k, t in ((1, p.s1), (2, p.s2))]
    parsed = nlp.parse_many(arts, deep=False)
    return [(_whole(parsed[2 * i]), _whole(parsed[2 * i + 1])) for i in range(len(pairs))]


def feature_table(sents: Sequence[tuple[Any, Any]], embedder: Any = None) -> tuple[list[Any], list[bool]]:
    """Per pair: (key facts a, key facts b, embedding cosine), and whether it passes veto + prefilter."""
    from ..briefing.embed import default_embedder
    from ..briefing.matcher import key_facts, prefilter
    embedder = embedder or default_embedder()
    vecs = embedder.embed(ps.sentence.text for pair in sents for ps in pair)
    rows, gate = [], []
    for a, b in sents:
        fa, fb = key_facts(a), key_facts(b)
        rows.append((fa, fb, float(vecs[a.sentence.text] @ vecs[b.sentence.text])))
        gate.append(prefilter(fa, fb))
    return rows, gate


def fit(rows: Sequence[Any], gate: Sequence[bool], labels: Sequence[int], idx: Sequence[int]) -> Any:
    """Logistic model on the gated pairs of ``idx``, thresholded at PRECISION_TARGET on them."""
    import numpy as np
    from sklearn.linear_model import LogisticRegression

    from ..briefing.matcher import MatcherModel, features
    use = [i for i in idx if gate[i]]
    x = np.array([features(*rows[i]) for i in use])
    y = np.array([labels[i] for i in use])
    lr = LogisticRegression(C=1.0, max_iter=2000).fit(x, y)
    model = MatcherModel(tuple(float(c) for c in lr.coef_[0]), float(lr.intercept_[0]), 0.5)
    probs = {i: model.probability(features(*rows[i])) for i in use}
    threshold = _threshold_for(probs, labels, n_pos=sum(labels[i] for i in idx))
    return MatcherModel(model.coefficients, model.intercept, threshold)


def _threshold_for(probs: dict[int, float], labels: Sequence[int], n_pos: int) -> float:
    """The lowest probability at which precision over pairs at or above it reaches PRECISION_TARGET."""
    ranked = sorted(probs.items(), key=lambda kv: -kv[1])
    tp = 0
    best = 1.0
    for k, (i, p) in enumerate(ranked, 1):
        tp += labels[i]
        if tp / k >= PRECISION_TARGET:
            best = p
    return best


def folds(n: int, k: int = FOLDS, seed: int = SEED) -> list[list[int]]:
    import random
    order = list(range(n))
    random.Random(seed).shuffle(order)
    return [sorted(order[f::k]) for f in range(k)]


def prf(pred: Sequence[bool], labels: Sequence[int]) -> dict[str, float]:
    tp = sum(1 for p, y in zip(pred, labels) if p and y)
    fp = sum(1 for p, y in zip(pred, labels) if p and not y)
    fn = sum(1 for p, y in zip(pred, labels) if not p and y)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "cited": tp + fp}


def pr_table(scores: Sequence[float], labels: Sequence[int], grid: Sequence[float]) -> list[dict[str, float]]:
    return [{"threshold": t, **prf([s >= t for s in scores], labels)} for t in grid]


def matcher_scores(rows: Sequence[Any], gate: Sequence[bool], model: Any) -> list[float]:
    from ..briefing.matcher import features
    return [model.probability(features(*r)) if g else 0.0 for r, g in zip(rows, gate)]


def cross_validated(rows: Sequence[Any], gate: Sequence[bool], labels: Sequence[int]
                    ) -> tuple[list[float], list[Any], list[int]]:
    """Held-out probabilities (each pair scored by the model fitted on the other folds), the fold
    models, and each pair's fold."""
    held = [0.0] * len(rows)
    fold_of = [0] * len(rows)
    models = []
    for f, test in enumerate(folds(len(rows))):
        train = sorted(set(range(len(rows))) - set(test))
        m = fit(rows, gate, labels, train)
        models.append(m)
        for i in test:
            fold_of[i] = f
            held[i] = m.probability(_features(rows[i])) if gate[i] else 0.0
    return held, models, fold_of


def _features(row: Any) -> tuple[float, ...]:
    from ..briefing.matcher import features
    return features(*row)


# --- baselines ------------------------------------------------------------------------------------------

def tfidf_scores(pairs: Sequence[Pair]) -> list[float]:
    """Cosine of TF-IDF vectors (fitted on all the split's sentences, English stop words out)."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    vec = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    m = vec.fit_transform([p.s1 for p in pairs] + [p.s2 for p in pairs])
    n = len(pairs)
    return [float(m[i].multiply(m[n + i]).sum()) for i in range(n)]


def old_matcher_score(a: Any, b: Any) -> float:
    """The previous matcher, kept as the baseline: cosine of IDF-weighted binary content-stem bags with
    the IDF over the story's sentences (here the pair's two sentences); fewer than two shared stems is 0."""
    bag_a, bag_b = frozenset(a.content_stems()), frozenset(b.content_stems())
    df: Counter[str] = Counter()
    df.update(bag_a)
    df.update(bag_b)
    idf = {w: math.log(3 / (c + 0.5)) for w, c in df.items()}
    shared = bag_a & bag_b
    if not bag_a or not bag_b or len(shared) < 2:
        return 0.0

    def w(words: frozenset[str]) -> float:
        return sum(idf[x] for x in words)
    den = math.sqrt(w(bag_a) * w(bag_b))
    return w(shared) / den if den > 0 else 0.0


# --- the whole brief path ---------------------------------------------------------------------------------

def brief_path(pairs: Sequence[Pair], models: Sequence[Any] | None = None, fold_of: Sequence[int] = (),
               nlp: Any = None) -> list[bool]:
    """Per pair: is it cited as one?  Each pair is a two-article story summarised by ``newsdesk.summarize``
    (dedupe, parse, ILP selection with its redundancy check, citations); cited = some summary sentence
    lists both articles.  With ``models``, pair ``i`` is judged by ``models[fold_of[i]]``."""
    import newsdesk

    from ..briefing import matcher
    from ..nlp import NLP
    nlp = nlp or NLP()
    out = []
    for i, p in enumerate(pairs):
        arts = [_article(p.s1, f"msrp/{p.id1}"), _article(p.s2, f"msrp/{p.id2}-2")]
        model = models[fold_of[i]] if models is not None else matcher.MODEL
        with matcher.using(model):
            summary = newsdesk.summarize(arts, nlp=nlp)
        ids = {a.id for a in arts}
        out.append(any(ids <= set(s.sources) for s in summary))
    return out


@contextmanager
def _quiet() -> Iterator[None]:
    """Two-sentence stories make the summarizer log warnings that say nothing about the matcher."""
    root = logging.getLogger("newsdesk")
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def evaluate(root: Path, limit: int | None = None, brief: bool = True) -> dict[str, Any]:
    """Every figure of ``newsdesk eval attribution --dataset msrp`` (see the module doc)."""
    from ..briefing import matcher
    pairs = load_msrp(root)[:limit] if limit else load_msrp(root)
    labels = [p.label for p in pairs]
    sents = parse_pairs(pairs)
    rows, gate = feature_table(sents)
    shipped = matcher_scores(rows, gate, matcher.MODEL)
    held, models, fold_of = cross_validated(rows, gate, labels)
    cv_pred = [h >= models[f].threshold for h, f in zip(held, fold_of)]
    tfidf = tfidf_scores(pairs)
    old = [old_matcher_score(a, b) for a, b in sents]
    res: dict[str, Any] = {
        "pairs": len(pairs), "positives": sum(labels),
        "matcher": {"train": prf([s >= matcher.MODEL.threshold for s in shipped], labels),
                    "cross_validated": prf(cv_pred, labels), "threshold": matcher.MODEL.threshold,
                    "table_train": pr_table(shipped, labels, GRID), "table_cv": pr_table(held, labels, GRID)},
        "tfidf": {"table": pr_table(tfidf, labels, GRID), "best_f1": _best(tfidf, labels)},
        "old_matcher": {"at_0.26": prf([s >= OLD_THRESHOLD for s in old], labels),
                        "table": pr_table(old, labels, GRID)},
    }
    if brief:
        with _quiet():
            res["brief_path"] = {"train": prf(brief_path(pairs), labels),
                                 "cross_validated": prf(brief_path(pairs, models, fold_of), labels)}
    return res


def _best(scores: Sequence[float], labels: Sequence[int]) -> dict[str, float]:
    """The threshold (of 0.01 steps) with the best F1, and the one with the most recall at precision >= 0.90."""
    table = pr_table(scores, labels, [t / 100 for t in range(1, 100)])
    best = max(table, key=lambda r: r["f1"])
    precise = [r for r in table if r["precision"] >= 0.90]
    out = {f"f1_{k}": v for k, v in best.items()}
    if precise:
        out |= {f"p90_{k}": v for k, v in max(precise, key=lambda r: r["recall"]).items()}
    return out


def register(app: typer.Typer) -> None:
    @app.command("attribution")
    def attribution_cmd(
        dataset: str = typer.Option("msrp", "--dataset", help="msrp (the visible training split)."),
        shared: Path | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        limit: int | None = typer.Option(None, "--limit", help="Only the first N pairs."),
        no_brief: bool = typer.Option(False, "--no-brief", help="Skip the whole brief path (matcher alone)."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """Same-content matcher and brief citations on MSRP: precision, recall, F1, PR table, baselines."""
        from rich.console import Console

        from .common import DataMissingError, require_dataset
        err = Console(stderr=True, highlight=False)
        root = require_dataset("attribution", dataset, {"msrp": "msrp-paraphrase"}, shared)
        try:
            res = evaluate(root, limit, not no_brief)
        except (DataMissingError, ValueError) as exc:
            err.print(f"newsdesk: {exc}", markup=False)
            raise typer.Exit(2) from exc
        if as_json:
            print(json.dumps(res, indent=2))
            return
        _print(res)


def _fmt(r: dict[str, float]) -> str:
    return f"P {r['precision']:.3f}  R {r['recall']:.3f}  F1 {r['f1']:.3f}  ({int(r['cited'])} cited)"


def _print(res: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table
    out = Console(highlight=False)
    out.print(f"MSRP training split: {res['pairs']} pairs, {res['positives']} the same content")
    m = res["matcher"]
    out.print(f"matcher alone, shipped model (threshold {m['threshold']:.3f}, fitted on these pairs): "
              f"{_fmt(m['train'])}")
    out.print(f"matcher alone, 5-fold cross-validated:  {_fmt(m['cross_validated'])}")
    if "brief_path" in res:
        out.print(f"brief path (two-article story), shipped model:  {_fmt(res['brief_path']['train'])}")
        out.print(f"brief path, 5-fold cross-validated:  {_fmt(res['brief_path']['cross_validated'])}")
    out.print(f"previous matcher at 0.26 (demo-tuned):  {_fmt(res['old_matcher']['at_0.26'])}")
    b = res["tfidf"]["best_f1"]
    out.print(f"TF-IDF cosine, best F1 at {b['f1_threshold']:.2f}: P {b['f1_precision']:.3f} R {b['f1_recall']:.3f} "
              f"F1 {b['f1_f1']:.3f}" + (f"; most recall at P>=0.90: threshold {b['p90_threshold']:.2f}, "
                                        f"R {b['p90_recall']:.3f}" if "p90_recall" in b else "; never P>=0.90"))
    t = Table(title="precision / recall over thresholds")
    t.add_column("threshold", justify="right")
    for name in ("matcher (train)", "matcher (CV)", "previous matcher", "TF-IDF cosine"):
        t.add_column(name, justify="right")
    tables = (m["table_train"], m["table_cv"], res["old_matcher"]["table"], res["tfidf"]["table"])
    for k, th in enumerate(GRID):
        t.add_row(f"{th:.1f}", *(f"{tb[k]['precision']:.3f} / {tb[k]['recall']:.3f}" for tb in tables))
    out.print(t)
