"""Which days of a story matter: a learned ranking of candidate dates (Datewise-style).

A story's candidate dates are the days its articles mention (resolved by :mod:`newsdesk.dates`)
and the days they were published.  Each candidate gets a few counts over the story's articles,
each divided by the count of the story's most-mentioned day so that a 20-article story and a
1,000-article topic are on one scale:

``strict``  articles published *after* the day that mention it (reports looking back on it);
``same``    articles published on the day that mention it ("today", "on Monday" the same day);
``pub``     articles published on the day;
``retro``   articles published more than a week after the day that mention it;
``rich``    articles mentioning at least four distinct days (chronologies, explainers) that
            mention it;
``sents``   sentences (date mentions) naming the day, any article.

A day's score is the weighted sum; the weights are learned (:func:`fit_weights`) by coordinate
ascent on the mean date F1 of journalists' timelines, the way Datewise (Gholipour Ghalandari &
Ifrim 2020) learns its date ranker from other topics' timelines.  The shipped weights
(``date_model.json`` beside this module) were fitted on the visible Timeline17 sets; how, and their
held-out-topic figures, are recorded in the file (``scripts/train_date_ranker.py`` rebuilds it).

Two baselines are kept beside the learned ranker, in the same code path: the rule this project
used before (articles mentioning the day, plus a quarter per article published that day) and
the publication count alone.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..dates import DateMention

__all__ = ["FEATURES", "DateTable", "date_table", "story_start", "load_model", "score", "rank",
           "rule_scores", "publication_scores", "fit_weights", "date_f1", "RANKERS"]

FEATURES = ("strict", "same", "pub", "retro", "rich", "sents")
# Days before the story's first publication that still belong to the story: Timeline17's
# journalists date events up to 15 days before the first article of their set (H1N1, Guardian),
# mostly 1-6 days (the event the first report covers); 30 leaves a margin.  Older dates are
# background (newsdesk.briefing.timeline).
STORY_MARGIN_DAYS = 30
RETRO_DAYS = 7  # "retro": mentioned by an article published more than this many days later
RICH_DATES = 4  # an article naming this many distinct past days is a chronology/explainer


@dataclass(frozen=True)
class DateTable:
    """Candidate days of a story (ISO strings, sorted) and their normalised counts."""

    days: tuple[str, ...]
    features: Mapping[str, np.ndarray]

    def column(self, name: str) -> np.ndarray:
        return self.features[name]


def story_start(published: Sequence[_dt.date | None]) -> _dt.date | None:
    """The first day that still belongs to the story: first publication minus the margin."""
    dated = [p for p in published if p is not None]
    return min(dated) - _dt.timedelta(days=STORY_MARGIN_DAYS) if dated else None


def _counts(articles: Sequence[tuple[_dt.date | None, Sequence[DateMention]]]) -> dict[str, Counter[str]]:
    c: dict[str, Counter[str]] = defaultdict(Counter)
    for pub, ments in articles:
        if pub is None:
            continue  # an undated article places nothing: its "Monday" has no week
        days = {m.date for m in ments if m.period is None and len(m.date) == 10}
        past = {d for d in days if _dt.date.fromisoformat(d) <= pub}
        c["pub"][pub.isoformat()] += 1
        for m in ments:
            if m.period is None and m.date in past:
                c["sents"][m.date] += 1
        for d in past:
            age = (pub - _dt.date.fromisoformat(d)).days
            c["strict" if age > 0 else "same"][d] += 1
            if age > RETRO_DAYS:
                c["retro"][d] += 1
            if len(past) >= RICH_DATES:
                c["rich"][d] += 1
    return c


def date_table(articles: Sequence[tuple[_dt.date | None, Sequence[DateMention]]]) -> DateTable:
    """The candidate days of a story from its articles' (publication date, date mentions).

    Candidates are full days mentioned as past (or present) by a dated article, or publication
    days, on or after :func:`story_start`.
    """
    c = _counts(articles)
    start = story_start([p for p, _ in articles])
    days = sorted({d for k in ("pub", "strict", "same") for d in c[k]})
    if start is not None:
        days = [d for d in days if d >= start.isoformat()]
    scale = max([c["strict"][d] + c["same"][d] for d in days] + [1])
    feats = {f: np.array([c[f][d] for d in days], dtype=float) / scale for f in FEATURES}
    feats["past"] = feats["strict"] + feats["same"]
    return DateTable(tuple(days), feats)


@lru_cache(maxsize=1)
def load_model() -> dict[str, Any]:
    """The shipped weights and their provenance (``date_model.json``)."""
    text = resources.files(__package__).joinpath("date_model.json").read_text(encoding="utf-8")
    model: dict[str, Any] = json.loads(text)
    return model


def score(table: DateTable, weights: Mapping[str, float]) -> np.ndarray:
    out = np.zeros(len(table.days))
    for name, w in weights.items():
        if w:
            out += w * table.column(name)
    return out


def rule_scores(table: DateTable) -> np.ndarray:
    """The rule baseline: articles mentioning the day (not as a plan) + 0.25 per article published
    that day + 0.01 per sentence (tuned before on the same Timeline17 sets it was scored on)."""
    return score(table, {"past": 1.0, "pub": 0.25, "sents": 0.01})


def publication_scores(table: DateTable) -> np.ndarray:
    """The publication-date baseline: how many articles appeared that day."""
    return score(table, {"pub": 1.0})


def learned_scores(table: DateTable) -> np.ndarray:
    return score(table, load_model()["weights"])


RANKERS: dict[str, Callable[[DateTable], np.ndarray]] = {
    "learned": learned_scores, "rule": rule_scores, "publication": publication_scores}


def rank(table: DateTable, scores: np.ndarray) -> list[str]:
    """Days by falling score, ties to the earlier day."""
    order = np.lexsort((np.arange(len(table.days)), -scores))
    return [table.days[i] for i in order]


def date_f1(pred: Sequence[str], gold: Sequence[str]) -> float:
    hit = len(set(pred) & set(gold))
    if not hit:
        return 0.0
    p, r = hit / len(set(pred)), hit / len(set(gold))
    return 2 * p * r / (p + r)


# Weight grid of the coordinate ascent (relative to ``strict``, fixed at 1).  Non-negative: a day
# published on more, looked back on more or named by more chronologies is never less important.
# This monotonicity prior is what makes the fit carry to unseen topics: leave-one-topic-out mean
# date F1 on the visible Timeline17 sets 0.585 (lowest set 0.375) against 0.560 (lowest 0.324) with
# the grid -2..2 and the "same" count added (scripts/train_date_ranker.py).
GRID = (0.0, 0.1, 0.25, 0.5, 1.0, 2.0)


def _mean_f1(sets: Sequence[tuple[DateTable, Sequence[str]]], weights: Mapping[str, float]) -> float:
    return float(np.mean([date_f1(rank(t, score(t, weights))[:len(g)], g) for t, g in sets]))


def fit_weights(sets: Sequence[tuple[DateTable, Sequence[str]]],
                features: Sequence[str] = ("pub", "retro", "rich"), rounds: int = 3) -> dict[str, float]:
    """Weights maximising the mean date F1 of ``sets`` ((table, gold days), top-N with N = the gold's
    number of days): ``strict`` fixed at 1, every other feature searched over :data:`GRID`, one at a
    time, until a round changes nothing."""
    weights = {"strict": 1.0, **{f: 0.0 for f in features}}
    best = _mean_f1(sets, weights)
    for _ in range(rounds):
        changed = False
        for f in features:
            for g in GRID:
                trial = {**weights, f: g}
                v = _mean_f1(sets, trial)
                if v > best + 1e-9:
                    best, weights, changed = v, trial, True
        if not changed:
            break
    return weights
