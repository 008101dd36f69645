"""``newsdesk eval cluster --dataset basil|duc2004|multinews|timeline17|neus``: story clustering.

All documents of a data set are mixed into ONE corpus, clustered exactly as
``newsdesk cluster`` does (``newsdesk.cluster``: dedupe, then the cheap-tier
clusterer), and the partition is scored against the gold stories:

``basil``       the ``triplet-uuid`` of each article (100 events x 3 outlets);
``duc2004``     the DUC 2004 task 2 cluster folder (50 x 10 newswire documents);
``multinews``   the Multi-News test example (``split == "test"``, all its ``cleansed_document``);
``timeline17``  the Timeline17 topic (the folder name before ``_``: BP oil spill, H1N1, ...);
``neus``        the AllSides headline roundup of NeuS's crawl (506 roundups of a left, a centre and a
                right outlet's title and opening, April-October 2021; each article dated by its
                roundup, as the crawl gives no article dates).

Metrics: B-cubed precision/recall/F1 (Bagga and Baldwin 1998: per-document overlap of
its predicted and gold clusters, averaged over documents) and pairwise precision/
recall/F1 over same-story document pairs.

A plain baseline is run beside newsdesk on the same articles: TF-IDF of title + full
text (scikit-learn defaults, English stop words) and scipy average-linkage clustering
on cosine distance, with its cut tuned on the very data it is scored on (an optimistic
baseline; its tuned similarity threshold is printed).
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
import time
from collections.abc import Callable, Hashable, Mapping, Sequence
from pathlib import Path
from typing import Any

import typer

from ..models import Article
from .common import data_dir

__all__ = ["register", "bcubed", "pairwise", "load_dataset", "LOADERS", "evaluate"]

DATASETS = {
    "basil": "basil",
    "duc2004": "duc2004-task2",
    "multinews": "multi-news-test",
    "timeline17": "timeline17",
    "neus": "neus-allsides",
}


# --- metrics -------------------------------------------------------------------------------

def _groups(labels: Mapping[str, Hashable]) -> dict[Hashable, set[str]]:
    out: dict[Hashable, set[str]] = {}
    for k, v in labels.items():
        out.setdefault(v, set()).add(k)
    return out


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """B-cubed precision, recall and F1 of ``pred`` against ``gold`` (both: item -> cluster)."""
    items = [k for k in gold if k in pred]
    if not items:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    pg = _groups({k: pred[k] for k in items})
    gg = _groups({k: gold[k] for k in items})
    p = r = 0.0
    for k in items:
        pc, gc = pg[pred[k]], gg[gold[k]]
        both = len(pc & gc)
        p += both / len(pc)
        r += both / len(gc)
    p, r = p / len(items), r / len(items)
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


def pairwise(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, float]:
    """Precision, recall and F1 over the pairs of items put in one cluster."""
    items = [k for k in gold if k in pred]
    pg = _groups({k: pred[k] for k in items})
    gg = _groups({k: gold[k] for k in items})
    pairs_pred = sum(len(c) * (len(c) - 1) // 2 for c in pg.values())
    pairs_gold = sum(len(c) * (len(c) - 1) // 2 for c in gg.values())
    both = 0
    for c in pg.values():
        sub: dict[Hashable, int] = {}
        for k in c:
            sub[gold[k]] = sub.get(gold[k], 0) + 1
        both += sum(n * (n - 1) // 2 for n in sub.values())
    p = both / pairs_pred if pairs_pred else 1.0
    r = both / pairs_gold if pairs_gold else 1.0
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


# --- loaders: data set -> (articles, gold story of each article id) -------------------------

Loaded = tuple[list[Article], dict[str, str]]


def _date(s: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def load_basil(root: Path) -> Loaded:
    arts, gold = [], {}
    for f in sorted(root.glob("articles/*/*.json")):
        d = json.loads(f.read_text(encoding="utf-8"))
        paras = d.get("body-paragraphs") or []
        if isinstance(paras, str):
            paras = ast.literal_eval(paras)
        text = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in paras)
        aid = f"{f.parent.name}/{f.stem}"
        arts.append(Article(id=aid, text=text, title=d.get("title") or None, source=d.get("source") or None,
                            url=d.get("url") or None, published=_date(d.get("date"))))
        gold[aid] = d["triplet-uuid"]
    return arts, gold


def load_duc2004(root: Path) -> Loaded:
    arts, gold = [], {}
    for f in sorted(root.glob("docs/*/*.txt")):
        text = f.read_text(encoding="utf-8", errors="replace").strip()
        text = re.sub(r"[ \t]*\n[ \t]*(?!\n)", " ", text)  # hard-wrapped lines -> one paragraph
        aid = f"{f.parent.name}/{f.name}"
        arts.append(Article(id=aid, text=text))
        gold[aid] = f.parent.name
    return arts, gold


def load_multinews(root: Path) -> Loaded:
    arts, gold = [], {}
    for f in sorted(root.glob("multinewsplus_chunks/*.json")):
        for rec in json.loads(f.read_text(encoding="utf-8")):
            if rec.get("split") != "test":
                continue
            for n, doc in enumerate(rec.get("cleansed_document") or [], 1):
                if not doc or not doc.strip():
                    continue
                aid = f"{rec['idx']}#{n}"
                arts.append(Article(id=aid, text=doc.strip()))
                gold[aid] = str(rec["idx"])
    return arts, gold


_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}


def load_timeline17(root: Path) -> Loaded:
    arts, gold = [], {}
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        f = folder / "articles.json"
        if not f.is_file():
            continue
        topic = folder.name.split("_")[0]
        for d in json.loads(f.read_text(encoding="utf-8")):
            text = " ".join(_PTB.get(t, t) for t in str(d.get("text") or "").split())
            if not text:
                continue
            aid = f"{folder.name}/{d['uid']}"
            arts.append(Article(id=aid, text=text, published=_date(d.get("dct"))))
            gold[aid] = topic
    return arts, gold


def load_neus(root: Path) -> Loaded:
    arts, gold = [], {}
    for f in sorted(root.glob("raw_crawled/*.jsonl")):
        for line in f.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            rec = json.loads(line)
            for side, d in sorted((rec.get("news") or {}).items()):
                body = d.get("newBody") or []
                text = "\n\n".join(body) if isinstance(body, list) else str(body)
                if not text.strip():
                    continue
                aid = f"{rec['id']}/{side}"
                arts.append(Article(id=aid, text=text.strip(), title=d.get("newsTitle") or None,
                                    source=d.get("newsSource") or None, url=d.get("newsLink") or None,
                                    published=_date(rec.get("date"))))
                gold[aid] = str(rec["id"])
    return arts, gold


LOADERS: dict[str, Callable[[Path], Loaded]] = {
    "basil": load_basil,
    "duc2004": load_duc2004,
    "multinews": load_multinews,
    "timeline17": load_timeline17,
    "neus": load_neus,
}


def load_dataset(name: str, shared: str | None = None) -> Loaded:
    """The articles of data set ``name`` and the gold story of each article id."""
    if name not in LOADERS:
        raise typer.BadParameter(f"unknown data set {name!r}; choose from {', '.join(LOADERS)}")
    return LOADERS[name](data_dir(DATASETS[name], shared))


# --- systems -------------------------------------------------------------------------------

def newsdesk_labels(articles: Sequence[Article], options: Any) -> dict[str, str]:
    """Story of each article id, as ``newsdesk cluster`` finds them."""
    from .. import api

    return {aid: s.id for s in api.cluster(articles, options) for aid in s.article_ids}


def incremental_labels(articles: Sequence[Article], options: Any, batch: int = 100) -> dict[str, str]:
    """Story of each article id when the articles arrive as a stream (oldest first, then by id)
    in batches of ``batch``, through ``newsdesk.api.Clusterer``."""
    from .. import api

    order = sorted(articles, key=lambda a: (a.published or dt.date.min, a.id))
    c = api.Clusterer(options)
    for start in range(0, len(order), batch):
        c.add(order[start:start + batch])
    return {aid: s.id for s in c.stories() for aid in s.article_ids}


def baseline_sweep(articles: Sequence[Article], gold: Mapping[str, str],
                   thresholds: Sequence[float]) -> list[tuple[float, dict[str, float]]]:
    """The plain baseline's B-cubed scores at each cosine-similarity cut."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform
    from sklearn.feature_extraction.text import TfidfVectorizer

    x = TfidfVectorizer(stop_words="english").fit_transform([f"{a.title or ''} {a.text}" for a in articles])
    sim = (x @ x.T).toarray()
    dist = np.clip(1.0 - sim, 0.0, None)
    np.fill_diagonal(dist, 0.0)
    z = linkage(squareform(dist, checks=False), method="average")
    out = []
    for t in thresholds:
        lab = fcluster(z, t=1.0 - t, criterion="distance")
        pred = {a.id: int(lab[i]) for i, a in enumerate(articles)}
        out.append((t, bcubed(pred, gold) | {"pairwise_f1": pairwise(pred, gold)["f1"]}))
    return out


def evaluate(name: str, options: Any, shared: str | None = None, *, baseline: bool = True,
             sweep: Sequence[float] = (), incremental: bool = False) -> dict[str, Any]:
    """Scores of newsdesk (and the tuned baseline) on data set ``name``."""
    articles, gold = load_dataset(name, shared)
    t0 = time.perf_counter()
    pred = incremental_labels(articles, options) if incremental else newsdesk_labels(articles, options)
    secs = time.perf_counter() - t0
    res: dict[str, Any] = {
        "dataset": name, "documents": len(articles), "stories": len(set(gold.values())),
        "newsdesk": {"mode": "incremental" if incremental else "batch",
                     "threshold": options.cluster_threshold, "seconds": round(secs, 2),
                     "stories_found": len(set(pred.values())),
                     "bcubed": bcubed(pred, gold), "pairwise": pairwise(pred, gold)},
    }
    if sweep:
        res["newsdesk_sweep"] = []
        for t in sweep:
            p = newsdesk_labels(articles, options.replace(cluster_threshold=t))
            res["newsdesk_sweep"].append({"threshold": t, "bcubed_f1": bcubed(p, gold)["f1"],
                                          "pairwise_f1": pairwise(p, gold)["f1"]})
    if baseline:
        t0 = time.perf_counter()
        grid = [round(0.02 + 0.01 * i, 2) for i in range(59)]
        scores = baseline_sweep(articles, gold, grid)
        best_t, best = max(scores, key=lambda ts: (ts[1]["f1"], -ts[0]))
        res["baseline"] = {"name": "tfidf+average-linkage (threshold tuned on this data)",
                           "threshold": best_t, "seconds": round(time.perf_counter() - t0, 2),
                           "bcubed": {k: best[k] for k in ("precision", "recall", "f1")},
                           "pairwise_f1": best["pairwise_f1"]}
    return res


def register(app: typer.Typer) -> None:
    @app.command("cluster")
    def cluster_cmd(
        dataset: str = typer.Option(..., "--dataset", "-d", help="basil | duc2004 | multinews | timeline17"),
        shared: str | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        threshold: float | None = typer.Option(None, "--threshold", help="Override Options.cluster_threshold."),
        baseline: bool = typer.Option(True, "--baseline/--no-baseline", help="Also run the tuned baseline."),
        sweep: str = typer.Option("", "--sweep", help="Comma-separated thresholds to score newsdesk at too."),
        incremental: bool = typer.Option(False, "--incremental", help="Feed newsdesk the articles as a stream "
                                         "(oldest first, batches of 100) through Clusterer.add."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
        topics: bool = typer.Option(False, "--topics", help="Score the topic level instead: topic B-cubed, story "
                                    "precision against the same gold, and (--cv) leave-one-topic-out tuning."),
        cv: bool = typer.Option(False, "--cv", help="With --topics: tune (topic_threshold, topic_gap_days) "
                                "leave-one-topic-out and report the held-out scores."),
        time_aware: bool = typer.Option(False, "--time-aware", help="Score with and without the time rules "
                                        "(story gap and span, decay, event cut: all off is main's rule before "
                                        "#19) in the same run."),
    ) -> None:
        """Story clustering: B-cubed and pairwise F1 of a mixture of all documents of a data set."""
        from rich.console import Console
        from rich.table import Table

        from ..cli import state
        from ..errors import NewsdeskError

        options = state.options.replace(cluster_threshold=threshold)
        if topics or time_aware:
            try:
                res = (evaluate_topics(dataset, options, shared, cv=cv) if topics
                       else evaluate_time_aware(dataset, options, shared, incremental=incremental))
            except NewsdeskError as exc:
                Console(stderr=True).print(f"[red]newsdesk: {exc}[/red]")
                raise typer.Exit(2) from exc
            print(json.dumps(res, indent=2))
            return
        try:
            grid = [float(x) for x in sweep.split(",") if x.strip()]
        except ValueError as exc:
            raise typer.BadParameter(f"--sweep: not a list of numbers: {sweep!r}") from exc
        try:
            res = evaluate(dataset, options, shared, baseline=baseline, sweep=grid, incremental=incremental)
        except NewsdeskError as exc:
            Console(stderr=True).print(f"[red]newsdesk: {exc}[/red]")
            raise typer.Exit(2) from exc
        if as_json:
            print(json.dumps(res, indent=2))
            return
        con = Console(highlight=False)
        con.print(f"{dataset}: {res['documents']} documents, {res['stories']} gold stories")
        table = Table("system", "cut", "B3 P", "B3 R", "B3 F1", "pairF1", "found", "s")
        table.columns[0].no_wrap = True
        nd = res["newsdesk"]
        table.add_row(f"newsdesk ({nd['mode']})", f"{nd['threshold']:.3f}", *(f"{nd['bcubed'][k]:.3f}" for k in
                      ("precision", "recall", "f1")), f"{nd['pairwise']['f1']:.3f}", str(nd["stories_found"]),
                      f"{nd['seconds']:.1f}")
        if "baseline" in res:
            b = res["baseline"]
            table.add_row("baseline (tuned here)", f"{b['threshold']:.3f}", *(f"{b['bcubed'][k]:.3f}" for k in
                          ("precision", "recall", "f1")), f"{b['pairwise_f1']:.3f}", "", f"{b['seconds']:.1f}")
        con.print(table)
        for row in res.get("newsdesk_sweep", []):
            con.print(f"  newsdesk at {row['threshold']:.3f}: B3 F1 {row['bcubed_f1']:.3f}, "
                      f"pair F1 {row['pairwise_f1']:.3f}")


# --- topics (#19) -------------------------------------------------------------------------------

TOPIC_GRID = tuple((t, g) for t in (0.06, 0.08, 0.10, 0.12, 0.15, 0.20) for g in (7, 14, 30))  # topic_floor fixed


def _item_bcubed(pred: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> dict[str, tuple[float, float]]:
    """B-cubed precision and recall of every item (over the whole mixture)."""
    pg, gg = _groups(pred), _groups(gold)
    return {k: (len(pg[pred[k]] & gg[gold[k]]) / len(pg[pred[k]]), len(pg[pred[k]] & gg[gold[k]]) / len(gg[gold[k]]))
            for k in gold if k in pred}


def _mean_scores(per_item: Mapping[str, tuple[float, float]], items: Sequence[str]) -> dict[str, float]:
    p = sum(per_item[k][0] for k in items) / max(1, len(items))
    r = sum(per_item[k][1] for k in items) / max(1, len(items))
    return {"precision": p, "recall": r, "f1": _f1(p, r)}


class _TopicRig:
    """Stories found once; topics re-assigned at any (threshold, gap) without clustering again."""

    def __init__(self, articles: Sequence[Article], options: Any) -> None:
        import numpy as np

        from .. import api
        from ..cluster import _days, _spans, vectorize

        self.options = options
        marked = api.dedupe(articles, options)
        self.stories = api.cluster(marked, options, deduped=True)
        # topics are assigned to the stories before the event split (newsdesk.events: a piece keeps its topic)
        self.parents = api.cluster(marked, options.replace(event_split_threshold=0.0), deduped=True)
        originals = sorted((a for a in marked if a.duplicate_of is None), key=lambda a: a.id)
        row = {a.id: k for k, a in enumerate(originals)}
        self.x = vectorize(originals, options)
        self.rows = [[row[a] for a in s.article_ids if a in row] for s in self.parents]
        self.spans = _spans(self.rows, np.array([_days(a) for a in originals]))

    def story_labels(self) -> dict[str, str]:
        return {a: s.id for s in self.stories for a in s.article_ids}

    def topic_labels(self, threshold: float, gap: int) -> dict[str, str]:
        from ..topics import assign_topics

        o = self.options.replace(topic_threshold=threshold, topic_gap_days=gap)
        t = assign_topics([s.id for s in self.parents], self.x, self.rows, self.spans, o)
        return {a: t[s.id] for s in self.parents for a in s.article_ids}


def evaluate_topics(name: str, options: Any, shared: str | None = None, *, cv: bool = True) -> dict[str, Any]:
    """Topic B-cubed (gold: the data set's groups; on Timeline17 the topic of each set), story
    precision against the same gold, and, with ``cv``, (topic_threshold, topic_gap_days) chosen by
    leave-one-topic-out over :data:`TOPIC_GRID`, scored on the held-out topic's articles in the whole
    mixture (their B-cubed counts every article they share a topic with)."""
    articles, gold = load_dataset(name, shared)
    t0 = time.perf_counter()
    rig = _TopicRig(articles, options)
    topics = rig.topic_labels(options.topic_threshold, options.topic_gap_days)
    res: dict[str, Any] = {
        "dataset": name, "documents": len(articles), "gold_groups": len(set(gold.values())),
        "stories_found": len(rig.stories), "topics_found": len(set(topics.values())),
        "story_bcubed": bcubed(rig.story_labels(), gold), "topic_bcubed": bcubed(topics, gold),
        "default": {"topic_threshold": options.topic_threshold, "topic_gap_days": options.topic_gap_days},
    }
    if cv:
        res["cv"] = _topic_cv(articles, gold, options, rig)
    res["seconds"] = round(time.perf_counter() - t0, 1)
    return res


def _topic_cv(articles: Sequence[Article], gold: Mapping[str, str], options: Any, full: _TopicRig) -> dict[str, Any]:
    per_item: dict[str, tuple[float, float]] = {}
    folds = []
    for held in sorted(set(gold.values())):
        train = [a for a in articles if gold[a.id] != held]
        rig = _TopicRig(train, options)
        tg = {a.id: gold[a.id] for a in train}
        scored = [(bcubed(rig.topic_labels(t, g), tg)["f1"], -t, -g, t, g) for t, g in TOPIC_GRID]
        best = max(scored)
        t, g = best[3], best[4]
        items = [a.id for a in articles if gold[a.id] == held]
        scores = _item_bcubed(full.topic_labels(t, g), gold)
        per_item.update({k: scores[k] for k in items})
        folds.append({"held_out": held, "topic_threshold": t, "topic_gap_days": g, "train_f1": best[0],
                      "held_out_bcubed": _mean_scores(scores, items)})
    return {"folds": folds, "held_out_bcubed": _mean_scores(per_item, list(per_item))}


TIME_OPTIONS = ("story_gap_days", "story_span_days", "cluster_time_decay", "cluster_event_threshold",
                "cluster_event_lead_words", "cluster_dated_linkage")


def evaluate_time_aware(name: str, options: Any, shared: str | None = None, *, incremental: bool = False
                        ) -> dict[str, Any]:
    """Story B-cubed with the time-aware rules (:data:`TIME_OPTIONS`) as ``options`` sets them and without
    them (all off: main's rule before #19), in the same run."""
    articles, gold = load_dataset(name, shared)
    label = incremental_labels if incremental else newsdesk_labels
    out: dict[str, Any] = {"dataset": name, "documents": len(articles), "mode": "incremental" if incremental
                           else "batch"}
    before = options.replace(story_gap_days=-1, story_span_days=-1, cluster_time_decay=0.0,
                             cluster_event_threshold=0.0, cluster_event_lead_words=0, cluster_dated_linkage="average")
    for key, o in (("before", before), ("time_aware", options)):
        pred = label(articles, o)
        out[key] = {name: getattr(o, name) for name in TIME_OPTIONS} | {"stories_found": len(set(pred.values())),
                                                                       "bcubed": bcubed(pred, gold)}
    return out
