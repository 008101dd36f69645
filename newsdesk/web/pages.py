"""The HTML pages: stories, one story, one article, search (Jinja2, autoescaped, no inline script)."""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..models import Article, Brief
from ..report import figure_rows
from ..wording import count
from . import plots
from .api import cached_counts

__all__ = ["router", "install_error_pages", "render", "story_view"]

log = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

_env = Environment(
    loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
    autoescape=select_autoescape(default=True, default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
_env.filters["count"] = count  # "1 article", "2 articles"

PAGE = 50  # stories per page on the front page

_WORD = re.compile(r"\w+")


def render(name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
    return HTMLResponse(_env.get_template(name).render(**ctx), status_code=status)


def _sentences(text: str, spans: list[tuple[int, int]] | None) -> list[str]:
    """The article's sentences as newsdesk found them (the store's NLP rows); without rows (a brief
    saved before they were kept), its paragraphs."""
    if spans:
        return [text[a:b] for a, b in spans]
    return [p.strip() for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def _best_sentence(target: str, text: str, spans: list[tuple[int, int]] | None = None) -> str | None:
    """The sentence of ``text`` sharing most words with ``target`` (how another source says the same)."""
    if target in text:
        return target
    want = {w.lower() for w in _WORD.findall(target)}
    if not want:
        return None
    best, score = None, 0.0
    for s in _sentences(text, spans):
        have = {w.lower() for w in _WORD.findall(s)}
        if not have:
            continue
        j = len(want & have) / len(want | have)
        if j > score:
            best, score = s, j
    return best


def outlet_name(a: Article, n: int) -> str:
    """What to call an article's outlet: its source, else its URL's host, else its citation number."""
    if a.source:
        return a.source
    if a.url:
        host = urlsplit(a.url).hostname
        if host:
            return host.removeprefix("www.")
    return f"article [{n}]"


def story_view(brief: Brief, texts: dict[str, Article],
               spans: dict[str, list[tuple[int, int]]] | None = None) -> dict[str, Any]:
    """Everything the story template shows, with the citation numbers resolved; ``spans``: the stored
    sentence spans of the articles (:meth:`~newsdesk.store.Store.sentence_spans`) for the citation reveal."""
    number = {a.id: i for i, a in enumerate(brief.articles, 1)}
    outlet_of = {a.id: outlet_name(a, number[a.id]) for a in brief.articles}
    summary = []
    copies = {a.id: a.duplicate_of for a in brief.articles if a.duplicate_of}
    for s in brief.summary:
        cites = []
        matched = {m.article_id: m.text for m in s.matched}  # the matcher's sentence of each cited article
        for k, aid in enumerate(s.sources):
            art = texts.get(aid)
            quote: str | None
            if k == 0:
                quote = s.text
            elif aid in matched:
                quote = matched[aid]
            else:  # a brief stored before citations carried their matched sentences
                quote = _best_sentence(s.text, art.text, (spans or {}).get(aid)) if art is not None else None
            copy_of = copies.get(aid)  # a syndicated copy: no independent confirmation, said so
            cites.append({"n": number.get(aid), "id": aid, "outlet": outlet_of.get(aid, aid), "quote": quote,
                          "copy_of": number.get(copy_of) if copy_of else None})
        summary.append({"text": s.text, "cites": cites})
    rows = figure_rows(brief)
    return {
        "brief": brief,
        "number": number,
        "outlet_of": outlet_of,
        "summary": summary,
        "fig_rows": rows,
        "figures_svg": plots.figures_svg(rows, plots.figure_values(brief)),
        "timeline_svg": plots.timeline_svg(brief.timeline),
        "outlets_count": len({a.source for a in brief.articles if a.source}),
    }


@router.get("/", response_class=HTMLResponse)
def stories_page(request: Request, page: int = Query(1, ge=1, le=100_000)) -> HTMLResponse:
    with request.app.state.access.read() as store:
        rows = store.stories(limit=PAGE + 1, offset=(page - 1) * PAGE)
        counts = cached_counts(request.app.state, store)
    more = len(rows) > PAGE
    return render("stories.html.j2", rows=rows[:PAGE], counts=counts, page=page, more=more, title="Stories")


@router.get("/stories/{story_id:path}", response_class=HTMLResponse)
async def story_page(request: Request, story_id: str) -> HTMLResponse:
    key = ("page-story", story_id, request.app.state.access.stamp())
    html = request.app.state.cache.get(key)  # the hot path answers on the event loop, without a thread hop
    if html is not None:
        return HTMLResponse(html)
    from starlette.concurrency import run_in_threadpool

    return await run_in_threadpool(_story_page, request, story_id, key)


def _story_page(request: Request, story_id: str, key: tuple) -> HTMLResponse:
    state = request.app.state
    with state.access.read() as store:
        brief = store.brief(story_id)
        story = store.story(story_id) if brief is None else None
        live = _live(store, story_id) if brief is not None else {}
        if brief is not None and all(a.text for a in brief.articles):
            ids, texts = [], {a.id: a for a in brief.articles}  # the store's briefs carry the full articles
        else:
            ids = [a.id for a in brief.articles] if brief is not None else list(story.article_ids) if story else []
            texts = {a.id: a for a in store.articles(ids)} if ids else {}
        cited = {aid for s in brief.summary for aid in s.sources[1:]} if brief is not None else set()
        spans = store.sentence_spans(sorted(cited)) if cited else {}
    if brief is None and story is None:
        return render("error.html.j2", 404, title="Not found", message=f"There is no story {story_id!r}.")
    if brief is None:
        arts = [texts[i] for i in ids if i in texts]
        return render("story_pending.html.j2", title=story_id, story_id=story_id, articles=arts)
    view = story_view(brief, texts, spans)
    html = _env.get_template("story.html.j2").render(title=brief.headline, **view, **live)
    state.cache.put(key, html)
    return HTMLResponse(html)


def _live(store: Any, story_id: str) -> dict[str, Any]:
    """The story's topic, state and what changed in its latest brief version (#19)."""
    from ..edition import change_lines

    row = store.story_row(story_id)
    version = store.latest_version(story_id)
    return {"row": row, "version": version,
            "changes": change_lines(version.changes, limit=10) if version and not version.changes.get("first") else []}


@router.get("/articles/{article_id:path}", response_class=HTMLResponse)
def article_page(request: Request, article_id: str) -> HTMLResponse:
    with request.app.state.access.read() as store:
        a = store.article(article_id)
        sid = store.story_of(article_id) if a is not None else None
    if a is None:
        return render("error.html.j2", 404, title="Not found", message=f"There is no article {article_id!r}.")
    paragraphs = [p.strip() for p in re.split(r"\n\s*\n|\n", a.text) if p.strip()]
    return render("article.html.j2", title=a.title or a.id, article=a, story_id=sid, paragraphs=paragraphs)


@router.get("/search", response_class=HTMLResponse)
def search_page(request: Request, q: str = Query("", max_length=500)) -> HTMLResponse:
    hits = []
    if q.strip():
        with request.app.state.access.read() as store:
            hits = store.search(q, limit=50)
    return render("search.html.j2", title=f"Search: {q}" if q else "Search", q=q, hits=hits)


def install_error_pages(app: Any) -> None:
    """404/422 as HTML pages for browsers, JSON under /api/."""

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Any:
        if request.url.path.startswith("/api/") or request.url.path == "/openapi.json":
            return JSONResponse({"detail": exc.detail}, status_code=exc.status_code,
                                headers=getattr(exc, "headers", None))
        return render("error.html.j2", exc.status_code, title=str(exc.status_code), message=str(exc.detail))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Any:
        if request.url.path.startswith("/api/"):
            return JSONResponse({"detail": _plain(exc.errors())}, status_code=422)
        return render("error.html.j2", 422, title="Bad request", message="The request had an invalid parameter.")


def _plain(errors: Any) -> list[dict[str, Any]]:
    return [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in errors]
