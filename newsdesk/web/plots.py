"""Server-rendered inline SVG plots (no script): a story's timeline and its figures by source.

Every piece of text is escaped; the SVG uses presentation attributes and CSS classes only
(no ``style=`` attributes, which the Content-Security-Policy would block).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from markupsafe import Markup, escape

from ..models import Brief, TimelineEvent
from ..report import FigureRow

__all__ = ["timeline_svg", "figures_svg", "figure_values"]

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


def _num(v: float) -> str:
    return f"{int(v):,}" if float(v).is_integer() else f"{v:,.1f}"


FIG_WIDTH = 360  # the figures chart's viewBox width: legible on a 390 px phone, capped by CSS on wide screens


def figures_svg(rows: Sequence[FigureRow], values: dict[tuple[str, str | None, bool], list[float]] | None = None,
                *, max_rows: int = 8) -> Markup:
    """Bars for every measure the sources give several values of: a count that changed
    (one bar per day, oldest first) or a conflict (one bar per disputed value, in the
    conflict colour), each scaled to the largest value of its measure."""
    values = values or {}
    shown = [r for r in rows if len(r.steps) > 1 and (r.update or r.conflict)][:max_rows]
    if not shown:
        return Markup("")
    bar_x, bar_w = 120, FIG_WIDTH - 120 - 70
    height = sum(22 + 20 * len(r.steps) for r in shown) + 6
    out = [f'<svg class="plot figures-plot" viewBox="0 0 {FIG_WIDTH} {height}" role="img" '
           f'aria-label="Changing and disputed figures: {len(shown)} measures" xmlns="http://www.w3.org/2000/svg">']
    y = 16
    for r in shown:
        cls = "measure conflict" if r.conflict else "measure"
        note = " (sources disagree)" if r.conflict else " (changed over time)"
        out.append(f'<text class="{cls}" x="2" y="{y}" font-size="12" font-weight="bold">'
                   f'{escape(_short(r.name + note, 56))}</text>')
        y += 20
        nums = values.get((r.measure, r.scope, r.background)) or [_leading_number(s.label) for s in r.steps]
        top = max(nums, default=1) or 1
        for step, v in zip(r.steps, nums):
            w = max(2.0, bar_w * v / top)
            who = step.as_of or f"source {', '.join(step.sources)[:14]}"
            bar_cls = "bar conflict" if r.conflict else "bar"
            out.append(f'<text class="who" x="{bar_x - 6}" y="{y}" font-size="11" text-anchor="end">'
                       f'{escape(_short(who, 18))}</text>')
            out.append(f'<rect class="{bar_cls}" x="{bar_x}" y="{y - 11}" width="{w:.1f}" height="13">'
                       f'<title>{escape(step.label)}</title></rect>')
            out.append(f'<text class="val" x="{bar_x + w + 4:.1f}" y="{y}" font-size="11">'
                       f'{escape(_short(step.label, 16))}</text>')
            y += 20
        y += 2
    out.append("</svg>")
    return Markup("".join(out))


def figure_values(brief: Brief) -> dict[tuple[str, str | None, bool], list[float]]:
    """The numeric value of every step of every figure row (in :func:`report.figure_rows` order)."""
    out: dict[tuple[str, str | None, bool], list[float]] = {}
    for f in sorted(brief.figures, key=lambda f: (f.as_of or "", f.value)):
        out.setdefault((f.measure, f.scope, f.background), []).append(f.value)
    return out


def _leading_number(label: str) -> float:
    import re

    m = re.search(r"\d[\d,]*(?:\.\d+)?", label)
    return float(m.group(0).replace(",", "")) if m else 0.0
