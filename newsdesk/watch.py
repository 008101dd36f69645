"""Following feeds and folders: ``newsdesk watch`` (the live desk's intake).

>>> with Store("desk.sqlite") as store, Watcher(store, ["https://example.org/rss", "inbox/"]) as w:  # doctest: +SKIP
...     w.run()                                   # polls every options.watch_interval seconds until stop()

Sources are feed URLs (RSS/Atom), OPML files listing feeds, and folders that receive files.

Polling
    Each source is polled every ``options.watch_interval`` seconds.  A feed is fetched with a
    conditional GET (``If-None-Match`` / ``If-Modified-Since`` from its last answer): a ``304``, or a
    body identical to the last one parsed, costs no parse.  All fetches go through
    :class:`~newsdesk.ingest.fetch.Fetcher` (robots.txt, per-host delay, address guard), one fetcher per
    host for the whole run, all sharing one :class:`~newsdesk.ingest.fetch.HostLedger`: two feeds of one
    host are never fetched closer together than the host's delay.  Hosts are fetched in parallel, the
    feeds of one host one after the other.  A folder is walked (as ``newsdesk add`` reads it); a file is
    read once, and again only when its modification time or size changed and its content hash too.
    A source whose poll fails waits ``watch_backoff`` seconds, doubled on each further failure up to
    ``watch_backoff_max``; one success resets it.

Storing (deterministic)
    Entries not seen before in their feed (or seen with other content) are *staged* in the store file,
    in the same transaction as the feed's new state (validators, seen entries, clock), so a kill at any
    moment loses nothing: the next start resumes from the last committed poll without re-reading.
    Staged articles are then stored in publication-time buckets ``watch_bucket`` seconds wide: a bucket is
    one :meth:`Store.add` batch (cleaned together, as ``newsdesk add`` cleans what it reads), in
    publication order, once every healthy source has been polled at a source time past the bucket's end
    (the source time is the server's ``Date`` header, plus ``Age``, never later than the local clock).
    The batches, hence the stories, therefore depend on the articles and their dates only — not on when
    the polls happened, nor on kills and restarts.  An article never waits more than ``watch_max_hold``
    seconds; one that arrives after its bucket was stored (a feed that was down) goes in the next batch.
    A kill between a batch's commit and its unstaging only makes the next start add it again, which the
    store finds unchanged.

Stopping
    :meth:`Watcher.stop` (the CLI calls it on SIGTERM/SIGINT) ends the run after the batch in progress:
    no further fetch or ``Store.add`` starts; what is staged is stored by the next start.
"""

from __future__ import annotations

import concurrent.futures as cf
import email.utils
import hashlib
import json
import logging
import math
import os
import sqlite3
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from .errors import InputError, OptionsError, StoreError
from .models import Article, content_hash
from .options import DEFAULT_OPTIONS, Options

__all__ = ["Watcher", "PollReport", "sources_of"]

log = logging.getLogger(__name__)

_SETTLE = 1.0  # seconds a file must be left unmodified before it is read (it may still be being written)
_ROBOTS_TTL = 86400.0  # seconds the run's fetchers (and the robots.txt they read) are kept before being renewed
_BATCH_DELAY = "NEWSDESK_WATCH_BATCH_DELAY"  # test hook: seconds to sleep before each Store.add batch


@dataclass(frozen=True)
class Source:
    """One thing watched: a feed URL or a folder."""

    name: str       # the URL, or the folder's path
    kind: str       # "url" | "folder"


@dataclass(frozen=True)
class PollReport:
    """What one poll did (also the one-line status the CLI prints)."""

    poll: int
    polled: int = 0          # sources polled
    not_modified: int = 0    # 304 answers, identical bodies and unchanged folders: no parse
    parsed: int = 0          # bodies (or files) parsed
    failed: int = 0
    staged: int = 0          # new or changed articles fetched
    stored: int = 0          # articles added to the store
    updated: int = 0         # stored articles whose content changed
    batches: int = 0         # Store.add calls
    changed_stories: int = 0
    briefed: int = 0
    waiting: int = 0         # fetched, waiting for their bucket to close
    seconds: float = 0.0
    errors: tuple[str, ...] = field(default=())

    def line(self) -> str:
        return (f"poll {self.poll}: {self.polled} polled ({self.parsed} parsed, {self.not_modified} unchanged, "
                f"{self.failed} failed); {self.staged} new, {self.stored} stored in {self.batches} "
                f"batch{'es' if self.batches != 1 else ''}, {self.updated} updated, {self.changed_stories} stories "
                f"changed, {self.briefed} briefed, {self.waiting} waiting; {self.seconds:.2f} s")


def sources_of(args: Iterable[str]) -> list[Source]:
    """The sources behind command-line arguments: URLs, folders, and the feeds of OPML files."""
    from .ingest.fetch import is_url

    out: list[Source] = []
    for arg in args:
        if is_url(arg):
            out.append(Source(arg, "url"))
        elif os.path.isdir(arg):
            out.append(Source(str(Path(arg).resolve()), "folder"))
        elif os.path.isfile(arg):
            out.extend(Source(u, "url") for u in _opml_feeds(arg))
        else:
            raise OptionsError(f"{arg}: not a feed URL, an OPML file or a folder")
    unique = list(dict.fromkeys(out))
    if not unique:
        raise OptionsError("nothing to watch")
    return unique


def _opml_feeds(path: str) -> list[str]:
    from .ingest.feeds import is_opml
    from .ingest.fetch import is_url

    data = Path(path).read_bytes()
    if not is_opml(data):
        raise OptionsError(f"{path}: not an OPML list of feeds (watch takes feed URLs, OPML files and folders)")
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise OptionsError(f"{path}: invalid OPML: {exc}") from exc
    urls = [o.get("xmlUrl", "").strip() for o in root.iter("outline")]
    urls = [u for u in urls if is_url(u)]
    if not urls:
        raise OptionsError(f"{path}: OPML lists no http(s) feeds")
    return urls


@dataclass
class _Tally:
    polled: int = 0
    not_modified: int = 0
    parsed: int = 0
    failed: int = 0
    staged: int = 0
    stored: int = 0
    updated: int = 0
    batches: int = 0
    changed: set[str] = field(default_factory=set)
    errors: list[str] = field(default_factory=list)


class Watcher:
    """Polls ``sources`` into ``store`` (see the module docs).  ``transport`` (an httpx transport) and
    ``wall`` (the wall clock) are for tests; ``brief``: re-brief changed stories after each poll."""

    def __init__(self, store: Any, sources: Sequence[str | Source], options: Options = DEFAULT_OPTIONS, *,
                 brief: bool = False, nlp: Any = None, on_error: Callable[[InputError], None] | None = None,
                 transport: Any = None, wall: Callable[[], float] = time.time) -> None:
        self.store = store
        self.options = options
        self.sources = [x for s in sources for x in ([s] if isinstance(s, Source) else sources_of([s]))]
        self.brief = brief
        self._nlp = nlp
        self._report = on_error or (lambda e: log.warning("%s", e))
        self._transport = transport
        self._wall = wall
        self._stop = threading.Event()
        self._fetchers: dict[str, Any] = {}
        self._ledger: Any = None
        self._ledger_born = 0.0
        self._polls = 0
        self.parses = 0   # bodies and files parsed in this run (tests count them)
        if store.readonly:
            raise StoreError(str(store.path), "opened read-only")
        try:
            self._db = sqlite3.connect(store.path, isolation_level=None, check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA busy_timeout = 30000")
            for s in self.sources:
                self._db.execute("INSERT INTO watch_feeds (feed, kind) VALUES (?, ?) ON CONFLICT (feed) DO NOTHING",
                                 (s.name, s.kind))
        except sqlite3.Error as exc:
            raise StoreError(str(store.path), f"cannot keep the watch state ({exc})") from exc

    # --- lifecycle ----------------------------------------------------------------------------

    def __enter__(self) -> Watcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        for f in self._fetchers.values():
            f.close()
        self._fetchers.clear()
        self._db.close()

    def stop(self) -> None:
        """End the run after the batch in progress (safe from a signal handler)."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    def run(self, *, once: bool = False, polls: int | None = None,
            on_poll: Callable[[PollReport], None] | None = None) -> int:
        """Poll until :meth:`stop` (or ``polls`` polls; ``once``: one poll of every source, then everything
        fetched is stored without waiting for buckets to close).  Returns the number of polls."""
        done = 0
        while not self._stop.is_set():
            report = self.poll(force=once, flush=once)
            done += 1
            if on_poll is not None:
                on_poll(report)
            if once or (polls is not None and done >= polls):
                break
            self._stop.wait(self._until_due())
        return done

    # --- one poll -----------------------------------------------------------------------------

    def poll(self, *, force: bool = False, flush: bool = False) -> PollReport:
        """Poll the sources that are due (``force``: all), store the buckets that closed (``flush``: all
        that is staged), re-brief the dirty stories if asked; one :class:`PollReport`."""
        try:
            return self._poll(force, flush)
        except sqlite3.Error as exc:
            raise StoreError(str(self.store.path), f"watch state could not be written ({exc})") from exc

    def _poll(self, force: bool, flush: bool) -> PollReport:
        start = time.perf_counter()
        self._polls += 1
        tally = _Tally()
        now = self._wall()
        due = [s for s in self.sources if force or self._next_poll(s) <= now]
        self._poll_urls([s for s in due if s.kind == "url"], tally)
        for s in due:
            if s.kind == "folder" and not self._stop.is_set():
                self._poll_folder(s, tally)
        self._commit(tally, flush=flush)
        # every dirty story, not only this poll's: a brief a kill or a stop interrupted is made now
        briefed = self._refresh() if self.brief and not self._stop.is_set() and self.store.dirty() else 0
        waiting = int(self._db.execute("SELECT count(*) FROM watch_staged").fetchone()[0])
        report = PollReport(self._polls, tally.polled, tally.not_modified, tally.parsed, tally.failed, tally.staged,
                            tally.stored, tally.updated, tally.batches, len(tally.changed), briefed, waiting,
                            time.perf_counter() - start, tuple(tally.errors))
        log.info("%s", report.line())
        return report

    def _next_poll(self, s: Source) -> float:
        row = self._db.execute("SELECT next_poll FROM watch_feeds WHERE feed = ?", (s.name,)).fetchone()
        return float(row[0]) if row else 0.0

    def _until_due(self) -> float:
        names = [s.name for s in self.sources]
        q = f"SELECT min(next_poll) FROM watch_feeds WHERE feed IN ({','.join('?' * len(names))})"
        nxt = self._db.execute(q, names).fetchone()[0]
        return max(0.0, float(nxt or 0.0) - self._wall())

    # --- feeds --------------------------------------------------------------------------------

    def _fetcher(self, host: str) -> Any:
        from .ingest.fetch import Fetcher, HostLedger

        if self._ledger is not None and time.monotonic() - self._ledger_born > _ROBOTS_TTL:
            for f in self._fetchers.values():  # a day on: robots.txt is read again
                f.close()
            self._fetchers.clear()
            self._ledger = None
        if self._ledger is None:
            self._ledger, self._ledger_born = HostLedger(), time.monotonic()
        if host not in self._fetchers:
            self._fetchers[host] = Fetcher(self.options, transport=self._transport, ledger=self._ledger)
        return self._fetchers[host]

    def _poll_urls(self, due: list[Source], tally: _Tally) -> None:
        """Fetch the due feeds (hosts in parallel, each host's feeds in turn) and absorb each answer."""
        by_host: dict[str, list[Source]] = {}
        for s in due:
            by_host.setdefault(urlsplit(s.name).netloc.lower(), []).append(s)
        if not by_host:
            return
        fetchers = {h: self._fetcher(h) for h in by_host}  # created here: one thread never races another
        validators = {s.name: self._validators(s) for s in due}  # read here: the connection stays in this thread
        with cf.ThreadPoolExecutor(max_workers=min(8, len(by_host))) as pool:
            futures = [pool.submit(self._fetch_host, fetchers[h], feeds, validators) for h, feeds in by_host.items()]
            for fut in cf.as_completed(futures):
                for s, got in fut.result():
                    self._absorb(s, got, tally)

    def _validators(self, s: Source) -> dict[str, str]:
        """The conditional-GET headers from the feed's last answer."""
        row = self._db.execute("SELECT etag, last_modified FROM watch_feeds WHERE feed = ?", (s.name,)).fetchone()
        headers = {}
        if row and row[0]:
            headers["If-None-Match"] = row[0]
        if row and row[1]:
            headers["If-Modified-Since"] = row[1]
        return headers

    def _fetch_host(self, fetcher: Any, feeds: list[Source], validators: dict[str, dict[str, str]]
                    ) -> list[tuple[Source, Any]]:
        out: list[tuple[Source, Any]] = []
        for s in feeds:
            if self._stop.is_set():
                break
            try:
                out.append((s, fetcher.fetch(s.name, headers=validators[s.name])))
            except InputError as err:
                out.append((s, err))
        return out

    def _absorb(self, s: Source, got: Any, tally: _Tally) -> None:
        """One feed's answer: stage its new entries with its new state (one transaction), or back off."""
        tally.polled += 1
        if isinstance(got, InputError):
            self._failed(s, got, tally)
            return
        clock = self._source_clock(got.headers)
        body = hashlib.sha256(got.data).hexdigest() if got.status != 304 else None
        old = self._db.execute("SELECT body_hash FROM watch_feeds WHERE feed = ?", (s.name,)).fetchone()
        if got.status == 304 or (old and old[0] == body):
            tally.not_modified += 1
            self._save_state(s, clock, "304" if got.status == 304 else "same", got.headers, None, None)
            return
        from .ingest.feeds import NO_ENTRIES

        try:
            articles = self._parse_feed(s, got)
        except InputError as err:
            if err.reason != NO_ENTRIES:
                self._failed(s, err, tally)
                return
            articles = []  # a feed with nothing in it yet is healthy
        tally.parsed += 1
        self._stage(s, articles, clock, got.headers, body, tally)

    def _parse_feed(self, s: Source, got: Any) -> list[Article]:
        from .ingest import read_by_kind
        from .ingest.decode import decompress, is_gzip
        from .ingest.readers import Source as Input

        self.parses += 1
        data = decompress(got.data, s.name, self.options.max_bytes) if is_gzip(got.data) else got.data
        fetch = self._fetcher(urlsplit(s.name).netloc.lower()).fetch
        source = Input(id=s.name, name=s.name, data=data, options=self.options, report=self._report, fetch=fetch,
                       read=read_by_kind)
        out = []
        for n, a in enumerate(read_by_kind(source), 1):
            if a.id == f"{s.name}#{n}":  # no guid: a position in a live feed is no identity
                a = a.with_(id=a.url or f"{s.name}#{_text_key(a)}")
            out.append(a if a.url else a.with_(url=got.final_url))
        return out  # languages are resolved (ingest.finished) when staged: only for entries not seen before

    def _source_clock(self, headers: Mapping[str, str]) -> float:
        """The source's time of an answer: its ``Date`` (+ ``Age``), never later than the local clock."""
        now = self._wall()
        try:
            date = email.utils.parsedate_to_datetime(headers.get("date", ""))
            age = float(headers.get("age", "0") or 0)
            return min(now, date.timestamp() + max(0.0, age))
        except (TypeError, ValueError, IndexError, OverflowError):
            return now

    def _failed(self, s: Source, err: InputError, tally: _Tally) -> None:
        row = self._db.execute("SELECT failures FROM watch_feeds WHERE feed = ?", (s.name,)).fetchone()
        failures = int(row[0] if row else 0) + 1
        wait = min(self.options.watch_backoff_max, self.options.watch_backoff * 2 ** (failures - 1))
        self._db.execute("UPDATE watch_feeds SET failures = ?, next_poll = ?, last_status = 'error', last_error = ?, "
                         "polled_at = ? WHERE feed = ?", (failures, self._wall() + wait, err.reason, _iso_now(),
                                                          s.name))
        tally.failed += 1
        tally.errors.append(f"{s.name}: {err.reason}")
        self._report(InputError(s.name, f"{err.reason} (failure {failures}; next try in {wait:g} s)"))

    def _save_state(self, s: Source, clock: float, status: str, headers: Mapping[str, str] | None,
                    body: str | None, seen: dict[str, str] | None) -> None:
        """The source's new state (and, with ``seen``, its current entries), in the caller's transaction."""
        headers = headers or {}
        etag, modified = headers.get("etag"), headers.get("last-modified")
        self._db.execute(
            "UPDATE watch_feeds SET etag = coalesce(?, etag), last_modified = coalesce(?, last_modified), "
            "body_hash = coalesce(?, body_hash), clock = max(coalesce(clock, 0), ?), next_poll = ?, failures = 0, "
            "last_status = ?, last_error = NULL, polled_at = ? WHERE feed = ?",
            (etag, modified, body, clock, self._wall() + self.options.watch_interval, status, _iso_now(), s.name))
        if seen is not None and s.kind == "url":  # a feed's window: entries gone from it are forgotten
            self._db.execute("DELETE FROM watch_seen WHERE feed = ?", (s.name,))
        if seen:
            self._db.executemany("INSERT OR REPLACE INTO watch_seen (feed, key, hash) VALUES (?, ?, ?)",
                                 [(s.name, k, h) for k, h in seen.items()])

    def _stage(self, s: Source, articles: list[Article], clock: float, headers: Mapping[str, str] | None,
               body: str | None, tally: _Tally, seen: dict[str, str] | None = None) -> None:
        """Stage the articles not seen before (or changed) with the source's new state: one transaction."""
        from .ingest import finished

        known = dict(self._db.execute("SELECT key, hash FROM watch_seen WHERE feed = ?", (s.name,)).fetchall())
        seen = dict(seen or {})
        rows = []
        for a in articles:
            h = content_hash(a)
            if s.kind == "url":
                seen[a.id] = h
            if known.get(a.id) == h and s.kind == "url":
                continue
            a = finished(a) if s.kind == "url" else a  # a folder's files are read finished
            rows.append((a.id, s.name, _event_time(a, clock), self._wall(), _dump(a)))
        self._db.execute("BEGIN IMMEDIATE")
        try:
            self._db.executemany("INSERT OR REPLACE INTO watch_staged (article_id, feed, event_time, staged_at, json) "
                                 "VALUES (?, ?, ?, ?, ?)", rows)
            self._save_state(s, clock, "200", headers, body, seen)
            self._db.execute("COMMIT")
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        tally.staged += len(rows)

    # --- folders ------------------------------------------------------------------------------

    def _poll_folder(self, s: Source, tally: _Tally) -> None:
        """New or changed files of a folder, each read once (state: path, mtime and size, content hash)."""
        from .ingest import input_files, read_input

        tally.polled += 1
        clock = self._wall()
        if not os.path.isdir(s.name):
            self._failed(s, InputError(s.name, "folder not found"), tally)
            return
        known = dict(self._db.execute("SELECT key, hash FROM watch_seen WHERE feed = ?", (s.name,)).fetchall())
        seen: dict[str, str] = {}
        articles: list[Article] = []
        for name, file_id in input_files([s.name], on_error=lambda e: None):
            try:
                st = os.stat(name)
            except OSError:
                continue
            if clock - st.st_mtime < _SETTLE:
                continue  # still being written, perhaps: next poll
            quick = f"{st.st_mtime_ns}:{st.st_size}"
            old = known.get(file_id, "")
            if old.startswith(quick + ":"):
                continue
            digest = hashlib.sha256(Path(name).read_bytes()).hexdigest()
            seen[file_id] = f"{quick}:{digest}"
            if old.endswith(":" + digest):
                continue
            self.parses += 1
            tally.parsed += 1
            articles += read_input(name, file_id, self.options, on_error=self._report)
        if not seen:
            tally.not_modified += 1
        self._stage(s, articles, clock, None, None, tally, seen)

    # --- storing ------------------------------------------------------------------------------

    def watermark(self) -> float | None:
        """The source time every healthy source of this run has been polled past (None: none polled)."""
        names = [s.name for s in self.sources]
        q = (f"SELECT min(clock) FROM watch_feeds WHERE feed IN ({','.join('?' * len(names))}) "
             "AND failures = 0 AND clock IS NOT NULL")
        got = self._db.execute(q, names).fetchone()[0]
        return None if got is None else float(got)

    def _commit(self, tally: _Tally, *, flush: bool = False) -> None:
        """Store the staged articles whose bucket closed (or held too long), bucket by bucket."""
        from .clean import clean_articles

        width = self.options.watch_bucket
        w = self.watermark()
        # a bucket closes one width after its end by the sources' clocks: a server may stamp its Date a moment
        # after it made the body, and a publisher's clock may run behind
        limit = math.inf if flush else (-math.inf if w is None else math.floor(w / width - 1) * width)
        held = self._wall() - self.options.watch_max_hold
        rows = self._db.execute(
            "SELECT article_id, event_time, json FROM watch_staged WHERE event_time < ? OR staged_at < ? "
            "ORDER BY event_time, article_id", (max(-1e300, min(1e300, limit)), held)).fetchall()
        buckets: dict[float, list[tuple[str, str]]] = {}
        for aid, t, data in rows:
            buckets.setdefault(math.floor(t / width), []).append((aid, data))
        delay = float(os.environ.get(_BATCH_DELAY, "0") or 0)
        for _, items in sorted(buckets.items()):
            if self._stop.is_set():
                break
            if delay:
                time.sleep(delay)
            batch = clean_articles([_load(d) for _, d in items], self.options)
            result = self.store.add(batch, on_error=self._report)
            ids = [aid for aid, _ in items]
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("DELETE FROM watch_staged WHERE article_id = ?", [(i,) for i in ids])
            self._db.execute("COMMIT")
            tally.batches += 1
            tally.stored += len(result.added)
            tally.updated += len(result.updated)
            tally.changed.update(result.changed_stories)

    def _refresh(self) -> int:
        from .nlp import NLP

        class _Stop(Exception):
            pass

        def tick() -> None:
            if self._stop.is_set():
                raise _Stop

        self._nlp = self._nlp or NLP(self.options)
        try:
            return len(self.store.refresh(self._nlp, progress=tick))
        except _Stop:
            log.info("stopped while briefing; the remaining stories stay dirty")
            return 0


def _event_time(a: Article, clock: float) -> float:
    """An article's publication time (feed timestamp, else its date at 00:00 UTC), else when it was seen."""
    stamp = a.meta.get("published_at")
    if isinstance(stamp, (int, float)):
        return float(stamp)
    if a.published is not None:
        import calendar

        return float(calendar.timegm(a.published.timetuple()))
    return clock


def _text_key(a: Article) -> str:
    return hashlib.sha256(f"{a.title}\n{a.text}".encode("utf-8", "replace")).hexdigest()[:16]


_META_KEEP = ("format", "location", "feed", "published_at", "body")


def _dump(a: Article) -> str:
    d = a.to_json()
    d.update(raw_text=a.raw_text, dateline=a.dateline, meta={k: a.meta[k] for k in _META_KEEP if k in a.meta})
    return json.dumps(d, ensure_ascii=False)


def _load(data: str) -> Article:
    d = json.loads(data)
    a = Article.from_json(d)
    return a.with_(raw_text=d.get("raw_text") or "", dateline=d.get("dateline"), meta=d.get("meta") or {})


def _iso_now() -> str:
    import datetime as dt

    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
