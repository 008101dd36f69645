"""Hashed term counts without scikit-learn (importing it costs about 0.9 s of start-up).

:func:`hashed_counts` gives exactly the matrix of scikit-learn's
``HashingVectorizer(analyzer=identity, n_features=n, alternate_sign=False, norm=None)`` (signed 32-bit
MurmurHash3 of the UTF-8 token, seed 0, column ``|h| mod n``), and :data:`ENGLISH_STOP_WORDS` is the
stop list scikit-learn ships (the Glasgow Information Retrieval Group's, BSD-3 licence); a test checks
both against scikit-learn when it is installed.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = ["ENGLISH_STOP_WORDS", "N_FEATURES", "murmurhash3_32", "hashed_counts", "l2_normalize"]

N_FEATURES = 1 << 20   # hashed feature space of the clustering blocks (collisions negligible for news vocabularies)

ENGLISH_STOP_WORDS = frozenset("""
a about above across after afterwards again against all almost alone along already also although always am
among amongst amoungst amount an and another any anyhow anyone anything anyway anywhere are around as at back
be became because become becomes becoming been before beforehand behind being below beside besides between
beyond bill both bottom but by call can cannot cant co con could couldnt cry de describe detail do done down
due during each eg eight either eleven else elsewhere empty enough etc even ever every everyone everything
everywhere except few fifteen fifty fill find fire first five for former formerly forty found four from front
full further get give go had has hasnt have he hence her here hereafter hereby herein hereupon hers herself
him himself his how however hundred i ie if in inc indeed interest into is it its itself keep last latter
latterly least less ltd made many may me meanwhile might mill mine more moreover most mostly move much must my
myself name namely neither never nevertheless next nine no nobody none noone nor not nothing now nowhere of
off often on once one only onto or other others otherwise our ours ourselves out over own part per perhaps
please put rather re same see seem seemed seeming seems serious several she should show side since sincere six
sixty so some somehow someone something sometime sometimes somewhere still such system take ten than that the
their them themselves then thence there thereafter thereby therefore therein thereupon these they thick thin
third this those though three through throughout thru thus to together too top toward towards twelve twenty
two un under until up upon us very via was we well were what whatever when whence whenever where whereafter
whereas whereby wherein whereupon wherever whether which while whither who whoever whole whom whose why will
with within without would yet you your yours yourself yourselves
""".split())

_C1, _C2, _M32 = 0xCC9E2D51, 0x1B873593, 0xFFFFFFFF


def murmurhash3_32(data: bytes, seed: int = 0) -> int:
    """MurmurHash3 x86 32-bit of ``data``, as a signed int (scikit-learn's ``murmurhash3_32``)."""
    h = seed & _M32
    n4 = len(data) & ~3
    for k in np.frombuffer(data[:n4], dtype="<u4").tolist() if n4 else ():
        k = (k * _C1) & _M32
        k = ((k << 15) | (k >> 17)) & _M32
        h ^= (k * _C2) & _M32
        h = ((h << 13) | (h >> 19)) & _M32
        h = (h * 5 + 0xE6546B64) & _M32
    tail = data[n4:]
    if tail:
        k = int.from_bytes(tail, "little")
        k = (k * _C1) & _M32
        k = ((k << 15) | (k >> 17)) & _M32
        h ^= (k * _C2) & _M32
    h ^= len(data)
    h ^= h >> 16
    h = (h * 0x85EBCA6B) & _M32
    h ^= h >> 13
    h = (h * 0xC2B2AE35) & _M32
    h ^= h >> 16
    return h - (1 << 32) if h & 0x80000000 else h


# Column of a token; bounded (a news vocabulary's common words stay, the long tail is recomputed).
@lru_cache(maxsize=1 << 17)
def _column(token: str, n_features: int) -> int:
    h = murmurhash3_32(token.encode("utf-8"))
    if h == -(1 << 31):  # |INT_MIN| overflows in scikit-learn's C code: its special case
        return (2147483647 - (n_features - 1)) % n_features
    return abs(h) % n_features


def hashed_counts(docs: Sequence[Sequence[str]], n_features: int) -> Any:
    """CSR matrix (float64) of token counts, one row per document, duplicates summed."""
    import scipy.sparse as sp

    indptr = [0]
    indices: list[int] = []
    for tokens in docs:
        indices.extend(_column(t, n_features) for t in tokens)
        indptr.append(len(indices))
    x = sp.csr_matrix((np.ones(len(indices)), np.asarray(indices, dtype=np.int32),
                       np.asarray(indptr, dtype=np.int64)), shape=(len(docs), n_features))
    x.sum_duplicates()
    return x


def l2_normalize(x: Any) -> Any:
    """Rows of CSR ``x`` scaled to unit length in place (zero rows stay zero), as
    ``sklearn.preprocessing.normalize(x, norm="l2", copy=False)`` does."""
    lengths = np.diff(x.indptr)
    rows = np.repeat(np.arange(x.shape[0]), lengths)
    norms = np.sqrt(np.bincount(rows, weights=x.data ** 2, minlength=x.shape[0]))
    norms[norms == 0.0] = 1.0
    x.data /= np.repeat(norms, lengths)
    return x
