"""Benchmark: the deep tier's quotes and entities per article, this version against a
baseline version of the same two modules, in the same run.

1,000 articles (PolNeAR train and dev, then BASIL), each briefed as its own story: one
deep parse (spaCy parser + NER) serves both versions; then, batch by batch and
alternating which goes first, each version's entities (``extract_entities``) and quotes
(``extract_quotes`` + ``link_speakers``) are timed on the same parses.  The baseline's
``briefing/quotes.py``, ``attribution.py``, ``quotemarks.py`` and ``entities.py`` are read from
git (``--baseline``, default ``main``) and loaded beside the current ones.  Printed: seconds per article for
the parse and for each version's quotes + entities, and the ratio of the deep tier per
article (parse + quotes + entities) this version / baseline.  On a shared machine only the
ratios mean something.

    python benchmarks/bench_quotes_entities.py [--articles 1000] [--baseline main]

Reads ../shared/data (or $NEWSDESK_SHARED/data); exits with a message when it is absent.
Threads are limited to one.
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import importlib.util  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402
from types import ModuleType  # noqa: E402

from newsdesk.briefing import entities as new_entities  # noqa: E402
from newsdesk.briefing import quotes as new_quotes  # noqa: E402
from newsdesk.eval.common import DataMissingError, data_dir  # noqa: E402
from newsdesk.nlp import NLP  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


# The baseline's own modules: quotes.py imports attribution.py and quotemarks.py relatively, and those
# must be the baseline's too (loaded in this order, each importing the ones before it as ``_base_``).
_BASE_MODULES = ("entities", "quotemarks", "attribution", "quotes")


def _baseline(ref: str, name: str) -> ModuleType:
    """``newsdesk/briefing/<name>.py`` as it is at git ``ref``, loaded as ``newsdesk.briefing._base_<name>``
    (its relative imports of the other baseline modules point to their baseline versions)."""
    shown = subprocess.run(["git", "-C", str(ROOT), "show", f"{ref}:newsdesk/briefing/{name}.py"],
                           capture_output=True, text=True)
    if shown.returncode != 0:  # a module the baseline does not have yet
        return sys.modules[f"newsdesk.briefing.{name}"]
    src = shown.stdout
    for other in _BASE_MODULES[:_BASE_MODULES.index(name)] if name in _BASE_MODULES else ():
        src = src.replace(f"from .{other} import", f"from ._base_{other} import")
    mod_name = f"newsdesk.briefing._base_{name}"
    spec = importlib.util.spec_from_loader(mod_name, loader=None)
    assert spec is not None
    mod = importlib.util.module_from_spec(spec)
    mod.__package__ = "newsdesk.briefing"
    sys.modules[mod_name] = mod
    exec(compile(src, f"<{ref}:{name}.py>", "exec"), mod.__dict__)  # noqa: S102 - our own file at another commit
    return mod


def _articles(n: int) -> list:
    from newsdesk.eval.basil import articles_by_id, read_article
    from newsdesk.eval.polnear import load

    arts = [g.article for split in ("train", "dev") for g in load(data_dir("polnear"), split)]
    if len(arts) < n:
        arts += [read_article(p) for p in list(articles_by_id(data_dir("basil")).values())[: n - len(arts)]]
    return arts[:n]


def _run(ents_mod: ModuleType, quotes_mod: ModuleType, parsed: list) -> float:
    t = time.perf_counter()
    for pa in parsed:
        ents = ents_mod.extract_entities([pa])
        quotes_mod.link_speakers(quotes_mod.extract_quotes([pa]), ents)
    return time.perf_counter() - t


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--baseline", default="main", help="git ref of the baseline modules (default main)")
    ap.add_argument("--batch", type=int, default=50)
    args = ap.parse_args()
    try:
        arts = _articles(args.articles)
    except DataMissingError as exc:
        print(f"benchmark skipped: {exc}", file=sys.stderr)
        return 0
    base = {name: _baseline(args.baseline, name) for name in _BASE_MODULES}
    base_e, base_q = base["entities"], base["quotes"]
    nlp = NLP()
    nlp.pipeline(deep=True)
    new_entities.extract_entities([])  # one-off loads (gazetteer index) outside the timings
    parse_s = old_s = new_s = 0.0
    for i in range(0, len(arts), args.batch):
        batch = arts[i:i + args.batch]
        t = time.perf_counter()
        parsed = NLP().parse_many(batch, deep=True)  # a fresh cache: every article parsed once
        parse_s += time.perf_counter() - t
        runs = [(base_e, base_q, "old"), (new_entities, new_quotes, "new")]
        for ents_mod, quotes_mod, which in (runs if (i // args.batch) % 2 == 0 else runs[::-1]):
            spent = _run(ents_mod, quotes_mod, parsed)
            if which == "old":
                old_s += spent
            else:
                new_s += spent
    n = len(arts)
    print(f"articles: {n} (each its own story); baseline: {args.baseline}; one thread, shared machine")
    print(f"per article: parse {parse_s / n * 1000:.1f} ms; quotes + entities: baseline {old_s / n * 1000:.1f} ms, "
          f"this version {new_s / n * 1000:.1f} ms (ratio {new_s / old_s:.2f})")
    print(f"deep tier per article (parse + quotes + entities): baseline {(parse_s + old_s) / n * 1000:.1f} ms, "
          f"this version {(parse_s + new_s) / n * 1000:.1f} ms; ratio {(parse_s + new_s) / (parse_s + old_s):.3f} "
          f"(goal <= 1.20)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
