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
import sqlite3
import zlib
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from .models import Article
from .options import DEFAULT_OPTIONS, Options
from .unionfind import UnionFind

__all__ = ["find_duplicates", "mark_duplicates", "normalise", "shingles", "containment", "coverage", "DuplicateIndex"]

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


def coverage(part: np.ndarray, whole: np.ndarray) -> float:
    """Share of the shingle set ``part`` found in ``whole`` (1 for an empty ``part``)."""
    if len(part) == 0:
        return 1.0
    return len(np.intersect1d(part, whole, assume_unique=True)) / len(part)


def containment(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the smaller shingle set found in the other."""
    if len(a) == 0 or len(b) == 0:
        return 0.0
    return coverage(a, b) if len(a) <= len(b) else coverage(b, a)


_PERM_CHUNK = 2048  # shingles hashed at once (a 128 x 2048 uint64 block: 2 MB)


@lru_cache(maxsize=1)
def _permutations() -> tuple[np.ndarray, np.ndarray]:
    """The 128 (a, b) of the hash functions, drawn once from a fixed seed (the same in every process)."""
    rng = np.random.default_rng(1)
    top = np.iinfo(np.uint64).max
    a = rng.integers(0, top, size=NUM_PERM, dtype=np.uint64, endpoint=True) | np.uint64(1)
    b = rng.integers(0, top, size=NUM_PERM, dtype=np.uint64, endpoint=True)
    return a[:, None], b[:, None]


def _minhash(sh: np.ndarray) -> np.ndarray:
    """The MinHash signature of a shingle set: per hash function ``(a * x + b) mod 2**64 >> 32`` (multiply-add-
    shift hashing of the 64-bit shingle hashes), its minimum over the set; 128 uint32 values.  numpy only (no
    datasketch: its import pulls scipy.integrate, 0.7 s of start-up)."""
    a, b = _permutations()
    out = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for k in range(0, len(sh), _PERM_CHUNK):
            x = sh[None, k:k + _PERM_CHUNK]
            np.minimum(out, ((a * x + b) >> np.uint64(32)).min(axis=1), out=out)
    return out.astype(np.uint32)


def _area(y: np.ndarray, x: np.ndarray) -> float:
    """Trapezoid rule (``np.trapezoid`` is numpy >= 2 only)."""
    return float(np.sum((y[1:] + y[:-1]) * np.diff(x)) / 2) if len(x) > 1 else 0.0


def optimal_bands(threshold: float, num_perm: int) -> tuple[int, int]:
    """(bands, rows) of an LSH for Jaccard ``threshold``: the split minimising the false-positive plus the
    false-negative area under the band collision curve (datasketch's ``_optimal_param`` with equal weights)."""
    s = np.linspace(0.0, 1.0, 2001)
    best, best_err = (1, num_perm), float("inf")
    for bands in range(1, num_perm + 1):
        for rows in range(1, num_perm // bands + 1):
            p = 1.0 - (1.0 - s ** rows) ** bands
            lo, hi = s <= threshold, s >= threshold
            err = 0.5 * _area(p[lo], s[lo]) + 0.5 * _area(1.0 - p[hi], s[hi])
            if err < best_err:
                best, best_err = (bands, rows), err
    return best


def _exact_key(words: Sequence[str]) -> bytes:
    return hashlib.sha1(" ".join(words).encode()).digest()


class ExactKeys:
    """Exact-copy keys (the 20-byte SHA-1 of the normalised text) -> the first article's id, kept compact: the
    keys in one sorted numpy array with the 4-byte position of their id (24 bytes an article instead of a dict
    entry, a 40-character hex string and its id: about 170 bytes), the newest ``MERGE`` in a dict until they
    are merged.  Whole digests: a key matches only its own text's digest, as the dict of digests did."""

    MERGE = 512

    def __init__(self) -> None:
        self._ids: list[str] = []
        self._keys = np.empty(0, dtype="S20")
        self._pos = np.empty(0, dtype=np.int32)
        self._pending: dict[bytes, int] = {}

    def __len__(self) -> int:
        return len(self._ids)

    def get(self, key: bytes) -> str | None:
        i = self._pending.get(key)
        if i is None and len(self._keys):
            j = int(np.searchsorted(self._keys, key))
            if j < len(self._keys) and self._keys[j] == key.rstrip(b"\0"):  # numpy drops trailing NULs
                i = int(self._pos[j])
        return None if i is None else self._ids[i]

    def put(self, key: bytes, aid: str) -> None:
        """Record ``key`` for ``aid`` (a key not recorded yet: :meth:`get` gave ``None``)."""
        self._pending[key] = len(self._ids)
        self._ids.append(aid)
        if len(self._pending) >= self.MERGE:
            keys = np.concatenate([self._keys, np.array(list(self._pending), dtype="S20")])
            pos = np.concatenate([self._pos, np.fromiter(self._pending.values(), dtype=np.int32,
                                                         count=len(self._pending))])
            order = np.argsort(keys, kind="stable")
            self._keys, self._pos = keys[order], pos[order]
            self._pending = {}


class BandIndex:
    """MinHash LSH over ``bands`` bands of ``rows`` hash values (:func:`optimal_bands` for
    ``LSH_THRESHOLD``), kept compact: each band of each signature is folded to one 32-bit key held in
    sorted numpy arrays (8 bytes per band and article) instead of datasketch's dict of sets (about
    16 KB per article, most of a long-lived store's memory).  ``query`` gives the ids sharing a band
    key, as datasketch's does (a 32-bit collision adds a candidate, which containment then checks)."""

    MERGE = 512  # signatures held unsorted before they are merged into the sorted arrays

    def __init__(self, threshold: float = LSH_THRESHOLD, num_perm: int = NUM_PERM, on_disk: bool = False) -> None:
        if (threshold, num_perm) == (0.5, 128):
            self.bands, self.rows = 25, 5  # optimal_bands(0.5, 128), datasketch's too (a test checks)
        else:
            self.bands, self.rows = optimal_bands(threshold, num_perm)
        self._ids: list[str] = []
        self._keys = np.empty((self.bands, 0), dtype=np.uint32)   # per band, sorted
        self._rows = np.empty((self.bands, 0), dtype=np.int32)    # id index of each key, same order
        self._pending: list[np.ndarray] = []                      # band keys not merged yet
        self._pending_at = 0                                      # id index of the first pending one
        self._pending_rows = np.empty((self.MERGE, self.bands), dtype=np.uint32)  # the same, one row each
        # on_disk: merged keys go to a private temporary SQLite table instead (memory flat as a store grows)
        self._db = _band_table() if on_disk else None

    def _band_keys(self, m: np.ndarray) -> np.ndarray:
        h = np.asarray(m[:self.bands * self.rows], dtype=np.uint64).reshape(self.bands, self.rows)
        acc = np.zeros(self.bands, dtype=np.uint64)
        with np.errstate(over="ignore"):
            for c in range(self.rows):
                acc = (acc ^ h[:, c]) * np.uint64(0x9E3779B97F4A7C15)
                acc ^= acc >> np.uint64(31)
        return (acc >> np.uint64(32)).astype(np.uint32)  # 32 bits: a collision only adds a candidate

    def insert(self, key: str, m: np.ndarray) -> None:
        if not self._pending:
            self._pending_at = len(self._ids)
        self._ids.append(key)
        keys = self._band_keys(m)
        self._pending_rows[len(self._pending)] = keys  # queried without stacking the list each time
        self._pending.append(keys)
        if len(self._pending) >= self.MERGE:
            self._merge()

    def _merge(self) -> None:
        new = np.stack(self._pending, axis=1)  # bands x pending
        rows = np.broadcast_to(np.arange(self._pending_at, self._pending_at + new.shape[1], dtype=np.int32),
                               new.shape)
        if self._db is not None:
            codes = (np.arange(self.bands, dtype=np.int64)[:, None] << 32) | new.astype(np.int64)
            order = np.argsort(codes, axis=None, kind="stable")
            self._db.executemany("INSERT INTO bands VALUES (?, ?)",
                                 zip(codes.ravel()[order].tolist(), rows.ravel()[order].tolist()))
            self._pending = []
            return
        keys, ids = np.concatenate([self._keys, new], axis=1), np.concatenate([self._rows, rows], axis=1)
        order = np.argsort(keys, axis=1, kind="stable")
        self._keys, self._rows = np.take_along_axis(keys, order, 1), np.take_along_axis(ids, order, 1)
        self._pending = []

    def query(self, m: np.ndarray) -> list[str]:
        want = self._band_keys(m)
        found: set[int] = set()
        if self._db is not None:
            codes = [(b << 32) | int(k) for b, k in enumerate(want.tolist())]
            found.update(r for (r,) in self._db.execute(
                f"SELECT row FROM bands WHERE code IN ({','.join('?' * len(codes))})", codes))
        for b in range(self.bands if self._keys.shape[1] else 0):
            lo, hi = np.searchsorted(self._keys[b], want[b], "left"), np.searchsorted(self._keys[b], want[b], "right")
            found.update(self._rows[b, lo:hi].tolist())
        if self._pending:
            hits = np.nonzero((self._pending_rows[:len(self._pending)] == want).any(axis=1))[0]
            found.update(int(i) + self._pending_at for i in hits)
        return [self._ids[i] for i in found]


# Page cache (KiB) of a private temporary SQLite database (the store's band keys here, the clusterer's spilled
# term rows in store.py): SQLite's default, 2 MB each, filled as the store grew from 2,000 to 8,000 articles
# and was most of what was left of ``Store.add``'s RSS growth (benchmarks/bench_memory.py); pages beyond it are
# read back from the temporary file (the OS's page cache).
TEMP_CACHE_KIB = 128


def temporary_database() -> sqlite3.Connection:
    """A private temporary SQLite database (its file is deleted when the connection closes) with a
    ``TEMP_CACHE_KIB`` page cache: what it holds beyond that stays on disk."""
    db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
    db.execute(f"PRAGMA cache_size = -{TEMP_CACHE_KIB}")
    return db


def _band_table() -> sqlite3.Connection:
    """A temporary database holding band keys: ``code`` is the band number << 32 | its 32-bit key, ``row``
    the id index."""
    db = temporary_database()
    db.execute("CREATE TABLE bands (code INTEGER, row INTEGER, PRIMARY KEY (code, row)) WITHOUT ROWID")
    return db


class DuplicateIndex:
    """Online duplicate detection: ``add(article)`` returns the id of an earlier
    article it copies (exactly or nearly), else ``None`` and the article becomes an
    original others may copy.  The first one seen is the original.

    With ``text_of`` (id -> stored text, or ``None``: a store), the shingle sets that confirm a
    candidate are not all kept: the ``options.dedup_cache_articles`` most recently used are, and
    any other is computed again from the stored text when the LSH names it (memory stays flat as
    the store grows; candidates are few)."""

    def __init__(self, options: Options = DEFAULT_OPTIONS,
                 text_of: Callable[[str], str | None] | None = None) -> None:
        self.options = options
        self._exact = ExactKeys()
        self._lsh = BandIndex(on_disk=text_of is not None)  # a store's: band keys on disk too
        self._sets: OrderedDict[str, np.ndarray] = OrderedDict()
        self._text_of = text_of
        self._bound = max(1, options.dedup_cache_articles) if text_of is not None else 0

    def _shingles_of(self, aid: str) -> np.ndarray | None:
        sh = self._sets.get(aid)
        if sh is not None:
            if self._bound:
                self._sets.move_to_end(aid)
            return sh
        text = self._text_of(aid) if self._text_of is not None else None
        if text is None:
            return None
        sh = shingles(normalise(text))
        self._keep(aid, sh)
        return sh

    def _keep(self, aid: str, sh: np.ndarray) -> None:
        self._sets[aid] = sh
        if self._bound:
            self._sets.move_to_end(aid)
            while len(self._sets) > self._bound:
                self._sets.popitem(last=False)

    def add(self, article: Article) -> str | None:
        words = normalise(article.text)
        if words:
            key = _exact_key(words)
            first = self._exact.get(key)
            if first is not None:
                return first
            self._exact.put(key, article.id)
        if len(words) < 2 * SHINGLE:  # too short to call a near copy
            return None
        sh = shingles(words)
        m = _minhash(sh)
        best = None
        for other in sorted(self._lsh.query(m)):
            theirs = self._shingles_of(other)
            if theirs is not None and containment(theirs, sh) >= self.options.near_duplicate_threshold:
                best = other
                break
        if best is not None:
            return best
        self._keep(article.id, sh)
        self._lsh.insert(article.id, m)
        return None


def find_duplicates(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> dict[str, str]:
    """Map duplicate id -> original id (does not depend on the input order)."""
    sets_of = UnionFind(range(len(articles)))
    find = sets_of.find

    def union(i: int, j: int) -> None:
        ri, rj = find(i), find(j)
        sets_of.union(min(ri, rj), max(ri, rj))  # the earliest index stays the root

    by_hash: dict[bytes, int] = {}
    lsh = BandIndex()
    sets: dict[int, np.ndarray] = {}
    for i, a in enumerate(articles):
        w = normalise(a.text)
        if not w:
            continue
        h = _exact_key(w)
        if h in by_hash:
            union(by_hash[h], i)
            if by_hash[h] in sets:
                sets[i] = sets[by_hash[h]]  # the same array: an exact copy holds its original's content
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
        orig = min(_covering(members, sets, options.near_duplicate_threshold),
                   key=lambda i: _original_key(articles[i], i))
        for i in members:
            if i != orig:
                out[articles[i].id] = articles[orig].id
    return out


def _covering(members: list[int], sets: dict[int, np.ndarray], threshold: float) -> list[int]:
    """The members of a copy group that hold the content of every other member (each other's shingles
    found in it at ``threshold``): the original is chosen among them, so that a later, fuller version of a
    wire story is not set aside as a copy of its shorter first edition (its added paragraphs would be lost to
    the summary).  Exact copies share their original's set; when no member covers all (a chain of partial
    copies), every member may be the original."""
    known = [i for i in members if i in sets]
    out = [i for i in known
           if all(coverage(sets[j], sets[i]) >= threshold for j in known if j != i)]
    return out or members


def _original_key(a: Article, pos: int) -> tuple:
    # earliest, then crediting a wire, then the fuller text, then the smaller id (so
    # the choice does not depend on input order)
    return (a.published or _dt.date.max, 0 if a.meta.get("credit") else 1, -len(a.text), a.id)


def mark_duplicates(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> list[Article]:
    """The articles with ``duplicate_of`` set for every copy."""
    dups = find_duplicates(articles, options)
    return [a.with_(duplicate_of=dups[a.id]) if a.id in dups else a for a in articles]
