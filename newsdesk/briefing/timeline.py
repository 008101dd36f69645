"""Timeline: dated events of a story, merged across sources and sorted; background kept apart.

Dates come from the one date grammar (:func:`newsdesk.dates.find_dates`): every date expression of
an article resolved against its publication date, partial dates kept partial, decades and ranges
kept as periods.  An article with no publication date contributes only what it states outright (a
full date, a month of a year, a year, a period); nothing is guessed for it.

Each sentence that mentions a date is an event of its *primary* date: its first date that is not
the anchor of a period ("killed since Sept. 27") or a dateline ("AMUND, 15 May (Agency) –"), else
its first date; the sentence's text is the event's text, verbatim.  Events of one date that report
the same content (the one matcher, :meth:`newsdesk.briefing.matcher.StoryIndex.same_pairs`) are
merged with all their sources.

**Background** events are apart from the story's own: an event whose primary date is a period
(the early 1990s, 1991–1994) or ends before the story began (more than
:data:`~newsdesk.briefing.daterank.STORY_MARGIN_DAYS` days before its first publication) is
returned with ``background=True``; the brief shows them in their own list.

``dates=N`` keeps the N most important days of the story, ranked by the learned date ranker of
:mod:`newsdesk.briefing.daterank` (Datewise-style), each with at most
``options.timeline_events_per_date`` events (the ones most sources report), and at most
``options.timeline_background`` background events.
"""

from __future__ import annotations

import datetime as _dt
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

from ..dates import DateMention, date_key, find_dates, period_bounds
from ..models import Article, TimelineEvent
from ..nlp import ParsedArticle, ParsedSentence
from ..options import DEFAULT_OPTIONS, Options
from . import daterank
from .matcher import StoryIndex

__all__ = ["Mention", "find_dates", "build_timeline", "events_for_days", "article_dates", "select_days",
           "needed_articles", "parse_scope", "scoped", "date_key"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Mention:
    """A date mention inside a parsed sentence: ``pos`` is the article's index in the story."""

    date: DateMention
    pos: int
    sentence: ParsedSentence
    primary: bool  # the sentence's event date (see the module doc)
    anchor: bool = False  # the start of a period ("since 2015"), not an event of that date


_SINCE = re.compile(r"\bsince\b[^,;:–—()]*$", re.I)
_DATELINE = re.compile(r"^[A-Z][A-Z .'’-]{1,40},[ \t]*$")


def _anchor(text: str, start: int, sentence_start: int) -> bool:
    """True for a date that is not the event's date: the anchor of a period ("killed since
    Sept. 27") or the date of a dateline ("AMUND, 15 May (Agency) –")."""
    if _DATELINE.match(text[sentence_start:start]):
        return True
    return bool(_SINCE.search(text[max(sentence_start, start - 40):start]))


def article_dates(parsed: Sequence[ParsedArticle]) -> list[list[DateMention]]:
    """The date mentions of every article, in story order."""
    return [find_dates(pa.article.text, pa.article.published) for pa in parsed]


def _in_sentences(pa: ParsedArticle,
                  ments: Sequence[DateMention]) -> Iterable[tuple[ParsedSentence, list[DateMention]]]:
    i = 0
    for ps in pa.sentences:
        s0, s1 = ps.sentence.start, ps.sentence.end
        while i < len(ments) and ments[i].start < s0:
            i += 1
        inside = [m for m in ments[i:] if m.start < s1]
        if inside:
            yield ps, inside


def _mentions(parsed: Sequence[ParsedArticle], dates: Sequence[Sequence[DateMention]]) -> list[Mention]:
    """Every dated sentence's mentions, once per distinct date, the primary one flagged."""
    out: list[Mention] = []
    for pos, (pa, ments) in enumerate(zip(parsed, dates)):
        for ps, inside in _in_sentences(pa, ments):
            anchors = [_anchor(pa.article.text, m.start, ps.sentence.start) for m in inside]
            main = next((m for m, a in zip(inside, anchors) if not a), inside[0])
            seen: set[str] = set()
            for m, a in zip(inside, anchors):
                if m.when not in seen:
                    seen.add(m.when)
                    out.append(Mention(m, pos, ps, m.when == main.when, a))
    return out


def _is_background(m: DateMention, start: _dt.date | None) -> bool:
    if m.period is not None:
        return True
    return start is not None and period_bounds(m)[1] < start


@dataclass
class _Event:
    when: str
    ps: ParsedSentence
    sources: list[str]
    order: tuple[int, int]  # (days from the date to its first report, sentence number): first told, first kept


def _order(m: Mention, published: _dt.date | None) -> tuple[int, int]:
    lag = 10**6
    if published is not None and len(m.date.date) == 10 and m.date.period is None:
        lag = abs((published - _dt.date.fromisoformat(m.date.date)).days)
    return lag, m.sentence.sentence.index


def _merge(mentions: Iterable[Mention], parsed: Sequence[ParsedArticle], index: StoryIndex
           ) -> dict[str, list[_Event]]:
    """Events per date: sentences of one date that the matcher calls the same content are one event
    (the pairs of each date judged in one batch)."""
    by_date: dict[str, list[Mention]] = defaultdict(list)
    for m in mentions:
        by_date[m.date.when].append(m)
    by_when: dict[str, list[_Event]] = defaultdict(list)
    for when, ms in by_date.items():
        pairs = [(i, j) for j in range(len(ms)) for i in range(j) if ms[i].sentence is not ms[j].sentence]
        same = {p for p, s in zip(pairs, index.same_pairs([(ms[i].sentence, ms[j].sentence) for i, j in pairs]))
                if s}
        group = by_when[when]
        first: list[int] = []  # mention number of each event's first sentence
        for j, m in enumerate(ms):
            aid = parsed[m.pos].id
            for ev, i in zip(group, first):
                if ev.ps is m.sentence:
                    break
                if (i, j) in same:
                    if aid not in ev.sources:
                        ev.sources.append(aid)
                    break
            else:
                group.append(_Event(when, m.sentence, [aid], _order(m, parsed[m.pos].article.published)))
                first.append(j)
    return by_when


def _to_events(by_when: dict[str, list[_Event]], periods: dict[str, DateMention], per_date: int | None,
               background: bool) -> list[TimelineEvent]:
    """Events of each date, at most ``per_date`` of them: those most sources report, then the ones
    reported soonest after the date and earliest in their article (the lead tells the news)."""
    out: list[TimelineEvent] = []
    for when, group in by_when.items():
        if per_date is not None:
            group = sorted(group, key=lambda e: (-len(e.sources), e.order))[:per_date]
        p = periods.get(when)
        for ev in group:
            out.append(TimelineEvent(p.date if p else when, ev.ps.sentence.text, tuple(ev.sources),
                                     period=p.period if p else None, background=background))
    return out


def _leads(parsed: Sequence[ParsedArticle], days: set[str], mentioned: set[str]) -> list[Mention]:
    """For a chosen day no sentence is dated by: the lead sentences of the articles published that day."""
    out = []
    for pos, pa in enumerate(parsed):
        pub = pa.article.published.isoformat() if pa.article.published else None
        if pub in days and pub not in mentioned and pa.sentences:
            dm = DateMention(pa.sentences[0].sentence.start, pa.sentences[0].sentence.start, "", pub, "published")
            out.append(Mention(dm, pos, pa.sentences[0], True))
    return out


def _story_events(parsed: Sequence[ParsedArticle], mentions: Sequence[Mention], days: Sequence[str] | None,
                  index: StoryIndex, options: Options) -> list[TimelineEvent]:
    """Events of the story's own dates: every primary one, or those of ``days`` only."""
    if days is None:
        chosen = [m for m in mentions if m.primary]
        per_date = None
    else:
        keep = set(days)
        primary = {m.date.when for m in mentions if m.primary}
        # a kept date only ever mentioned in passing gets those sentences
        chosen = [m for m in mentions if m.date.when in keep and (m.primary or m.date.when not in primary)]
        chosen += _leads(parsed, keep, {m.date.when for m in mentions})
        per_date = options.timeline_events_per_date
    return _to_events(_merge(chosen, parsed, index), {}, per_date, False)


def _background_events(parsed: Sequence[ParsedArticle], mentions: Sequence[Mention], index: StoryIndex,
                       options: Options, limit: int | None) -> list[TimelineEvent]:
    """Background events, at most ``limit`` of them (those most sources report, then the latest); a
    sentence that names an old date only as the start of a period ("the highest since 2015") is none."""
    chosen = [m for m in mentions if m.primary and not m.anchor]
    periods = {m.date.when: m.date for m in chosen if m.date.period}
    events = _to_events(_merge(chosen, parsed, index), periods, None, True)
    if limit is not None:
        events = sorted(events, key=lambda e: (-len(e.sources), [-x for x in date_key(e.date)]))[:limit]
    return events


Ranker = Callable[[daterank.DateTable], np.ndarray]
Dated = Sequence[tuple[_dt.date | None, Sequence[DateMention]]]  # per article: (published, its date mentions)


def _mentioned(articles: Dated, keep: Callable[[DateMention, _dt.date | None], bool]) -> dict[str, set[int]]:
    """Articles mentioning each date or period (by what is shown: ``when``) that ``keep`` accepts."""
    start = daterank.story_start([p for p, _ in articles])
    arts: dict[str, set[int]] = defaultdict(set)
    for pos, (_, ments) in enumerate(articles):
        for m in ments:
            if keep(m, start):
                arts[m.when].add(pos)
    return arts


def select_days(articles: Dated, n: int, ranker: Ranker | None = None) -> list[str]:
    """The story's ``n`` most important days (the learned ranker unless ``ranker``); when it has fewer
    candidate days, its most-mentioned months and years fill the shortfall."""
    table = daterank.date_table(articles)
    ranked = daterank.rank(table, (ranker or daterank.learned_scores)(table))[:n]
    if len(ranked) < n:
        arts = _mentioned(articles, lambda m, start: len(m.date) < 10 and not _is_background(m, start))
        ranked += sorted(arts, key=lambda d: (-len(arts[d]), date_key(d)))[:n - len(ranked)]
    return ranked


def needed_articles(articles: Dated, days: Sequence[str], background: int) -> tuple[list[int], set[str]]:
    """Positions of the articles a timeline of ``days`` needs parsed — those naming a kept day or
    published on one, and those naming one of the ``background`` most-mentioned background dates or
    periods: every article that can be a source of a kept event — and the dates and periods kept."""
    keep = set(days)
    past = _mentioned(articles, _is_background)
    keep |= set(sorted(past, key=lambda w: (-len(past[w]), w))[:background])
    return [pos for pos, (pub, ments) in enumerate(articles)
            if (pub is not None and pub.isoformat() in keep) or any(m.when in keep for m in ments)], keep


def scoped(articles: Sequence[Article], dated: Dated, days: Sequence[str], background: int
           ) -> tuple[list[int], list[Article]]:
    """The positions of the articles a timeline of ``days`` needs, and each reduced to what it needs
    parsed (:func:`parse_scope`): the neighbourhood of its kept mentions, its lead if published on a kept day."""
    keep, whens = needed_articles(dated, days, background)
    out = []
    for i in keep:
        pub = dated[i][0]
        out.append(parse_scope(articles[i], dated[i][1], whens, pub is not None and pub.isoformat() in whens))
    return keep, out


# Where a parse window may start or end: after a sentence-final mark or at a paragraph break.  Only
# *what to parse* is chosen this way; the sentences themselves are the NLP layer's.
_CUT = re.compile(r"[.!?][\"'”’)\]]*\s+(?=\S)|\n\s*\n")
# Characters kept on each side of a date mention before snapping to a cut: sentences of the
# visible Timeline17 articles are under 400 characters in 99% of cases (a few run-on ones longer).
REACH = 600


def _window(text: str, start: int, end: int) -> tuple[int, int]:
    lo, hi = max(0, start - REACH), min(len(text), end + REACH)
    if lo > 0:
        cut = _CUT.search(text, lo, start)
        lo = cut.end() if cut else max(0, start - 2 * REACH)
    if hi < len(text):
        cuts = [m.end() for m in _CUT.finditer(text, end, hi)]
        hi = cuts[-1] if cuts else min(len(text), end + 2 * REACH)
    return lo, hi


def parse_scope(article: Article, ments: Sequence[DateMention], whens: set[str], lead: bool) -> Article:
    """``article`` with only the neighbourhood of its mentions of ``whens`` (and its lead, when ``lead``) left
    to parse: the rest becomes paragraph breaks of the same length, so every character offset, and every
    sentence around a kept mention, is the article's own.  Returns the article itself when most of it is
    needed."""
    text = article.text
    spans = [_window(text, m.start, m.end) for m in ments if m.when in whens]
    if lead:
        spans.append(_window(text, 0, 0))
    spans.sort()
    merged: list[list[int]] = []
    for lo, hi in spans:
        if merged and lo <= merged[-1][1] + 2:
            merged[-1][1] = max(merged[-1][1], hi)
        else:
            merged.append([lo, hi])
    if sum(hi - lo for lo, hi in merged) > 0.8 * len(text):
        return article
    out, pos = [], 0
    for lo, hi in merged:
        out.append("\n" + " " * (lo - pos - 2) + "\n" if lo - pos >= 2 else text[pos:lo])
        out.append(text[lo:hi])
        pos = hi
    rest = len(text) - pos
    out.append("\n" + " " * (rest - 2) + "\n" if rest >= 2 else text[pos:])
    return article.with_(text="".join(out))


def build_timeline(
    parsed: Sequence[ParsedArticle],
    options: Options = DEFAULT_OPTIONS,
    dates: int | None = None,
    *,
    index: StoryIndex | None = None,
) -> list[TimelineEvent]:
    """The story's timeline from its parsed articles (duplicates already removed), sorted by date;
    background events carry ``background=True``.

    ``dates`` keeps only the N most important days (see the module doc); without it every dated
    event is kept.
    """
    if dates is not None and dates < 1:
        return []
    art_dates = article_dates(parsed)
    days = None if dates is None else select_days([(pa.article.published, d) for pa, d in zip(parsed, art_dates)],
                                                  dates)
    return events_for_days(parsed, days, options, art_dates=art_dates, index=index)


def events_for_days(
    parsed: Sequence[ParsedArticle],
    days: Sequence[str] | None,
    options: Options = DEFAULT_OPTIONS,
    *,
    art_dates: Sequence[Sequence[DateMention]] | None = None,
    index: StoryIndex | None = None,
) -> list[TimelineEvent]:
    """The timeline of the given ``days`` (each with its best events, at most
    ``options.timeline_background`` background events), or of every dated event when ``days`` is
    None; background events apart (``background=True``), all sorted by date."""
    art_dates = art_dates if art_dates is not None else article_dates(parsed)
    mentions = _mentions(parsed, art_dates)
    start = daterank.story_start([pa.article.published for pa in parsed])
    story = [m for m in mentions if not _is_background(m.date, start)]
    past = [m for m in mentions if _is_background(m.date, start)]
    if not mentions and days is None:
        return []
    index = index or StoryIndex(parsed, threshold=options.attribution_threshold)
    limit = None if days is None else options.timeline_background
    events = _story_events(parsed, story, days, index, options)
    events += _background_events(parsed, past, index, options, limit)
    events.sort(key=lambda e: (date_key(e.date), e.background is False))
    return events
