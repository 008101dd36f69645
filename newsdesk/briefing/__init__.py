"""Briefing: "brief this story", in one place.

The parts of a brief each live in a module of this package, and share one judge of
"same content" (:mod:`.matcher`):

========================  ==============================================================
:mod:`.summary`           extractive summary (ILP concept coverage) and its citations
:mod:`.headline`          the story's headline
:mod:`.entities`          entities with their name variants merged
:mod:`.figures`           key figures and the conflicts between sources
:mod:`.quotes`            direct quotations with their speakers
:mod:`.timeline`          dated events
:mod:`.outlets`           what each outlet adds and the words it chooses
:mod:`.facts`             entities, figures, conflicts and outlets from one deep parse
========================  ==============================================================

:func:`brief_story` composes them; the library façade (:mod:`newsdesk.api`), the store,
the web layer and the Dask path all brief a story through it.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, nullcontext
from typing import Any

from ..errors import ModelError, NewsdeskError, StoryError
from ..ingest.lang import note_non_english
from ..models import Article, Brief, OutletView, Story, content_hash
from ..nlp import NLP, story_chunks
from ..options import DEFAULT_OPTIONS, Options
from .facts import extract_facts
from .headline import headline
from .matcher import judging
from .quotes import extract_quotes, link_speakers
from .summary import summarize_parsed
from .timeline import build_timeline

__all__ = ["brief_story", "brief_or_report", "originals_of", "parse_batches", "parsed_together", "nlp_rows",
           "embedding_rows", "Progress"]

log = logging.getLogger(__name__)

Progress = Callable[[], None]


def originals_of(members: Sequence[Article]) -> list[Article]:
    """The story's articles that are no copy (the ones parsed and briefed); its first article when all are."""
    return [a for a in members if a.duplicate_of is None] or list(members[:1])


# Articles parsed in one spaCy batch by ``newsdesk.brief`` and each Dask task (several small stories together).
# ``newsdesk --no-embed brief`` on 1,000 Multi-News articles, idle machine, CPU s / peak RSS: one story at a time 52.3
# / 343 MiB, 8 50.4 / 372, 12 51.2 / 370, 16 48.1 / 394, 64 47.4 / 576 (memory returned after each batch from 12 on).
# With api.TRIM_FREE (session 24, load average 3-6, CPU user + system / peak RSS): 12 and a trim after every batch
# 42.1 + 1.9 s / 373 MiB; 12 with TRIM_FREE 41.0 + 0.4 s / 397 MiB; 8 with TRIM_FREE 40.5 + 0.5 s / 375 MiB: 8 keeps
# the RSS goal of #18 (<= 400 MiB) with the same margin as before.
PARSE_BATCH = 8


def parse_batches(originals: Sequence[Sequence[Article]], options: Options) -> list[range]:
    """Runs of consecutive stories (indices into ``originals``, each story's originals) parsed in one spaCy
    batch: up to :data:`PARSE_BATCH` articles, and never more than the parse cache holds."""
    return story_chunks([len(o) for o in originals], max(1, min(PARSE_BATCH, options.parse_cache_articles)))


@contextmanager
def parsed_together(nlp: Any, groups: Sequence[Sequence[Article]], progress: Progress | None = None
                    ) -> Iterator[None]:
    """Within the block, ``groups`` (several stories' originals) are parsed in one batch and held
    (:meth:`NLP.parsed_together`); a stand-in NLP without it parses each story as it is briefed."""
    together = getattr(nlp, "parsed_together", None)
    with together(groups, deep=True, progress=progress) if together else nullcontext():
        yield


def brief_story(
    story: Story,
    articles: Sequence[Article],
    options: Options = DEFAULT_OPTIONS,
    *,
    nlp: NLP | None = None,
    progress: Progress | None = None,
) -> Brief:
    """The BRIEF of one story; ``articles`` must contain the story's articles."""
    nlp = nlp or NLP(options)
    by_id = {a.id: a for a in articles}
    members = [by_id[i] for i in story.article_ids]
    originals = originals_of(members)
    note_non_english(originals, f"story {story.id}")  # the NLP tier is English-only: say so
    # one deep parse (parser + NER) serves the summary and every fact
    deep = nlp.parse_many(originals, deep=True, progress=progress)
    with judging(options.same_content_model):
        return _compose(story, members, originals, deep, options, nlp)


def _compose(story: Story, members: list[Article], originals: list[Article], deep: Sequence[Any],
             options: Options, nlp: NLP) -> Brief:
    copies = [a for a in members if a.duplicate_of is not None and a not in originals]
    summary = summarize_parsed(deep, options, copies=copies, nlp=nlp, deep=True)
    facts = extract_facts(deep, members, options)
    events = build_timeline(deep, options)
    return Brief(
        story_id=story.id,
        headline=headline(deep, summary, nlp=nlp),
        articles=tuple(members),
        summary=tuple(summary),
        entities=facts.entities,
        figures=facts.figures,
        conflicts=facts.conflicts,
        timeline=tuple(e for e in events if not e.background),
        quotes=tuple(link_speakers(extract_quotes(deep, options), facts.entities)),
        outlets=facts.outlets or _outlets(members),
        background=tuple(e for e in events if e.background),
    )


def brief_or_report(story: Story, articles: Sequence[Article], options: Options, nlp: NLP,
                    on_error: Callable[[StoryError], None] | None, progress: Progress | None = None
                    ) -> Brief | None:
    """:func:`brief_story`, or ``None`` after reporting a :class:`StoryError` when it fails."""
    try:
        return brief_story(story, articles, options, nlp=nlp, progress=progress)
    except (MemoryError, KeyboardInterrupt):
        raise
    except ModelError:
        raise  # no story can be briefed without the model: not one story's problem
    except Exception as exc:  # one story's failure never stops the others
        err = StoryError(story.id, story.article_ids, f"no brief ({type(exc).__name__}: {exc})")
        if on_error is not None:
            log.debug("%s", err, exc_info=True)
            on_error(err)
        else:
            log.warning("%s", err, exc_info=not isinstance(exc, NewsdeskError))
        return None


def _outlets(members: Sequence[Article]) -> tuple[OutletView, ...]:
    by_source: dict[str, list[str]] = {}
    for a in members:
        by_source.setdefault(a.source or "(unknown outlet)", []).append(a.id)
    return tuple(OutletView(src, tuple(ids)) for src, ids in by_source.items())


def nlp_rows(nlp: Any, members: Sequence[Article]) -> list[tuple]:
    """Sentence spans and entity mentions of the parsed originals (cached by ``nlp``), as stored, and
    their spaCy docs as bytes (``NLP.to_blob``, ``None`` when ``nlp`` cannot give them) so that a
    re-brief reads them back instead of parsing again."""
    originals = [a for a in members if a.duplicate_of is None]
    try:
        parsed = nlp.parse_many(originals, deep=True)
    except Exception as exc:  # the NLP record is a by-product: never lose a brief over it
        log.debug("no NLP record: %s", exc)
        return []
    out = []
    for a, p in zip(originals, parsed):
        sents = [[s.sentence.start, s.sentence.end] for s in getattr(p, "sentences", ())]
        ents = [[e.text, e.label, e.start, e.end] for s in getattr(p, "sentences", ()) for e in s.entities]
        try:
            blob = nlp.to_blob(p) if getattr(p, "docs", None) else None
        except Exception as exc:  # noqa: BLE001 -- a by-product too: the re-brief parses again
            log.debug("no saved parse of %s: %s", a.id, exc)
            blob = None
        out.append((a.id, content_hash(a), json.dumps(sents), json.dumps(ents, ensure_ascii=False), blob))
    return out


def embedding_rows(nlp: Any, members: Sequence[Article]) -> list[tuple]:
    """The matcher's embeddings of the parsed originals' sentences (those it computed: only what a
    decision needed), as stored: (article id, content hash, start, end, float32 bytes)."""
    from .embed import default_embedder
    emb = default_embedder()
    originals = [a for a in members if a.duplicate_of is None]
    try:
        parsed = nlp.parse_many(originals, deep=True)  # cached by the brief
    except Exception as exc:  # a by-product, as the NLP record
        log.debug("no embedding record: %s", exc)
        return []
    out = []
    for a, pa in zip(originals, parsed):
        for ps in getattr(pa, "sentences", ()):
            v = emb.cached(ps.sentence.text)
            if v is not None:
                out.append((a.id, content_hash(a), ps.sentence.start, ps.sentence.end, v.tobytes()))
    return out
