"""The story's headline: a real title of one of its articles, else a verbatim span of the summary."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..models import SummarySentence
from ..nlp import STOPWORDS, ParsedArticle, stem
from .matcher import StoryIndex

__all__ = ["headline"]


def headline(parsed: Sequence[ParsedArticle], summary: Sequence[SummarySentence], max_words: int = 20) -> str:
    """A short verbatim headline: the article title most central to the story, else
    the opening of the first summary sentence."""
    titles = [(pa, pa.article.title) for pa in parsed if pa.article.title
              and 2 <= len(pa.article.title.split()) <= max_words]
    if titles:
        index = StoryIndex(parsed)
        doc_bags = {pa.id: frozenset(w for ps in pa.sentences for w in ps.content_stems()) for pa in parsed}

        def centrality(item: tuple[ParsedArticle, str]) -> float:
            pa, title = item
            bag = frozenset(w for w in _title_stems(title))
            if not bag:
                return 0.0
            # share of the title's weight that the other articles also mention
            return sum(index.weight(bag & doc_bags[o.id]) / index.weight(bag)
                       for o in parsed if o.id != pa.id) / max(len(parsed) - 1, 1)

        best = max(titles, key=lambda it: (centrality(it), -len(it[1])))
        return best[1].strip()
    # no usable title: a verbatim span — a short summary sentence, else the leading clause of one
    for s in summary:
        if len(s.text.split()) <= max_words:
            return s.text
    for s in summary:
        clause = _CLAUSE_END.split(s.text, maxsplit=1)[0]
        if 4 <= len(clause.split()) <= max_words:
            return clause
    if summary:
        return " ".join(summary[0].text.split()[:max_words])
    return ""


_CLAUSE_END = re.compile(r",\s|;\s|\s[—–-]\s|:\s")


def _title_stems(title: str) -> list[str]:
    out = []
    for w in title.replace("-", " ").split():
        w = "".join(ch for ch in w.lower() if ch.isalnum())
        if len(w) > 1 and w not in STOPWORDS:
            out.append(stem(w) if w.isalpha() else w)
    return out
