"""The one date grammar of newsdesk: calendar dates, partial dates and vague periods in English news text.

Two questions are answered here, and nowhere else:

* :func:`find_date` — the first *absolute* calendar date written in a short string (a date line,
  a byline: "Oct. 9, 2020", "9 October 2020", "2020-10-09", "10/09/2020"), used by the cleaner to
  read an article's publication date; :func:`parse_absolute` is its dateparser fallback for rarer
  spellings ("the 9th of October, 2020").
* :func:`find_dates` — every date expression of an article's text, resolved against the article's
  publication date, used by the timeline:

  - explicit dates ("October 9, 2020", "9 Oct 2020", "2020-10-09") as they are;
  - dates without a year ("Sept. 27", "on 28 April") in the year that puts them closest to the
    publication date;
  - weekday names ("on Friday", "late Thursday", "Monday's shelling") as the latest such day on or
    before publication — the past tense of news — unless the clause speaks of the future ("will",
    "due to", "is set to" ...), then the next one;
  - relative expressions ("yesterday", "last month", "this year", "next month");
  - months ("in March") at the nearest such month, years ("in 2003", "since 1998", "the 2003 truce");
  - **periods**: decades ("the 1990s", "the early 1990s") and year ranges ("1991-94") are kept as
    what they are — a :class:`DateMention` with ``period`` set ("1990s", "early 1990s",
    "1991–1994") — never as the decade's or range's first year.

  Partial dates stay partial: ``date`` is "YYYY", "YYYY-MM" or "YYYY-MM-DD".  An article with no
  publication date gets only the dates that need no reference (a stated date, month of a stated
  year, year, period): nothing is guessed.

Why regular expressions and not dateparser for the text scan: on the 95 DUC 2004 articles of
``benchmarks/bench_timeline_quotes.py`` ``dateparser.search_dates`` takes 19x longer than
:func:`find_dates`, and on the visible Timeline17 sets it neither resolves weekdays against the
publication date nor keeps partial dates partial (it fills a missing day or year from *today*).
dateparser is used where it reads better than the patterns: whole short strings in unusual absolute
spellings (:func:`parse_absolute`).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import re
from dataclasses import dataclass

__all__ = [
    "DateMention", "MONTH_PATTERN", "YEAR_PATTERN", "month_number", "find_date", "parse_absolute",
    "find_dates", "date_key", "date_bounds", "period_bounds",
]

# ---------------------------------------------------------------------------------------------------
# Vocabulary

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

#: A month name or abbreviation, any case, as a non-capturing regex fragment (use with re.I).
MONTH_PATTERN = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
                 r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
#: A four-digit year of the 20th or 21st century.
YEAR_PATTERN = r"(?:19|20)\d\d"


def month_number(name: str) -> int:
    """1-12 for a month name or abbreviation ("Sept.", "october")."""
    key = name.lower().rstrip(".")
    return _MONTHS.get(key) or _MONTHS[key[:3]]


def _valid(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------------
# Absolute dates in short strings (date lines, bylines)

_ABSOLUTE = [
    ("ymd", re.compile(rf"\b(?P<y>{YEAR_PATTERN})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})\b")),
    ("dmy", re.compile(rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<mon>{MONTH_PATTERN}),?\s+"
                       rf"(?P<y>{YEAR_PATTERN})\b", re.I)),
    ("mdy", re.compile(rf"\b(?P<mon>{MONTH_PATTERN})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y>{YEAR_PATTERN})\b",
                       re.I)),
    ("num", re.compile(rf"\b(?P<a>\d{{1,2}})(?P<sep>[/.])(?P<b>\d{{1,2}})[/.](?P<y>{YEAR_PATTERN})\b")),
]


def find_date(s: str) -> tuple[_dt.date | None, list[tuple[int, int]]]:
    """The first absolute calendar date written in ``s`` and the spans of every date-like match."""
    found: _dt.date | None = None
    first = len(s) + 1
    spans: list[tuple[int, int]] = []
    for kind, rx in _ABSOLUTE:
        for m in rx.finditer(s):
            g = m.groupdict()
            y = int(g["y"])
            if kind == "num":
                a, b = int(g["a"]), int(g["b"])
                mo, d = (a, b) if g["sep"] == "/" else (b, a)  # 10/08/2020 (US) vs 08.10.2020
                if mo > 12:
                    mo, d = d, mo
            elif kind == "ymd":
                mo, d = int(g["m"]), int(g["d"])
            else:
                mo, d = month_number(g["mon"]), int(g["d"])
            date = _valid(y, mo, d)
            if date is None:
                continue
            spans.append(m.span())
            if m.start() < first:
                found, first = date, m.start()
    return found, spans


def parse_absolute(s: str) -> _dt.date | None:
    """A whole short string in an unusual absolute spelling ("the 9th of October, 2020") by dateparser,
    English only, day, month and year all required (nothing filled in from today)."""
    if not re.search(YEAR_PATTERN, s):
        return None
    try:
        import dateparser
    except ImportError:  # pragma: no cover - dateparser is a dependency
        return None
    try:
        got = dateparser.parse(s, languages=["en"], settings={
            "REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False,
            "PARSERS": ["custom-formats", "absolute-time"], "STRICT_PARSING": True})
    except Exception:  # noqa: BLE001 - dateparser raises assorted errors on odd input
        return None
    return got.date() if got else None


# ---------------------------------------------------------------------------------------------------
# Date expressions in running text

_MON = (r"(?P<mon>January|February|March|April|May|June|July|August|September|October|November|December"
        r"|Jan\.?|Feb\.?|Mar\.|Apr\.?|Jun\.?|Jul\.?|Aug\.?|Sept\.?|Sep\.?|Oct\.?|Nov\.?|Dec\.?)")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"

# Ordered: the first pattern that matches at a position wins (longest forms first).
_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b")),
    ("mdy", re.compile(rf"\b{_MON}[ \t]+{_DAY}[ \t]*,?[ \t]+{_YEAR}\b")),
    ("dmy", re.compile(rf"\b{_DAY}[ \t]+(?:of[ \t]+)?{_MON}[ \t]*,?[ \t]+{_YEAR}\b")),
    ("md", re.compile(rf"\b{_MON}[ \t]+{_DAY}\b(?![,.]?\d)(?![ \t]*(?:%|percent|per[ \t]+cent))")),
    ("dm", re.compile(rf"\b{_DAY}[ \t]+(?:of[ \t]+)?{_MON}(?![a-z])")),
    ("my", re.compile(rf"\b{_MON}[ \t]*,?[ \t]+(?:of[ \t]+)?{_YEAR}\b")),
    ("month", re.compile(
        r"\b(?P<prep>(?i:in|since|until|till|by|from|through|during|early|late|mid-?|last|next|this|before|after))"
        r"[ \t]+(?:early[ \t]+|late[ \t]+|mid-?)?" + _MON.replace("|Mar\\.|", "|") + r"(?![a-z])")),
    ("weekday", re.compile(
        r"\b(?:(?P<rel>(?i:last|next|this|on|late|early|overnight|since|until|by|from))[ \t]+)?"
        r"(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)\b")),
    ("yesterday", re.compile(r"\b(?:yesterday|the day before)\b", re.I)),
    ("today", re.compile(r"\b(?:today|tonight|this (?:morning|afternoon|evening))\b", re.I)),
    ("tomorrow", re.compile(r"\btomorrow\b", re.I)),
    ("lastnight", re.compile(r"\blast night\b", re.I)),
    ("relmonth", re.compile(r"\b(?P<rel>last|this|next|earlier this|later this)[ \t]+month\b", re.I)),
    ("relyear", re.compile(r"\b(?P<rel>last|this|next|earlier this|later this)[ \t]+year\b", re.I)),
    ("decade", re.compile(
        r"\b(?:the[ \t]+)?(?:(?P<part>early|mid|late)(?:-|[ \t]+))?(?P<year>(?:1[89]|20)\d0)'?s\b", re.I)),
    ("range", re.compile(
        r"\b(?P<year>(?:1[89]|20)\d\d)[ \t]*[-–—/][ \t]*(?P<end>(?:1[89]|20)\d\d|\d\d)\b(?![-–]\d)")),
    ("year", re.compile(
        r"(?:\b(?:in|since|of|from|until|till|by|before|after|during|around|between|and|to|early|late|mid-?|"
        r"a|an|the|circa)[ \t]+(?:the[ \t]+)?(?:year[ \t]+)?|^)" + _YEAR + r"\b(?![-–.,]?\d)(?![ \t]*(?:%|percent))",
        re.I)),
]

# Words that put a weekday, month or undated day in the future of the publication date.
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|would|due\s+(?:to|on)|set\s+(?:to|for)|scheduled|slated|expected\s+to|plans?\s+to|planned|"
    r"is\s+to|are\s+to|"
    r"to\s+be\s+held|upcoming|next|later\s+this)\b",
    re.I)
# Clause boundaries that end the look-back for future words.
_BOUNDARY = re.compile(r"[;:.!?]|\b(?:said|says|told|announced|added|after|when|while|but)\b")
# How far back (characters) to look for a future word in the clause of a date.
FUTURE_WINDOW = 80


@dataclass(frozen=True)
class DateMention:
    """A date expression ``text[start:end]``.

    ``date`` is a point in time as "YYYY", "YYYY-MM" or "YYYY-MM-DD".  For a period (a decade or a
    range of years) ``period`` names it as written ("1990s", "early 1990s", "1991–1994") and ``date``
    is only its sort key (the first year): show ``period``, never ``date``, for such a mention.
    """

    start: int
    end: int
    phrase: str
    date: str
    kind: str  # which rule matched (iso, mdy, md, weekday, relmonth, year, decade, range, ...)
    period: str | None = None
    last: str | None = None  # a period's last year ("1999" for the 1990s)

    @property
    def when(self) -> str:
        """What to show: the period's name, else the date."""
        return self.period or self.date


def date_key(date: str) -> tuple[int, int, int]:
    """Sort key of a partial date: "2020" < "2020-10" < "2020-10-09" < "2020-11"."""
    parts = [int(p) for p in date.split("-")]
    while len(parts) < 3:
        parts.append(0)
    return parts[0], parts[1], parts[2]


def date_bounds(date: str) -> tuple[_dt.date, _dt.date]:
    """First and last day of a partial date ("2020-02" -> 2020-02-01, 2020-02-29)."""
    y, m, d = date_key(date)
    if d:
        day = _dt.date(y, m, d)
        return day, day
    if m:
        return _dt.date(y, m, 1), _dt.date(y, m, calendar.monthrange(y, m)[1])
    return _dt.date(y, 1, 1), _dt.date(y, 12, 31)


def period_bounds(m: DateMention) -> tuple[_dt.date, _dt.date]:
    """First and last day of what a mention covers (a period's years, else its date's days)."""
    first, last = date_bounds(m.date)
    if m.last:
        last = _dt.date(int(m.last), 12, 31)
    return first, last


def _future(text: str, start: int) -> bool:
    window = text[max(0, start - FUTURE_WINDOW):start]
    if re.search(r"\b(?:since|last|ago)\s*$", window, re.I):
        return False
    cut = 0
    for m in _BOUNDARY.finditer(window):
        cut = m.end()
    return bool(_FUTURE.search(window[cut:]))


def _shift_month(d: _dt.date, k: int) -> tuple[int, int]:
    n = d.year * 12 + (d.month - 1) + k
    return n // 12, n % 12 + 1


_PARTS = {"early": (0, 3), "mid": (3, 6), "late": (6, 9)}


def _period(kind: str, g: dict[str, str], ref: _dt.date | None) -> tuple[str, str, str] | None:
    """(first year, last year, name) of a decade or a range of years, or None when it is no period."""
    y = int(g["year"])
    if kind == "decade":
        if y % 10:
            return None
        part = (g.get("part") or "").lower()
        lo, hi = _PARTS.get(part, (0, 9))
        if ref is not None and y + lo > ref.year:
            return None  # a decade still to come is a forecast, not an event
        return f"{y + lo:04d}", f"{y + hi:04d}", (f"{part}-{y}s" if part == "mid" else f"{part} {y}s").strip()
    end = g["end"]
    last = int(end) if len(end) == 4 else (y // 100) * 100 + int(end)
    if last <= y or last - y > 50 or (ref is not None and y > ref.year + 10):
        return None
    return f"{y:04d}", f"{last:04d}", f"{y}–{last}"


def _resolve_day(kind: str, g: dict[str, str], ref: _dt.date, future: bool) -> str | None:
    """A day of the month without a year ("Sept. 27"): the nearest such day, the next one in a future clause."""
    mon, day = month_number(g["mon"]), int(g["day"])
    cands = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _valid(y, mon, day))]
    if not cands:
        return None
    if future:  # the next such day, when it is within half a year
        later = [d for d in cands if 0 <= (d - ref).days <= 183]
        cands = later or cands
    return min(cands, key=lambda d: (abs((d - ref).days), d > ref)).isoformat()


def _resolve_month(g: dict[str, str], ref: _dt.date, future: bool) -> str:
    mon = month_number(g["mon"])
    prep = g["prep"].lower()
    months = [(y, mon) for y in (ref.year - 1, ref.year, ref.year + 1)]
    here = (ref.year, ref.month)
    if prep == "last":
        months = [c for c in months if c < here]
    elif prep == "next" or future:
        months = [c for c in months if c >= here] or months
    month = min(months, key=lambda c: (abs((c[0] * 12 + c[1]) - (here[0] * 12 + here[1])), c > here))
    return f"{month[0]:04d}-{month[1]:02d}"


def _resolve_weekday(g: dict[str, str], ref: _dt.date, future: bool) -> str:
    wd = _WEEKDAYS[g["wd"].lower()]
    rel = (g["rel"] or "").lower()
    if rel == "next" or (rel != "last" and future):
        delta = (wd - ref.weekday()) % 7
        if rel == "next" and delta == 0:
            delta = 7
    else:
        delta = -((ref.weekday() - wd) % 7)
        if rel == "last" and delta == 0:
            delta = -7
    return (ref + _dt.timedelta(days=delta)).isoformat()


_DAY_SHIFT = {"yesterday": -1, "lastnight": -1, "today": 0, "tomorrow": 1}


def _resolve_relative(kind: str, g: dict[str, str], ref: _dt.date, future: bool) -> str | None:
    """Everything that needs the publication date."""
    if kind in ("md", "dm"):
        return _resolve_day(kind, g, ref, future)
    if kind == "month":
        return _resolve_month(g, ref, future)
    if kind == "weekday":
        return _resolve_weekday(g, ref, future)
    if kind in _DAY_SHIFT:
        return (ref + _dt.timedelta(days=_DAY_SHIFT[kind])).isoformat()
    k = {"last": -1, "next": 1}.get(g["rel"].lower(), 0)
    if kind == "relmonth":
        y, mo = _shift_month(ref, k)
        return f"{y:04d}-{mo:02d}"
    return f"{ref.year + k:04d}"  # relyear


def _resolve(kind: str, m: re.Match[str], text: str, ref: _dt.date | None) -> str | None:
    g = m.groupdict()
    if kind == "iso":
        d = _valid(int(g["year"]), int(g["m"]), int(g["d"]))
        return d.isoformat() if d else None
    if kind in ("mdy", "dmy"):
        d = _valid(int(g["year"]), month_number(g["mon"]), int(g["day"]))
        return d.isoformat() if d else None
    if kind == "my":
        return f"{int(g['year']):04d}-{month_number(g['mon']):02d}"
    if kind == "year":
        y = int(g["year"])
        return None if ref is not None and y > ref.year + 10 else f"{y:04d}"
    if ref is None:
        return None  # everything below needs the publication date: never guess it
    return _resolve_relative(kind, g, ref, _future(text, m.start()))


def _mention(kind: str, m: re.Match[str], text: str, ref: _dt.date | None) -> DateMention | None:
    start, end = m.span()
    if kind == "year":
        start = m.start("year")  # the year itself, not the word that introduced it
    if kind in ("decade", "range"):
        got = _period(kind, m.groupdict(), ref)
        if got is None:
            return None
        first, last, name = got
        return DateMention(start, end, text[start:end], first, kind, period=name, last=last)
    date = _resolve(kind, m, text, ref)
    return DateMention(start, end, text[start:end], date, kind) if date else None


def find_dates(text: str, published: _dt.date | None) -> list[DateMention]:
    """Every date expression of ``text``, resolved against ``published`` (may be None), in text order.

    Of overlapping matches the one of the earlier pattern (the more specific form,
    e.g. "October 9, 2020" over "October 9") is kept.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            got = _mention(kind, m, text, published)
            if got is None or any(s < got.end and got.start < e for s, e in taken):
                continue
            taken.append((got.start, got.end))
            found.append(got)
    found.sort(key=lambda d: d.start)
    return found
