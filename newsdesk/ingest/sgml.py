"""DUC / TREC newswire SGML: ``<DOC>`` records with ``<DOCNO>``, a date, a headline and ``<TEXT>``.

The layout of the LDC newswire collections used by DUC and TREC (AQUAINT, TIPSTER)::

    <DOC>
    <DOCNO> XIE19980304.0061 </DOCNO>
    <DATE_TIME> 1998-03-04 10:53:00 </DATE_TIME>
    <HEADLINE> Ministers meet on the budget </HEADLINE>
    <TEXT>
    <P> First paragraph ... </P>
    <P> Second paragraph ... </P>
    </TEXT>
    </DOC>

A file may hold several ``<DOC>`` records.  Each becomes one article: the text is the paragraphs of
``<TEXT>`` (``<P>`` elements, else blank-line separated blocks) with every tag removed and SGML entities
decoded; the title is ``<HEADLINE>`` (or ``<HL>``, ``<HEAD>``, ``<TITLE>``); the date is ``<DATE_TIME>``
(or ``<DATE>``, ``<PUBDATE>``), else the ``YYYYMMDD`` inside the DOCNO (the collections' naming rule);
``<DATELINE>`` and ``<BYLINE>`` fill the dateline and the author.  ``<ANNOTATION>``, ``<SLUG>`` and
``<TRAILER>`` (editors' codes, not the story) are dropped.

Ids: a file holding one ``<DOC>`` keeps the file's id (the contract's path rule); in a file holding several,
each article's id is its DOCNO (``<file id>#<n>`` when it has none), as a record's ``id`` field would be.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator

from ..errors import InputError
from ..models import Article
from .readers import Source, parse_published

__all__ = ["read_sgml", "looks_like_sgml"]

_DOC = re.compile(r"<DOC(?:\s[^>]*)?>(.*?)(?:</DOC>|(?=<DOC[\s>])|\Z)", re.S | re.I)
_SNIFF = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<DOC(?:\s[^>]*)?>\s*<(?:DOCNO|DOCID)\b",
                    re.S | re.I)
_DROP = re.compile(r"<(ANNOTATION|SLUG|TRAILER|CORRECTION-NOTICE)\b[^>]*>.*?</\1\s*>", re.S | re.I)
_TAG = re.compile(r"</?[A-Za-z][\w.:-]*(?:\s[^<>]*)?/?>")
_PARA = re.compile(r"<P(?:\s[^>]*)?>(.*?)(?=</P\s*>|<P[\s>]|\Z)", re.S | re.I)
_DOCNO_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)(\d\d)(\d\d)(?!\d)")
_BY = re.compile(r"^by\s+", re.I)


def looks_like_sgml(head: bytes) -> bool:
    """Does the file start like a DUC / TREC SGML collection file (``<DOC>`` then ``<DOCNO>``)?"""
    return bool(_SNIFF.match(head.removeprefix(b"\xef\xbb\xbf")))


def _field(doc: str, *names: str) -> str | None:
    for name in names:
        m = re.search(rf"<{name}(?:\s[^>]*)?>(.*?)</{name}\s*>", doc, re.S | re.I)
        if m:
            text = " ".join(html.unescape(_TAG.sub(" ", m.group(1))).split())
            if text:
                return text
    return None


def _paragraphs(doc: str) -> list[str]:
    bodies = re.findall(r"<TEXT(?:\s[^>]*)?>(.*?)(?:</TEXT\s*>|\Z)", doc, re.S | re.I)
    out: list[str] = []
    for body in bodies:
        body = _DROP.sub(" ", body)
        # a paragraph is a <P> element, else a block after a blank line or an indented first line
        parts = ([m.group(1) for m in _PARA.finditer(body)] if _PARA.search(body)
                 else re.split(r"\n\s*\n|\n(?=[ \t]+\S)", body))
        for part in parts:
            text = " ".join(html.unescape(_TAG.sub(" ", part)).split())  # wrapped lines joined, tags dropped
            if text:
                out.append(text)
    return out


def _date(doc: str, docno: str | None, where: str) -> dt.date | None:
    raw = _field(doc, "DATE_TIME", "DATE", "PUBDATE", "DATETIME")
    if raw:
        for candidate in (raw, raw.split()[0]):
            try:
                return parse_published(candidate)
            except ValueError:
                pass
        m = re.match(r"(\d{1,2})/(\d{1,2})/((?:19|20)?\d\d)\b", raw)  # 10/16/1998 (US month first)
        if m:
            year = int(m.group(3)) + (1900 if len(m.group(3)) == 2 else 0)
            try:
                return dt.date(year, int(m.group(1)), int(m.group(2)))
            except ValueError:
                pass
    m = _DOCNO_DATE.search(docno or "")
    if m:
        try:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError:
            return None
    return None


def read_sgml(source: Source) -> Iterator[Article]:
    """Every ``<DOC>`` of a DUC / TREC SGML file as an article (see the module docstring)."""
    text = source.decode().text
    docs = [m.group(1) for m in _DOC.finditer(text)]
    if not docs:
        raise InputError(source.name, "no <DOC> record in this SGML file")
    for n, doc in enumerate(docs, 1):
        docno = _field(doc, "DOCNO", "DOCID")
        paragraphs = _paragraphs(doc)
        where = f"{source.name}#{n}"
        if not paragraphs:
            source.report(InputError(where, "no <TEXT> in this <DOC>" + (f" ({docno})" if docno else "")))
            continue
        author = _field(doc, "BYLINE")
        meta = {"format": "sgml", "location": source.name, **({"docno": docno} if docno else {})}
        yield Article(
            id=source.id if len(docs) == 1 else docno or f"{source.id}#{n}",
            text="\n\n".join(paragraphs),
            raw_text="\n\n".join(paragraphs),
            title=_field(doc, "HEADLINE", "HL", "HEAD", "TITLE"),
            published=_date(doc, docno, where),
            author=_BY.sub("", author) if author else None,
            dateline=(_field(doc, "DATELINE") or "").strip(" ,-—_") or None,
            meta=meta,
        )
