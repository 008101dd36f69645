"""RSS, Atom and OPML readers (feedparser).

A feed gives one article per entry: its text is the entry's content (or summary; HTML is
turned into paragraphs), its title, link, author and date come from the entry, and its
outlet is the feed's title.  With ``options.follow_links`` the page the entry links to is
fetched and read as HTML instead (the entry's own text is the fallback when that fails).
An entry's id is its ``<guid>``/``<id>``, else ``<feed id>#<n>`` (n from 1, in feed order).

feedparser reads what it can from broken XML ("bozo" feeds): a feed whose XML is broken
but still yields entries is read, with a warning; one yielding nothing is an
:class:`InputError`.  An entry without any text is reported as ``<feed>#<n>`` and skipped;
the other entries are read.

An OPML file is a list of feeds (``<outline xmlUrl=...>``): each is fetched and read as a
feed, and a feed that fails is reported on its own (by URL).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import Any

from ..errors import InputError, MissingExtraError
from ..models import Article
from .readers import Source, extract_html

__all__ = ["read_feed", "read_opml", "html_to_text", "is_opml", "NO_ENTRIES"]

#: the reason of the InputError for a well-formed feed without entries (``newsdesk watch``: not a failure)
NO_ENTRIES = "feed has no entries"

logger = logging.getLogger("newsdesk.ingest")

_BLOCKS = frozenset("p div br li h1 h2 h3 h4 h5 h6 blockquote tr pre section article figcaption ul ol".split())
_SPACES = re.compile(r"[ \t\r\f\v]+")
_OPML_ROOT = re.compile(rb"<opml[\s>]", re.I)


def is_opml(data: bytes) -> bool:
    return bool(_OPML_ROOT.search(data[:4096]))


def html_to_text(fragment: str) -> str:
    """The text of an HTML fragment, one paragraph per block element, blank-line separated."""
    if "<" not in fragment:
        return fragment.strip()
    from lxml import etree, html

    try:
        root = html.fragment_fromstring(fragment, create_parent="div")
    except (etree.ParserError, ValueError):
        return re.sub(r"<[^>]+>", " ", fragment).strip()
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    parts: list[str] = []

    def walk(el: Any) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _BLOCKS:
            parts.append("\n\n")
        if el.text and tag:
            parts.append(el.text)
        for child in el:
            walk(child)
            if child.tail:
                parts.append(child.tail)
        if tag in _BLOCKS:
            parts.append("\n\n")

    walk(root)
    paragraphs = (_SPACES.sub(" ", p).strip() for p in "".join(parts).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def _feedparser() -> Any:
    try:
        import feedparser
    except ImportError as exc:  # pragma: no cover - a core dependency
        raise MissingExtraError("feedparser", "ingest") from exc
    return feedparser


def _date(entry: Any) -> dt.date | None:
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return dt.date(value.tm_year, value.tm_mon, value.tm_mday)
            except (ValueError, AttributeError):
                continue
    return None


def _timestamp(entry: Any) -> float | None:
    """The entry's date and time (UTC, seconds since the epoch): ``Article.published`` keeps the day only."""
    import calendar

    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = entry.get(key)
        if value:
            try:
                return float(calendar.timegm(value))
            except (ValueError, TypeError, OverflowError):
                continue
    return None


def _entry_text(entry: Any) -> str:
    candidates: list[tuple[str, str]] = []
    for content in entry.get("content") or []:
        candidates.append((content.get("value") or "", content.get("type") or ""))
    if entry.get("summary"):
        detail = entry.get("summary_detail") or {}
        candidates.append((entry["summary"], detail.get("type") or "text/html"))
    best = ""
    for value, kind in candidates:
        text = html_to_text(value) if "html" in kind or "<" in value else value.strip()
        if len(text) > len(best):
            best = text
    return best


def read_feed(source: Source) -> Iterator[Article]:
    """Articles from an RSS/Atom feed (or an OPML list of feeds)."""
    if is_opml(source.data):
        yield from read_opml(source)
        return
    if not source.data.strip():
        raise InputError(source.name, "empty file")
    feedparser = _feedparser()
    try:  # bytes, never a str: feedparser would take a str for a URL or a path and open it
        parsed = feedparser.parse(source.data, resolve_relative_uris=False, sanitize_html=True)
    except Exception as exc:  # noqa: BLE001 -- whatever breaks in feedparser is this input's problem
        raise InputError(source.name, f"feed could not be parsed: {type(exc).__name__}: {exc}") from exc
    entries = parsed.get("entries") or []
    if parsed.get("bozo"):
        problem = parsed.get("bozo_exception")
        if not entries:
            raise InputError(source.name, f"not a readable RSS/Atom feed: {problem}")
        logger.warning("%s: feed is not well-formed (%s); read %d entries anyway", source.name, problem, len(entries))
    if not entries:
        raise InputError(source.name, NO_ENTRIES)
    info = parsed.get("feed") or {}
    outlet = (info.get("title") or "").strip() or None
    language = info.get("language")
    for n, entry in enumerate(entries, 1):
        where = f"{source.name}#{n}"
        try:
            article = _entry_article(source, entry, n, where, outlet, language)
        except InputError as err:
            source.report(err)
            continue
        except Exception as exc:  # noqa: BLE001 -- a malformed entry must not stop the feed
            source.report(InputError(where, f"unreadable feed entry: {type(exc).__name__}: {exc}"))
            continue
        yield article


def _entry_article(source: Source, entry: Any, n: int, where: str, outlet: str | None,
                   language: str | None) -> Article:
    guid = (entry.get("id") or "").strip()
    title = (entry.get("title") or "").strip() or None
    link = (entry.get("link") or "").strip() or None
    author = (entry.get("author") or "").strip() or None
    published = _date(entry)
    text = _entry_text(entry)
    meta: dict[str, Any] = {"format": "feed", "location": where, "feed": source.name}
    stamp = _timestamp(entry)
    if stamp is not None:
        meta["published_at"] = stamp  # time of day kept here (newsdesk watch orders by it)
    fields: dict[str, Any] = {}
    if source.options.follow_links and link and source.fetch is not None:
        try:
            page = source.fetch(link)
            decoded = Source(id=link, name=link, data=page.data, options=source.options).decode(html=True)
            fields = extract_html(decoded.text, link, source.options)
            meta.update(fields.pop("meta"), format="html", followed=True, url=page.final_url)
        except InputError as err:
            if not text:
                raise InputError(where, f"linked page unreadable ({err.reason}) and the entry has no text") from err
            logger.warning("%s: linked page unreadable (%s); using the entry's own text", where, err.reason)
            fields = {}
    if not fields:
        if not text:
            raise InputError(where, "feed entry has no text (no content or summary)")
        fields = {"text": text, "raw_text": text}
    return Article(
        id=guid or f"{source.id}#{n}",
        text=fields["text"],
        raw_text=fields.get("raw_text", fields["text"]),
        title=title or fields.get("title"),
        source=outlet or fields.get("source"),
        url=link or fields.get("url"),
        published=published or fields.get("published"),
        author=author or fields.get("author"),
        language=fields.get("language") or language,
        meta=meta,
    )


def read_opml(source: Source) -> Iterator[Article]:
    """Every feed listed in an OPML file, fetched and read; a failing feed is reported alone."""
    try:
        root = ET.fromstring(source.data)
    except ET.ParseError as exc:
        raise InputError(source.name, f"invalid OPML: {exc}") from exc
    urls = [o.get("xmlUrl", "").strip() for o in root.iter("outline") if o.get("xmlUrl")]
    if not urls:
        raise InputError(source.name, "OPML lists no feeds (no outline with xmlUrl)")
    if source.fetch is None:
        raise InputError(source.name, "OPML feeds need fetching, which is not available here")
    for url in urls:
        try:
            page = source.fetch(url)
        except InputError as err:
            source.report(err)
            continue
        if is_opml(page.data):
            source.report(InputError(url, "an OPML list inside an OPML list is not followed"))
            continue
        feed = Source(id=url, name=url, data=page.data, options=source.options, report=source.report,
                      fetch=source.fetch, read=source.read)
        try:
            yield from (source.read or read_feed)(feed)
        except InputError as err:
            source.report(err)
