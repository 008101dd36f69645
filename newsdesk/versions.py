"""Versioned briefs: what changed between two briefs of one story.

Every time the store re-briefs a story whose brief changed, it keeps the new brief as a version
(``brief_versions``) with :func:`diff_briefs` of it against the version before:

``new_articles``     ids of the articles the story gained;
``new_facts``        summary sentences that were not in the previous summary, each with its
                     sources and their outlets;
``updated_figures``  measures given a value the previous brief did not have: the previous brief's
                     (first) value and the new one, its text and sources, dated by the newest
                     publication date among them (a dated update); one line per measure;
``new_figures``      measures the previous brief did not have;
``new_quotes``       direct quotations not quoted before, with speaker and sources.

The first version has no previous brief: everything in it is new.  Comparison is on normalised
text (case and whitespace), so a sentence re-selected verbatim is never "new".
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["diff_briefs", "same_brief", "changed_nothing"]

_SPACE = re.compile(r"\s+")


def _norm(text: str | None) -> str:
    return _SPACE.sub(" ", (text or "").strip().lower())


def _outlets(brief: Mapping[str, Any]) -> dict[str, str]:
    return {a["id"]: a.get("source") or a.get("url") or a["id"] for a in brief.get("articles", [])}


def _dates(brief: Mapping[str, Any]) -> dict[str, str]:
    return {a["id"]: a["published"] for a in brief.get("articles", []) if a.get("published")}


def _newest(sources: list[str], dates: Mapping[str, str]) -> str | None:
    known = [dates[s] for s in sources if s in dates]
    return max(known) if known else None


def diff_briefs(prev: Mapping[str, Any] | None, new: Mapping[str, Any]) -> dict[str, Any]:
    """What ``new`` (a BRIEF as JSON) adds to ``prev`` (the version before, or None)."""
    prev = prev or {}
    outlet, dates = _outlets(new), _dates(new)
    old_ids = {a["id"] for a in prev.get("articles", [])}
    old_facts = {_norm(s["text"]) for s in prev.get("summary", [])}
    facts = [{"text": s["text"], "sources": list(s["sources"]),
              "outlets": list(dict.fromkeys(outlet.get(x, x) for x in s["sources"]))}
             for s in new.get("summary", []) if _norm(s["text"]) not in old_facts]
    old_figs: dict[str, list[Any]] = {}
    for f in prev.get("figures", []):
        old_figs.setdefault(_norm(f["measure"]), []).append(f)
    updated, added, seen = [], [], set()
    for f in new.get("figures", []):
        m = _norm(f["measure"])
        if m in seen:
            continue  # one line per measure: its first (most important) new value
        was = old_figs.get(m)
        row = {"measure": f["measure"], "value": f["value"], "qualifier": f.get("qualifier"), "text": f["text"],
               "sources": list(f["sources"]), "date": _newest(list(f["sources"]), dates)}
        if was is None:
            added.append(row)
            seen.add(m)
        elif all(w["value"] != f["value"] for w in was):
            updated.append({**row, "old_value": was[0]["value"]})
            seen.add(m)
    old_quotes = {_norm(q["text"]) for q in prev.get("quotes", [])}
    quotes = [{"speaker": q.get("speaker"), "role": q.get("role"), "text": q["text"], "sources": list(q["sources"])}
              for q in new.get("quotes", []) if _norm(q["text"]) not in old_quotes]
    return {"first": not prev, "new_articles": [a["id"] for a in new.get("articles", []) if a["id"] not in old_ids],
            "new_facts": facts, "updated_figures": updated, "new_figures": added, "new_quotes": quotes}


def changed_nothing(changes: Mapping[str, Any]) -> bool:
    """True when a diff found nothing new (the brief was recomputed to the same content)."""
    return not changes.get("first") and not any(
        changes.get(k) for k in ("new_articles", "new_facts", "updated_figures", "new_figures", "new_quotes"))


def same_brief(a: Mapping[str, Any], b: Mapping[str, Any]) -> bool:
    """Two BRIEFs with the same articles, summary, figures and quotes."""
    keys = ("articles", "summary", "figures", "quotes", "headline")
    return all(a.get(k) == b.get(k) for k in keys)
