"""Per-format readers: one function per kind of input, ``Source -> Iterator[Article]``.

A reader raises :class:`InputError` for a problem with the whole input (nothing more
is read from it) and passes a problem with one record to ``source.report`` before
going on with the next record.  Every article gets ``meta["format"]`` and
``meta["location"]`` (the file, or ``file#n`` for a record: where to look when
something is wrong with it).

Article objects (``.json``, ``.jsonl``, standard input) follow the contract: ``text``
or ``html``, and optionally ``id``, ``title``, ``url``, ``source``, ``published``,
``author`` (plus ``language``).  ``text`` wins over ``html`` when both are non-empty.
``id`` is a string or an integer; the other fields are strings or null, and an empty
string counts as missing.  ``published`` is an ISO 8601 date or date-time; a date-time
keeps the calendar date it states, without converting time zones.  Unknown fields are
kept in ``meta``.  In a JSONL input the record number ``n`` of the id ``<file id>#<n>``
is the line number (blank lines are skipped but counted), so it also locates the line.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import logging
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..models import Article
from ..options import DEFAULT_OPTIONS, Options
from .decode import Decoded, decode_text

__all__ = [
    "Source",
    "Reader",
    "read_txt",
    "read_html",
    "read_json",
    "read_jsonl",
    "unsupported",
    "loads_json",
    "scrub_surrogates",
    "extract_html",
    "record_to_article",
    "parse_published",
]

logger = logging.getLogger("newsdesk.ingest")

_STRING_FIELDS = ("title", "url", "source", "author", "language")
_KNOWN_FIELDS = frozenset(("id", "text", "html", "published", *_STRING_FIELDS))
_SPACES = re.compile(r"\s+")


def _log_report(err: InputError) -> None:
    logger.warning("%s", err)


@dataclass(frozen=True)
class Source:
    """One input handed to a reader.

    ``id`` is the file id (the article id of a one-article file, the prefix of record
    ids), ``name`` the input as the user knows it (a path, ``<stdin>``), ``data`` its
    bytes (decompressed, at most ``options.max_bytes``).
    """

    id: str
    name: str
    data: bytes
    options: Options = DEFAULT_OPTIONS
    report: Callable[[InputError], None] = field(default=_log_report, compare=False)
    #: fetches a URL (``fetch.Fetcher.fetch``) for readers that follow links (feeds, OPML); None: no network
    fetch: Callable[[str], Any] | None = field(default=None, compare=False)
    #: reads a fetched input by its kind (the registry's dispatcher, for OPML's feeds); None: feeds only
    read: Callable[[Source], Iterator[Article]] | None = field(default=None, compare=False)

    def decode(self, *, html: bool = False) -> Decoded:
        """The decoded text (see :mod:`newsdesk.ingest.decode`); empty input is an error."""
        if not self.data.strip():
            raise InputError(self.name, "empty file")
        decoded = decode_text(self.data, self.name, html=html)
        if not decoded.text.strip():
            raise InputError(self.name, "empty file")
        return decoded


Reader = Callable[[Source], Iterator[Article]]


def unsupported(reason: str) -> Reader:
    """A reader that refuses every input with ``reason`` (a placeholder in the registry)."""

    def read(source: Source) -> Iterator[Article]:
        raise InputError(source.name, reason)
        yield  # pragma: no cover  (makes this a generator like the other readers)

    return read


# --------------------------------------------------------------------------- text


def read_txt(source: Source) -> Iterator[Article]:
    """A plain-text file: one article, the whole text; the cleaner finds the title."""
    decoded = source.decode()
    _skip_non_article_text(decoded.text, source.name, source.options)
    meta = {"format": "txt", "encoding": decoded.encoding, "location": source.name}
    yield Article(id=source.id, text=decoded.text, raw_text=decoded.text, meta=meta)


# --------------------------------------------------------------------------- HTML


def read_html(source: Source) -> Iterator[Article]:
    """An HTML page: main content and metadata extracted with trafilatura."""
    decoded = source.decode(html=True)
    fields = extract_html(decoded.text, source.name, source.options)
    meta = {"format": "html", "encoding": decoded.encoding, "location": source.name, **fields.pop("meta")}
    yield Article(id=source.id, meta=meta, **fields)


# Fewer words than this is a page without an article (navigation crumbs, a login wall): no news
# article in the ScrapingHub benchmark or the demo corpus is shorter than 50 words.
_MIN_ARTICLE_WORDS = 10


@functools.lru_cache(maxsize=8)
def _trafilatura_config(max_bytes: int) -> Any:
    from trafilatura.settings import use_config

    config = use_config()
    limit = max(max_bytes + 1, config.getint("DEFAULT", "MAX_FILE_SIZE"))
    config.set("DEFAULT", "MAX_FILE_SIZE", str(limit))
    return config


def extract_html(html: str, where: str, options: Options = DEFAULT_OPTIONS) -> dict[str, Any]:
    """Article fields (``text``, ``raw_text``, ``title``, ``source``, ``url``, ``published``,
    ``author``, ``language``, ``meta``) from an HTML page.

    ``favor_precision=True`` scored best of trafilatura's modes on the Scrapinghub
    article-extraction benchmark (181 pages; token F1 0.965 against 0.959 for the
    default and for ``favor_recall``); when it finds fewer than
    ``options.html_min_words`` words the default mode is tried as well, and its text kept
    when it reaches that length (navigation crumbs of a page without an article do not).
    Paragraphs are separated by blank lines; a first paragraph repeating the title is left
    out of ``text`` (``raw_text`` keeps it).
    """
    doc = _trafilatura(html, where, options, precision=True)
    if _words(doc) < options.html_min_words:  # precision mode can miss the body: try the default mode too
        other = _trafilatura(html, where, options, precision=False)
        if _words(other) > _words(doc) and _words(other) >= options.html_min_words:
            logger.debug("%s: precision extraction found %d words; default mode %d", where, _words(doc), _words(other))
            doc = other
    paragraphs = [p for p in (line.strip() for line in (getattr(doc, "text", None) or "").split("\n")) if p]
    if sum(len(p.split()) for p in paragraphs) < _MIN_ARTICLE_WORDS:
        found = f" (only {' / '.join(paragraphs)[:80]!r})" if paragraphs else ""
        raise InputError(where, f"no article text found{found}")
    raw_text = "\n\n".join(paragraphs)
    if options.skip_non_articles:
        from .pagetype import non_article_kind, page_features

        kind = non_article_kind(page_features(html, raw_text, _clean(getattr(doc, "url", None))))
        if kind:
            raise InputError(where, f"not an article: {kind}")
        _skip_non_article_text(raw_text, where, options)
    title = _clean(getattr(doc, "title", None))
    if title and len(paragraphs) > 1 and _fold(paragraphs[0]) == _fold(title):
        paragraphs = paragraphs[1:]
    return {"text": "\n\n".join(paragraphs), "raw_text": raw_text, "title": title, **_page_fields(doc, where)}


def _skip_non_article_text(text: str, where: str, options: Options) -> None:
    """Raise ``InputError("not an article: ...")`` when the text reads as a non-article page's furniture
    (``ingest.pagetype.text_kind``; option ``skip_non_articles``)."""
    if options.skip_non_articles:
        from .pagetype import text_kind

        kind = text_kind(text)
        if kind:
            raise InputError(where, f"not an article: {kind}")


def _trafilatura(html: str, where: str, options: Options, *, precision: bool) -> Any:
    from trafilatura import bare_extraction  # heavy import: only when HTML is read

    try:
        return bare_extraction(html, with_metadata=True, include_comments=False, favor_precision=precision,
                               config=_trafilatura_config(options.max_bytes))
    except Exception as exc:  # noqa: BLE001 -- any failure inside trafilatura/lxml is this input's problem
        raise InputError(where, f"HTML could not be parsed: {type(exc).__name__}: {exc}") from exc


def _words(doc: Any) -> int:
    return len((getattr(doc, "text", None) or "").split())


def _page_fields(doc: Any, where: str) -> dict[str, Any]:
    """``source``, ``url``, ``published``, ``author``, ``language`` and ``meta`` of an extracted page."""
    hostname = _clean(getattr(doc, "hostname", None))
    published = None
    page_date = getattr(doc, "date", None)
    if isinstance(page_date, str) and page_date:
        try:
            published = parse_published(page_date)
        except ValueError:
            logger.debug("%s: unusable date %r from the page", where, page_date)
    meta = {
        key: value
        for key in ("sitename", "hostname", "description", "categories", "tags", "image", "pagetype")
        if (value := getattr(doc, key, None))
    }
    return {
        "source": _clean(getattr(doc, "sitename", None)) or (hostname.removeprefix("www.") if hostname else None),
        "url": _clean(getattr(doc, "url", None)),
        "published": published,
        "author": _clean(getattr(doc, "author", None)),
        "language": _clean(getattr(doc, "language", None)),
        "meta": meta,
    }


# --------------------------------------------------------------------------- JSON


def read_json(source: Source) -> Iterator[Article]:
    """One article object, a list of them, or ``{"articles": [...]}`` (``extract --json`` output).

    A ``.json`` file that is really JSON Lines (several objects, one a line) is read as such.
    """
    text = source.decode().text
    try:
        obj = loads_json(text, source.name)
    except json.JSONDecodeError as exc:
        if exc.msg == "Extra data" and _first_line_is_object(text):
            logger.info("%s: several JSON values, one a line: reading it as JSON Lines", source.name)
            yield from _jsonl_records(source, text)
            return
        raise InputError(source.name, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") from exc
    if isinstance(obj, dict) and not ("text" in obj or "html" in obj) and isinstance(obj.get("articles"), list):
        obj = obj["articles"]
    if isinstance(obj, dict):
        yield record_to_article(obj, default_id=source.id, where=source.name, options=source.options)
        return
    if not isinstance(obj, list):
        raise InputError(source.name, f"expected an article object or a list of them, got {_type_name(obj)}")
    if not obj:
        raise InputError(source.name, "empty list: no articles")
    for n, record in enumerate(obj, 1):
        article = _record(source, record, n)
        if article is not None:
            yield article


def read_jsonl(source: Source) -> Iterator[Article]:
    """JSON Lines: one article object a line; each bad line is reported on its own."""
    yield from _jsonl_records(source, source.decode().text)


def _jsonl_records(source: Source, text: str) -> Iterator[Article]:
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = loads_json(line, f"{source.name}#{n}")
        except json.JSONDecodeError as exc:
            source.report(InputError(f"{source.name}#{n}", f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        except InputError as err:
            source.report(err)
            continue
        article = _record(source, record, n)
        if article is not None:
            yield article


def _record(source: Source, record: Any, n: int) -> Article | None:
    where = f"{source.name}#{n}"
    try:
        if not isinstance(record, dict):
            raise InputError(where, f"expected an article object, got {_type_name(record)}")
        return record_to_article(record, default_id=f"{source.id}#{n}", where=where, options=source.options)
    except InputError as err:
        source.report(err)
        return None


def record_to_article(
    record: Mapping[str, Any], *, default_id: str, where: str, options: Options = DEFAULT_OPTIONS
) -> Article:
    """An :class:`Article` from one article object; ``InputError(where, ...)`` if it is unusable."""
    rid = record.get("id")
    if rid is not None:
        if isinstance(rid, bool) or not isinstance(rid, (str, int)):
            raise InputError(where, f"field 'id' must be a string, got {_type_name(rid)}")
        rid = str(rid).strip()
        if not rid:
            raise InputError(where, "field 'id' is empty")
        where = f"{where} (id {rid!r})"
    values: dict[str, str | None] = {}
    for name in ("text", "html", *_STRING_FIELDS):
        value = record.get(name)
        if value is not None and not isinstance(value, str):
            raise InputError(where, f"field {name!r} must be a string, got {_type_name(value)}")
        values[name] = value
    published = _published(record.get("published"), where)
    meta: dict[str, Any] = {k: v for k, v in record.items() if k not in _KNOWN_FIELDS and _shallow(v, k, where)}
    meta.update(format="json", location=where)
    text, html = values.pop("text"), values.pop("html")
    fields: dict[str, Any] = {k: _clean(v) for k, v in values.items()}
    if text is not None and text.strip():
        text = _normalise_newlines(text)
        _skip_non_article_text(text, where, options)
        body = {"text": text, "raw_text": text}
        meta["body"] = "text"
    elif html is not None and html.strip():
        extracted = extract_html(html, where, options)
        meta = {**extracted.pop("meta"), **meta, "body": "html"}
        body = {"text": extracted.pop("text"), "raw_text": extracted.pop("raw_text")}
        fields = {k: fields.get(k) or extracted.get(k) for k in fields}
        published = published or extracted["published"]
    else:
        present = ", ".join(sorted(str(k) for k in record)) or "none"
        raise InputError(where, f"no text: needs a non-empty 'text' or 'html' field (fields: {present})")
    return Article(id=rid or default_id, published=published, meta=meta, **body, **fields)


def _published(value: Any, where: str) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise InputError(where, f"field 'published' must be an ISO 8601 date string, got {_type_name(value)}")
    try:
        return parse_published(value)
    except ValueError as exc:
        raise InputError(where, f"invalid published date {value!r}: expected ISO 8601, e.g. 2020-10-09") from exc


def parse_published(value: str) -> dt.date:
    """``"2020-10-09"``, ``"2020-10-09T07:23:00Z"``, ``"2020-10-09 07:23+03:00"`` -> ``date(2020, 10, 9)``.

    A date-time keeps the calendar date it states (no time-zone conversion).  Raises ``ValueError``.
    """
    value = value.strip()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return dt.datetime.fromisoformat(value).date()


# --------------------------------------------------------------------------- helpers


def _first_line_is_object(text: str) -> bool:
    first = text.lstrip().split("\n", 1)[0]
    try:
        return isinstance(json.loads(first), dict)
    except (ValueError, RecursionError):
        return False


#: Python refuses to turn a longer digit string into an int (CVE-2020-10735); a JSON number that long is
#: refused here with a clear message instead of a ValueError from deep inside the parser
MAX_INT_DIGITS = 4300


def _parse_int(digits: str) -> int:
    if len(digits.lstrip("-")) > MAX_INT_DIGITS:
        raise _HugeNumber(len(digits.lstrip("-")))
    return int(digits)


class _HugeNumber(ValueError):
    def __init__(self, digits: int) -> None:
        super().__init__(digits)
        self.digits = digits


def loads_json(text: str, where: str) -> Any:
    """``json.loads`` that turns what a hostile document can make it raise into one clear
    :class:`InputError` naming ``where`` (syntax errors stay ``json.JSONDecodeError``): nesting
    deeper than the interpreter's recursion limit, and integers of more than
    :data:`MAX_INT_DIGITS` digits.  Lone surrogates ("\\ud800") are replaced by U+FFFD
    (:func:`scrub_surrogates`), with a warning naming ``where``."""
    try:
        obj = json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise InputError(where, "JSON nested too deeply (arrays or objects inside one another "
                                "beyond Python's recursion limit)") from None
    except _HugeNumber as exc:
        raise InputError(where, f"JSON number with {exc.digits} digits (more than {MAX_INT_DIGITS})") from None
    except ValueError as exc:  # anything else the parser refuses
        raise InputError(where, f"invalid JSON: {exc}") from exc
    if "\\u" in text and _has_surrogate(obj):
        obj = _scrub(obj)
        logger.warning("%s: lone UTF-16 surrogate escape(s) in JSON strings replaced with U+FFFD", where)
    return obj


_SURROGATE = re.compile("[\ud800-\udfff]")


def scrub_surrogates(text: str) -> str:
    """``text`` with every lone surrogate code point (unencodable as UTF-8) replaced by U+FFFD."""
    if text.isascii() or not _SURROGATE.search(text):
        return text  # the same object: callers test ``is`` to see whether anything changed
    return _SURROGATE.sub("\ufffd", text)


def _has_surrogate(obj: Any) -> bool:
    stack = [obj]  # iterative: the value may be nested nearly as deep as the parser allows
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not item.isascii() and _SURROGATE.search(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _scrub(obj: Any) -> Any:
    """A copy of a parsed JSON value with :func:`scrub_surrogates` applied to every string (iteratively)."""
    if isinstance(obj, str):
        return scrub_surrogates(obj)
    root: list[Any] = [obj]
    stack: list[tuple[Any, Any]] = [(root, 0)]  # (container, key) whose value is still to be scrubbed
    while stack:
        parent, key = stack.pop()
        value = parent[key]
        if isinstance(value, str):
            parent[key] = scrub_surrogates(value)
        elif isinstance(value, dict):
            copy = {scrub_surrogates(k): v for k, v in value.items()}
            parent[key] = copy
            stack.extend((copy, k) for k in copy)
        elif isinstance(value, list):
            items = list(value)
            parent[key] = items
            stack.extend((items, i) for i in range(len(items)))
    return root[0]


#: unknown fields nested deeper than this are not kept in ``meta`` (copying or pickling them could
#: exhaust the interpreter's recursion limit; no article field needs such depth)
_MAX_META_DEPTH = 32


def _shallow(value: Any, name: str, where: str) -> bool:
    """Whether an unknown field's value is nested at most :data:`_MAX_META_DEPTH` deep (else warned, dropped)."""
    stack = [(value, 0)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, (dict, list)):
            if depth >= _MAX_META_DEPTH:
                logger.warning("%s: field %r nested more than %d deep; not kept", where, name, _MAX_META_DEPTH)
                return False
            stack.extend((v, depth + 1) for v in (item.values() if isinstance(item, dict) else item))
    return True


def _type_name(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}.get(
        type(value), f"a number ({value!r})" if isinstance(value, (int, float)) else type(value).__name__
    )


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SPACES.sub(" ", value).strip()
    return value or None


def _fold(value: str) -> str:
    return _SPACES.sub(" ", value).strip().casefold()


def _normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")
