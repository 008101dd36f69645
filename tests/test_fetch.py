"""URL fetching against a local HTTP server started here (127.0.0.1, a thread per request)."""

from __future__ import annotations

import gzip
import threading
import time
from collections import Counter
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Options
from newsdesk.errors import InputError
from newsdesk.ingest import fetch as fetch_mod
from newsdesk.ingest import read_articles
from newsdesk.ingest.fetch import Fetcher, check_address, is_url

ARTICLE = (
    "<html><head><title>Harbour bridge reopens</title></head><body><nav>Home | World | Sport</nav><article>"
    "<h1>Harbour bridge reopens</h1>"
    + "".join(
        f"<p>The harbour bridge reopened to traffic on Monday after {n} weeks of repairs, the city said, and "
        f"engineers will keep inspecting the cables every month until the end of the year.</p>"
        for n in range(2, 8)
    )
    + "</article><footer>Copyright Example</footer></body></html>"
).encode()

FEED = (
    b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local Wire</title>'
    b"<item><title>Harbour bridge reopens</title><link>{base}/article.html</link><guid>urn:bridge</guid>"
    b"<description>Short teaser of the bridge story that is long enough to keep.</description></item>"
    b"</channel></rss>"
)


class Server:
    """A tiny local web server; ``hits`` counts requests per path, ``agents`` the User-Agents seen."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.agents: list[str] = []
        self.times: list[tuple[float, str]] = []  # (monotonic time, path) of every request
        self.robots = b"User-agent: *\nDisallow: /private/\n"
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def send(self, status: int, body: bytes = b"", ctype: str = "text/html; charset=utf-8",
                     headers: dict[str, str] | None = None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:  # noqa: N802
                path = self.path
                server.times.append((time.monotonic(), path))
                server.hits[path] += 1
                server.agents.append(self.headers.get("User-Agent", ""))
                if path == "/robots.txt":
                    self.send(200, server.robots, "text/plain")
                elif path in ("/article.html", "/private/page.html"):
                    self.send(200, ARTICLE)
                elif path.startswith("/feed") and path.endswith(".xml"):  # /feed.xml, /feed-2.xml, ...
                    body = FEED.replace(b"{base}", server.base.encode())
                    if path != "/feed.xml":
                        body = body.replace(b"urn:bridge", f"urn:bridge{path}".encode())
                    self.send(200, body, "application/rss+xml")
                elif path.startswith("/private/ok"):
                    self.send(200, ARTICLE)
                elif path == "/noarticle.html":
                    self.send(200, b"<html><body><nav><a href='/'>Home</a></nav></body></html>")
                elif path == "/redirect":
                    self.send(302, headers={"Location": "/article.html"})
                elif path == "/loop":
                    self.send(302, headers={"Location": "/loop2"})
                elif path == "/loop2":
                    self.send(301, headers={"Location": "/loop"})
                elif path.startswith("/chain/"):
                    n = int(path.rsplit("/", 1)[1])
                    self.send(302, headers={"Location": f"/chain/{n + 1}"})
                elif path == "/to-private":
                    self.send(302, headers={"Location": "http://10.11.12.13/secret"})
                elif path == "/slow":
                    time.sleep(2.0)
                    self.send(200, ARTICLE)
                elif path == "/flaky":
                    if server.hits[path] < 2:
                        self.send(503, b"busy")
                    else:
                        self.send(200, ARTICLE)
                elif path == "/huge-declared":
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.send_header("Content-Length", str(100_000_000))
                    self.end_headers()
                elif path == "/huge-stream":  # 100 MB page, no length given: the client must stop reading
                    self.send_response(200)
                    self.send_header("Content-Type", "text/html")
                    self.end_headers()
                    try:
                        self.wfile.write(b"<html><body>")
                        chunk = b"<p>" + b"words " * 10_000 + b"</p>"
                        for _ in range(100_000_000 // len(chunk)):
                            self.wfile.write(chunk)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                elif path == "/bomb":  # 2 KB on the wire, 10 MB once decompressed
                    body = gzip.compress(b"<p>" + b"a" * 10_000_000 + b"</p>", 9)
                    self.send(200, body, headers={"Content-Encoding": "gzip"})
                elif path == "/cyrillic":  # no <meta charset>: only the HTTP header says windows-1251
                    body = ARTICLE.replace(b"the city said", "сказал мэр Ольга Петрова".encode("cp1251"))
                    self.send(200, body, "text/html; charset=windows-1251")
                elif path == "/gone":
                    self.send(404, b"not here")
                else:
                    self.send(404, b"no")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.httpd.server_port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    def __enter__(self) -> Server:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture()
def server() -> Iterator[Server]:
    with Server() as s:
        yield s


LOCAL = Options(fetch_delay=0.0, fetch_timeout=0.5, fetch_retries=1)
LOOPBACK = ["127.0.0.0/8"]


def fetcher(options: Options = LOCAL) -> Fetcher:
    return Fetcher(options, allowed_networks=LOOPBACK)


def test_fetches_a_page_with_a_clear_user_agent_and_reads_robots_once(server: Server) -> None:
    with fetcher() as f:
        page = f.fetch(server.base + "/article.html")
        f.fetch(server.base + "/redirect")
    assert page.status == 200 and page.data == ARTICLE and page.content_type.startswith("text/html")
    assert server.hits["/robots.txt"] == 1
    assert all(a == LOCAL.user_agent and "newsdesk" in a for a in server.agents)


def test_redirect_is_followed_and_final_url_kept(server: Server) -> None:
    with fetcher() as f:
        page = f.fetch(server.base + "/redirect")
    assert page.final_url == server.base + "/article.html" and page.data == ARTICLE


def test_redirect_loop_is_an_error(server: Server) -> None:
    with fetcher() as f, pytest.raises(InputError, match="redirect loop") as err:
        f.fetch(server.base + "/loop")
    assert err.value.source == server.base + "/loop"


def test_redirects_are_bounded(server: Server) -> None:
    with fetcher(LOCAL.replace(fetch_max_redirects=3)) as f, pytest.raises(InputError, match="too many redirects"):
        f.fetch(server.base + "/chain/0")
    assert server.hits["/chain/3"] == 1 and server.hits["/chain/4"] == 0


def test_each_redirect_hop_is_checked_against_the_address_guard(server: Server) -> None:
    with fetcher() as f, pytest.raises(InputError, match="private address 10.11.12.13"):
        f.fetch(server.base + "/to-private")


def test_loopback_is_refused_by_default_before_any_request(server: Server) -> None:
    with Fetcher(LOCAL) as f, pytest.raises(InputError, match="loopback address 127.0.0.1"):
        f.fetch(server.base + "/article.html")
    assert sum(server.hits.values()) == 0


def test_allow_private_reaches_loopback(server: Server) -> None:
    with Fetcher(LOCAL.replace(allow_private=True)) as f:
        assert f.fetch(server.base + "/article.html").data == ARTICLE


def test_host_resolving_to_a_private_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fetch_mod, "resolve", lambda host, port: ["192.168.1.20"])
    with Fetcher(LOCAL) as f, pytest.raises(InputError, match="private address 192.168.1.20"):
        f.fetch("http://intranet.example/")


@pytest.mark.parametrize("address, why", [
    ("10.0.0.1", "private"), ("172.16.5.4", "private"), ("192.168.0.1", "private"), ("127.0.0.1", "loopback"),
    ("169.254.169.254", "link-local"), ("::1", "loopback"), ("::ffff:127.0.0.1", "loopback"),
    ("fc00::1", "private"), ("fe80::1", "link-local"), ("224.0.0.1", "multicast"), ("0.0.0.0", "unspecified"),
    ("100.64.0.1", "non-public"), ("8.8.8.8", None), ("2606:4700::1111", None),
])
def test_check_address(address: str, why: str | None) -> None:
    assert check_address(address) == why


@given(st.ip_addresses())
def test_check_address_refuses_exactly_the_non_global(ip) -> None:  # type: ignore[no-untyped-def]
    plain = getattr(ip, "ipv4_mapped", None) or ip
    refused = check_address(str(ip)) is not None
    if not plain.is_global or plain.is_multicast or plain.is_private or plain.is_loopback:
        assert refused
    if refused:
        assert check_address(str(ip), allowed=[__import__("ipaddress").ip_network("::/0" if plain.version == 6
                                                                                   else "0.0.0.0/0")]) is None


def test_only_http_and_https() -> None:
    assert is_url("HTTPS://x.org/") and not is_url("ftp://x.org/") and not is_url("file.html")
    with Fetcher(LOCAL) as f, pytest.raises(InputError, match="only http and https"):
        f._guard("x", "file:///etc/passwd")


def test_robots_txt_is_respected(server: Server) -> None:
    with fetcher() as f, pytest.raises(InputError, match="robots.txt"):
        f.fetch(server.base + "/private/page.html")
    assert server.hits["/private/page.html"] == 0
    with fetcher(LOCAL.replace(respect_robots=False)) as f:
        assert f.fetch(server.base + "/private/page.html").data == ARTICLE


def test_timeout_is_retried_then_reported(server: Server) -> None:
    start = time.monotonic()
    with fetcher() as f, pytest.raises(InputError, match=r"timed out after 0.5 s \(2 attempts\)"):
        f.fetch(server.base + "/slow")
    assert server.hits["/slow"] == 2
    assert time.monotonic() - start < 4


def test_server_error_is_retried_with_backoff(server: Server) -> None:
    with fetcher() as f:
        assert f.fetch(server.base + "/flaky").data == ARTICLE
    assert server.hits["/flaky"] == 2


def test_http_error_status(server: Server) -> None:
    with fetcher() as f, pytest.raises(InputError, match="HTTP 404"):
        f.fetch(server.base + "/gone")


@pytest.mark.parametrize("path", ["/huge-declared", "/huge-stream", "/bomb"])
def test_size_limit_stops_the_download(server: Server, path: str) -> None:
    with fetcher(LOCAL.replace(max_bytes=1_000_000, fetch_timeout=5)) as f:
        with pytest.raises(InputError, match="larger than|more than"):
            f.fetch(server.base + path)


def test_polite_delay_between_requests_to_one_host(server: Server) -> None:
    with fetcher(LOCAL.replace(fetch_delay=0.3)) as f:
        start = time.monotonic()
        f.fetch(server.base + "/article.html")  # robots.txt, then the page: two requests
        f.fetch(server.base + "/article.html")
    assert time.monotonic() - start >= 0.6


def test_urls_as_paths_in_a_batch(server: Server) -> None:
    errors: list[InputError] = []
    opts = LOCAL.replace(allow_private=True)
    urls = [server.base + p for p in ("/article.html", "/gone", "/noarticle.html", "/feed.xml")]
    articles = read_articles(urls, opts, on_error=errors.append)
    ids = [a.id for a in articles]
    assert ids == [server.base + "/article.html", "urn:bridge"]
    page = articles[0]
    assert page.title == "Harbour bridge reopens" and "harbour bridge reopened" in page.text
    assert page.url == server.base + "/article.html" and page.language == "en"
    assert articles[1].source == "Local Wire" and articles[1].meta["format"] == "feed"
    assert sorted(e.source for e in errors) == [server.base + "/gone", server.base + "/noarticle.html"]


def test_feed_entries_can_be_followed_to_their_pages(server: Server) -> None:
    opts = LOCAL.replace(allow_private=True, follow_links=True)
    [article] = read_articles([server.base + "/feed.xml"], opts)
    assert article.id == "urn:bridge" and article.meta["followed"] is True
    assert "engineers will keep inspecting the cables" in article.text
    assert article.source == "Local Wire"


def test_http_charset_header_decides_the_encoding(server: Server) -> None:
    [a] = read_articles([server.base + "/cyrillic"], LOCAL.replace(allow_private=True))
    assert "сказал мэр Ольга Петрова" in a.text


def test_command_line_fetches_urls_only_with_allow_private_for_loopback(server: Server, tmp_path) -> None:
    import json

    from typer.testing import CliRunner

    from newsdesk.cli import app

    (tmp_path / "o.toml").write_text("fetch_delay = 0.0\nfetch_timeout = 2.0\n")
    config = ["--config", str(tmp_path / "o.toml")]
    r = CliRunner().invoke(app, [*config, "--allow-private", "extract", "--json", server.base + "/article.html"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["articles"][0]["url"] == server.base + "/article.html"
    r = CliRunner().invoke(app, [*config, "extract", "--json", server.base + "/article.html"])
    assert r.exit_code == 2 and "loopback address" in r.stderr
    assert server.hits["/article.html"] == 1



@pytest.mark.parametrize("bad", [{"fetch_timeout": 0}, {"fetch_retries": -1}, {"fetch_delay": -0.1},
                                 {"fetch_max_redirects": -1}, {"html_min_words": -5}])
def test_fetch_options_are_validated(bad: dict) -> None:  # type: ignore[type-arg]
    from newsdesk.errors import OptionsError

    with pytest.raises(OptionsError):
        Options(**bad)


# --- politeness shared by every fetcher of a run (issue #18) ---------------------------------------------

JITTER = 0.06  # requests leave a delay apart; the server notes them as it gets to them (thread scheduling)


def gaps(server: Server) -> list[float]:
    times = sorted(t for t, _ in server.times)
    return [b - a for a, b in zip(times, times[1:])]


FEEDS = ["/feed.xml", "/feed-2.xml", "/feed-3.xml", "/feed-4.xml"]


def test_one_run_shares_robots_and_the_host_delay(server: Server) -> None:
    opts = LOCAL.replace(allow_private=True, fetch_delay=0.3)
    articles = read_articles([server.base + p for p in FEEDS[:2]], opts)
    assert len(articles) == 2
    assert server.hits["/robots.txt"] == 1 and len(server.times) == 3
    assert min(gaps(server)) >= 0.3 - JITTER, gaps(server)


@pytest.mark.parametrize("scheduler", ["processes", "threads"])
def test_dask_workers_share_robots_and_the_host_delay(server: Server, scheduler: str) -> None:
    pytest.importorskip("dask")
    from newsdesk import scale

    opts = LOCAL.replace(allow_private=True, fetch_delay=0.3)
    articles = scale.read_sharded([server.base + p for p in FEEDS], opts, scheduler=scheduler, workers=2)
    assert sorted(a.id for a in articles) == sorted(["urn:bridge", *(f"urn:bridge{p}" for p in FEEDS[1:])])
    assert server.hits["/robots.txt"] == 1 and len(server.times) == 5
    assert min(gaps(server)) >= 0.3 - JITTER, gaps(server)


def test_ledger_books_slots_a_delay_apart_and_hands_robots_to_one_fetcher() -> None:
    ledger = fetch_mod.HostLedger()
    waits = [ledger.reserve("h", 0.5) for _ in range(3)]
    assert waits[0] == 0 and 0.45 < waits[1] <= 0.5 and 0.95 < waits[2] <= 1.0
    assert ledger.reserve("other", 0.5) == 0
    assert ledger.robots("h") is None and ledger.robots("h") == "wait"  # one fetches, the other waits
    ledger.put_robots("h", "deny")
    assert ledger.robots("h") == "deny"
    assert ledger.robots("g") is None
    ledger.put_robots("g", None)  # that fetch failed: the next caller may try
    assert ledger.robots("g") is None


def test_robots_follows_the_current_standard(server: Server) -> None:
    server.robots = b"User-agent: *\nDisallow: /private/\nAllow: /private/ok*.html\n"
    with fetcher() as f:  # the longest match wins (RFC 9309): the Allow line, whatever its order
        assert f.fetch(server.base + "/private/ok-page.html").status == 200
        with pytest.raises(InputError, match="robots.txt"):
            f.fetch(server.base + "/private/page.html")
