"""The issue's list of bad inputs, all in ONE batch with good ones: each gives one clear error naming it,
and the rest of the batch is read (library and command line)."""

from __future__ import annotations

import functools
import gzip
import json
from pathlib import Path

import pytest
from test_fetch import ARTICLE, Server
from typer.testing import CliRunner

import newsdesk.ingest as ingest
from newsdesk import Options
from newsdesk.cli import app
from newsdesk.errors import InputError
from newsdesk.ingest import fetch as fetch_mod
from newsdesk.ingest import read_articles

GOOD_FEED = """<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Wire</title>
<item><title>Good entry</title><guid>urn:good</guid><description>The ferry service resumed on Monday after a week
of storms, the operator said in a statement.</description></item>
<item><title>Broken entry without text</title><guid>urn:broken</guid></item>
</channel></rss>"""


@pytest.fixture()
def batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """(paths, expected error sources -> a word of the reason, ids of the good articles)."""
    real_resolve = fetch_mod.resolve
    monkeypatch.setattr(fetch_mod, "resolve",
                        lambda host, port: ["10.0.0.7"] if host == "intranet.test" else real_resolve(host, port))
    # loopback is where the test server runs: allowed as a chosen network; private addresses stay refused
    monkeypatch.setattr(ingest, "Fetcher", functools.partial(fetch_mod.Fetcher, allowed_networks=["127.0.0.0/8"]))
    server = Server().__enter__()
    d = tmp_path
    (d / "good.html").write_bytes(ARTICLE)
    (d / "truncated.html.gz").write_bytes(gzip.compress(ARTICLE * 20)[:-40])
    (d / "bomb.html.gz").write_bytes(gzip.compress(b"<p>" + b"a" * 3_000_000 + b"</p>", 9))
    with open(d / "huge.html", "wb") as fh:  # a 100 MB page (sparse: no time or disk spent)
        fh.truncate(100_000_000)
    (d / "noarticle.html").write_bytes(b"<html><body><nav><a href='/'>Home</a> <a href='/a'>About</a></nav>"
                                       b"<footer>Contact</footer></body></html>")
    (d / "feed.rss").write_text(GOOD_FEED)
    # declared UTF-8 but written in Windows-1252: read anyway, with the encoding noted
    (d / "latin.html").write_bytes(ARTICLE.replace(b"<title>", b'<meta charset="utf-8"><title>')
                                   .replace(b"the city said", "the café owner said".encode("cp1252")))
    # declared Windows-1251 but really UTF-8: UTF-8 wins
    (d / "cyr.html").write_bytes(ARTICLE.replace(b"<title>", b'<meta charset="windows-1251"><title>')
                                 .replace(b"the city said", "the mayor, Ольга, said".encode()))
    b = server.base
    paths = [str(d / n) for n in ("good.html", "truncated.html.gz", "bomb.html.gz", "huge.html", "noarticle.html",
                                  "feed.rss", "latin.html", "cyr.html")]
    paths += [b + "/slow", b + "/loop", "http://intranet.test/news", b + "/huge-stream"]
    expected = {
        "truncated.html.gz": "truncated gzip",
        "bomb.html.gz": "decompresses to more than",
        "huge.html": "larger than",
        "noarticle.html": "no article text",
        "feed.rss#2": "no text",
        b + "/slow": "timed out",
        b + "/loop": "redirect loop",
        "http://intranet.test/news": "private address 10.0.0.7",
        b + "/huge-stream": "more than",
    }
    good = ["good.html", "urn:good", "latin.html", "cyr.html"]
    options = Options(max_bytes=2_000_000, fetch_timeout=0.5, fetch_retries=0, fetch_delay=0.0)
    yield paths, expected, good, options
    server.__exit__()


def _match(errors: list[tuple[str, str]], expected: dict[str, str]) -> None:
    assert len(errors) == len(expected), errors
    for where, word in expected.items():
        hits = [reason for source, reason in errors if source.endswith(where)]
        assert len(hits) == 1 and word in hits[0], (where, word, hits)


def test_every_bad_input_is_one_error_and_the_batch_goes_on(batch) -> None:  # type: ignore[no-untyped-def]
    paths, expected, good, options = batch
    errors: list[InputError] = []
    articles = read_articles(paths, options, on_error=errors.append)
    assert [a.id for a in articles] == good
    _match([(e.source, e.reason) for e in errors], expected)
    by_id = {a.id: a for a in articles}
    assert "café owner" in by_id["latin.html"].text and by_id["latin.html"].meta["encoding"] == "cp1252"
    assert "Ольга" in by_id["cyr.html"].text


def test_command_line_names_each_skipped_input_and_exits_1(batch) -> None:  # type: ignore[no-untyped-def]
    paths, expected, good, options = batch
    config = Path(paths[0]).parent / "opts.toml"
    config.write_text("max_bytes = 2000000\nfetch_timeout = 0.5\nfetch_retries = 0\nfetch_delay = 0.0\n")
    r = CliRunner().invoke(app, ["--config", str(config), "extract", "--no-dedupe", "--json", *paths])
    assert r.exit_code == 1, r.output
    out = r.stdout
    assert [a["id"] for a in json.loads(out[out.index("{"):])["articles"]] == good
    skipped = [line.removeprefix("newsdesk: skipped ").split(": ", 1) for line in r.stderr.splitlines()
               if line.startswith("newsdesk: skipped ")]
    _match([(s, reason) for s, reason in skipped], expected)
