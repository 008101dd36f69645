"""WARC / WARC.gz reading: archives are written here with warcio, as Common Crawl's news crawl has them."""

from __future__ import annotations

import datetime as dt
import gzip
import io
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsdesk import Options
from newsdesk.errors import InputError
from newsdesk.ingest import kind_of, read_articles


def page(title: str, n: int = 4, date: str | None = None) -> bytes:
    meta = f'<meta property="article:published_time" content="{date}">' if date else ""
    body = "".join(f"<p>{title} paragraph {i}: officials in the port city said the ferry service would resume "
                   f"next week after storms damaged the pier, and repairs were on schedule.</p>" for i in range(n))
    return f"<html><head><title>{title}</title>{meta}</head><body><article><h1>{title}</h1>{body}</article>" \
           f"</body></html>".encode()


def warc_bytes(records: list[tuple[str, str, str, bytes]], gz: bool = True) -> bytes:
    """records: (type, uri, content type or status line, payload)."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    for rtype, uri, ctype, payload in records:
        if rtype == "response":
            status = "404 Not Found" if ctype == "404" else "200 OK"
            http = StatusAndHeaders(status, [("Content-Type", "text/html" if ctype == "404" else ctype)],
                                    protocol="HTTP/1.1")
            rec = writer.create_warc_record(uri, "response", payload=io.BytesIO(payload), http_headers=http,
                                            warc_headers_dict={"WARC-Date": "2021-03-04T05:06:07Z"})
        else:
            rec = writer.create_warc_record(uri, rtype, payload=io.BytesIO(payload), warc_content_type=ctype)
        writer.write_record(rec)
    return buf.getvalue()


RECORDS = [
    ("warcinfo", "", "application/warc-fields", b"software: test\r\n"),
    ("request", "https://a.example/news/1", "application/http; msgtype=request", b"GET /news/1 HTTP/1.1\r\n\r\n"),
    ("response", "https://a.example/news/1", "text/html; charset=utf-8", page("Ferry resumes", date="2021-03-01")),
    ("response", "https://a.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n...."),
    ("response", "https://a.example/missing", "404", page("Not found")),
    ("response", "https://a.example/empty", "text/html", b"<html><body><nav>Home</nav></body></html>"),
    ("response", "https://b.example/story", "application/xhtml+xml", page("Pier repairs")),
]


@pytest.mark.parametrize("name, gz", [("crawl.warc.gz", True), ("crawl.warc", False)])
def test_html_responses_only_with_uri_ids_and_warc_date(tmp_path: Path, name: str, gz: bool) -> None:
    path = tmp_path / name
    path.write_bytes(warc_bytes(RECORDS, gz))
    errors: list[InputError] = []
    arts = read_articles([path], on_error=errors.append)
    assert [a.id for a in arts] == ["https://a.example/news/1", "https://b.example/story"]
    first, second = arts
    assert first.title == "Ferry resumes" and first.url == "https://a.example/news/1"
    assert first.published == dt.date(2021, 3, 1)  # the page's own date wins
    assert second.published == dt.date(2021, 3, 4)  # else WARC-Date
    assert "ferry service would resume" in first.text and first.meta["format"] == "html"
    assert len(errors) == 1 and errors[0].source == f"{path}#6" and "no article text" in errors[0].reason


def test_archive_is_streamed_not_bounded_by_max_bytes(tmp_path: Path) -> None:
    records = [("response", f"https://a.example/{i}", "text/html", page(f"Story {i}", n=30)) for i in range(8)]
    path = tmp_path / "big.warc.gz"
    path.write_bytes(warc_bytes(records))
    opts = Options(max_bytes=20_000)  # each page is ~7 KB: fine; the archive is far larger uncompressed
    assert sum(len(p) for *_, p in records) > opts.max_bytes
    assert len(read_articles([path], opts)) == 8


def test_oversized_record_is_reported_alone(tmp_path: Path) -> None:
    records = [("response", "https://a.example/huge", "text/html", page("Huge", n=400)),
               ("response", "https://a.example/ok", "text/html", page("Fine"))]
    path = tmp_path / "x.warc"
    path.write_bytes(warc_bytes(records, gz=False))
    errors: list[InputError] = []
    arts = read_articles([path], Options(max_bytes=20_000), on_error=errors.append)
    assert [a.id for a in arts] == ["https://a.example/ok"]
    assert len(errors) == 1 and errors[0].source.endswith("#1") and "max_bytes" in errors[0].reason


def test_truncated_warc_gz_keeps_what_came_before(tmp_path: Path) -> None:
    records = [("response", f"https://a.example/{i}", "text/html", page(f"Story {i}")) for i in range(3)]
    data, two = warc_bytes(records), warc_bytes(records[:2])
    path = tmp_path / "cut.warc.gz"
    path.write_bytes(data[: (len(data) + len(two)) // 2])  # cut inside the third record
    errors: list[InputError] = []
    arts = read_articles([path], on_error=errors.append)
    assert [a.id for a in arts] == ["https://a.example/0", "https://a.example/1"]
    assert len(errors) == 1 and errors[0].source == str(path) and "truncated" in errors[0].reason


def test_truncated_plain_warc_reports_the_cut_record(tmp_path: Path) -> None:
    records = [("response", f"https://a.example/{i}", "text/html", page(f"Story {i}")) for i in range(3)]
    data = warc_bytes(records, gz=False)
    path = tmp_path / "cut.warc"
    path.write_bytes(data[:-300])
    errors: list[InputError] = []
    arts = read_articles([path], on_error=errors.append)
    assert [a.id for a in arts] == ["https://a.example/0", "https://a.example/1"]
    assert len(errors) == 1 and errors[0].source == f"{path}#3" and "truncated" in errors[0].reason


def test_not_a_warc_and_no_html(tmp_path: Path) -> None:
    (tmp_path / "junk.warc").write_bytes(b"hello, this is not an archive\n" * 3)
    (tmp_path / "nohtml.warc.gz").write_bytes(warc_bytes(RECORDS[:2]))
    errors: list[InputError] = []
    assert read_articles([tmp_path / "junk.warc", tmp_path / "nohtml.warc.gz"], on_error=errors.append) == []
    assert "not a WARC file" in errors[0].reason and "no HTML responses" in errors[1].reason


def test_warc_sniffed_inside_plain_gzip(tmp_path: Path) -> None:
    data = gzip.compress(warc_bytes(RECORDS, gz=False))
    assert kind_of("dump", warc_bytes(RECORDS, gz=False)) == "warc"
    (tmp_path / "dump.gz").write_bytes(data)
    assert [a.id for a in read_articles([tmp_path / "dump.gz"])] == ["https://a.example/news/1",
                                                                     "https://b.example/story"]
