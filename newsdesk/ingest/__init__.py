"""Reading articles from files, directories and standard input.

>>> articles = read_articles(["reports/", "extra.jsonl"])          # doctest: +SKIP

A PATH is a file, a directory (walked recursively in natural order, ``D2`` before
``D10``; hidden files and directories skipped) or ``-`` for standard input (JSON Lines;
a JSON list if it starts with ``[``).  Every path is read as one of the kinds in
:data:`READERS`, chosen by extension (:data:`EXTENSION_KINDS`, looking through a ``.gz``
suffix) and by content: gzip is recognised by its magic bytes, a ``.txt`` that is
really an HTML page is read as HTML, and a file with an unknown extension is sniffed
(HTML, JSON, WARC, feed, else plain text).  In directory walks, files whose extension
is plainly not an article (:data:`SKIP_EXTENSIONS`: images, archives, code, office
documents, ...) are skipped silently; given explicitly they are read and, being
binary, reported.  A new format is one more reader function and one more entry in
:data:`READERS` / :data:`EXTENSION_KINDS`.

Article ids follow the contract: the object's ``id``; else the file's path relative to
the directory argument it was found under, ``/``-separated and with any ``.gz`` suffix
kept (``1/D3.txt``); for a file given directly, its name; for a record without an id in
a JSON Lines file or a JSON list, ``<file id>#<n>`` (n from 1).  Standard input has the
file id ``-``.

Problems with one input (a missing path, an empty, binary, oversized or undecodable
file, invalid JSON, a bad record, a duplicate id, ...) are :class:`InputError`\\ s named
after the input (``path``, or ``path#n`` for a record).  Each is passed to ``on_error``
(default: a warning on the ``newsdesk.ingest`` logger) and the input is skipped; the
rest of the batch is read.  ``on_error`` may raise to stop the run.  When an id was
already read in this run, the later article is reported (naming both inputs) and
skipped.  Nothing read at all is not an error here: the caller decides.
"""

from __future__ import annotations

import logging
import os
import re
import sys
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import InputError
from ..models import Article
from ..options import DEFAULT_OPTIONS, Options
from .decode import decompress, is_gzip, read_bounded, read_stream
from .feeds import read_feed
from .fetch import Fetcher, is_url
from .lang import resolve_language
from .readers import Reader, Source, read_html, read_json, read_jsonl, read_txt, scrub_surrogates
from .sgml import looks_like_sgml, read_sgml
from .warc import read_warc, read_warc_file

__all__ = [
    "iter_articles",
    "input_files",
    "read_input",
    "read_articles",
    "READERS",
    "EXTENSION_KINDS",
    "SKIP_EXTENSIONS",
    "STDIN",
    "Source",
    "Reader",
    "kind_of",
]

logger = logging.getLogger("newsdesk.ingest")

STDIN = "-"
_STDIN_NAME = "<stdin>"

#: kind -> reader.  Add a format here (and its extensions to EXTENSION_KINDS).
READERS: dict[str, Reader] = {
    "txt": read_txt,
    "html": read_html,
    "json": read_json,
    "jsonl": read_jsonl,
    "feed": read_feed,  # RSS, Atom, and OPML lists of feeds
    "warc": read_warc,  # a WARC in memory; .warc/.warc.gz files are streamed instead (warc.read_warc_file)
    "sgml": read_sgml,  # DUC / TREC newswire: <DOC> records (also sniffed in .txt and extension-less files)
}

#: lower-case extension (after removing ``.gz``) -> kind
EXTENSION_KINDS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".xml": "feed",
    ".rss": "feed",
    ".atom": "feed",
    ".opml": "feed",
    ".warc": "warc",
    ".sgml": "sgml",
    ".sgm": "sgml",
}

#: extensions (lower case, after removing ``.gz``) skipped silently in directory walks
SKIP_EXTENSIONS: frozenset[str] = frozenset(
    """
    .png .jpg .jpeg .gif .bmp .tif .tiff .webp .svg .ico .heic .avif .psd
    .mp3 .mp4 .m4a .wav .ogg .flac .avi .mov .mkv .webm
    .zip .tar .tgz .bz2 .xz .zst .7z .rar .jar .whl .egg .tbz2 .lz4
    .py .pyc .pyo .pyd .so .o .a .dll .dylib .exe .bin .class .js .mjs .ts .css .scss .map
    .sh .bat .ps1 .c .h .cpp .hpp .rs .go .java .rb .pl .php
    .pdf .doc .docx .xls .xlsx .ppt .pptx .odt .ods .odp .epub
    .db .sqlite .sqlite3 .pkl .pickle .npy .npz .parquet .arrow .feather .h5 .hdf5 .pt .onnx .safetensors
    .csv .tsv .toml .yaml .yml .ini .cfg .lock .log .ttf .otf .woff .woff2 .eot .iso .dmg
    """.split()
)

_HTML_START = re.compile(rb"\s*(<!--.*?-->\s*)*<(!doctype\s+html|html[\s>])", re.IGNORECASE | re.DOTALL)
_FEED_ROOT = re.compile(rb"<(rss|feed|rdf:RDF|opml)[\s>]")


def iter_articles(
    paths: Iterable[str | os.PathLike[str]],
    options: Options = DEFAULT_OPTIONS,
    on_error: Callable[[InputError], None] | None = None,
    stdin: IO[bytes] | None = None,
) -> Iterator[Article]:
    """Articles from every path, in order; problems go to ``on_error`` and are skipped.

    ``paths`` is an iterable of paths (a single ``str``/``PathLike`` is taken as one
    path); ``"-"`` reads ``stdin`` (default ``sys.stdin.buffer``); ``http(s)://`` URLs are
    fetched (see :mod:`newsdesk.ingest.fetch`).  Every article gets ``language`` (see
    :mod:`newsdesk.ingest.lang`).
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]  # type: ignore[list-item]
    report = on_error if on_error is not None else _log_error
    seen: dict[str, str] = {}  # article id -> where it was read
    net = _Network(options)
    try:
        for path in paths:
            yield from _checked(_read_path(path, options, report, stdin, net), seen, report)
    finally:
        net.close()


def _checked(articles: Iterator[Article], seen: dict[str, str], report: Callable[[InputError], None]
             ) -> Iterator[Article]:
    """Refuse repeated ids, set the language, and let ``on_error``'s own exceptions out."""
    try:
        for article in articles:
            article = finished(article)
            if first_of_its_id(article, seen, report):
                yield article
    except _HandlerError as exc:
        raise exc.__cause__ from None  # type: ignore[misc]


def first_of_its_id(article: Article, seen: dict[str, str], report: Callable[[InputError], None]) -> bool:
    """Whether ``article`` is the first of its id in a run (``seen``: id -> where it was read);
    a repeat is reported and must be skipped."""
    location = str(article.meta.get("location", article.id))
    first = seen.get(article.id)
    if first is not None:
        report(InputError(location, f"duplicate article id {article.id!r} (already read from {first}); skipped"))
        return False
    seen[article.id] = location
    return True


_TEXT_FIELDS = ("id", "text", "raw_text", "title", "source", "url", "author", "language", "dateline")


def finished(article: Article) -> Article:
    """The last step of reading every article: no lone surrogate left in any text field (they cannot be
    written as UTF-8, so one would break printing, storing and serving the whole batch; a reader that
    let one through is warned about, naming the article) and the language set (:func:`with_language`)."""
    dirty = {}
    for name in _TEXT_FIELDS:
        value = getattr(article, name)
        if isinstance(value, str) and (clean := scrub_surrogates(value)) is not value:
            dirty[name] = clean
    if dirty:
        logger.warning("%s: lone UTF-16 surrogates in %s replaced with U+FFFD",
                       article.meta.get("location", article.id), ", ".join(dirty))
        article = article.with_(**dirty)
    return with_language(article)


def with_language(article: Article) -> Article:
    """The article with its language resolved (declared, unless the text confidently says otherwise)."""
    language = resolve_language(article.language, article.text)
    return article if language == article.language else article.with_(language=language)


def input_files(
    paths: Iterable[str | os.PathLike[str]], on_error: Callable[[InputError], None] | None = None
) -> list[tuple[str, str]]:
    """Every input behind ``paths`` as (name, article id), directories expanded, in reading order.

    A file gets the id the contract gives it (relative to the directory argument it was found
    under, else its file name); a URL and ``-`` stand for themselves.  Used to split a run
    into shards (:mod:`newsdesk.scale`); :func:`read_input` reads one entry.
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        paths = [paths]  # type: ignore[list-item]
    report = on_error if on_error is not None else _log_error
    return [entry for path in paths for entry in _entries(path, report)]


def read_input(
    name: str,
    file_id: str,
    options: Options = DEFAULT_OPTIONS,
    on_error: Callable[[InputError], None] | None = None,
    stdin: IO[bytes] | None = None,
    fetcher: Fetcher | None = None,
) -> list[Article]:
    """The articles of one entry of :func:`input_files` (languages set; ids not yet checked
    for repeats across entries — :func:`iter_articles` does that for a whole run).

    ``fetcher``: the run's :class:`Fetcher` (left open), so that the entries of one run share
    robots.txt and per-host delays; by default one is made for this entry."""
    net = _Network(options, fetcher)
    try:
        report = on_error if on_error is not None else _log_error
        return [finished(a) for a in _read_entry(name, file_id, options, report, stdin, net)]
    finally:
        net.close()


def read_articles(
    paths: Iterable[str | os.PathLike[str]],
    options: Options = DEFAULT_OPTIONS,
    on_error: Callable[[InputError], None] | None = None,
    stdin: IO[bytes] | None = None,
) -> list[Article]:
    """:func:`iter_articles` as a list."""
    return list(iter_articles(paths, options, on_error, stdin))


def kind_of(name: str, data: bytes) -> str:
    """The kind (a key of :data:`READERS`) of an input called ``name`` holding ``data``."""
    kind = EXTENSION_KINDS.get(_extension(name))
    head = data[:4096].removeprefix(b"\xef\xbb\xbf")
    if kind == "txt" and _HTML_START.match(head):
        return "html"
    if kind in (None, "txt", "feed") and looks_like_sgml(head):
        return "sgml"
    if kind is not None:
        return kind
    stripped = head.lstrip()
    if _HTML_START.match(head):
        return "html"
    if stripped.startswith(b"WARC/"):
        return "warc"
    if stripped.startswith((b"<?xml", b"<rss", b"<feed", b"<opml", b"<rdf:RDF")) and _FEED_ROOT.search(head):
        return "feed"
    if stripped[:1] in (b"{", b"["):
        return "json"
    if stripped.startswith(b"<") and b"<html" in head.lower():
        return "html"
    return "txt"


# --------------------------------------------------------------------------- internals


class _Network:
    """The run's :class:`Fetcher`, created on first use (no client for runs without URLs)."""

    def __init__(self, options: Options, fetcher: Fetcher | None = None) -> None:
        self.options = options
        self.fetcher: Fetcher | None = fetcher
        self._owned = fetcher is None

    def fetch(self, url: str) -> Any:
        if self.fetcher is None:
            self.fetcher = Fetcher(self.options)
        return self.fetcher.fetch(url)

    def close(self) -> None:
        if self.fetcher is not None and self._owned:
            self.fetcher.close()


class _HandlerError(Exception):
    """Carries an exception raised by ``on_error`` out of a reader, so it is not reported again."""


def _log_error(err: InputError) -> None:
    logger.warning("%s", err)


def _guarded(report: Callable[[InputError], None]) -> Callable[[InputError], None]:
    def call(err: InputError) -> None:
        try:
            report(err)
        except BaseException as exc:
            raise _HandlerError() from exc

    return call


def _read_path(
    path: str | os.PathLike[str],
    options: Options,
    report: Callable[[InputError], None],
    stdin: IO[bytes] | None,
    net: _Network,
) -> Iterator[Article]:
    for name, file_id in _entries(path, report):
        yield from _read_entry(name, file_id, options, report, stdin, net)


def _entries(path: str | os.PathLike[str], report: Callable[[InputError], None]) -> Iterator[tuple[str, str]]:
    """(name, article id) of every input behind one path, lazily (directories walked as read)."""
    name = os.fspath(path)
    if isinstance(name, bytes):
        name = os.fsdecode(name)
    if name == STDIN or is_url(name):
        yield name, name
    elif os.path.isdir(name):
        found = False
        for file_path, rel_id in _walk(Path(name), report):
            found = True
            yield str(file_path), rel_id
        if not found:
            report(InputError(name, "no article files in this directory"))
    elif not os.path.lexists(name):
        report(InputError(name, "no such file or directory"))
    else:
        yield name, Path(name).name or name


def _read_entry(name: str, file_id: str, options: Options, report: Callable[[InputError], None],
                stdin: IO[bytes] | None, net: _Network) -> Iterator[Article]:
    if name == STDIN:
        return _read_one(_STDIN_NAME, STDIN, None, options, report, stdin, net)
    if is_url(name):
        return _read_url(name, options, report, net)
    return _read_one(name, file_id, Path(name), options, report, None, net)


def _read_one(
    name: str,
    file_id: str,
    path: Path | None,
    options: Options,
    report: Callable[[InputError], None],
    stdin: IO[bytes] | None,
    net: _Network,
) -> Iterator[Article]:
    """Read one file (``path``) or standard input (``path is None``), reporting its errors."""
    try:
        if path is not None and _extension(name) == ".warc" and path.is_file():  # streamed: archives are large
            yield from read_warc_file(path, file_id, name, options, _guarded(report))
            return
        if path is None:
            stream = stdin if stdin is not None else sys.stdin.buffer
            try:
                data = read_stream(stream, name, options.max_bytes)
            except OSError as exc:
                raise InputError(name, f"cannot read: {exc}") from exc
        else:
            data = read_bounded(path, name, options.max_bytes, options.fetch_timeout)
        inner = name
        if is_gzip(data):
            data = decompress(data, name, options.max_bytes)
            inner = _strip_gz(name)
        elif name.lower().endswith(".gz"):
            logger.debug("%s: named .gz but not gzip-compressed; reading it as it is", name)
            inner = _strip_gz(name)
        if path is None:
            kind = "json" if data.lstrip()[:1] == b"[" else "jsonl"
        else:
            kind = kind_of(inner, data)
        source = Source(id=file_id, name=name, data=data, options=options, report=_guarded(report), fetch=net.fetch,
                        read=read_by_kind)
        yield from READERS[kind](source)
    except InputError as err:
        report(err)


def read_by_kind(source: Source) -> Iterator[Article]:
    """Read a fetched input by the kind its name and content say (a feed when unknown)."""
    kind = kind_of(source.name, source.data)
    return READERS[kind if kind in READERS else "feed"](source)


_TYPE_KINDS = (("html", "html"), ("rss", "feed"), ("atom", "feed"), ("opml", "feed"), ("xml", "feed"),
               ("jsonl", "jsonl"), ("ndjson", "jsonl"), ("json", "json"), ("warc", "warc"))


def _read_url(url: str, options: Options, report: Callable[[InputError], None], net: _Network) -> Iterator[Article]:
    """Fetch ``url`` and read it by its content type (else by its path and content); id: the URL."""
    try:
        page = net.fetch(url)
        data = page.data
        if is_gzip(data):
            data = decompress(data, url, options.max_bytes)
        ctype = page.content_type.split(";")[0].strip().lower()
        data = _header_charset(data, page.content_type, url)
        kind = next((k for marker, k in _TYPE_KINDS if marker in ctype), None)
        if kind is None or kind == "feed" and _HTML_START.match(data[:4096]):
            kind = kind_of(url.split("?", 1)[0].split("#", 1)[0], data)
        source = Source(id=url, name=url, data=data, options=options, report=_guarded(report), fetch=net.fetch,
                        read=read_by_kind)
        for article in READERS[kind](source):
            yield article if article.url else article.with_(url=page.final_url)
    except InputError as err:
        report(err)


_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)


def _header_charset(data: bytes, content_type: str, url: str) -> bytes:
    """Text in the charset its HTTP header declares, re-encoded as UTF-8 (the header outranks the page's own
    declaration); unchanged when it is valid UTF-8 already, or the declaration is unknown or wrong."""
    m = _CHARSET.search(content_type)
    if m is None:
        return data
    try:
        data.decode("utf-8")
        return data
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode(m.group(1))
    except (LookupError, UnicodeDecodeError):
        logger.warning("%s: declared charset %r does not fit the content; detecting it", url, m.group(1))
        return data
    return text.encode("utf-8")


def _walk(root: Path, report: Callable[[InputError], None]) -> Iterator[tuple[Path, str]]:
    """(file, id relative to ``root``) for every candidate article file under ``root``."""
    visited: set[str] = set()

    def visit(directory: Path, prefix: str) -> Iterator[tuple[Path, str]]:
        real = os.path.realpath(directory)
        if real in visited:  # a symlink loop
            return
        visited.add(real)
        try:
            with os.scandir(directory) as it:
                entries = sorted(it, key=lambda e: _natural_key(e.name))
        except OSError as exc:
            report(InputError(str(directory), f"cannot list directory: {exc.strerror or exc}"))
            return
        for entry in entries:
            if entry.name.startswith("."):
                continue
            path = directory / entry.name
            try:
                is_dir = entry.is_dir()
                is_file = entry.is_file()
            except OSError:
                continue
            if is_dir:
                yield from visit(path, f"{prefix}{entry.name}/")
            elif is_file and _extension(entry.name) not in SKIP_EXTENSIONS:
                yield path, f"{prefix}{entry.name}"

    yield from visit(root, "")


def _natural_key(name: str) -> tuple[tuple[int | str, ...], str]:
    parts = re.split(r"(\d+)", name)
    return tuple(int(p) if i % 2 else p.casefold() for i, p in enumerate(parts)), name


def _strip_gz(name: str) -> str:
    return name[:-3] if name.lower().endswith(".gz") else name


def _extension(name: str) -> str:
    name = _strip_gz(name.lower())
    return os.path.splitext(name)[1]
