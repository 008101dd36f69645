"""``newsdesk eval timeline --dataset timeline17``: dated timelines against journalists' timelines.

Each visible Timeline17 set (a topic followed by one outlet: its articles and its journalists'
timeline; Tran et al. 2013) is one story.  For a timeline of N days, newsdesk keeps N days, exactly
as ``newsdesk timeline PATH --dates N`` does (the topic's articles, the number of days; unlike the
literature's setting nothing else of the reference is used, not its time span).

Date selection is scored by **date F1** (precision and recall of the kept days against the
reference days) for four rankers, in the same run, on the same candidates:

``held-out``     the learned ranker (:mod:`newsdesk.briefing.daterank`) fitted on the *other* topics
                 only (leave-one-topic-out: every outlet of the held-out topic is left out of
                 training; topics are the folder names before ``_``) — the figure to quote;
``shipped``      the weights shipped with newsdesk, fitted on all visible sets (in-sample here);
``rule``         the previous rule (articles mentioning the day + a quarter per publication);
``publication``  the days most articles were published on.

The texts of the held-out timeline (its days' events, :func:`newsdesk.briefing.timeline.events_for_days`)
are scored with the timeline ROUGE of the literature (:mod:`newsdesk.eval.timeline_rouge`: concat,
agreement and align+ m:1, ROUGE-1 and -2).  Published figures on Timeline17 are printed beside them
(:data:`PUBLISHED`; note their setting: whole topics pooled over outlets, articles and days cut to the
reference timeline's span).
"""

from __future__ import annotations

import datetime as _dt
import json
import logging
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import typer

from .common import require_dataset

log = logging.getLogger(__name__)

# (system, date F1, align+ m:1 ROUGE-1 F1, ROUGE-2 F1, source) on Timeline17, as published, in the literature's
# setting (see the module doc).  The date F1 figures are those quoted by issue #20; the papers' alignment ROUGE
# figures could not be checked against their tables here, so none is quoted (None) (docs/timeline.md).
PUBLISHED: list[tuple[str, float | None, float | None, float | None, str]] = [
    ("Datewise (supervised date ranking)", 0.544, None, None, "Gholipour Ghalandari & Ifrim 2020, ACL"),
    ("LLM-TLS", 0.528, None, None, "Hu, Moon & Ng 2024, ACL"),
    ("SUnSET (LLM-based)", 0.590, None, None, "Sim et al. 2025, arXiv 2507.21903 (0.576-0.590 by variant)"),
]

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}
RANKER_NAMES = ("held-out", "shipped", "rule", "publication")


def detokenize(text: str) -> str:
    """Undo the PTB bracket escapes of the news-tls preprocessing (the spacing is kept)."""
    return re.sub(r"-[LR][RSC]B-", lambda m: _PTB[m.group(0)], text)


def load_topic(folder: Path) -> tuple[list[Any], list[tuple[str, list[dict[str, str]]]]]:
    """(articles, [(gold timeline name, [{date, text}])]) of one Timeline17 topic folder."""
    from ..models import Article

    articles = []
    src = folder / "articles.json"
    if src.is_file():
        for rec in json.loads(src.read_text(encoding="utf-8")):
            text = detokenize(rec.get("text") or "").strip()
            if not text:
                continue
            try:
                published = _dt.date.fromisoformat(str(rec.get("dct"))[:10])
            except ValueError:
                published = None
            articles.append(Article(id=str(rec["uid"]), text=text, published=published, source=folder.name))
    golds = []
    for f in sorted(folder.glob("*.timeline.json")):
        golds.append((f.name, json.loads(f.read_text(encoding="utf-8"))))
    return articles, golds


@dataclass
class TimelineSet:
    """One reference timeline with its articles and their candidate days."""

    name: str  # "<folder>/<timeline file>"
    topic: str  # the folder name before "_"
    articles: list[Any]
    gold: list[str]  # reference days, sorted
    gold_texts: dict[str, str]
    table: Any = field(repr=False)  # daterank.DateTable
    dates: list[Any] = field(repr=False, default_factory=list)  # per article, its DateMentions


def load_sets(root: Path, topics: list[str] | None = None) -> list[TimelineSet]:
    """Every (folder, reference timeline) pair under ``root`` with articles; candidate days from raw text."""
    from ..briefing import daterank
    from ..dates import find_dates

    sets = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        if topics and folder.name not in topics:
            continue
        articles, golds = load_topic(folder)
        if not articles:
            log.warning("%s: no articles.json, skipped", folder.name)
            continue
        dates = [find_dates(a.text, a.published) for a in articles]
        table = daterank.date_table([(a.published, d) for a, d in zip(articles, dates)])
        for name, gold in golds:
            texts: dict[str, str] = {}
            for ev in gold:
                day = ev["date"][:10]
                texts[day] = (texts.get(day, "") + " " + detokenize(ev["text"])).strip()
            sets.append(TimelineSet(f"{folder.name}/{name}", folder.name.split("_")[0], articles,
                                    sorted(texts), texts, table, dates))
    return sets


def loto_rankings(sets: list[TimelineSet]) -> dict[str, list[str]]:
    """Each set's days ranked by weights fitted on the sets of the *other* topics."""
    from ..briefing import daterank

    out: dict[str, list[str]] = {}
    for topic in sorted({s.topic for s in sets}):
        train = [(s.table, s.gold) for s in sets if s.topic != topic]
        weights = daterank.fit_weights(train) if train else daterank.load_model()["weights"]
        log.info("held out %s: weights %s", topic, weights)
        for s in sets:
            if s.topic == topic:
                out[s.name] = daterank.rank(s.table, daterank.score(s.table, weights))
    return out


def _rankings(sets: list[TimelineSet]) -> dict[str, dict[str, list[str]]]:
    from ..briefing import daterank

    out = {"held-out": loto_rankings(sets)}
    for label, name in (("shipped", "learned"), ("rule", "rule"), ("publication", "publication")):
        out[label] = {s.name: daterank.rank(s.table, daterank.RANKERS[name](s.table)) for s in sets}
    return out


def _texts(s: TimelineSet, days: list[str], options: Any, nlp: Any) -> dict[str, str]:
    """The held-out timeline's texts: its days' events, built by the timeline itself."""
    from ..briefing.timeline import events_for_days, scoped
    from ..dedup import mark_duplicates

    originals = {a.id for a in mark_duplicates(s.articles, options) if a.duplicate_of is None}
    idx = [i for i, a in enumerate(s.articles) if a.id in originals]
    dated = [(s.articles[i].published, s.dates[i]) for i in idx]
    keep, scope = scoped([s.articles[i] for i in idx], dated, days, options.timeline_background)  # as api.timeline
    parsed = nlp.parse_many(scope, deep=False)
    events = events_for_days(parsed, days, options, art_dates=[s.dates[idx[j]] for j in keep])
    pred: dict[str, str] = {}
    for e in events:
        if not e.background and len(e.date) == 10:
            pred[e.date] = (pred.get(e.date, "") + " " + e.text).strip()
    return pred


def evaluate(root: Path, topics: list[str] | None = None, options: Any = None,
             echo: Any = None, texts: bool = True) -> dict[str, Any]:
    """Score every (set, reference timeline) pair under ``root``: per-set rows and means."""
    from ..briefing.daterank import date_f1
    from ..nlp import NLP
    from ..options import DEFAULT_OPTIONS
    from .timeline_rouge import timeline_rouge

    options = options or DEFAULT_OPTIONS
    sets = load_sets(root, topics)
    ranked = _rankings(sets)
    nlp = NLP(options)
    rows: list[dict[str, Any]] = []
    for s in sets:
        t0 = time.perf_counter()
        n = len(s.gold)
        row: dict[str, Any] = {"set": s.name, "topic": s.topic, "articles": len(s.articles), "dates": n}
        for label in RANKER_NAMES:
            row[f"f1_{label}"] = date_f1(ranked[label][s.name][:n], s.gold)
        if texts:
            pred = _texts(s, ranked["held-out"][s.name][:n], options, nlp)
            row["rouge"] = timeline_rouge(pred, s.gold_texts)
        row["seconds"] = round(time.perf_counter() - t0, 1)
        rows.append(row)
        if echo:
            echo(row)
    return {"dataset": "timeline17", "rows": rows, "mean": _means(rows),
            "published": [{"system": p[0], "date_f1": p[1], "ar1_f1": p[2], "ar2_f1": p[3], "source": p[4]}
                          for p in PUBLISHED]}


def _means(rows: list[dict[str, Any]]) -> dict[str, float]:
    def avg(xs: list[float]) -> float:
        return sum(xs) / len(xs) if xs else 0.0

    out = {f"f1_{label}": avg([r[f"f1_{label}"] for r in rows]) for label in RANKER_NAMES}
    out["min_f1_held-out"] = min((r["f1_held-out"] for r in rows), default=0.0)
    for key in (rows[0].get("rouge") or {}) if rows else {}:
        for part in ("p", "r", "f1"):
            out[f"{key}_{part}"] = avg([r["rouge"][key][part] for r in rows])
    return out


def _rouge_cells(get: Any) -> list[str]:
    return [get("align-1"), get("align-2"), f"{get('concat-1')}/{get('concat-2')}",
            f"{get('agreement-1')}/{get('agreement-2')}"]


def _table(res: dict[str, Any]) -> Any:
    from rich.table import Table

    t = Table("set", "N", "held-out", "shipped*", "rule", "publ.", "AR-1", "AR-2", "concat R-1/R-2",
              "agree R-1/R-2", title="Timeline17 date F1 (newsdesk timeline --dates N) and timeline ROUGE F1")
    for r in res["rows"]:
        rg = r.get("rouge") or {}
        t.add_row(r["set"].split("/")[0], str(r["dates"]), *(f"{r[f'f1_{x}']:.3f}" for x in RANKER_NAMES),
                  *_rouge_cells(lambda k, rg=rg: f"{rg[k]['f1']:.3f}" if rg else "-"))
    m = res["mean"]
    t.add_row("mean", "", *(f"{m[f'f1_{x}']:.3f}" for x in RANKER_NAMES),
              *_rouge_cells(lambda k: f"{m[k + '_f1']:.3f}" if k + "_f1" in m else "-"))
    return t


def register(app: typer.Typer) -> None:
    @app.command("timeline")
    def timeline_cmd(
        dataset: str = typer.Option("timeline17", "--dataset", help="Only timeline17 is available."),
        shared: Path | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        topic: list[str] = typer.Option([], "--topic", help="Only these topic folders (repeatable)."),
        dates_only: bool = typer.Option(False, "--dates-only", help="Date F1 only (no parse, no ROUGE)."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """Date F1 (held-out-topic learned ranker, shipped ranker, rule and publication baselines) and
        timeline ROUGE against Timeline17's journalist timelines."""
        from rich.console import Console

        err = Console(stderr=True, highlight=False)
        root = require_dataset("timeline", dataset, {"timeline17": "timeline17"}, shared)

        def echo(row: dict[str, Any]) -> None:
            extra = f", AR-2 F1 {row['rouge']['align-2']['f1']:.3f}" if "rouge" in row else ""
            err.print(f"{row['set']}: date F1 held-out {row['f1_held-out']:.3f}{extra} "
                      f"({row['articles']} articles, {row['seconds']} s)", markup=False)

        res = evaluate(root, list(topic) or None, echo=echo, texts=not dates_only)
        if as_json:
            print(json.dumps(res, indent=2))
            return
        out = Console(highlight=False, width=max(Console().width, 150))  # the table is wide
        out.print(_table(res))
        m = res["mean"]
        out.print(f"leave-one-topic-out mean date F1 {m['f1_held-out']:.3f} (lowest set {m['min_f1_held-out']:.3f}); "
                  f"rule {m['f1_rule']:.3f}, publication {m['f1_publication']:.3f}; "
                  "* shipped = fitted on all visible sets (in-sample here)", markup=False)
        for p in PUBLISHED:
            out.print(f"published, {p[0]}: date F1 {p[1]}, AR-1 F1 {_or_dash(p[2])}, AR-2 F1 {_or_dash(p[3])} ({p[4]})",
                      markup=False)


def _or_dash(v: float | None) -> str:
    """A published figure, or a dash where none is quoted."""
    return "—" if v is None else f"{v}"
