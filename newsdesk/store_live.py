"""The store's live-desk half (#19): topics, brief versions, editions' activity and feeds.

:class:`LiveStore` is mixed into :class:`newsdesk.store.Store` (which provides ``_q``, ``_db``,
``_rows`` and ``_ROW_SQL``); the tables are those of the ``_V_TOPICS`` migration.
"""

from __future__ import annotations

import datetime as _dt
import json
from dataclasses import dataclass
from typing import Any

from .errors import InputError

__all__ = ["LiveStore", "BriefVersion", "iso_utc"]


@dataclass(frozen=True)
class BriefVersion:
    story_id: str
    version: int                      # 1, 2, ...
    headline: str
    changes: dict[str, Any]           # newsdesk.versions.diff_briefs against the version before
    articles: int
    computed_at: str                  # ISO datetime, UTC
    brief: dict[str, Any] | None = None  # the BRIEF itself, when asked for


def iso_utc(when: str | _dt.datetime) -> str:
    """An ISO datetime (naive: UTC) as the store writes them, so that string order is time order."""
    try:
        t = when if isinstance(when, _dt.datetime) else _dt.datetime.fromisoformat(str(when).replace("Z", "+00:00"))
    except ValueError as exc:
        raise InputError(str(when), "not an ISO 8601 date or datetime") from exc
    if t.tzinfo is None:
        t = t.replace(tzinfo=_dt.UTC)
    return t.astimezone(_dt.UTC).isoformat(timespec="microseconds")


def _now_precise() -> str:
    """UTC now to the microsecond (versions of one second stay ordered for ``since=`` clients)."""
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="microseconds")


class LiveStore:
    """Topic, version and activity queries of a :class:`newsdesk.store.Store`."""

    _db: Any
    _ROW_SQL: str

    def _q(self, sql: str, params: Any = ()) -> list[tuple]:  # provided by Store
        raise NotImplementedError

    def _rows(self, rows: list[tuple]) -> list[Any]:  # provided by Store
        raise NotImplementedError

    def _save_version(self, story_id: str, headline: str, d: dict[str, Any]) -> None:
        """Keep this brief as the story's next version, with what changed since the one before
        (nothing is kept when the brief says the same as the last version)."""
        from .versions import changed_nothing, diff_briefs, same_brief

        row = self._db.execute("SELECT version, json FROM brief_versions WHERE story_id = ? "
                               "ORDER BY version DESC LIMIT 1", (story_id,)).fetchone()
        prev = json.loads(row[1]) if row else None
        if prev is not None and same_brief(prev, d):
            return
        changes = diff_briefs(prev, d)
        if prev is not None and changed_nothing(changes):
            return
        self._db.execute(
            "INSERT INTO brief_versions (story_id, version, headline, json, changes, n_articles, computed_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (story_id, (row[0] if row else 0) + 1, headline, json.dumps(d, ensure_ascii=False),
             json.dumps(changes, ensure_ascii=False), len(d.get("articles", [])), _now_precise()))

    def versions(self, story_id: str, with_brief: bool = False) -> list[BriefVersion]:
        """Every kept brief of a story, oldest first, each with what changed since the one before."""
        rows = self._q("SELECT version, headline, changes, n_articles, computed_at"
                       + (", json" if with_brief else "") + " FROM brief_versions WHERE story_id = ? "
                       "ORDER BY version", (story_id,))
        return [BriefVersion(story_id, int(r[0]), r[1], json.loads(r[2]), int(r[3]), r[4],
                             json.loads(r[5]) if with_brief else None) for r in rows]

    def latest_version(self, story_id: str) -> BriefVersion | None:
        rows = self._q("SELECT max(version) FROM brief_versions WHERE story_id = ?", (story_id,))
        if not rows or rows[0][0] is None:
            return None
        got = [v for v in self.versions(story_id) if v.version == rows[0][0]]
        return got[0] if got else None

    def lead(self, story_id: str) -> str | None:
        """The first summary sentence of a story's current brief."""
        rows = self._q("SELECT json_extract(json, '$.summary[0].text') FROM briefs WHERE story_id = ?", (story_id,))
        return rows[0][0] if rows else None

    def feed_versions(self, limit: int = 50, story_id: str | None = None) -> list[BriefVersion]:
        """Newest first: the versions of one story, or the latest version of each story."""
        if story_id is not None:
            rows = self._q("SELECT story_id, version, headline, changes, n_articles, computed_at FROM brief_versions "
                           "WHERE story_id = ? ORDER BY version DESC LIMIT ?", (story_id, max(0, int(limit))))
        else:
            rows = self._q("SELECT v.story_id, v.version, v.headline, v.changes, v.n_articles, v.computed_at "
                           "FROM brief_versions v WHERE v.version = (SELECT max(w.version) FROM brief_versions w "
                           "WHERE w.story_id = v.story_id) ORDER BY v.computed_at DESC, v.story_id LIMIT ?",
                           (max(0, int(limit)),))
        return [BriefVersion(r[0], int(r[1]), r[2], json.loads(r[3]), int(r[4]), r[5]) for r in rows]

    def activity(self, since: str, until: str) -> list[tuple[str, int, int, int, str | None, str | None]]:
        """Stories that gained articles ingested in (``since``, ``until``] (ISO datetimes, UTC): story id,
        new originals, all originals, independent outlets (distinct sources of originals: syndicated
        copies never count), headline and lead sentence of the current brief."""
        return [(r[0], int(r[1]), int(r[2]), int(r[3]), r[4], r[5]) for r in self._q(
            "WITH fresh AS (SELECT a.story_id, sum(a.duplicate_of IS NULL) AS n FROM articles a "
            "WHERE a.batch IN (SELECT id FROM batches WHERE julianday(added_at) > julianday(?) "
            "AND julianday(added_at) <= julianday(?)) GROUP BY a.story_id) "
            "SELECT f.story_id, f.n, (SELECT count(*) FROM articles o WHERE o.story_id = f.story_id AND "
            "o.duplicate_of IS NULL), (SELECT count(DISTINCT coalesce(o.source, o.id)) FROM articles o "
            "WHERE o.story_id = f.story_id AND o.duplicate_of IS NULL), br.headline, "
            "json_extract(br.json, '$.summary[0].text') FROM fresh f LEFT JOIN briefs br ON br.story_id = f.story_id",
            (iso_utc(since), iso_utc(until)))]

    def story_row(self, story_id: str) -> Any:
        got = self._rows(self._q(self._ROW_SQL + "WHERE s.id = ?", (story_id,)))
        return got[0] if got else None

    def topic(self, topic_id: str) -> list[Any]:
        """The stories of a topic, oldest first (by their newest date)."""
        rows = self._q(self._ROW_SQL + "WHERE t.topic_id = ? AND s.n_articles > 0 "
                       "ORDER BY s.latest IS NULL, s.latest, s.updated_seq, s.id", (topic_id,))
        return self._rows(rows)
