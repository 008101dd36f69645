"""Topics: the level above stories (the attack, the raids that followed, the funerals), and story states.

A story is one event; a topic is a continuing thread of events, as a "full coverage" page shows it.

Rule (batch and online alike)
    Stories are taken in chronological order (first article date, then story id).  Each story
    joins the topic of the most similar *earlier* story whose last article is at most
    ``Options.topic_gap_days`` days before the story's first article, if the cosine of the two
    stories' centroids (mean of their originals' TF-IDF rows, as ``cluster.vectorize`` makes
    them) is at least ``Options.topic_threshold``; otherwise it opens a new topic.  A topic
    thus follows its newest events: it can run for months as long as it never falls silent
    for longer than the gap, and a subject that returns after a long silence is a new topic.
    Undated stories never chain (continuity cannot be told without dates): each is a topic
    of its own.  A story also needs a cosine of at least ``Options.topic_floor`` with the centroid
    of the topic it joins (all its articles so far): a chain of pairwise links cannot drift into a
    blob of loosely related stories.  Topics never merge afterwards, so a
    topic's id (``t`` + a hash of its first story's id) is stable as the desk grows.

Story state
    ``developing`` while the story's last article is at most ``Options.story_quiet_days``
    days older than the reference day (the newest article the desk holds), ``quiet`` after.

Batch: :func:`assign_topics` (used by ``cluster_articles``).  Online: ``Clusterer`` applies
the same rule to each story it creates (:func:`choose_topic`), comparing the new story with
the stories its articles' heaviest terms find.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import logging
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np

from .hashing import l2_normalize
from .options import DEFAULT_OPTIONS, Options
from .simgraph import _candidate_pairs, _compact

__all__ = ["topic_id", "assign_topics", "choose_topic", "story_state", "STATES"]

log = logging.getLogger(__name__)

STATES = ("developing", "quiet")


def topic_id(first_story_id: str) -> str:
    return "t" + hashlib.sha1(first_story_id.encode()).hexdigest()[:10]


def story_state(last: _dt.date | None, now: _dt.date | None, options: Options = DEFAULT_OPTIONS) -> str:
    """``developing`` if the story's last article is at most ``story_quiet_days`` before ``now``
    (or either date is unknown), else ``quiet``."""
    if last is None or now is None:
        return "developing"
    return "developing" if (now - last).days <= options.story_quiet_days else "quiet"


def choose_topic(first_day: float, sims: np.ndarray, last_days: np.ndarray, topics: Sequence[str],
                 options: Options, topic_sim: Mapping[str, float] | None = None) -> str | None:
    """The topic a new story joins: that of the most similar earlier story (cosine ``sims``,
    its last article day ``last_days``) within the gap and at or above the threshold, and whose
    topic's centroid is at least ``topic_floor`` similar to the story (``topic_sim``), else None."""
    if np.isnan(first_day) or len(sims) == 0:
        return None
    gap = first_day - last_days
    ok = (sims >= options.topic_threshold - 1e-12) & (gap <= options.topic_gap_days)  # NaN gap: False
    if topic_sim is not None and options.topic_floor > 0:
        ok &= np.array([topic_sim.get(t, 0.0) >= options.topic_floor - 1e-12 for t in topics], dtype=bool)
    if not ok.any():
        return None
    best = int(np.argmax(np.where(ok, sims, -np.inf)))  # ties: the first (earliest) candidate
    return topics[best]


def _member_sums(x: Any, members: Sequence[Sequence[int]]) -> Any:
    """Sum of the rows ``members[k]`` of ``x`` for each k (CSR)."""
    import scipy.sparse as sp

    rows = np.repeat(np.arange(len(members)), [len(m) for m in members])
    cols = np.fromiter((r for m in members for r in m), dtype=np.int64, count=len(rows))
    m = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(members), x.shape[0]))
    return (m @ x).tocsr()


def _normalize(x: Any) -> Any:
    """Unit-length rows of a copy of CSR ``x`` (no scikit-learn on the brief path: start-up)."""
    return l2_normalize(x.tocsr(copy=True).astype(np.float64, copy=False))


def _cos(a: Any, b: Any) -> float:
    """Cosine of two sparse rows (``a`` already L2-normalised)."""
    nb = float(np.sqrt(b.multiply(b).sum()))
    return float(a.multiply(b).sum()) / nb if nb > 0 else 0.0


def centroids(x: Any, members: Sequence[Sequence[int]]) -> Any:
    """L2-normalised mean of the rows ``members[k]`` of ``x`` for each story k (CSR)."""
    return _normalize(_member_sums(x, members))


def assign_topics(story_ids: Sequence[str], x: Any, members: Sequence[Sequence[int]],
                  spans: Sequence[tuple[float, float]], options: Options = DEFAULT_OPTIONS) -> dict[str, str]:
    """The topic of each story (batch).  ``x``: the originals' TF-IDF rows; ``members[k]``: the
    rows of story k; ``spans[k]``: its first and last article day (ordinal, NaN if undated)."""
    n = len(story_ids)
    if n == 0:
        return {}
    full = _member_sums(x, members)
    sums, cent = _compact(full), _compact(_normalize(full))  # same sparsity: same columns
    nan = np.full(n, np.nan)
    i, j, v = _candidate_pairs(cent, nan, options.topic_threshold, -1)
    first = np.array([s[0] for s in spans], dtype=np.float64)
    last = np.array([s[1] for s in spans], dtype=np.float64)
    order = sorted(range(n), key=lambda k: (np.nan_to_num(first[k], nan=np.inf), story_ids[k]))
    rank = np.empty(n, dtype=np.int64)
    rank[order] = np.arange(n)
    links: dict[int, list[tuple[int, float]]] = {}
    for a, b, s in zip(i.tolist(), j.tolist(), v.tolist()):
        later, earlier = (a, b) if rank[a] > rank[b] else (b, a)
        links.setdefault(later, []).append((earlier, s))
    topic: dict[int, str] = {}
    tsum: dict[str, Any] = {}
    for k in order:
        cands = sorted(links.get(k, ()), key=lambda es: rank[es[0]])
        got = None
        if cands:
            names = [topic[e] for e, _ in cands]
            tsim = {t: _cos(cent[k], tsum[t]) for t in set(names)} if options.topic_floor > 0 else None
            got = choose_topic(first[k], np.array([s for _, s in cands]), last[[e for e, _ in cands]], names,
                               options, tsim)
        topic[k] = got or topic_id(story_ids[k])
        tsum[topic[k]] = sums[k] if topic[k] not in tsum else tsum[topic[k]] + sums[k]
    log.debug("%d stories in %d topics", n, len(set(topic.values())))
    return {story_ids[k]: t for k, t in topic.items()}


def reference_day(days: Mapping[str, _dt.date | None] | Sequence[_dt.date | None]) -> _dt.date | None:
    """The newest of ``days`` (the desk's "now" for story states), or None."""
    vals = days.values() if isinstance(days, Mapping) else days
    known = [d for d in vals if d is not None]
    return max(known) if known else None
