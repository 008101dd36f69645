"""Language identification of article text (``py3langid``: a model shipped in the package, no download).

Every article read gets ``Article.language`` (an ISO 639-1 code such as ``"en"``): the
language the page or record declares when it gives one, else the language detected from
the text.  A declared language that the text plainly contradicts (a page template saying
``en`` around a French article) is replaced by the detected one.  Non-English articles are
kept; :func:`is_english` lets later stages say what they cannot do for them (the spaCy
pipeline is English: sentence splitting still works, entities and quotes do not).
"""

from __future__ import annotations

import functools
import logging
import os
import re
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError

__all__ = ["detect_language", "normalise_code", "is_english", "resolve_language", "note_non_english"]

logger = logging.getLogger("newsdesk.ingest")

_SAMPLE = 1500  # characters looked at: a confident guess for any real paragraph; 5000 cost 10% of HTML reading
# below this many letters a guess is too unreliable to override anything
_MIN_LETTERS = 40
# normalised-probability above which a detection overrides a declared language.  py3langid's
# probabilities are near 1.0 for any real paragraph; 0.9 leaves out mixed or very short text.
_CONFIDENT = 0.9
_CODE = re.compile(r"^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$")


@functools.lru_cache(maxsize=1)
def _identifier() -> Any:
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier
    except ImportError:
        logger.warning("language detection is off: %s", MissingExtraError("py3langid", "ingest"))
        return None
    return _cached_identifier(LanguageIdentifier) or LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _cached_identifier(identifier_class: Any) -> Any:
    """py3langid's model from an uncompressed copy in the user cache directory ($NEWSDESK_CACHE, else
    ~/.cache/newsdesk), written on first use: unpacking the shipped LZMA file is 0.4 s of every run's
    start-up.  The same arrays as ``from_model_file``; ``None`` (the shipped file is read) when the copy
    cannot be made or read, or py3langid's layout is not the one known here."""
    import numpy as np

    try:
        from py3langid import langid, modelio

        shipped = Path(langid.MODEL_DIR) / langid.MODEL_FILE
        stat = shipped.stat()
        folder = os.environ.get("NEWSDESK_CACHE") or str(
            Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsdesk")  # as places.py's
        cached = Path(folder) / f"py3langid-{stat.st_size}-{stat.st_mtime_ns}.npz"
        if not cached.exists():
            import lzma

            cached.parent.mkdir(parents=True, exist_ok=True)
            tmp = cached.with_suffix(f".{os.getpid()}.tmp")
            tmp.write_bytes(lzma.decompress(shipped.read_bytes()))
            tmp.replace(cached)
        with np.load(cached, allow_pickle=False) as data:
            return identifier_class(
                np.asarray(data["ptc"]), np.asarray(data["pc"]), data["classes"].tolist(),
                modelio._to_array(data["nextmove"]), data["out_feat"].tolist(), norm_probs=True,
                tk_row=modelio._to_array(data["nextmove_row"]))
    except Exception as exc:  # noqa: BLE001 -- any problem: the shipped file, as before
        logger.debug("py3langid model not cached (%s: %s)", type(exc).__name__, exc)
        return None


def detect_language(text: str) -> tuple[str | None, float]:
    """``(code, probability)`` for ``text``; ``(None, 0.0)`` when there is too little text."""
    sample = text[:_SAMPLE]
    if sum(ch.isalpha() for ch in sample) < _MIN_LETTERS:
        return None, 0.0
    identifier = _identifier()
    if identifier is None:
        return None, 0.0
    code, prob = identifier.classify(sample)
    return str(code), float(prob)


def normalise_code(value: str | None) -> str | None:
    """``"en-US"`` / ``"EN_gb"`` / ``"eng"`` -> ``"en"``; anything unusable -> ``None``."""
    if not value:
        return None
    value = value.strip()
    if not _CODE.match(value):
        return None
    code = re.split(r"[-_]", value)[0].lower()
    return {"eng": "en", "fra": "fr", "fre": "fr", "deu": "de", "ger": "de", "spa": "es", "rus": "ru"}.get(code, code)


def is_english(code: str | None) -> bool:
    """Unknown counts as English (the pipeline's default)."""
    return code is None or code == "en"


def resolve_language(declared: str | None, text: str) -> str | None:
    """The article's language: the declared one unless the text confidently says otherwise."""
    declared = normalise_code(declared)
    detected, prob = detect_language(text)
    if detected is None:
        return declared
    if declared is None or (declared != detected and prob >= _CONFIDENT):
        return detected
    return declared


def note_non_english(articles: Any, where: str) -> list[str]:
    """Log, once per call, what the English-only NLP tier cannot do for non-English ``articles``.

    Returns their ids.  They stay in the run (read, deduplicated, clustered, cited); only
    language-dependent analysis is unreliable for them.
    """
    ids = [a.id for a in articles if not is_english(a.language)]
    if ids:
        langs = sorted({a.language for a in articles if not is_english(a.language)})
        logger.warning(
            "%s: %d article(s) not in English (%s: %s): kept and clustered, but the English spaCy model "
            "gives unreliable sentences and no trustworthy entities, figures, dates or quotes for them",
            where, len(ids), ", ".join(langs), ", ".join(ids[:5]) + (" ..." if len(ids) > 5 else ""))
    return ids
