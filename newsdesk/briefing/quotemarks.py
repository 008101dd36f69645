"""Quotation marks as real pages have them: which spans of a text are inside quotation marks.

:func:`find_quotations` returns every direct quotation of a text as one or more
:class:`Piece` spans (offsets of the quoted words, marks excluded).  A quotation has
several pieces when it runs over paragraphs (the closing mark omitted at the end of
each paragraph but the last, the next paragraph opening with a mark again).

Marks understood, paragraph by paragraph (paragraphs are separated by blank lines):

- typographic double quotes “…” (and a closing ” misused as an opener, or “ as a
  closer, decided by the spaces around it), guillemets «…» and »…«, low-high „…“;
- straight double quotes "…" and doubled apostrophes ''…'' (their direction decided by
  the spaces around them), newswire ``…'';
- a straight or curly quote of the other kind inside a quotation is nested (a quote
  within the quote) and does not close it;
- single quotes ‘…’ / '…' are read as quotation marks only in a text that has no double
  quotation mark at all (British style), and only where they open before a word and
  close after one, so that apostrophes ("don't", "the Joneses'") never count.

A mark left open at the end of a paragraph is a quotation that runs on when the next
paragraph opens with a mark, or that fills its paragraph from the opening mark; any
other unclosed mark is a stray and opens nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Piece", "Quotation", "find_quotations", "paragraph_spans"]

_PARA = re.compile(r"\n\s*\n")
_DOUBLE = re.compile(r"``|''|[“”\"«»„]")
_SINGLE = re.compile(r"[‘’']")
_OPEN_ONLY = frozenset({"``", "«", "„"})
_CLOSE_ONLY = frozenset({"»"})
_PAIRS = {"“": "”", "”": "”", "«": "»", "»": "«", "„": "“", "``": "''", '"': '"', "''": "''", "‘": "’", "'": "'"}
_OPENING_CONTEXT = " \t\n([{—–-/:;,"


@dataclass(frozen=True)
class Piece:
    """The quoted words of one paragraph of a quotation (marks excluded); ``open_at`` is the
    offset of the opening mark, ``close_at`` the end of the closing one (the paragraph end
    when the mark was omitted there)."""

    start: int
    end: int
    open_at: int
    close_at: int


@dataclass(frozen=True)
class Quotation:
    """One direct quotation: one piece, or one per paragraph when it runs over paragraphs."""

    pieces: tuple[Piece, ...]

    @property
    def start(self) -> int:
        return self.pieces[0].start

    @property
    def end(self) -> int:
        return self.pieces[-1].end


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of every paragraph of ``text`` (blank-line separated)."""
    out, pos = [], 0
    for m in _PARA.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _is_opener(text: str, i: int, n: int) -> bool:
    """A mark at ``text[i:i+n]`` placed as an opener: at a start or after a space or an
    opening punctuation, and before a word."""
    before = text[i - 1] if i > 0 else " "
    after = text[i + n] if i + n < len(text) else " "
    return (before in _OPENING_CONTEXT or before in "“‘«„") and not after.isspace()


def _is_closer(text: str, i: int, n: int) -> bool:
    before = text[i - 1] if i > 0 else " "
    after = text[i + n] if i + n < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _scan(text: str, a: int, b: int, marks: re.Pattern[str]) -> tuple[list[tuple[int, int, int, int]], int | None]:
    """Closed quotations of paragraph ``text[a:b]`` as (open, start, end, close) and the
    position of a mark left open at its end (or None)."""
    out: list[tuple[int, int, int, int]] = []
    opened: tuple[int, str, int] | None = None  # (mark offset, mark, content start)
    nested = False
    for m in marks.finditer(text, a, b):
        mk, i, n = m.group(), m.start(), len(m.group())
        if opened is None:
            if mk in _CLOSE_ONLY and not _is_opener(text, i, n):
                continue
            if mk in _OPEN_ONLY or _is_opener(text, i, n) or (mk == "“" and not _is_closer(text, i, n)):
                opened, nested = (i, mk, i + n), False
            continue
            # a closing mark with nothing open is a stray
        o_at, o_mark, c_start = opened
        closes = mk == _PAIRS.get(o_mark) or (o_mark in "“„" and mk == "”") or (o_mark == "``" and mk == "''")
        if mk == "“" and o_mark == "“" and _is_closer(text, i, n) and not _is_opener(text, i, n):
            closes = True  # “…“ : an opening mark misused as the closing one
        if not closes and mk in ('"', "''") and o_mark not in ('"', "''"):
            if nested:  # the end of a quote within the quote
                nested = False
            elif _is_opener(text, i, n):
                nested = True
            elif _is_closer(text, i, n):
                closes = True  # “…" : mixed marks
            continue
        if closes and mk in ('"', "''", "'", "’", "‘") and not _is_closer(text, i, n) and _is_opener(text, i, n):
            # a new opening while one is open: the previous one was never closed
            opened, nested = (i, mk, i + n), False
            continue
        if closes:
            out.append((o_at, c_start, i, i + n))
            opened = None
    return out, (opened[0] if opened else None)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def find_quotations(text: str) -> list[Quotation]:
    """Every quotation of ``text`` in order (see the module docstring for the marks)."""
    paras = paragraph_spans(text)
    single = not _DOUBLE.search(text)
    marks = re.compile(r"[‘’]|(?<![A-Za-z])'|'(?![A-Za-z])") if single else _DOUBLE
    out: list[Quotation] = []
    running: list[Piece] = []  # pieces of a quotation that runs on from the previous paragraph
    for k, (a, b) in enumerate(paras):
        pieces, left_open = _paragraph_pieces(text, a, b, marks, single)
        at_start = [p for p in pieces if not text[a:p.open_at].strip()]
        if running and at_start:  # the run-on quotation closes in this paragraph
            out.append(Quotation((*running, at_start[0])))
            pieces, running = pieces[1:], []
        out.extend(Quotation((p,)) for p in pieces)
        open_piece = None
        if left_open is not None:
            s, e = _trim(text, left_open + (2 if text.startswith("``", left_open) else 1), b)
            if e > s:
                open_piece = Piece(s, e, left_open, b)
        # an unclosed mark that opens the paragraph, or runs to a paragraph ending a sentence
        fills = open_piece is not None and (not text[a:left_open].strip() or (
            len(text[open_piece.start:b].split()) >= 3 and text[:b].rstrip()[-1:] in ".!?…"))
        runs_on = open_piece is not None and k + 1 < len(paras) and _opens_paragraph(text, paras[k + 1][0], marks)
        if running and not (fills and not pieces):
            out.append(Quotation(tuple(running)))  # the run-on quotation ended with the last paragraph
            running = []
        if open_piece is not None and runs_on:
            running.append(open_piece)
        elif open_piece is not None and (fills or running):
            out.append(Quotation((*running, open_piece)))
            running = []
        # any other mark left open is a stray
    if running:
        out.append(Quotation(tuple(running)))
    out.sort(key=lambda q: q.start)
    return out


def _paragraph_pieces(text: str, a: int, b: int, marks: re.Pattern[str], single: bool
                      ) -> tuple[list[Piece], int | None]:
    closed, left_open = _scan(text, a, b, marks)
    pieces = []
    for o, s, e, c in closed:
        if single and not (_is_opener(text, o, 1) and _is_closer(text, e, 1)):
            continue
        s2, e2 = _trim(text, s, e)
        if e2 > s2:
            pieces.append(Piece(s2, e2, o, c))
    return pieces, left_open


def _opens_paragraph(text: str, a: int, marks: re.Pattern[str]) -> bool:
    m = marks.match(text, a)
    return m is not None and _is_opener(text, m.start(), len(m.group()))
