"""The desk's embedded store: articles, duplicates, stories and briefs in one SQLite file.

``Store(path)`` opens (or creates) the file with WAL journaling and foreign keys on, and
brings its schema up to :data:`SCHEMA_VERSION` through the ordered :data:`MIGRATIONS`.

Ingest (``add``) is idempotent and transactional:

* an article whose id is stored with the same content is left alone; the same id with
  new content is updated in place (it keeps its story, whose brief becomes dirty);
* new articles are checked for copies against every stored article
  (:class:`~newsdesk.dedup.DuplicateIndex`) and assigned to stories by the online
  :class:`~newsdesk.cluster.Clusterer`, whose state is rebuilt deterministically from
  the stored batches (seeded with each stored article's story, equal to replaying the
  batches in order), so story ids are stable across runs;
* everything one ``add`` call writes is one transaction: a crash loses nothing
  committed earlier and never leaves a half-written story.

``refresh()`` recomputes the briefs of dirty stories only (stories that gained or
changed articles, or whose brief was made with other options), one transaction per
story.  Full-text search (FTS5) covers article titles and text and brief headlines and
summaries.  Only the stdlib ``sqlite3`` is used.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import hashlib
import json
import logging
import os
import re
import sqlite3
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from .errors import InputError, NewsdeskError, StoreError
from .models import Article, Brief, Story, content_hash
from .nlp import release_free_memory
from .options import DEFAULT_OPTIONS, NOT_IN_BRIEF, Options
from .store_live import BriefVersion, LiveStore, iso_utc

__all__ = ["SCHEMA_VERSION", "MIGRATIONS", "Store", "AddResult", "StoryRow", "SearchHit", "BriefVersion"]

log = logging.getLogger(__name__)

# --- schema ------------------------------------------------------------------------------------
# Each migration takes the schema from version n to n + 1 (n = its index); never edit a
# released one, append a new one.

_V1 = """
CREATE TABLE batches (id INTEGER PRIMARY KEY, added_at TEXT NOT NULL, size INTEGER NOT NULL);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    dirty INTEGER NOT NULL DEFAULT 1,
    n_articles INTEGER NOT NULL DEFAULT 0,
    n_outlets INTEGER NOT NULL DEFAULT 0,
    latest TEXT,                      -- newest published date of its articles (ISO)
    updated_seq INTEGER NOT NULL DEFAULT 0  -- seq of the last article that joined or changed
);
CREATE INDEX stories_newest ON stories (latest DESC, updated_seq DESC);
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY,          -- ingest order (also the FTS rowid)
    id TEXT NOT NULL UNIQUE,
    batch INTEGER NOT NULL REFERENCES batches (id),
    content_hash TEXT NOT NULL,
    title TEXT, text TEXT NOT NULL, source TEXT, url TEXT, published TEXT, author TEXT,
    language TEXT, dateline TEXT,
    duplicate_of TEXT REFERENCES articles (id) DEFERRABLE INITIALLY DEFERRED,
    story_id TEXT NOT NULL REFERENCES stories (id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX articles_story ON articles (story_id, seq);
CREATE INDEX articles_batch ON articles (batch, seq);
CREATE TABLE briefs (
    story_id TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    headline TEXT NOT NULL,
    json TEXT NOT NULL,               -- the contract's BRIEF (Brief.to_json(evidence=True))
    spans TEXT NOT NULL,              -- [[start, end, index], ...] of the summary sentences
    options_key TEXT NOT NULL,        -- which options made it (other options: recomputed)
    computed_at TEXT NOT NULL
);
"""

_V2 = """
CREATE VIRTUAL TABLE articles_fts USING fts5 (title, text, content='articles', content_rowid='seq');
CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
END;
CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
  VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
END;
CREATE TRIGGER articles_au AFTER UPDATE OF title, text ON articles BEGIN
  INSERT INTO articles_fts (articles_fts, rowid, title, text)
  VALUES ('delete', old.seq, coalesce(old.title, ''), old.text);
  INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, coalesce(new.title, ''), new.text);
END;
INSERT INTO articles_fts (rowid, title, text) SELECT seq, coalesce(title, ''), text FROM articles;
CREATE VIRTUAL TABLE briefs_fts USING fts5 (story_id UNINDEXED, headline, summary);
INSERT INTO briefs_fts (story_id, headline, summary)
  SELECT story_id, headline, (SELECT group_concat(json_extract(s.value, '$.text'), ' ')
                              FROM json_each(briefs.json, '$.summary') AS s) FROM briefs;
"""

_V3 = """
CREATE TABLE nlp (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    sentences TEXT NOT NULL,          -- [[start, end], ...] in Article.text offsets
    entities TEXT NOT NULL            -- [[text, label, start, end], ...]
);
"""

# newsdesk watch (#19): per-feed poll state, items seen per feed, fetched articles waiting for their
# publication-time bucket to close (see newsdesk/watch.py), and the watcher's own settings (commit point).
_V_WATCH = """
CREATE TABLE IF NOT EXISTS watch_feeds (
    feed TEXT PRIMARY KEY,            -- URL, or folder path
    kind TEXT NOT NULL,               -- 'url' | 'folder'
    etag TEXT, last_modified TEXT,    -- validators for the next conditional GET
    body_hash TEXT,                   -- sha256 of the last body parsed (same body: no parse)
    clock REAL,                       -- source time (epoch s) of the last successful poll
    next_poll REAL NOT NULL DEFAULT 0,   -- wall time (epoch s) when due
    failures INTEGER NOT NULL DEFAULT 0, -- consecutive failed polls (backoff)
    last_status TEXT, last_error TEXT, polled_at TEXT
);
CREATE TABLE IF NOT EXISTS watch_seen (
    feed TEXT NOT NULL, key TEXT NOT NULL,   -- an entry id, or a file path in a folder
    hash TEXT NOT NULL,                      -- its raw content (a file: mtime and size, then content)
    PRIMARY KEY (feed, key)
);
CREATE TABLE IF NOT EXISTS watch_staged (
    article_id TEXT PRIMARY KEY,
    feed TEXT NOT NULL,
    event_time REAL NOT NULL,         -- publication time (epoch s), else the source time it was seen
    staged_at REAL NOT NULL,          -- wall time it was fetched
    json TEXT NOT NULL                -- the raw (uncleaned) article
);
CREATE INDEX IF NOT EXISTS watch_staged_time ON watch_staged (event_time, article_id);
"""

# topics and versioned briefs (#19): the topic of each story (decided when the story is created, stable),
# and every brief a story has had, with what changed since the version before
_V_TOPICS = """
CREATE TABLE IF NOT EXISTS story_topics (
    story_id TEXT PRIMARY KEY REFERENCES stories (id) ON DELETE CASCADE,
    topic_id TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS story_topics_topic ON story_topics (topic_id);
CREATE TABLE IF NOT EXISTS brief_versions (
    story_id TEXT NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
    version INTEGER NOT NULL,             -- 1, 2, ... per story
    headline TEXT NOT NULL,
    json TEXT NOT NULL,                   -- the BRIEF of this version
    changes TEXT NOT NULL,                -- newsdesk.versions.diff_briefs against the version before
    n_articles INTEGER NOT NULL,
    computed_at TEXT NOT NULL,            -- ISO datetime (UTC)
    PRIMARY KEY (story_id, version)
);
CREATE INDEX IF NOT EXISTS brief_versions_time ON brief_versions (computed_at);
"""

# #18 speed: each original's spaCy docs as bytes (NLP.to_blob: DocBin, paragraph offsets, model), so a
# re-brief reads the parse back instead of parsing the stored article again
_V_SPEED = """
CREATE TABLE IF NOT EXISTS nlp_docs (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    docs BLOB NOT NULL
);
"""

# the matcher's sentence embeddings (MiniLM, float32), kept with the NLP rows so that re-briefing a story
# embeds only its new sentences; rows of an article whose text changed are ignored (content_hash) and replaced
_V_EMBED = """
CREATE TABLE IF NOT EXISTS embeddings (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    content_hash TEXT NOT NULL,
    start INTEGER NOT NULL,           -- the sentence span in Article.text
    end INTEGER NOT NULL,
    vector BLOB NOT NULL,             -- float32, unit length (of the int8 model since _V_INT8)
    PRIMARY KEY (article_id, start, end)
);
"""

# #14: the matcher's MiniLM now runs int8-quantized and its model was re-fitted on int8 vectors; the float32
# vectors stored before are dropped (the next brief embeds those sentences again)
_V_INT8 = """
DELETE FROM embeddings;
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2, _V3, _V_WATCH, _V_TOPICS, _V_SPEED, _V_EMBED, _V_INT8)
SCHEMA_VERSION = len(MIGRATIONS)

_ARTICLE_COLS = "id, title, text, source, url, published, author, language, dateline, duplicate_of"


@dataclass(frozen=True)
class AddResult:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    duplicates: tuple[str, ...] = ()        # added articles found to copy another article
    changed_stories: tuple[str, ...] = ()
    skipped: tuple[str, ...] = ()           # articles refused (reported to on_error), nothing of them stored

    def to_json(self) -> dict[str, list[str]]:
        return {f.name: list(getattr(self, f.name)) for f in fields(self)}


@dataclass(frozen=True)
class StoryRow:
    id: str
    headline: str | None
    articles: int
    outlets: int
    latest: _dt.date | None
    topic: str | None = None
    state: str | None = None          # "developing" | "quiet" (newsdesk.topics.story_state)


@dataclass(frozen=True)
class SearchHit:
    kind: str            # "article" | "story"
    id: str              # article id or story id
    story_id: str | None
    title: str
    snippet: str         # plain text, no markup


class _BlockTable:
    """A clusterer's spilled blocks of term rows (CSR) in a private temporary SQLite database (its own
    connection in autocommit: a rolled-back batch of the store never takes a spilled block with it; the
    file is deleted when the connection closes)."""

    def __init__(self) -> None:
        from .dedup import temporary_database

        self.db = temporary_database()  # memory flat: pages beyond its small cache on disk
        self.db.execute("CREATE TABLE blocks (i INTEGER PRIMARY KEY, rows INTEGER, cols INTEGER, indptr BLOB, "
                        "indices BLOB, data BLOB)")

    def put(self, i: int, block: Any) -> None:
        import numpy as np

        self.db.execute("INSERT OR REPLACE INTO blocks VALUES (?, ?, ?, ?, ?, ?)",
                        (int(i), block.shape[0], block.shape[1], block.indptr.astype(np.int64).tobytes(),
                         block.indices.astype(np.int64).tobytes(), block.data.astype(np.float64).tobytes()))

    def get(self, i: int) -> Any:
        import numpy as np
        import scipy.sparse as sp

        rows, cols, indptr, indices, data = self.db.execute(
            "SELECT rows, cols, indptr, indices, data FROM blocks WHERE i = ?", (int(i),)).fetchone()
        return sp.csr_matrix((np.frombuffer(data, dtype=np.float64), np.frombuffer(indices, dtype=np.int64),
                              np.frombuffer(indptr, dtype=np.int64)), shape=(rows, cols))

    def __del__(self) -> None:
        try:
            self.db.close()
        except Exception:  # noqa: BLE001 -- interpreter shutdown
            pass


def _log_refused(err: InputError) -> None:
    log.warning("%s", err)


def _name(a: Article) -> str:
    return str(a.meta.get("location") or a.id)


_ARTICLE_TEXTS = ("id", "text", "title", "source", "url", "author", "language", "dateline", "duplicate_of")


def _unstorable(a: Article) -> str | None:
    """Why ``a`` cannot be written to SQLite (a field that is not valid Unicode), or None."""
    for name in _ARTICLE_TEXTS:
        value = getattr(a, name)
        if value is None:
            continue
        if not isinstance(value, str):
            return f"field {name!r} is not a string"
        if not value.isascii():
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as exc:
                return f"field {name!r} is not valid Unicode ({exc.reason} at character {exc.start})"
    return None


def options_key(options: Options) -> str:
    """A digest of the options a brief depends on (all but :data:`~newsdesk.options.NOT_IN_BRIEF`): a
    stored brief made under another key is stale; changing a reading, clustering or output option is not."""
    relevant = {f.name: getattr(options, f.name) for f in fields(options) if f.name not in NOT_IN_BRIEF}
    return hashlib.sha256(repr(sorted(relevant.items())).encode()).hexdigest()[:16]


def _now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds")


def _date(s: str | None) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(s) if s else None
    except ValueError:
        return None


def _row_article(r: sqlite3.Row | tuple) -> Article:
    aid, title, text, source, url, published, author, language, dateline, dup = r
    return Article(id=aid, text=text, title=title, source=source, url=url, published=_date(published),
                   author=author, language=language, dateline=dateline, duplicate_of=dup)


_WORD = re.compile(r"\w+", re.UNICODE)


def fts_query(query: str, op: str = "AND") -> str | None:
    """User text -> a safe FTS5 query: every word quoted (no operators, no syntax errors)."""
    words = _WORD.findall(query or "")[:32]
    return f" {op} ".join(f'"{w}"' for w in words) or None


class Store(LiveStore):
    """An embedded SQLite store of articles, stories and briefs (see the module docs).

    Thread-safe: every use of the connection goes through one lock.
    """

    def __init__(self, path: str | os.PathLike[str], options: Options = DEFAULT_OPTIONS, *,
                 readonly: bool = False) -> None:
        self.path = Path(path)
        self.options = options
        self.readonly = readonly
        self._lock = threading.RLock()
        self._clusterer: Any = None
        self._dups: Any = None
        self._replayed_batch = -1   # last batch id folded into the in-memory clusterer
        self._batch_texts: dict[str, str] = {}  # texts of the batch being added
        if readonly and not self.path.exists():
            raise StoreError(str(self.path), "no such store")
        if not readonly and self.path.parent and not self.path.parent.exists():
            raise StoreError(str(self.path), "its folder does not exist")
        try:
            if readonly:
                uri = f"file:{self.path.resolve().as_posix()}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False,
                                           timeout=30)
            else:
                self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False, timeout=30)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 30000")
            if not readonly:
                mode = self._db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
                if str(mode).lower() != "wal":
                    log.warning("%s: journal mode %s, not WAL", self.path, mode)
                self._db.execute("PRAGMA synchronous = NORMAL")
            self._migrate()
        except sqlite3.Error as exc:
            if hasattr(self, "_db"):
                self._db.close()
            raise StoreError(str(self.path), f"not a usable newsdesk store ({exc})") from exc
        except StoreError:
            self._db.close()
            raise

    # --- lifecycle ---------------------------------------------------------------------------

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    @property
    def version(self) -> int:
        with self._lock:
            return self._version()

    def _version(self) -> int:
        has = self._db.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
        if not has:
            return 0
        row = self._db.execute("SELECT max(version) FROM schema_version").fetchone()
        return int(row[0] or 0)

    def _migrate(self) -> None:
        v = self._version()
        if v > SCHEMA_VERSION:
            raise StoreError(str(self.path), f"schema version {v} is newer than this newsdesk ({SCHEMA_VERSION})")
        if v == SCHEMA_VERSION:
            return
        if self.readonly:
            raise StoreError(str(self.path), f"schema version {v} needs an upgrade to {SCHEMA_VERSION}: "
                             "open it once read-write (e.g. newsdesk add --db)")
        for n in range(v, SCHEMA_VERSION):
            # executescript commits first; the BEGIN inside makes each step atomic
            self._db.executescript(
                "BEGIN IMMEDIATE;\n"
                "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TEXT);\n"
                + MIGRATIONS[n]
                + f"\nINSERT INTO schema_version VALUES ({n + 1}, '{_now()}');\nCOMMIT;")
            log.info("%s: schema migrated to version %d", self.path, n + 1)

    # --- ingest ------------------------------------------------------------------------------

    def add(self, articles: Sequence[Article], on_error: Callable[[InputError], None] | None = None) -> AddResult:
        """Store ``articles`` (one transaction), dedupe and cluster the new ones incrementally.

        An article that cannot be stored (text that is not valid Unicode, such as a lone surrogate, or
        one whose dedupe or clustering fails) is reported to ``on_error`` (default: a warning) as an
        :class:`InputError` naming it, and left out: the others are stored all the same, and nothing
        stored before is touched.
        """
        if self.readonly:
            raise StoreError(str(self.path), "opened read-only")
        report = on_error or _log_refused
        latest: dict[str, Article] = {}
        refused: list[str] = []
        for a in articles:  # the same id twice in one batch: the last version wins
            if not isinstance(a, Article) or not a.id:
                raise StoreError(str(self.path), f"not an article with an id: {a!r:.80}")
            problem = _unstorable(a)
            if problem:
                report(InputError(_name(a), problem))
                refused.append(a.id)
                continue
            latest.pop(a.id, None)
            latest[a.id] = a
        batch = list(latest.values())
        try:
            result = self._add_batch(batch)
        except (StoreError, KeyboardInterrupt, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 -- one article broke dedupe/clustering: find it, keep the rest
            log.warning("%s: adding %d articles failed (%s: %s); adding them one by one", self.path, len(batch),
                        type(exc).__name__, exc)
            result = self._add_one_by_one(batch, report, refused)
        if refused:
            result = dataclasses.replace(result, skipped=tuple(dict.fromkeys((*result.skipped, *refused))))
        release_free_memory()
        log.info("%s: %d added, %d updated, %d unchanged, %d duplicates, %d stories changed, %d refused",
                 self.path, len(result.added), len(result.updated), len(result.unchanged), len(result.duplicates),
                 len(result.changed_stories), len(result.skipped))
        return result

    def _add_batch(self, batch: list[Article]) -> AddResult:
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    result = self._add(batch)
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    self._clusterer = self._dups = None  # in-memory state may be ahead of the db
                    raise
            except sqlite3.Error as exc:
                raise StoreError(str(self.path), f"could not add articles ({exc})") from exc
        return result

    def _add_one_by_one(self, batch: list[Article], report: Callable[[InputError], None],
                        refused: list[str]) -> AddResult:
        """Each article in its own transaction; one that fails is reported and left out."""
        parts: list[AddResult] = []
        for a in batch:
            try:
                parts.append(self._add_batch([a]))
            except StoreError:
                raise
            except Exception as exc:  # noqa: BLE001 -- this article's problem, named
                report(InputError(_name(a), f"could not be stored: {type(exc).__name__}: {exc}"))
                refused.append(a.id)
        merged = {f.name: tuple(dict.fromkeys(x for p in parts for x in getattr(p, f.name)))
                  for f in fields(AddResult)}
        return AddResult(**merged)

    def _add(self, batch: list[Article]) -> AddResult:
        db = self._db
        stored: dict[str, tuple[str, str]] = {}
        ids = [a.id for a in batch]
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            q = f"SELECT id, content_hash, story_id FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            stored.update({r[0]: (r[1], r[2]) for r in db.execute(q, chunk)})
        new: list[Article] = []
        updated: list[Article] = []
        unchanged: list[str] = []
        for a in batch:
            if a.id not in stored:
                new.append(a)
            elif stored[a.id][0] == content_hash(a):
                unchanged.append(a.id)
            else:
                updated.append(a)
        changed: dict[str, None] = {}
        duplicates: list[str] = []
        seq = int(db.execute("SELECT coalesce(max(seq), 0) FROM articles").fetchone()[0])
        if new:
            clusterer, dups = self._cluster_state()
            marked: list[Article] = []
            self._batch_texts = {a.id: a.text for a in new}  # not stored yet: the index may ask for them
            for a in new:
                target = dups.add(a)
                if target is not None and target != a.id:
                    a = a.with_(duplicate_of=target)
                    duplicates.append(a.id)
                else:
                    a = a.with_(duplicate_of=None)
                marked.append(a)
            story_of = clusterer.add(marked)
            batch_id = int(db.execute("INSERT INTO batches (added_at, size) VALUES (?, ?)",
                                      (_now(), len(marked))).lastrowid or 0)
            for a in marked:
                sid = story_of[a.id]
                seq += 1
                db.execute("INSERT INTO stories (id) VALUES (?) ON CONFLICT (id) DO NOTHING", (sid,))
                self._insert_article(a, batch_id, sid, seq)
                changed[sid] = None
            db.executemany("INSERT OR IGNORE INTO story_topics (story_id, topic_id) VALUES (?, ?)",
                           [(sid, clusterer.topic_of(sid)) for sid in changed if clusterer.topic_of(sid)])
            self._replayed_batch = batch_id
            self._batch_texts = {}
        for a in updated:
            self._update_article(a)
            changed[stored[a.id][1]] = None
        for sid in changed:
            self._restat(sid)
        return AddResult(added=tuple(a.id for a in new), updated=tuple(a.id for a in updated),
                         unchanged=tuple(unchanged), duplicates=tuple(duplicates),
                         changed_stories=tuple(changed))

    def _insert_article(self, a: Article, batch: int, story_id: str, seq: int) -> None:
        self._db.execute(
            f"INSERT INTO articles (seq, batch, story_id, content_hash, {_ARTICLE_COLS}) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (seq, batch, story_id, content_hash(a), a.id, a.title, a.text, a.source, a.url,
             a.published.isoformat() if a.published else None, a.author, a.language, a.dateline,
             a.duplicate_of))

    def _update_article(self, a: Article) -> None:
        self._db.execute(
            "UPDATE articles SET content_hash = ?, title = ?, text = ?, source = ?, url = ?, published = ?, "
            "author = ?, language = ?, dateline = ? WHERE id = ?",
            (content_hash(a), a.title, a.text, a.source, a.url,
             a.published.isoformat() if a.published else None, a.author, a.language, a.dateline, a.id))
        self._db.execute("DELETE FROM nlp WHERE article_id = ?", (a.id,))
        self._db.execute("DELETE FROM nlp_docs WHERE article_id = ?", (a.id,))

    def _restat(self, sid: str) -> None:
        """Mark a story dirty and recompute its counts, newest date and last change."""
        self._db.execute(
            "UPDATE stories SET dirty = 1, "
            "n_articles = (SELECT count(*) FROM articles WHERE story_id = :s), "
            "n_outlets = (SELECT count(DISTINCT source) FROM articles WHERE story_id = :s), "
            "latest = (SELECT max(published) FROM articles WHERE story_id = :s), "
            "updated_seq = (SELECT max(seq) FROM articles) WHERE id = :s", {"s": sid})

    def _cluster_state(self) -> tuple[Any, Any]:
        """The online clusterer and duplicate index, in step with the stored batches.

        Rebuilt from the stored batches when this process has not seen the latest one
        (another process added since, or a rollback): the duplicate index by replaying
        every article in order, the clusterer by :func:`_seed` (its state as the run that
        stored them left it, from the stored story of every article, without re-deciding
        them), or, should that fail, by replaying ``Clusterer.add`` batch by batch.
        """
        from .cluster import Clusterer
        from .dedup import DuplicateIndex

        last = int(self._db.execute("SELECT coalesce(max(id), 0) FROM batches").fetchone()[0])
        if self._clusterer is not None and self._replayed_batch == last:
            return self._clusterer, self._dups
        batches: list[list[tuple[Article, str]]] = []
        cur_batch = None
        dups = DuplicateIndex(self.options, text_of=self._stored_text)
        for r in self._db.execute(f"SELECT batch, story_id, {_ARTICLE_COLS} FROM articles ORDER BY batch, seq"):
            if r[0] != cur_batch:
                batches.append([])
                cur_batch = r[0]
            a = _row_article(r[2:])
            dups.add(a)
            batches[-1].append((a, r[1]))
        clusterer = self._spilling(Clusterer(self.options))
        topics = dict(self._db.execute("SELECT story_id, topic_id FROM story_topics").fetchall())
        try:
            _seed(clusterer, batches, topics)
        except Exception as exc:  # the clusterer's internals changed: the slow, exact way
            log.warning("%s: rebuilding the clusterer by replay (%s: %s)", self.path, type(exc).__name__, exc)
            clusterer = replay_clusterer(self.options, batches)
        clusterer._dups = dups  # one index (the store's, bounded): the clusterer only re-asks about originals
        self._clusterer, self._dups, self._replayed_batch = clusterer, dups, last
        return clusterer, dups

    def _spilling(self, clusterer: Any) -> Any:
        """``clusterer`` with its term rows beyond the ``cluster_cache_batches`` newest batches in a private
        temporary database (memory flat as the store grows; rebuilt with the clusterer)."""
        from .cluster import _Rows

        clusterer._mat = _Rows(self.options.cluster_cache_batches, _BlockTable())
        return clusterer

    def _stored_text(self, article_id: str) -> str | None:
        """A stored article's text (the duplicate index's shingle sets are computed again from it)."""
        if article_id in self._batch_texts:
            return self._batch_texts[article_id]
        row = self._db.execute("SELECT text FROM articles WHERE id = ?", (article_id,)).fetchone()
        return None if row is None else str(row[0])

    # --- briefs ------------------------------------------------------------------------------

    def dirty(self) -> list[str]:
        """Ids of stories whose brief is missing, out of date or made with other options."""
        with self._lock:
            rows = self._db.execute(
                "SELECT s.id FROM stories s LEFT JOIN briefs b ON b.story_id = s.id "
                "WHERE s.dirty = 1 OR b.story_id IS NULL OR b.options_key != ? ORDER BY s.updated_seq",
                (options_key(self.options),))
            return [r[0] for r in rows]

    def refresh(self, nlp: Any = None, progress: Callable[[], None] | None = None, *,
                scheduler: Any = None, workers: int | None = None) -> list[str]:
        """Recompute the briefs of dirty stories only (one transaction each); returns their ids.

        A story whose brief cannot be computed is logged and stays dirty; the others go on.
        With ``scheduler`` or ``workers``, the briefs are computed on Dask (:mod:`newsdesk.scale`,
        same arguments) and saved here, one transaction each as they would be in one process.
        """
        from .nlp import NLP

        if self.readonly:
            raise StoreError(str(self.path), "opened read-only")
        jobs = []
        for sid in self.dirty():
            story = self.story(sid)
            if story is not None:
                jobs.append((story, self.articles(story.article_ids)))
        done: list[str] = []
        key = options_key(self.options)

        def failed(err: NewsdeskError) -> None:
            log.warning("%s: %s", self.path, err)

        if scheduler is not None or workers is not None:
            from . import scale

            for (story, _), (b, rows) in zip(jobs, scale.brief_jobs(jobs, self.options, scheduler=scheduler,
                                                                    workers=workers, on_error=failed)):
                if b is not None:
                    self._save_brief(b, key, rows)
                    done.append(story.id)
                if progress:
                    progress()
            return done
        nlp = nlp or NLP(self.options)
        saved = hasattr(nlp, "source")  # read saved parses back instead of parsing stored articles again
        before = getattr(nlp, "source", None)
        if saved:
            nlp.source = lambda arts, deep: self.saved_parses(nlp, arts, deep)
        try:
            for story, members in jobs:
                self._prime_embeddings(members)
                b, rows, erows = self._brief_one(story, members, nlp, failed, progress)
                if b is not None:
                    self._save_brief(b, key, rows, erows)
                    done.append(story.id)
        finally:
            if saved:
                nlp.source = before
        return done

    def _brief_one(self, story: Story, members: list[Article], nlp: Any, failed: Callable[[Any], None],
                   progress: Callable[[], None] | None) -> tuple[Brief | None, list[tuple], list[tuple]]:
        """One story's brief, NLP rows and the matcher's embedding rows from one parse of its originals
        (saved, cached or new), held for the whole brief whatever the parse cache's bound."""
        from .briefing import brief_or_report, embedding_rows, nlp_rows, originals_of

        originals = originals_of(members)
        pin = getattr(nlp, "pinned", None)
        if pin is None:
            b = brief_or_report(story, members, self.options, nlp, failed, progress)
            if b is None:
                return None, [], []
            return b, nlp_rows(nlp, members), embedding_rows(nlp, members)
        try:
            parsed = nlp.parse_many(originals, deep=True)
        except Exception:  # noqa: BLE001 -- brief_or_report reports it (or raises a model error)
            parsed = []
        with pin(parsed):
            b = brief_or_report(story, members, self.options, nlp, failed, progress)
            if b is None:
                return None, [], []
            return b, nlp_rows(nlp, members), embedding_rows(nlp, members)

    def _prime_embeddings(self, members: Sequence[Article]) -> None:
        """Give the matcher the stored embeddings of these articles' sentences (same text only)."""
        import numpy as np

        from .briefing.embed import default_embedder
        by_id = {a.id: a for a in members}
        marks = ",".join("?" * len(by_id))
        with self._lock:
            rows = self._db.execute(f"SELECT article_id, content_hash, start, end, vector FROM embeddings "
                                    f"WHERE article_id IN ({marks})", list(by_id)).fetchall()
        vectors = {by_id[aid].text[s:e]: np.frombuffer(v, dtype=np.float32) for aid, h, s, e, v in rows
                   if content_hash(by_id[aid]) == h}
        default_embedder().prime(vectors)

    def saved_parses(self, nlp: Any, articles: Sequence[Article], deep: bool) -> dict[str, Any]:
        """{article id: ParsedArticle} read back from the saved docs of ``articles`` (same content, same
        model); the others are left out (to be parsed)."""
        want = {a.id: a for a in articles}
        found: dict[str, Any] = {}
        ids = list(want)
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            rows = self._q(f"SELECT article_id, content_hash, docs FROM nlp_docs WHERE article_id IN "
                           f"({','.join('?' * len(chunk))})", chunk)
            for aid, digest, blob in rows:
                a = want[aid]
                if digest == content_hash(a):
                    p = nlp.from_blob(a, blob, deep=True)
                    if p is not None:
                        found[aid] = p
        return found

    def sentence_spans(self, article_ids: Sequence[str]) -> dict[str, list[tuple[int, int]]]:
        """{article id: [(start, end), ...]} of the sentences newsdesk found in each stored article (the NLP
        rows saved with its story's brief; articles without current rows are left out)."""
        ids = list(article_ids)
        out: dict[str, list[tuple[int, int]]] = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            for aid, spans in self._q(
                    f"SELECT n.article_id, n.sentences FROM nlp n JOIN articles a ON a.id = n.article_id "
                    f"AND a.content_hash = n.content_hash WHERE n.article_id IN ({','.join('?' * len(chunk))})",
                    chunk):
                out[aid] = [(int(s), int(e)) for s, e in json.loads(spans)]
        return out

    def _save_brief(self, b: Brief, key: str, nlp_rows: list[tuple], embed_rows: Sequence[tuple] = ()) -> None:
        d = b.to_json(evidence=True)  # the citations' matched sentences, for the story page
        spans = [[s.sentence.start, s.sentence.end, s.sentence.index] for s in b.summary]
        summary = " ".join(s.text for s in b.summary)
        with self._lock:
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    self._db.execute(
                        "INSERT OR REPLACE INTO briefs (story_id, headline, json, spans, options_key, computed_at) "
                        "VALUES (?, ?, ?, ?, ?, ?)",
                        (b.story_id, b.headline, json.dumps(d, ensure_ascii=False), json.dumps(spans), key,
                         _now()))
                    self._db.execute("DELETE FROM briefs_fts WHERE story_id = ?", (b.story_id,))
                    self._db.execute("INSERT INTO briefs_fts (story_id, headline, summary) VALUES (?, ?, ?)",
                                     (b.story_id, b.headline, summary))
                    self._db.executemany("INSERT OR REPLACE INTO nlp VALUES (?, ?, ?, ?)", [r[:4] for r in nlp_rows])
                    self._db.executemany("INSERT OR REPLACE INTO nlp_docs VALUES (?, ?, ?)",
                                         [(r[0], r[1], r[4]) for r in nlp_rows if len(r) > 4 and r[4]])
                    self._db.executemany("INSERT OR REPLACE INTO embeddings VALUES (?, ?, ?, ?, ?)", embed_rows)
                    self._save_version(b.story_id, b.headline, d)
                    # dirty again if an article joined since the brief's articles were read
                    n = len(b.articles)
                    self._db.execute("UPDATE stories SET dirty = (n_articles != ?) WHERE id = ?", (n, b.story_id))
                    self._db.execute("COMMIT")
                except BaseException:
                    self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as exc:
                raise StoreError(str(self.path), f"could not save the brief of {b.story_id} ({exc})") from exc

    # --- reading -----------------------------------------------------------------------------

    def _q(self, sql: str, params: Sequence[Any] | dict[str, Any] = ()) -> list[tuple]:
        with self._lock:
            try:
                return self._db.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise StoreError(str(self.path), f"query failed ({exc})") from exc

    _ROW_SQL = ("SELECT s.id, coalesce(b.headline, (SELECT title FROM articles a WHERE a.story_id = s.id "
                "ORDER BY a.seq LIMIT 1)), s.n_articles, s.n_outlets, s.latest, t.topic_id FROM stories s "
                "LEFT JOIN briefs b ON b.story_id = s.id LEFT JOIN story_topics t ON t.story_id = s.id ")

    def _rows(self, rows: list[tuple]) -> list[StoryRow]:
        from .topics import story_state

        now = self.reference_day()
        return [StoryRow(r[0], r[1], int(r[2]), int(r[3]), _date(r[4]), r[5], story_state(_date(r[4]), now,
                                                                                          self.options))
                for r in rows]

    def reference_day(self) -> _dt.date | None:
        """The desk's "now" for story states: the newest published date it holds."""
        return _date(self._q("SELECT max(latest) FROM stories")[0][0])

    def stories(self, limit: int = 50, offset: int = 0, since: str | None = None) -> list[StoryRow]:
        """Stories, newest first (newest published date, then latest change).  ``since`` (ISO datetime,
        UTC): only stories with a brief version computed after it (for incremental clients)."""
        where = "WHERE s.n_articles > 0 "
        params: list[Any] = []
        if since is not None:
            where += "AND EXISTS (SELECT 1 FROM brief_versions v WHERE v.story_id = s.id AND v.computed_at > ?) "
            params.append(iso_utc(since))
        rows = self._q(self._ROW_SQL + where + "ORDER BY s.latest IS NULL, s.latest DESC, s.updated_seq DESC, "
                       "s.id LIMIT ? OFFSET ?", (*params, max(0, int(limit)), max(0, int(offset))))
        return self._rows(rows)

    def story(self, story_id: str) -> Story | None:
        rows = self._q("SELECT id FROM articles WHERE story_id = ? ORDER BY seq", (story_id,))
        if not rows:
            return None
        t = self._q("SELECT topic_id FROM story_topics WHERE story_id = ?", (story_id,))
        return Story(story_id, tuple(r[0] for r in rows), t[0][0] if t else None)

    def brief(self, story_id: str) -> Brief | None:
        """The stored brief of a story (``None`` if never computed)."""
        rows = self._q("SELECT json, spans FROM briefs WHERE story_id = ?", (story_id,))
        if not rows:
            return None
        d = json.loads(rows[0][0])
        for item, span in zip(d.get("summary", []), json.loads(rows[0][1])):
            item["start"], item["end"], item["index"] = span
        ids = [a["id"] for a in d.get("articles", [])]
        return Brief.from_json(d, self.articles(ids))

    def article(self, article_id: str) -> Article | None:
        got = self.articles([article_id])
        return got[0] if got else None

    def articles(self, ids: Sequence[str] | None = None) -> list[Article]:
        """Stored articles: those of ``ids`` (in that order, unknown ids left out), or all in ingest order."""
        if ids is None:
            return [_row_article(r) for r in self._q(f"SELECT {_ARTICLE_COLS} FROM articles ORDER BY seq")]
        ids = list(ids)
        found: dict[str, Article] = {}
        for k in range(0, len(ids), 500):
            chunk = ids[k:k + 500]
            q = f"SELECT {_ARTICLE_COLS} FROM articles WHERE id IN ({','.join('?' * len(chunk))})"
            found.update((r[0], _row_article(r)) for r in self._q(q, chunk))
        return [found[i] for i in ids if i in found]

    def story_of(self, article_id: str) -> str | None:
        rows = self._q("SELECT story_id FROM articles WHERE id = ?", (article_id,))
        return rows[0][0] if rows else None

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Stories (brief headline / summary) then articles (title / text) matching every word of
        ``query`` (any word when none match all); user input is never parsed as FTS syntax."""
        limit = max(0, int(limit))
        hits: list[SearchHit] = []
        for op in ("AND", "OR"):
            q = fts_query(query, op)
            if q is None or limit == 0:
                return []
            hits = [SearchHit("story", r[0], r[0], r[1], _plain(r[2])) for r in self._q(
                "SELECT story_id, headline, snippet(briefs_fts, 2, '', '', '…', 16) FROM briefs_fts "
                "WHERE briefs_fts MATCH ? ORDER BY bm25(briefs_fts) LIMIT ?", (q, limit))]
            hits += [SearchHit("article", r[0], r[1], r[2] or r[0], _plain(r[3])) for r in self._q(
                "SELECT a.id, a.story_id, a.title, snippet(articles_fts, 1, '', '', '…', 16) FROM articles_fts "
                "JOIN articles a ON a.seq = articles_fts.rowid WHERE articles_fts MATCH ? "
                "ORDER BY bm25(articles_fts, 2.0, 1.0) LIMIT ?", (q, limit))]
            if hits or len(_WORD.findall(query)) < 2:
                break
        return hits[:limit]

    def counts(self) -> dict[str, int]:
        r = self._q("SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM stories WHERE n_articles > 0), "
                    "(SELECT count(DISTINCT source) FROM articles), (SELECT count(*) FROM briefs)")[0]
        return {"articles": int(r[0]), "stories": int(r[1]), "outlets": int(r[2]), "briefs": int(r[3])}

    def check(self) -> list[str]:
        """Consistency problems (empty when fine): SQLite's integrity check, foreign keys,
        every article in exactly one existing story, no story without articles."""
        problems = [r[0] for r in self._q("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in self._q("PRAGMA foreign_key_check")]
        problems += [f"story {r[0]} has no articles" for r in self._q(
            "SELECT id FROM stories s WHERE NOT EXISTS (SELECT 1 FROM articles a WHERE a.story_id = s.id)")]
        problems += [f"article {r[0]} in missing story {r[1]}" for r in self._q(
            "SELECT id, story_id FROM articles a WHERE NOT EXISTS (SELECT 1 FROM stories s WHERE s.id = a.story_id)")]
        problems += [f"story {r[0]} counts {r[1]} articles, has {r[2]}" for r in self._q(
            "SELECT s.id, s.n_articles, count(a.id) FROM stories s LEFT JOIN articles a ON a.story_id = s.id "
            "GROUP BY s.id HAVING s.n_articles != count(a.id)")]
        return problems


def replay_clusterer(options: Options, batches: Sequence[Sequence[tuple[Article, str]]]) -> Any:
    """A ``Clusterer`` fed the stored batches again, in order (same inputs, same stories)."""
    from .cluster import Clusterer

    clusterer = Clusterer(options)
    moved = 0
    for batch in batches:
        got = clusterer.add([a for a, _ in batch])
        moved += sum(1 for a, sid in batch if got[a.id] != sid)
    if moved:
        log.warning("%d stored articles cluster differently on replay (updated texts or changed options); "
                    "they keep their stored story", moved)
    return clusterer


def _seed(c: Any, batches: Sequence[Sequence[tuple[Article, str]]], topics: dict[str, str] | None = None) -> None:
    """Put ``Clusterer`` ``c`` in the state ``c.add(batch)`` for each stored batch would leave it in,
    taking each article's story from the store instead of deciding it again.

    Mirrors ``Clusterer.add`` step for step (document frequencies and IDF as of each batch,
    the inverted index over each original's heaviest terms, rows, dates, members in input
    order, stories numbered in order of creation); a test checks the result equals a replay.
    Costs one vectorisation of the stored originals instead of the online decisions.
    """
    from array import array

    import numpy as np

    from .cluster import _col_weights, _counts, _days

    index: dict[str, int] = {}

    def story(sid: str) -> int:
        if sid not in index:
            index[sid] = c._open_story(sid, (topics or {}).get(sid))
        return index[sid]

    for batch in batches:
        batch_days = {a.id: _days(a) for a, _ in batch}
        originals = [(a, sid) for a, sid in batch if a.duplicate_of is None
                     or c.far_copy(a, a.duplicate_of, batch_days)]  # as Clusterer.add decides
        if originals:
            counts = _counts([a for a, _ in originals], c.options)
            c._df += np.bincount(counts.indices, minlength=len(c._df))
            c._n += counts.shape[0]
            idf = _col_weights(c._df, max(c._n, 1), c.options)
            for p, (a, sid) in enumerate(originals):
                r, k = c._n_rows + p, story(sid)
                c._days.append(_days(a))
                c._sources.append(c.source_code(a))
                c._note_day(k, _days(a))
                c._story_of_row.append(k)
                c._rows_of_story[k].append(r)
                for term in c._top_terms(counts[p], idf):
                    c._postings.setdefault(term, array("i")).append(r)
            c._n_rows += len(originals)
            c._mat.append(counts)
        for a, sid in batch:
            c._join(story(sid), a.id)


def _plain(s: str | None) -> str:
    return " ".join((s or "").split())
