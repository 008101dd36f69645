"""Load benchmark of the web UI / JSON API on loopback (bounded in requests and seconds), and the 1 GB POST.

Builds (or reuses) a store of ``--articles`` articles: the bundled demo corpus, briefed, plus synthetic
articles recombined from its sentences (grouped into small stories, never briefed: only the store's size
matters for the pages measured).  Then starts ``newsdesk serve`` in a subprocess on 127.0.0.1 (one uvicorn
worker) and, for each of ``--clients`` (50 and 200 concurrent keep-alive connections, each sending its next
request as soon as the answer arrives; at most ``--requests`` requests and ``--seconds`` seconds), measures
requests/s and p50/p99 latency of:

* a static file (``/static/style.css``), the baseline: the same server, no newsdesk code;
* ``/api/health``, the story's BRIEF (``/api/stories/{id}``), its HTML page (``/stories/{id}``) and the
  story list (``/api/stories``).

The load generator is one asyncio process writing raw HTTP/1.1 (so it costs the server's cores little), but
it shares the machine with the server: report the ratios to the static baseline, measured in the same run.

``--post-gb N`` (default 1) then sends an N GB chunked ``POST /api/articles`` with the token to a server
started with ``--allow-write``, and reports what the client got to send before the 413 came back and the
server's peak resident memory before and after.

    python benchmarks/bench_web.py [--articles 10000] [--db /tmp/bench-web.sqlite] [--clients 50 200]
"""

from __future__ import annotations

import argparse
import asyncio
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


async def _one_client(port: int, path: str, budget: list[int], deadline: float, lat: list[float],
                      errors: list[int]) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    request = f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\r\n".encode()
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            t = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
            if length is None:
                raise RuntimeError(f"{path}: answer without Content-Length")
            await reader.readexactly(int(length.group(1)))
            lat.append(time.perf_counter() - t)
            if head[9:12] != b"200":
                errors[0] += 1
    finally:
        writer.close()


async def _closed_loop(port: int, path: str, clients: int, requests: int, seconds: float) -> dict:
    lat: list[float] = []
    errors = [0]
    budget = [requests]
    t0 = time.perf_counter()
    got = await asyncio.gather(*(_one_client(port, path, budget, t0 + seconds, lat, errors)
                                 for _ in range(clients)), return_exceptions=True)
    failed = [g for g in got if isinstance(g, BaseException)]
    return {**_stats(lat, errors[0] + len(failed), time.perf_counter() - t0), "clients": clients}


def closed_loop(port: int, path: str, clients: int, requests: int, seconds: float) -> dict:
    """``clients`` keep-alive connections, each sending its next request when the answer arrives."""
    return asyncio.run(_closed_loop(port, path, clients, requests, seconds))


def _stats(lat: list[float], errors: int, elapsed: float) -> dict:
    lat = sorted(lat)
    q = statistics.quantiles(lat, n=100) if len(lat) >= 2 else [lat[0] if lat else 0.0] * 99
    return {"requests": len(lat), "errors": errors, "seconds": round(elapsed, 2),
            "rps": round(len(lat) / elapsed, 1) if elapsed else 0.0,
            "p50_ms": round(q[49] * 1000, 1), "p99_ms": round(q[98] * 1000, 1),
            "max_ms": round((lat[-1] if lat else 0) * 1000, 1)}


def _peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def huge_post(db: Path, gigabytes: float) -> dict:
    """A ``gigabytes`` GB chunked POST against a writable server: bytes sent before the answer, the answer,
    the server's peak RSS before and after."""
    port = _port()
    server = subprocess.Popen([sys.executable, "-m", "newsdesk", "serve", "--db", str(db), "--host", "127.0.0.1",
                               "--port", str(port), "--allow-write", "--token", "bench"], stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{port}")
        before = _peak_rss_mb(server.pid)
        total = int(gigabytes * 1_000_000_000)
        chunk = b"[" + b" " * (1 << 20)
        sent = 0
        answer = b""
        with socket.create_connection(("127.0.0.1", port)) as sock:
            sock.sendall(f"POST /api/articles HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Bearer bench"
                         "\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n".encode())
            sock.settimeout(0.0)
            framed = f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n"
            t0 = time.perf_counter()
            while sent < total and time.perf_counter() - t0 < 120:
                try:
                    answer += sock.recv(65536)
                    if answer:
                        break
                except BlockingIOError:
                    pass
                except OSError:
                    break
                try:
                    sock.settimeout(1.0)
                    sock.sendall(framed)
                    sock.settimeout(0.0)
                    sent += len(chunk)
                except OSError:  # the server closed the connection after answering
                    break
            sock.settimeout(5.0)
            try:
                while b"\r\n\r\n" not in answer:
                    more = sock.recv(65536)
                    if not more:
                        break
                    answer += more
            except OSError:
                pass
        status = answer.split(b"\r\n", 1)[0].decode("latin-1", "replace")
        return {"offered_bytes": total, "sent_before_answer_bytes": sent, "answer": status,
                "server_peak_rss_mb_before": round(before, 1), "server_peak_rss_mb_after":
                round(_peak_rss_mb(server.pid), 1)}
    finally:
        _stop(server)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/newsdesk-bench-web.sqlite"))
    ap.add_argument("--seconds", type=float, default=15.0, help="time bound of each measurement")
    ap.add_argument("--requests", type=int, default=6000, help="request bound of each measurement")
    ap.add_argument("--clients", type=int, nargs="+", default=[50, 200])
    ap.add_argument("--post-gb", type=float, default=1.0, help="size of the oversized POST (0: skip)")
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
        results: dict = {"store": counts, "story": sid, "story_articles": n_in_story, "cores": os.cpu_count(),
                         "load": os.getloadavg()}
        targets = {"static CSS (baseline)": "/static/style.css", "health": "/api/health",
                   "story JSON": f"/api/stories/{sid}", "story page": f"/stories/{sid}",
                   "story list": "/api/stories?limit=50"}
        for path in targets.values():
            httpx.get(base + path).raise_for_status()  # warm up (and fill the render cache)
        for clients in args.clients:
            for name, path in targets.items():
                results[f"{name} @{clients}"] = closed_loop(port, path, clients, args.requests, args.seconds)
            baseline = results[f"static CSS (baseline) @{clients}"]
            for name in targets:
                r = results[f"{name} @{clients}"]
                r["p99_x_baseline"] = round(r["p99_ms"] / baseline["p99_ms"], 2) if baseline["p99_ms"] else None
                r["rps_x_baseline"] = round(r["rps"] / baseline["rps"], 2) if baseline["rps"] else None
    finally:
        _stop(server)
    if args.post_gb > 0:
        results["huge POST"] = huge_post(args.db, args.post_gb)
    print(json.dumps(results, indent=2))


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
