"""Timeline ROUGE as in the timeline-summarisation literature (Martschat & Markert 2017, the ``tilse`` package).

A timeline is ``{day: text}`` (ISO days).  Three variants, each for ROUGE-1 and ROUGE-2, each with
precision, recall and F1 over n-gram counts summed across days (tilse's ``average="raw"``):

``concat``     all daily texts of a timeline concatenated, then ordinary ROUGE;
``agreement``  n-grams matched only between texts of the *same* day;
``align``      "align+ m:1", the variant Datewise (Gholipour Ghalandari & Ifrim 2020) and later work
               report as AR-1 / AR-2: for precision every predicted day is aligned to the reference
               day of least cost, for recall every reference day to the predicted day of least cost,
               cost ``(1 - 1/(days apart + 1)) * (1 - approximate ROUGE-1 F1)``; matched counts are
               discounted by ``1/(days apart + 1)``; unaligned days count with no match.

Tokens as ROUGE-1.5.5 with ``-m -s`` (tilse's settings): lower-cased alphanumeric runs
(``rouge-score``'s tokenizer), the SMART stop-word list of ROUGE-1.5.5 removed (shipped with
``sumy``), Porter stems (the original algorithm, as ROUGE-1.5.5, words over three letters).  This is a
reimplementation with rouge-score, not the Perl script: figures agree with tilse's in definition,
not to the last digit.
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

__all__ = ["tokens", "ngrams", "timeline_rouge"]

Timeline = Mapping[str, str]


@lru_cache(maxsize=1)
def _stopwords() -> frozenset[str]:
    from sumy.utils import get_stop_words

    return frozenset(get_stop_words("english"))


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    from nltk.stem import porter

    return porter.PorterStemmer(porter.PorterStemmer.ORIGINAL_ALGORITHM)  # as ROUGE-1.5.5


@lru_cache(maxsize=4096)
def tokens(text: str) -> tuple[str, ...]:
    from rouge_score import tokenize

    stop, stem = _stopwords(), _stemmer()
    return tuple(stem.stem(w) if len(w) > 3 else w for w in tokenize.tokenize(text, None) if w not in stop)


def ngrams(text: str, n: int) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def _f(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def _prf(hit_p: float, n_pred: float, hit_r: float, n_ref: float) -> dict[str, float]:
    p = hit_p / n_pred if n_pred else 0.0
    r = hit_r / n_ref if n_ref else 0.0
    return {"p": p, "r": r, "f1": _f(p, r)}


def _hits(a: Counter[tuple[str, ...]], b: Counter[tuple[str, ...]]) -> int:
    return sum((a & b).values())


def _concat(pred: Timeline, ref: Timeline, n: int) -> dict[str, float]:
    a = ngrams(" ".join(pred[d] for d in sorted(pred)), n)
    b = ngrams(" ".join(ref[d] for d in sorted(ref)), n)
    h = _hits(a, b)
    return _prf(h, sum(a.values()), h, sum(b.values()))


def _agreement(pred: Timeline, ref: Timeline, n: int) -> dict[str, float]:
    h = sum(_hits(ngrams(pred[d], n), ngrams(ref[d], n)) for d in pred if d in ref)
    return _prf(h, sum(sum(ngrams(t, n).values()) for t in pred.values()),
                h, sum(sum(ngrams(t, n).values()) for t in ref.values()))


def _day(d: str) -> int:
    return _dt.date.fromisoformat(d[:10]).toordinal()


def _approx_r1(a: str, b: str) -> float:
    """tilse's content term: ROUGE-1 F1 of two texts' tokens (stems, no stop words)."""
    ca, cb = ngrams(a, 1), ngrams(b, 1)
    h = _hits(ca, cb)
    return _f(h / sum(ca.values()) if ca else 0.0, h / sum(cb.values()) if cb else 0.0)


def _best(day: str, text: str, other: Timeline, text_is_pred: bool) -> tuple[str, float]:
    """The day of ``other`` of least alignment cost for ``day``, and its distance discount."""
    best, best_cost = "", float("inf")
    for o in sorted(other):
        dist = abs(_day(day) - _day(o))
        cost = (1 - 1 / (dist + 1)) * (1 - (_approx_r1(text, other[o]) if text_is_pred else
                                            _approx_r1(other[o], text)))
        if cost < best_cost:
            best, best_cost = o, cost
    return best, 1 / (abs(_day(day) - _day(best)) + 1) if best else 0.0


def _align(pred: Timeline, ref: Timeline, n: int) -> dict[str, float]:
    hit_p = hit_r = 0.0
    for d, t in pred.items():
        g, w = _best(d, t, ref, True)
        if g:
            hit_p += w * _hits(ngrams(t, n), ngrams(ref[g], n))
    for g, t in ref.items():
        d, w = _best(g, t, pred, False)
        if d:
            hit_r += w * _hits(ngrams(pred[d], n), ngrams(t, n))
    return _prf(hit_p, sum(sum(ngrams(t, n).values()) for t in pred.values()),
                hit_r, sum(sum(ngrams(t, n).values()) for t in ref.values()))


def timeline_rouge(pred: Timeline, ref: Timeline) -> dict[str, dict[str, float]]:
    """``{"concat-1": {"p", "r", "f1"}, "concat-2", "agreement-1", "agreement-2", "align-1", "align-2"}``."""
    out: dict[str, dict[str, float]] = {}
    for name, fn in (("concat", _concat), ("agreement", _agreement), ("align", _align)):
        for n in (1, 2):
            out[f"{name}-{n}"] = fn(pred, ref, n) if pred and ref else {"p": 0.0, "r": 0.0, "f1": 0.0}
    return out
