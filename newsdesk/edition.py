"""Editions: the top stories of a period (``newsdesk edition --db FILE --since 12h``, the web's ``/edition``).

The period is ingest time: the stories that gained articles the desk stored in the last ``since``
(up to ``until``, default now).  Each story is ranked by

    score = independent outlets x (1 + novelty)

where *independent outlets* counts the distinct sources of the story's original articles (syndicated
copies, marked ``duplicate_of``, never count) and *novelty* is the share of its originals that arrived
in the period (1 for a story new in the period).  A rule, not tuned: breadth of coverage first, and a
story that is mostly new outranks one that only gained a line.  Each item carries the headline, the
lead sentence of the current brief and what changed (the latest brief version's changes,
:mod:`newsdesk.versions`).
"""

from __future__ import annotations

import datetime as _dt
import html
import re
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError

__all__ = ["Edition", "EditionItem", "build_edition", "parse_period"]

_PERIOD = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(m|min|h|d|w)\s*$", re.IGNORECASE)
_UNIT = {"m": "minutes", "min": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def parse_period(text: str) -> _dt.timedelta:
    """``"12h"``, ``"30m"``, ``"2d"``, ``"1w"`` -> a timedelta."""
    m = _PERIOD.match(text or "")
    if not m:
        raise InputError(str(text), "not a period such as 12h, 30m, 2d or 1w")
    return _dt.timedelta(**{_UNIT[m.group(2).lower()]: float(m.group(1))})


@dataclass(frozen=True)
class EditionItem:
    story_id: str
    headline: str
    lead: str | None
    outlets: int                  # independent outlets (syndicated copies not counted)
    new_articles: int             # originals that arrived in the period
    novelty: float
    score: float
    topic: str | None = None
    state: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"id": self.story_id, "headline": self.headline, "lead": self.lead, "outlets": self.outlets,
                "new_articles": self.new_articles, "novelty": round(self.novelty, 3), "score": round(self.score, 3),
                "topic": self.topic, "state": self.state, "changes": self.changes}


@dataclass(frozen=True)
class Edition:
    since: str
    until: str
    items: tuple[EditionItem, ...]

    def to_json(self) -> dict[str, Any]:
        return {"since": self.since, "until": self.until, "stories": [i.to_json() for i in self.items]}

    def to_markdown(self) -> str:
        lines = [f"# Edition {self.since[:16]} – {self.until[:16]} UTC", ""]
        if not self.items:
            lines.append("No story changed in this period.")
        for n, it in enumerate(self.items, 1):
            lines.append(f"## {n}. {it.headline}")
            lines.append(f"*{it.outlets} independent outlets · {it.new_articles} new articles · {it.state or ''}*")
            lines.append("")
            if it.lead:
                lines += [it.lead, ""]
            lines += [f"- {c}" for c in change_lines(it.changes)]
            lines.append("")
        return "\n".join(lines).rstrip() + "\n"

    def to_html(self) -> str:
        """A self-contained page (no script, no external resource)."""
        e = html.escape
        parts = ["<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                 "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
                 f"<title>Edition {e(self.until[:16])}</title></head><body><main>",
                 f"<h1>Edition {e(self.since[:16])} – {e(self.until[:16])} UTC</h1>"]
        if not self.items:
            parts.append("<p>No story changed in this period.</p>")
        parts.append("<ol>")
        for it in self.items:
            parts.append(f"<li><h2>{e(it.headline)}</h2><p>{it.outlets} independent outlets · {it.new_articles} "
                         f"new articles · {e(it.state or '')}</p>")
            if it.lead:
                parts.append(f"<p>{e(it.lead)}</p>")
            changes = change_lines(it.changes)
            if changes:
                parts.append("<ul>" + "".join(f"<li>{e(c)}</li>" for c in changes) + "</ul>")
            parts.append("</li>")
        parts.append("</ol></main></body></html>")
        return "".join(parts)


def change_lines(changes: dict[str, Any], limit: int = 5) -> list[str]:
    """What changed, as short lines (new facts with their outlets, dated figure updates, new quotes)."""
    out: list[str] = []
    if changes.get("first"):
        out.append("New story.")
    for f in changes.get("updated_figures", [])[:limit]:
        when = f" ({f['date']})" if f.get("date") else ""
        out.append(f"Updated{when}: {f['measure']} {_num(f['old_value'])} → {_num(f['value'])}.")
    if not changes.get("first"):
        for s in changes.get("new_facts", [])[:limit]:
            out.append(f"New: {s['text']} ({', '.join(s['outlets'])})")
    for q in changes.get("new_quotes", [])[:2]:
        who = q.get("speaker") or q.get("role") or "unnamed"
        out.append(f"Quote ({who}): “{q['text']}”")
    return out


def _num(v: Any) -> str:
    return f"{v:,.0f}" if isinstance(v, float) and v.is_integer() else f"{v:,}" if isinstance(v, int) else str(v)


def build_edition(store: Any, since: _dt.timedelta, until: _dt.datetime | None = None, limit: int = 20) -> Edition:
    """The top ``limit`` stories of the period (``until - since``, ``until``] from a :class:`Store`."""
    from .store import iso_utc

    end = until or _dt.datetime.now(_dt.UTC)
    start, stop = iso_utc(end - since), iso_utc(end)
    items = []
    for sid, new, total, outlets, headline, lead in store.activity(start, stop):
        if new == 0:
            continue  # only copies arrived: nothing new to report
        novelty = new / max(1, total)
        v = store.latest_version(sid)
        row = store.story_row(sid)
        items.append(EditionItem(sid, headline or (row.headline if row else None) or sid, lead, outlets, new, novelty,
                                 outlets * (1.0 + novelty), row.topic if row else None, row.state if row else None,
                                 v.changes if v else {}))
    items.sort(key=lambda i: (-i.score, -i.outlets, i.story_id))
    return Edition(start, stop, tuple(items[: max(0, limit)]))
