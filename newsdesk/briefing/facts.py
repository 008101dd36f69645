"""Facts across sources: entities, figures, conflicts and the outlet comparison of a story.

``extract_facts(parsed, members, options)`` takes the deep parses of a story's
non-duplicate articles (``NLP.parse_many(..., deep=True)``) and all its member
articles (duplicates included, for the outlet list) and returns a :class:`Facts`.
Duplicates are never parsed here, so they never count as sources.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from ..models import Article, Conflict, Entity, Figure, OutletView
from ..nlp import ParsedArticle
from ..options import DEFAULT_OPTIONS, Options
from .entities import extract_entities
from .figures import find_conflicts, find_figures, merge_figures
from .outlets import compare_outlets

__all__ = ["Facts", "extract_facts", "extract_entities", "find_figures", "merge_figures", "find_conflicts",
           "compare_outlets"]

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Facts:
    entities: tuple[Entity, ...] = ()
    figures: tuple[Figure, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    outlets: tuple[OutletView, ...] = ()


def extract_facts(parsed: Sequence[ParsedArticle], members: Sequence[Article] = (),
                  options: Options = DEFAULT_OPTIONS) -> Facts:
    """Entities, figures, conflicts and outlets of one story.

    ``parsed``: deep parses of the story's original (non-duplicate) articles;
    ``members``: every article of the story (defaults to the parsed ones).
    """
    members = list(members) or [pa.article for pa in parsed]
    originals = {a.id for a in members if a.duplicate_of is None}
    parsed = [pa for pa in parsed if pa.id in originals] or list(parsed)
    order = [pa.id for pa in parsed]
    entities = extract_entities(parsed, options)
    mentions = find_figures(_first_published(parsed, members), options)
    figures = merge_figures(mentions, order)[: options.max_figures]
    conflicts = find_conflicts(mentions, order)
    outlets = compare_outlets(parsed, members, entities, options)
    return Facts(tuple(entities), tuple(figures), tuple(conflicts), tuple(outlets))


def _first_published(parsed: Sequence[ParsedArticle], members: Sequence[Article]) -> list[ParsedArticle]:
    """The parses with each article dated by its earliest copy: a reprint states what the
    text said the first day it ran, so its figures are as of that day."""
    earliest = {pa.id: pa.article.published for pa in parsed}
    for a in members:
        if a.duplicate_of in earliest and a.published is not None:
            d = earliest[a.duplicate_of]
            earliest[a.duplicate_of] = a.published if d is None else min(d, a.published)
    return [pa if earliest[pa.id] == pa.article.published
            else ParsedArticle(pa.article.with_(published=earliest[pa.id]), pa.sentences, pa.docs) for pa in parsed]
