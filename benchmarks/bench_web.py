"""Load benchmark of the web UI / JSON API on loopback (bounded in requests and seconds).

Builds (or reuses) a store of ``--articles`` articles: the bundled demo corpus, briefed, plus synthetic
articles recombined from its sentences (grouped into small stories, never briefed: only the store's size
matters for the pages measured).  Then starts ``newsdesk serve`` in a subprocess on 127.0.0.1 and measures,
for the story page (JSON ``/api/stories/{id}`` and HTML ``/stories/{id}``), ``/api/health`` and, as the peer
measured in the same run, a static file (``/static/style.css``: the framework's floor):

* closed loop: ``--clients`` keep-alive clients sending as fast as they can (``--requests`` at most, at most
  ``--seconds``): requests/s and p50/p99 latency;
* open loop: a fixed ``--rate`` (200/s) for ``--seconds``, latency counted from each request's scheduled
  send time (so queueing shows up): achieved rate and p99.

The load generator shares the machine (and its cores) with the server: figures are pessimistic.

    python benchmarks/bench_web.py [--articles 10000] [--db /tmp/bench-web.sqlite] [--rate 200] [--seconds 10]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

import newsdesk
from newsdesk.cli import demo_corpus_path
from newsdesk.models import Article
from newsdesk.store import Store

OUTLETS = ["Wire One", "Daily Ledger", "Morning Post", "City Herald", "Evening Star", "The Courier", "Harbour News",
           "Valley Times", "Northern Echo", "Metro Bulletin", "Global Dispatch", "Coast Gazette"]
WORDS = ("amber basin cedar delta ember fjord glade harbor islet juniper kestrel lagoon meadow nectar orchard "
         "pebble quarry ridge summit thicket upland vale willow yarrow zephyr").split()


def synthetic(base: list[Article], n: int, seed: int = 7) -> list[Article]:
    """``n`` articles in stories of 2-6, each mixing demo sentences around a made-up place and event."""
    rng = random.Random(seed)
    sents = [s for a in base for s in re.split(r"(?<=[.!?])\s+", a.text) if len(s.split()) > 6]
    out: list[Article] = []
    g = 0
    while len(out) < n:
        g += 1
        place = "".join(rng.choice(WORDS).title() for _ in range(2)) + str(g)
        event = f"Officials in {place} reported {rng.randint(3, 900)} {rng.choice(['hurt', 'evacuated', 'arrested'])}"
        day = dt.date(2023, 1, 1) + dt.timedelta(days=rng.randint(0, 364))
        for k in range(min(rng.randint(2, 6), n - len(out))):
            body = [f"{event} on {day:%A}, {rng.choice(OUTLETS)} said."] + rng.sample(sents, 5)
            body.insert(3, f"Residents of {place} said the {rng.choice(WORDS)} {rng.choice(WORDS)} was closed.")
            out.append(Article(id=f"synthetic/{g}/{k}.txt", title=f"{place}: {event.lower()}", text=" ".join(body),
                               source=rng.choice(OUTLETS), published=day + dt.timedelta(days=k % 2)))
    return out


def build(db: Path, n: int) -> str:
    """The store (built once, reused when it already holds ``n`` articles); returns the benchmarked story id."""
    if db.exists():
        with Store(db, readonly=True) as st:
            if st.counts()["articles"] >= n:
                return _pick(st)
        for p in db.parent.glob(db.name + "*"):
            p.unlink()
    base = newsdesk.read([str(demo_corpus_path())])
    t = time.perf_counter()
    with Store(db) as st:
        st.add(base)
        st.refresh()
        fill = synthetic(base, n - len(base))
        for k in range(0, len(fill), 1000):
            st.add(fill[k:k + 1000])
        print(f"built {db}: {st.counts()} in {time.perf_counter() - t:.0f} s", file=sys.stderr)
        return _pick(st)


def _pick(st: Store) -> str:
    """The briefed story with the most articles (the heaviest story page)."""
    rows = st.stories(limit=1 << 20)
    briefed = [r for r in rows if st.brief(r.id) is not None] if len(rows) < 50 else \
        [r for r in sorted(rows, key=lambda r: -r.articles)[:200] if st.brief(r.id) is not None]
    return max(briefed, key=lambda r: r.articles).id


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def closed_loop(url: str, clients: int, requests: int, seconds: float) -> dict:
    lat: list[float] = []
    errors = 0
    lock = threading.Lock()
    stop = time.perf_counter() + seconds
    left = [requests]

    def worker() -> None:
        nonlocal errors
        with httpx.Client(timeout=10) as c:
            while time.perf_counter() < stop:
                with lock:
                    if left[0] <= 0:
                        return
                    left[0] -= 1
                t = time.perf_counter()
                try:
                    ok = c.get(url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                d = time.perf_counter() - t
                with lock:
                    lat.append(d)
                    errors += not ok

    t0 = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return _stats(lat, errors, time.perf_counter() - t0)


def open_loop(url: str, rate: float, seconds: float, workers: int = 32) -> dict:
    total = int(rate * seconds)
    lat: list[float] = []
    errors = 0
    lock = threading.Lock()
    nxt = [0]
    ready = threading.Barrier(workers + 1)
    t0 = 0.0

    def worker() -> None:
        nonlocal errors
        with httpx.Client(timeout=10) as c:
            c.get(url)  # open the keep-alive connection before the clock starts
            ready.wait()
            ready.wait()
            while True:
                with lock:
                    i = nxt[0]
                    nxt[0] += 1
                if i >= total:
                    return
                due = t0 + i / rate
                wait = due - time.perf_counter()
                if wait > 0:
                    time.sleep(wait)
                try:
                    ok = c.get(url).status_code == 200
                except httpx.HTTPError:
                    ok = False
                d = time.perf_counter() - due  # from the scheduled time: includes queueing
                with lock:
                    lat.append(d)
                    errors += not ok

    threads = [threading.Thread(target=worker) for _ in range(workers)]
    for th in threads:
        th.start()
    ready.wait()
    t0 = time.perf_counter() + 0.05
    ready.wait()
    for th in threads:
        th.join()
    return _stats(lat, errors, time.perf_counter() - t0)


def _stats(lat: list[float], errors: int, elapsed: float) -> dict:
    lat = sorted(lat)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0] * 1000] * 99 if lat else [0.0] * 99
    return {"requests": len(lat), "errors": errors, "seconds": round(elapsed, 2),
            "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round((lat[-1] if lat else 0) * 1000, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/newsdesk-bench-web.sqlite"))
    ap.add_argument("--rate", type=float, default=200.0)
    ap.add_argument("--seconds", type=float, default=10.0, help="time bound of each measurement")
    ap.add_argument("--requests", type=int, default=5000, help="request bound of each closed-loop measurement")
    ap.add_argument("--clients", type=int, default=8)
    args = ap.parse_args()
    sid = build(args.db, args.articles)
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "newsdesk", "serve", "--db", str(args.db), "--host",
                               "127.0.0.1", "--port", str(port)], stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base)
        with Store(args.db, readonly=True) as st:
            counts = st.counts()
            n_in_story = len(st.story(sid).article_ids)
        results: dict = {"store": counts, "story": sid, "story_articles": n_in_story, "cores": os.cpu_count()}
        targets = {"static CSS (peer)": "/static/style.css", "health": "/api/health",
                   "story JSON": f"/api/stories/{sid}", "story page": f"/stories/{sid}"}
        for name, path in targets.items():
            httpx.get(base + path).raise_for_status()  # warm up
            results[name] = {"closed": closed_loop(base + path, args.clients, args.requests, args.seconds),
                             "open": open_loop(base + path, args.rate, args.seconds)}
        # the same story page with the render cache off (every request reads the store and renders)
        port2 = _port()
        cold = subprocess.Popen([sys.executable, "-c", NO_CACHE, str(args.db), str(port2)], stderr=subprocess.DEVNULL)
        try:
            base2 = f"http://127.0.0.1:{port2}"
            _wait(base2)
            for name, path in {"story JSON, no cache": f"/api/stories/{sid}",
                               "story page, no cache": f"/stories/{sid}"}.items():
                httpx.get(base2 + path).raise_for_status()
                results[name] = {"closed": closed_loop(base2 + path, args.clients, args.requests, args.seconds),
                                 "open": open_loop(base2 + path, args.rate, args.seconds)}
        finally:
            _stop(cold)
        peer = results["static CSS (peer)"]["closed"]["rps"]
        for name in ("story JSON", "story page", "story JSON, no cache", "story page, no cache"):
            results[name]["closed"]["ratio_to_peer"] = round(results[name]["closed"]["rps"] / peer, 2) if peer else None
        print(json.dumps(results, indent=2))
    finally:
        _stop(server)


NO_CACHE = ("import sys, uvicorn; from newsdesk.web import create_app; "
            "uvicorn.run(create_app(sys.argv[1], cache_size=0), host='127.0.0.1', port=int(sys.argv[2]), "
            "log_level='warning')")


def _wait(base: str) -> None:
    for _ in range(300):
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise SystemExit(f"server at {base} did not start")


def _stop(proc: subprocess.Popen) -> None:
    proc.send_signal(signal.SIGINT)
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


if __name__ == "__main__":
    main()
