"""``newsdesk eval extract --dataset scrapinghub``: article-body extraction quality.

The metric is the one of the Scrapinghub/Zyte article-extraction benchmark
(``evaluate.py`` of scrapinghub/article-extraction-benchmark): the body is tokenised
with ``\\w+``, cut into word 4-shingles (all of them, with their counts), and per page
TP/FP/FN are the shingle-count overlaps normalised to sum to 1 (so long pages weigh no
more than short ones).  Precision is the mean per-page precision over pages with a
prediction or a truth, recall likewise, and F1 is the harmonic mean of the two means;
``±`` is 1.96 standard deviations over bootstrap resamples of the pages.

Two systems are scored in the same run on the same pages:

``trafilatura``
    ``trafilatura.extract(html, include_comments=False)``, exactly what the benchmark
    runs for trafilatura (published F1 0.958).
``newsdesk``
    ``newsdesk.read`` on the page files: newsdesk's HTML reader (trafilatura with
    newsdesk's settings) followed by newsdesk's cleaner, i.e. the text newsdesk works on.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import typer

__all__ = ["register", "shingle_matching", "metrics", "evaluate"]

DATASETS = {"scrapinghub": "scrapinghub-article-extraction"}

_TOKEN_RE = re.compile(r"\w+", re.UNICODE)

Counts = tuple[float, float, float]


def _shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN_RE.findall(text or "")
    return Counter(tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n])


def shingle_matching(true: str | None, pred: str | None, n: int = 4) -> Counts:
    """Normalised (TP, FP, FN) of word ``n``-shingle counts, as the benchmark computes them."""
    t, p = _shingles(true, n), _shingles(pred, n)
    tp = fp = fn = 0.0
    for key in t.keys() | p.keys():
        a, b = t.get(key, 0), p.get(key, 0)
        tp += min(a, b)
        fp += max(0, b - a)
        fn += max(0, a - b)
    s = tp + fp + fn
    return (tp / s, fp / s, fn / s) if s > 0 else (tp, fp, fn)


def _precision(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def _recall(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def metrics(counts: Sequence[Counts]) -> dict[str, float]:
    """Precision, recall (means over pages) and F1 (of the two means)."""
    p = statistics.mean([_precision(*c) for c in counts if c[0] + c[1] > 0] or [0.0])
    r = statistics.mean([_recall(*c) for c in counts if c[0] + c[2] > 0] or [0.0])
    f1 = 2 * p * r / (p + r) if p + r > 0 else 0.0
    return {"f1": f1, "precision": p, "recall": r}


def evaluate(truth: Mapping[str, str], pred: Mapping[str, str | None], n_bootstrap: int = 1000,
             seed: int = 0) -> dict[str, Any]:
    """Benchmark metrics of ``pred`` against ``truth`` (both keyed by page id), with 95% intervals."""
    keys = sorted(truth)
    counts = [shingle_matching(truth[k], pred.get(k)) for k in keys]
    out: dict[str, Any] = metrics(counts)
    rng = random.Random(seed)
    samples: dict[str, list[float]] = {}
    for _ in range(n_bootstrap):
        sample = [counts[rng.randrange(len(counts))] for _ in counts]
        for k, v in metrics(sample).items():
            samples.setdefault(k, []).append(v)
    for k in list(out):  # no bootstrap (n_bootstrap 0 or 1): an interval of 0, not a missing key
        values = samples.get(k, [])
        out[f"{k}_ci"] = 1.96 * statistics.stdev(values) if len(values) > 1 else 0.0
    out["pages"] = len(keys)
    out["per_page"] = dict(zip(keys, counts))
    return out


def _trafilatura_alone(pages: Mapping[str, Any]) -> dict[str, str | None]:
    import gzip

    import trafilatura

    out: dict[str, str | None] = {}
    for key, path in pages.items():
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        out[key] = trafilatura.extract(html, include_comments=False)
    return out


def _newsdesk(pages: Mapping[str, Any], options: Any, skipped: list[Any] | None = None) -> dict[str, str | None]:
    import newsdesk

    path_of = {str(p): k for k, p in pages.items()}
    out: dict[str, str | None] = dict.fromkeys(pages)
    errors: list[Any] = [] if skipped is None else skipped
    for a in newsdesk.read([str(p) for p in pages.values()], options, on_error=errors.append):
        out[path_of[str(a.meta.get("location"))]] = a.text
    return out


def _print_pagetype(console: Any, skipped: Sequence[Any], pages: int, shared: str | None) -> None:
    """The non-article recogniser's figures: ScrapingHub articles still read, Multi-News+ non-articles recognised."""
    from .common import DataMissingError, data_dir
    from .pagetype import score_multinews

    called = sum("not an article" in str(e) for e in skipped)
    console.print(f"non-article recogniser: ScrapingHub articles read {pages - called} of {pages} "
                  f"({(pages - called) / max(pages, 1):.1%})", markup=False)
    try:
        scores = score_multinews(data_dir("multi-news-test", shared))
    except DataMissingError:
        return
    for s in scores.values():
        console.print(f"  Multi-News+ documents, {s.split} half: non-articles recognised {s.recognised} of "
                      f"{s.non_articles} (recall {s.recall:.1%}, precision {s.precision:.1%}); articles read "
                      f"{s.articles_read} of {s.articles} ({s.read_share:.1%})", markup=False)


def register(app: typer.Typer) -> None:
    @app.command("extract")
    def extract_cmd(
        dataset: str = typer.Option("scrapinghub", "--dataset", help="Data set: scrapinghub."),
        shared: str | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        limit: int = typer.Option(0, "--limit", help="Score only the first N pages (0: all)."),
        bootstrap: int = typer.Option(1000, "--bootstrap", help="Bootstrap resamples for the ± intervals."),
        worst: int = typer.Option(0, "--worst", help="Also list the N pages where newsdesk is furthest behind."),
    ) -> None:
        """Article-body extraction (token-shingle P/R/F1 of the benchmark): trafilatura alone and newsdesk."""
        import json

        from rich.console import Console
        from rich.table import Table

        from ..options import DEFAULT_OPTIONS
        from .common import data_dir

        console = Console(highlight=False)
        if dataset not in DATASETS:
            raise typer.BadParameter(f"unknown dataset {dataset!r}; choose from {', '.join(DATASETS)}")
        try:
            root = data_dir(DATASETS[dataset], shared)
        except Exception as exc:  # noqa: BLE001 -- DataMissingError: a clear message and exit 2
            Console(stderr=True).print(f"newsdesk: {exc}", markup=False)
            raise typer.Exit(2) from exc
        truth_all = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
        pages = {p.name.split(".")[0]: p for p in sorted((root / "html").glob("*.html.gz"))}
        keys = [k for k in sorted(pages) if k in truth_all]
        if limit:
            keys = keys[:limit]
        pages = {k: pages[k] for k in keys}
        truth = {k: truth_all[k].get("articleBody", "") for k in keys}
        skipped: list[Any] = []
        systems: dict[str, Callable[[], dict[str, str | None]]] = {
            "trafilatura": lambda: _trafilatura_alone(pages),
            "newsdesk": lambda: _newsdesk(pages, DEFAULT_OPTIONS, skipped),
        }
        table = Table("system", "F1", "precision", "recall", "pages", title=f"{dataset}: article body extraction")
        results = {}
        for name, run in systems.items():
            r = results[name] = evaluate(truth, run(), bootstrap)
            table.add_row(name, f"{r['f1']:.3f} ± {r['f1_ci']:.3f}", f"{r['precision']:.3f} ± {r['precision_ci']:.3f}",
                          f"{r['recall']:.3f} ± {r['recall_ci']:.3f}", str(r["pages"]))
        console.print(table)
        _print_pagetype(console, skipped, len(keys), shared)
        if worst:
            a, b = results["newsdesk"]["per_page"], results["trafilatura"]["per_page"]

            def f(c: Counts) -> float:
                p, r = _precision(*c), _recall(*c)
                return 2 * p * r / (p + r) if p + r else 0.0

            for k in sorted(keys, key=lambda k: f(a[k]) - f(b[k]))[:worst]:
                console.print(f"{k[:12]}  newsdesk F1 {f(a[k]):.3f}  trafilatura F1 {f(b[k]):.3f}", markup=False)
