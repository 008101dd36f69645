"""Quotes: the direct quotations of a story, with their speakers, merged across sources.

A quote is words inside quotation marks (reported speech is not a quote):

1. :mod:`.quotemarks` finds every quotation of an article as it is marked on real
   pages (curly, straight, guillemets, doubled apostrophes, newswire ``…'', quotations
   running over paragraphs with the closing mark omitted);
2. :mod:`.attribution` finds who said it from the dependency parse: a name, or None
   when the text names no one ("a witness said"), and the description the text gives
   (``role``);
3. :func:`resolve_speakers` gives every speaker the fullest form of the name in the story
   ("Vaskari" -> "Ilona Vaskari", never "Clinton" -> "Hillary Clinton" when the story
   also names Bill Clinton);
4. quotes of the same speaker that the same-content matcher (:mod:`.matcher`, at
   ``Options.quote_merge_threshold``) calls one statement are one: the first wording is the
   ``text``, the others are ``variants``, sources are merged.

A quotation of one or two words is kept only when it is an utterance of its own (it
starts with a capital letter and ends with punctuation inside the marks: “You winning?”),
not a word or phrase quoted inside a sentence ("called it a “con”").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..models import Quote
from ..nlp import ParsedArticle
from ..options import DEFAULT_OPTIONS, Options
from .attribution import attribute, split_at_labels
from .matcher import StoryIndex
from .quotemarks import find_quotations

__all__ = ["RawQuote", "find_quotes", "extract_quotes", "merge_quotes", "resolve_speakers", "speaker_key",
           "link_speakers", "one_speaker_per_statement"]

log = logging.getLogger(__name__)

# Quotations shorter than this are scare quotes, titles or names ("so-called “corridor”")
# unless they are an utterance of their own.
MIN_QUOTE_WORDS = 3
_STRIP = " \t\n,;:—–-"


@dataclass(frozen=True)
class RawQuote:
    """One quotation in one article: ``text`` is verbatim from ``article_id``'s text at ``start``."""

    article_id: str
    start: int
    text: str
    speaker: str | None
    role: str | None = None

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def _is_quote(text: str) -> bool:
    """Enough words to be a quote, or a short utterance of its own (“You winning?”)."""
    words = text.split()
    if len(words) >= MIN_QUOTE_WORDS:
        return not _is_title(words)
    return bool(words) and words[0][:1].isupper() and text.rstrip()[-1:] in ",.!?…" and any(
        w[:1].islower() for w in words[1:])


def _is_title(words: Sequence[str]) -> bool:
    """“The Steve Harvey Morning Show”, “Justice Against Sponsors of Terrorism Act”: a name in
    quotation marks, every word capitalised and no sentence punctuation."""
    small = {"of", "the", "a", "an", "and", "in", "on", "for", "to", "at", "is"}
    return len(words) <= 8 and all(w[:1].isupper() or w in small for w in words) and not re.search(
        r"[!?;:]$", words[-1])


def find_quotes(pa: ParsedArticle) -> list[RawQuote]:
    """The direct quotations of one deep-parsed article with their speakers, in text order;
    a quotation that runs over paragraphs gives one quote per paragraph."""
    text = pa.article.text
    quotations = split_at_labels(text, find_quotations(text))
    out: list[RawQuote] = []
    for q, att in zip(quotations, attribute(pa, quotations)):
        for piece in q.pieces:
            raw = text[piece.start:piece.end]
            inner = raw.strip(_STRIP)
            if not inner or not _is_quote(inner):
                continue
            start = piece.start + raw.index(inner)
            out.append(RawQuote(pa.id, start, inner, att.speaker, att.role))
    return out


def speaker_key(speaker: str | None) -> str | None:
    """A comparison key for speakers: the last word of a name, lower case ("Ms. Ilona Vaskari" -> "vaskari")."""
    if not speaker:
        return None
    words = re.findall(r"[\w'’-]+", speaker.lower())
    words = [w for w in words if w not in ("the", "a", "an")]
    if not words:
        return None
    return words[-1].removesuffix("'s").removesuffix("’s")


def _person_names(parsed: Sequence[ParsedArticle]) -> list[str]:
    """The story's PERSON names, cleaned of titles and possessives."""
    from .entities import clean_surface

    names = set()
    for pa in parsed:
        for ps in pa.sentences:
            for e in ps.entities:
                if e.label == "PERSON":
                    name, _, _ = clean_surface(e.text)
                    if name and len(name.split()) <= 4 and name[0].isupper():
                        names.add(name)
    return sorted(names)


def fullest_name(name: str, people: Sequence[str]) -> str:
    """The fullest form of ``name`` among the story's ``people``: a longer name ending with
    the same surname whose first name does not disagree; ``name`` itself when two people
    could be meant ("Clinton" in a story naming Bill and Hillary Clinton)."""
    words = name.split()
    key = speaker_key(name)
    longer = [p for p in people if speaker_key(p) == key and len(p.split()) > len(words)
              and (len(words) == 1 or p.split()[0] == words[0])]
    if not longer:
        return name
    firsts = {p.split()[0] for p in longer}
    if len(firsts) > 1:
        return name
    return max(longer, key=lambda p: (len(p.split()), len(p)))


def resolve_speakers(raw: Sequence[RawQuote], parsed: Sequence[ParsedArticle]) -> list[RawQuote]:
    """Every person speaker in the fullest form of the name the story gives."""
    people = _person_names(parsed)
    surnames = {speaker_key(p) for p in people}
    out = []
    for q in raw:
        if q.speaker and speaker_key(q.speaker) in surnames:
            full = fullest_name(q.speaker, people)
            if full != q.speaker:
                q = RawQuote(q.article_id, q.start, q.text, full, q.role)
        out.append(q)
    return out


_PIECE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def quote_similarity(a: str, b: str, index: StoryIndex) -> float:
    """How likely two quotes state the same thing: the matcher's best probability over their sentences
    (sentence by sentence, so that a quote extended by another sentence still matches its shorter wording)."""
    pieces_a = [a, *_PIECE.split(a)] if _PIECE.search(a) else [a]
    pieces_b = [b, *_PIECE.split(b)] if _PIECE.search(b) else [b]
    return max(index.text_scores([(x, y) for x in pieces_a for y in pieces_b]), default=0.0)


def _same_words(text: str) -> str:
    """Two wordings that differ only in case, spacing or punctuation are the same text."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def merge_quotes(raw: Sequence[RawQuote], index: StoryIndex, threshold: float | None,
                 names: dict[str, str] | None = None) -> list[Quote]:
    """One :class:`Quote` per statement: same speaker and overlapping content, or the same text.
    ``names`` holds the story's person surnames (keys); other speakers are compared by
    their whole phrase."""
    names = names or {}
    groups: list[dict[str, Any]] = []
    for q in raw:
        key = speaker_key(q.speaker)
        if key in names:  # a person: people are compared by surname
            speaker = q.speaker
        elif q.speaker:  # an institution or a group: compared by its whole phrase
            speaker = q.speaker
            key = " ".join(re.findall(r"[\w'’-]+", q.speaker.lower().removeprefix("the ")))
        else:
            speaker = None
        target = None
        for g in groups:
            if _same_words(q.text) in {_same_words(t) for t in g["texts"]}:
                target = g
                break
            if key is None or g["key"] != key:
                continue
            if quote_similarity(q.text, g["text"], index) >= (index.threshold if threshold is None else threshold):
                target = g
                break
        if target is None:
            groups.append({"key": key, "speaker": speaker, "role": q.role, "text": q.text, "texts": [q.text],
                           "sources": [q.article_id]})
            continue
        if q.article_id not in target["sources"]:
            target["sources"].append(q.article_id)
        if _same_words(q.text) not in {_same_words(t) for t in target["texts"]}:
            target["texts"].append(q.text)
        if target["speaker"] is None and speaker:
            target["speaker"], target["key"] = speaker, key
        target["role"] = target["role"] or q.role
    out = []
    for g in groups:
        out.append(Quote(g["speaker"], g["text"], tuple(g["sources"]),
                         tuple(t for t in g["texts"] if t != g["text"]), g["role"]))
    return out


def extract_quotes(parsed: Sequence[ParsedArticle], options: Options = DEFAULT_OPTIONS, *,
                   index: StoryIndex | None = None) -> list[Quote]:
    """The story's quotes from its deep-parsed articles (duplicates already removed).

    One broken article (a parse without Docs) is logged and skipped.
    """
    raw: list[RawQuote] = []
    for pa in parsed:
        if not pa.docs:
            log.warning("%s: no deep parse, quotes skipped", pa.id)
            continue
        try:
            raw.extend(find_quotes(pa))
        except Exception as exc:  # one broken article never stops the story
            log.warning("%s: quotes skipped: %s", pa.id, exc)
    raw = resolve_speakers(raw, parsed)
    index = index or StoryIndex(parsed, threshold=options.attribution_threshold)
    people = {key: p for p in _person_names(parsed) if (key := speaker_key(p))}
    return one_speaker_per_statement(merge_quotes(raw, index, options.quote_merge_threshold, people), index)


# Two wordings whose content words (stems) overlap this much are one statement whoever the
# sources name as its speaker.  Not tuned: set to join only wordings that differ in articles,
# punctuation or a word or two ("the Gaza Strip" against "Gaza Strip"); distinct statements of one
# topic share far fewer of their words.
SAME_STATEMENT = 0.8
_SAME_STATEMENT_MIN_WORDS = 6


def _same_statement(a: Quote, b: Quote, index: StoryIndex) -> bool:
    """The same content by the one matcher, in nearly the same words (a word-set Jaccard of at least
    SAME_STATEMENT over words of at least _SAME_STATEMENT_MIN_WORDS): different speakers' paraphrases stay apart."""
    for x in (a.text, *a.variants):
        bx = frozenset(_same_words(x).split())
        for y in (b.text, *b.variants):
            by = frozenset(_same_words(y).split())
            small = min(len(bx), len(by))
            if (small >= _SAME_STATEMENT_MIN_WORDS and len(bx & by) / len(bx | by) >= SAME_STATEMENT
                    and quote_similarity(x, y, index) >= index.threshold):
                return True
    return False


def one_speaker_per_statement(quotes: Sequence[Quote], index: StoryIndex) -> list[Quote]:
    """One statement is shown once with one speaker: quotes of different speakers whose wordings
    are nearly the same words and the same content ("the ministry said" in three sources, "the minister
    said in a statement released by the ministry" in one) are joined, the speaker named by most sources kept
    (the first one on a tie)."""
    out: list[Quote] = []
    for q in quotes:
        j = next((i for i, o in enumerate(out) if o.speaker != q.speaker and _same_statement(o, q, index)), None)
        if j is None:
            out.append(q)
            continue
        o = out[j]
        main, other = (q, o) if len(q.sources) > len(o.sources) else (o, q)
        texts = [t for t in (main.text, *main.variants, other.text, *other.variants) if t != main.text]
        variants = tuple(dict.fromkeys(t for t in texts if _same_words(t) != _same_words(main.text)))
        sources = tuple(dict.fromkeys((*o.sources, *q.sources)))
        out[j] = Quote(main.speaker, main.text, sources, variants, main.role or other.role)
    return out


# "The statement said ...", "the report says ...": the text, not a speaker
_DOCUMENT = re.compile(r"(?i)(?:the |a |an |its |his |her |their )?(?:statement|report|study|survey|letter|"
                       r"document|release|communiqu[eé]|memo|post|tweet|article|decree|resolution)s?")


def link_speakers(quotes: Sequence[Quote], entities: Sequence[Any]) -> list[Quote]:
    """Speakers named as the story's merged entities: an alias becomes the entity's name
    ("Corvell" -> "Marius Corvell"), and a speaker string that contains a person's name with
    parser noise around it ("Valdoria Anika Sorell") becomes that person."""
    by_alias: dict[str, str] = {}
    people: list[str] = []
    surnames: dict[str, set[str]] = {}
    for e in entities:
        for form in (e.name, *e.aliases):
            by_alias.setdefault(form.casefold(), e.name)
        if e.type == "PERSON" and " " in e.name:
            people.append(e.name)
            surnames.setdefault(e.name.split()[-1].casefold(), set()).add(e.name)
    people.sort(key=len, reverse=True)
    out = []
    for q in quotes:
        name = q.speaker
        if name and _DOCUMENT.fullmatch(name.strip()):
            q = Quote(None, q.text, q.sources, q.variants, q.role)  # a document is not who said it
            name = None
        if name:
            key = name.casefold()
            linked = by_alias.get(key)
            if linked is None:
                linked = next((p for p in people if re.search(rf"\b{re.escape(p.casefold())}\b", key)), None)
            if linked is None:
                cands = surnames.get(key.split()[-1], set())
                linked = next(iter(cands)) if len(cands) == 1 else None
            if linked and linked != name:
                q = Quote(linked, q.text, q.sources, q.variants, q.role)
        out.append(q)
    return out
