"""The desk's web UI and JSON API (FastAPI + Jinja2), over a :class:`newsdesk.store.Store`.

>>> from newsdesk.web import create_app                  # doctest: +SKIP
>>> app = create_app("desk.sqlite")                      # doctest: +SKIP
>>> # uvicorn.run(app, host="127.0.0.1", port=8000)

Pages (``pages.py``): ``/`` the stories, newest first; ``/stories/{id}`` one story;
``/articles/{id}`` one article; ``/search?q=``.  JSON (``api.py``): ``/api/stories``,
``/api/stories/{id}`` (the contract's BRIEF), ``/api/articles/{id}`` (ARTICLE),
``/api/search?q=``, ``/api/health`` and, only with ``allow_write`` and a token,
``POST /api/articles``.  The schema is at ``/openapi.json``.

Security: all article text is untrusted.  Templates autoescape; no page carries inline
script or inline style; every response carries a strict Content-Security-Policy
(:data:`CSP`), ``X-Content-Type-Options: nosniff`` and ``Referrer-Policy: no-referrer``.
The write endpoint is off by default and, when on, needs ``Authorization: Bearer <token>``.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

from ..errors import MissingExtraError, OptionsError
from ..options import DEFAULT_OPTIONS, Options

__all__ = ["create_app", "CSP", "SECURITY_HEADERS", "StoreAccess", "RenderCache"]

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

HERE = Path(__file__).resolve().parent


def _fastapi() -> Any:
    try:
        import fastapi
    except ImportError as exc:  # pragma: no cover - exercised only without the extra
        raise MissingExtraError("fastapi", "web") from exc
    return fastapi


class StoreAccess:
    """Hands out the store to request handlers.

    Given a path, each worker thread opens its own read-only :class:`~newsdesk.store.Store`
    (sqlite3 connections belong to one thread) plus one shared writer for ``POST``; given a
    Store object, every use goes through one lock.
    """

    def __init__(self, db: Any, options: Options) -> None:
        self.options = options
        self._lock = threading.RLock()
        self._local = threading.local()
        self._opened: list[Any] = []
        if isinstance(db, (str, os.PathLike)):
            self.path: Path | None = Path(db)
            self._shared = None
            from ..store import Store

            Store(self.path, options).close()  # create / migrate once, fail early on a bad file
        else:
            self.path = None
            self._shared = db

    def stamp(self) -> tuple[int, ...] | None:
        """Changes whenever the store file changes (a commit touches the WAL or the database file);
        ``None`` when unknown (then nothing is cached)."""
        path = self.path if self.path is not None else getattr(self._shared, "path", None)
        if path is None:
            return None
        try:
            db = os.stat(path)
        except OSError:
            return None
        try:
            wal = os.stat(f"{path}-wal")
            return (db.st_mtime_ns, db.st_size, wal.st_mtime_ns, wal.st_size)
        except OSError:
            return (db.st_mtime_ns, db.st_size)

    def _open(self, readonly: bool) -> Any:
        from ..store import Store

        st = Store(self.path, self.options, readonly=readonly)  # type: ignore[arg-type]
        with self._lock:
            self._opened.append(st)
        return st

    @contextmanager
    def read(self) -> Iterator[Any]:
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        st = getattr(self._local, "store", None)
        if st is None:
            st = self._local.store = self._open(readonly=True)
        yield st

    @contextmanager
    def write(self) -> Iterator[Any]:
        if self._shared is not None:
            with self._lock:
                yield self._shared
            return
        with self._lock:
            st = self._open(readonly=False)
            try:
                yield st
            finally:
                st.close()
                self._opened.remove(st)

    def close(self) -> None:
        with self._lock:
            for st in self._opened:
                try:
                    st.close()
                except Exception:  # noqa: BLE001 - closing is best effort (other threads' handles)
                    log.debug("closing a store failed", exc_info=True)
            self._opened.clear()


class RenderCache:
    """A small LRU of rendered responses keyed by (what, id, store stamp): a story page is rendered once
    per store version instead of once per request (the store is read far more often than written)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._d: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple | None) -> Any:
        if key is None or key[-1] is None:
            return None
        with self._lock:
            v = self._d.get(key)
            if v is not None:
                self._d.move_to_end(key)
            return v

    def put(self, key: tuple | None, value: Any) -> None:
        if key is None or key[-1] is None or self.size <= 0:
            return
        with self._lock:
            self._d[key] = value
            self._d.move_to_end(key)
            while len(self._d) > self.size:
                self._d.popitem(last=False)


def create_app(
    db: str | os.PathLike[str] | Any,
    options: Options = DEFAULT_OPTIONS,
    *,
    allow_write: bool = False,
    token: str | None = None,
    nlp_factory: Callable[[], Any] | None = None,
    cache_size: int = 256,
) -> Any:
    """The FastAPI application serving the store ``db`` (a path or a Store object).

    ``allow_write`` turns on ``POST /api/articles``, which then needs ``token``
    (``Authorization: Bearer <token>``); turning it on without a token is an error.
    ``nlp_factory`` builds the NLP used to brief stories changed by a write (default ``NLP(options)``).
    ``cache_size`` rendered story pages / briefs are kept per store version (0: no cache).
    """
    fastapi = _fastapi()
    from fastapi.staticfiles import StaticFiles

    from . import api, pages

    if allow_write and not token:
        raise OptionsError("allow_write needs a token: write endpoints are never open without one")
    access = StoreAccess(db, options)
    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        yield
        access.close()

    app = fastapi.FastAPI(
        title="newsdesk",
        lifespan=lifespan,
        version=_version(),
        description="Stories, briefs, articles and search over a newsdesk store. "
                    "Objects mirror the CLI's JSON contract (ARTICLE, BRIEF).",
        docs_url=None, redoc_url=None,  # the interactive docs load third-party script; the schema is enough
    )
    app.state.access = access
    app.state.cache = RenderCache(cache_size)
    app.state.options = options
    app.state.allow_write = allow_write
    app.state.token = token
    app.state.nlp_factory = nlp_factory
    app.state.nlp = None

    @app.middleware("http")
    async def _security_headers(request: Any, call_next: Any) -> Any:
        response = await call_next(request)
        for k, v in SECURITY_HEADERS.items():
            response.headers[k] = v
        return response

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(api.router)
    app.include_router(pages.router)
    pages.install_error_pages(app)
    app.add_middleware(HeadAsGet)  # outermost: the security headers are answered to HEAD too

    return app


class HeadAsGet:
    """ASGI middleware: ``HEAD`` is answered as ``GET`` without the body (RFC 9110 9.3.2), so
    link checkers and ``curl -I`` see the same status and headers; FastAPI routes declared
    with ``get`` would answer 405."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http" or scope.get("method") != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Any) -> None:
            if message.get("type") == "http.response.body":
                if message.get("more_body"):
                    return  # drop streamed chunks; the last (empty) one ends the response
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def _version() -> str:
    from .. import __version__

    return __version__
