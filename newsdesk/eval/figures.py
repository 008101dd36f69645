"""``newsdesk eval figures``: key figures and conflicts against the real-news figures gold.

The gold (``newsdesk/eval/gold/``, described in :mod:`._figures_data` and docs/figures.md)
labels every number mention of 46 real articles — Timeline17 (H1N1, BP oil spill, Haiti
earthquake, Michael Jackson) and Multi-News test clusters, 13 stories — as a figure
(measure, scope, background or not) or not a figure (why), and lists each story's real
conflicts and updates.  Scores, newsdesk beside a baseline that takes every number:

* **figure precision**: system figures whose number overlaps a gold figure / system figures;
* **figure recall**: gold figures overlapped by a system figure / gold figures;
* **measure accuracy**: of the matched figures, those whose measure is the gold's
  (:func:`newsdesk.briefing.figures.measure_class`: the same event class — "killed",
  "cases", "money", ... — or the same counted word);
* **background accuracy**: of the matched figures, background labelled as the gold does;
* **conflict precision**: system conflicts holding two values, from different articles,
  of one gold conflict / system conflicts; **updates shown as conflicts**: system
  conflicts that are not real but whose values are two steps of one gold update.

``--cv`` also tunes the recognition thresholds by leave-one-story-out cross-validation
(for each held-out story, the values that maximise recall with precision >= 0.90 on the
other stories) and reports the held-out figures.
"""

from __future__ import annotations

import itertools
import json
import logging
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import typer

from .common import data_dir

log = logging.getLogger(__name__)

# the grid the cross-validation searches (FigureRules fields and the conflict ratio)
GRID = {"people_min": (1, 2, 3, 5, 10), "thing_min": (2, 3, 5, 10, 20, 50), "max_ratio": (1.5, 2.0, 3.0, 5.0, 10.0)}
PRECISION_FLOOR = 0.90


@dataclass
class StoryRun:
    """One story's articles, parses and gold."""

    story: Any
    articles: list[Any]
    parsed: list[Any]
    originals: set[str]
    gold: list[Any]  # GoldMention of the story's articles
    candidates: list[Any] | None = None  # newsdesk's figure candidates (cached across parameters)


@dataclass
class Tally:
    sys: int = 0
    sys_ok: int = 0
    gold: int = 0
    gold_found: int = 0
    matched: int = 0
    measure_ok: int = 0
    background_ok: int = 0
    conflicts: int = 0
    conflicts_ok: int = 0
    updates_as_conflicts: int = 0
    gold_conflicts: int = 0
    gold_conflicts_found: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: Tally) -> None:
        for k, v in vars(other).items():
            if k == "errors":
                self.errors += v
            else:
                setattr(self, k, getattr(self, k) + v)

    def scores(self) -> dict[str, Any]:
        def r(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {"figure_precision": r(self.sys_ok, self.sys), "figure_recall": r(self.gold_found, self.gold),
                "measure_accuracy": r(self.measure_ok, self.matched),
                "background_accuracy": r(self.background_ok, self.matched),
                "conflict_precision": r(self.conflicts_ok, self.conflicts),
                "conflict_recall": r(self.gold_conflicts_found, self.gold_conflicts),
                "system_figures": self.sys, "gold_figures": self.gold, "system_conflicts": self.conflicts,
                "real_conflicts_found": self.conflicts_ok, "updates_shown_as_conflicts": self.updates_as_conflicts,
                "gold_conflicts": self.gold_conflicts}


# --- loading -------------------------------------------------------------------------------------------------

def load_runs(shared: str | None = None, nlp: Any = None) -> list[StoryRun]:
    """The gold stories with their rebuilt, deduplicated and deep-parsed articles."""
    import newsdesk
    from newsdesk.nlp import NLP

    from ._figures_data import load_articles, load_gold

    stories, mentions, sha = load_gold()
    root = data_dir("timeline17", shared).parent
    arts = load_articles(root, list(sha), sha)
    nlp = nlp or NLP()
    runs = []
    for s in stories:
        members = [arts[a] for a in s.articles]
        deduped = newsdesk.dedupe(members)
        parsed = nlp.parse_many(members, deep=True)
        runs.append(StoryRun(s, members, parsed, {a.id for a in deduped if a.duplicate_of is None},
                             [m for m in mentions if m.article_id in set(s.articles)]))
    return runs


# --- systems ---------------------------------------------------------------------------------------------------

def newsdesk_system(run: StoryRun, params: dict[str, float]) -> tuple[list[Any], list[list[Any]]]:
    """(figure mentions, conflict groups) of newsdesk on one story with ``params``."""
    from newsdesk.briefing.figures import DEFAULT_RULES, admits, figure_candidates, rival_groups

    rules = replace(DEFAULT_RULES, **{k: v for k, v in params.items() if k != "max_ratio"})
    if run.candidates is None:
        run.candidates = figure_candidates(run.parsed)
    mentions = [m for m in run.candidates if admits(m, rules)]
    originals = [m for m in mentions if m.article_id in run.originals]
    ratio = params.get("max_ratio")
    groups = rival_groups(originals, ratio) if ratio else rival_groups(originals)
    return mentions, [g for _, g in groups]


@dataclass(frozen=True)
class _Bare:
    """A baseline figure: a number and the word after it."""

    article_id: str
    start: int
    end: int
    value: float
    measure: str
    background: bool = False


def baseline_system(run: StoryRun) -> tuple[list[Any], list[list[Any]]]:
    """Every number is a figure, its measure the word after it; values of one measure from
    different articles that differ are a conflict."""
    from newsdesk.briefing.figures import parse_number

    from ._figures_data import number_mentions

    mentions = []
    for a in run.articles:
        for s, e in number_mentions(a.text):
            parsed = parse_number(a.text[s:e].lstrip("$£€#"))
            after = re.match(r"\s*([A-Za-z]+)", a.text[e:])
            mentions.append(_Bare(a.id, s, e, parsed[0] if parsed else 0.0, after.group(1).lower() if after else ""))
    by_measure: dict[str, list[_Bare]] = {}
    for m in mentions:
        if m.article_id in run.originals:
            by_measure.setdefault(m.measure, []).append(m)
    groups = []
    for ms in by_measure.values():
        if len({m.value for m in ms}) > 1 and len({m.article_id for m in ms}) > 1:
            groups.append(ms)
    return mentions, groups


# --- scoring -----------------------------------------------------------------------------------------------------

def _overlap(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


def score(run: StoryRun, mentions: Sequence[Any], groups: Sequence[Sequence[Any]]) -> Tally:
    from newsdesk.briefing.figures import measure_class

    t = Tally()
    figs = [g for g in run.gold if g.figure]
    by_article: dict[str, list[Any]] = {}
    for g in figs:
        by_article.setdefault(g.article_id, []).append(g)
    found: set[tuple[str, int]] = set()
    for m in mentions:
        t.sys += 1
        hits = [g for g in by_article.get(m.article_id, ()) if _overlap(m.start, m.end, g.start, g.end)]
        if not hits:
            t.errors.append(f"FP {m.article_id}:{m.start} {m.measure!r} {m.value}")
            continue
        t.sys_ok += 1
        found.update((g.article_id, g.start) for g in hits)
        g = hits[0]
        t.matched += 1
        same = measure_class(m.measure) == measure_class(g.measure) or _words(m.measure) & _words(g.measure)
        t.measure_ok += bool(same)
        t.background_ok += bool(getattr(m, "background", False)) == g.background
    t.gold = len(figs)
    t.gold_found = len(found)
    for g in figs:
        if (g.article_id, g.start) not in found:
            t.errors.append(f"FN {g.article_id}:{g.start} {g.measure!r} ({g.scope})")
    _score_conflicts(run, groups, t)
    return t


def _words(measure: str) -> set[str]:
    stop = {"people", "a", "the", "of", "day", "in"}
    return {w.rstrip("s") for w in re.findall(r"[a-z]+", measure.lower()) if w not in stop}


def _gold_sets(run: StoryRun, sets: Sequence[Sequence[tuple[str, int]]]) -> list[list[Any]]:
    by_key = {(g.article_id, g.start): g for g in run.gold}
    return [[by_key[(a, o)] for a, o in s if (a, o) in by_key] for s in sets]


def _score_conflicts(run: StoryRun, groups: Sequence[Sequence[Any]], t: Tally) -> None:
    conflicts = _gold_sets(run, run.story.conflicts)
    updates = _gold_sets(run, run.story.updates)

    def in_set(m: Any, gold: Sequence[Any]) -> Any:
        return next((g for g in gold if g.article_id == m.article_id and _overlap(m.start, m.end, g.start, g.end)),
                    None)

    def two_of(group: Sequence[Any], gold: Sequence[Any], other_article: bool) -> bool:
        hits = [(m, in_set(m, gold)) for m in group]
        hits = [(m, g) for m, g in hits if g is not None]
        return any(a.value != b.value and (a.article_id != b.article_id or not other_article)
                   for (a, _), (b, _) in itertools.combinations(hits, 2))

    covered = set()
    for group in groups:
        t.conflicts += 1
        real = [i for i, c in enumerate(conflicts) if two_of(group, c, True)]
        if real:
            t.conflicts_ok += 1
            covered.update(real)
        elif any(two_of(group, u, False) for u in updates):
            t.updates_as_conflicts += 1
            t.errors.append("UPDATE AS CONFLICT " + "; ".join(f"{m.article_id}:{m.start}={m.value}" for m in group))
        else:
            t.errors.append("FALSE CONFLICT " + "; ".join(f"{m.article_id}:{m.start}={m.value}" for m in group))
    t.gold_conflicts += len(conflicts)
    t.gold_conflicts_found += len(covered)


# --- runs --------------------------------------------------------------------------------------------------------

def evaluate(runs: Sequence[StoryRun], params: dict[str, float] | None = None) -> dict[str, Any]:
    """newsdesk (default or given parameters) and the baseline on every story, in one run."""
    ours, base = Tally(), Tally()
    for run in runs:
        ours.add(score(run, *newsdesk_system(run, params or {})))
        base.add(score(run, *baseline_system(run)))
    return {"newsdesk": ours.scores(), "baseline": base.scores(), "stories": len(runs),
            "articles": sum(len(r.articles) for r in runs), "errors": ours.errors}


def _objective(t: Tally, params: dict[str, float]) -> tuple[float, ...]:
    """Settings that meet the floors (figure precision >= 0.90, conflict precision >= 0.80,
    no update shown as a conflict) first; then F0.5 (precision weighs twice recall: a wrong
    figure costs more than a missing one), real conflicts found, fewer false ones; ties go to
    the conflict ratio nearest 3 (the prior value) so few conflicts do not pull it to an edge."""
    s = t.scores()
    p, r = s["figure_precision"] or 0.0, s["figure_recall"] or 0.0
    cp = s["conflict_precision"] if s["conflict_precision"] is not None else 1.0
    ok = p >= PRECISION_FLOOR and cp >= 0.8 and not t.updates_as_conflicts
    f05 = 1.25 * p * r / (0.25 * p + r) if p + r else 0.0
    return (ok, round(f05, 3), t.conflicts_ok, -t.conflicts, -abs(math.log(params.get("max_ratio", 3.0) / 3.0)))


def cross_validate(runs: Sequence[StoryRun]) -> dict[str, Any]:
    """Leave-one-story-out: tune on the other stories, score the held-out one."""
    names = list(GRID)
    combos = [dict(zip(names, values)) for values in itertools.product(*GRID.values())]
    cache: dict[tuple[int, int], Tally] = {}
    for ci, params in enumerate(combos):
        for si, run in enumerate(runs):
            cache[(ci, si)] = score(run, *newsdesk_system(run, params))
    held = Tally()
    chosen = []
    for si, run in enumerate(runs):
        def train(ci: int, si: int = si) -> Tally:
            t = Tally()
            for sj in range(len(runs)):
                if sj != si:
                    t.add(cache[(ci, sj)])
            return t

        best = max(range(len(combos)), key=lambda ci: _objective(train(ci), combos[ci]))
        chosen.append({"held_out": run.story.id, **combos[best]})
        held.add(cache[(best, si)])
    everything = max(range(len(combos)), key=lambda ci: _objective(_sum(cache, ci, len(runs)), combos[ci]))
    return {"held_out": held.scores(), "chosen": chosen, "best_on_all": combos[everything],
            "all_with_best": _sum(cache, everything, len(runs)).scores()}


def _sum(cache: dict[tuple[int, int], Tally], ci: int, n: int) -> Tally:
    t = Tally()
    for si in range(n):
        t.add(cache[(ci, si)])
    return t


def register(app: typer.Typer) -> None:
    @app.command("figures")
    def figures_cmd(
        shared: Path | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        cv: bool = typer.Option(False, "--cv", help="Also tune by leave-one-story-out cross-validation."),
        errors: bool = typer.Option(False, "--errors", help="List every error (ids and offsets)."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """Figure precision/recall, measure accuracy and conflict precision on the real-news gold."""
        from rich.console import Console

        from .common import DataMissingError

        err = Console(stderr=True, highlight=False)
        try:
            runs = load_runs(str(shared) if shared else None)
        except (DataMissingError, ValueError) as exc:
            err.print(f"newsdesk: {exc}", markup=False)
            raise typer.Exit(2) from exc
        res = evaluate(runs)
        if cv:
            res["cross_validation"] = cross_validate(runs)
        if not errors:
            res.pop("errors")
        if as_json:
            print(json.dumps(res, indent=2))
            return
        _print(res)


def _print(res: dict[str, Any]) -> None:
    from rich.console import Console
    from rich.table import Table

    out = Console(highlight=False)
    out.print(f"figures gold: {res['stories']} stories, {res['articles']} real articles")
    table = Table("system", "fig P", "fig R", "measure acc", "bg acc", "conflict P", "conflict R",
                  "conflicts", "updates as conflicts")
    rows = [("newsdesk", res["newsdesk"]), ("every number (baseline)", res["baseline"])]
    if "cross_validation" in res:
        rows.insert(1, ("newsdesk, held-out folds", res["cross_validation"]["held_out"]))

    def f(v: Any) -> str:
        return "n/a" if v is None else f"{v:.3f}" if isinstance(v, float) else str(v)

    for name, s in rows:
        table.add_row(name, f(s["figure_precision"]), f(s["figure_recall"]), f(s["measure_accuracy"]),
                      f(s["background_accuracy"]), f(s["conflict_precision"]), f(s["conflict_recall"]),
                      f(s["system_conflicts"]), f(s["updates_shown_as_conflicts"]))
    out.print(table)
    if "cross_validation" in res:
        out.print(f"chosen on all stories: {res['cross_validation']['best_on_all']}")
    for e in res.get("errors", ()):
        out.print(e, markup=False)
