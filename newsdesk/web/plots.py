"""Server-rendered inline SVG plots (no script): a story's timeline and its figures by source.

Every piece of text is escaped; the SVG uses presentation attributes and CSS classes only
(no ``style=`` attributes, which the Content-Security-Policy would block).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

from ..models import Brief, TimelineEvent

__all__ = ["timeline_svg", "figures_svg", "figure_cells"]

WIDTH = 760  # viewBox width; the SVG scales to its container
ROW = 24
LABEL_CHARS = 62


def _short(text: str, n: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"


def _day(date: str) -> dt.date | None:
    parts = date.split("-")
    try:
        y = int(parts[0])
        m = int(parts[1]) if len(parts) > 1 else 1
        d = int(parts[2]) if len(parts) > 2 else 1
        return dt.date(y, m, d)
    except (ValueError, IndexError):
        return None


def timeline_svg(events: Sequence[TimelineEvent], *, max_events: int = 40) -> Markup:
    """Dots on a date axis, one row per event (labelled), so gaps and bursts show at a glance."""
    dated = [(d, e) for e in events[:max_events] if (d := _day(e.date)) is not None]
    if not dated:
        return Markup("")
    lo, lo_label = min((d, e.date) for d, e in dated)
    hi, hi_label = max((d, e.date) for d, e in dated)
    span = max((hi - lo).days, 1)
    left, right = 10, WIDTH - 10
    axis_w = (right - left) * 0.35  # the left part is the axis, the rest the labels
    height = ROW * len(dated) + 40
    out = [f'<svg class="plot timeline-plot" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="Timeline of {len(dated)} dated events from {escape(lo_label)} to {escape(hi_label)}" '
           f'xmlns="http://www.w3.org/2000/svg">']
    out.append(f'<line class="axis" x1="{left}" y1="{height - 28}" x2="{left + axis_w:.1f}" y2="{height - 28}"/>')
    out.append(f'<text class="tick" x="{left}" y="{height - 10}" font-size="11">{escape(lo_label)}</text>')
    if hi != lo:
        out.append(f'<text class="tick" x="{left + axis_w:.1f}" y="{height - 10}" font-size="11" '
                   f'text-anchor="end">{escape(hi_label)}</text>')
    for i, (d, e) in enumerate(dated):
        y = 16 + i * ROW
        x = left + axis_w * ((d - lo).days / span)
        out.append(f'<line class="grid" x1="{left}" y1="{y}" x2="{left + axis_w:.1f}" y2="{y}"/>')
        out.append(f'<circle class="dot" cx="{x:.1f}" cy="{y}" r="5"><title>{escape(e.date)}: '
                   f'{escape(e.text)}</title></circle>')
        label = f"{e.date}  {_short(e.text)}"
        out.append(f'<text class="label" x="{left + axis_w + 12:.1f}" y="{y + 4}" font-size="12">'
                   f'{escape(label)}</text>')
    out.append("</svg>")
    return Markup("".join(out))


def figure_cells(brief: Brief, outlet_of: dict[str, str]) -> tuple[list[str], list[dict]]:
    """The figures as a measure x outlet grid: (outlets, rows); each row
    ``{"measure", "conflict", "cells": {outlet: [(value, qualifier, text)]}}``."""
    conflicted = {c.measure for c in brief.conflicts}
    outlets: list[str] = []
    rows: dict[str, dict] = {}
    for f in brief.figures:
        row = rows.setdefault(f.measure, {"measure": f.measure, "conflict": f.measure in conflicted, "cells": {}})
        for aid in f.sources:
            o = outlet_of.get(aid, aid)
            if o not in outlets:
                outlets.append(o)
            cell = row["cells"].setdefault(o, [])
            if all(v != f.value for v, _, _ in cell):
                cell.append((f.value, f.qualifier, f.text))
    for r in rows.values():
        values = {v for cell in r["cells"].values() for v, _, _ in cell}
        r["distinct"] = len(values) > 1
    return outlets, list(rows.values())


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.1f}"


def figures_svg(outlets: Sequence[str], rows: Sequence[dict], *, max_measures: int = 8) -> Markup:
    """Bars per measure, one per outlet, scaled to the largest value of that measure:
    where sources disagree the bars differ in length (and are drawn in the conflict colour)."""
    rows = [r for r in rows if r["cells"]][:max_measures]
    if not rows:
        return Markup("")
    label_w, bar_x = 230, 240
    bar_w = WIDTH - bar_x - 90
    lines = sum(1 + len(r["cells"]) for r in rows)
    height = lines * 20 + 10
    out = [f'<svg class="plot figures-plot" viewBox="0 0 {WIDTH} {height}" role="img" '
           f'aria-label="Figures by source for {len(rows)} measures" xmlns="http://www.w3.org/2000/svg">']
    y = 18
    for r in rows:
        cls = "measure conflict" if r["conflict"] else "measure"
        out.append(f'<text class="{cls}" x="4" y="{y}" font-size="13" font-weight="bold">'
                   f'{escape(_short(r["measure"], 60))}{" (sources disagree)" if r["conflict"] else ""}</text>')
        y += 20
        top = max((v for cell in r["cells"].values() for v, _, _ in cell), default=1) or 1
        for o in outlets:
            cell = r["cells"].get(o)
            if not cell:
                continue
            v = max(c[0] for c in cell)
            w = max(2.0, bar_w * v / top)
            bar_cls = "bar conflict" if r["conflict"] else "bar"
            out.append(f'<text class="who" x="{label_w}" y="{y}" font-size="12" text-anchor="end">'
                       f'{escape(_short(o, 32))}</text>')
            out.append(f'<rect class="{bar_cls}" x="{bar_x}" y="{y - 12}" width="{w:.1f}" height="14">'
                       f'<title>{escape(o)}: {escape(cell[0][2])}</title></rect>')
            shown = " / ".join(_num(c[0]) for c in cell)
            out.append(f'<text class="val" x="{bar_x + w + 6:.1f}" y="{y}" font-size="12">{escape(shown)}</text>')
            y += 20
    out.append("</svg>")
    return Markup("".join(out))
