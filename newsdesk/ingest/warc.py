"""WARC and WARC.gz archives (warcio), as Common Crawl's news crawl delivers them.

The archive is streamed record by record (a multi-gigabyte ``.warc.gz`` is never held in
memory; each record's payload is read up to ``options.max_bytes``).  Only ``response``
records with an HTTP status 200 and an HTML content type are read; requests, metadata,
redirects, images and the like are skipped silently.  Each page goes through newsdesk's
HTML reader; its id is the record's ``WARC-Target-URI`` (else ``<file id>#<n>``, n counting
records from 1), its URL the target URI, and its date the ``WARC-Date`` when the page
states none.  A record that cannot be read is reported as ``<file>#<n>`` and skipped; a
truncated or corrupt archive is reported once, keeping the articles read before the damage.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError, MissingExtraError
from ..models import Article
from ..options import DEFAULT_OPTIONS, Options
from .decode import decode_text, size_text
from .readers import Source, extract_html

__all__ = ["read_warc", "read_warc_file", "iter_warc"]

logger = logging.getLogger("newsdesk.ingest")

_HTML_TYPES = ("text/html", "application/xhtml+xml")


def _archive_iterator(stream: IO[bytes]) -> Any:
    try:
        from warcio.archiveiterator import ArchiveIterator
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError("warcio", "ingest") from exc
    return ArchiveIterator(stream)


def read_warc(source: Source) -> Iterator[Article]:
    """A WARC already in memory (e.g. sniffed from an unknown extension or read from a gzip stream)."""
    yield from iter_warc(io.BytesIO(source.data), source.id, source.name, source.options, source.report)


def read_warc_file(path: Path, file_id: str, name: str, options: Options = DEFAULT_OPTIONS,
                   report: Callable[[InputError], None] | None = None) -> Iterator[Article]:
    """Stream the WARC (or WARC.gz) file at ``path``."""
    try:
        fh = open(path, "rb")  # noqa: SIM115 -- closed below, after the generator is done
    except OSError as exc:
        raise InputError(name, f"cannot read: {exc.strerror or exc}") from exc
    with fh:
        yield from iter_warc(fh, file_id, name, options, report)


def iter_warc(stream: IO[bytes], file_id: str, name: str, options: Options = DEFAULT_OPTIONS,
              report: Callable[[InputError], None] | None = None) -> Iterator[Article]:
    """Articles from the HTML responses of a WARC stream."""
    report = report or (lambda err: logger.warning("%s", err))
    head = stream.read(8)
    stream.seek(0)
    if not head.startswith((b"WARC/", b"\x1f\x8b")):  # warcio would read anything as (old) ARC records
        raise InputError(name, "not a WARC file (it does not start with 'WARC/')")
    n = 0
    found = 0
    end = stream.seek(0, io.SEEK_END) if stream.seekable() else None
    stream.seek(0)
    iterator: Any = None
    try:
        iterator = _archive_iterator(stream)
        for record in iterator:
            n += 1
            _check_length(iterator, name, n)
            if not _is_html_response(record):
                continue
            found += 1
            where = f"{name}#{n}"
            try:
                article = _record_article(record, file_id, where, n, options)
            except InputError as err:
                report(err)
                continue
            yield article
    except InputError:
        raise
    except Exception as exc:  # noqa: BLE001 -- warcio's ArchiveLoadFailed, and what malformed headers raise in it
        raise InputError(name, _damage(exc, n)) from exc
    if end is not None and head.startswith(b"\x1f\x8b") and getattr(iterator, "offset", end) < end:
        # warcio ends quietly at a gzip member cut short: what follows the last whole record is damage
        raise InputError(name, f"corrupt or truncated WARC.gz after record {n}")
    if n == 0:
        raise InputError(name, "no WARC records")
    if found == 0:
        raise InputError(name, f"no HTML responses among its {n} WARC records")


def _is_html_response(record: Any) -> bool:
    """A ``response`` record of an HTTP 200 with an HTML content type (the only records read)."""
    if record.rec_type != "response":
        return False
    http = record.http_headers
    if http is None or http.get_statuscode() != "200":
        return False
    return (http.get_header("Content-Type") or "").lower().startswith(_HTML_TYPES)


def _check_length(iterator: Any, name: str, n: int) -> None:
    """warcio writes a three-line warning to stderr itself when a record is not followed by the blank line
    its Content-Length promises; newsdesk says it once, in one line, naming the record."""
    iterator.INC_RECORD = ""  # silences warcio's own message (it formats and writes this template)
    errors = getattr(iterator, "err_count", 0)
    if errors > getattr(iterator, "_newsdesk_seen", 0):
        iterator._newsdesk_seen = errors
        logger.warning("%s#%d: the record before this one does not end where its Content-Length says; "
                       "records from here on may be misread", name, n)


def _damage(exc: Exception, n: int) -> str:
    """One line saying what is wrong with an archive warcio could not go on reading after ``n`` records."""
    where = "at its first record" if n == 0 else f"after record {n}"
    detail = str(exc).split("\n", 1)[0].strip()
    if type(exc).__name__ == "ArchiveLoadFailed" and detail:
        detail = detail[:80] + ("…" if len(detail) > 80 else "")
        return f"corrupt or truncated WARC {where}: {detail!r}" if n else f"not a readable WARC file: {detail!r}"
    if isinstance(exc, (EOFError, zlib.error, OSError)):
        return f"corrupt or truncated WARC {where} ({type(exc).__name__})"
    # AttributeError, TypeError, ValueError, OverflowError from deep inside warcio: its record headers
    # (WARC-Type, Content-Length, the HTTP status line) are malformed
    return f"malformed WARC record headers {where} (bad Content-Length, WARC-Type or HTTP status line)"


def _record_article(record: Any, file_id: str, where: str, n: int, options: Options) -> Article:
    headers = record.rec_headers
    uri = (headers.get_header("WARC-Target-URI") or "").strip() or None
    payload = record.content_stream().read(options.max_bytes + 1)
    if len(payload) > options.max_bytes:
        raise InputError(where, f"page is more than {size_text(options.max_bytes)} (max_bytes)")
    if getattr(record.raw_stream, "limit", 0) > 0:  # the block ended before its Content-Length
        raise InputError(where, "truncated WARC record")
    if not payload.strip():
        raise InputError(where, "empty page")
    decoded = decode_text(payload, where, html=True)
    fields = extract_html(decoded.text, where, options)
    meta = {"format": "html", "encoding": decoded.encoding, "location": where, "warc_record": n,
            **fields.pop("meta")}
    if fields.get("published") is None:
        fields["published"] = _warc_date(headers.get_header("WARC-Date"))
    fields["url"] = uri or fields.get("url")
    return Article(id=uri or f"{file_id}#{n}", meta=meta, **fields)


def _warc_date(value: str | None) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value.strip()[:10])
    except ValueError:
        return None
