"""The library API: every CLI command is one of these functions.

>>> import newsdesk
>>> articles = newsdesk.read(["corpus/"])          # ingest + clean
>>> briefs = newsdesk.brief(articles)              # dedupe, cluster, brief each story
>>> print(newsdesk.to_markdown(briefs))

A desk that grows (SQLite store, see docs/store.md):

>>> from newsdesk import Store
>>> with Store("desk.sqlite") as store:
...     store.add(newsdesk.read(["new/"]))      # idempotent, one transaction
...     store.refresh()                           # re-brief changed stories only
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Iterable, Sequence
from typing import IO

from . import clean as _clean
from . import ingest as _ingest
from .briefing import Progress, brief_or_report, brief_story, originals_of, parse_batches, parsed_together
from .briefing.matcher import judging
from .briefing.summary import summarize_parsed
from .briefing.timeline import build_timeline, events_for_days, scoped, select_days
from .cluster import Clusterer, cluster_articles
from .dates import find_dates
from .dedup import mark_duplicates
from .errors import InputError, StoryError
from .models import Article, Brief, Story, SummarySentence, TimelineEvent
from .nlp import NLP, release_free_memory
from .options import DEFAULT_OPTIONS, Options

__all__ = ["read", "dedupe", "cluster", "Clusterer", "summarize", "timeline", "brief", "brief_story",
           "brief_or_report"]

log = logging.getLogger(__name__)


def read(
    paths: Iterable[str | os.PathLike[str]],
    options: Options = DEFAULT_OPTIONS,
    *,
    on_error: Callable[[InputError], None] | None = None,
    stdin: IO[bytes] | None = None,
) -> list[Article]:
    """Read and clean articles from files, directories or ``-`` (stdin JSONL).

    Inputs that cannot be read are reported to ``on_error`` (or logged) and skipped.
    """
    raw = _ingest.read_articles(paths, options, on_error=on_error, stdin=stdin)
    return _clean.clean_articles(raw, options)


def dedupe(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> list[Article]:
    """The articles with ``duplicate_of`` set on exact and near copies."""
    return mark_duplicates(articles, options)


def cluster(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS, *,
            deduped: bool = False) -> list[Story]:
    """Partition articles into stories; duplicates go with their original.

    ``deduped=True`` says the articles already went through :func:`dedupe` (their
    ``duplicate_of`` is trusted as is); otherwise copies are found first.  The partition
    does not depend on the input order.  To add articles to stories found earlier (a
    stream), use ``Clusterer(options).add(articles)`` instead.
    """
    marked = list(articles) if deduped else mark_duplicates(articles, options)
    return cluster_articles(marked, options)


def summarize(
    articles: Sequence[Article],
    options: Options = DEFAULT_OPTIONS,
    *,
    words: int | None = None,
    nlp: NLP | None = None,
    progress: Progress | None = None,
) -> list[SummarySentence]:
    """Summarize all ``articles`` as ONE story in at most ``words`` words (default ``options.words``)."""
    nlp = nlp or NLP(options)
    marked = mark_duplicates(articles, options)
    originals = [a for a in marked if a.duplicate_of is None]
    parsed = nlp.parse_many(originals, deep=False, progress=progress)
    copies = [a for a in marked if a.duplicate_of is not None]
    with judging(options.same_content_model):
        return summarize_parsed(parsed, options, words, copies=copies, nlp=nlp)


def timeline(
    articles: Sequence[Article],
    options: Options = DEFAULT_OPTIONS,
    *,
    dates: int | None = None,
    nlp: NLP | None = None,
    progress: Progress | None = None,
) -> list[TimelineEvent]:
    """The timeline of all ``articles`` as ONE story (duplicates never count as sources);
    ``dates`` keeps the N most important dates.  Events from before the story come with
    ``background=True``.

    With ``dates`` the days are chosen from the raw texts first (dates need no parse) and only the
    articles that can be sources of the kept events are parsed, each only around its mentions of the
    kept dates (and its lead when it appeared on a kept day)."""
    nlp = nlp or NLP(options)
    originals = [a for a in mark_duplicates(articles, options) if a.duplicate_of is None]
    if dates is None:
        parsed = nlp.parse_many(originals, deep=False, progress=progress)
        with judging(options.same_content_model):
            return build_timeline(parsed, options)
    if dates < 1:
        return []
    dated = [(a.published, find_dates(a.text, a.published)) for a in originals]
    days = select_days(dated, dates)
    keep, scope = scoped(originals, dated, days, options.timeline_background)
    parsed = nlp.parse_many(scope, deep=False, progress=progress)
    with judging(options.same_content_model):
        return events_for_days(parsed, days, options, art_dates=[dated[i][1] for i in keep])


# Free heap (bytes) above which ``brief`` gives memory back to the system after a parse batch: each trim made the
# next batch fault its pages in again (system CPU).  The runs noted at briefing.PARSE_BATCH: a threshold of 32 or
# 64 MiB trimmed as often as always (1.6-2.1 s system CPU), 80 or 96 MiB rarely (0.4-0.5 s).
TRIM_FREE = 96 << 20


def brief(
    articles: Sequence[Article],
    options: Options = DEFAULT_OPTIONS,
    *,
    stories: Sequence[Story] | None = None,
    nlp: NLP | None = None,
    progress: Progress | None = None,
    deduped: bool = False,
    on_error: Callable[[StoryError], None] | None = None,
) -> list[Brief]:
    """Dedupe (unless ``deduped``), cluster (unless ``stories`` is given) and brief every story.

    A story whose brief fails is reported to ``on_error`` (or logged) as a :class:`StoryError`
    and left out; the other stories go on.
    """
    marked = list(articles) if deduped else mark_duplicates(articles, options)
    stories = list(stories) if stories is not None else cluster_articles(marked, options)
    nlp = nlp or NLP(options)
    by_id = {a.id: a for a in marked}
    originals = [originals_of([by_id[i] for i in s.article_ids if i in by_id]) for s in stories]
    out = []
    # several small stories' originals parsed in one batch (up to the parse cache's size), then briefed
    for chunk in parse_batches(originals, options):
        with parsed_together(nlp, [originals[i] for i in chunk], progress):
            for i in chunk:
                b = brief_or_report(stories[i], marked, options, nlp, on_error, progress)
                if b is not None:
                    out.append(b)
        release_free_memory(TRIM_FREE)
    return out
