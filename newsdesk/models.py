"""The plain frozen dataclasses that flow through the pipeline.

``Article`` -> ``Sentence`` -> ``Story`` -> ``Brief``.  Every ``to_json`` method
returns exactly the object fixed by the JSON contract (``CONTRACT.md``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

__all__ = [
    "Article",
    "Sentence",
    "SummarySentence",
    "Story",
    "Entity",
    "Figure",
    "Conflict",
    "ConflictValue",
    "TimelineEvent",
    "Quote",
    "OutletView",
    "Brief",
]


def _iso(d: _dt.date | None) -> str | None:
    return d.isoformat() if d is not None else None


@dataclass(frozen=True)
class Article:
    """One news article.

    ``text`` is the cleaned body (no title line, no boilerplate); all character
    offsets elsewhere point into it.  ``raw_text`` keeps what was read before
    cleaning (empty once discarded).  ``published`` is a date (time of day is
    not kept).  ``dateline`` is the place of a dateline such as ``TEHRAN (Agency) -``.
    """

    id: str
    text: str
    title: str | None = None
    source: str | None = None
    url: str | None = None
    published: _dt.date | None = None
    author: str | None = None
    language: str | None = None
    dateline: str | None = None
    duplicate_of: str | None = None
    raw_text: str = field(default="", repr=False, compare=False)
    meta: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False, hash=False)

    def with_(self, **changes: Any) -> Article:
        """A copy with some fields changed."""
        return replace(self, **changes)

    def to_json(self, *, text: bool = True) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "source": self.source,
            "url": self.url,
            "published": _iso(self.published),
            "author": self.author,
            "duplicate_of": self.duplicate_of,
            "language": self.language,  # beyond the contract: ISO 639-1 code, or null
        }
        if not text:
            del out["text"]
        return out


@dataclass(frozen=True)
class Sentence:
    """A span ``[start, end)`` of ``Article.text`` of article ``article_id``."""

    article_id: str
    start: int
    end: int
    text: str
    index: int = 0  # position of the sentence in its article (0 = first)


@dataclass(frozen=True)
class SummarySentence:
    """A summary sentence: a verbatim span of ``sentence.article_id`` and every article that reports it.

    ``sources[0]`` is always the article the text was taken from.
    """

    sentence: Sentence
    sources: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.sentence.text

    def to_json(self) -> dict[str, Any]:
        return {"text": self.sentence.text, "sources": list(self.sources)}


@dataclass(frozen=True)
class Story:
    """A group of articles about one event; ``article_ids`` includes duplicates."""

    id: str
    article_ids: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "articles": list(self.article_ids)}


@dataclass(frozen=True)
class Entity:
    name: str
    type: str  # PERSON | ORG | PLACE | GROUP | OTHER
    aliases: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "type": self.type, "aliases": list(self.aliases),
                "sources": list(self.sources)}


@dataclass(frozen=True)
class Figure:
    measure: str
    value: float
    text: str
    sources: tuple[str, ...]
    qualifier: str | None = None
    claimant: str | None = None  # who the figure is attributed to ("the health ministry said")

    def to_json(self) -> dict[str, Any]:
        return {"measure": self.measure, "value": _num(self.value), "qualifier": self.qualifier,
                "text": self.text, "sources": list(self.sources), "claimant": self.claimant}


@dataclass(frozen=True)
class ConflictValue:
    value: float
    text: str
    sources: tuple[str, ...]
    claimant: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"value": _num(self.value), "text": self.text, "sources": list(self.sources),
                "claimant": self.claimant}


@dataclass(frozen=True)
class Conflict:
    measure: str
    values: tuple[ConflictValue, ...]

    def to_json(self) -> dict[str, Any]:
        return {"measure": self.measure, "values": [v.to_json() for v in self.values]}


@dataclass(frozen=True)
class TimelineEvent:
    date: str  # "YYYY" | "YYYY-MM" | "YYYY-MM-DD"
    text: str
    sources: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {"date": self.date, "text": self.text, "sources": list(self.sources)}


@dataclass(frozen=True)
class Quote:
    speaker: str | None
    text: str
    sources: tuple[str, ...]
    variants: tuple[str, ...] = ()  # other wordings of the same statement

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"speaker": self.speaker, "text": self.text, "sources": list(self.sources)}
        if self.variants:
            out["variants"] = list(self.variants)
        return out


@dataclass(frozen=True)
class OutletView:
    source: str
    articles: tuple[str, ...]
    unique: tuple[str, ...] = ()
    terms: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"source": self.source, "articles": list(self.articles), "unique": list(self.unique),
                "terms": list(self.terms)}


@dataclass(frozen=True)
class Brief:
    """Everything newsdesk says about one story; ``to_json`` is the contract's BRIEF."""

    story_id: str
    headline: str
    articles: tuple[Article, ...]
    summary: tuple[SummarySentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    figures: tuple[Figure, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()
    quotes: tuple[Quote, ...] = ()
    outlets: tuple[OutletView, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.story_id,
            "headline": self.headline,
            "articles": [a.to_json(text=False) for a in self.articles],
            "summary": [s.to_json() for s in self.summary],
            "entities": [e.to_json() for e in self.entities],
            "figures": [f.to_json() for f in self.figures],
            "conflicts": [c.to_json() for c in self.conflicts],
            "timeline": [t.to_json() for t in self.timeline],
            "quotes": [q.to_json() for q in self.quotes],
            "outlets": [o.to_json() for o in self.outlets],
        }


def _num(v: float) -> int | float:
    """Whole numbers as JSON integers, others as floats."""
    return int(v) if float(v).is_integer() else float(v)
