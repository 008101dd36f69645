"""watch benchmark: does ``newsdesk watch`` keep up with 100 feeds x 20 new items per poll on one core?

    .venv/bin/python benchmarks/bench_watch.py [--feeds 100] [--items 20] [--polls 5] [--hosts 100]

A local feed server (its own process, so its CPU is not counted) serves ``--feeds`` RSS feeds from
``--hosts`` loopback addresses (127.0.0.x); each feed lists its newest 40 items.  Before each poll the
benchmark advances every feed by ``--items`` new synthetic items (made-up words, stories of about ten
reports spread over the feeds, published ten minutes earlier, so their buckets have closed).

The watcher runs in this process, pinned to ONE core (``sched_setaffinity``): the library's
:class:`~newsdesk.watch.Watcher` as ``newsdesk watch --no-brief`` runs it, i.e. the cheap tier (fetch,
parse, stage, clean, dedupe, cluster, store; briefs are a separate per-story step).  Per poll: wall
latency (every feed fetched, parsed, staged and stored), CPU seconds, items stored; then one poll where
nothing changed (all 304).  Politeness is on (robots.txt, ``fetch_delay`` per host).
"""

from __future__ import annotations

import argparse
import email.utils
import html
import multiprocessing as mp
import os
import random
import statistics
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from newsdesk.options import Options
from newsdesk.store import Store
from newsdesk.watch import Watcher

_SYLL = ["ka", "lo", "mir", "tan", "vel", "dor", "sum", "pel", "ri", "zon", "ba", "que", "nis", "tor", "ul"]


def _vocab(seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return sorted({"".join(rng.choice(_SYLL) for _ in range(rng.randint(2, 4))) for _ in range(6000)})


def _item(vocab: list[str], feed: int, n: int, items: int, feeds: int, published: float) -> str:
    """Item n of a feed: a story shared by about ten reports across the feeds."""
    story = (n * feeds + feed) // 10
    rng = random.Random(story)
    keys = rng.sample(vocab[300:], 12)
    own = random.Random(f"{feed}-{n}")
    words = [own.choice(keys if own.random() < 0.35 else vocab[:300]) for _ in range(150)]
    text = html.escape(" ".join(words).capitalize() + ".")
    title = html.escape(" ".join(keys[:4]).title())
    return (f"<item><title>{title}</title><guid>f{feed}-{n}</guid><link>https://bench.invalid/f{feed}/{n}</link>"
            f"<pubDate>{email.utils.formatdate(published + n % items, usegmt=True)}</pubDate>"
            f"<description>{text}</description></item>")


def serve(feeds: int, items: int, hosts: int, port_q: Any, round_v: Any, stamp_v: Any) -> None:
    """The feed server process: feed k at 127.0.0.(k % hosts + 1); ``round_v`` items-rounds published."""
    vocab = _vocab()
    cache: dict[tuple[int, int], bytes] = {}

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *a: Any) -> None:
            pass

        def do_GET(self) -> None:  # noqa: N802
            if self.path == "/robots.txt":
                return self._send(200, b"User-agent: *\nAllow: /\n")
            feed, r = int(self.path.strip("/").split(".")[0][1:]), round_v.value
            etag = f'"{feed}-{r}"'
            if self.headers.get("If-None-Match") == etag:
                return self._send(304, b"", etag)
            if (feed, r) not in cache:
                newest = r * items
                body = "".join(_item(vocab, feed, n, items, feeds, stamp_v.value)
                               for n in range(newest - 1, max(-1, newest - 2 * items - 1), -1))
                cache[(feed, r)] = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>outlet {feed}</title>'
                                    f"{body}</channel></rss>").encode()
            self._send(200, cache[(feed, r)], etag)

        def _send(self, status: int, body: bytes, etag: str | None = None) -> None:
            self.send_response(status)
            if etag:
                self.send_header("ETag", etag)
            self.send_header("Content-Type", "application/rss+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    servers = [ThreadingHTTPServer((f"127.0.0.{h + 1}", 0), Handler) for h in range(hosts)]
    for s in servers:
        threading.Thread(target=s.serve_forever, daemon=True).start()
    port_q.put([s.server_address[1] for s in servers])
    while True:
        time.sleep(3600)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--feeds", type=int, default=100)
    ap.add_argument("--items", type=int, default=20)
    ap.add_argument("--polls", type=int, default=5)
    ap.add_argument("--hosts", type=int, default=100)
    args = ap.parse_args()
    ctx = mp.get_context("fork")
    port_q, round_v, stamp_v = ctx.Queue(), ctx.Value("i", 0), ctx.Value("d", 0.0)
    server = ctx.Process(target=serve, args=(args.feeds, args.items, args.hosts, port_q, round_v, stamp_v),
                         daemon=True)
    server.start()
    ports = port_q.get(timeout=60)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # the watcher on one core
    urls = [f"http://127.0.0.{k % args.hosts + 1}:{ports[k % args.hosts]}/f{k}.rss" for k in range(args.feeds)]
    options = Options(allow_private=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp, Store(Path(tmp) / "bench.sqlite", options) as store, \
            Watcher(store, urls, options) as watcher:
        add, in_add = store.add, [0.0]

        def timed_add(*a: Any, **kw: Any) -> Any:  # the share of Store.add (clean is outside it)
            t = time.process_time()
            try:
                return add(*a, **kw)
            finally:
                in_add[0] += time.process_time() - t

        store.add = timed_add  # type: ignore[method-assign]
        for p in range(args.polls + 1):
            if p < args.polls:
                stamp_v.value = time.time() - 600  # published ten minutes ago: its bucket has closed
                round_v.value = p + 1
            wall, cpu, in_add[0] = time.perf_counter(), time.process_time(), 0.0
            r = watcher.poll(force=True)
            rows.append((p + 1, r, time.perf_counter() - wall, time.process_time() - cpu, in_add[0]))
        counts = store.counts()
    server.terminate()
    print(f"watch, {args.feeds} feeds on {args.hosts} hosts, {args.items} new items per feed per poll, one core, "
          "cheap tier (--no-brief)")
    print("poll  fetched  parsed  304  new  stored  waiting  batches  latency s  CPU s  of which add  items/s")
    for p, r, wall, cpu, in_store in rows:
        print(f"{p:4}  {r.polled:7}  {r.parsed:6}  {r.not_modified:3}  {r.staged:4}  {r.stored:6}  {r.waiting:7}  "
              f"{r.batches:7}  {wall:9.2f}  {cpu:5.2f}  {in_store:11.2f}  {r.stored / wall:7.0f}")
    steady = rows[1:args.polls]
    if steady:
        lat = [w for _, _, w, _, _ in steady]
        items = sum(r.stored for _, r, *_ in steady)
        print(f"steady polls 2-{args.polls}: median latency {statistics.median(lat):.2f} s, max {max(lat):.2f} s; "
              f"{items / sum(lat):.0f} items/s wall, {items / sum(c for _, _, _, c, _ in steady):.0f} items/s CPU; "
              f"nothing-new poll: {rows[-1][2]:.2f} s; store {counts['articles']} articles, "
              f"{counts['stories']} stories")
    return 0


if __name__ == "__main__":
    sys.exit(main())
