"""Benchmark: the whole pipeline (read, dedupe, cluster, brief) in one process against the Dask scale-out.

The input is the DUC 2004 document tree (50 topics of about 10 newswire articles, read as one corpus:
~500 articles, ~50 stories).  The same run times

* ``newsdesk.read`` + ``newsdesk.brief`` in this process (the peer), and
* ``newsdesk.scale.run`` on a local pool of ``--workers`` processes (spawned once per run; each loads
  spaCy once),

checks that both give the same briefs, and reports seconds, the speed-up ratio and peak memory.

    python benchmarks/bench_scale.py [--topics N] [--workers W]

Reads ../shared/data/duc2004-task2 (or $NEWSDESK_SHARED/data/...) in place (symbolic links in a
temporary folder when ``--topics`` takes a subset); exits with a message when the data is absent.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import newsdesk
from newsdesk import report, scale
from newsdesk.eval.common import DataMissingError, data_dir


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


class WorkerMemory:
    """Peak resident memory of this process's children, sampled every 0.2 s (``RUSAGE_CHILDREN``
    would count the parent's pages at fork time)."""

    def __init__(self) -> None:
        self.peak_one = self.peak_sum = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self._stop.wait(0.2):
            rss = []
            for child in me.children(recursive=True):
                try:
                    rss.append(child.memory_info().rss / 2**20)
                except psutil.Error:
                    continue
            if rss:
                self.peak_one = max(self.peak_one, max(rss))
                self.peak_sum = max(self.peak_sum, sum(rss))

    def __enter__(self) -> WorkerMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topics", type=int, default=50, help="how many DUC topics (default all 50)")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="local worker processes")
    args = ap.parse_args()
    try:
        root = data_dir("duc2004-task2") / "docs"
    except DataMissingError as exc:
        print(f"benchmark skipped: {exc}", file=sys.stderr)
        return 0
    topics = sorted((p for p in root.iterdir() if p.is_dir()), key=lambda p: int(p.name))[:args.topics]
    with tempfile.TemporaryDirectory() as tmp:
        for p in topics:
            os.symlink(p, Path(tmp) / p.name)
        options = newsdesk.Options()

        t0 = time.perf_counter()
        serial = newsdesk.brief(newsdesk.read([tmp], options), options)
        t_serial = time.perf_counter() - t0
        rss_serial = peak_rss_mb()

        with WorkerMemory() as mem:
            t0 = time.perf_counter()
            sharded = scale.run([tmp], options, workers=args.workers)
            t_sharded = time.perf_counter() - t0

    same = json.dumps(report.to_json(serial), sort_keys=True) == json.dumps(report.to_json(sharded), sort_keys=True)
    n_articles = sum(len(b.articles) for b in serial)
    print(f"{len(topics)} DUC topics: {n_articles} articles, {len(serial)} stories; "
          f"{os.cpu_count()} cores, {args.workers} workers")
    print(f"one process (read + brief)      {t_serial:7.1f} s   peak {rss_serial:6.0f} MB")
    print(f"newsdesk.scale.run (Dask pool)  {t_sharded:7.1f} s   peak per worker {mem.peak_one:6.0f} MB, "
          f"all workers {mem.peak_sum:6.0f} MB")
    print(f"speed-up {t_serial / t_sharded:.2f}x; same briefs: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())
