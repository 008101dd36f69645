"""Benchmark: resident memory as a store grows, through ``Store.add`` and through ``newsdesk serve``.

    python benchmarks/bench_memory.py [--articles 20000] [--batch 500] [--requests 3000]

* add — one process adds ``--articles`` synthetic articles (``bench_store.corpus``: made-up words, about
  ten articles per story, 30 days) to a new store in batches of ``--batch``, no briefs; its RSS
  (``/proc/self/status`` VmRSS, and the peak VmHWM) after 2,000, 5,000, 10,000 and 20,000 articles.  Goal:
  RSS at 20,000 within 10% of RSS at 2,000.
* serve — ``newsdesk serve --db`` on copies of that store cut at 2,000 and at 20,000 articles (cheap
  stand-in briefs for every story, as in ``bench_store.py``), each sent the same ``--requests`` story pages,
  story JSON and front pages over all its stories; the server's RSS after the load.  Goal: the same.

The load average is printed with each figure (memory does not depend on it; time does).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

CHECKPOINTS = (2_000, 5_000, 10_000, 20_000)


def rss_mib(pid: int | str = "self") -> tuple[float, float]:
    """(VmRSS, VmHWM) of a process in MiB."""
    got = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":", 1)
            got[key] = int(value.split()[0]) / 1024
    return got.get("VmRSS", 0.0), got.get("VmHWM", 0.0)


def load() -> str:
    return " ".join(Path("/proc/loadavg").read_text().split()[:2])


def stage_add(db: Path, n: int, batch: int) -> dict:
    """In this process: add ``n`` articles in batches, RSS at each checkpoint."""
    from bench_store import corpus

    from newsdesk.store import Store

    arts = corpus(n, max(1, n // 10))
    points = {}
    t0 = time.perf_counter()
    with Store(db) as store:
        for k in range(0, n, batch):
            store.add(arts[k:k + batch])
            done = min(n, k + batch)
            if done in CHECKPOINTS or done == n:
                rss, hwm = rss_mib()
                points[done] = {"rss": rss, "peak": hwm, "seconds": time.perf_counter() - t0, "load": load()}
    return points


def cut_store(src: Path, dst: Path, n: int) -> None:
    """A copy of the store holding only its first ``n`` articles, each story with a stand-in brief."""
    from bench_store import cheap_brief

    from newsdesk.store import Store, options_key

    shutil.copy(src, dst)
    with Store(dst) as store:
        db = store._db
        db.execute("BEGIN IMMEDIATE")
        db.execute("DELETE FROM articles WHERE seq > ?", (n,))
        db.execute("DELETE FROM stories WHERE id NOT IN (SELECT story_id FROM articles)")
        db.execute("UPDATE articles SET duplicate_of = NULL WHERE duplicate_of NOT IN (SELECT id FROM articles)")
        for (sid,) in db.execute("SELECT id FROM stories").fetchall():
            store._restat(sid)
        db.execute("COMMIT")
        key = options_key(store.options)
        for row in store.stories(limit=10**9):
            story = store.story(row.id)
            if story is not None:
                store._save_brief(cheap_brief(story, store.articles(story.article_ids)), key, [])


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def stage_serve(db: Path, requests: int) -> dict:
    """``newsdesk serve`` on ``db``; RSS after ``requests`` requests over all its stories."""
    from newsdesk.store import Store

    with Store(db, readonly=True) as store:
        ids = [r.id for r in store.stories(limit=10**9)]
        n = store.counts()["articles"]
    port = _port()
    exe = Path(sys.executable).with_name("newsdesk")
    proc = subprocess.Popen([str(exe), "--quiet", "serve", "--db", str(db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(300):
            try:
                urllib.request.urlopen(base + "/api/stories?limit=1", timeout=2).read()
                break
            except OSError:
                time.sleep(0.2)
        rss_idle = rss_mib(proc.pid)[0]
        rng = random.Random(1)
        from urllib.parse import quote

        for i in range(requests):
            sid = quote(rng.choice(ids), safe="")
            path = (f"/stories/{sid}", f"/api/stories/{sid}", f"/?page={1 + i % max(1, len(ids) // 50)}")[i % 3]
            urllib.request.urlopen(base + path, timeout=30).read()
        rss, hwm = rss_mib(proc.pid)
        return {"articles": n, "stories": len(ids), "rss_idle": rss_idle, "rss": rss, "peak": hwm, "load": load()}
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=20_000)
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--requests", type=int, default=3_000)
    ap.add_argument("--stage", choices=("add",), help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage == "add":
        print(json.dumps(stage_add(args.db, args.articles, args.batch)))
        return 0
    print(f"load average at start (1, 5 min): {load()}")
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "grow.sqlite"
        got = subprocess.run([sys.executable, __file__, "--stage", "add", "--db", str(db), "--articles",
                              str(args.articles), "--batch", str(args.batch)], capture_output=True, text=True,
                             check=True)
        points = {int(k): v for k, v in json.loads(got.stdout.strip().splitlines()[-1]).items()}
        first = points[min(points)]
        for n, p in sorted(points.items()):
            print(f"add: {n:>6} articles  RSS {p['rss']:6.0f} MiB ({p['rss'] / first['rss']:.2f}x at "
                  f"{min(points)})  peak {p['peak']:6.0f} MiB  {p['seconds']:6.1f} s  load {p['load']}")
        small, large = min(CHECKPOINTS), min(args.articles, max(CHECKPOINTS))
        served = {}
        for n in (small, large):
            cut = Path(tmp) / f"serve-{n}.sqlite"
            cut_store(db, cut, n)
            served[n] = s = stage_serve(cut, args.requests)
            print(f"serve: {s['articles']:>6} articles ({s['stories']} stories)  RSS idle {s['rss_idle']:.0f} MiB, "
                  f"after {args.requests} requests {s['rss']:.0f} MiB (peak {s['peak']:.0f})  load {s['load']}")
        print(f"serve: RSS {large} / {small} articles = {served[large]['rss'] / served[small]['rss']:.2f}")
    print(f"load average at end (1, 5 min): {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
