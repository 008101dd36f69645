"""The hostile-input corpus, generated (nothing stored: every input is made here, none over 1 MB on disk
except the sparse file, whose size is a hole).

``write_corpus(folder)`` writes one file per hostile input next to one good article and returns
{name: what it tests}; ``HOSTILE`` lists the generators.  The same inputs drive the regression tests of
issue #18 (F1-F10, ``tests/test_hostile.py``) and can be handed to the command line by hand:

    python tests/hostile.py /tmp/hostile && newsdesk extract /tmp/hostile
"""

from __future__ import annotations

import gzip
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path

GOOD_TEXT = ("Dock workers in Ostra stayed off the job for a third day on Wednesday, leaving more than forty ships "
             "waiting outside the port. The union said talks with the port authority had broken down. Shipping "
             "companies warned that delays would spread to other ports along the coast.")
GOOD = {"id": "good-1", "title": "Harbour strike enters third day", "source": "Ostra Post", "text": GOOD_TEXT}

ESC = "\x1b"
#: a title that would recolour the terminal, set its window title and ring the bell; plus a C1 CSI
TERMINAL_TITLE = f"Strike {ESC}[31mRED{ESC}[0m {ESC}]0;pwned\x07 \x9b2J end"


def good_json() -> bytes:
    return json.dumps(GOOD).encode()


def record(**fields: object) -> dict:
    return {"text": GOOD_TEXT, **fields}


def nested_json() -> bytes:  # F1
    return b"[" * 200_000


def huge_number_json() -> bytes:  # F2
    return b'{"id": "big", "text": "' + GOOD_TEXT.encode() + b'", "n": ' + b"9" * 5000 + b"}"


def huge_number_jsonl() -> bytes:  # F2, one line of two
    bad = b'{"id": "big-line", "text": "x", "n": ' + b"9" * 5000 + b"}"
    return bad + b"\n" + json.dumps(record(id="good-line")).encode() + b"\n"


def surrogate_json() -> bytes:  # F3
    return b'{"id": "sur", "title": "Lone \\ud800 surrogate", "text": "' + GOOD_TEXT.encode() + b' \\udc00"}'


def markdown_id_json() -> bytes:  # F8
    return json.dumps(record(id="x` <img src=x onerror=alert(1)> `y", title="Markdown *breakout*")).encode()


def terminal_title_json() -> bytes:  # F9
    return json.dumps(record(id="term", title=TERMINAL_TITLE)).encode()


def warc_record(http: bytes, length: bytes, uri: bytes = b"http://example.org/a") -> bytes:
    return (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: " + uri + b"\r\nWARC-Record-ID: <urn:uuid:1>\r\n"
            b"Content-Type: application/http; msgtype=response\r\nContent-Length: " + length + b"\r\n\r\n"
            + http + b"\r\n\r\n")


def html_page(text: str = GOOD_TEXT) -> bytes:
    return (f"<html><head><title>Harbour strike</title></head><body><article><p>{text}</p><p>{text}</p>"
            "</article></body></html>").encode()


def _http(page: bytes) -> bytes:
    return b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n" + page


def warc_bad_length() -> bytes:  # F10: a Content-Length that does not fit (warcio: 'NoneType' ... 'startswith')
    return warc_record(_http(html_page()), b"99999999999999999999999")


def warc_short_length() -> bytes:  # F10: the first record claims less than it holds
    http = _http(html_page())
    return warc_record(http, str(len(http) - 100).encode()) + warc_record(http, str(len(http)).encode(),
                                                                         b"http://example.org/b")


def odd_html() -> bytes:  # F10: trafilatura logged "discarding data: None" and "empty HTML tree: None"
    return b"<html><body><div><p><<<>>> </div"


def gzip_bomb() -> bytes:  # held: decompression is bounded
    return gzip.compress(b"\0" * 30_000_000, compresslevel=9)


def xxe_feed() -> bytes:  # held: no entity expansion, no file read
    return (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">'
            b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            b'<rss version="2.0"><channel><title>&x;</title><item><title>&b;</title>'
            b"<description>&x;</description></item></channel></rss>")


def truncated_gzip() -> bytes:
    return gzip.compress(good_json())[:30]


#: name -> (generator, what it tests)
HOSTILE: dict[str, tuple[Callable[[], bytes], str]] = {
    "nested.json": (nested_json, "F1 JSON nested 200,000 deep"),
    "bignum.json": (huge_number_json, "F2 a 5,000-digit number"),
    "bignum.jsonl": (huge_number_jsonl, "F2 a 5,000-digit number on one line of two"),
    "surrogate.json": (surrogate_json, "F3 lone surrogates"),
    "markdown-id.json": (markdown_id_json, "F8 an id that breaks out of a Markdown code span"),
    "terminal-title.json": (terminal_title_json, "F9 terminal escape sequences in a title"),
    "bad-length.warc": (warc_bad_length, "F10 a WARC record with an impossible Content-Length"),
    "short-length.warc": (warc_short_length, "F10 a WARC record shorter than its Content-Length"),
    "odd.html": (odd_html, "F10 HTML without an article"),
    "bomb.json.gz": (gzip_bomb, "a 30 MB gzip bomb"),
    "xxe.rss": (xxe_feed, "an XXE / billion-laughs feed"),
    "truncated.json.gz": (truncated_gzip, "a truncated gzip file"),
}


def write_corpus(folder: Path, *, fifo: bool = True, escape_name: bool = True) -> dict[str, str]:
    """Write the good article and every hostile input into ``folder``; returns {file name: what it tests}."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "good.json").write_bytes(good_json())
    made = {"good.json": "the good article"}
    for name, (make, what) in HOSTILE.items():
        (folder / name).write_bytes(make())
        made[name] = what
    if fifo and hasattr(os, "mkfifo"):
        os.mkfifo(folder / "pipe.txt")  # F4: a named pipe nobody writes to
        made["pipe.txt"] = "F4 a FIFO with no writer"
    if escape_name:
        name = f"name-{ESC}[31m-red.json"  # F9: escape sequences in a file name
        (folder / name).write_bytes(b"{not json")
        made[name] = "F9 terminal escapes in a file name"
    return made


if __name__ == "__main__":  # pragma: no cover
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")
    for file, what in write_corpus(out).items():
        print(f"{file!r}: {what}")
