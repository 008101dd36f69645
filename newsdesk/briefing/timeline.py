"""Timeline: dated events of a story, merged across sources and sorted.

Every date expression of an article is found with rules over its text and
resolved against the article's publication date:

* explicit dates ("October 9, 2020", "9 Oct 2020", "2020-10-09") as they are;
* dates without a year ("Sept. 27", "on 28 April") in the year that puts them
  closest to the publication date;
* weekday names ("on Friday", "late Thursday", "Monday's shelling") as the latest
  such day on or before publication — the past tense of news — unless the clause
  speaks of the future ("will", "due to", "is set to" ...), then the next one;
* relative expressions ("yesterday", "last month", "this year", "next month");
* months ("in March") at the nearest such month, years ("in 2003", "since 1998",
  "the 2003 truce"), ranges ("1991-94", kept as their first year) and decades
  ("the early 1990s", kept as the decade's first year).

Partial dates stay partial: "YYYY", "YYYY-MM" or "YYYY-MM-DD".  An article with no
publication date gets only the dates that need no reference (a stated year);
nothing is guessed.

Each sentence that mentions a date is an event of that date (its ``text`` is the
verbatim sentence).  Events of the same date that report the same content
(:func:`newsdesk.briefing.matcher.same_content` over a :class:`StoryIndex`) are merged with
all their sources.  ``dates=N`` keeps the N most important dates, importance being
the number of articles mentioning the date (the mention-count date ranking of the
Datewise method, Gholipour Ghalandari & Ifrim 2020, after Tran et al. 2013).
"""

from __future__ import annotations

import calendar
import datetime as _dt
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import TimelineEvent
from ..nlp import ParsedArticle, ParsedSentence
from ..options import DEFAULT_OPTIONS, Options
from .matcher import StoryIndex, same_content

__all__ = ["DateMention", "find_dates", "build_timeline", "date_key"]

log = logging.getLogger(__name__)

_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4,
    "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11, "nov": 11,
    "december": 12, "dec": 12,
}
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

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
    ("decade", re.compile(r"\b(?:the[ \t]+)?(?P<part>early|mid|mid-|late)?[ \t]*(?P<year>(?:1[89]|20)\d0)'?s\b")),
    ("range", re.compile(r"\b(?P<year>(?:1[89]|20)\d\d)[ \t]*[-–—/][ \t]*(?:(?:1[89]|20)\d\d|\d\d)\b(?![-–]\d)")),
    ("year", re.compile(
        r"(?:\b(?:in|since|of|from|until|till|by|before|after|during|around|between|and|to|early|late|mid-?|"
        r"a|an|the|circa)[ \t]+(?:the[ \t]+)?(?:year[ \t]+)?|^)" + _YEAR + r"\b(?![-–.,]?\d)(?![ \t]*(?:%|percent))",
        re.I)),
]

# Words that put a weekday, month or undated day in the future of the publication date.
_FUTURE = re.compile(
    r"\b(?:will|'ll|shall|would|due\s+to|set\s+to|scheduled|expected\s+to|plans?\s+to|planned|is\s+to|are\s+to|"
    r"to\s+be\s+held|upcoming|next|later\s+this)\b",
    re.I)
# Clause boundaries that end the look-back for future words.
_BOUNDARY = re.compile(r"[;:.!?]|\b(?:said|says|told|announced|added|after|when|while|but)\b")
# How far back (characters) to look for a future word in the clause of a date.
FUTURE_WINDOW = 80


@dataclass(frozen=True)
class DateMention:
    """A date expression ``text[start:end]`` resolved to ``date`` ("YYYY", "YYYY-MM" or "YYYY-MM-DD")."""

    start: int
    end: int
    phrase: str
    date: str
    kind: str  # which rule matched (iso, mdy, md, weekday, relmonth, year, ...)


def date_key(date: str) -> tuple[int, int, int]:
    """Sort key of a partial date: "2020" < "2020-10" < "2020-10-09" < "2020-11"."""
    parts = [int(p) for p in date.split("-")]
    while len(parts) < 3:
        parts.append(0)
    return parts[0], parts[1], parts[2]


def _future(text: str, start: int) -> bool:
    window = text[max(0, start - FUTURE_WINDOW):start]
    if re.search(r"\b(?:since|last|ago)\s*$", window, re.I):
        return False
    cut = 0
    for m in _BOUNDARY.finditer(window):
        cut = m.end()
    return bool(_FUTURE.search(window[cut:]))


def _month_no(name: str) -> int:
    return _MONTHS[name.lower().rstrip(".")]


def _valid(y: int, m: int, d: int) -> _dt.date | None:
    try:
        return _dt.date(y, m, d)
    except ValueError:
        return None


def _shift_month(d: _dt.date, k: int) -> tuple[int, int]:
    n = d.year * 12 + (d.month - 1) + k
    return n // 12, n % 12 + 1


def _resolve(kind: str, m: re.Match[str], text: str, ref: _dt.date | None) -> str | None:
    g = m.groupdict()
    if kind == "iso":
        d = _valid(int(g["year"]), int(g["m"]), int(g["d"]))
        return d.isoformat() if d else None
    if kind in ("mdy", "dmy"):
        d = _valid(int(g["year"]), _month_no(g["mon"]), int(g["day"]))
        return d.isoformat() if d else None
    if kind == "my":
        return f"{int(g['year']):04d}-{_month_no(g['mon']):02d}"
    if kind in ("year", "range"):
        y = int(g["year"])
        if ref is not None and y > ref.year + 10:
            return None
        return f"{y:04d}"
    if kind == "decade":
        y = int(g["year"])
        if y % 10 or (ref is not None and y > ref.year):
            return None
        return f"{y:04d}"
    if ref is None:
        return None  # everything below needs the publication date: never guess it
    future = _future(text, m.start())
    if kind in ("md", "dm"):
        mon, day = _month_no(g["mon"]), int(g["day"])
        cands = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _valid(y, mon, day))]
        if not cands:
            return None
        if future:  # the next such day, when it is within half a year
            later = [d for d in cands if 0 <= (d - ref).days <= 183]
            cands = later or cands
        best = min(cands, key=lambda d: (abs((d - ref).days), d > ref))
        return best.isoformat()
    if kind == "month":
        mon = _month_no(g["mon"])
        prep = g["prep"].lower()
        months = [(y, mon) for y in (ref.year - 1, ref.year, ref.year + 1)]
        here = (ref.year, ref.month)
        if prep == "last":
            months = [c for c in months if c < here]
        elif prep == "next" or future:
            months = [c for c in months if c >= here] or months
        month = min(months, key=lambda c: (abs((c[0] * 12 + c[1]) - (here[0] * 12 + here[1])), c > here))
        return f"{month[0]:04d}-{month[1]:02d}"
    if kind == "weekday":
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
    if kind == "yesterday" or kind == "lastnight":
        return (ref - _dt.timedelta(days=1)).isoformat()
    if kind == "today":
        return ref.isoformat()
    if kind == "tomorrow":
        return (ref + _dt.timedelta(days=1)).isoformat()
    if kind == "relmonth":
        k = {"last": -1, "next": 1}.get(g["rel"].lower(), 0)
        y, mo = _shift_month(ref, k)
        return f"{y:04d}-{mo:02d}"
    if kind == "relyear":
        k = {"last": -1, "next": 1}.get(g["rel"].lower(), 0)
        return f"{ref.year + k:04d}"
    return None  # pragma: no cover - every kind is handled above


def find_dates(text: str, published: _dt.date | None) -> list[DateMention]:
    """Every date expression of ``text``, resolved against ``published`` (may be None), in text order.

    Of overlapping matches the one of the earlier pattern (the more specific form,
    e.g. "October 9, 2020" over "October 9") is kept.
    """
    found: list[DateMention] = []
    taken: list[tuple[int, int]] = []
    for kind, pat in _PATTERNS:
        for m in pat.finditer(text):
            start, end = m.span()
            if kind == "year":
                start = m.start("year")  # the year itself, not the word that introduced it
            if any(s < end and start < e for s, e in taken):
                continue
            date = _resolve(kind, m, text, published)
            if date is None:
                continue
            taken.append((start, end))
            found.append(DateMention(start, end, text[start:end], date, kind))
    found.sort(key=lambda d: d.start)
    return found


@dataclass
class _Event:
    date: str
    ps: ParsedSentence
    bag: frozenset[str]
    sources: list[str]


_SINCE = re.compile(r"\bsince\b[^,;:–—()]*$", re.I)


_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40},[ \t]*$")


def _anchor(text: str, start: int, sentence_start: int) -> bool:
    """True for a date that is not the event's date: the anchor of a period ("killed since
    Sept. 27") or the date of a dateline ("AMUND, 15 May (Agency) –")."""
    if _DATELINE.match(text[sentence_start:start]):
        return True
    return bool(_SINCE.search(text[max(sentence_start, start - 40):start]))


def _mentions(parsed: Sequence[ParsedArticle]) -> list[tuple[str, int, ParsedSentence, bool]]:
    """(date, article position, sentence, primary) for every dated sentence, once per distinct date.

    A sentence's primary date is its first date that is not the anchor of a period
    ("the ministry said on Friday ... killed since April 28" -> Friday), else its first date;
    the sentence is an event of its primary date only, while every date it mentions
    counts towards the importance of that date.
    """
    out: list[tuple[str, int, ParsedSentence, bool]] = []
    for pos, pa in enumerate(parsed):
        text = pa.article.text
        ments = find_dates(text, pa.article.published)
        if not ments:
            continue
        i = 0
        for ps in pa.sentences:
            s0, s1 = ps.sentence.start, ps.sentence.end
            while i < len(ments) and ments[i].start < s0:
                i += 1
            inside = []
            j = i
            while j < len(ments) and ments[j].start < s1:
                inside.append(ments[j])
                j += 1
            if not inside:
                continue
            main = next((m for m in inside if not _anchor(text, m.start, s0)), inside[0])
            seen: set[str] = set()
            for m in inside:
                if m.date not in seen:
                    seen.add(m.date)
                    out.append((m.date, pos, ps, m.date == main.date))
    return out


# Importance of a date with ``dates=N``: articles mentioning it (mentions of a date after the
# article's publication, i.e. plans and schedules, do not count), plus this much per article
# published that day, plus 0.01 per mentioning sentence to break ties.  Tuned on Timeline17 (10
# topics in ../shared/data, date F1 of the date ranking alone): mention count 0.487, ignoring
# future mentions 0.512, adding publications at 0.25: 0.520 (0.5: 0.516, 1.0: 0.492).
PUBLISHED_WEIGHT = 0.25


def _importance(mentions: Sequence[tuple[str, int, ParsedSentence, bool]],
                parsed: Sequence[ParsedArticle]) -> dict[str, float]:
    arts: dict[str, set[int]] = defaultdict(set)
    sents: Counter[str] = Counter()
    for d, pos, _, _ in mentions:
        pub = parsed[pos].article.published
        if pub is not None and len(d) == 10 and d > pub.isoformat():
            continue
        arts[d].add(pos)
        sents[d] += 1
    score = {d: len(a) + 0.01 * sents[d] for d, a in arts.items()}
    for pa in parsed:
        if pa.article.published is not None:
            d = pa.article.published.isoformat()
            score[d] = score.get(d, 0.0) + PUBLISHED_WEIGHT
    return score


def build_timeline(
    parsed: Sequence[ParsedArticle],
    options: Options = DEFAULT_OPTIONS,
    dates: int | None = None,
    *,
    index: StoryIndex | None = None,
) -> list[TimelineEvent]:
    """The story's timeline from its parsed articles (duplicates already removed), sorted by date.

    ``dates`` keeps only the N most important dates, each with at most
    ``options.timeline_events_per_date`` events (the events most sources report);
    without it every dated event is kept.
    """
    mentions = _mentions(parsed)
    if not mentions and dates is None:
        return []
    if dates is not None:
        if dates < 1:
            return []
        imp = _importance(mentions, parsed)
        full = [d for d in imp if len(d) == 10]
        ranked = sorted(full, key=lambda d: (-imp[d], d))
        if len(ranked) < dates:
            ranked += sorted((d for d in imp if len(d) != 10), key=lambda d: (-imp[d], d))
        keep = set(ranked[:dates])
        mentioned = {m[0] for m in mentions}
        primary = {m[0] for m in mentions if m[3]}
        # events of the kept dates; a date only ever mentioned in passing gets those sentences
        mentions = [m for m in mentions if m[0] in keep and (m[3] or m[0] not in primary)]
        for pos, pa in enumerate(parsed):  # a date chosen for its publications: the articles' leads
            pub = pa.article.published.isoformat() if pa.article.published else None
            if pub in keep and pub not in mentioned and pa.sentences:
                mentions.append((pub, pos, pa.sentences[0], True))
    else:
        mentions = [m for m in mentions if m[3]]
    index = index or StoryIndex(parsed)
    ids = [pa.id for pa in parsed]
    threshold = options.attribution_threshold
    by_date: dict[str, list[_Event]] = defaultdict(list)
    for d, pos, ps, _ in mentions:
        aid = ids[pos]
        bag = frozenset(ps.content_stems())
        group = by_date[d]
        for ev in group:
            if ev.ps is ps:
                break
            if same_content(bag, ev.bag, index) >= threshold:
                if aid not in ev.sources:
                    ev.sources.append(aid)
                break
        else:
            group.append(_Event(d, ps, bag, [aid]))
    events: list[TimelineEvent] = []
    for d in sorted(by_date, key=date_key):
        group = by_date[d]
        if dates is not None:
            group = sorted(group, key=lambda e: -len(e.sources))[:options.timeline_events_per_date]
        for ev in group:
            events.append(TimelineEvent(d, ev.ps.sentence.text, tuple(ev.sources)))
    return events
