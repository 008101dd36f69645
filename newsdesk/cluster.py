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
their original, unless they would stretch its story beyond ``story_span_days``
(:func:`far_copy`): such a copy is clustered as an original and keeps ``duplicate_of``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import logging
import re
from array import array
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np

from .hashing import ENGLISH_STOP_WORDS, N_FEATURES, hashed_counts, l2_normalize
from .models import Article, Story
from .options import DEFAULT_OPTIONS, Options
from .simgraph import MAX_DF_SHARE, NO_WEIGHT, PRUNE_TERMS, TimeWeight, _candidate_pairs, _compact

__all__ = ["cluster_articles", "Clusterer", "story_id", "vectorize"]

log = logging.getLogger(__name__)

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


def _blocks(options: Options) -> tuple[bool, bool]:
    """Which column blocks follow the words: (entity block, event-lead block)."""
    return options.cluster_entity_boost > 0, options.cluster_event_lead_words > 0


def _n_cols(options: Options) -> int:
    return N_FEATURES * (1 + sum(_blocks(options)))


def _counts(articles: Sequence[Article], options: Options) -> Any:
    """Sublinear term frequencies (hashed), one row per article, not yet IDF-weighted.

    Columns ``[0, N_FEATURES)`` are words; with the entity boost on, the next ``N_FEATURES`` columns
    are the same words seen capitalised mid-sentence; with ``cluster_event_lead_words`` on, the last
    ``N_FEATURES`` columns are the words of the title and the first ``cluster_event_lead_words`` words
    of a *dated* article (empty for an undated one): the event block.
    """
    import scipy.sparse as sp

    boost, event = _blocks(options)
    analyze = _Analyzer(options.cluster_lead_words, boost)
    toks = [analyze((a.title or "", a.text or "")) for a in articles]
    parts = [hashed_counts([[t for t in ts if not t.startswith("E:")] for ts in toks], N_FEATURES)]
    if boost:
        parts.append(hashed_counts([[t[2:] for t in ts if t.startswith("E:")] for ts in toks], N_FEATURES))
    if event:
        lede = _Analyzer(options.cluster_event_lead_words, False)
        parts.append(hashed_counts([lede((a.title or "", a.text or "")) if not np.isnan(_days(a)) else []
                                    for a in articles], N_FEATURES))
    x = sp.hstack(parts, format="csr") if len(parts) > 1 else parts[0].tocsr()
    x.sum_duplicates()
    np.log1p(x.data, out=x.data)
    return x


def _col_weights(df: np.ndarray, n: int, options: Options) -> np.ndarray:
    """IDF of every column, entity columns times ``cluster_entity_boost``, event-block columns times
    ``cluster_event_lead_weight``."""
    w = np.log((1.0 + n) / (1.0 + df)) + 1.0
    boost, event = _blocks(options)
    if boost:
        w[N_FEATURES:2 * N_FEATURES] *= options.cluster_entity_boost
    if event:
        w[-N_FEATURES:] *= options.cluster_event_lead_weight
    return w


def _weigh(x: Any, w: np.ndarray) -> Any:
    """Column-weigh and L2-normalise the rows of ``x``."""
    y = x.tocsr(copy=True)
    y.data *= w[y.indices]
    y.eliminate_zeros()  # columns weighted 0 (the event block kept for the event split only) take no room
    return l2_normalize(y)


def vectorize(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> Any:
    """L2-normalised TF-IDF rows (scipy CSR) of ``articles``, IDF from these articles."""
    x = _counts(articles, options)
    df = np.bincount(x.indices, minlength=x.shape[1]).astype(np.float64)
    return _weigh(x, _col_weights(df, x.shape[0], options))


def time_weight(options: Options) -> TimeWeight:
    """How similarities between two dated articles are weighted: the decay ``cluster_time_decay`` and,
    with ``cluster_event_threshold`` set, the factor that makes two dated articles need that cosine
    where undated ones need ``cluster_threshold``."""
    event = options.cluster_event_threshold
    scale = options.cluster_threshold / event if event > 0 else 1.0
    return TimeWeight(options.cluster_time_decay, scale)


def _days(a: Article) -> float:
    return float(a.published.toordinal()) if isinstance(a.published, _dt.date) else np.nan


# --- batch -------------------------------------------------------------------------------------

def _components(n: int, i: np.ndarray, j: np.ndarray) -> np.ndarray:
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    g = coo_matrix((np.ones(len(i)), (i, j)), shape=(n, n))
    return connected_components(g, directed=False)[1]


def _average_linkage(x: Any, days: np.ndarray, threshold: float, window: int,
                     weight: TimeWeight = NO_WEIGHT, method: str = "average") -> np.ndarray:
    """Labels of one block by average (or ``method``) linkage over exact cosine similarities."""
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    m = x.shape[0]
    if m == 1:
        return np.zeros(1, dtype=np.int64)
    sim = (x @ x.T).toarray()
    if window >= 0:
        gap = np.abs(days[:, None] - days[None, :])
        sim[gap > window] = 0.0
        if weight.on:
            sim *= weight(gap)
    dist = np.clip(1.0 - sim, 0.0, 2.0)
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method=method)
    return fcluster(z, t=1.0 - threshold + 1e-12, criterion="distance").astype(np.int64)


def _labels(x: Any, days: np.ndarray, threshold: float, window: int, weight: TimeWeight = NO_WEIGHT,
            dated_linkage: str = "average") -> np.ndarray:
    """Story labels: blocks of pairs at or above ``threshold``, each cut by average linkage, or by
    ``dated_linkage`` when every article of the block is dated."""
    n = x.shape[0]
    if n == 0:
        return np.zeros(0, dtype=np.int64)
    x = _compact(x)
    i, j, v = _candidate_pairs(x, days, threshold, window, weight)
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
            method = dated_linkage if not np.isnan(days[glob]).any() else "average"
            sub = _average_linkage(x[glob], days[glob], threshold, window, weight, method) if len(glob) > 1 else [0]
            remap: dict[int, int] = {}
            for g, lab in zip(glob, sub):
                if int(lab) not in remap:
                    remap[int(lab)] = next_label
                    next_label += 1
                labels[g] = remap[int(lab)]
    return labels


def story_id(first_article_id: str) -> str:
    return "s" + hashlib.sha1(first_article_id.encode()).hexdigest()[:10]


def _root_map(articles: Sequence[Article], stop: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """{id: the original a copy follows} (up to the first id in ``stop``: a copy clustered as an original)."""
    dup_of = {a.id: a.duplicate_of for a in articles}

    def root(aid: str) -> str:
        seen = {aid}
        while (aid not in stop and dup_of.get(aid) is not None and dup_of[aid] in dup_of
               and dup_of[aid] not in seen):
            aid = dup_of[aid]  # type: ignore[assignment]
            seen.add(aid)
        return aid

    return {a.id: root(a.id) for a in articles}


def _split_time(labels: np.ndarray, days: np.ndarray, gap: int, span: int) -> np.ndarray:
    """Each story cut where its dated articles fall silent for more than ``gap`` days (a topic that
    returns after a gap is a new story), then each part longer than ``span`` days (first to last
    article) cut at its longest silence (the earliest of equal ones) until every part spans at most
    ``span`` days: one event's coverage is days, not weeks.  -1 turns either cut off; undated members
    stay with the story's first part."""
    if (gap < 0 and span < 0) or len(labels) == 0:
        return labels
    out = labels.copy()
    next_label = int(labels.max()) + 1
    order = np.lexsort((days, labels))  # by story, then date (NaN last)
    bounds = np.flatnonzero(np.diff(labels[order])) + 1
    for members in np.split(order, bounds):
        dated = members[~np.isnan(days[members])]
        parts = np.split(dated, np.flatnonzero(np.diff(days[dated]) > gap) + 1) if gap >= 0 else [dated]
        if span >= 0:
            parts = [q for p in parts for q in _cut_span(p, days, span)]
        for part in parts[1:]:
            out[part] = next_label
            next_label += 1
    return out


def _cut_span(part: np.ndarray, days: np.ndarray, span: int) -> list[np.ndarray]:
    """``part`` (rows sorted by day) cut at its longest silences until each piece spans <= ``span`` days
    (in day order)."""
    done: list[np.ndarray] = []
    todo = [part]
    while todo:
        p = todo.pop()
        d = days[p]
        if len(p) == 0 or d[-1] - d[0] <= span:
            done.append(p)
            continue
        k = int(np.argmax(np.diff(d))) + 1
        todo += [p[k:], p[:k]]  # the earlier piece next
    return done


def _spans(rows: Sequence[Sequence[int]], days: np.ndarray) -> list[tuple[float, float]]:
    """First and last day of each story's originals (NaN when none is dated)."""
    out = []
    for m in rows:
        d = days[list(m)]
        d = d[~np.isnan(d)]
        out.append((float(d.min()), float(d.max())) if len(d) else (np.nan, np.nan))
    return out


def _members(articles: Sequence[Article], originals: Sequence[Article], labels: np.ndarray,
             root_of: dict[str, str]) -> dict[Any, list[str]]:
    """{story key: article ids in input order}; a copy follows its original."""
    label_of = {a.id: int(lab) for a, lab in zip(originals, labels)}
    members: dict[Any, list[str]] = {}
    for a in articles:  # input order inside each story
        r = root_of[a.id]
        key = label_of.get(r, ("alone", r))  # a duplicate whose original is not in this batch
        members.setdefault(key, []).append(a.id)
    return members


def _event_weights(df: np.ndarray, n: int, options: Options) -> np.ndarray:
    """Column weights with the event block counted at weight 1 (the event split's article vectors)."""
    w = _col_weights(df, n, options)
    w[-N_FEATURES:] = np.log((1.0 + n) / (1.0 + df[-N_FEATURES:])) + 1.0
    return w


def _source_key(a: Article) -> str:
    """The outlet of an article for the event split ("" when unknown)."""
    return " ".join((a.source or "").lower().split())


def _source_codes(articles: Sequence[Article]) -> np.ndarray:
    """An outlet code per article (-1: no source), equal for articles of one outlet."""
    codes: dict[str, int] = {}
    return np.array([codes.setdefault(k, len(codes)) if (k := _source_key(a)) else -1 for a in articles],
                    dtype=np.int64)


def _event_split(labels: np.ndarray, counts: Any, df: np.ndarray, x: Any, days: np.ndarray,
                 options: Options, sources: np.ndarray | None = None) -> np.ndarray:
    """``labels`` cut into events in dense topics (``newsdesk.events``), or ``labels`` itself when off."""
    from . import events

    if not events.enabled(options) or len(labels) < 2:
        return labels
    ev = _weigh(counts, _event_weights(df, counts.shape[0], options))
    out = events.split_labels(labels, _compact(x), ev, _compact(counts[:, -N_FEATURES:].tocsr()), days, options,
                              sources)
    return labels if np.array_equal(out, labels) else out


def far_copy(day: float, original_days: tuple[float, float], options: Options) -> bool:
    """Whether a copy dated ``day`` is clustered as an original (#19): it would stretch the (first, last)
    days of its original (or of its original's story, online) beyond ``story_span_days``.  A page reused
    weeks later (a caption, a boilerplate lead) is not its original's event; it keeps ``duplicate_of`` (it is
    still no independent source), only its story is decided as for an original.  Off with the span cut
    (-1), and for undated articles."""
    span = options.story_span_days
    first, last = original_days
    if span < 0 or np.isnan(day) or np.isnan(first):
        return False
    return max(last, day) - min(first, day) > span


def far_copies(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> set[str]:
    """The ids of the copies (``duplicate_of`` set) clustered as originals in batch (:func:`far_copy`
    against the date of the original they follow)."""
    if options.story_span_days < 0 or not any(a.duplicate_of for a in articles):
        return set()
    dup_of = {a.id: a.duplicate_of for a in articles}
    day = {a.id: _days(a) for a in articles}
    root: dict[str, str] = {}  # the article each one's story follows (itself: an original or a far copy)
    far: set[str] = set()
    for a in articles:
        chain = [a.id]  # up the copies to an article whose root is known, or an original
        while chain[-1] not in root and dup_of.get(chain[-1]) in dup_of and dup_of[chain[-1]] not in chain:
            chain.append(dup_of[chain[-1]])  # type: ignore[arg-type]
        top = root.get(chain[-1], chain[-1])
        for c in reversed(chain[:-1] if chain[-1] in root else chain):
            if c != top and far_copy(day[c], (day[top],) * 2, options):
                far.add(c)
                top = c
            root[c] = top
    return far


def cluster_articles(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> list[Story]:
    """Partition articles into stories (every id in exactly one story), each with its topic.

    The partition does not depend on the order of ``articles``; inside a story the
    articles keep their input order, and stories come largest first.
    """
    from .topics import assign_topics, topic_id

    far = far_copies(articles, options)
    originals = sorted((a for a in articles if a.duplicate_of is None or a.id in far), key=lambda a: a.id)
    x = None
    days = np.zeros(0)
    if originals:
        counts = _counts(originals, options)
        df = np.bincount(counts.indices, minlength=counts.shape[1]).astype(np.float64)
        x = _weigh(counts, _col_weights(df, counts.shape[0], options))
        days = np.array([_days(a) for a in originals])
        labels = _labels(x, days, options.cluster_threshold, options.cluster_window_days, time_weight(options),
                         options.cluster_dated_linkage)
        parents = _split_time(labels, days, options.story_gap_days, options.story_span_days)
        labels = _event_split(parents, counts, df, x, days, options, _source_codes(originals))
    else:
        labels = parents = np.zeros(0, dtype=np.int64)
    root_of = _root_map(articles, far)
    members = _members(articles, originals, labels, root_of)
    ids = [story_id(min(m)) for m in members.values()]
    topic_of: dict[str, str] = {}
    if x is not None:  # topics of the stories before the event split: a piece keeps its story's topic
        pmembers = _members(articles, originals, parents, root_of) if labels is not parents else members
        pids = [story_id(min(m)) for m in pmembers.values()]
        row = {a.id: k for k, a in enumerate(originals)}
        rows = [[row[a] for a in m if a in row] for m in pmembers.values()]
        ptopic = assign_topics(pids, x, rows, _spans(rows, days), options)
        parent_of = {int(lab): int(par) for lab, par in zip(labels, parents)}
        topic_by_key = {key: ptopic[sid] for key, sid in zip(pmembers, pids) if sid in ptopic}
        topic_of = {sid: topic_by_key[parent_of.get(key, key)] for key, sid in zip(members, ids)  # type: ignore[call-overload]
                    if parent_of.get(key, key) in topic_by_key}  # type: ignore[call-overload]
    position = {a.id: n for n, a in enumerate(articles)}
    stories = [Story(sid, tuple(m), topic_of.get(sid) or topic_id(sid)) for sid, m in zip(ids, members.values())]
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
        self._mat = _Rows()                  # sublinear tf rows of earlier batches' originals (CSR blocks)
        self._n_rows = 0
        self._days = array("d")              # per row (8 bytes each, not a Python float)
        self._sources = array("i")           # outlet code per row (-1: none), for the event split
        self._source_code: dict[str, int] = {}
        self._story_of_row = array("i")      # story index of each row
        self._rows_of_story: list[array[int]] = []
        self._story_ids: list[str] = []
        self._members: list[list[str]] = []  # every article id, duplicates included
        self._story_of: dict[str, int] = {}
        self._postings: dict[int, array[int]] = {}  # term -> rows (4 bytes a row, not a Python int each)
        self._topic_of: list[str] = []       # topic id of each story (newsdesk.topics)
        self._index_of: dict[str, int] = {}  # story id -> index
        self._first_day: list[float] = []    # first and last day of each story's originals (NaN: undated)
        self._last_day: list[float] = []
        self._event_parent: dict[int, int] = {}  # in one add: a story split off by the event split -> its parent

    def __len__(self) -> int:
        return len(self._story_of)

    def stories(self) -> list[Story]:
        out = [Story(sid, tuple(m), t) for sid, m, t in zip(self._story_ids, self._members, self._topic_of)]
        return sorted(out, key=lambda s: -len(s.article_ids))  # stable: creation order breaks ties

    def story_of(self, article_id: str) -> str | None:
        k = self._story_of.get(article_id)
        return None if k is None else self._story_ids[k]

    def topic_of(self, story_id: str) -> str | None:
        """The topic of a story (set when the story was created; stable afterwards)."""
        k = self._index_of.get(story_id)
        return None if k is None else self._topic_of[k]

    def topics(self) -> dict[str, str]:
        """{story id: topic id} of every story."""
        return dict(zip(self._story_ids, self._topic_of))

    def _note_day(self, k: int, day: float) -> None:
        """Widen story k's span to ``day`` (NaN: undated, no change)."""
        if not np.isnan(day):
            self._first_day[k] = float(np.fmin(self._first_day[k], day))
            self._last_day[k] = float(np.fmax(self._last_day[k], day))

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
        batch_days = {a.id: _days(a) for a in batch}
        for a in batch:
            marked = a.duplicate_of is not None and a.duplicate_of != a.id and (
                a.duplicate_of in self._story_of or a.duplicate_of in batch_ids)
            target = a.duplicate_of if marked else self._dups.add(a)
            if target is not None and target != a.id and not self.far_copy(a, target, batch_days):
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
        n_before = len(self._story_ids)
        self._event_parent = {}
        story_of_pos = self._place(originals, counts, idf) if counts is not None else []
        if counts is not None:
            self._assign_topics(range(n_before, len(self._story_ids)), idf)
            for k, parent in self._event_parent.items():
                self._topic_of[k] = self._topic_of[parent]
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

    def far_copy(self, a: Article, target: str, batch_days: dict[str, float]) -> bool:
        """Whether copy ``a`` of ``target`` is clustered as an original (:func:`far_copy`): against the
        target's date when it is in the batch, else against the span of the target's story so far."""
        if target in batch_days:
            return far_copy(_days(a), (batch_days[target],) * 2, self.options)
        k = self._story_of.get(target)
        return k is not None and far_copy(_days(a), (self._first_day[k], self._last_day[k]), self.options)

    def _place(self, originals: list[Article], counts: Any, idf: np.ndarray) -> list[int]:
        """Story index of each original of a batch (indexed as it goes): the batch's own stories first
        (the batch rule), then each joins the existing story with the highest average similarity
        between their members, or stays new."""
        thr, window = self.options.cluster_threshold, self.options.cluster_window_days
        story_of_pos = [-1] * len(originals)
        vecs = _weigh(counts, idf)
        bdays = np.array([_days(a) for a in originals])
        groups: dict[int, list[int]] = {}
        labels = _split_time(_labels(vecs, bdays, thr, window, time_weight(self.options),
                                     self.options.cluster_dated_linkage), bdays,
                             self.options.story_gap_days, self.options.story_span_days)
        for p, lab in enumerate(labels):
            groups.setdefault(int(lab), []).append(p)
        group_list = list(groups.values())  # in order of their first article
        best = self._best_stories(counts, vecs, group_list, bdays, idf, thr, window)
        main: dict[int, int] = {}  # first piece of a split group -> its story
        bsrc = np.array([self.source_code(a) for a in originals], dtype=np.int64)
        for ps, k, parent in self._event_pieces(group_list, best, counts, vecs, bdays, idf, bsrc):
            if k < 0:
                k = self._new_story(originals[ps[0]].id)
                if parent is not None:  # a piece of a story's event split: the story's topic
                    self._event_parent[k] = parent if parent >= 0 else main[-parent - 1]
                else:
                    main.setdefault(ps[0], k)
            for p in ps:
                story_of_pos[p] = k
        old = self._n_rows
        for p in range(len(originals)):
            r, k = old + p, story_of_pos[p]
            self._days.append(float(bdays[p]))
            self._sources.append(int(bsrc[p]))
            self._note_day(k, float(bdays[p]))
            self._story_of_row.append(k)
            self._rows_of_story[k].append(r)
            for term in self._top_terms(counts[p], idf):
                self._postings.setdefault(term, array("i")).append(r)
        self._n_rows += len(originals)
        self._mat.append(counts)
        return story_of_pos

    def source_code(self, a: Article) -> int:
        """The outlet code of an article (-1: no source), stable for the clusterer's life."""
        k = _source_key(a)
        return self._source_code.setdefault(k, len(self._source_code)) if k else -1

    def _event_pieces(self, groups: list[list[int]], best: list[int], counts: Any, vecs: Any, bdays: np.ndarray,
                      idf: np.ndarray, bsrc: np.ndarray) -> list[tuple[list[int], int, int | None]]:
        """Each batch group with the story it joins (``best``), cut into events (``newsdesk.events``) together
        with that story's rows: ``(positions, story or -1, parent)``; a piece holding none of the story's rows
        is a new story whose topic is its parent's (the story index, or ``-1 - p`` for the story of the piece
        starting at batch position ``p``)."""
        from . import events

        if not events.enabled(self.options) or not (~np.isnan(bdays)).any():
            return [(ps, k, None) for ps, k in zip(groups, best)]
        w = self.options.event_split_days + max(self.options.story_span_days, 0)
        odays = np.asarray(self._days, dtype=np.float64)
        lo, hi = np.nanmin(bdays) - w, np.nanmax(bdays) + w
        old = set(np.flatnonzero((odays >= lo) & (odays <= hi)).tolist())
        for k in best:
            if k >= 0:
                old.update(self._rows_of_story[k])
        rows = np.array(sorted(old), dtype=np.int64)
        ev_w = _event_weights(self._df, max(self._n, 1), self.options)
        stored = self._mat[rows] if len(rows) else counts[:0]
        x = _compact(_vstack([_weigh(stored, idf), vecs]))
        ev = _vstack([_weigh(stored, ev_w), _weigh(counts, ev_w)])
        lead = _compact(_vstack([stored[:, -N_FEATURES:], counts[:, -N_FEATURES:]]))
        days = np.concatenate([odays[rows], bdays])
        srcs = np.concatenate([np.asarray(self._sources, dtype=np.int64)[rows], bsrc])
        where = {r: i for i, r in enumerate(rows.tolist())}
        out: list[tuple[list[int], int, int | None]] = []
        for ps, k in zip(groups, best):
            mine = [where[r] for r in self._rows_of_story[k]] if k >= 0 else []
            members = np.array(mine + [len(rows) + p for p in ps], dtype=np.int64)
            if np.isnan(days[members]).any():
                out.append((ps, k, None))
                continue
            bg = events.background(x, days, members, np.arange(len(days)), self.options)
            full = events.pieces(lead[members], ev[members], lead[bg], self.options, srcs[members], days[members])
            lab = full[len(mine):]
            kept = set(full[: len(mine)].tolist()) if mine else {int(lab[0])}
            joined = [p for p, lb in zip(ps, lab) if lb in kept]
            if joined:
                out.append((joined, k, None))
            first = -1 - joined[0] if k < 0 else k
            for piece in sorted(set(lab.tolist()) - kept):
                out.append(([p for p, lb in zip(ps, lab) if lb == piece], -1, first))
        return sorted(out, key=lambda o: o[0][0])  # stories open in order of their first article

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
        undated = np.bincount(owner, weights=np.isnan(np.asarray(self._days)[rows]), minlength=len(stories))
        out = []
        for ps, cands in zip(groups, found_of):
            if not cands:
                out.append(-1)
                continue
            sub = sims[:, ps].tocoo()
            r, c, v = sub.row, sub.col, sub.data
            if rdays is not None:
                gap = np.abs(rdays[r] - bdays[np.asarray(ps)][c])
                keep = ~(gap > window)
                r, v = r[keep], (v * time_weight(self.options)(gap))[keep]
            idx = np.array([slot[k] for k in cands], dtype=np.int64)
            mean = self._linkage(owner[r], v, sizes, idx, len(ps), undated, bool(np.isnan(bdays[ps]).any()))
            mean = np.where(self._closed(cands, bdays[np.asarray(ps)]), -np.inf, mean)
            best = int(np.argmax(mean))  # ties: the first, i.e. the oldest story
            out.append(cands[best] if mean[best] >= thr - 1e-12 else -1)
        return out

    def _linkage(self, own: np.ndarray, v: np.ndarray, sizes: np.ndarray, idx: np.ndarray, n_new: int,
                 undated: np.ndarray, group_undated: bool) -> np.ndarray:
        """Similarity of a new group with the candidate stories ``idx`` from the pair similarities ``v``
        (story slot ``own`` of each; absent pairs are 0): the average over all pairs, or with
        ``cluster_dated_linkage`` complete, when the group and the story are all dated, the lowest."""
        total = np.bincount(own, weights=v, minlength=len(sizes))
        score = total[idx] / (sizes[idx] * n_new)
        if self.options.cluster_dated_linkage == "complete" and not group_undated:
            lowest = np.full(len(sizes), np.inf)
            np.minimum.at(lowest, own, v)
            full = np.bincount(own, minlength=len(sizes)) == sizes * n_new  # no absent (0) pair
            low = np.where(full, lowest, 0.0)[idx]
            score = np.where(undated[idx] == 0, low, score)
        return score

    def _closed(self, cands: list[int], bd: np.ndarray) -> np.ndarray:
        """Which candidate stories a group dated ``bd`` may not join: silent for longer than
        ``story_gap_days`` before the group's first day, or spanning more than ``story_span_days``
        (first to last article) with the group."""
        closed = np.zeros(len(cands), dtype=bool)
        if (~np.isnan(bd)).any():
            lo, hi = float(np.nanmin(bd)), float(np.nanmax(bd))
            first = np.asarray([self._first_day[k] for k in cands])
            last = np.asarray([self._last_day[k] for k in cands])
            gap, span = self.options.story_gap_days, self.options.story_span_days
            if gap >= 0:  # NaN (an undated story) never closes
                closed |= (lo - last) > gap
            if span >= 0:
                closed |= (np.fmax(hi, last) - np.fmin(lo, first)) > span
        return closed

    def _new_story(self, first_id: str) -> int:
        return self._open_story(story_id(first_id))

    def _open_story(self, sid: str, topic: str | None = None) -> int:
        """A new, empty story ``sid`` (its own topic unless ``topic`` is given); returns its index."""
        from .topics import topic_id

        self._index_of[sid] = len(self._story_ids)
        self._story_ids.append(sid)
        self._members.append([])
        self._rows_of_story.append(array("i"))
        self._topic_of.append(topic or topic_id(sid))  # its own topic until _assign_topics links it
        self._first_day.append(np.nan)
        self._last_day.append(np.nan)
        return len(self._story_ids) - 1

    def _join(self, k: int, aid: str) -> None:
        self._members[k].append(aid)
        self._story_of[aid] = k

    def _assign_topics(self, new: range, idf: np.ndarray) -> None:
        """The topic of each story created by this ``add`` (``newsdesk.topics``: the topic of the most
        similar earlier story within the gap), in chronological order.  Candidates: every story whose
        last article is within ``topic_gap_days`` of the new stories (centroids in one product)."""
        from .topics import centroids, choose_topic

        gap = self.options.topic_gap_days
        dated = [k for k in new if self._rows_of_story[k] and not np.isnan(self._first_day[k])
                 and k not in self._event_parent]
        if not dated:
            return
        start = min(self._first_day[k] for k in dated)
        old = [c for c in range(new.start) if self._rows_of_story[c] and self._last_day[c] >= start - gap]
        cands = sorted(old + dated, key=lambda c: (self._first_day[c], c))
        members = [self._rows_of_story[c] for c in cands]
        flat = [r for m in members for r in m]
        local, n = [], 0
        for m in members:
            local.append(list(range(n, n + len(m))))
            n += len(m)
        cent = centroids(_weigh(self._mat[flat], idf), local)
        cent_t = cent.T.tocsc()
        pos = {c: i for i, c in enumerate(cands)}
        last = np.array([self._last_day[c] for c in cands])
        done = np.array([c < new.start for c in cands])
        tsum = _TopicSums(self, idf)
        for k in sorted(dated, key=lambda c: (self._first_day[c], self._story_ids[c])):
            i = pos[k]
            sims = (cent[i] @ cent_t).toarray().ravel()
            ok = np.flatnonzero(done)
            names = [self._topic_of[cands[j]] for j in ok]
            tsim = ({t: tsum.cos(cent[i], t) for t in set(names)} if self.options.topic_floor > 0 and names
                    else None)
            got = choose_topic(self._first_day[k], sims[ok], last[ok], names, self.options, tsim)
            if got is not None:
                self._topic_of[k] = got
                tsum.joined(k, got)
            done[i] = True

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


class _TopicSums:
    """Sums of the weighted rows of each topic's stories, computed when first needed during one
    ``Clusterer._assign_topics`` call and kept up to date as stories join.  Each sum is a sparse
    1 x columns row with its norm kept beside it (a dense sum is 8 MB of a 2**20-column space, and its
    norm cost 7 ms per comparison: 24 s of a 1,000-article ``Store.add``)."""

    def __init__(self, c: Clusterer, idf: np.ndarray) -> None:
        self.c, self.idf = c, idf
        self.stories: dict[str, list[int]] | None = None
        self.sums: dict[str, Any] = {}
        self.norms: dict[str, float] = {}

    def _rows_sum(self, ks: list[int]) -> Any:
        import scipy.sparse as sp

        rows = [r for k in ks for r in self.c._rows_of_story[k]]
        m = _weigh(self.c._mat[rows], self.idf)  # summed per column (a product's cost grows with the columns)
        cols, inv = np.unique(m.indices, return_inverse=True)
        return sp.csr_matrix((np.bincount(inv, weights=m.data, minlength=len(cols)), cols, [0, len(cols)]),
                             shape=(1, m.shape[1]))

    def _set(self, topic: str, v: Any) -> None:
        self.sums[topic] = v
        self.norms[topic] = float(np.sqrt(v.data @ v.data))

    def cos(self, unit_row: Any, topic: str) -> float:
        if topic not in self.sums:
            if self.stories is None:
                self.stories = {}
                for k, t in enumerate(self.c._topic_of):
                    self.stories.setdefault(t, []).append(k)
            self._set(topic, self._rows_sum(self.stories.get(topic, [])))
        nv = self.norms[topic]
        if nv <= 0:
            return 0.0
        v = self.sums[topic]  # the dot product on the shared columns (scipy's products go over all 2**20)
        _, i, j = np.intersect1d(unit_row.indices, v.indices, assume_unique=True, return_indices=True)
        return float(unit_row.data[i] @ v.data[j]) / nv

    def joined(self, k: int, topic: str) -> None:
        if topic in self.sums:
            self._set(topic, self.sums[topic] + self._rows_sum([k]))
        if self.stories is not None:
            self.stories.setdefault(topic, []).append(k)


class _Rows:
    """The clusterer's term rows (sublinear tf, one per original), kept in the CSR blocks they were added in
    (a batch each): adding a batch never copies the earlier rows (a ``vstack`` of the whole matrix per batch
    was the peak memory of a growing store), and ``rows[ids]`` gathers rows from their blocks.

    With ``spill`` (an object with ``put(i, block)`` and ``get(i) -> block``: a store's table), only the
    ``keep`` newest blocks stay in memory; older ones are put there and read back when a gather needs them."""

    def __init__(self, keep: int = 0, spill: Any = None) -> None:
        self.blocks: list[Any] = []
        self.starts: list[int] = []
        self.n = 0
        self.cols = 0
        self.keep, self.spill = keep, spill

    def append(self, block: Any) -> None:
        self.starts.append(self.n)
        self.blocks.append(block)
        self.n += block.shape[0]
        self.cols = block.shape[1]
        if self.spill is not None and self.keep > 0:
            for i in range(len(self.blocks) - self.keep):
                if self.blocks[i] is not None:
                    self.spill.put(i, self.blocks[i])
                    self.blocks[i] = None

    def _block(self, i: int) -> Any:
        b = self.blocks[i]
        return b if b is not None else self.spill.get(i)

    def __len__(self) -> int:
        return self.n

    def __getitem__(self, rows: Any) -> Any:
        """The CSR matrix of ``rows`` (row numbers over all blocks), in that order."""
        rows = np.asarray(rows, dtype=np.int64).ravel()
        if not self.blocks or len(rows) == 0:
            import scipy.sparse as sp

            return sp.csr_matrix((0, self.cols))
        which = np.searchsorted(np.asarray(self.starts), rows, side="right") - 1
        order = np.argsort(which, kind="stable")
        parts = [self._block(b)[rows[order][which[order] == b] - self.starts[b]] for b in np.unique(which)]
        got = parts[0] if len(parts) == 1 else _vstack(parts)
        back = np.empty_like(order)
        back[order] = np.arange(len(order))
        return got[back]

    def whole(self) -> Any:
        """Every row as one CSR matrix (tests)."""
        return self[np.arange(self.n)]


def _vstack(rows: list[Any]) -> Any:
    import scipy.sparse as sp

    return sp.vstack(rows, format="csr")
