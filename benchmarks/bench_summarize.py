"""Benchmark: summarizing the 50 DUC 2004 clusters (100 words each) in one process.

Reports model-load time, seconds per cluster, peak memory (max RSS), and — in the same run,
on the same clusters and the same sentences — the time of sumy's LexRank, as a ratio.

    python benchmarks/bench_summarize.py [--clusters N]

Stages timed per cluster: read+clean (ingest), parse (spaCy, shallow), select (ILP + attribution);
LexRank gets newsdesk's sentences (it has no sentence splitter usable here) and is timed on ranking
and selection alone.  Reads ../shared/data/duc2004-task2 (or $NEWSDESK_SHARED/data/...); exits with a
message when the data is absent.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time

import newsdesk
from newsdesk.briefing.summary import summarize_parsed
from newsdesk.eval.common import DataMissingError, data_dir
from newsdesk.eval.summarize import duc_clusters, sumy_summary
from newsdesk.nlp import NLP


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clusters", type=int, default=50, help="how many DUC clusters (default all 50)")
    ap.add_argument("--words", type=int, default=100)
    args = ap.parse_args()
    try:
        root = data_dir("duc2004-task2")
    except DataMissingError as exc:
        print(f"benchmark skipped: {exc}", file=sys.stderr)
        return 0
    clusters = duc_clusters(root, args.clusters)
    options = newsdesk.Options(words=args.words)
    t_start = time.perf_counter()
    nlp = NLP(options)
    nlp.pipeline(deep=False)
    load = time.perf_counter() - t_start
    t_read = t_parse = t_select = t_lexrank = 0.0
    per_cluster = []
    for c in clusters:
        t0 = time.perf_counter()
        arts = newsdesk.dedupe(newsdesk.read([str(c.docs)], options), options)
        t1 = time.perf_counter()
        parsed = nlp.parse_many([a for a in arts if a.duplicate_of is None], deep=False)
        t2 = time.perf_counter()
        summarize_parsed(parsed, options)
        t3 = time.perf_counter()
        sumy_summary("lexrank", parsed, args.words)
        t4 = time.perf_counter()
        t_read += t1 - t0
        t_parse += t2 - t1
        t_select += t3 - t2
        t_lexrank += t4 - t3
        per_cluster.append(t3 - t0)
    total = time.perf_counter() - t_start
    nd = t_read + t_parse + t_select
    print(f"DUC 2004: {len(clusters)} clusters, {args.words} words, one process")
    print(f"model load          {load:6.2f} s")
    print(f"newsdesk            {nd:6.2f} s  ({nd / len(clusters):.2f} s/cluster; max {max(per_cluster):.2f} s)")
    print(f"  read + clean      {t_read:6.2f} s")
    print(f"  spaCy (shallow)   {t_parse:6.2f} s")
    print(f"  ILP + attribution {t_select:6.2f} s")
    print(f"sumy LexRank        {t_lexrank:6.2f} s  (ranking + selection on newsdesk's sentences)")
    print(f"ratio newsdesk selection / LexRank: {t_select / t_lexrank:.2f}; "
          f"newsdesk end-to-end / LexRank: {nd / t_lexrank:.2f}")
    print(f"wall time including model load and LexRank: {total:.1f} s")
    print(f"peak memory (max RSS): {peak_rss_mb():.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
