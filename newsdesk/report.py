"""Renderings of briefs: the contract's JSON, Markdown, and a self-contained HTML report.

All article text is untrusted: the HTML report is rendered by Jinja2 with
autoescaping on, carries its CSS inline, and contains no script at all.
"""

from __future__ import annotations

import datetime as _dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Brief

__all__ = ["to_json", "to_json_text", "to_markdown", "to_html", "write_report", "figure_grid", "FigureRow"]


def to_json(briefs: Sequence[Brief]) -> dict[str, Any]:
    """``{"stories": [BRIEF…]}`` as in the contract."""
    return {"stories": [b.to_json() for b in briefs]}


def to_json_text(briefs: Sequence[Brief]) -> str:
    return json.dumps(to_json(briefs), ensure_ascii=False, indent=2)


def _md_escape(text: str) -> str:
    out = text.replace("\\", "\\\\")
    for ch in "`*_[]<>|":
        out = out.replace(ch, "\\" + ch)
    return out


def _cite(sources: Sequence[str], numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[s]}]" for s in sources if s in numbers)


def _safe_url(url: str | None) -> bool:
    if not url:
        return False
    return url.startswith(("http://", "https://")) and not any(c in url for c in " ()<>")


def to_markdown(briefs: Sequence[Brief]) -> str:
    """A readable Markdown report of the briefs."""
    lines: list[str] = ["# newsdesk brief", ""]
    if not briefs:
        lines.append("No stories.")
    for b in briefs:
        numbers = {a.id: i + 1 for i, a in enumerate(b.articles)}
        outlets = {a.source for a in b.articles if a.source}
        lines += [f"## {_md_escape(b.headline or '(no headline)')}", "",
                  f"*{len(b.articles)} articles from {len(outlets)} outlets · story `{b.story_id}`*", ""]
        if b.summary:
            lines += ["### Summary", ""]
            for s in b.summary:
                lines.append(f"- {_md_escape(s.text)} {_cite(s.sources, numbers)}")
            lines.append("")
        if b.entities:
            lines += ["### Entities", "", "| name | type | also called | sources |", "|---|---|---|---|"]
            for e in b.entities:
                others = ", ".join(_md_escape(x) for x in e.aliases if x != e.name)
                lines.append(f"| {_md_escape(e.name)} | {e.type} | {others} | {_cite(e.sources, numbers)} |")
            lines.append("")
        if b.figures:
            columns, rows = figure_grid(b)
            lines += ["### Figures by source", "",
                      "| measure | " + " | ".join(_md_escape(c) for c in columns) + " |",
                      "|---|" + "---|" * len(columns)]
            for row in rows:
                measure = f"**⚠ {_md_escape(row.measure)}**" if row.conflict else _md_escape(row.measure)
                cells = ["; ".join(f"{_md_escape(label)} {_cite(srcs, numbers)}" for label, srcs in cell)
                         for cell in row.cells]
                lines.append(f"| {measure} | " + " | ".join(cells) + " |")
            lines += ["", "*⚠ sources disagree (see Conflicts)*" if any(r.conflict for r in rows) else "", ""]
        if b.conflicts:
            lines += ["### Conflicts between sources", ""]
            for c in b.conflicts:
                lines.append(f"- **{_md_escape(c.measure)}**:")
                for v in c.values:
                    who = f" according to {_md_escape(v.claimant)}" if v.claimant else ""
                    lines.append(f"  - **{v.to_json()['value']}**{who} — “{_md_escape(v.text)}” "
                                 f"{_cite(v.sources, numbers)}")
            lines.append("")
        if b.timeline:
            lines += ["### Timeline", ""]
            for t in b.timeline:
                lines.append(f"- **{t.date}** — {_md_escape(t.text)} {_cite(t.sources, numbers)}")
            lines.append("")
        if b.quotes:
            lines += ["### Quotes", ""]
            for q in b.quotes:
                who = _md_escape(q.speaker) if q.speaker else "unnamed source" if q.role else "unattributed"
                if q.role:
                    who += f" ({_md_escape(q.role)})"
                lines.append(f"- {who}: “{_md_escape(q.text)}” {_cite(q.sources, numbers)}")
                for wording in q.variants:
                    lines.append(f"  - also reported as: “{_md_escape(wording)}”")
            lines.append("")
        if b.outlets:
            lines += ["### Outlets", ""]
            for o in b.outlets:
                lines.append(f"- **{_md_escape(o.source)}** {_cite(o.articles, numbers)}")
                if o.unique:
                    lines.append("  - only here: " + "; ".join(_md_escape(u) for u in o.unique))
                if o.terms:
                    lines.append("  - its words: " + ", ".join(_md_escape(t) for t in o.terms))
            lines.append("")
        lines += ["### Articles", ""]
        for a in b.articles:
            n = numbers[a.id]
            bits = [a.source or "unknown outlet", a.published.isoformat() if a.published else "undated"]
            if a.author:
                bits.append(a.author)
            dup = f" — copy of [{numbers[a.duplicate_of]}]" if a.duplicate_of in numbers else ""
            title = _md_escape(a.title or a.id)
            link = f"[{title}]({a.url})" if _safe_url(a.url) else title
            lines.append(f"{n}. {link} — {_md_escape(', '.join(bits))} (`{a.id}`){dup}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


@dataclass(frozen=True)
class FigureRow:
    """One measure of the figures table: per source column, the values it gives."""

    measure: str
    conflict: bool
    cells: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...]  # per column: (value label, article ids)


_VAGUE_WORDS = ("dozens", "scores", "hundreds", "thousands", "millions")


def _value_label(value: float, qualifier: str | None) -> str:
    """"at least 14", "dozens" (a vague quantity shows as its word), "70,000 (around half of 140,000)"."""
    v = int(value) if float(value).is_integer() else round(value, 2)
    num = f"{v:,}" if isinstance(v, int) else str(v)
    if not qualifier:
        return num
    if qualifier.split()[-1] in _VAGUE_WORDS:
        return qualifier
    if " of " in f" {qualifier} ":
        return f"{num} ({qualifier})"
    return f"{qualifier} {num}"


def figure_grid(b: Brief) -> tuple[list[str], list[FigureRow]]:
    """The figures of a brief as a table with one column per source (outlet) and one row
    per measure; rows whose measure is in ``b.conflicts`` are flagged."""
    outlet_of = {}
    for i, a in enumerate(b.articles):
        outlet_of[a.id] = a.source or f"article [{i + 1}]"
    columns: list[str] = []
    for f in b.figures:
        for src in f.sources:
            col = outlet_of.get(src, src)
            if col not in columns:
                columns.append(col)
    conflicted = {c.measure for c in b.conflicts}
    measures: list[str] = []
    for f in b.figures:
        if f.measure not in measures:
            measures.append(f.measure)
    # conflicts first, then in the figures' order
    measures.sort(key=lambda m: m not in conflicted)
    rows = []
    for m in measures:
        cells: list[list[tuple[str, tuple[str, ...]]]] = [[] for _ in columns]
        for f in b.figures:
            if f.measure != m:
                continue
            by_col: dict[int, list[str]] = {}
            for src in f.sources:
                by_col.setdefault(columns.index(outlet_of.get(src, src)), []).append(src)
            for j, srcs in by_col.items():
                cells[j].append((_value_label(f.value, f.qualifier), tuple(srcs)))
        rows.append(FigureRow(m, m in conflicted, tuple(tuple(c) for c in cells)))
    return columns, rows


def _env() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("newsdesk", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = lambda v: int(v) if float(v).is_integer() else v
    return env


def to_html(briefs: Sequence[Brief], title: str = "newsdesk brief") -> str:
    """A self-contained HTML report (inline CSS, no script, everything escaped)."""
    stories = []
    for b in briefs:
        numbers = {a.id: i + 1 for i, a in enumerate(b.articles)}
        columns, rows = figure_grid(b)
        stories.append({"b": b, "numbers": numbers, "figure_columns": columns, "figure_rows": rows,
                        "outlets": sorted({a.source for a in b.articles if a.source})})
    return _env().get_template("report.html.j2").render(
        title=title, stories=stories, generated=_dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"))


def write_report(briefs: Sequence[Brief], out_dir: str | Path, formats: Sequence[str] = ("json", "md", "html")
                 ) -> list[Path]:
    """Write ``brief.json``, ``brief.md`` and/or ``brief.html`` into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    render = {"json": to_json_text, "md": to_markdown, "html": to_html}
    for fmt in formats:
        path = out / f"brief.{fmt}"
        path.write_text(render[fmt](briefs), encoding="utf-8")
        written.append(path)
    return written
