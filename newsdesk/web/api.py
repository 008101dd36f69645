"""The JSON API under ``/api/``: the CLI's objects (ARTICLE, BRIEF) over HTTP.

Handlers return ready JSON (``JSONResponse``); the pydantic models below only document
the shapes in the OpenAPI schema (``/openapi.json``) and are not used to re-validate
responses, which keeps the story endpoint cheap under load.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
from typing import Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, Field

from ..errors import InputError, NewsdeskError

__all__ = ["router"]

log = logging.getLogger(__name__)

router = APIRouter(prefix="/api", tags=["api"])

MAX_POST_BYTES = 5_000_000  # one request may carry at most this many bytes of articles
#: largest ``offset`` of a listing (far beyond any store; keeps SQLite's 64-bit integers out of reach)
MAX_OFFSET = 1_000_000_000


# --- schema models (documentation of the contract's objects) -------------------------------------------------

class ArticleModel(BaseModel):
    id: str
    title: str | None
    text: str | None = Field(None, description="absent in a BRIEF's article list")
    source: str | None
    url: str | None
    published: str | None = Field(None, description="YYYY-MM-DD")
    author: str | None
    duplicate_of: str | None
    language: str | None = None
    story: str | None = Field(None, description="id of the story the article belongs to (article endpoint)")


class SentenceModel(BaseModel):
    text: str
    sources: list[str]


class EntityModel(BaseModel):
    name: str
    type: str
    aliases: list[str]
    sources: list[str]


class FigureModel(BaseModel):
    measure: str
    value: float
    qualifier: str | None
    text: str
    sources: list[str]
    claimant: str | None = None
    scope: str | None = None
    as_of: str | None = None
    background: bool = False
    high: float | None = None


class ConflictValueModel(BaseModel):
    value: float
    text: str
    sources: list[str]
    claimant: str | None = None
    qualifier: str | None = None
    as_of: str | None = None


class ConflictModel(BaseModel):
    measure: str
    values: list[ConflictValueModel]
    scope: str | None = None


class TimelineModel(BaseModel):
    date: str
    text: str
    sources: list[str]


class BackgroundModel(BaseModel):
    date: str | None  # null for a period (a decade, a range of years)
    period: str | None  # "1990s", "early 1990s", "1991–1994"
    text: str
    sources: list[str]


class QuoteModel(BaseModel):
    speaker: str | None
    role: str | None = None
    text: str
    sources: list[str]
    variants: list[str] | None = None


class OutletModel(BaseModel):
    source: str
    articles: list[str]
    unique: list[str]
    terms: list[str]


class BriefModel(BaseModel):
    id: str
    headline: str
    articles: list[ArticleModel]
    summary: list[SentenceModel]
    entities: list[EntityModel]
    figures: list[FigureModel]
    conflicts: list[ConflictModel]
    timeline: list[TimelineModel]
    quotes: list[QuoteModel]
    outlets: list[OutletModel]
    background: list[BackgroundModel] = []


class StoryRowModel(BaseModel):
    id: str
    headline: str | None
    articles: int
    outlets: int
    latest: str | None
    topic: str | None = Field(None, description="id shared by the stories of one continuing topic")
    state: str | None = Field(None, description="developing | quiet")


class StoriesModel(BaseModel):
    stories: list[StoryRowModel]
    limit: int
    offset: int
    total: int | None = None
    since: str | None = None


class HitModel(BaseModel):
    kind: str = Field(description="article | story")
    id: str
    story_id: str | None
    title: str
    snippet: str = Field(description="plain text")


class SearchModel(BaseModel):
    query: str
    hits: list[HitModel]


class HealthModel(BaseModel):
    status: str
    counts: dict[str, int]
    schema_version: int | None
    write: bool
    rebriefing: int = Field(0, description="stories waiting for, or in, a background re-brief")


class AddResultModel(BaseModel):
    added: list[str]
    updated: list[str]
    unchanged: list[str]
    duplicates: list[str]
    changed_stories: list[str]
    rebriefing: list[str] = Field(description="stories being re-briefed in the background (this write's and "
                                              "any still queued); GET /api/health counts what is left")
    skipped: list[str]


# --- helpers shared with the pages -------------------------------------------------------------------------------

def story_row_json(r: Any) -> dict[str, Any]:
    return {"id": r.id, "headline": r.headline, "articles": r.articles, "outlets": r.outlets,
            "latest": r.latest.isoformat() if r.latest else None, "topic": r.topic, "state": r.state}


def hit_json(h: Any) -> dict[str, Any]:
    return {"kind": h.kind, "id": h.id, "story_id": h.story_id, "title": h.title, "snippet": h.snippet}


def cached_counts(state: Any, store: Any) -> dict[str, int]:
    """``store.counts()`` once per store version (counting distinct outlets scans the articles)."""
    key = ("counts", state.access.stamp())
    got = state.cache.get(key)
    if got is None:
        got = store.counts()
        state.cache.put(key, got)
    return dict(got)


def _counts(state: Any) -> dict[str, int]:
    with state.access.read() as store:
        return cached_counts(state, store)


def _json(obj: Any) -> JSONResponse:
    return JSONResponse(obj)


# --- endpoints ---------------------------------------------------------------------------------------------------

@router.get("/health", response_model=HealthModel, summary="Liveness and store counts")
async def health(request: Request) -> JSONResponse:
    state = request.app.state
    counts = state.cache.get(("counts", state.access.stamp()))  # no thread hop when cached
    if counts is None:
        from starlette.concurrency import run_in_threadpool

        counts = await run_in_threadpool(_counts, state)
    from ..store import SCHEMA_VERSION

    return _json({"status": "ok", "counts": counts, "schema_version": SCHEMA_VERSION,
                  "write": bool(request.app.state.allow_write),
                  "rebriefing": len(request.app.state.rebriefer.pending())})


@router.get("/stories", response_model=StoriesModel, summary="Stories, newest first")
def stories(request: Request, limit: int = Query(50, ge=1, le=500),
            offset: int = Query(0, ge=0, le=MAX_OFFSET),
            since: str | None = Query(None, max_length=40, description="ISO datetime: only stories with a brief "
                                      "version computed after it (incremental clients)")) -> Response:
    state = request.app.state
    if since is not None:
        from ..store import iso_utc

        try:
            since = iso_utc(since)
        except InputError as exc:
            raise HTTPException(422, f"since: {exc}") from exc
    key = ("api-stories", limit, offset, since, state.access.stamp())
    body = state.cache.get(key)
    if body is None:
        with state.access.read() as store:
            rows = store.stories(limit=limit, offset=offset, since=since)
            total = cached_counts(state, store).get("stories")
        body = json.dumps({"stories": [story_row_json(r) for r in rows], "limit": limit, "offset": offset,
                           "total": total, "since": since}, ensure_ascii=False, separators=(",", ":")).encode()
        state.cache.put(key, body)
    return Response(body, media_type="application/json")


@router.get("/stories/{story_id:path}", response_model=BriefModel, summary="One story's BRIEF",
            responses={404: {"description": "no such story, or its brief was never computed"}})
async def story(request: Request, story_id: str) -> Response:
    state = request.app.state
    key = ("api-story", story_id, state.access.stamp())
    body = state.cache.get(key)  # the hot path answers on the event loop, without a thread hop
    if body is None:
        from starlette.concurrency import run_in_threadpool

        body = await run_in_threadpool(_story_body, state, story_id, key)
    return Response(body, media_type="application/json")


def _story_body(state: Any, story_id: str, key: tuple) -> bytes:
    with state.access.read() as store:
        brief = store.brief(story_id)
        exists = brief is not None or store.story(story_id) is not None
    if brief is None:
        raise HTTPException(404, f"story {story_id!r} not found" if not exists
                            else f"story {story_id!r} has no brief yet (run newsdesk brief --db)")
    body = json.dumps(brief.to_json(), ensure_ascii=False, separators=(",", ":")).encode()
    state.cache.put(key, body)
    return body


@router.get("/articles/{article_id:path}", response_model=ArticleModel, summary="One ARTICLE",
            responses={404: {"description": "no such article"}})
def article(request: Request, article_id: str) -> JSONResponse:
    with request.app.state.access.read() as store:
        a = store.article(article_id)
        sid = store.story_of(article_id) if a is not None else None
    if a is None:
        raise HTTPException(404, f"article {article_id!r} not found")
    return _json({**a.to_json(), "story": sid})


@router.get("/search", response_model=SearchModel, summary="Full-text search over articles and briefs")
def search(request: Request, q: str = Query(..., min_length=1, max_length=500),
           limit: int = Query(20, ge=1, le=200)) -> JSONResponse:
    with request.app.state.access.read() as store:
        hits = store.search(q, limit=limit)
    return _json({"query": q, "hits": [hit_json(h) for h in hits]})


@router.post("/articles", response_model=AddResultModel, summary="Add articles (off unless enabled; needs the token)",
             responses={401: {"description": "missing or wrong token"}, 403: {"description": "writes are off"},
                        413: {"description": "body too large"}, 422: {"description": "nothing readable"}})
async def add_articles(request: Request) -> JSONResponse:
    """Body: one article object, a JSON list of them, or JSON Lines (the contract's article object).

    The articles are stored before the answer; the briefs of the stories they change are recomputed
    afterwards by a background worker (``rebriefing`` in the answer, ``GET /api/health`` for what is left).
    """
    app = request.app
    if not app.state.allow_write:
        raise HTTPException(403, "write endpoints are off (start the server with --allow-write --token T)")
    auth = request.headers.get("authorization", "")
    given = auth[7:].strip() if auth.lower().startswith("bearer ") else ""
    if not given or not hmac.compare_digest(given.encode(), str(app.state.token).encode()):
        raise HTTPException(401, "missing or wrong token", headers={"WWW-Authenticate": "Bearer"})
    body = await read_body(request, MAX_POST_BYTES)
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_add, app, body)


async def read_body(request: Request, limit: int) -> bytes:
    """The request body, refused (413) as soon as it is known to exceed ``limit`` bytes: from its
    ``Content-Length`` before a byte is read, else while it streams in (chunked), never holding more
    than ``limit`` plus one chunk."""
    declared = request.headers.get("content-length", "")
    if declared.strip().isdigit() and int(declared) > limit:
        raise HTTPException(413, f"body of {declared.strip()} bytes is over the {limit}-byte limit")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise HTTPException(413, f"body over the {limit}-byte limit; stopped reading")
        chunks.append(chunk)
    return b"".join(chunks)


def _as_articles_stream(body: bytes) -> bytes:
    """The body as the standard-input reader takes it: a JSON list, or JSON Lines (one object, even spread
    over several lines, becomes a list of one), each record without an ``id`` given one made from its
    content (:func:`_with_id`).  Lines or lists that do not parse are left as they are, for the reader to
    report."""
    from ..ingest.readers import loads_json

    def parsed(text: str) -> Any:
        try:
            return loads_json(text, "request body")
        except (json.JSONDecodeError, InputError):
            return None

    text = body.decode("utf-8", errors="replace")
    head = text.lstrip()[:1]
    if head == "{":
        try:
            obj = loads_json(text, "request body")
        except json.JSONDecodeError:
            obj = None  # several objects (JSON Lines), or broken JSON the reader reports line by line
        except InputError as exc:
            raise HTTPException(422, f"request body: {exc.reason}") from exc
        if isinstance(obj, dict):
            return json.dumps([_with_id(obj)]).encode()
    elif head == "[":
        obj = parsed(text)
        return json.dumps([_with_id(o) for o in obj]).encode() if isinstance(obj, list) else body
    lines = []
    for line in text.splitlines():
        obj = parsed(line) if line.strip() else None
        lines.append(json.dumps(_with_id(obj)) if isinstance(obj, dict) else line)
    return "\n".join(lines).encode()


def _with_id(obj: Any) -> Any:
    """A record without ``id`` with one made from its content (``post-`` and 16 hex digits of its SHA-1).
    The reader's default id, ``-#<n>``, counts records within one body, so a second POST would otherwise
    overwrite the first one's articles; with content ids an identical record posted again is ``unchanged``
    and a different one is ``added``."""
    if isinstance(obj, dict) and obj.get("id") in (None, ""):
        digest = hashlib.sha1(json.dumps(obj, sort_keys=True).encode()).hexdigest()[:16]
        return {**obj, "id": f"post-{digest}"}
    return obj


def _add(app: Any, body: bytes) -> JSONResponse:
    from .. import api as lib

    body = _as_articles_stream(body)
    skipped: list[str] = []

    def on_error(e: InputError) -> None:
        skipped.append(str(e))

    articles = lib.read(["-"], app.state.options, on_error=on_error, stdin=io.BytesIO(body))
    if not articles:
        raise HTTPException(422, {"message": "no article could be read from the request body", "skipped": skipped})
    try:
        with app.state.access.write() as store:
            result = store.add(articles, on_error=on_error)
    except NewsdeskError as exc:
        log.warning("adding articles failed: %s", exc)
        raise HTTPException(500, f"adding articles failed: {exc}") from exc
    rebriefing = app.state.rebriefer.request(result.changed_stories)
    return _json({"added": list(result.added), "updated": list(result.updated), "unchanged": list(result.unchanged),
                  "duplicates": list(result.duplicates), "changed_stories": list(result.changed_stories),
                  "rebriefing": rebriefing, "skipped": skipped})
