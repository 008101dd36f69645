"""What makes an extractive summary read as an editor's: a lead that opens the story, no sentence that
leans on one the reader has not seen, no fact said twice.

* :func:`dangling_opening` — a sentence opening with a connective ("But", "However", "Meanwhile") or a
  pronoun / demonstrative ("He", "They", "This", "Those") leans on the sentence before it in its article.
* :func:`dangling` — such a sentence is *dangling* in a summary unless the summary sentence just before it
  is the sentence it follows in its own article (the only place its referent is sure to be).
* :func:`measure` — the readability figures of one summary that ``newsdesk eval summarize`` reports:
  whether the first sentence is a lead (among the first two sentences of some article of the story), how
  many sentences dangle, and how many pairs of summary sentences the same-content matcher calls one fact.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ..nlp import ParsedArticle, ParsedSentence
from .matcher import StoryIndex

__all__ = ["dangling_opening", "dangling", "Readability", "measure", "LEAD_POSITIONS"]

#: the first two sentences of an article are its lead (what a wire editor writes first)
LEAD_POSITIONS = 2

# Openings that need the sentence before them: connectives, then pronouns and demonstratives.  Written
# from English grammar (closed word classes), not tuned; "There" (existential) and "It" are left out:
# "There were 40 people on board." and "It is not clear whether ..." read alone.
_CONNECTIVES = (
    "but", "however", "also", "and", "yet", "so", "still", "meanwhile", "moreover", "furthermore", "besides",
    "nevertheless", "nonetheless", "instead", "then", "thus", "therefore", "hence", "otherwise", "likewise",
    "similarly", "additionally", "in addition", "as a result", "in contrast", "on the other hand", "even so",
    "that is why", "that's why", "after that", "afterwards", "earlier", "later", "by contrast", "in turn",
    "as well", "too", "either", "neither", "nor", "or", "another", "the other", "others", "both", "again",
    "in response", "for his part", "for her part", "for their part", "at the same time", "in that case",
)
_PRONOUNS = (
    "he", "she", "they", "we", "i", "his", "her", "their", "our", "its", "him", "them", "us", "this", "these",
    "those", "that", "such", "the same", "the two", "the three",
)
_OPENING = re.compile(
    r"^[\s\"“‘'`(\[]*(?:" + "|".join(re.escape(w).replace(r"\ ", r"\s+")
                                     for w in sorted(_CONNECTIVES + _PRONOUNS, key=len, reverse=True))
    + r")(?![\w'’-])", re.I)
# "That" and "This" opening a clause as a complementizer or a pronoun subject are both dependent; "That is"
# of a definition reads alone but is rare in news.  Quotes: an opening quote mark is skipped, so a quoted
# "We will rebuild," he said. depends on who "we" are.


# A quote whose speaker is only a pronoun ("...," he said.) leans on the sentence that named him just as
# an opening "He" does: what follows the last closing quote mark is a personal pronoun and a verb.
_PRONOUN_SPEAKER = re.compile(
    r"(?:[\"”’]|'')\s*,?\s*(?:he|she|they|we|i)\s+[a-z]+\b[^\"“”]*$", re.I)


def dangling_opening(text: str) -> bool:
    """Does the sentence open with a connective or a pronoun that needs the sentence before it, or is it a
    quote whose speaker is named only by a pronoun?"""
    return bool(_OPENING.match(text) or _PRONOUN_SPEAKER.search(text))


def follows(prev: ParsedSentence | None, ps: ParsedSentence) -> bool:
    """Is ``prev`` the sentence just before ``ps`` in the same article?"""
    return (prev is not None and prev.sentence.article_id == ps.sentence.article_id
            and prev.sentence.index == ps.sentence.index - 1)


def dangling(sentences: Sequence[ParsedSentence]) -> list[bool]:
    """Per summary sentence (in summary order): does it dangle?"""
    out = []
    prev: ParsedSentence | None = None
    for ps in sentences:
        out.append(dangling_opening(ps.sentence.text) and not follows(prev, ps))
        prev = ps
    return out


@dataclass(frozen=True)
class Readability:
    """Readability of one summary."""

    lead: bool  # the first sentence is among the first LEAD_POSITIONS sentences of some article
    sentences: int
    dangling: int  # sentences opening with a connective / pronoun without their antecedent before them
    same_content_pairs: int  # pairs of summary sentences the matcher calls the same content


def measure(summary: Sequence[ParsedSentence], parsed: Sequence[ParsedArticle], threshold: float | None = None,
            index: StoryIndex | None = None) -> Readability:
    """The readability figures of ``summary`` (its sentences in order) for the story ``parsed``.

    Same content is the matcher's (:class:`~newsdesk.briefing.matcher.StoryIndex`) at ``threshold`` (the
    attribution threshold, None for the model's: the matcher's one answer to "same content?")."""
    if not summary:
        return Readability(False, 0, 0, 0)
    index = index or StoryIndex(parsed, threshold=threshold)
    first = summary[0].sentence.text.strip()
    leads = {ps.sentence.text.strip() for pa in parsed for ps in pa.sentences[:LEAD_POSITIONS]}
    lead = summary[0].sentence.index < LEAD_POSITIONS or first in leads
    pairs = sum(index.same_pairs([(summary[i], summary[j]) for i in range(len(summary))
                                  for j in range(i + 1, len(summary))]))
    return Readability(lead, len(summary), sum(dangling(summary)), pairs)
