"""Event-level split of stories in dense topics (#19).

The story rule (:mod:`newsdesk.cluster`: average linkage over title + lead TF-IDF, cut in time) keeps
together articles of one subject and a few days.  Inside a *dense* topic (many articles of one subject
on the same days: a disaster's aid effort, a trial) that is not one event: several occurrences of the
same days share the topic's whole vocabulary (quake, Haiti, aid; spill, BP), which the corpus-wide IDF
counts as informative.  This module splits such a story's dated articles into events.

Rule
    *Background* of a group of dated articles: the other originals dated within ``event_split_days``
    days of the group's first and last day whose TF-IDF cosine with the group's centroid is at least
    ``topic_threshold`` (the other articles of the same subject on those days; the group's own are left
    out, so that many outlets on one event do not discount that event's words).  When it holds at least
    ``event_split_background`` articles the topic is *dense* there.
    The similarity of two articles of the group is, where the topic is dense, the smaller of

    - the cosine of their leads (the event block of :mod:`newsdesk.cluster`: title and first
      ``cluster_event_lead_words`` words, sublinear tf) weighted by the background's own IDF,
      ``log((1 + b) / (1 + df))`` over the ``b`` background articles: a word that every other article
      of the subject on those days uses weighs nothing, what only this group's leads say weighs most;
    - the cosine of their article vectors with the event block counted (corpus IDF), as the opt-in
      ``cluster_event_threshold`` rule has it;

    and where it is sparse the second alone.  Two articles of different outlets (or without one) are of
    one event when it reaches ``event_split_threshold``; two articles of **one outlet** when it reaches
    ``event_split_same_source`` (higher): an outlet files one report of an occurrence and its updates, so
    its two pages that only share the subject's words are two occurrences (the day's tally and the
    next day's, a rescue and the end of the search).  A sparse group without two articles of one outlet
    is left as it is (BASIL's three outlets on one event, a sparse desk).

    The group is cut by complete linkage over those similarities, each divided by its cut, at 1: every
    two articles of a piece are of one event.  Undated articles are never split.

Batch: :func:`split_labels` (``cluster_articles``, after the time cuts; a piece keeps the topic of the
story it came from).  Online: :func:`pieces` (``Clusterer``: a batch's group together with the rows of
the story it would join; pieces without that story's rows become stories of their own, in its topic).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from .hashing import N_FEATURES, l2_normalize
from .options import Options

__all__ = ["enabled", "pieces", "split_labels", "background"]


def enabled(options: Options) -> bool:
    """Whether the event split runs (it needs the event block's counts)."""
    return options.event_split_threshold > 0 and options.cluster_event_lead_words > 0


def _local_idf(lead_bg: Any) -> np.ndarray:
    """IDF of the lead words over the background rows (sublinear-tf CSR), 0 for a word in all of them."""
    df = np.bincount(lead_bg.indices[lead_bg.data > 0], minlength=lead_bg.shape[1]).astype(np.float64)
    return np.log((1.0 + lead_bg.shape[0]) / (1.0 + df))


def _norm_rows(x: Any) -> Any:
    return l2_normalize(x.tocsr(copy=True).astype(np.float64, copy=False))


def _same_source(sources: np.ndarray | None) -> np.ndarray | None:
    """Pairs of one outlet (a code >= 0 shared), or None when there is none."""
    if sources is None or len(sources) < 2:
        return None
    src = np.asarray(sources)
    same = (src[:, None] == src[None, :]) & (src[:, None] >= 0)
    np.fill_diagonal(same, False)
    return same if same.any() else None


def _lead_cosine(event_vecs: Any) -> np.ndarray:
    """Cosine of the event blocks (title and lead, corpus IDF: the last ``N_FEATURES`` columns) of
    ``event_vecs``."""
    b = _norm_rows(event_vecs.tocsr()[:, -N_FEATURES:])
    return np.asarray((b @ b.T).toarray())


def pieces(lead: Any, event_vecs: Any, lead_bg: Any, options: Options,
           sources: np.ndarray | None = None, days: np.ndarray | None = None) -> np.ndarray:
    """Event labels (0, 1, ... in order of first member) of a group's articles.

    ``lead``: the group's event-block counts (rows, sublinear tf); ``event_vecs``: their article vectors
    with the event block counted (L2-normalised, corpus IDF); ``lead_bg``: the event-block counts of the
    background *outside* the group (the other articles of the subject on those days: a word the group's
    own articles share is not discounted for that); ``sources``: an outlet code per article (-1: none).
    Two articles of one outlet need ``event_split_same_source`` instead of ``event_split_threshold``;
    dated on different days, their leads' cosine (the event block of ``event_vecs``) must also reach
    ``event_split_same_source_other_day``.
    Fewer than ``event_split_background`` background rows: a group without such a pair is one piece;
    otherwise the similarity is the article vectors' cosine alone (no background to weigh the leads by).
    """
    m = lead.shape[0]
    same = _same_source(sources) if options.event_split_same_source > 0 else None
    dense = lead_bg.shape[0] >= options.event_split_background
    if m < 2 or (not dense and same is None):
        return np.zeros(m, dtype=np.int64)
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    ev = (event_vecs @ event_vecs.T).toarray()
    if dense:
        idf = _local_idf(lead_bg)
        v = lead.tocsr(copy=True).astype(np.float64)
        v.data *= idf[v.indices]
        v = _norm_rows(v)
        sim = np.minimum((v @ v.T).toarray(), ev)
        s = sim / options.event_split_threshold
        if days is not None and options.event_split_other_day > 0:  # two days: two reports unless close
            d = np.asarray(days, dtype=np.float64)
            s = np.where(d[:, None] != d[None, :], sim / options.event_split_other_day, s)
    else:
        sim = ev
        s = ev / options.event_split_threshold  # no background to weigh the leads: the article vectors
    if same is not None:  # one outlet's two pages are two reports unless they say the same thing
        s = np.where(same, sim / options.event_split_same_source, s)
        if days is not None and options.event_split_same_source_other_day > 0:
            d = np.asarray(days, dtype=np.float64)
            later = same & (d[:, None] != d[None, :])
            if later.any():  # one outlet, two days: its follow-up of one occurrence repeats the lead's words
                s = np.where(later, np.minimum(s, _lead_cosine(event_vecs) / options.event_split_same_source_other_day),
                             s)
    dist = np.clip(2.0 - s, 0.0, 2.0)  # linked (s >= 1) at distance <= 1
    np.fill_diagonal(dist, 0.0)
    raw = fcluster(linkage(squareform(dist, checks=False), method="complete"), t=1.0 + 1e-12,
                   criterion="distance")
    order: dict[int, int] = {}
    return np.array([order.setdefault(int(r), len(order)) for r in raw], dtype=np.int64)


def background(x: Any, days: np.ndarray, rows: np.ndarray, cand: np.ndarray, options: Options) -> np.ndarray:
    """The rows of ``cand`` (indices into ``x``/``days``) in the background of the group ``rows``: dated
    within ``event_split_days`` of the group's days and at least ``topic_threshold`` similar to its
    centroid (``x``: L2-normalised article vectors), the group's own rows left out."""
    d = days[rows]
    d = d[~np.isnan(d)]
    if len(d) == 0:
        return rows[:0]
    w = options.event_split_days
    cd = days[cand]
    near = cand[(cd >= d.min() - w) & (cd <= d.max() + w)]
    if len(near):  # cosine with the group's summed rows, all sparse (no dense centroid of the vocabulary)
        g = x[rows]
        nrm = float(np.sqrt(max((g @ g.T).sum(), 0.0)))
        if nrm > 0:
            sims = np.asarray((x[near] @ g.T).sum(axis=1)).ravel() / nrm
            near = near[sims >= options.topic_threshold - 1e-12]
    return np.setdiff1d(near, rows)


def split_labels(labels: np.ndarray, x: Any, event_x: Any, lead: Any, days: np.ndarray,
                 options: Options, sources: np.ndarray | None = None) -> np.ndarray:
    """Batch: each story of ``labels`` (over the originals, rows of ``x``) cut into events; new labels
    for the pieces after the first (undated members stay with the first).  ``x``: article vectors;
    ``event_x``: the same with the event block counted; ``lead``: event-block counts."""
    if not enabled(options) or len(labels) < 2:
        return labels
    out = labels.copy()
    next_label = int(labels.max()) + 1
    dated_all = np.flatnonzero(~np.isnan(days))
    by_day = dated_all[np.argsort(days[dated_all], kind="stable")]
    sorted_days = days[by_day]
    order = np.argsort(labels, kind="stable")
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    w = options.event_split_days
    for members in np.split(order, bounds):
        dated = members[~np.isnan(days[members])]
        if len(dated) < 2:
            continue
        lo = np.searchsorted(sorted_days, days[dated].min() - w, side="left")
        hi = np.searchsorted(sorted_days, days[dated].max() + w, side="right")
        src = None if sources is None else sources[dated]
        if hi - lo - len(dated) < options.event_split_background and (
                options.event_split_same_source <= 0 or _same_source(src) is None):
            continue
        bg = background(x, days, dated, by_day[lo:hi], options)
        lab = pieces(lead[dated], event_x[dated], lead[bg], options, src, days[dated])
        for piece in range(1, int(lab.max()) + 1 if len(lab) else 0):
            out[dated[lab == piece]] = next_label
            next_label += 1
    return out
