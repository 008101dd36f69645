"""Story clustering on the cheap tier (no spaCy), in batch and online.

Representation
    Each article is a sparse TF-IDF vector (sublinear tf, English stop words,
    hashed features so that the online index needs no fixed vocabulary) of its
    title (counted twice) and its lead (first ``Options.cluster_lead_words`` words).
    Entity-like tokens (capitalised and not sentence-initial) also emit an ``E:``
    feature weighted ``Options.cluster_entity_boost`` (0 turns it off).

Batch (``cluster_articles``), near-linear
    1. candidate pairs: blocks of rows multiplied (sparse) against the whole
       matrix.  Up to ``EXACT_MAX`` originals every pair is scored; above it the
       candidate step uses pruned vectors (each article's ``PRUNE_TERMS`` heaviest
       terms, terms in more than ``MAX_DF_SHARE`` of the articles dropped), and
       each article keeps its ``NEIGHBOURS`` best candidates, whose exact cosine is
       then computed.  Cost grows with n x candidates, not n squared.
    2. time window: two articles both dated more than ``Options.cluster_window_days``
       apart are never similar (similarity 0).
    3. decision rule: pairs at or above ``Options.cluster_threshold`` link articles
       into blocks (connected components); inside each block average-linkage
       clustering cut at the same threshold decides the stories.  Average linkage
       can only merge two groups if some pair of them is at or above the
       threshold, so with exact candidates this equals average linkage over the
       whole corpus.  A block larger than ``MAX_BLOCK`` is re-split with a
       threshold raised in steps of 0.02 (deterministic).
    Articles are processed in id order, so the partition does not depend on the
    input order; story ids are derived from their smallest article id.

Online (``Clusterer``)
    ``Clusterer(options).add(articles)`` first clusters the new originals among
    themselves with the batch rule, then each new group joins the existing story with
    the highest average similarity between their members (average linkage against
    frozen stories; candidates from an inverted index over each article's heaviest
    terms) if at or above the threshold, or becomes a new story.  Duplicates
    (``dedup``) join their original's story.  Same inputs in the same order, same result.

Duplicates (``duplicate_of`` set) are never clustered themselves: they go with
their original.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import re
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .hashing import ENGLISH_STOP_WORDS, hashed_counts, l2_normalize
from .models import Article, Story
from .options import DEFAULT_OPTIONS, Options

__all__ = ["cluster_articles", "Clusterer", "story_id", "vectorize"]

log = logging.getLogger(__name__)

N_FEATURES = 1 << 20   # hashed feature space (collisions negligible for news vocabularies)
EXACT_MAX = 5000       # up to this many originals, score every pair (dense blocks)
BLOCK_ROWS = 1000      # rows per sparse block product
NEIGHBOURS = 30        # candidates kept per article above EXACT_MAX
PRUNE_TERMS = 25       # heaviest terms per article used to find candidates above EXACT_MAX
MAX_DF_SHARE = 0.02    # terms in more than this share of articles do not generate candidates
MAX_BLOCK = 3000       # largest block clustered by average linkage in one go

_TOKEN = re.compile(r"[^\W\d_](?:[\w'’-]*[^\W_])?", re.UNICODE)
_INITIAL = re.compile(r"(?:^|[.!?:;\"“”‘(\[]\s*|\n\s*)$")


def _stop_words() -> frozenset[str]:
    return ENGLISH_STOP_WORDS


class _Analyzer:
    """title + lead -> tokens (picklable, so a Dask worker can run it)."""

    def __init__(self, lead_words: int, entities: bool) -> None:
        self.lead_words = lead_words
        self.entities = entities
        self.stop = _stop_words()

    def __call__(self, doc: tuple[str, str]) -> list[str]:
        title, text = doc
        if self.lead_words:
            text = " ".join(text.split()[: self.lead_words])
        out: list[str] = []
        for part, times in ((title, 2), (text, 1)):
            for m in _TOKEN.finditer(part):
                tok = m.group()
                low = tok.lower()
                if len(low) < 2 or low in self.stop:
                    continue
                feats = [low]
                if (self.entities and tok[0].isupper()
                        and not _INITIAL.search(part, max(0, m.start() - 3), m.start())):
                    feats.append("E:" + low)
                out.extend(feats * times)
        return out


def _n_cols(options: Options) -> int:
    return 2 * N_FEATURES if options.cluster_entity_boost > 0 else N_FEATURES


def _counts(articles: Sequence[Article], options: Options) -> Any:
    """Sublinear term frequencies (hashed), one row per article, not yet IDF-weighted.

    Columns ``[0, N_FEATURES)`` are words; with the entity boost on, columns
    ``[N_FEATURES, 2 N_FEATURES)`` are the same words seen capitalised mid-sentence.
    """
    import scipy.sparse as sp

    boost = options.cluster_entity_boost > 0
    analyze = _Analyzer(options.cluster_lead_words, boost)
    toks = [analyze((a.title or "", a.text or "")) for a in articles]
    words = hashed_counts([[t for t in ts if not t.startswith("E:")] for ts in toks], N_FEATURES)
    if boost:
        ents = hashed_counts([[t[2:] for t in ts if t.startswith("E:")] for ts in toks], N_FEATURES)
        x = sp.hstack([words, ents], format="csr")
    else:
        x = words.tocsr()
    x.sum_duplicates()
    np.log1p(x.data, out=x.data)
    return x


def _col_weights(df: np.ndarray, n: int, options: Options) -> np.ndarray:
    """IDF of every column, entity columns times ``cluster_entity_boost``."""
    w = np.log((1.0 + n) / (1.0 + df)) + 1.0
    if options.cluster_entity_boost > 0:
        w[N_FEATURES:] *= options.cluster_entity_boost
    return w


def _weigh(x: Any, w: np.ndarray) -> Any:
    """Column-weigh and L2-normalise the rows of ``x``."""
    y = x.tocsr(copy=True)
    y.data *= w[y.indices]
    return l2_normalize(y)


def _compact(x: Any) -> Any:
    """The same rows over only the columns in use (cheap transposes and products)."""
    import scipy.sparse as sp

    cols = np.unique(x.indices)
    return sp.csr_matrix((x.data, np.searchsorted(cols, x.indices), x.indptr), shape=(x.shape[0], len(cols)))


def vectorize(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> Any:
    """L2-normalised TF-IDF rows (scipy CSR) of ``articles``, IDF from these articles."""
    x = _counts(articles, options)
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64)
    return _weigh(x, _col_weights(df, x.shape[0], options))


def _days(a: Article) -> float:
    return float(a.published.toordinal()) if isinstance(a.published, _dt.date) else np.nan


# --- batch -------------------------------------------------------------------------------------

def _candidate_pairs(x: Any, days: np.ndarray, threshold: float, window: int) -> tuple[np.ndarray, ...]:
    """(i, j, similarity) for i < j with similarity >= threshold, inside the time window."""

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


def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    g = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    return connected_components(g, directed=False)[1]


def _average_linkage(x: Any, days: np.ndarray, threshold: float, window: int) -> np.ndarray:
    """Labels of one block by average linkage over exact cosine similarities."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    m = x.shape[0]
    if m == 1:
        return np.zeros(1, dtype=np.int64)
    sim = (x @ x.T).toarray()
    if window >= 0:
        gap = np.abs(days[:, None] - days[None, :])
        sim[gap > window] = 0.0
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method="average")
    return fcluster(z, t=1.0 - threshold + 1e-12, criterion="distance").astype(np.int64)


def _labels(x: Any, days: np.ndarray, threshold: float, window: int) -> np.ndarray:
    n = x.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    x = _compact(x)
    i, j, v = _candidate_pairs(x, days, threshold, window)
    labels = np.full(n, -1, dtype=np.int64)
    next_label = 0
    todo = [(np.arange(n), i, j, v, threshold)]
    while todo:
        idx, i, j, v, t = todo.pop()
        comp = _components(len(idx), i, j)
        order = np.argsort(comp, kind="stable")
        bounds = np.flatnonzero(np.diff(comp[order])) + 1
        for members in np.split(order, bounds):
            if len(members) > MAX_BLOCK and t < 0.99:
                # re-split a too large block with a stricter link threshold
                local = np.full(len(idx), -1, dtype=np.int64)
                local[members] = np.arange(len(members))
                keep = (local[i] >= 0) & (local[j] >= 0) & (v >= t + 0.02)
                todo.append((idx[members], local[i[keep]], local[j[keep]], v[keep], t + 0.02))
                continue
            glob = idx[members]
            sub = _average_linkage(x[glob], days[glob], threshold, window) if len(glob) > 1 else [0]
            remap: dict[int, int] = {}
            for g, lab in zip(glob, sub):
                if int(lab) not in remap:
                    remap[int(lab)] = next_label
                    next_label += 1
                labels[g] = remap[int(lab)]
    return labels


def story_id(first_article_id: str) -> str:
    return "s" + hashlib.sha1(first_article_id.encode()).hexdigest()[:10]


def _root_map(articles: Sequence[Article]) -> dict[str, str]:
    dup_of = {a.id: a.duplicate_of for a in articles}

    def root(aid: str) -> str:
        seen = {aid}
        while dup_of.get(aid) is not None and dup_of[aid] in dup_of and dup_of[aid] not in seen:
            aid = dup_of[aid]  # type: ignore[assignment]
            seen.add(aid)
        return aid

    return {a.id: root(a.id) for a in articles}


def cluster_articles(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> list[Story]:
    """Partition articles into stories (every id in exactly one story).

    The partition does not depend on the order of ``articles``; inside a story the
    articles keep their input order, and stories come largest first.
    """
    originals = sorted((a for a in articles if a.duplicate_of is None), key=lambda a: a.id)
    if originals:
        x = vectorize(originals, options)
        days = np.array([_days(a) for a in originals])
        labels = _labels(x, days, options.cluster_threshold, options.cluster_window_days)
    else:
        labels = np.zeros(0, dtype=np.int64)
    label_of = {a.id: int(lab) for a, lab in zip(originals, labels)}
    root_of = _root_map(articles)
    members: dict[Any, list[str]] = {}
    for a in articles:  # input order inside each story
        r = root_of[a.id]
        key = label_of.get(r, ("alone", r))  # a duplicate whose original is not in this batch
        members.setdefault(key, []).append(a.id)
    position = {a.id: n for n, a in enumerate(articles)}
    stories = [Story(story_id(min(m)), tuple(m)) for m in members.values()]
    stories.sort(key=lambda s: (-len(s.article_ids), position[s.article_ids[0]]))
    log.debug("clustered %d articles (%d originals) into %d stories", len(articles), len(originals), len(stories))
    return stories


# --- online ------------------------------------------------------------------------------------

class Clusterer:
    """Stories built incrementally: ``add(articles)`` assigns new articles to stories.

    Use::

        clusterer = Clusterer(options)
        clusterer.add(first_batch)    # {article id: story id}
        clusterer.add(next_batch)     # new articles join existing stories or open new ones
        clusterer.stories()           # list[Story], as cluster_articles returns

    Deterministic for the same sequence of inputs.  The IDF is that of every
    original seen so far; a batch's own stories are found with the batch rule and
    each then joins the indexed story whose originals have the highest average
    cosine to its members (>= ``cluster_threshold``), or stays a new story.
    """

    def __init__(self, options: Options = DEFAULT_OPTIONS) -> None:
        from .dedup import DuplicateIndex

        self.options = options
        self._dups = DuplicateIndex(options)
        self._df = np.zeros(_n_cols(options), dtype=np.float64)
        self._n = 0
        self._mat: Any = None               # sublinear tf rows of earlier batches' originals (CSR)
        self._n_rows = 0
        self._days: list[float] = []
        self._story_of_row: list[int] = []
        self._rows_of_story: list[list[int]] = []
        self._story_ids: list[str] = []
        self._members: list[list[str]] = []  # every article id, duplicates included
        self._story_of: dict[str, int] = {}
        self._postings: dict[int, list[int]] = {}

    def __len__(self) -> int:
        return len(self._story_of)

    def stories(self) -> list[Story]:
        out = [Story(sid, tuple(m)) for sid, m in zip(self._story_ids, self._members)]
        return sorted(out, key=lambda s: -len(s.article_ids))  # stable: creation order breaks ties

    def story_of(self, article_id: str) -> str | None:
        k = self._story_of.get(article_id)
        return None if k is None else self._story_ids[k]

    def add(self, articles: Iterable[Article]) -> dict[str, str]:
        """Assign each new article (input order) to a story; returns {article id: story id}.

        An id already in the index keeps its story.  Articles marked ``duplicate_of``
        an indexed article, or found to copy one, join that article's story.
        """
        batch = [a for a in articles if a.id not in self._story_of]
        out: dict[str, str] = {}
        originals: list[Article] = []
        dup_target: dict[str, str] = {}
        batch_ids = {a.id for a in batch}
        for a in batch:
            marked = a.duplicate_of is not None and a.duplicate_of != a.id and (
                a.duplicate_of in self._story_of or a.duplicate_of in batch_ids)
            target = a.duplicate_of if marked else self._dups.add(a)
            if target is not None and target != a.id:
                dup_target[a.id] = target
            else:
                originals.append(a)
                dup_target.pop(a.id, None)
        counts = _counts(originals, self.options) if originals else None
        if counts is not None:
            self._df += np.bincount(counts.indices, minlength=len(self._df))
            self._n += counts.shape[0]
        idf = _col_weights(self._df, max(self._n, 1), self.options)
        orig_pos = {a.id: k for k, a in enumerate(originals)}
        story_of_pos = self._place(originals, counts, idf) if counts is not None else []
        for a in batch:  # input order inside each story
            if a.id in dup_target:
                t, seen = dup_target[a.id], {a.id}
                while t in dup_target and t not in seen:  # a copy of a copy: up to the original
                    seen.add(t)
                    t = dup_target[t]
                k = story_of_pos[orig_pos[t]] if t in orig_pos else self._story_of.get(t, -1)
                if k < 0:  # a cycle of copies: a story of its own
                    k = self._new_story(a.id)
            else:
                k = story_of_pos[orig_pos[a.id]]
            self._join(k, a.id)
            out[a.id] = self._story_ids[k]
        return out

    def _place(self, originals: list[Article], counts: Any, idf: np.ndarray) -> list[int]:
        """Story index of each original of a batch (indexed as it goes): the batch's own stories first
        (the batch rule), then each joins the existing story with the highest average similarity
        between their members, or stays new."""
        thr, window = self.options.cluster_threshold, self.options.cluster_window_days
        story_of_pos = [-1] * len(originals)
        vecs = _weigh(counts, idf)
        bdays = np.array([_days(a) for a in originals])
        groups: dict[int, list[int]] = {}
        for p, lab in enumerate(_labels(vecs, bdays, thr, window)):
            groups.setdefault(int(lab), []).append(p)
        group_list = list(groups.values())  # in order of their first article
        for ps, k in zip(group_list, self._best_stories(counts, vecs, group_list, bdays, idf, thr, window)):
            if k < 0:
                k = self._new_story(originals[ps[0]].id)
            for p in ps:
                story_of_pos[p] = k
        old = self._n_rows
        for p in range(len(originals)):
            r, k = old + p, story_of_pos[p]
            self._days.append(float(bdays[p]))
            self._story_of_row.append(k)
            self._rows_of_story[k].append(r)
            for term in self._top_terms(counts[p], idf):
                self._postings.setdefault(term, []).append(r)
        self._n_rows += len(originals)
        self._mat = counts if self._mat is None else _vstack([self._mat, counts])
        return story_of_pos

    def _best_stories(self, counts: Any, vecs: Any, groups: list[list[int]], bdays: np.ndarray,
                      idf: np.ndarray, thr: float, window: int) -> list[int]:
        """For each batch group, the indexed story with the highest average similarity to it
        (average over all member pairs, as average linkage) if >= ``thr``, else -1.

        A group is compared with the stories its members' heaviest terms find; the
        similarities of all candidate rows with all new articles come from one sparse
        product per batch (per group it was the dominant cost)."""
        found_of: list[list[int]] = []
        every: set[int] = set()
        for ps in groups:
            found: set[int] = set()
            for p in ps:
                found.update(self._candidate_stories(counts[p], idf))
            found_of.append(sorted(found))
            every |= found
        if not every:
            return [-1] * len(groups)
        stories = sorted(every)
        sizes = np.array([len(self._rows_of_story[k]) for k in stories], dtype=np.int64)
        rows = np.array([r for k in stories for r in self._rows_of_story[k]], dtype=np.int64)
        owner = np.repeat(np.arange(len(stories)), sizes)  # position in ``stories`` of each row
        slot = {k: i for i, k in enumerate(stories)}
        both = _compact(_vstack([_weigh(self._mat[rows], idf), vecs]))
        sims = (both[: len(rows)] @ both[len(rows):].T).tocsc()  # candidate rows x new articles
        rdays = np.asarray(self._days, dtype=np.float64)[rows] if window >= 0 else None
        out = []
        for ps, cands in zip(groups, found_of):
            if not cands:
                out.append(-1)
                continue
            sub = sims[:, ps].tocoo()
            r, c, v = sub.row, sub.col, sub.data
            if rdays is not None:
                keep = ~(np.abs(rdays[r] - bdays[np.asarray(ps)][c]) > window)
                r, v = r[keep], v[keep]
            total = np.bincount(owner[r], weights=v, minlength=len(stories))
            idx = np.array([slot[k] for k in cands], dtype=np.int64)
            mean = total[idx] / (sizes[idx] * len(ps))
            best = int(np.argmax(mean))  # ties: the first, i.e. the oldest story
            out.append(cands[best] if mean[best] >= thr - 1e-12 else -1)
        return out

    def _new_story(self, first_id: str) -> int:
        self._story_ids.append(story_id(first_id))
        self._members.append([])
        self._rows_of_story.append([])
        return len(self._story_ids) - 1

    def _join(self, k: int, aid: str) -> None:
        self._members[k].append(aid)
        self._story_of[aid] = k

    def _top_terms(self, row: Any, idf: np.ndarray) -> list[int]:
        w = row.data * idf[row.indices]
        order = np.lexsort((row.indices, -w))[:PRUNE_TERMS]
        return [int(t) for t in row.indices[order]]

    def _candidate_stories(self, row: Any, idf: np.ndarray) -> list[int]:
        cap = max(50, int(MAX_DF_SHARE * max(self._n, 1)))
        found: set[int] = set()
        for term in self._top_terms(row, idf):
            posting = self._postings.get(term)
            if posting and len(posting) <= cap:
                found.update(self._story_of_row[r] for r in posting)
        return sorted(found)


def _vstack(rows: list[Any]) -> Any:
    import scipy.sparse as sp

    return sp.vstack(rows, format="csr")
