"""Sparse similarity graphs over L2-normalised rows: the pairs above a threshold inside a time window.

Shared by story clustering (:mod:`newsdesk.cluster`, articles) and topics (:mod:`newsdesk.topics`,
story centroids).  Up to :data:`EXACT_MAX` rows every pair is scored in sparse blocks; above it, each
row's candidates come from its heaviest, not too common terms and only its :data:`NEIGHBOURS` best are
scored exactly.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from .hashing import l2_normalize

__all__ = ["EXACT_MAX", "TimeWeight", "_candidate_pairs", "_compact"]

EXACT_MAX = 5000       # up to this many originals, score every pair (dense blocks)
BLOCK_ROWS = 1000      # rows per sparse block product
NEIGHBOURS = 30        # candidates kept per article above EXACT_MAX
PRUNE_TERMS = 25       # heaviest terms per article used to find candidates above EXACT_MAX
MAX_DF_SHARE = 0.02    # terms in more than this share of articles do not generate candidates


def _compact(x: Any) -> Any:
    """The same rows over only the columns in use (cheap transposes and products)."""
    import scipy.sparse as sp

    cols = np.unique(x.indices)
    return sp.csr_matrix((x.data, np.searchsorted(cols, x.indices), x.indptr), shape=(x.shape[0], len(cols)))


@dataclass(frozen=True)
class TimeWeight:
    """Weight of a similarity between two articles ``gap`` days apart (NaN: one is undated):
    ``dated / (1 + gap / tau)`` when both are dated (``tau`` 0: no decay), 1 otherwise."""

    tau: float = 0.0
    dated: float = 1.0

    @property
    def on(self) -> bool:
        return self.tau > 0 or self.dated != 1.0

    def __call__(self, gap: np.ndarray) -> np.ndarray:
        if not self.on:
            return np.ones_like(gap, dtype=np.float64)
        g = np.nan_to_num(gap)
        w = self.dated / (1.0 + g / self.tau) if self.tau > 0 else np.full_like(g, self.dated, dtype=np.float64)
        return np.where(np.isnan(gap), 1.0, w)


NO_WEIGHT = TimeWeight()


def _candidate_pairs(x: Any, days: np.ndarray, threshold: float, window: int,
                     weight: TimeWeight = NO_WEIGHT) -> tuple[np.ndarray, ...]:
    """(i, j, similarity) for i < j with similarity >= threshold, inside the time window (similarity
    times ``weight`` of the two articles' gap)."""

    n = x.shape[0]
    rows: list[np.ndarray] = []
    cols: list[np.ndarray] = []
    sims: list[np.ndarray] = []
    exact = n <= EXACT_MAX
    if not exact:
        probe = _pruned(x)
        probe_t = probe.T.tocsr()
    xt = x.T.tocsr()
    for start in range(0, n, BLOCK_ROWS):
        stop = min(n, start + BLOCK_ROWS)
        if exact:
            s = (x[start:stop] @ xt).tocoo()
            i, j, v = s.row + start, s.col, s.data
        else:
            c = (probe[start:stop] @ probe_t).tocsr()
            i, j = _top_k(c, NEIGHBOURS)
            i = i + start
            keep = i != j
            i, j = i[keep], j[keep]
            v = np.asarray(x[i].multiply(x[j]).sum(axis=1)).ravel() if len(i) else np.zeros(0)
        keep = (i < j) if exact else (i != j)
        keep &= v >= threshold - 1e-12
        i, j, v = i[keep], j[keep], v[keep]
        if window >= 0 and len(i):
            gap = np.abs(days[i] - days[j])
            keep = ~(gap > window)  # NaN (undated) never excludes
            if weight.on:
                v = v * weight(gap)
                keep &= v >= threshold - 1e-12
            i, j, v = i[keep], j[keep], v[keep]
        if not exact:
            lo, hi = np.minimum(i, j), np.maximum(i, j)
            i, j = lo, hi
        rows.append(i)
        cols.append(j)
        sims.append(v)
    i = np.concatenate(rows) if rows else np.zeros(0, dtype=np.int64)
    j = np.concatenate(cols) if cols else np.zeros(0, dtype=np.int64)
    v = np.concatenate(sims) if sims else np.zeros(0)
    if not exact and len(i):  # a pair found from both ends: keep it once
        _, first = np.unique(i.astype(np.int64) * n + j, return_index=True)
        i, j, v = i[first], j[first], v[first]
    return i, j, v


def _pruned(x: Any) -> Any:
    """Rows of ``x`` keeping only their heaviest, not too common terms (candidate generation)."""
    n = x.shape[0]
    df = np.bincount(x.indices, minlength=x.shape[1])
    common = df > max(20, MAX_DF_SHARE * n)
    y = x.copy()
    y.data[common[y.indices]] = 0.0
    y.eliminate_zeros()
    indptr, data = y.indptr, y.data
    for r in range(n):
        a, b = indptr[r], indptr[r + 1]
        if b - a > PRUNE_TERMS:
            seg = data[a:b]
            cut = np.partition(seg, b - a - PRUNE_TERMS)[b - a - PRUNE_TERMS]
            seg[seg < cut] = 0.0
    y.eliminate_zeros()
    return l2_normalize(y)


def _top_k(c: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column indices of each row's ``k`` largest entries (ties: smaller column)."""
    ri: list[np.ndarray] = []
    ci: list[np.ndarray] = []
    for r in range(c.shape[0]):
        a, b = c.indptr[r], c.indptr[r + 1]
        cols, vals = c.indices[a:b], c.data[a:b]
        if b - a > k:
            order = np.lexsort((cols, -vals))[:k]
            cols = cols[order]
        ri.append(np.full(len(cols), r, dtype=np.int64))
        ci.append(cols.astype(np.int64))
    return (np.concatenate(ri) if ri else np.zeros(0, dtype=np.int64),
            np.concatenate(ci) if ci else np.zeros(0, dtype=np.int64))
