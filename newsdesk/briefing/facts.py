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
    mentions = find_figures(parsed, options)
    figures = merge_figures(mentions, order)[: options.max_figures]
    published = {pa.id: pa.article.published for pa in parsed}
    conflicts = find_conflicts(mentions, order, published)
    outlets = compare_outlets(parsed, members, entities, options)
    return Facts(tuple(entities), tuple(figures), tuple(conflicts), tuple(outlets))
