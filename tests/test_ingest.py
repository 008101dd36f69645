"""Tests of newsdesk.ingest: every input kind, article ids, and every kind of bad input."""

from __future__ import annotations

import datetime as dt
import gzip
import io
import json
import logging
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.errors import InputError
from newsdesk.ingest import decode, iter_articles, kind_of, read_articles
from newsdesk.models import Article
from newsdesk.options import Options

SHARED = Path(os.environ.get("NEWSDESK_SHARED") or Path(__file__).resolve().parents[2] / "shared")

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Quake kills 12 in coastal town | Daily Planet</title>
  <meta property="og:title" content="Quake kills 12 in coastal town">
  <meta property="og:site_name" content="Daily Planet">
  <meta name="author" content="Lois Lane">
  <meta property="article:published_time" content="2020-10-09T07:23:00Z">
  <link rel="canonical" href="https://planet.example/world/quake">
</head>
<body>
  <nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
    <li><a href="/sport">Sport</a></li></ul></nav>
  <div class="cookie-banner">We use cookies. <button>Accept</button></div>
  <article>
    <h1>Quake kills 12 in coastal town</h1>
    <p class="byline">By Lois Lane</p>
    <p>A strong earthquake struck the coastal town of Examplo on Friday, killing at least 12 people
       and injuring dozens more, regional officials said.</p>
    <p>Rescue teams worked through the night to search collapsed buildings in the old harbour
       district, the regional governor told reporters at a press conference on Saturday morning.</p>
    <p>"We are doing everything we can," the governor said, adding that about 300 people had been
       displaced and were sheltering in schools and sports halls across the province.</p>
  </article>
  <aside><h3>Most read</h3><ul><li><a href="/a">Celebrity weds</a></li>
    <li><a href="/b">Stocks fall</a></li></ul></aside>
  <footer>Copyright 2020 Daily Planet. All rights reserved. <a href="/privacy">Privacy</a></footer>
</body>
</html>
"""


class Errors(list):
    """An ``on_error`` collector."""

    def __call__(self, err: InputError) -> None:
        assert isinstance(err, InputError)
        self.append(err)

    def messages(self) -> list[str]:
        return [str(e) for e in self]


def read(paths, **kw) -> tuple[list[Article], Errors]:
    errors = Errors()
    return read_articles(paths, on_error=errors, **kw), errors


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    return path


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


GOOD = "Officials said on Friday that talks would resume next week in Geneva.\n"


# --------------------------------------------------------------------------- kinds


def test_txt_keeps_whole_text_and_normalises(tmp_path):
    f = write(tmp_path / "story.txt", b"\xef\xbb\xbfTalks begin in Moscow\r\n\r\nThe talks began on Friday.\r\n")
    (a,), errors = read([f])
    assert not errors
    assert a.id == "story.txt"
    assert a.text == a.raw_text == "Talks begin in Moscow\n\nThe talks began on Friday.\n"
    assert a.title is None
    assert a.meta["format"] == "txt"


def test_html_page_extracts_main_text_and_metadata(tmp_path):
    f = write(tmp_path / "quake.html", PAGE)
    (a,), errors = read([f])
    assert not errors
    assert a.id == "quake.html"
    assert a.title == "Quake kills 12 in coastal town"
    assert a.source == "Daily Planet"
    assert a.author == "Lois Lane"
    assert a.published == dt.date(2020, 10, 9)
    assert a.url == "https://planet.example/world/quake"
    assert a.meta["format"] == "html"
    assert "killing at least 12 people" in a.text
    assert "\n\nRescue teams" in a.text  # paragraphs separated by blank lines
    for junk in ("Accept", "Celebrity weds", "All rights reserved", "Home"):
        assert junk not in a.text
    assert not a.text.startswith("Quake kills 12")  # title line not repeated in the body
    assert a.raw_text


def test_json_object(tmp_path):
    record = {
        "text": "Body of the article.",
        "title": "  A   title ",
        "url": "https://x.example/1",
        "source": "Outlet",
        "published": "2020-10-09T23:30:00+05:00",
        "author": "A. Writer",
        "section": "world",
    }
    (a,), errors = read([write(tmp_path / "one.json", json.dumps(record))])
    assert not errors
    assert a.id == "one.json"
    assert (a.text, a.title, a.url, a.source, a.author) == (
        "Body of the article.",
        "A title",
        "https://x.example/1",
        "Outlet",
        "A. Writer",
    )
    assert a.published == dt.date(2020, 10, 9)  # the stated calendar date, no time-zone shift
    assert a.meta["format"] == "json" and a.meta["section"] == "world"

    (b,), _ = read([write(tmp_path / "two.json", json.dumps({**record, "id": "given"}))])
    assert b.id == "given"


def test_json_list_and_articles_wrapper(tmp_path):
    records = [{"text": "First."}, {"id": "x", "text": "Second."}, {"text": "Third."}]
    arts, errors = read([write(tmp_path / "many.json", json.dumps(records))])
    assert not errors
    assert [a.id for a in arts] == ["many.json#1", "x", "many.json#3"]
    # the output of `newsdesk extract --json` reads back in
    wrapped = {
        "articles": [
            {
                "id": "a1",
                "title": "T",
                "text": "Body.",
                "published": "2020-01-02",
                "duplicate_of": None,
                "source": None,
                "url": None,
                "author": None,
            }
        ]
    }
    (a,), errors = read([write(tmp_path / "extract.json", json.dumps(wrapped))])
    assert not errors and a.id == "a1" and a.published == dt.date(2020, 1, 2)


def test_json_record_with_html_uses_extraction_and_fields_override(tmp_path):
    record = {"id": "h1", "html": PAGE, "source": "Planet Wire"}
    (a,), errors = read([write(tmp_path / "h.jsonl", jsonl(record))])
    assert not errors
    assert a.source == "Planet Wire"  # object field wins
    assert a.title == "Quake kills 12 in coastal town"  # extracted
    assert a.published == dt.date(2020, 10, 9)
    assert "Rescue teams" in a.text


def test_jsonl_with_and_without_ids(tmp_path):
    content = (
        jsonl({"text": "one"}, {"id": "b", "text": "two"}) + "\n" + jsonl({"id": 7, "text": "four"}, {"text": "five"})
    )
    arts, errors = read([write(tmp_path / "feed.jsonl", content)])
    assert not errors
    # n is the line number: the blank line 3 is counted
    assert [a.id for a in arts] == ["feed.jsonl#1", "b", "7", "feed.jsonl#5"]
    assert all(a.meta["format"] == "json" for a in arts)


def test_directory_walk_ids_hidden_and_skipped_files(tmp_path):
    root = tmp_path / "corpus"
    write(root / "1" / "D2.txt", GOOD)
    write(root / "1" / "D10.txt", GOOD)
    write(root / "1" / "D1.txt", GOOD)
    write(root / "2" / "deep" / "x.json", json.dumps({"text": "x"}))
    write(root / "2" / "lines.jsonl", jsonl({"text": "a"}, {"text": "b"}))
    write(root / "top.txt", GOOD)
    write(root / ".hidden.txt", GOOD)
    write(root / ".git" / "notes.txt", GOOD)
    write(root / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(root / "script.py", "print('hi')\n")
    arts, errors = read([root])
    assert not errors
    assert [a.id for a in arts] == [
        "1/D1.txt",
        "1/D2.txt",
        "1/D10.txt",
        "2/deep/x.json",
        "2/lines.jsonl#1",
        "2/lines.jsonl#2",
        "top.txt",
    ]
    # a subdirectory given directly: ids relative to it; a file given directly: its name
    assert [a.id for a in read([root / "2"])[0]] == ["deep/x.json", "lines.jsonl#1", "lines.jsonl#2"]
    assert [a.id for a in read([root / "1" / "D2.txt"])[0]] == ["D2.txt"]


def test_stdin_jsonl_and_list():
    data = jsonl({"text": "one"}, {"id": "s2", "text": "two"}).encode()
    arts, errors = read(["-"], stdin=io.BytesIO(data))
    assert not errors
    assert [a.id for a in arts] == ["-#1", "s2"]
    arts, errors = read(["-"], stdin=io.BytesIO(b'[{"text": "a"}, {"text": "b"}]'))
    assert [a.id for a in arts] == ["-#1", "-#2"] and not errors
    arts, errors = read(["-"], stdin=io.BytesIO(b'{"text": "ok"}\nnot json\n'))
    assert [a.id for a in arts] == ["-#1"]
    assert errors.messages()[0].startswith("<stdin>#2: invalid JSON")


def test_gzip_files(tmp_path):
    write(tmp_path / "d" / "a.txt.gz", gzip.compress(GOOD.encode()))
    write(tmp_path / "d" / "b.jsonl.gz", gzip.compress(jsonl({"text": "x"}, {"text": "y"}).encode()))
    write(tmp_path / "d" / "c.html.gz", gzip.compress(PAGE.encode()))
    write(tmp_path / "d" / "plain.txt", gzip.compress(GOOD.encode()))  # gzip by magic bytes only
    arts, errors = read([tmp_path / "d"])
    assert not errors
    assert [a.id for a in arts] == ["a.txt.gz", "b.jsonl.gz#1", "b.jsonl.gz#2", "c.html.gz", "plain.txt"]
    assert arts[0].text == GOOD and arts[-1].text == GOOD
    assert arts[3].title == "Quake kills 12 in coastal town"


def test_content_sniffing(tmp_path):
    write(tmp_path / "README", GOOD)
    write(tmp_path / "page", PAGE)
    write(tmp_path / "saved.txt", PAGE)  # an HTML page saved as .txt
    write(tmp_path / "data.dat", json.dumps([{"text": "a"}]))
    arts, errors = read([tmp_path])
    assert not errors
    by_id = {a.id: a for a in arts}
    assert by_id["README"].meta["format"] == "txt"
    assert by_id["page"].meta["format"] == "html"
    assert by_id["saved.txt"].meta["format"] == "html"
    assert by_id["data.dat#1"].text == "a"
    assert kind_of("x.warc.gz", b"WARC/1.0\r\n") == "warc"
    assert kind_of("feed", b'<?xml version="1.0"?><rss version="2.0">') == "feed"


def test_json_file_holding_json_lines(tmp_path):
    arts, errors = read([write(tmp_path / "x.json", jsonl({"text": "a"}, {"text": "b"}))])
    assert not errors and [a.id for a in arts] == ["x.json#1", "x.json#2"]


def test_single_path_string_and_utf16(tmp_path):
    f = write(tmp_path / "u16.txt", "\ufeffSome text in UTF-16.\n".encode("utf-16-le"))
    arts = read_articles(str(f))  # a lone path is one path, not an iterable of characters
    assert [a.text for a in arts] == ["Some text in UTF-16.\n"]


# --------------------------------------------------------------------------- bad inputs


def assert_one_error(errors: Errors, where: str, *words: str) -> None:
    assert len(errors) == 1, errors.messages()
    err = errors[0]
    assert str(err.source).endswith(where), err
    for word in words:
        assert word in err.reason, err


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("empty.txt", b"", ("empty file",)),
        ("blank.txt", b"  \n\t\r\n  ", ("empty file",)),
        ("blank.jsonl", b"\n\n", ("empty file",)),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", ("binary file", "PNG")),
        ("noise.txt", bytes([0, 1, 2, 250, 13, 7, 0, 99]) * 64, ("binary file", "not text")),
        ("feed.rss", b"<rss></rss>", ("feed has no entries",)),
        ("bad.json", b'{"text": "a",\n "title": }', ("invalid JSON", "line 2, column 11")),
        ("scalar.json", b'"just a string"', ("expected an article object",)),
        ("none.json", b"[]", ("no articles",)),
        ("truncated.txt.gz", gzip.compress(GOOD.encode() * 50)[:-30], ("gzip",)),
        ("notext.json", json.dumps({"id": "n1", "body": "x"}).encode(), ("no text", "body")),
        ("notitle.json", json.dumps({"title": "only a title"}).encode(), ("no text", "title")),
        ("undetectable.txt", bytes(range(0x80, 0x100)) * 4, ("encoding could not be detected",)),
        (
            "script.html",
            b"<html><head><script>var x = 1;</script></head><body></body></html>",
            ("no article text found",),
        ),
    ],
)
def test_bad_file_is_reported_and_batch_continues(tmp_path, name, content, words):
    bad = write(tmp_path / name, content)
    good = write(tmp_path / "good.txt", GOOD)
    arts, errors = read([bad, good])
    assert [a.id for a in arts] == ["good.txt"]
    assert_one_error(errors, name if name != "notext.json" else "notext.json (id 'n1')", *words)


def test_binary_given_explicitly_is_reported_but_skipped_in_walk(tmp_path):
    png = write(tmp_path / "d" / "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    write(tmp_path / "d" / "ok.txt", GOOD)
    arts, errors = read([tmp_path / "d"])
    assert [a.id for a in arts] == ["ok.txt"] and not errors
    arts, errors = read([png])
    assert not arts
    assert_one_error(errors, "photo.png", "binary file (PNG image)")


def test_latin1_text_is_decoded_with_a_warning(tmp_path, caplog):
    text = "Le maire de Málaga, José García, a déclaré vendredi que la fête aurait lieu.\n"
    f = write(tmp_path / "latin.txt", text.encode("latin-1"))
    with caplog.at_level(logging.WARNING, logger="newsdesk.ingest"):
        (a,), errors = read([f])
    assert not errors
    assert a.text == text and a.meta["encoding"] == "cp1252"
    assert "latin.txt: not valid UTF-8; decoded as cp1252" in caplog.text


def test_legacy_encodings_and_broken_utf8(tmp_path):
    russian = "Москва — столица России. Президент заявил в пятницу, что переговоры продолжатся.\n"
    write(tmp_path / "ru.txt", russian.encode("cp1251"))
    write(tmp_path / "broken.txt", ("The café is open. " * 4).encode() + b"\xff end.")
    write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + "Caf\u00e9 cr\u00e8me.".encode("latin-1"))
    arts, errors = read([tmp_path])
    assert not errors
    by_id = {a.id: a for a in arts}
    assert by_id["ru.txt"].text == russian
    assert by_id["broken.txt"].text.endswith("café is open. \ufffd end.")
    assert by_id["bom.txt"].text == "Café crème."


def test_html_declared_charset_is_honoured(tmp_path):
    page = PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"').replace("Examplo", "Éxamplö")
    (a,), errors = read([write(tmp_path / "l1.html", page.encode("latin-1"))])
    assert not errors and "Éxamplö" in a.text


def test_oversized_file_is_refused_before_reading(tmp_path, monkeypatch):
    big = tmp_path / "big.txt"
    with open(big, "wb") as fh:  # sparse: instant, no 50 MB written
        fh.truncate(52_400_000)
    good = write(tmp_path / "good.txt", GOOD)

    def no_open(*args, **kwargs):
        raise AssertionError(f"opened {args[0]}")

    start = time.perf_counter()
    monkeypatch.setattr(
        decode, "open", lambda p, *a, **k: no_open(p) if Path(p) == big else open(p, *a, **k), raising=False
    )
    arts, errors = read([big, good])
    assert time.perf_counter() - start < 2
    assert [a.id for a in arts] == ["good.txt"]
    assert_one_error(errors, "big.txt", "file is 52.4 MB, larger than the 20.0 MB limit (max_bytes)")


def test_gzip_bomb_is_bounded(tmp_path):
    f = write(tmp_path / "bomb.txt.gz", gzip.compress(b"a" * 5000))
    arts, errors = read([f], options=Options(max_bytes=1000))
    assert not arts
    assert_one_error(errors, "bomb.txt.gz", "decompresses to more than 0.0 MB", "max_bytes")


def test_malformed_html_is_handled(tmp_path):
    html = (
        "<html><body><div><p>Unclosed paragraph about the flood in the valley, where rescuers "
        "searched for survivors <b>all night <i>long<p>Another paragraph says 40 people were missing "
        "<table><tr><td>stray cell</div></span>&&& <<<"
    )
    (a,), errors = read([write(tmp_path / "broken.html", html)])
    assert not errors
    assert "flood in the valley" in a.text
    # pure garbage: an article of what text there is, or a clear error; never a crash
    arts, errors = read([write(tmp_path / "garbage.html", b"<html><<<>>>\xe2\x80\x9c</ht\x00ml>")])
    assert len(arts) + len(errors) == 1


def test_bad_jsonl_lines_each_reported_good_lines_read(tmp_path):
    content = "\n".join(
        [json.dumps({"text": "one"}), '{"text": "two"', json.dumps(["list"]), json.dumps({"text": "four"})]
    )
    arts, errors = read([write(tmp_path / "mixed.jsonl", content)])
    assert [a.id for a in arts] == ["mixed.jsonl#1", "mixed.jsonl#4"]
    msgs = errors.messages()
    assert len(msgs) == 2
    assert msgs[0].endswith("mixed.jsonl#2: invalid JSON: Expecting ',' delimiter (column 15)")
    assert "mixed.jsonl#3: expected an article object, got a list" in msgs[1]


@pytest.mark.parametrize(
    ("record", "words"),
    [
        ({"text": "t", "title": 5}, ("'title' must be a string", "a number (5)")),
        ({"text": ["t"]}, ("'text' must be a string", "a list")),
        ({"id": ["x"], "text": "t"}, ("'id' must be a string",)),
        ({"id": True, "text": "t"}, ("'id' must be a string", "a boolean")),
        ({"text": "t", "author": {"name": "x"}}, ("'author' must be a string", "an object")),
        ({"text": "t", "published": "09/10/2020"}, ("invalid published date '09/10/2020'", "ISO 8601")),
        ({"text": "t", "published": "2020-02-30"}, ("invalid published date",)),
        ({"text": "t", "published": 20201009}, ("'published' must be an ISO 8601 date string",)),
        ({"text": "   "}, ("no text",)),
        ({"id": " ", "text": "t"}, ("'id' is empty",)),
    ],
)
def test_bad_record_is_reported_and_others_read(tmp_path, record, words):
    content = jsonl({"text": "before"}, record, {"text": "after"})
    arts, errors = read([write(tmp_path / "r.jsonl", content)])
    assert [a.id for a in arts] == ["r.jsonl#1", "r.jsonl#3"]
    assert len(errors) == 1
    assert "r.jsonl#2" in errors[0].source
    for word in words:
        assert word in errors[0].reason


def test_bad_record_with_id_is_named_by_id(tmp_path):
    arts, errors = read([write(tmp_path / "r.json", json.dumps([{"id": "abc", "text": "t", "published": "soon"}]))])
    assert not arts
    assert errors[0].source.endswith("r.json#1 (id 'abc')")


def test_nothing_readable(tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    junk = tmp_path / "junk"
    write(junk / "a.png", b"\x89PNG\r\n\x1a\n")
    write(junk / ".hidden", GOOD)
    binary = tmp_path / "binary"
    write(binary / "blob", bytes(range(256)))
    arts, errors = read([empty, junk, binary])
    assert arts == []
    assert [e.reason for e in errors] == [
        "no article files in this directory",
        "no article files in this directory",
        "binary file (binary data), not text",
    ]


def test_nonexistent_path(tmp_path):
    good = write(tmp_path / "good.txt", GOOD)
    arts, errors = read([tmp_path / "missing.txt", good])
    assert [a.id for a in arts] == ["good.txt"]
    assert_one_error(errors, "missing.txt", "no such file or directory")


def test_duplicate_ids_second_is_skipped_naming_both(tmp_path):
    a = write(tmp_path / "x" / "same.txt", "first\n")
    b = write(tmp_path / "y" / "same.txt", "second\n")
    arts, errors = read([a, b])
    assert [x.text for x in arts] == ["first\n"]
    assert_one_error(errors, str(b), "duplicate article id 'same.txt'", str(a))
    arts, errors = read([write(tmp_path / "d.jsonl", jsonl({"id": "k", "text": "1"}, {"id": "k", "text": "2"}))])
    assert [x.text for x in arts] == ["1"]
    assert "d.jsonl#2 (id 'k')" in errors[0].source and "d.jsonl#1 (id 'k')" in errors[0].reason


def test_default_on_error_logs_a_warning(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="newsdesk.ingest"):
        arts = read_articles([tmp_path / "nope.txt"])
    assert arts == []
    assert "nope.txt: no such file or directory" in caplog.text


def test_on_error_may_raise_to_stop(tmp_path):
    write(tmp_path / "r.jsonl", jsonl({"text": "ok"}) + "{bad\n" + jsonl({"text": "never"}))
    seen = []

    def strict(err: InputError) -> None:
        seen.append(err)
        raise err

    it = iter_articles([tmp_path / "r.jsonl"], on_error=strict)
    assert next(it).id == "r.jsonl#1"
    with pytest.raises(InputError, match="r.jsonl#2: invalid JSON"):
        next(it)
    assert len(seen) == 1  # reported once, not again by the reader


def test_third_party_errors_are_wrapped(tmp_path):
    (tmp_path / "t.gz").write_bytes(b"\x1f\x8b\x08\x00garbage")
    _, errors = read([tmp_path / "t.gz"])
    assert errors[0].__cause__ is not None


# --------------------------------------------------------------------------- idempotence


def test_reading_twice_gives_equal_articles(tmp_path):
    write(tmp_path / "a.txt", GOOD)
    write(tmp_path / "b.html", PAGE)
    write(tmp_path / "c.jsonl", jsonl({"text": "x", "published": "2021-03-04"}, {"id": "q", "text": "y"}))
    first, second = read([tmp_path])[0], read([tmp_path])[0]
    assert first == second and len(first) == 4


records = st.lists(
    st.fixed_dictionaries(
        {"text": st.text(max_size=60)},
        optional={
            "id": st.one_of(st.text(max_size=6), st.integers(0, 3), st.sampled_from(["-#1", "-#2"])),
            "title": st.none() | st.text(max_size=20),
            "published": st.dates().map(dt.date.isoformat),
            "author": st.text(max_size=10),
            "extra": st.integers(),
        },
    ),
    min_size=1,
    max_size=12,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(records)
def test_ingest_is_idempotent_and_ids_unique(recs):
    data = jsonl(*recs).encode()
    runs = []
    for _ in range(2):
        errors = Errors()
        arts = read_articles(["-"], on_error=errors, stdin=io.BytesIO(data))
        runs.append((arts, errors.messages()))
        ids = [a.id for a in arts]
        assert len(ids) == len(set(ids))
        assert len(arts) + len(errors) == len(recs)  # every record is read or reported, once
    assert runs[0] == runs[1]


# --------------------------------------------------------------------------- shared data (read-only)


def shared(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"shared data not found at {path} (set NEWSDESK_SHARED to the shared folder)")
    return path


def test_seeds():
    seeds = shared("seeds")
    arts, errors = read([seeds])
    assert not errors
    assert len(arts) == 5
    assert sorted(a.id for a in arts) == sorted(p.name for p in seeds.iterdir() if not p.name.startswith("."))
    assert all(a.text.strip() for a in arts)


def test_duc_cluster_directory():
    arts, errors = read([shared("data", "duc2004-task2", "docs", "1")])
    assert not errors
    assert [a.id for a in arts] == [f"D{i}.txt" for i in range(1, 11)]
