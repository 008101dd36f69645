"""Hostile input (issue #18, F1-F10): each fed beside a good article; the good one is processed and the
hostile one gives one clear line naming it.  Then property tests: random bytes, JSON and HTML never raise
out of ``newsdesk.read`` and never cost a good article of the same batch; one bad article never costs the
good ones of a ``Store.add``.  (F5-F7 and F11, the server's, are in tests/test_web_api.py.)"""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hostile import GOOD, GOOD_TEXT, TERMINAL_TITLE, write_corpus
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import newsdesk
from newsdesk.cli import app
from newsdesk.errors import InputError
from newsdesk.models import Article
from newsdesk.store import Store

runner = CliRunner()
RAW = ("\x1b", "\x9b", "\x07")  # ESC, CSI, BEL: none may reach a terminal


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    write_corpus(folder)
    return folder


def extract(*paths: Path | str, json_out: bool = True):
    args = ["extract", *map(str, paths)] + (["--json"] if json_out else [])
    return runner.invoke(app, args)


def ids_of(result) -> list[str]:
    return [a["id"] for a in json.loads(result.stdout)["articles"]]


def one_line_about(stderr: str, name: str) -> str:
    """The one stderr line naming ``name``; every stderr line is newsdesk's own, none a traceback."""
    lines = stderr.splitlines()
    assert all(line.startswith("newsdesk: ") for line in lines), stderr
    assert "Traceback" not in stderr
    about = [line for line in lines if name in line]
    assert len(about) == 1, stderr
    return about[0]


# --- F1-F4: JSON and special files --------------------------------------------------------------------------

def test_f1_deeply_nested_json(corpus):
    r = extract(corpus / "good.json", corpus / "nested.json")
    assert r.exit_code == 1 and ids_of(r) == ["good-1"]
    assert "nested too deeply" in one_line_about(r.stderr, "nested.json")


@pytest.mark.parametrize("name, where, good", [("bignum.json", "bignum.json", []),
                                               ("bignum.jsonl", "bignum.jsonl#1", ["good-line"])])
def test_f2_number_of_more_than_4300_digits(corpus, name, where, good):
    r = extract(corpus / "good.json", corpus / name)
    assert r.exit_code == 1 and ids_of(r) == ["good-1", *good]
    assert "5000 digits" in one_line_about(r.stderr, where)


def test_f3_lone_surrogate_is_replaced_and_named(corpus):
    r = extract(corpus / "good.json", corpus / "surrogate.json")
    assert r.exit_code == 0, r.output
    got = {a["id"]: a for a in json.loads(r.stdout)["articles"]}
    assert set(got) == {"good-1", "sur"} and "\ufffd" in got["sur"]["title"]
    assert "surrogate" in one_line_about(r.stderr, "surrogate.json")


def test_f3_store_refuses_only_the_unencodable_article(tmp_path):
    good = Article(id="g", text=GOOD_TEXT, title="Harbour strike", source="Ostra Post")
    bad = Article(id="b", text=GOOD_TEXT + " \ud800", title="Bad")
    with Store(tmp_path / "s.sqlite") as store:
        store.add([Article(id="before", text=GOOD_TEXT.replace("Ostra", "Velm"), title="Earlier")])
        refused: list[InputError] = []
        result = store.add([good, bad], on_error=refused.append)
        assert result.added == ("g",) and result.skipped == ("b",)
        assert [e.source for e in refused] == ["b"] and "not valid Unicode" in refused[0].reason
        assert {a.id for a in store.articles()} == {"before", "g"} and store.check() == []


def test_f4_fifo_is_refused_at_once(corpus):
    t = time.monotonic()
    r = extract(corpus / "good.json", corpus / "pipe.txt")
    assert time.monotonic() - t < 30
    assert r.exit_code == 1 and ids_of(r) == ["good-1"]
    assert "named pipe" in one_line_about(r.stderr, "pipe.txt")


# --- F8-F10: output and messages -----------------------------------------------------------------------------

def test_f8_article_id_cannot_break_out_of_its_code_span(corpus, nlp):
    from markdown_it import MarkdownIt

    articles = newsdesk.read([str(corpus / "good.json"), str(corpus / "markdown-id.json")])
    assert len(articles) == 2
    md = newsdesk.to_markdown(newsdesk.brief(articles, nlp=nlp))
    html = MarkdownIt("commonmark").render(md)  # raw HTML on: an escape would show as a tag
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<em>breakout</em>" not in html


def test_f9_terminal_escapes_are_shown_not_sent(corpus):
    r = extract(corpus / "good.json", corpus / "terminal-title.json", json_out=False)
    assert r.exit_code == 0, r.output
    assert not any(c in r.stdout for c in RAW) and "\\x1b[31mRED" in r.stdout
    named = next(p for p in corpus.iterdir() if p.name.startswith("name-"))
    r = extract(corpus / "good.json", named)
    assert r.exit_code == 1 and not any(c in r.stderr for c in RAW)
    assert "\\x1b[31m-red.json" in one_line_about(r.stderr, "-red.json")
    r = extract(corpus / "terminal-title.json")  # JSON: the same value, C1 written as \u escapes
    assert not any(c in r.stdout for c in RAW)
    assert json.loads(r.stdout)["articles"][0]["title"] == TERMINAL_TITLE


def test_f10_warc_with_impossible_length_is_one_clear_line(corpus):
    r = extract(corpus / "good.json", corpus / "bad-length.warc")
    assert r.exit_code == 1 and ids_of(r) == ["good-1"]
    line = one_line_about(r.stderr, "bad-length.warc")
    assert "malformed WARC record headers" in line and "NoneType" not in line


def test_f10_warc_record_shorter_than_its_length_is_one_line(corpus):
    r = extract(corpus / "good.json", corpus / "short-length.warc")
    assert "good-1" in ids_of(r)
    assert "Remainder" not in r.stderr and "Offset" not in r.stderr  # warcio's own three lines
    assert "Content-Length" in one_line_about(r.stderr, "short-length.warc#2: the record before")


def test_f10_odd_html_is_named_without_library_noise(corpus):
    r = extract(corpus / "good.json", corpus / "odd.html")
    assert r.exit_code == 1 and ids_of(r) == ["good-1"]
    assert "discarding data" not in r.stderr
    assert "no article text" in one_line_about(r.stderr, "odd.html")


def test_the_whole_corpus_in_one_run(corpus):
    r = extract(corpus)
    assert r.exit_code == 1
    assert {"good-1", "good-line", "sur", "term"} <= set(ids_of(r))
    lines = r.stderr.splitlines()
    assert all(line.startswith("newsdesk: ") for line in lines) and "Traceback" not in r.stderr
    for name in ("nested.json", "bignum.json", "bomb.json.gz", "bad-length.warc", "odd.html",
                 "truncated.json.gz"):
        assert any(name in line for line in lines), name
    assert not any("pipe.txt" in line for line in lines)  # a directory walk passes special files by


# --- property tests ------------------------------------------------------------------------------------------

PROPERTY = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                             HealthCheck.too_slow])
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20)
article_like = st.fixed_dictionaries({}, optional={
    "id": st.one_of(st.text(max_size=20), st.integers(), st.none()), "text": st.text(max_size=200),
    "html": st.text(max_size=200), "title": st.one_of(st.text(max_size=40), st.integers()),
    "published": st.text(max_size=30), "extra": json_values})
html_text = st.lists(st.sampled_from(["<p>", "</p>", "<div>", "</div>", "<script>", "<!--", "-->", "<br/>",
                                      "<html>", "<body>", "<meta charset='x'>", "&amp;", "&#0;", "&#xd800;",
                                      "<![CDATA[", "]]>", "<article>", "\x00", "\ufeff"]) | st.text(max_size=30),
                     max_size=40).map("".join)


def read_beside_good(tmp_path: Path, name: str, data: bytes) -> list[Article]:
    folder = tmp_path / f"batch-{time.monotonic_ns()}"
    folder.mkdir()
    (folder / "0-good.json").write_text(json.dumps(GOOD))
    (folder / name).write_bytes(data)
    errors: list[InputError] = []
    articles = newsdesk.read([str(folder)], on_error=errors.append)
    assert articles and articles[0].id == "good-1", errors
    for a in articles:  # whatever was read can be printed and stored
        json.dumps(a.to_json(), ensure_ascii=False).encode("utf-8")
    return articles


@PROPERTY
@given(data=st.binary(max_size=2000), name=st.sampled_from(["x.json", "x.jsonl", "x.html", "x.txt", "x.xml",
                                                            "x.warc", "x.bin", "x.json.gz"]))
def test_random_bytes_never_raise_nor_cost_the_good_article(tmp_path, data, name):
    read_beside_good(tmp_path, name, data)


@PROPERTY
@given(value=st.one_of(json_values, article_like, st.lists(article_like, max_size=4)),
       as_lines=st.booleans())
def test_random_json_never_raises_nor_costs_the_good_article(tmp_path, value, as_lines):
    items = value if as_lines and isinstance(value, list) else [value]
    data = "\n".join(json.dumps(v) for v in items) if as_lines else json.dumps(value)
    read_beside_good(tmp_path, "x.jsonl" if as_lines else "x.json", data.encode("utf-8", "surrogatepass"))


@PROPERTY
@given(html=html_text)
def test_random_html_never_raises_nor_costs_the_good_article(tmp_path, html):
    read_beside_good(tmp_path, "x.html", html.encode("utf-8", "surrogatepass"))


any_text = st.text(alphabet=st.characters(codec=None), max_size=80)  # lone surrogates and controls included


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bad=st.lists(st.builds(Article, id=st.text(min_size=1, max_size=12).map(lambda s: "bad-" + s),
                              text=any_text, title=st.none() | any_text, source=st.none() | any_text),
                    min_size=1, max_size=4))
def test_store_add_keeps_the_good_articles_whatever_the_bad_ones(tmp_path, bad):
    good = [Article(id=f"good-{k}", text=f"{GOOD_TEXT} Report {k}.", title=f"Harbour strike {k}",
                    source="Ostra Post") for k in range(3)]
    path = tmp_path / f"s-{time.monotonic_ns()}.sqlite"
    with Store(path) as store:
        store.add([Article(id="stored", text=GOOD_TEXT.replace("Ostra", "Velm"), title="Earlier")])
        result = store.add([good[0], *bad, good[1], good[2]], on_error=lambda e: None)
        kept = {a.id for a in store.articles()}
        assert {"stored", "good-0", "good-1", "good-2"} <= kept
        assert set(result.skipped).isdisjoint(kept) and store.check() == []
