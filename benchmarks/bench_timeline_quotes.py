"""Benchmark: the deep tier's timeline and quotes over 10-article stories, on one core.

For each DUC 2004 cluster (10 newswire articles each) it times, after the model is
loaded: the deep parse (spaCy parser + NER), the timeline (date rules + merging)
and the quotes (attribution + merging); the goal is under 3 s per 10-article story
for all three together.  As a peer measured in the same run, dateparser's
``search_dates`` (with the publication date as base) is timed on the same texts
against newsdesk's own date finder (``timeline.find_dates``), and the ratio printed.

    python benchmarks/bench_timeline_quotes.py [--clusters N] [--no-peer]

Reads ../shared/data/duc2004-task2 (or $NEWSDESK_SHARED/data/...); exits with a
message when the data is absent.  Threads are limited to one (one core).
"""

from __future__ import annotations

import os

for _v in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_v, "1")

import argparse  # noqa: E402
import datetime as dt  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import newsdesk  # noqa: E402
from newsdesk.briefing.quotes import extract_quotes  # noqa: E402
from newsdesk.briefing.timeline import build_timeline, find_dates  # noqa: E402
from newsdesk.eval.common import DataMissingError, duc_cluster_dirs  # noqa: E402
from newsdesk.nlp import NLP  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--clusters", type=int, default=10, help="how many DUC clusters (default 10)")
    ap.add_argument("--no-peer", action="store_true", help="skip the dateparser peer")
    args = ap.parse_args()
    try:
        clusters = duc_cluster_dirs(args.clusters)
    except DataMissingError as exc:
        print(f"benchmark skipped: {exc}", file=sys.stderr)
        return 0
    options = newsdesk.Options()
    t0 = time.perf_counter()
    NLP(options).pipeline(deep=True)
    print(f"clusters: {len(clusters)}  model load: {time.perf_counter() - t0:.2f} s")
    rows = []
    cpus: list[float] = []  # CPU seconds of this process: the one-core cost on a shared machine
    texts: list[tuple[str, dt.date | None]] = []
    for c in clusters:
        arts = [a for a in newsdesk.dedupe(newsdesk.read([str(c)], options)) if a.duplicate_of is None]
        nlp = NLP(options)  # a fresh cache: every cluster is parsed from scratch
        cpu = time.process_time()
        t = time.perf_counter()
        parsed = nlp.parse_many(arts, deep=True)
        t_parse = time.perf_counter() - t
        t = time.perf_counter()
        build_timeline(parsed, options)
        t_tl = time.perf_counter() - t
        t = time.perf_counter()
        extract_quotes(parsed, options)
        t_q = time.perf_counter() - t
        rows.append((len(arts), t_parse, t_tl, t_q))
        cpus.append(time.process_time() - cpu)
        texts += [(a.text, a.published) for a in arts]
    total = [p + tl + q for _, p, tl, q in rows]
    print(f"articles per story: {statistics.mean(r[0] for r in rows):.1f}")
    print(f"per story: deep parse {statistics.mean(r[1] for r in rows):.2f} s, timeline "
          f"{statistics.mean(r[2] for r in rows):.3f} s, quotes {statistics.mean(r[3] for r in rows):.3f} s; "
          f"all {statistics.mean(total):.2f} s wall (max {max(total):.2f} s), "
          f"{statistics.mean(cpus):.2f} s CPU (max {max(cpus):.2f} s); goal < 3 s")
    if not args.no_peer:
        t = time.perf_counter()
        n_ours = sum(len(find_dates(text, pub)) for text, pub in texts)
        t_ours = time.perf_counter() - t
        try:
            from dateparser.search import search_dates
        except ImportError:
            print("peer skipped: dateparser not installed")
            return 0
        t = time.perf_counter()
        n_peer = 0
        for text, pub in texts:
            base = dt.datetime.combine(pub, dt.time()) if pub else None
            found = search_dates(text, languages=["en"],
                                 settings={"RELATIVE_BASE": base} if base else None) or []
            n_peer += len(found)
        t_peer = time.perf_counter() - t
        print(f"date finding over {len(texts)} articles: newsdesk {t_ours:.2f} s ({n_ours} dates), "
              f"dateparser.search_dates {t_peer:.2f} s ({n_peer} dates); "
              f"newsdesk/dateparser time ratio {t_ours / max(t_peer, 1e-9):.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
