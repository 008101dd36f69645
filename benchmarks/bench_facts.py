"""Benchmark: the deep tier (spaCy parser + NER, then entities, figures, conflicts and
outlets) over 10-article DUC 2004 stories, on one core, after model load.

Goal (issue 5): under 3 s per 10-article story.  The peer measured in the same run is
the shallow tier newsdesk uses for `summarize` (tagger-free spaCy + ILP summary), so
the ratio says what the facts cost on top of a summary.

    OMP_NUM_THREADS=1 python benchmarks/bench_facts.py [--clusters N]

The script pins BLAS/OpenMP to one thread itself.  Reads
../shared/data/duc2004-task2 (or $NEWSDESK_SHARED/data/...); exits with a message when
the data is absent.  The one-off loads (spaCy pipelines, GeoNames records) are timed
separately from the per-story figures.
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import newsdesk  # noqa: E402
from newsdesk.briefing.entities import gazetteer_lookup  # noqa: E402
from newsdesk.briefing.facts import extract_facts  # noqa: E402
from newsdesk.briefing.summary import summarize_parsed  # noqa: E402
from newsdesk.eval.common import DataMissingError, duc_cluster_dirs  # noqa: E402
from newsdesk.nlp import NLP  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clusters", type=int, default=10, help="how many DUC clusters (default 10)")
    args = ap.parse_args()
    try:
        clusters = duc_cluster_dirs(args.clusters)
    except DataMissingError as exc:
        print(f"benchmark skipped: {exc}", file=sys.stderr)
        return 0
    options = newsdesk.Options()
    t0 = time.perf_counter()
    NLP(options).pipeline(deep=True)
    NLP(options).pipeline(deep=False)
    gazetteer_lookup(["Paris"])  # opens (or once builds) the GeoNames index
    load = time.perf_counter() - t0

    deep_parse, facts_t, shallow, deep_cpu = [], [], [], []
    words = []
    for c in clusters:
        arts = newsdesk.read([str(c)], options)
        words.append(sum(len(a.text.split()) for a in arts))
        nlp = NLP(options)  # a fresh cache per story: nothing parsed before
        c = time.process_time()
        t = time.perf_counter()
        parsed = nlp.parse_many(arts, deep=True)
        deep_parse.append(time.perf_counter() - t)
        t = time.perf_counter()
        extract_facts(parsed, arts, options)
        facts_t.append(time.perf_counter() - t)
        deep_cpu.append(time.process_time() - c)
        peer = NLP(options)
        t = time.perf_counter()
        summarize_parsed(peer.parse_many(arts, deep=False), options)
        shallow.append(time.perf_counter() - t)
    deep = [p + f for p, f in zip(deep_parse, facts_t)]
    print(f"stories: {len(clusters)} DUC 2004 clusters of 10 articles, {statistics.mean(words):.0f} words each "
          f"on average; one-off loads {load:.1f} s")
    print(f"deep tier (parse + facts): mean {statistics.mean(deep):.2f} s/story, "
          f"max {max(deep):.2f} s  [parse {statistics.mean(deep_parse):.2f} s + facts "
          f"{statistics.mean(facts_t):.2f} s]")
    print(f"deep tier CPU time (one thread; what a free core would take): mean {statistics.mean(deep_cpu):.2f} s, "
          f"max {max(deep_cpu):.2f} s")
    print(f"peer, shallow tier (parse + summary): mean {statistics.mean(shallow):.2f} s/story")
    print(f"ratio deep/shallow: {statistics.mean(deep) / statistics.mean(shallow):.2f}x; "
          f"goal < 3 s/story: {'met' if statistics.mean(deep) < 3.0 else 'NOT met'} on average, "
          f"{sum(d < 3.0 for d in deep)}/{len(deep)} stories under 3 s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
