"""The plain frozen dataclasses that flow through the pipeline.

``Article`` -> ``Sentence`` -> ``Story`` -> ``Brief``.  Every ``to_json`` method
returns exactly the object fixed by the JSON contract (``CONTRACT.md``).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
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
    "content_hash",
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

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> Article:
        """The Article of a contract ARTICLE (``text`` may be absent: then empty)."""
        pub = d.get("published")
        try:
            published = _dt.date.fromisoformat(str(pub)[:10]) if pub else None
        except ValueError:
            published = None
        return cls(id=d["id"], text=d.get("text") or "", title=d.get("title"), source=d.get("source"),
                   url=d.get("url"), published=published, author=d.get("author"), language=d.get("language"),
                   duplicate_of=d.get("duplicate_of"))


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

    ``sources[0]`` is always the article the text was taken from; ``matched`` holds, for the other
    sources in order, the sentence of each that the same-content matcher matched (the evidence of the
    citation; empty when not known, e.g. a brief read back from an older store).
    """

    sentence: Sentence
    sources: tuple[str, ...]
    matched: tuple[Sentence, ...] = ()

    @property
    def text(self) -> str:
        return self.sentence.text

    def to_json(self, *, evidence: bool = False) -> dict[str, Any]:
        """The contract's SENTENCE; with ``evidence`` also ``matched`` (the store and the web page keep it)."""
        out: dict[str, Any] = {"text": self.sentence.text, "sources": list(self.sources)}
        if evidence and self.matched:
            out["matched"] = [{"source": m.article_id, "text": m.text, "start": m.start, "end": m.end,
                               "index": m.index} for m in self.matched]
        return out


@dataclass(frozen=True)
class Story:
    """A group of articles about one event; ``article_ids`` includes duplicates.  ``topic`` is the
    id shared by the stories of one continuing topic (``newsdesk.topics``), None when not known."""

    id: str
    article_ids: tuple[str, ...]
    topic: str | None = None

    def to_json(self) -> dict[str, Any]:
        d: dict[str, Any] = {"id": self.id, "articles": list(self.article_ids)}
        if self.topic is not None:
            d["topic"] = self.topic
        return d


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
    """A key figure: ``value`` of ``measure`` as the ``sources`` state it.

    Beyond the contract: ``scope`` (of what, beyond the measure: "in Mexico", "(1991-94)"),
    ``as_of`` (the day it is given for, "YYYY-MM-DD"), ``background`` (about a background
    event, kept apart from the story's own figures) and ``high`` (a range's upper end).
    """

    measure: str
    value: float
    text: str
    sources: tuple[str, ...]
    qualifier: str | None = None
    claimant: str | None = None  # who the figure is attributed to ("the health ministry said")
    scope: str | None = None
    as_of: str | None = None
    background: bool = False
    high: float | None = None

    def to_json(self) -> dict[str, Any]:
        out = {"measure": self.measure, "value": _num(self.value), "qualifier": self.qualifier,
               "text": self.text, "sources": list(self.sources), "claimant": self.claimant,
               "scope": self.scope, "as_of": self.as_of, "background": self.background}
        if self.high is not None:
            out["high"] = _num(self.high)
        return out

    @classmethod
    def from_json(cls, f: Mapping[str, Any]) -> Figure:
        return cls(f["measure"], f["value"], f["text"], tuple(f.get("sources", ())), f.get("qualifier"),
                   f.get("claimant"), f.get("scope"), f.get("as_of"), bool(f.get("background", False)),
                   f.get("high"))


@dataclass(frozen=True)
class ConflictValue:
    value: float
    text: str
    sources: tuple[str, ...]
    claimant: str | None = None
    qualifier: str | None = None  # beyond the contract: "at least", "up to", ...
    as_of: str | None = None  # beyond the contract: the day the value is given for

    def to_json(self) -> dict[str, Any]:
        return {"value": _num(self.value), "text": self.text, "sources": list(self.sources),
                "claimant": self.claimant, "qualifier": self.qualifier, "as_of": self.as_of}

    @classmethod
    def from_json(cls, v: Mapping[str, Any]) -> ConflictValue:
        return cls(v["value"], v["text"], tuple(v.get("sources", ())), v.get("claimant"), v.get("qualifier"),
                   v.get("as_of"))


@dataclass(frozen=True)
class Conflict:
    """Independent sources giving values of one measure, of one scope, at one time, that
    cannot all be true.  ``scope`` is beyond the contract."""

    measure: str
    values: tuple[ConflictValue, ...]
    scope: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {"measure": self.measure, "values": [v.to_json() for v in self.values], "scope": self.scope}

    @classmethod
    def from_json(cls, c: Mapping[str, Any]) -> Conflict:
        return cls(c["measure"], tuple(ConflictValue.from_json(v) for v in c.get("values", ())), c.get("scope"))


@dataclass(frozen=True)
class TimelineEvent:
    """A dated event.  ``date`` is "YYYY" | "YYYY-MM" | "YYYY-MM-DD".  A vague period (a decade, a
    range of years) has ``period`` set ("1990s", "early 1990s", "1991–1994") and ``date`` is only
    its sort key (first year): show :attr:`when`.  ``background`` marks an event from before the
    story (a period, or a date before the story began): briefs list those apart."""

    date: str
    text: str
    sources: tuple[str, ...]
    period: str | None = None
    background: bool = False

    @property
    def when(self) -> str:
        """What to show: the period's name, else the date."""
        return self.period or self.date

    def to_json(self) -> dict[str, Any]:
        """The contract's timeline item; a background item is ``{"date": date or null for a period,
        "period": name or null, "text", "sources"}``."""
        if self.background:
            return {"date": None if self.period else self.date, "period": self.period, "text": self.text,
                    "sources": list(self.sources)}
        return {"date": self.date, "text": self.text, "sources": list(self.sources)}

    @classmethod
    def from_json(cls, d: Mapping[str, Any], background: bool = False) -> TimelineEvent:
        period = d.get("period")
        date = d.get("date")
        if not date:  # a period ("mid-1990s", "1991–1994"): its first year is the sort key, as dates.py gives it
            m = re.match(r"(?:(early|mid|late)[- ])?(\d{4})", period or "")
            date = f"{int(m.group(2)) + {'mid': 3, 'late': 6}.get(m.group(1) or '', 0):04d}" if m else ""
        return cls(date, d["text"], tuple(d.get("sources", ())), period, background)


@dataclass(frozen=True)
class Quote:
    """A direct quotation: ``speaker`` is the name the text gives (None when it names no one),
    ``role`` the description it gives of the speaker ("a witness", "French President")."""

    speaker: str | None
    text: str
    sources: tuple[str, ...]
    variants: tuple[str, ...] = ()  # other wordings of the same statement
    role: str | None = None

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"speaker": self.speaker, "role": self.role, "text": self.text,
                               "sources": list(self.sources)}
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
    background: tuple[TimelineEvent, ...] = ()  # events from before the story (see TimelineEvent)

    def to_json(self, *, evidence: bool = False) -> dict[str, Any]:
        """The contract's BRIEF (with the extra ``background`` list); with ``evidence`` each summary sentence
        also carries ``matched``, the sentence of each cited article the matcher matched (stored briefs)."""
        return {
            "id": self.story_id,
            "headline": self.headline,
            "articles": [a.to_json(text=False) for a in self.articles],
            "summary": [s.to_json(evidence=evidence) for s in self.summary],
            "entities": [e.to_json() for e in self.entities],
            "figures": [f.to_json() for f in self.figures],
            "conflicts": [c.to_json() for c in self.conflicts],
            "timeline": [t.to_json() for t in self.timeline],
            "quotes": [q.to_json() for q in self.quotes],
            "outlets": [o.to_json() for o in self.outlets],
            "background": [t.to_json() for t in self.background],
        }

    @classmethod
    def from_json(cls, d: Mapping[str, Any], articles: Sequence[Article] = ()) -> Brief:
        """The Brief of a contract BRIEF ``d`` (inverse of ``to_json``).

        ``articles`` supplies the full articles (with text) by id; ids missing from it are
        rebuilt from ``d["articles"]`` without text.  Summary items may carry ``start``,
        ``end`` and ``index`` (the sentence span, as the store keeps it); without them the
        span is found in the source article's text (-1 when it is not there).
        """
        by_id = {a.id: a for a in articles}
        members = tuple(by_id[a["id"]].with_(duplicate_of=a.get("duplicate_of")) if a["id"] in by_id
                        else Article.from_json(a) for a in d.get("articles", ()))
        texts = {a.id: a.text for a in members}
        summary = []
        for item in d.get("summary", ()):
            sources = tuple(item.get("sources", ()))
            aid, text = (sources[0] if sources else ""), item["text"]
            start = item.get("start")
            if start is None:
                start = texts.get(aid, "").find(text)
                end = start + len(text) if start >= 0 else -1
            else:
                end = item.get("end", start + len(text))
            matched = tuple(Sentence(m["source"], int(m.get("start", -1)), int(m.get("end", -1)), m["text"],
                                     int(m.get("index", 0))) for m in item.get("matched", ()))
            summary.append(SummarySentence(Sentence(aid, int(start), int(end), text, int(item.get("index", 0))),
                                           sources, matched))
        return cls(
            story_id=d["id"],
            headline=d.get("headline") or "",
            articles=members,
            summary=tuple(summary),
            entities=tuple(Entity(e["name"], e["type"], tuple(e.get("aliases", ())), tuple(e.get("sources", ())))
                           for e in d.get("entities", ())),
            figures=tuple(Figure.from_json(f) for f in d.get("figures", ())),
            conflicts=tuple(Conflict.from_json(c) for c in d.get("conflicts", ())),
            timeline=tuple(TimelineEvent.from_json(t) for t in d.get("timeline", ())),
            background=tuple(TimelineEvent.from_json(t, background=True) for t in d.get("background", ())),
            quotes=tuple(Quote(q.get("speaker"), q["text"], tuple(q.get("sources", ())),
                               tuple(q.get("variants", ())), q.get("role")) for q in d.get("quotes", ())),
            outlets=tuple(OutletView(o["source"], tuple(o.get("articles", ())), tuple(o.get("unique", ())),
                                     tuple(o.get("terms", ()))) for o in d.get("outlets", ())),
        )


def _num(v: float) -> int | float:
    """Whole numbers as JSON integers, others as floats."""
    return int(v) if float(v).is_integer() else float(v)


def content_hash(a: Article) -> str:
    """What makes two versions of an article "the same": every stored field."""
    d = a.to_json()
    d.pop("duplicate_of", None)
    d["dateline"] = a.dateline
    return hashlib.sha256(json.dumps(d, sort_keys=True, ensure_ascii=False).encode()).hexdigest()
