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
A request whose ``Host`` header names a host the server was not told about is refused (421)
before any handler runs (:class:`HostCheck`: DNS rebinding cannot reach the API).
The write endpoint is off by default and, when on, needs ``Authorization: Bearer <token>``;
its body is limited while it streams in.  The stories a write changes are re-briefed by a
background worker (:class:`Rebriefer`), not on the request.
"""

from __future__ import annotations

import ipaddress
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

__all__ = ["create_app", "CSP", "SECURITY_HEADERS", "StoreAccess", "RenderCache", "HostCheck", "Rebriefer"]

log = logging.getLogger(__name__)

CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "object-src 'none'; base-uri 'none'; frame-ancestors 'none'")

SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
_HEADER_BYTES = [(k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()]

#: names a server answers to whatever it is bound to (IP addresses are always allowed: see HostCheck)
LOCAL_NAMES = ("localhost",)

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


class Rebriefer:
    """Recomputes the briefs of the stories writes changed, in one background thread, off the request path.

    :meth:`request` queues story ids and returns at once; the worker runs :meth:`Store.refresh
    <newsdesk.store.Store.refresh>` on its own connection, which computes each brief outside any
    transaction and saves it in a short one, so readers and further writes go on meanwhile.  A story
    that changes again while it is being briefed stays dirty and is done in the next pass.  The NLP
    pipeline is loaded by the worker, on its first pass.
    """

    def __init__(self, access: StoreAccess, options: Options, nlp_factory: Callable[[], Any] | None = None) -> None:
        self.access = access
        self.options = options
        self.nlp_factory = nlp_factory
        self._cond = threading.Condition()
        self._pending: dict[str, int] = {}  # story id -> request number (a repeat during a pass keeps it queued)
        self._requests = 0
        self._busy = False
        self._stopping = False
        self._thread: threading.Thread | None = None
        self.passes = 0

    def pending(self) -> list[str]:
        """Stories queued or being re-briefed now."""
        with self._cond:
            return list(self._pending)

    def request(self, story_ids: Any) -> list[str]:
        """Queue ``story_ids`` for re-briefing; returns every story now queued or in progress."""
        with self._cond:
            for sid in story_ids:
                self._requests += 1
                self._pending[sid] = self._requests
            if self._pending and (self._thread is None or not self._thread.is_alive()) and not self._stopping:
                self._thread = threading.Thread(target=self._run, name="newsdesk-rebrief", daemon=True)
                self._thread.start()
            self._cond.notify_all()
            return list(self._pending)

    def wait(self, timeout: float = 60.0) -> bool:
        """Block until nothing is queued or in progress (True) or ``timeout`` seconds pass (False)."""
        with self._cond:
            return self._cond.wait_for(lambda: not self._pending and not self._busy, timeout)

    def stop(self, timeout: float = 10.0) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        nlp = None
        while True:
            with self._cond:
                self._cond.wait_for(lambda: self._pending or self._stopping)
                if self._stopping:
                    return
                batch = dict(self._pending)
                self._busy = True
            try:
                if nlp is None:
                    nlp = self._nlp()
                self._refresh(nlp)
            except Exception:  # noqa: BLE001 -- a failed pass is logged; the stories stay dirty in the store
                log.warning("re-briefing %d stories failed", len(batch), exc_info=True)
            finally:
                with self._cond:
                    for sid, number in batch.items():
                        if self._pending.get(sid) == number:  # not asked for again meanwhile
                            del self._pending[sid]
                    self._busy = False
                    self.passes += 1
                    self._cond.notify_all()

    def _nlp(self) -> Any:
        if self.nlp_factory is not None:
            return self.nlp_factory()
        from ..nlp import NLP

        return NLP(self.options)

    def _refresh(self, nlp: Any) -> None:
        if self.access.path is None:  # a Store object given: its lock, its connection
            with self.access.write() as store:
                store.refresh(nlp)
            return
        from ..store import Store

        with Store(self.access.path, self.options) as store:  # its own connection; short transactions
            store.refresh(nlp)


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
    allowed_hosts: Any = ("127.0.0.1",),
) -> Any:
    """The FastAPI application serving the store ``db`` (a path or a Store object).

    ``allow_write`` turns on ``POST /api/articles``, which then needs ``token``
    (``Authorization: Bearer <token>``); turning it on without a token is an error.
    ``nlp_factory`` builds the NLP used to brief stories changed by a write (default ``NLP(options)``).
    ``cache_size`` rendered story pages / briefs are kept per store version (0: no cache).
    ``allowed_hosts``: host names the server may be reached by (``Host`` header) besides any IP
    address and ``localhost`` (:class:`HostCheck`); ``newsdesk serve`` passes its ``--host`` and
    ``--allow-host`` names.
    """
    fastapi = _fastapi()
    if allow_write and not token:
        raise OptionsError("allow_write needs a token: write endpoints are never open without one")
    access = StoreAccess(db, options)
    rebriefer = Rebriefer(access, options, nlp_factory)

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        yield
        rebriefer.stop()
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
    app.state.rebriefer = rebriefer
    _install_routes(app, allowed_hosts)
    return app


def _install_routes(app: Any, allowed_hosts: Any) -> None:
    """Static files, the API and the pages, behind the middleware (outermost last)."""
    from fastapi.staticfiles import StaticFiles

    from . import api, live, pages

    app.mount("/static", StaticFiles(directory=str(HERE / "static")), name="static")
    app.include_router(live.router)  # before the story routes: their {id:path} would take /feed.atom, /versions
    app.include_router(api.router)
    app.include_router(pages.router)
    pages.install_error_pages(app)
    # plain ASGI middleware (Starlette's @app.middleware("http") costs a task and a queue per request)
    app.add_middleware(CachedAnswers, state=app.state)  # innermost: after the Host check, HEAD, headers
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)  # the security headers are answered to HEAD too
    app.add_middleware(HostCheck, allowed=allowed_hosts)  # outermost: nothing runs for a foreign Host


# (path prefix, render-cache kind, content type) of the answers CachedAnswers serves before routing
_CACHED = (("/stories/", "page-story", b"text/html; charset=utf-8"),
           ("/api/stories/", "api-story", b"application/json"))


class CachedAnswers:
    """ASGI middleware: a ``GET`` of a story page or of a story's BRIEF already rendered for the store's
    current version is answered from the render cache before routing.  FastAPI's routing, parameter
    handling and response objects cost more than sending the cached bytes (the 200-client load test:
    bench_web.py); anything not in the cache goes on to the routes, which fill it."""

    def __init__(self, app: Any, state: Any) -> None:
        self.app = app
        self.state = state

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") == "http" and scope.get("method") == "GET" and not scope.get("query_string"):
            path = scope.get("path", "")
            for prefix, kind, ctype in _CACHED:
                if path.startswith(prefix) and len(path) > len(prefix):
                    body = self.state.cache.get((kind, path[len(prefix):], self.state.access.stamp()))
                    if body is not None:
                        data = body.encode("utf-8") if isinstance(body, str) else body
                        await send({"type": "http.response.start", "status": 200,
                                    "headers": [(b"content-length", str(len(data)).encode()),
                                                (b"content-type", ctype)]})
                        await send({"type": "http.response.body", "body": data})
                        return
                    break
        await self.app(scope, receive, send)


class SecurityHeaders:
    """ASGI middleware: :data:`SECURITY_HEADERS` on every response."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Any) -> None:
            if message.get("type") == "http.response.start":
                names = {k for k, _ in _HEADER_BYTES}
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() not in names]
                message = {**message, "headers": headers + _HEADER_BYTES}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HostCheck:
    """ASGI middleware refusing (421 Misdirected Request) a ``Host`` header that is not an IP address,
    ``localhost`` or one of ``allowed`` (by default none more: :func:`create_app` adds the bound host).

    A DNS-rebinding page makes the browser send its own domain name as ``Host`` to a server on the
    loopback address; only names the server was told about (``newsdesk serve --allow-host NAME``) get
    through.  IP addresses cannot be rebound, so ``http://127.0.0.1:8000/`` or the LAN address always work.
    """

    def __init__(self, app: Any, allowed: Any = ()) -> None:
        self.app = app
        self.allowed = frozenset(_host_name(h) for h in (*LOCAL_NAMES, *(allowed or ())) if h)

    def allows(self, host_header: str) -> bool:
        name = _host_name(host_header)
        if not name:
            return False
        if name in self.allowed or name.endswith(".localhost"):
            return True
        try:
            ipaddress.ip_address(name)
            return True
        except ValueError:
            return False

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope.get("type") not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope.get("headers", []) if k == b"host"), "")
        if self.allows(host):
            await self.app(scope, receive, send)
            return
        body = b'{"detail":"unknown Host header: this server answers only to its own address and names"}'
        await send({"type": "http.response.start", "status": 421,
                    "headers": [(b"content-type", b"application/json"),
                                (b"content-length", str(len(body)).encode()), *_HEADER_BYTES]})
        await send({"type": "http.response.body", "body": body})


def _host_name(value: str) -> str:
    """The host of a ``Host`` header or a name: lower case, without port, brackets or a final dot."""
    value = value.strip().lower()
    if value.startswith("["):  # [::1]:8000
        return value[1:value.find("]")] if "]" in value else ""
    if value.count(":") == 1:
        value = value.split(":", 1)[0]
    return value.rstrip(".")


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
