"""The same-content judge: do two sentences of a story report the same thing?

Every question of that form in a brief goes here: summary citations, an outlet's facts
"only here", one quote in two wordings, one event on two timelines.

:class:`StoryIndex` holds the content stems of every sentence of a story with their
inverse document frequencies over the story's sentences; :func:`same_content` scores two
sentences' stem sets.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from ..nlp import ParsedArticle, ParsedSentence

__all__ = ["StoryIndex", "same_content"]


class StoryIndex:
    """Content words of every sentence of a story, with inverse document frequencies,
    for measuring which sentences report the same content."""

    def __init__(self, parsed: Sequence[ParsedArticle]) -> None:
        self.parsed = list(parsed)
        self.bags: dict[str, list[tuple[ParsedSentence, frozenset[str]]]] = {}
        df: Counter[str] = Counter()
        n = 0
        for pa in self.parsed:
            rows = []
            for ps in pa.sentences:
                bag = frozenset(ps.content_stems())
                rows.append((ps, bag))
                df.update(bag)
                n += 1
            self.bags[pa.id] = rows
        self.idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
        self._default_idf = math.log(n + 1) if n else 1.0

    def weight(self, words: Iterable[str]) -> float:
        return sum(self.idf.get(w, self._default_idf) for w in words)

    def best_match(self, bag: frozenset[str], article_id: str) -> tuple[float, ParsedSentence | None]:
        """The sentence of ``article_id`` that best covers ``bag``, and its score."""
        best, best_ps = 0.0, None
        for ps, other in self.bags.get(article_id, ()):
            score = same_content(bag, other, self)
            if score > best:
                best, best_ps = score, ps
        return best, best_ps


def same_content(a: frozenset[str], b: frozenset[str], index: StoryIndex) -> float:
    """How far sentences ``a`` and ``b`` (content-stem sets) state the same thing: the
    cosine of their IDF-weighted binary bags, ``w(a & b) / sqrt(w(a) * w(b))``, with
    IDF over the story's sentences so that names every sentence repeats count little.
    Fewer than two shared content words is never a match.

    Chosen on the demo corpus's planted paraphrases (66 same-fact sentence pairs
    against all other sentence pairs of their stories): cosine reached F1 0.92 at
    0.26, against 0.91 for a recall-weighted F-measure and 0.86 for containment of
    the shorter sentence."""
    if not a or not b:
        return 0.0
    shared = a & b
    if len(shared) < 2:
        return 0.0
    return index.weight(shared) / math.sqrt(index.weight(a) * index.weight(b))
