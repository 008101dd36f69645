"""Renderings of briefs: the contract's JSON, Markdown, and a self-contained HTML report.

All article text is untrusted: the HTML report is rendered by Jinja2 with
autoescaping on, carries its CSS inline, and contains no script at all.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .models import Brief
from .wording import count

__all__ = ["to_json", "to_json_text", "to_markdown", "to_html", "write_report", "figure_rows", "FigureRow",
           "FigureStep", "value_label"]


def to_json(briefs: Sequence[Brief]) -> dict[str, Any]:
    """``{"stories": [BRIEF…]}`` as in the contract."""
    return {"stories": [b.to_json() for b in briefs]}


def to_json_text(briefs: Sequence[Brief]) -> str:
    return json.dumps(to_json(briefs), ensure_ascii=False, indent=2)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#!&])")


def _md_escape(text: str) -> str:
    """Untrusted text as literal inline Markdown: every character that could start markup backslash-escaped,
    and line breaks (which could end the paragraph or table row and start a block) made spaces."""
    return _MD_SPECIAL.sub(r"\\\1", " ".join(text.split()))


def _md_code(text: str) -> str:
    """Untrusted text as one inline code span whatever it holds: fenced by more backticks than its longest
    run of backticks (CommonMark), padded when it starts or ends with one, on one line."""
    text = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or not text.strip() else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _cite(sources: Sequence[str], numbers: dict[str, int]) -> str:
    return "".join(f"[{numbers[s]}]" for s in sources if s in numbers)


def _safe_url(url: str | None) -> bool:
    if not url:
        return False
    return url.startswith(("http://", "https://")) and not any(c.isspace() or c in "()<>`\\\"'[]" for c in url)


def to_markdown(briefs: Sequence[Brief]) -> str:
    """A readable Markdown report of the briefs."""
    lines: list[str] = ["# newsdesk brief", ""]
    if not briefs:
        lines.append("No stories.")
    for b in briefs:
        numbers = {a.id: i + 1 for i, a in enumerate(b.articles)}
        outlets = {a.source for a in b.articles if a.source}
        lines += [f"## {_md_escape(b.headline or '(no headline)')}", "",
                  f"*{count(len(b.articles), 'article')} from {count(len(outlets), 'outlet')} · "
                  f"story {_md_code(b.story_id)}*", ""]
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
            lines += _md_figures(figure_rows(b), numbers)
        if b.conflicts:
            lines += ["### Conflicts between sources", ""]
            for c in b.conflicts:
                lines.append(f"- **{_md_escape(c.measure + (' ' + c.scope if c.scope else ''))}**:")
                for v in c.values:
                    who = f" according to {_md_escape(v.claimant)}" if v.claimant else ""
                    when = f" ({v.as_of})" if v.as_of else ""
                    lines.append(f"  - **{_md_escape(value_label(v.value, v.qualifier))}**{who}{when} — "
                                 f"“{_md_escape(v.text)}” {_cite(v.sources, numbers)}")
            lines.append("")
        for label, events in (("Timeline", b.timeline), ("Background (before the story)", b.background)):
            if events:
                lines += [f"### {label}", ""]
                for t in events:
                    lines.append(f"- **{_md_escape(t.when)}** — {_md_escape(t.text)} {_cite(t.sources, numbers)}")
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
            lines.append(f"{n}. {link} — {_md_escape(', '.join(bits))} ({_md_code(a.id)}){dup}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


@dataclass(frozen=True)
class FigureStep:
    """One value of a figure row: its label ("at least 45", "120–130"), the day it is given
    for (or None) and the articles stating it."""

    label: str
    as_of: str | None
    sources: tuple[str, ...]


@dataclass(frozen=True)
class FigureRow:
    """One measure of one scope in the figures table, with every value the sources give.

    ``update``: the values were given on different days — a dated sequence, oldest first;
    ``conflict``: independent sources disagree (the measure is in ``Brief.conflicts``);
    ``background``: about a background event (an earlier war, a yearly total)."""

    measure: str
    scope: str | None
    steps: tuple[FigureStep, ...]
    conflict: bool = False
    update: bool = False
    background: bool = False

    @property
    def name(self) -> str:
        return f"{self.measure} {self.scope}" if self.scope else self.measure

    @property
    def days(self) -> list[tuple[str | None, list[FigureStep]]]:
        """The steps grouped by the day they are given for, in date order."""
        out: list[tuple[str | None, list[FigureStep]]] = []
        for st in self.steps:
            if out and out[-1][0] == st.as_of:
                out[-1][1].append(st)
            else:
                out.append((st.as_of, [st]))
        return out


_VAGUE_WORDS = ("dozens", "scores", "hundreds", "thousands", "millions", "billions")


def _fmt(v: float) -> str:
    x = int(v) if float(v).is_integer() else round(v, 2)
    return f"{x:,}" if isinstance(x, int) else str(x)


def value_label(value: float, qualifier: str | None, high: float | None = None) -> str:
    """"at least 14", "dozens" (a vague quantity shows as its words), "120–130",
    "70,000 (around half of 140,000)"."""
    num = _fmt(value) if high is None else f"{_fmt(value)}–{_fmt(high)}"
    if not qualifier:
        return num
    if qualifier.split()[-1] in _VAGUE_WORDS:
        return qualifier
    if " of " in f" {qualifier} ":
        return f"{num} ({qualifier})"
    return f"{qualifier} {num}"


def figure_rows(b: Brief) -> list[FigureRow]:
    """The figures of a brief as table rows: one per measure and scope, the story's own
    figures first (conflicts first among them), background figures last; the values of
    a row in date order (a dated sequence when they were given on different days)."""
    conflicted = {(c.measure, c.scope) for c in b.conflicts} | {(c.measure, None) for c in b.conflicts
                                                                  if c.scope is None}
    groups: dict[tuple[str, str | None, bool], list] = {}
    for f in b.figures:
        groups.setdefault((f.measure, f.scope, f.background), []).append(f)
    rows = []
    for (measure, scope, background), figs in groups.items():
        figs = sorted(figs, key=lambda f: (f.as_of or "", f.value))
        steps = tuple(FigureStep(value_label(f.value, f.qualifier, f.high), f.as_of, f.sources) for f in figs)
        dates = {f.as_of for f in figs if f.as_of}
        rows.append(FigureRow(measure, scope, steps, conflict=(measure, scope) in conflicted and not background,
                              update=len(dates) > 1 and len({f.value for f in figs}) > 1, background=background))
    order = {key: i for i, key in enumerate(groups)}
    rows.sort(key=lambda r: (r.background, not r.conflict, order[(r.measure, r.scope, r.background)]))
    return rows


def _md_figures(rows: Sequence[FigureRow], numbers: dict[str, int]) -> list[str]:
    def values(steps: Sequence[FigureStep]) -> str:
        return " · ".join(f"{_md_escape(s.label)} {_cite(s.sources, numbers)}" for s in steps)

    def cell(r: FigureRow) -> str:
        if r.update:
            text = " → ".join(f"{values(steps)} ({day})" if day else values(steps) for day, steps in r.days)
        else:
            text = values(r.steps)
        return f"⚠ {text} — sources disagree" if r.conflict else text

    lines: list[str] = []
    own = [r for r in rows if not r.background]
    background = [r for r in rows if r.background]
    for title, part in (("Key figures", own), ("Background figures (earlier events, recurring totals)", background)):
        if not part:
            continue
        lines += [f"### {title}", "", "| measure | figures |", "|---|---|"]
        lines += [f"| {_md_escape(r.name)} | {cell(r)} |" for r in part]
        lines.append("")
    if any(r.update for r in rows):
        lines += ["*→ a count that changed: the values in date order*", ""]
    return lines


def _env() -> Any:
    from jinja2 import Environment, PackageLoader, select_autoescape

    env = Environment(loader=PackageLoader("newsdesk", "templates"),
                      autoescape=select_autoescape(["html", "j2"], default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.filters["count"] = count
    env.filters["num"] = lambda v: int(v) if float(v).is_integer() else v
    env.filters["value_label"] = value_label
    return env


def to_html(briefs: Sequence[Brief], title: str = "newsdesk brief") -> str:
    """A self-contained HTML report (inline CSS, no script, everything escaped)."""
    stories = []
    for b in briefs:
        numbers = {a.id: i + 1 for i, a in enumerate(b.articles)}
        stories.append({"b": b, "numbers": numbers, "figure_rows": figure_rows(b),
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

