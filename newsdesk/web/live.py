"""The live desk on the web (#19): topic pages, editions, Atom feeds and versions.

Pages: ``/topics/{id}`` (a topic's stories, oldest first, with their states), ``/edition?since=12h``
(the top stories of the period, as ``newsdesk edition``).  Feeds (Atom 1.0): ``/feed.atom`` (the
latest version of each story, newest first) and ``/stories/{id}/feed.atom`` (a story's versions).
Entry ids are URNs that never change (``urn:newsdesk:story:{id}``, ``…:v{n}`` for a version) and
entry links are the story's permalink ``/stories/{id}``.  JSON: ``/api/topics/{id}``,
``/api/stories/{id}/versions``, ``/api/edition?since=12h``.  This router is installed before the
story routes, whose ``{id:path}`` would otherwise take ``…/feed.atom`` and ``…/versions``.
"""

from __future__ import annotations

import datetime as _dt
from typing import Any
from urllib.parse import quote
from xml.etree import ElementTree as ET

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response

from ..edition import build_edition, change_lines, parse_period
from ..errors import InputError
from .api import story_row_json
from .pages import render

__all__ = ["router", "atom_feed"]

router = APIRouter()

ATOM = "http://www.w3.org/2005/Atom"
FEED_SIZE = 50


def _period(since: str) -> _dt.timedelta:
    try:
        return parse_period(since)
    except InputError as exc:
        raise HTTPException(422, f"since: {exc}") from exc


def _edition(request: Request, since: str, limit: int) -> Any:
    with request.app.state.access.read() as store:
        return build_edition(store, _period(since), limit=limit)


@router.get("/edition", response_class=HTMLResponse, include_in_schema=False)
def edition_page(request: Request, since: str = Query("12h", max_length=20),
                 limit: int = Query(20, ge=1, le=100)) -> HTMLResponse:
    ed = _edition(request, since, limit)
    items = [{"item": i, "changes": change_lines(i.changes)} for i in ed.items]
    return render("edition.html.j2", title="Edition", edition=ed, items=items, since=since)


@router.get("/api/edition", tags=["api"], summary="The top stories of a period (ranked by independent outlets "
            "and novelty), each with what changed")
def edition_api(request: Request, since: str = Query("12h", max_length=20),
                limit: int = Query(20, ge=1, le=100)) -> JSONResponse:
    return JSONResponse(_edition(request, since, limit).to_json())


def _topic_rows(request: Request, topic_id: str) -> list[Any]:
    with request.app.state.access.read() as store:
        rows = store.topic(topic_id)
    if not rows:
        raise HTTPException(404, f"topic {topic_id!r} not found")
    return rows


@router.get("/topics/{topic_id}", response_class=HTMLResponse, include_in_schema=False)
def topic_page(request: Request, topic_id: str) -> HTMLResponse:
    rows = _topic_rows(request, topic_id)
    return render("topic.html.j2", title=rows[-1].headline or topic_id, topic_id=topic_id, rows=rows)


@router.get("/api/topics/{topic_id}", tags=["api"], summary="A topic's stories, oldest first")
def topic_api(request: Request, topic_id: str) -> JSONResponse:
    rows = _topic_rows(request, topic_id)
    return JSONResponse({"id": topic_id, "stories": [story_row_json(r) for r in rows]})


@router.get("/api/stories/{story_id}/versions", tags=["api"],
            summary="A story's brief versions, oldest first, each with what changed since the one before")
def versions_api(request: Request, story_id: str) -> JSONResponse:
    with request.app.state.access.read() as store:
        vs = store.versions(story_id)
        exists = bool(vs) or store.story(story_id) is not None
    if not exists:
        raise HTTPException(404, f"story {story_id!r} not found")
    return JSONResponse({"id": story_id, "versions": [
        {"version": v.version, "headline": v.headline, "articles": v.articles, "computed_at": v.computed_at,
         "changes": v.changes} for v in vs]})


def _atom_time(iso: str) -> str:
    return _dt.datetime.fromisoformat(iso).astimezone(_dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def atom_feed(feed_id: str, title: str, self_url: str, alt_url: str, entries: list[dict[str, str]]) -> bytes:
    """An Atom 1.0 document; ``entries``: dicts of id, title, updated (ISO), link, summary."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    newest = max((e["updated"] for e in entries), default=_dt.datetime.now(_dt.UTC).isoformat())
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _atom_time(newest)
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = "newsdesk"
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=self_url, type="application/atom+xml")
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", href=alt_url, type="text/html")
    for e in entries:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = e["id"]
        ET.SubElement(entry, f"{{{ATOM}}}title").text = e["title"]
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _atom_time(e["updated"])
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", href=e["link"], type="text/html")
        ET.SubElement(entry, f"{{{ATOM}}}summary", type="text").text = e["summary"]
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(feed, encoding="utf-8")


def _summary(lead: str | None, changes: dict[str, Any]) -> str:
    return "\n".join([*([lead] if lead else []), *change_lines(changes)]) or "Updated."


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _atom(body: bytes) -> Response:
    return Response(body, media_type="application/atom+xml")


@router.get("/feed.atom", include_in_schema=False)
def feed(request: Request) -> Response:
    base = _base(request)
    with request.app.state.access.read() as store:
        versions = store.feed_versions(FEED_SIZE)
        leads = {v.story_id: store.lead(v.story_id) for v in versions}
    entries = [{"id": f"urn:newsdesk:story:{v.story_id}", "title": v.headline, "updated": v.computed_at,
                "link": f"{base}/stories/{quote(v.story_id)}", "summary": _summary(leads[v.story_id], v.changes)}
               for v in versions]
    return _atom(atom_feed("urn:newsdesk:stories", "newsdesk: latest stories", f"{base}/feed.atom", f"{base}/",
                           entries))


@router.get("/stories/{story_id}/feed.atom", include_in_schema=False)
def story_feed(request: Request, story_id: str) -> Response:
    base = _base(request)
    with request.app.state.access.read() as store:
        versions = store.feed_versions(FEED_SIZE, story_id)
        if not versions and store.story(story_id) is None:
            raise HTTPException(404, f"story {story_id!r} not found")
    link = f"{base}/stories/{quote(story_id)}"
    entries = [{"id": f"urn:newsdesk:story:{story_id}:v{v.version}", "title": f"{v.headline} (version {v.version})",
                "updated": v.computed_at, "link": link, "summary": _summary(None, v.changes)} for v in versions]
    title = versions[0].headline if versions else story_id
    return _atom(atom_feed(f"urn:newsdesk:story:{story_id}", f"newsdesk: {title}", f"{link}/feed.atom", link, entries))
