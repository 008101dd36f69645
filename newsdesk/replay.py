"""A replay rig: dated articles served as RSS feeds by a local HTTP server, released on an accelerated clock.

>>> items = timeline17_items(Path("/work/shared/data/timeline17"))          # doctest: +SKIP
>>> with ReplayServer(items, speed=86400 * 5) as rig:       # five replay days per second
...     urls = rig.urls()                                    # one RSS feed per outlet
...     # newsdesk --allow-private watch --db desk.sqlite URL…   follows it

The server keeps a replay clock that starts just before the first item and runs ``speed`` times faster
than the wall clock.  An item is visible in its feed once the clock has reached its publication time;
a feed lists its newest ``window`` visible items, newest first, each with its ``guid``, ``pubDate``,
``link`` and full text (``content:encoded``).  Answers carry the replay time as ``Date``, an ``ETag``
(the feed and its number of visible items) and a ``Last-Modified`` (its newest item's time), and honour
``If-None-Match`` / ``If-Modified-Since`` with ``304 Not Modified``, as a well-behaved feed server does.
``robots.txt`` allows everything.  ``hosts=N`` serves the feeds from N loopback addresses
(127.0.0.1 … 127.0.0.N, one server each), feed k on address k mod N, so that politeness works per host.

Tests can make a feed fail (``fail(feed, n)``: the next n requests get a 500) and read every request
the server answered (``requests``: wall time, host, path, status).

:func:`timeline17_items` reads the visible Timeline17 sets at run time (nothing of them is copied):
every ``<topic>_<outlet>/articles.json`` gives one item per article, in the outlet's feed, guid
``<set>/<uid>`` (the id ``newsdesk eval`` uses), dated its ``dct`` (a day: 00:00 UTC), text detokenised
as the figures gold reads it.
"""

from __future__ import annotations

import calendar
import datetime as dt
import email.utils
import html
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

__all__ = ["Item", "ReplayServer", "timeline17_items", "follow", "store_summary"]


@dataclass(frozen=True)
class Item:
    """One article of a replayed feed."""

    feed: str
    guid: str
    published: float        # epoch seconds (UTC)
    text: str
    title: str | None = None
    link: str | None = None


def timeline17_items(root: Path) -> list[Item]:
    """One item per article of every visible Timeline17 set under ``root`` (feed = the set's outlet)."""
    from .eval._figures_data import t17_text

    items: list[Item] = []
    for folder in sorted(p for p in Path(root).iterdir() if p.is_dir()):
        f = folder / "articles.json"
        if not f.is_file() or "_" not in folder.name:
            continue
        outlet = folder.name.split("_", 1)[1]
        for rec in json.loads(f.read_text(encoding="utf-8")):
            day = dt.date.fromisoformat(str(rec["dct"])[:10])
            guid = f"{folder.name}/{rec['uid']}"
            items.append(Item(outlet, guid, float(calendar.timegm(day.timetuple())), t17_text(str(rec["text"])),
                              link=f"https://replay.invalid/{guid}"))
    return items


class ReplayServer:
    """Serves ``items`` as one RSS feed per ``Item.feed`` (see the module docs)."""

    def __init__(self, items: Sequence[Item], *, speed: float = 86400.0, window: int = 200, hosts: int = 1,
                 start: float | None = None, lead: float = 3600.0) -> None:
        self.items = sorted(items, key=lambda i: (i.published, i.guid))
        self.feeds = sorted({i.feed for i in self.items})
        self._by_feed = {f: [i for i in self.items if i.feed == f] for f in self.feeds}
        self.speed = speed
        self.window = window
        first = self.items[0].published if self.items else time.time()
        self.start_time = first - lead if start is None else start
        self.last = self.items[-1].published if self.items else self.start_time
        self._wall0 = time.time()
        self._lock = threading.Lock()
        self._fail: dict[str, int] = {}
        self.requests: list[tuple[float, str, str, int]] = []
        self._servers = [ThreadingHTTPServer((f"127.0.0.{k + 1}", 0), _handler(self)) for k in range(hosts)]
        self._threads = [threading.Thread(target=s.serve_forever, daemon=True) for s in self._servers]
        for t in self._threads:
            t.start()

    def __enter__(self) -> ReplayServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for s in self._servers:
            s.shutdown()
            s.server_close()

    def now(self) -> float:
        """The replay clock (epoch seconds)."""
        return self.start_time + (time.time() - self._wall0) * self.speed

    def finished(self, margin: float = 86400.0) -> bool:
        """Whether every item has been visible for ``margin`` replay seconds."""
        return self.now() >= self.last + margin

    def url(self, feed: str) -> str:
        server = self._servers[self.feeds.index(feed) % len(self._servers)]
        host, port = str(server.server_address[0]), int(server.server_address[1])
        return f"http://{host}:{port}/feeds/{feed}.rss"

    def urls(self) -> list[str]:
        return [self.url(f) for f in self.feeds]

    def fail(self, feed: str, times: int) -> None:
        """Answer the next ``times`` requests for ``feed`` with HTTP 500."""
        with self._lock:
            self._fail[feed] = times

    def visible(self, feed: str, at: float | None = None) -> list[Item]:
        at = self.now() if at is None else at
        return [i for i in self._by_feed.get(feed, []) if i.published <= at]

    def _take_failure(self, feed: str) -> bool:
        with self._lock:
            if self._fail.get(feed, 0) > 0:
                self._fail[feed] -= 1
                return True
        return False

    def _log(self, arrived: float, host: str, path: str, status: int) -> None:
        with self._lock:
            self.requests.append((arrived, host, path, status))


# --- running watch over a rig (tests, benchmarks, scripts/watch_acceptance.py) ------------------------


def watch_command(db: str | Path, urls: Sequence[str], *, interval: float = 0.2) -> list[str]:
    """``newsdesk watch`` over ``urls`` into ``db`` as a command line (this Python, cheap tier only)."""
    return [sys.executable, "-m", "newsdesk", "--quiet", "watch", "--db", str(db), "--interval", str(interval),
            "--allow-private", "--no-brief", *urls]


def caught_up(db: str | Path, rig: ReplayServer, margin: float = 86400.0) -> bool:
    """Whether the watcher of ``db`` has polled every feed past the rig's last item and stored all it fetched."""
    if not Path(db).exists():
        return False
    try:
        with sqlite3.connect(f"file:{Path(db).resolve().as_posix()}?mode=ro", uri=True, timeout=5) as conn:
            clock = conn.execute("SELECT min(coalesce(clock, 0)), count(*) FROM watch_feeds").fetchone()
            staged = conn.execute("SELECT count(*) FROM watch_staged").fetchone()[0]
    except sqlite3.Error:  # not created yet, or being migrated
        return False
    return bool(clock[1]) and clock[0] >= rig.last + margin and staged == 0


def follow(rig: ReplayServer, db: str | Path, *, kills: Sequence[float] = (), interval: float = 0.2,
           env: dict[str, str] | None = None, timeout: float = 900.0) -> dict[str, Any]:
    """Run ``newsdesk watch`` over the rig until it has caught up, then SIGTERM it.  ``kills``: wall seconds
    (from now) at which the watcher is SIGKILLed and started again.  Returns what happened."""
    cmd = watch_command(db, rig.urls(), interval=interval)
    environ = {**os.environ, **(env or {})}
    log_path = Path(str(db) + ".log")
    errors = log_path.open("ab")

    def start() -> subprocess.Popen[bytes]:
        return subprocess.Popen(cmd, env=environ, stdout=subprocess.DEVNULL, stderr=errors)

    t0 = time.time()
    proc = start()
    killed = []
    for at in sorted(kills):
        while time.time() - t0 < at and proc.poll() is None:
            time.sleep(0.01)
        if proc.poll() is None:
            proc.kill()
            killed.append(round(time.time() - t0, 2))
        proc.wait()
        proc = start()
    while not caught_up(db, rig) and time.time() - t0 < timeout and proc.poll() is None:
        time.sleep(0.1)
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=120)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
    errors.close()
    return {"killed_at": killed, "seconds": round(time.time() - t0, 1), "returncode": proc.returncode,
            "caught_up": caught_up(db, rig), "stderr": log_path.read_text("utf-8", "replace")[-2000:]}


def store_summary(db: str | Path) -> dict[str, Any]:
    """What the acceptance compares: articles (each once?), integrity, and every article's story."""
    from .store import Store

    with Store(db, readonly=True) as store:
        problems = store.check()
        counts = store.counts()
    with sqlite3.connect(f"file:{Path(db).resolve().as_posix()}?mode=ro", uri=True) as conn:
        ids = [r[0] for r in conn.execute("SELECT id FROM articles")]
        integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        story = dict(conn.execute("SELECT id, story_id FROM articles").fetchall())
        dups = dict(conn.execute("SELECT id, duplicate_of FROM articles WHERE duplicate_of IS NOT NULL").fetchall())
        batches = conn.execute("SELECT count(*) FROM batches").fetchone()[0]
    return {"articles": len(ids), "unique": len(set(ids)), "integrity": integrity, "problems": problems,
            "stories": counts["stories"], "story_of": story, "duplicates": dups, "batches": batches}


def _rss(feed: str, items: Iterable[Item]) -> bytes:
    parts = ['<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0" '
             'xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>',
             f"<title>{html.escape(feed)}</title><link>https://replay.invalid/{html.escape(feed)}</link>"
             f"<description>replay of {html.escape(feed)}</description>"]
    for i in items:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in i.text.split("\n\n") if p.strip())
        parts.append("<item>" + (f"<title>{html.escape(i.title)}</title>" if i.title else "")
                     + f'<guid isPermaLink="false">{html.escape(i.guid)}</guid>'
                     + (f"<link>{html.escape(i.link)}</link>" if i.link else "")
                     + f"<pubDate>{email.utils.formatdate(i.published, usegmt=True)}</pubDate>"
                     + f"<content:encoded>{html.escape(body)}</content:encoded></item>")
    parts.append("</channel></rss>\n")
    return "".join(parts).encode("utf-8")


def _handler(rig: ReplayServer) -> Any:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:  # quiet
            pass

        def date_time_string(self, timestamp: float | None = None) -> str:
            # the replay time the answer was made at (whole seconds down): a Date never claims more than the
            # body holds, however long the answer takes to write
            return email.utils.formatdate(self._now if timestamp is None else timestamp, usegmt=True)

        def do_GET(self) -> None:  # noqa: N802 -- http.server's name
            host, arrived = self.headers.get("Host", ""), time.time()
            self._now = int(rig.now())
            if self.path == "/robots.txt":
                self._send(200, b"User-agent: *\nAllow: /\n", "text/plain")
            elif self.path.startswith("/feeds/") and self.path.endswith(".rss"):
                self._feed(self.path[len("/feeds/"):-len(".rss")])
            else:
                self._send(404, b"not found", "text/plain")
            rig._log(arrived, host, self.path, self._status)

        def _feed(self, feed: str) -> None:
            if feed not in rig.feeds:
                self._send(404, b"no such feed", "text/plain")
                return
            if rig._take_failure(feed):
                self._send(500, b"replay: failure asked for", "text/plain")
                return
            visible = rig.visible(feed, self._now)
            etag = f'"{feed}-{len(visible)}"'
            newest = int(visible[-1].published) if visible else int(rig.start_time)
            headers = {"ETag": etag, "Last-Modified": email.utils.formatdate(newest, usegmt=True)}
            match = self.headers.get("If-None-Match")
            since = self.headers.get("If-Modified-Since")
            if match == etag or (match is None and since and _parse(since) >= newest):
                self._send(304, b"", None, headers)
                return
            body = _rss(feed, reversed(visible[-rig.window:]))
            self._send(200, body, "application/rss+xml; charset=utf-8", headers)

        def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str] | None = None) -> None:
            self._status = status
            self.send_response(status)
            for k, v in (headers or {}).items():
                self.send_header(k, v)
            if ctype:
                self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

    return Handler


def _parse(value: str) -> float:
    try:
        return email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError, IndexError):
        return -1.0
