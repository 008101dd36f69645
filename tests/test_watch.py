"""newsdesk watch: conditional GET, backoff, per-host politeness, folders, SIGTERM and SIGKILL."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from newsdesk.options import Options
from newsdesk.replay import Item, ReplayServer, follow, store_summary, watch_command
from newsdesk.store import Store
from newsdesk.watch import Watcher, sources_of

DAY = 86400.0
T0 = 1262304000.0  # 2010-01-01

_WORDS = ("flood river bridge mayor storm rescue vote budget court strike rail port fire forest school "
          "union hospital vaccine drought harvest election senate tariff factory").split()
_FILLER = ("the a officials said on monday that it was later reported while residents waited for news and "
           "more help arrived before evening").split()


def synthetic_items(n_stories: int = 8, per_story: int = 6, feeds: int = 3, seed: int = 7) -> list[Item]:
    """Stories of ``per_story`` reports spread over ``feeds`` outlets and a few days; some syndicated copies."""
    rng = random.Random(seed)
    items = []
    for s in range(n_stories):
        keys = rng.sample(_WORDS, 4) + [f"place{s}", f"person{s}"]
        day = T0 + DAY * (s * 2 + rng.randint(0, 1))
        for k in range(per_story):
            words = [rng.choice(keys if rng.random() < 0.45 else _FILLER) for _ in range(90)]
            text = " ".join(words).capitalize() + "."
            feed = f"outlet{(s + k) % feeds}"
            items.append(Item(feed, f"s{s}-{k}", day + DAY * (k // 3), text, title=f"{keys[0]} {keys[-1]} {k}"))
        if s % 3 == 0:  # a wire copy in another outlet
            first = items[-per_story]
            items.append(Item(f"outlet{(s + 1) % feeds}", f"s{s}-copy", first.published + 3600, first.text,
                              title=first.title))
    return items


def _opts(**kw: object) -> Options:
    base = dict(allow_private=True, fetch_delay=0.0, fetch_retries=0, watch_interval=0.2, watch_backoff=0.2)
    base.update(kw)
    return Options(**base)  # type: ignore[arg-type]


# --- conditional GET -----------------------------------------------------------------------------


def test_304_and_same_body_cost_no_parse(tmp_path, monkeypatch):
    import newsdesk.ingest as ingest

    parses = []
    real = ingest.read_by_kind
    monkeypatch.setattr(ingest, "read_by_kind", lambda src: (parses.append(src.name), real(src))[1])
    items = synthetic_items(n_stories=2)
    with ReplayServer(items, speed=1.0, start=max(i.published for i in items) + DAY) as rig:  # all out, ~frozen
        opts = _opts()
        with Store(tmp_path / "d.sqlite", opts) as store, Watcher(store, rig.urls(), opts) as w:
            first = w.poll(force=True, flush=True)
            assert first.parsed == len(rig.feeds) and len(parses) == len(rig.feeds)
            assert first.stored == store.counts()["articles"] > 0
            second = w.poll(force=True, flush=True)
            feed_requests = [r for r in rig.requests if r[2].startswith("/feeds/")]
        assert second.not_modified == len(rig.feeds) and second.parsed == 0 and second.staged == 0
        assert len(parses) == len(rig.feeds)  # the 304s were not parsed
        assert [r[3] for r in feed_requests[-len(rig.feeds):]] == [304] * len(rig.feeds)


def test_a_server_without_validators_sending_the_same_body_is_not_parsed_again(tmp_path):
    body = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title><item><guid>w1</guid>'
            b"<title>Dam opens</title><pubDate>Fri, 01 Jan 2010 10:00:00 GMT</pubDate><description>The new dam "
            b"on the river opened on Friday after ten years of work, officials said.</description></item>"
            b"</channel></rss>")
    seen_headers = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        seen_headers.append(dict(request.headers))
        return httpx.Response(200, content=body, headers={"Content-Type": "application/rss+xml"})

    opts = _opts()
    with Store(tmp_path / "d.sqlite", opts) as store, \
            Watcher(store, ["http://wire.test/rss"], opts, transport=httpx.MockTransport(handler)) as w:
        assert w.poll(force=True, flush=True).stored == 1
        again = w.poll(force=True, flush=True)
        assert again.not_modified == 1 and again.parsed == 0 and w.parses == 1
        assert store.counts()["articles"] == 1
    assert "if-none-match" not in seen_headers[1]  # nothing to validate with: the body hash decides


def test_validators_are_sent_and_a_304_keeps_the_state(tmp_path):
    calls = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        calls.append((request.headers.get("if-none-match"), request.headers.get("if-modified-since")))
        if request.headers.get("if-none-match") == '"v1"':
            return httpx.Response(304, headers={"ETag": '"v1"'})
        return httpx.Response(200, headers={"ETag": '"v1"', "Last-Modified": "Fri, 01 Jan 2010 10:00:00 GMT",
                                            "Content-Type": "application/rss+xml"},
                              content=b'<rss version="2.0"><channel><title>W</title><item><guid>a</guid><description>'
                                      b"A bridge collapsed in the city centre on Friday, police said.</description>"
                                      b"</item></channel></rss>")

    opts = _opts()
    with Store(tmp_path / "d.sqlite", opts) as store, \
            Watcher(store, ["http://w.test/feed"], opts, transport=httpx.MockTransport(handler)) as w:
        w.poll(force=True, flush=True)
        r = w.poll(force=True, flush=True)
    assert calls == [(None, None), ('"v1"', "Fri, 01 Jan 2010 10:00:00 GMT")]
    assert r.not_modified == 1 and r.parsed == 0


# --- backoff ---------------------------------------------------------------------------------------


def test_backoff_grows_is_capped_and_resets_when_the_feed_recovers(tmp_path):
    now = [1000.0]
    failures = [4]

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/robots.txt":
            return httpx.Response(404)
        if failures[0] > 0:
            failures[0] -= 1
            return httpx.Response(503)
        return httpx.Response(200, content=b'<rss version="2.0"><channel><title>W</title><item><guid>a</guid>'
                              b"<description>The port reopened on Monday after the storm, officials said."
                              b"</description></item></channel></rss>")

    opts = _opts(watch_interval=5.0, watch_backoff=10.0, watch_backoff_max=25.0)
    waits = []
    with Store(tmp_path / "d.sqlite", opts) as store, Watcher(store, ["http://down.test/rss"], opts,
                                                              transport=httpx.MockTransport(handler),
                                                              wall=lambda: now[0]) as w:
        for _ in range(6):
            r = w.poll()
            wait = w._until_due()
            waits.append((r.failed, wait))
            assert w.poll().polled == 0  # not due before its time
            now[0] += wait
        row = w._db.execute("SELECT failures, last_status FROM watch_feeds").fetchone()
    assert [f for f, _ in waits] == [1, 1, 1, 1, 0, 0]
    assert [wt for _, wt in waits] == [10.0, 20.0, 25.0, 25.0, 5.0, 5.0]  # doubled, capped, reset
    assert row == (0, "same") and failures[0] == 0  # recovered (last poll: the same body, not parsed)


# --- politeness --------------------------------------------------------------------------------------


def test_two_feeds_of_one_host_never_closer_than_the_host_delay(tmp_path):
    items = synthetic_items(n_stories=3, feeds=4)
    delay = 0.3
    sent: list[tuple[float, str]] = []

    class Recording(httpx.HTTPTransport):  # the moment each request leaves the client
        def handle_request(self, request: httpx.Request) -> httpx.Response:
            sent.append((time.monotonic(), request.url.host))
            return super().handle_request(request)

    with ReplayServer(items, speed=DAY * 2, hosts=2) as rig:  # outlets 0, 2 on one host; 1, 3 on the other
        opts = _opts(fetch_delay=delay)
        with Store(tmp_path / "d.sqlite", opts) as store, \
                Watcher(store, rig.urls(), opts, transport=Recording()) as w:
            for _ in range(3):
                w.poll(force=True)
        served = {host for _, host, _, _ in rig.requests}
    by_host: dict[str, list[float]] = {}
    for at, host in sent:
        by_host.setdefault(host, []).append(at)
    assert len(by_host) == len(served) == 2
    for times in by_host.values():
        assert len(times) == 1 + 2 * 3  # robots.txt once, two feeds three times
        gaps = [b - a for a, b in zip(times, times[1:])]
        assert min(gaps) >= delay - 0.005, gaps  # measured a moment after the ledger books the slot


# --- folders -------------------------------------------------------------------------------------------


def test_folder_files_are_read_once_and_again_only_when_changed(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    old = time.time() - 60

    def put(name: str, text: str) -> None:
        (inbox / name).write_text(text)
        os.utime(inbox / name, (old, old))

    put("a.txt", "Dam opens\n\nThe new dam on the river opened on Friday after ten years of work.")
    opts = _opts()
    with Store(tmp_path / "d.sqlite", opts) as store, Watcher(store, sources_of([str(inbox)]), opts) as w:
        assert w.poll(force=True, flush=True).stored == 1
        assert w.poll(force=True, flush=True).parsed == 0
        put("b.txt", "Strike ends\n\nRail workers ended their strike on Sunday after the union accepted the offer.")
        r = w.poll(force=True, flush=True)
        assert (r.parsed, r.stored) == (1, 1)
        os.utime(inbox / "a.txt", (old + 5, old + 5))  # touched, same content: hashed, not parsed
        assert w.poll(force=True, flush=True).parsed == 0
        assert w.parses == 2 and store.counts()["articles"] == 2


def test_sources_of_reads_opml_and_refuses_other_files(tmp_path):
    opml = tmp_path / "feeds.opml"
    opml.write_text('<opml version="2.0"><body><outline xmlUrl="https://a.test/rss"/>'
                    '<outline text="x"><outline xmlUrl="https://b.test/atom"/></outline></body></opml>')
    assert [s.name for s in sources_of([str(opml), str(tmp_path)])] == [
        "https://a.test/rss", "https://b.test/atom", str(tmp_path.resolve())]
    (tmp_path / "x.txt").write_text("hello")
    from newsdesk.errors import OptionsError

    with pytest.raises(OptionsError):
        sources_of([str(tmp_path / "x.txt")])


# --- publication-time buckets --------------------------------------------------------------------------


def test_buckets_wait_for_every_feed_and_are_stored_in_publication_order(tmp_path):
    items = synthetic_items(n_stories=4)
    with ReplayServer(items, speed=1.0, start=max(i.published for i in items) + DAY) as rig:
        opts = _opts()
        with Store(tmp_path / "d.sqlite", opts) as store, Watcher(store, rig.urls()[:1], opts) as w:
            r = w.poll(force=True)
            assert r.batches == len({int(i.published // opts.watch_bucket) for i in items if i.feed == rig.feeds[0]})
            days = [row[0] for row in store._q("SELECT published FROM articles ORDER BY seq")]
            assert days == sorted(days)


# --- stopping ------------------------------------------------------------------------------------------


def _batches(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=1) as conn:
            return int(conn.execute("SELECT count(*) FROM batches").fetchone()[0])
    except sqlite3.Error:
        return 0


def test_sigterm_stops_after_the_current_batch_and_the_next_start_completes(tmp_path):
    items = synthetic_items(n_stories=6)
    n_buckets = len({int(i.published // 60.0) for i in items})
    db = tmp_path / "d.sqlite"
    with ReplayServer(items, speed=1.0, start=max(i.published for i in items) + DAY) as rig:
        cmd = watch_command(db, rig.urls()) + ["--once"]
        env = {**os.environ, "NEWSDESK_WATCH_BATCH_DELAY": "1.0"}
        proc = subprocess.Popen(cmd, env=env, stderr=subprocess.PIPE)
        deadline = time.time() + 120
        while _batches(db) < 1 and time.time() < deadline and proc.poll() is None:
            time.sleep(0.02)
        at_signal = _batches(db)
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0, proc.stderr.read() if proc.stderr else ""
        stopped = store_summary(db)
        # the batch in progress (if the signal came during one) finished, and no other began
        assert at_signal <= stopped["batches"] <= at_signal + 1 < n_buckets
        assert stopped["integrity"] == "ok" and not stopped["problems"]
        subprocess.run(cmd, check=True, timeout=300)
    done = store_summary(db)
    assert done["articles"] == done["unique"] == len(items) and done["batches"] == n_buckets


def test_sigkill_three_times_loses_nothing_and_gives_the_same_stories(tmp_path):
    items = synthetic_items(n_stories=10, per_story=5)
    speed = DAY * 2  # the 20-odd replay days in about 12 s
    env = {"NEWSDESK_WATCH_BATCH_DELAY": "0.05"}
    with ReplayServer(items, speed=speed, hosts=2) as rig:
        plain = follow(rig, tmp_path / "plain.sqlite", env=env)
    rng = random.Random(int(os.environ.get("NEWSDESK_TEST_SEED", "19")))
    span = (items[-1].published - items[0].published + 3600) / speed
    kills = sorted(rng.uniform(0.3, span) for _ in range(3))
    with ReplayServer(items, speed=speed, hosts=2) as rig:
        killed = follow(rig, tmp_path / "killed.sqlite", kills=kills, env=env)
    assert len(killed["killed_at"]) == 3, killed
    assert plain["caught_up"] and killed["caught_up"], (plain, killed)
    a, b = store_summary(tmp_path / "plain.sqlite"), store_summary(tmp_path / "killed.sqlite")
    for s in (a, b):
        assert s["articles"] == s["unique"] == len(items)
        assert s["integrity"] == "ok" and not s["problems"]
    assert a["story_of"] == b["story_of"] and a["duplicates"] == b["duplicates"]
    assert 1 < a["stories"] < len(items) and a["duplicates"]


def test_watch_once_from_the_command_line(tmp_path):
    items = synthetic_items(n_stories=2)
    with ReplayServer(items, speed=1.0, start=max(i.published for i in items) + DAY) as rig:
        got = subprocess.run([sys.executable, "-m", "newsdesk", "watch", "--db", str(tmp_path / "d.sqlite"), "--once",
                              "--no-brief", "--allow-private", "--json", *rig.urls()],
                             capture_output=True, text=True, timeout=300)
    assert got.returncode == 0, got.stderr
    import json

    report = json.loads(got.stdout.strip().splitlines()[-1])
    assert report["stored"] == len(items) and report["parsed"] == len(rig.feeds) and report["failed"] == 0


def test_changed_stories_are_briefed_after_a_poll(tmp_path):
    items = synthetic_items(n_stories=2, per_story=3)
    with ReplayServer(items, speed=1.0, start=max(i.published for i in items) + DAY) as rig:
        opts = _opts()
        with Store(tmp_path / "d.sqlite", opts) as store, Watcher(store, rig.urls(), opts, brief=True) as w:
            r = w.poll(force=True, flush=True)
            assert r.briefed == r.changed_stories == store.counts()["stories"] == store.counts()["briefs"] > 0
            assert not store.dirty()
            assert w.poll(force=True, flush=True).briefed == 0  # nothing changed: nothing re-briefed
