"""Extractive multi-document summarization with full attribution.

Method (Gillick & Favre 2009, "A scalable global model for summarization"):
concepts are content bigrams of Porter stems; a concept's weight grows with the number
of distinct articles that mention it (cross-document support, squared) and with how
early they mention it (news puts the essentials first); the summary is the set
of whole sentences that maximises the total weight of the concepts it covers under
the word budget, solved exactly as an integer linear programme with
``scipy.optimize.milp`` (HiGHS).  Covering each concept once is what removes
redundancy.  Three constraints make it read as an editor's (:mod:`.readability`): a sentence
opening with a connective or pronoun ("But", "He", "This") is chosen only with the sentence
before it in its article; the summary holds a lead (one of an article's first two
sentences) whenever one fits; and no two chosen sentences are the same content by the
matcher (:class:`~newsdesk.briefing.matcher.StoryIndex`; the ILP is solved again with such
a pair kept apart).  The chosen sentences are then put in reading order
(:func:`reading_order`): the lead first, then supporting facts by importance, background
last -- chronology belongs to the timeline.  Each is attributed to every article that
reports the same content.

Every summary sentence is a :class:`~newsdesk.models.Sentence`, i.e. a verbatim span
of one article; nothing is rewritten.
"""

from __future__ import annotations

import ctypes
import datetime as _dt
import logging
import math
import os
import re
import sys
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..clean import is_caption
from ..models import Article, SummarySentence
from ..nlp import NLP, ParsedArticle, ParsedSentence
from ..options import DEFAULT_OPTIONS, Options
from .matcher import StoryIndex
from .readability import LEAD_POSITIONS, dangling_opening

__all__ = ["summarize_parsed", "select_sentences", "reading_order", "attribute"]

log = logging.getLogger(__name__)

# Candidates: at most this many sentences enter the ILP (ranked by concept weight per word).
# With 10 DUC articles (~250 sentences) all enter; long stories are pruned for speed.
MAX_CANDIDATES = 400
# At most this many concepts enter the ILP, heaviest first.
MAX_CONCEPTS = 2000
# Bonus for early sentences (lead bias of news): POSITION_BONUS x (lightest concept weight) /
# (1 + index of the sentence in its article).  Tuned jointly with the two weights below on
# DUC 2004 (50 clusters, 100 words, ROUGE recall ): bonus 2 -> 0.3785/0.1022, 4 -> 0.3772/0.1009,
# 0 -> 0.3762/0.0988; Multi-News (999 examples, R-2 F1) moves by under 0.0002 between them.  Re-tuned on DUC 2004
# once the readability constraints (lead, dependent openings, no same-content pair) were added: bonus 1 ->
# 0.3752/0.1015, 2 -> 0.3744/0.1015, 4 -> 0.3743/0.1011.
POSITION_BONUS = 1.0
# A concept's weight is (number of articles mentioning it) ** SUPPORT_POWER x (1 + FIRST_POSITION_WEIGHT x
# mean over those articles of 1 / (1 + index of the first sentence mentioning it)): widely reported
# concepts, and concepts reported early (news puts the essentials first), weigh most.  DUC 2004
# recall: power 1 and no position weight (Gillick & Favre) 0.3735/0.0979; power 2 -> 0.3751/0.0998;
# power 2 + position weight 2 -> 0.3785/0.1022 (4 -> 0.3760/0.1010, 8 -> 0.3751/0.1027; power 3 is
# worse).  Both halves of DUC gain R-2 (0.0967 -> 0.1001 and 0.0992 -> 0.1043).
SUPPORT_POWER = 2.0
FIRST_POSITION_WEIGHT = 2.0
# A bigram is a concept when at least this share of the story's articles mention it (and at least
# two).  DUC 2004 (10 articles per cluster), ROUGE-2 recall: 2 articles 0.0961, 3 -> 0.0961,
# 4 -> 0.1020, 5 -> 0.0968; 0.35 gives 4 of 10, 2 of 3.
MIN_SUPPORT_SHARE = 0.35
ILP_TIME_LIMIT = 20.0  # seconds; HiGHS returns the best solution found by then


@dataclass(frozen=True)
class _Cand:
    ps: ParsedSentence
    doc: int  # article position in the story
    words: int
    concepts: frozenset[tuple[str, str]]


def _bigrams(ps: ParsedSentence) -> set[tuple[str, str]]:
    toks = [t for t in ps.tokens if t.is_alpha or t.like_num]
    out = set()
    for a, b in zip(toks, toks[1:]):
        if a.is_stop and b.is_stop:
            continue
        out.add((a.stem, b.stem))
    return out


def _unigrams(ps: ParsedSentence) -> set[tuple[str, str]]:
    return {(t.stem, "") for t in ps.tokens if t.is_content}


# Page furniture that survives inside running text (copyright and syndication notices, calls to
# action, cut-off teasers).  On Multi-News (999 examples, 250 words) leaving such sentences out raised
# ROUGE-2 F1 0.1587 -> 0.1600; DUC 2004 newswire has none (unchanged).
_FURNITURE = re.compile(
    r"all rights reserved|\bmay not be (?:re)?published\b|\bcontributed to this report|\bclick here\b"
    r"|\bsign up (?:for|to)\b|\bsubscribe (?:to|for|now)\b|\bfollow (?:us|me) on\b|©|\bcopyright\b"
    r"|\btext size\b|\badvertisement\b|[^\W_](?:…|\.\.\.)[\"”’]?$", re.I)


_BULLET = re.compile(r"^\s*(?:[-*•·▪►■◦]|\d{1,2}[.)])\s")
_BYLINE = re.compile(r"^(?:by|BY|By)\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}\s*(?:[,|/–—-]|$)")


def _eligible(ps: ParsedSentence, options: Options) -> bool:
    n = ps.n_words
    if not options.min_sentence_words <= n <= options.max_sentence_words:
        return False
    text = ps.sentence.text
    # a sentence ends with terminal punctuation (optionally inside quotes); headlines,
    # captions and list items do not
    stripped = text.rstrip("\"'”’`) ")
    if not stripped or stripped[-1] not in ".!?":
        return False
    if text.endswith("?"):
        return False
    # list bullets, photo captions and bylines are not summary sentences (datelines are cut by nlp)
    if _BULLET.match(text) or _BYLINE.match(text) or is_caption(text):
        return False
    return not _FURNITURE.search(text)


def select_sentences(
    parsed: Sequence[ParsedArticle], words: int, options: Options = DEFAULT_OPTIONS,
    index: StoryIndex | None = None,
) -> list[tuple[int, ParsedSentence]]:
    """Choose whole sentences (at most ``words`` words in all) by ILP concept coverage.

    Returns (article position, sentence) pairs in reading order (:func:`reading_order`)."""
    return [(c.doc, c.ps) for c in _select(parsed, words, options, index)]


def _candidates(parsed: Sequence[ParsedArticle], words: int, options: Options, lenient: bool = False
                ) -> list[_Cand]:
    """Eligible sentences that fit the budget; a sentence whose opening needs the one before it
    (:func:`~newsdesk.briefing.readability.dangling_opening`) only when that one is a candidate too, unless
    ``lenient``."""
    cands: list[_Cand] = []
    present: set[tuple[int, int]] = set()
    for d, pa in enumerate(parsed):
        for ps in pa.sentences:
            if not (_eligible(ps, options) and ps.n_words <= words):
                continue
            if not lenient and dangling_opening(ps.sentence.text) and (d, ps.sentence.index - 1) not in present:
                continue
            cands.append(_Cand(ps, d, ps.n_words, frozenset(_bigrams(ps))))
            present.add((d, ps.sentence.index))
    return cands


def _weights(cands: list[_Cand], n_docs: int) -> tuple[list[_Cand], dict[tuple[str, str], float]]:
    """Concept weights (see the module docstring); single-article stories add content unigrams."""
    df: Counter[tuple[str, str]] = Counter()
    first: dict[tuple[str, str], list[int]] = {}  # concept -> index of its first sentence, per article
    for d in range(n_docs):
        seen: dict[tuple[str, str], int] = {}
        for c in cands:
            if c.doc == d:
                for k in c.concepts:
                    seen.setdefault(k, c.ps.sentence.index)
        df.update(seen.keys())
        for k, i in seen.items():
            first.setdefault(k, []).append(i)

    def weight(k: tuple[str, str], support: int) -> float:
        return float(support) ** SUPPORT_POWER * (1.0 + FIRST_POSITION_WEIGHT * _early(first[k]))

    # Concepts mentioned by several articles carry cross-document support; with a single
    # article, fall back to in-article frequency of content unigrams+bigrams.
    min_support = max(2, math.ceil(MIN_SUPPORT_SHARE * n_docs))
    weights: dict[tuple[str, str], float] = {}
    if n_docs >= 2:
        weights = {k: weight(k, v) for k, v in df.items() if v >= min_support}
        if len(weights) < 5:  # small or loosely related stories: any shared bigram
            weights = {k: weight(k, v) for k, v in df.items() if v >= 2}
    if len(weights) < 5:
        tf: Counter[tuple[str, str]] = Counter()
        cands = [_Cand(c.ps, c.doc, c.words, c.concepts | frozenset(_unigrams(c.ps))) for c in cands]
        first = {}
        for c in cands:
            tf.update(c.concepts)
            for k in c.concepts:
                first.setdefault(k, [c.ps.sentence.index])
        # the same early-mention bonus (Multi-News single-article examples, 153: R-2 F1 0.1662 -> 0.1669)
        weights = {k: float(v) * (1.0 + FIRST_POSITION_WEIGHT * _early(first.get(k, ()))) for k, v in tf.items()}
    if len(weights) > MAX_CONCEPTS:
        weights = dict(sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:MAX_CONCEPTS])
    return cands, weights


def _prune(cands: list[_Cand], weights: Mapping[tuple[str, str], float]) -> list[_Cand]:
    """At most MAX_CANDIDATES, densest first, keeping every kept sentence's needed predecessor."""
    if len(cands) <= MAX_CANDIDATES:
        return cands

    def density(c: _Cand) -> float:
        return sum(weights.get(k, 0.0) for k in c.concepts) / max(c.words, 1)

    kept = sorted(cands, key=lambda c: (-density(c), c.doc, c.ps.sentence.index))[:MAX_CANDIDATES]
    kept.sort(key=lambda c: (c.doc, c.ps.sentence.index))
    out: list[_Cand] = []
    present: set[tuple[int, int]] = set()
    for c in kept:
        if dangling_opening(c.ps.sentence.text) and (c.doc, c.ps.sentence.index - 1) not in present:
            continue
        out.append(c)
        present.add((c.doc, c.ps.sentence.index))
    return out


def _select(parsed: Sequence[ParsedArticle], words: int, options: Options,
            index: StoryIndex | None = None) -> list[_Cand]:
    cands = _candidates(parsed, words, options)
    # Every eligible sentence leans on one before it that is not a candidate (a story of one-sentence
    # articles opening "He ...", "Also ..."): rather than no summary at all, such sentences may stand alone.
    # Never the case on DUC 2004 or Multi-News (their readability figures are unchanged).
    lenient = not cands
    cands = cands or _candidates(parsed, words, options, lenient=True)
    if not cands:
        return []
    # Sentences with direct speech stay candidates: leaving them out raises DUC 2004 ROUGE-1/2
    # recall 0.3785/0.1022 -> 0.3844/0.1025 but cuts Multi-News ROUGE-2 F1 (333 examples, 250 words)
    # 0.158 -> 0.150 even when quotes may fill what budget is left, as its reference summaries quote
    # a lot; a brief should carry a central quote.
    cands, weights = _weights(cands, len(parsed))
    cands = _prune(cands, weights)
    index = index or StoryIndex(parsed, threshold=options.attribution_threshold)
    apart: list[tuple[int, int]] = []  # pairs the matcher called the same content: never both chosen
    for _ in range(MAX_RESOLVES):
        chosen = _solve(cands, weights, words, apart)
        pairs = [(i, j) for a, i in enumerate(chosen) for j in chosen[a + 1:]]
        same = index.same_pairs([(cands[i].ps, cands[j].ps) for i, j in pairs])
        clash = [p for p, s in zip(pairs, same) if s]
        if not clash:
            break
        apart.extend(clash)
    else:  # still a same-content pair after MAX_RESOLVES solves: drop the later sentence of each
        chosen = _drop_same_content(chosen, cands, index)
    return reading_order([cands[i] for i in chosen], weights, [pa.article.published for pa in parsed], lenient)


def _drop_same_content(chosen: list[int], cands: list[_Cand], index: StoryIndex) -> list[int]:
    out: list[int] = []
    for i in chosen:
        if not any(index.same_pairs([(cands[i].ps, cands[j].ps) for j in out])):
            out.append(i)
    return out


def _early(first_indexes: Sequence[int]) -> float:
    """Mean of 1 / (1 + index of the first sentence mentioning a concept) over its articles (0 if none)."""
    return sum(1.0 / (1 + i) for i in first_indexes) / len(first_indexes) if first_indexes else 0.0


def _solve(cands: list[_Cand], weights: Mapping[tuple[str, str], float], budget: int,
           apart: Sequence[tuple[int, int]] = ()) -> list[int]:
    """The ILP: maximise covered concept weight (plus a small lead bonus) under the word budget, where a
    sentence opening with a connective or pronoun comes only with the sentence before it, the summary holds
    a lead (a sentence among the first LEAD_POSITIONS of its article) when one fits, and no pair in ``apart``
    is chosen together."""
    from scipy.optimize import Bounds, LinearConstraint, milp

    holders: dict[tuple[str, str], list[int]] = {}
    for i, c in enumerate(cands):
        for k in c.concepts:
            if k in weights:
                holders.setdefault(k, []).append(i)
    # a concept only one candidate holds is covered exactly when that sentence is chosen: its weight goes
    # to the sentence and it needs no variable (same optimum, a much smaller model: most concepts are so)
    concepts = sorted(k for k, h in holders.items() if len(h) > 1)
    cidx = {k: j for j, k in enumerate(concepts)}
    n, m = len(cands), len(concepts)
    min_w = min(weights.values()) if weights else 1.0
    # objective (minimised): -(concept weights) - position bonus
    cost = np.zeros(n + m)
    for i, c in enumerate(cands):
        cost[i] = -POSITION_BONUS * min_w / (1.0 + c.ps.sentence.index)
    for k in sorted(k for k, h in holders.items() if len(h) == 1):
        cost[holders[k][0]] -= weights[k]
    for k, j in cidx.items():
        cost[n + j] = -weights[k]
    pos = {(c.doc, c.ps.sentence.index): i for i, c in enumerate(cands)}
    needs = [(i, pos[(c.doc, c.ps.sentence.index - 1)]) for i, c in enumerate(cands)
             if dangling_opening(c.ps.sentence.text) and (c.doc, c.ps.sentence.index - 1) in pos]
    leads = [i for i, c in enumerate(cands) if c.ps.sentence.index < LEAD_POSITIONS
             and not dangling_opening(c.ps.sentence.text) and c.words <= budget]
    shared = [holders[k] for k in concepts]
    unique = _unique_within_budget(np.array([c.words for c in cands], dtype=np.int64), cost, shared, needs, apart,
                                   leads, budget)
    if unique is not None:
        return unique
    if n <= MAX_ENUMERATED:
        return _enumerate(cands, cost, shared, needs, apart, leads, budget)
    a, lower, upper = _constraints(cands, cidx, needs, apart, leads, budget)
    with _c_stdout_silenced():
        res = milp(
            cost,
            constraints=LinearConstraint(a.tocsr(), lower, upper),
            # only the sentences need be integral: with positive weights a concept's optimal value is
            # min(1, number of its chosen sentences), an integer (same optimum; HiGHS ~30% faster on Multi-News)
            integrality=np.concatenate([np.ones(n), np.zeros(m)]),
            bounds=Bounds(0, 1),
            options={"time_limit": ILP_TIME_LIMIT, "disp": False},
        )
    if res.x is None:  # pragma: no cover - the constraints always admit the lone shortest lead sentence
        log.warning("ILP found no solution (%s); falling back to greedy", res.message)
        return _greedy(cands, weights, budget)
    return [i for i in range(n) if res.x[i] > 0.5]


# Up to this many candidates every subset is scored (2^n of them, vectorised) instead of calling the ILP
# solver: the same optimum at a fraction of the cost on the usual story (Multi-News test, 202 stories of
# 400 articles: summary CPU 3.03 -> 1.66 s; 199 selections identical, the other 3 exact ties of the
# objective, which go to the earlier candidates here and to whichever HiGHS met first there).
MAX_ENUMERATED = 14


def _enumerate(cands: list[_Cand], cost: np.ndarray, holders: Sequence[Sequence[int]],
               needs: Sequence[tuple[int, int]], apart: Sequence[tuple[int, int]], leads: Sequence[int],
               budget: int) -> list[int]:
    """The ILP of :func:`_solve` by scoring every subset of the candidates: ``cost`` has one entry per
    candidate, then one per shared concept (``holders``: the candidates holding it)."""
    n = len(cands)
    subsets = (np.arange(1 << n, dtype=np.int64)[:, None] >> np.arange(n)) & 1  # 2^n x n
    x = subsets.astype(bool)
    ok = subsets @ np.array([c.words for c in cands], dtype=np.int64) <= budget
    for i, p in needs:
        ok &= ~x[:, i] | x[:, p]
    for i, j in apart:
        ok &= ~(x[:, i] & x[:, j])
    if leads:
        ok &= x[:, list(leads)].any(axis=1)
    if not ok.any():
        return []
    value = subsets @ cost[:n]
    for j, h in enumerate(holders):
        value += np.where(x[:, list(h)].any(axis=1), cost[n + j], 0.0)
    value[~ok] = np.inf
    best = int(np.argmin(value))
    return [i for i in range(n) if x[best, i]]


# The subsets within the word budget (a few sentences of many) are scored when there are at most this many of
# them (memory: a few arrays of this length, a few MB at the peak of a brief); more go to the exhaustive
# enumeration or HiGHS.  Multi-News test, 1,000 articles: 140 of the 169 HiGHS solves had at most 50,000
# (148 at most 200,000, whose arrays are about 10 MB; the CLI run's peak RSS was the same with either).
MAX_FEASIBLE_SUBSETS = 50_000
# That optimum is taken only when every other subset within the budget scores worse by more than this (relative
# to the optimum, plus 1e-5 absolute): HiGHS stops within its default gap (1e-4 relative, 1e-6 absolute) of the
# optimum, so the only subset there is the one it returns, and :func:`_enumerate`'s argmin is it too; a closer
# second (an exact tie among them) goes to those, which break ties their own way.
UNIQUE_MARGIN = 1e-3


def _unique_within_budget(words: np.ndarray, cost: np.ndarray, holders: Sequence[Sequence[int]],
                          needs: Sequence[tuple[int, int]], apart: Sequence[tuple[int, int]], leads: Sequence[int],
                          budget: int) -> list[int] | None:
    """The ILP of :func:`_solve` over the subsets whose words fit the budget, built level by level (each subset
    of the level before plus one candidate after its last, in order of length: a contiguous run of them) with
    their bit masks, their sentences' cost and their shared concepts' bits carried along.  The optimum when it
    is unique by :data:`UNIQUE_MARGIN`, else ``None`` (ties, no feasible subset, too many subsets: the caller
    solves it as before).  Multi-News test, 1,000 articles: 148 of 169 HiGHS calls (15-51 candidates, about
    9 ms each) answered here with the same selections with up to 200,000 subsets, 140 with up to 50,000."""
    n, m = len(words), len(holders)
    if n > 62:
        return None
    order = np.argsort(words, kind="stable")
    ws = words[order]
    bit = np.left_shift(np.int64(1), order.astype(np.int64))
    w = max(1, (m + 63) // 64)  # 64-bit words of shared-concept bits
    concept_bits = np.zeros((n, w), dtype=np.uint64)
    for jj, h in enumerate(holders):
        concept_bits[list(h), jj // 64] |= np.uint64(1) << np.uint64(jj % 64)
    concept_bits = concept_bits[order]
    own = cost[:n][order]
    mask, total, last = np.zeros(1, dtype=np.int64), np.zeros(1, dtype=np.int64), np.full(1, -1, dtype=np.int64)
    cbits, value = np.zeros((1, w), dtype=np.uint64), np.zeros(1)
    levels = [(mask, cbits, value)]
    count = 1
    while len(mask):
        room = np.searchsorted(ws, budget - total, side="right")  # candidates [last + 1, room) still fit
        k = np.maximum(room - (last + 1), 0)
        count += int(k.sum())
        if count > MAX_FEASIBLE_SUBSETS:
            return None
        r = np.repeat(np.arange(len(mask)), k)
        j = last[r] + 1 + (np.arange(len(r)) - (np.cumsum(k) - k)[r])
        mask, total, last = mask[r] | bit[j], total[r] + ws[j], j
        cbits, value = cbits[r] | concept_bits[j], value[r] + own[j]
        levels.append((mask, cbits, value))
    mask = np.concatenate([lv[0] for lv in levels])
    cbytes = np.concatenate([lv[1] for lv in levels]).view(np.uint8).reshape(len(mask), 8 * w)
    value = np.concatenate([lv[2] for lv in levels])
    # the covered concepts' cost, a byte of bits at a time (the bytes of a uint64 in the machine's order)
    ccost = np.zeros(64 * w)
    ccost[:m] = cost[n:n + m]
    byte_bits = (np.arange(256)[:, None] >> np.arange(8)[None, :]) & 1
    little = np.little_endian
    for b in range(8 * w):
        word, pos = divmod(b, 8)
        first = 64 * word + 8 * (pos if little else 7 - pos)
        value = value + (byte_bits @ ccost[first:first + 8])[cbytes[:, b]]
    one = np.int64(1)
    ok = np.ones(len(mask), dtype=bool)
    for i, p in needs:
        ok &= ((mask >> i) & one) <= ((mask >> p) & one)
    for i, j in apart:
        pair = (one << i) | (one << j)
        ok &= (mask & pair) != pair
    if leads:
        lead_mask = np.int64(0)
        for i in leads:
            lead_mask |= one << np.int64(i)
        ok &= (mask & lead_mask) != 0
    if int(ok.sum()) < 2:
        return None
    value, mask = value[ok], mask[ok]
    best = int(np.argmin(value))
    second = float(np.partition(value, 1)[:2].max())
    if second - float(value[best]) <= UNIQUE_MARGIN * abs(float(value[best])) + 1e-5:
        return None
    chosen = int(mask[best])
    return [i for i in range(n) if (chosen >> i) & 1]


def _constraints(cands: list[_Cand], cidx: Mapping[tuple[str, str], int], needs: Sequence[tuple[int, int]],
                 apart: Sequence[tuple[int, int]], leads: Sequence[int], budget: int) -> tuple[Any, Any, Any]:
    """The ILP's constraint matrix (sentences, then concepts, as columns) and its row bounds: a budget
    row, one row per concept (x_concept <= sum of its sentences), x_i <= x_p for each dangling opening,
    x_i + x_j <= 1 for each pair kept apart, and at least one lead sentence."""
    from scipy.sparse import coo_matrix

    n, m = len(cands), len(cidx)
    rows = 1 + m + len(needs) + len(apart) + (1 if leads else 0)
    lower = np.full(rows, -np.inf)
    upper = np.zeros(rows)
    upper[0] = float(budget)
    ri: list[int] = []
    ci: list[int] = []
    vals: list[float] = []

    def put(r: int, col: int, v: float) -> None:
        ri.append(r)
        ci.append(col)
        vals.append(v)

    for i, c in enumerate(cands):
        put(0, i, c.words)
        for k in c.concepts:
            if k in cidx:
                put(1 + cidx[k], i, -1.0)
    for jj in range(m):
        put(1 + jj, n + jj, 1.0)
    r = 1 + m
    for i, p in needs:
        put(r, i, 1.0)
        put(r, p, -1.0)
        r += 1
    for i, j in apart:
        put(r, i, 1.0)
        put(r, j, 1.0)
        upper[r] = 1.0
        r += 1
    if leads:
        for i in leads:
            put(r, i, 1.0)
        lower[r], upper[r] = 1.0, np.inf
    a = coo_matrix((vals, (ri, ci)), shape=(rows, n + m))
    return a, lower, upper


_STDOUT_LOCK = threading.Lock()


@contextmanager
def _c_stdout_silenced() -> Iterator[None]:
    """File descriptor 1 points at /dev/null while HiGHS runs: HiGHS (1.7 to 1.12 at least) prints a stray
    debug line ("HighsMipSolverData::transformNewIntegerFeasibleSolution tmpSolver.run();") on C stdout
    whatever its verbosity (ERGO-Code/HiGHS#2783), which would corrupt ``--json`` output."""
    try:
        sys.stdout.flush()
        fd = sys.__stdout__.fileno() if sys.__stdout__ is not None else 1
    except (AttributeError, OSError, ValueError):  # no real stdout (a test runner's capture): nothing to guard
        yield
        return
    with _STDOUT_LOCK:
        saved = os.dup(fd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, fd)
        try:
            yield
        finally:
            _flush_c_streams()
            os.dup2(saved, fd)
            os.close(devnull)
            os.close(saved)


def _flush_c_streams() -> None:
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError):  # pragma: no cover - no C library to flush (not Linux/macOS)
        pass


def _greedy(cands: list[_Cand], weights: Mapping[tuple[str, str], float], budget: int) -> list[int]:
    covered: set[tuple[str, str]] = set()
    chosen: list[int] = []
    used = 0
    while True:
        best, best_gain = -1, 0.0
        for i, c in enumerate(cands):
            if i in chosen or used + c.words > budget:
                continue
            gain = sum(weights.get(k, 0.0) for k in c.concepts - covered) / c.words
            if gain > best_gain:
                best, best_gain = i, gain
        if best < 0:
            return chosen
        chosen.append(best)
        used += cands[best].words
        covered |= cands[best].concepts


def attribute(
    chosen: Sequence[ParsedSentence], index: StoryIndex, exclude: Iterable[str] = (),
    copies: Sequence[ParsedArticle] = (),
) -> list[SummarySentence]:
    """Every article reporting the content of each chosen sentence, its own article first, with the
    sentence of each that the matcher matched (``SummarySentence.matched``).

    ``copies`` are the story's duplicates (``duplicate_of`` set), parsed: a copy of a cited article is
    listed after all the independent sources when the matcher finds the sentence in it too (a syndicated
    copy reports the content, but is no independent confirmation)."""
    skip = set(exclude)
    out = []
    for ps in chosen:
        own = ps.sentence.article_id
        ids = [pa.id for pa in index.parsed if pa.id != own and pa.id not in skip]
        out.append(_cited(ps, (own,), ids, index))
    return cite_copies(out, chosen, index, copies, skip) if copies else out


def cite_copies(out: Sequence[SummarySentence], chosen: Sequence[ParsedSentence], index: StoryIndex,
                copies: Sequence[ParsedArticle], exclude: Iterable[str] = ()) -> list[SummarySentence]:
    """``out`` (the attribution of ``chosen``) with, after each sentence's sources, the copies of those
    sources in which the matcher finds the sentence."""
    skip = set(exclude)
    index.know(copies)
    res = []
    for s, ps in zip(out, chosen):
        cited = set(s.sources)
        dups = [c.id for c in copies if c.article.duplicate_of in cited and c.id not in skip | cited]
        more = _cited(ps, (), dups, index) if dups else None
        res.append(s if more is None else SummarySentence(s.sentence, (*s.sources, *more.sources),
                                                             (*s.matched, *more.matched)))
    return res


def _cited(ps: ParsedSentence, first: tuple[str, ...], ids: Sequence[str], index: StoryIndex) -> SummarySentence:
    """``ps`` cited by ``first`` and then by each of ``ids`` whose best sentence the matcher calls the same."""
    best = index.best_matches(ps, ids, floor=index.threshold)
    others = [(aid, best[aid][1]) for aid in ids if aid in best and best[aid][0] >= index.threshold]
    return SummarySentence(ps.sentence, (*first, *(aid for aid, _ in others)),
                           tuple(m.sentence for _, m in others if m is not None))


# Background: a sentence about what came before the story (a year before the story's own, "years ago",
# "in the past", "last year").  Written from how news phrases history; the timeline owns the dates themselves.
_BACKGROUND = re.compile(
    r"\b(?:(?:years?|decades?|months?|centur(?:y|ies))\s+(?:ago|earlier|before)|in\s+the\s+past\b|last\s+year"
    r"|previously|formerly|historically|in\s+the\s+(?:19|20)\d0s|since\s+(?:19|20)\d\d)\b", re.I)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# The lead is the newest among the lead sentences whose concept weight is at least this share of the best
# one: the main development, and of two main ones the latest (a wire editor's first sentence).  Not tuned on
# ROUGE (order does not change it); 0.8 keeps a follow-up's new angle from taking the lead from the event.
LEAD_NEWEST_SHARE = 0.8
MAX_RESOLVES = 5  # ILP re-solves to part same-content pairs (none needed a third on DUC 2004 or Multi-News)


def _is_background(text: str, story_year: int | None) -> bool:
    if _BACKGROUND.search(text):
        return True
    return story_year is not None and any(int(y) < story_year for y in _YEAR.findall(text))


def reading_order(chosen: Sequence[_Cand], weights: Mapping[tuple[str, str], float],
                  published: Sequence[_dt.date | None] = (), lenient: bool = False) -> list[_Cand]:
    """The chosen sentences in the order an editor would write them.

    Consecutive sentences of one article stay together, in their order (a block).  First the lead block:
    of the blocks opening with one of an article's first sentences, the heaviest in concept weight, or the
    newest of those within LEAD_NEWEST_SHARE of it.  Then the other blocks by the concept weight they add to
    what was already said, background (history before the story) last.  A sentence that needs the sentence
    before it and lost it is dropped."""
    by_pos = sorted(chosen, key=lambda c: (c.doc, c.ps.sentence.index))
    blocks: list[list[_Cand]] = []
    for c in by_pos:
        prev = blocks[-1][-1] if blocks else None
        if prev is not None and prev.doc == c.doc and prev.ps.sentence.index == c.ps.sentence.index - 1:
            blocks[-1].append(c)
        elif lenient or not dangling_opening(c.ps.sentence.text):
            blocks.append([c])
    if not blocks:
        return []

    def gain(block: list[_Cand], covered: set[tuple[str, str]]) -> float:
        return sum(weights.get(k, 0.0) for k in set().union(*(c.concepts for c in block)) - covered)

    def date(block: list[_Cand]) -> _dt.date:
        d = published[block[0].doc] if block[0].doc < len(published) else None
        return d or _dt.date.min

    years = [d.year for d in published if d]
    story_year = max(years) if years else None
    leads = [b for b in blocks if b[0].ps.sentence.index < LEAD_POSITIONS] or blocks
    best = max(gain(b[:1], set()) for b in leads)
    top = [b for b in leads if gain(b[:1], set()) >= LEAD_NEWEST_SHARE * best]
    first = max(top, key=lambda b: (date(b), gain(b[:1], set()), -b[0].doc, -b[0].ps.sentence.index))
    order = [first]
    covered = set().union(*(c.concepts for c in first))
    rest = [b for b in blocks if b is not first]
    while rest:
        nxt = max(rest, key=lambda b: (not any(_is_background(c.ps.sentence.text, story_year) for c in b),
                                       gain(b, covered), -b[0].doc, -b[0].ps.sentence.index))
        order.append(nxt)
        covered |= set().union(*(c.concepts for c in nxt))
        rest.remove(nxt)
    return [c for b in order for c in b]


def summarize_parsed(
    parsed: Sequence[ParsedArticle], options: Options = DEFAULT_OPTIONS, words: int | None = None,
    duplicates: Iterable[str] = (), *, copies: Sequence[Article] = (), nlp: NLP | None = None,
    deep: bool = False,
) -> list[SummarySentence]:
    """Summarize one story given its parsed articles (duplicates already removed).

    ``copies``: the story's duplicates (``duplicate_of`` set); those of a summary sentence's sources are
    parsed (by ``nlp``, ``deep`` or shallow as the originals were) and cited after the independent
    sources where they report the sentence (:func:`attribute`)."""
    budget = options.words if words is None else words
    if not parsed:
        return []
    index = StoryIndex(parsed, threshold=options.attribution_threshold)
    picked = select_sentences(parsed, budget, options, index)  # in reading order
    if not picked:
        shortest = min((ps.n_words for pa in parsed for ps in pa.sentences), default=None)
        if shortest is None:
            log.warning("the articles have no sentences to summarize")
        elif shortest > budget:
            log.warning("no sentence fits in %d words (the shortest has %d)", budget, shortest)
        return []
    chosen = [ps for _, ps in picked]
    skip = set(duplicates)
    out = attribute(chosen, index, skip)
    cited = {aid for s in out for aid in s.sources}
    todo = [a for a in copies if a.duplicate_of in cited and a.id not in skip]
    if not todo:
        return out
    # parse only the copies of articles the citations list, and add them to the citations already made
    return cite_copies(out, chosen, index, (nlp or NLP(options)).parse_many(todo, deep=deep), skip)
