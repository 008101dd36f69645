"""Exact and near-duplicate detection (cheap tier, no spaCy).

* exact copies: SHA-1 of the normalised text (lower case, letters and digits only);
* near copies (syndicated reprints with light edits): MinHash of word 5-shingles
  indexed in an LSH (:class:`BandIndex`, Jaccard >= ``LSH_THRESHOLD``) to find candidate pairs,
  confirmed by the exact containment of the shorter article's shingles in the
  other (>= ``Options.near_duplicate_threshold``).  Containment, not Jaccard, is the
  test because reprints drop or add whole paragraphs: a copy missing one paragraph
  of ten keeps containment near 1 while its Jaccard falls towards 0.8.

Each group of copies keeps one original — the earliest published, then the one
carrying a wire credit (``meta["credit"]``), then the longest text, then the
smallest id — and every other member gets ``duplicate_of`` = its id.
Duplicates are not independent confirmation: later stages count only originals.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
import zlib
from collections.abc import Sequence
from typing import Any

import numpy as np

from .models import Article
from .options import DEFAULT_OPTIONS, Options
from .unionfind import UnionFind

__all__ = ["find_duplicates", "mark_duplicates", "normalise", "shingles", "containment", "DuplicateIndex"]

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
NUM_PERM = 128
SHINGLE = 5
# Candidate recall only (containment confirms each pair afterwards): a reprint with a paragraph
# dropped and one added has shingle Jaccard 0.7-0.9; 0.5 finds such pairs while unrelated news stays < 0.1.
LSH_THRESHOLD = 0.5
_MASK64 = (1 << 64) - 1
_WORD_HASH: dict[str, int] = {}  # word -> crc32 (deterministic across runs, unlike hash())


def normalise(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def shingles(words: Sequence[str], k: int = SHINGLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the word ``k``-shingles (8 bytes each, not Python objects)."""
    if not words:
        return np.zeros(0, dtype=np.uint64)
    cache = _WORD_HASH
    h = np.fromiter((cache.get(w) or cache.setdefault(w, zlib.crc32(w.encode()) | 1) for w in words),
                    dtype=np.uint64, count=len(words))
    if len(h) < k:
        k = len(h)
    with np.errstate(over="ignore"):
        acc = np.zeros(len(h) - k + 1, dtype=np.uint64)
        for off in range(k):  # polynomial hash of the k words, modulo 2**64
            acc = acc * np.uint64(1_000_003) + h[off:off + len(acc)]
        acc ^= acc >> np.uint64(29)
        acc *= np.uint64(0xBF58476D1CE4E5B9)
        acc ^= acc >> np.uint64(32)
    return np.unique(acc)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller shingle set found in the other."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    small, big = (a, b) if len(a) <= len(b) else (b, a)
    return len(np.intersect1d(small, big, assume_unique=True)) / len(small)


def _identity(x: int) -> int:
    return x


_PERMUTATIONS: Any = None


def _minhash(sh: np.ndarray) -> Any:
    from datasketch import MinHash

    global _PERMUTATIONS
    try:  # datasketch >= 2 names its permutation scheme
        extra: dict[str, Any] = {"scheme": "affine32"}
        if _PERMUTATIONS is None:  # drawn once (datasketch draws them per MinHash otherwise)
            _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1, **extra).permutations
    except TypeError:
        extra = {}
        if _PERMUTATIONS is None:
            _PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=1).permutations
    m = MinHash(num_perm=NUM_PERM, seed=1, hashfunc=_identity, permutations=_PERMUTATIONS, **extra)
    m.update_batch((sh & np.uint64(0xFFFFFFFF)).tolist())
    return m


def _exact_key(words: Sequence[str]) -> str:
    return hashlib.sha1(" ".join(words).encode()).hexdigest()


class BandIndex:
    """MinHash LSH over ``bands`` bands of ``rows`` hash values (datasketch's banding for
    ``LSH_THRESHOLD``), kept compact: each band of each signature is folded to one 64-bit key held in
    sorted numpy arrays (12 bytes per band and article) instead of datasketch's dict of sets (about
    16 KB per article, most of a long-lived store's memory).  ``query`` gives the ids sharing a band
    key, as datasketch's does (a 64-bit collision adds a candidate, which containment then checks)."""

    MERGE = 512  # signatures held unsorted before they are merged into the sorted arrays

    def __init__(self, threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM) -> None:
        if (threshold, num_perm) == (0.5, 128):
            self.bands, self.rows = 25, 5  # datasketch's optimum for these (a test checks), without its import
        else:
            from datasketch.lsh import _optimal_param

            self.bands, self.rows = _optimal_param(threshold, num_perm, 0.5, 0.5)
        self._ids: list[str] = []
        self._keys = np.empty((self.bands, 0), dtype=np.uint64)   # per band, sorted
        self._rows = np.empty((self.bands, 0), dtype=np.int32)    # id index of each key, same order
        self._pending: list[np.ndarray] = []                      # band keys not merged yet
        self._pending_at = 0                                      # id index of the first pending one

    def _band_keys(self, m: Any) -> np.ndarray:
        h = np.asarray(m.hashvalues[:self.bands * self.rows], dtype=np.uint64).reshape(self.bands, self.rows)
        acc = np.zeros(self.bands, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for c in range(self.rows):
                acc = (acc ^ h[:, c]) * np.uint64(0x9E3779B97F4A7C15)
                acc ^= acc >> np.uint64(31)
        return acc

    def insert(self, key: str, m: Any) -> None:
        if not self._pending:
            self._pending_at = len(self._ids)
        self._ids.append(key)
        self._pending.append(self._band_keys(m))
        if len(self._pending) >= self.MERGE:
            self._merge()

    def _merge(self) -> None:
        new = np.stack(self._pending, axis=1)  # bands x pending
        rows = np.broadcast_to(np.arange(self._pending_at, self._pending_at + new.shape[1], dtype=np.int32),
                               new.shape)
        keys, ids = np.concatenate([self._keys, new], axis=1), np.concatenate([self._rows, rows], axis=1)
        order = np.argsort(keys, axis=1, kind="stable")
        self._keys, self._rows = np.take_along_axis(keys, order, 1), np.take_along_axis(ids, order, 1)
        self._pending = []

    def query(self, m: Any) -> list[str]:
        want = self._band_keys(m)
        found: set[int] = set()
        for b in range(self.bands if self._keys.shape[1] else 0):
            lo, hi = np.searchsorted(self._keys[b], want[b], "left"), np.searchsorted(self._keys[b], want[b], "right")
            found.update(self._rows[b, lo:hi].tolist())
        if self._pending:
            hits = np.nonzero((np.stack(self._pending) == want).any(axis=1))[0]
            found.update(int(i) + self._pending_at for i in hits)
        return [self._ids[i] for i in found]


class DuplicateIndex:
    """Online duplicate detection: ``add(article)`` returns the id of an earlier
    article it copies (exactly or nearly), else ``None`` and the article becomes an
    original others may copy.  The first one seen is the original."""

    def __init__(self, options: Options = DEFAULT_OPTIONS) -> None:
        self.options = options
        self._exact: dict[str, str] = {}
        self._lsh = BandIndex()
        self._sets: dict[str, np.ndarray] = {}

    def add(self, article: Article) -> str | None:
        words = normalise(article.text)
        if words:
            key = _exact_key(words)
            if key in self._exact:
                return self._exact[key]
            self._exact[key] = article.id
        if len(words) < 2 * SHINGLE:  # too short to call a near copy
            return None
        sh = shingles(words)
        m = _minhash(sh)
        best = None
        for other in sorted(self._lsh.query(m)):
            if containment(self._sets[other], sh) >= self.options.near_duplicate_threshold:
                best = other
                break
        if best is not None:
            return best
        self._sets[article.id] = sh
        self._lsh.insert(article.id, m)
        return None


def find_duplicates(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> dict[str, str]:
    """Map duplicate id -> original id (does not depend on the input order)."""
    sets_of = UnionFind(range(len(articles)))
    find = sets_of.find

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        sets_of.union(min(ri, rj), max(ri, rj))  # the earliest index stays the root

    by_hash: dict[str, int] = {}
    lsh = BandIndex()
    sets: dict[int, np.ndarray] = {}
    for i, a in enumerate(articles):
        w = normalise(a.text)
        if not w:
            continue
        h = _exact_key(w)
        if h in by_hash:
            union(by_hash[h], i)
            continue  # an exact copy: its original stands for it in the near-copy search
        by_hash[h] = i
        if len(w) < 2 * SHINGLE:  # too short to call a near copy
            continue
        sets[i] = shingles(w)
        m = _minhash(sets[i])
        for j in lsh.query(m):
            if containment(sets[int(j)], sets[i]) >= options.near_duplicate_threshold:
                union(int(j), i)
        lsh.insert(str(i), m)

    groups: dict[int, list[int]] = {}
    for i in range(len(articles)):
        groups.setdefault(find(i), []).append(i)
    out: dict[str, str] = {}
    for members in groups.values():
        if len(members) < 2:
            continue
        orig = min(members, key=lambda i: _original_key(articles[i], i))
        for i in members:
            if i != orig:
                out[articles[i].id] = articles[orig].id
    return out


def _original_key(a: Article, pos: int) -> tuple:
    # earliest, then crediting a wire, then the fuller text, then the smaller id (so
    # the choice does not depend on input order)
    return (a.published or _dt.date.max, 0 if a.meta.get("credit") else 1, -len(a.text), a.id)


def mark_duplicates(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> list[Article]:
    """The articles with ``duplicate_of`` set for every copy."""
    dups = find_duplicates(articles, options)
    return [a.with_(duplicate_of=dups[a.id]) if a.id in dups else a for a in articles]
