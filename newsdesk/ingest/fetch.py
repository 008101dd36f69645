"""Fetching URLs safely and politely (httpx).

>>> with Fetcher(options) as fetcher:                       # doctest: +SKIP
...     page = fetcher.fetch("https://example.org/news/1.html")

Every request made by :class:`Fetcher`:

* goes only to ``http``/``https`` URLs whose host resolves to public addresses only: a host
  resolving to a private, loopback, link-local, multicast, reserved or unspecified address
  (IPv4-mapped IPv6 included) is refused before any connection, unless
  ``options.allow_private`` (server-side request forgery guard).  The check resolves the
  name itself, so a host that resolves differently a moment later (DNS rebinding) is not
  covered: run newsdesk where its network cannot reach internal services if that matters;
* follows at most ``options.fetch_max_redirects`` redirects, each hop re-checked (scheme,
  address guard, robots.txt); a redirect back to a URL already visited is a loop;
* sends ``options.user_agent`` and obeys the host's ``robots.txt``, parsed by ``protego``
  (RFC 9309: longest match wins, ``Allow``, wildcards; fetched once per host and run; a
  missing robots.txt allows everything, 401/403 forbid everything; an unreachable one allows);
* waits ``options.fetch_delay`` seconds (or the robots.txt ``Crawl-delay`` when longer)
  between two requests to the same host.

The per-host state — when each host may next be asked, and its robots.txt — lives in a
:class:`HostLedger` that every fetcher of a run shares: one fetcher per run in a process, and
across the worker processes of a Dask run (:mod:`newsdesk.scale` serves one ledger to them all),
so two feeds of one host are never fetched closer together than the host's delay;
* times out after ``options.fetch_timeout`` seconds, per operation and for the whole
  download (a server trickling bytes cannot hold it longer);
* streams the body and stops at ``options.max_bytes`` (the ``Content-Length`` is checked
  first; a compressed body is bounded after decompression, so a gzip bomb cannot grow);
* retries timeouts, connection errors and 5xx answers ``options.fetch_retries`` times with
  exponential backoff (0.5 s, 1 s, 2 s, ...; a ``Retry-After`` up to 30 s is honoured).

Every failure is an :class:`InputError` naming the URL.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from ..errors import InputError, MissingExtraError
from ..options import DEFAULT_OPTIONS, Options
from .decode import size_text

__all__ = ["Fetcher", "Fetched", "HostLedger", "is_url", "check_address", "resolve"]

logger = logging.getLogger("newsdesk.ingest")

_BACKOFF = 0.5  # seconds before the first retry; doubled each time
_MAX_RETRY_AFTER = 30.0
_ROBOTS_LIMIT = 500_000  # bytes of robots.txt read at most
_REDIRECTS = frozenset({301, 302, 303, 307, 308})


def is_url(value: str) -> bool:
    """``http://`` or ``https://`` (case-insensitive)."""
    return value[:8].lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class Fetched:
    """A downloaded resource: the URL asked for, the URL it came from after redirects, its bytes, and the
    response headers (lower-case names).  ``status`` 304: not modified since the validators sent (no body)."""

    url: str
    final_url: str
    status: int
    content_type: str
    data: bytes
    headers: Mapping[str, str] = field(default_factory=dict, compare=False)


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (patched in tests)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return sorted({str(info[4][0]) for info in infos})


def check_address(address: str, allowed: Iterable[ipaddress.IPv4Network | ipaddress.IPv6Network] = ()) -> str | None:
    """Why ``address`` must not be contacted (``"private"``, ``"loopback"``, ...), or ``None`` if it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    if any(ip in net for net in allowed):
        return None
    for kind in ("loopback", "link_local", "multicast", "unspecified", "reserved", "private"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    if not ip.is_global:
        return "non-public"
    return None


class HostLedger:
    """Per-host politeness shared by every fetcher of a run: the time each host may next be asked, and its
    robots.txt, fetched once.  Thread-safe; served to Dask's worker processes by a manager
    (:mod:`newsdesk.scale`), so its methods take and return plain values only.

    robots.txt entries are ``"allow"`` (none, or unreachable), ``"deny"`` (401/403) or ``"txt:" + body``.
    """

    #: seconds a fetcher waits for another one that is fetching the same host's robots.txt
    ROBOTS_WAIT = 120.0

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._next: dict[str, float] = {}
        self._robots: dict[str, str] = {}
        self._fetching: dict[str, float] = {}  # host -> when a fetcher claimed its robots.txt

    def reserve(self, host: str, delay: float) -> float:
        """Book ``host``'s next request slot, ``delay`` seconds after the one before; returns the seconds
        the caller must wait before sending it."""
        with self._lock:
            now = time.monotonic()
            at = max(now, self._next.get(host, 0.0))
            self._next[host] = at + delay
            return at - now

    def release(self, host: str, delay: float) -> None:
        """Hold ``host``'s next slot back to at least ``delay`` seconds from now (a longer Crawl-delay
        learnt after a booking)."""
        with self._lock:
            self._next[host] = max(self._next.get(host, 0.0), time.monotonic() + delay)

    def robots(self, host: str) -> str | None:
        """The host's robots.txt entry; ``None``: the caller is to fetch it and :meth:`put_robots` it
        (only one caller is told so at a time; the others get ``"wait"``)."""
        with self._lock:
            if host in self._robots:
                return self._robots[host]
            claimed = self._fetching.get(host)
            if claimed is not None and time.monotonic() - claimed < self.ROBOTS_WAIT:
                return "wait"
            self._fetching[host] = time.monotonic()
            return None

    def put_robots(self, host: str, entry: str | None) -> None:
        """Record the robots.txt entry the caller fetched (``None``: it could not; another may try)."""
        with self._lock:
            self._fetching.pop(host, None)
            if entry is not None:
                self._robots[host] = entry


class Fetcher:
    """A polite, guarded HTTP client (robots.txt and per-host timing kept in its :class:`HostLedger`:
    its own, or one shared by the run's other fetchers).

    ``allowed_networks`` lets tests (or a deployment) reach chosen private networks without
    allowing all of them.
    """

    def __init__(
        self,
        options: Options = DEFAULT_OPTIONS,
        *,
        allowed_networks: Iterable[str] = (),
        transport: Any = None,
        ledger: Any = None,
    ) -> None:
        try:
            import httpx
        except ImportError as exc:  # pragma: no cover - httpx is a core dependency
            raise MissingExtraError("httpx", "ingest") from exc
        self._httpx = httpx
        self.options = options
        self.allowed = tuple(ipaddress.ip_network(n) for n in allowed_networks)
        self._client = httpx.Client(
            follow_redirects=False,
            timeout=httpx.Timeout(options.fetch_timeout),
            headers={"User-Agent": options.user_agent, "Accept": "text/html,application/xhtml+xml,"
                     "application/rss+xml,application/atom+xml,application/xml;q=0.9,*/*;q=0.5"},
            transport=transport,
        )
        self.ledger = ledger if ledger is not None else HostLedger()
        self._robots: dict[str, Any] = {}  # host -> parsed robots.txt (protego), True (allow all), False (deny)
        self.requests = 0  # requests sent (for tests and logs)

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # ------------------------------------------------------------------ public

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Fetched:
        """The resource at ``url`` after redirects; ``InputError(url, ...)`` on any failure.

        ``headers``: extra request headers, e.g. the validators of a conditional GET (``If-None-Match``,
        ``If-Modified-Since``): a ``304 Not Modified`` answer is returned as it is (status 304, no body)."""
        seen = {url}
        current = url
        for _ in range(self.options.fetch_max_redirects + 1):
            self._guard(url, current)
            if self.options.respect_robots and not self._robots_allow(url, current):
                raise InputError(url, f"disallowed by robots.txt ({_origin(current)}/robots.txt)")
            status, got, data = self._get(url, current, extra=headers)
            if status in _REDIRECTS and "location" in got:
                nxt = urljoin(current, got["location"])
                if nxt in seen:
                    raise InputError(url, f"redirect loop ({current} -> {nxt})")
                seen.add(nxt)
                logger.debug("%s: redirected to %s", url, nxt)
                current = nxt
                continue
            if status >= 400:
                raise InputError(url, f"HTTP {status}")
            return Fetched(url, current, status, got.get("content-type", ""), data, got)
        raise InputError(url, f"too many redirects (more than {self.options.fetch_max_redirects})")

    # ------------------------------------------------------------------ internals

    def _guard(self, url: str, current: str) -> None:
        parts = urlsplit(current)
        if parts.scheme not in ("http", "https"):
            raise InputError(url, f"refused: only http and https URLs are fetched, not {current!r}")
        host = parts.hostname
        if not host:
            raise InputError(url, f"no host in URL {current!r}")
        if self.options.allow_private:
            return
        try:
            addresses = resolve(host, parts.port or (443 if parts.scheme == "https" else 80))
        except (OSError, UnicodeError) as exc:
            raise InputError(url, f"cannot resolve host {host!r}: {exc}") from exc
        for address in addresses:
            why = check_address(address, self.allowed)
            if why:
                raise InputError(url, f"refused: {host} resolves to the {why} address {address} "
                                      "(allow with --allow-private / allow_private)")

    def _wait_turn(self, host: str, delay: float) -> None:
        wait = self.ledger.reserve(host, delay)
        if wait > 0:
            time.sleep(wait)
            # a sleep (or a busy machine) may end late: the next request waits from when this one leaves
            self.ledger.release(host, delay)

    def _get(self, url: str, current: str, *, limit: int | None = None,
             extra: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        httpx = self._httpx
        host = urlsplit(current).netloc.lower()
        limit = self.options.max_bytes if limit is None else limit
        attempts = self.options.fetch_retries + 1
        for attempt in range(attempts):
            self._wait_turn(host, self._delay(host))
            retry_after: float | None = None
            try:
                self.requests += 1
                status, headers, data = self._download(url, current, limit, extra)
                if status < 500 or attempt == attempts - 1:
                    return status, headers, data
                problem = f"HTTP {status}"
                retry_after = _retry_after(headers.get("retry-after"))
            except httpx.TimeoutException as exc:
                problem = f"timed out after {self.options.fetch_timeout:g} s"
                if attempt == attempts - 1:
                    raise InputError(url, problem + _tries(attempts)) from exc
            except httpx.TransportError as exc:
                problem = f"connection failed: {type(exc).__name__}: {exc}"
                if attempt == attempts - 1:
                    raise InputError(url, problem + _tries(attempts)) from exc
            except httpx.HTTPError as exc:
                raise InputError(url, f"HTTP error: {type(exc).__name__}: {exc}") from exc
            wait = retry_after if retry_after is not None else _BACKOFF * 2**attempt
            logger.info("%s: %s; retrying in %.1f s", url, problem, wait)
            time.sleep(wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _download(self, url: str, current: str, limit: int,
                  extra: Mapping[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        deadline = time.monotonic() + self.options.fetch_timeout
        with self._client.stream("GET", current, headers=dict(extra or {})) as response:
            headers = {k.lower(): v for k, v in response.headers.items()}
            if response.status_code in _REDIRECTS or response.status_code >= 400 or response.status_code == 304:
                return response.status_code, headers, b""
            declared = headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit and "content-encoding" not in headers:
                raise InputError(url, f"response is {size_text(int(declared))}, larger than the "
                                      f"{size_text(limit)} limit (max_bytes)")
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise InputError(url, f"response is more than {size_text(limit)} (max_bytes); download stopped")
                if time.monotonic() > deadline:
                    raise self._httpx.ReadTimeout("download took too long")
                chunks.append(chunk)
            return response.status_code, headers, b"".join(chunks)

    def _delay(self, host: str) -> float:
        robots = self._robots.get(host)
        crawl = robots.crawl_delay(self.options.user_agent) if not isinstance(robots, (bool, type(None))) else None
        return max(self.options.fetch_delay, float(crawl or 0))

    def _robots_allow(self, url: str, current: str) -> bool:
        host = urlsplit(current).netloc.lower()
        if host not in self._robots:
            self._robots[host] = self._robots_of(url, host, _origin(current))
            crawl = self._delay(host)
            if crawl > self.options.fetch_delay:
                self.ledger.release(host, crawl)
        robots = self._robots[host]
        if isinstance(robots, bool):
            return robots
        return bool(robots.can_fetch(current, self.options.user_agent))

    def _robots_of(self, url: str, host: str, origin: str) -> Any:
        """The host's robots.txt, parsed: from the ledger, or fetched here (once per host and ledger)."""
        deadline = time.monotonic() + HostLedger.ROBOTS_WAIT
        entry = self.ledger.robots(host)
        while entry == "wait" and time.monotonic() < deadline:  # another fetcher is getting it
            time.sleep(0.05)
            entry = self.ledger.robots(host)
        if entry is None:
            try:
                entry = self._load_robots(url, origin)
            finally:
                self.ledger.put_robots(host, entry)
        if entry in ("allow", "wait", None):
            return True
        if entry == "deny":
            return False
        from protego import Protego

        return Protego.parse(entry[4:])

    def _load_robots(self, url: str, origin: str) -> str:
        """The ledger entry for ``origin``'s robots.txt: ``"allow"``, ``"deny"`` or ``"txt:" + body``."""
        robots_url = origin + "/robots.txt"
        try:
            status, _, data = self._get(robots_url, robots_url, limit=_ROBOTS_LIMIT)
        except InputError as exc:
            logger.info("%s: robots.txt not available (%s); proceeding", url, exc.reason)
            return "allow"
        if status in (401, 403):
            return "deny"
        if status >= 400 or status in _REDIRECTS:
            return "allow"
        return "txt:" + data.decode("utf-8", errors="replace")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _tries(n: int) -> str:
    return f" ({n} attempts)" if n > 1 else ""


def _retry_after(value: str | None) -> float | None:
    if value and value.strip().isdigit():
        return min(float(value.strip()), _MAX_RETRY_AFTER)
    return None
