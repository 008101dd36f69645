"""The story's headline: a real title of one of its articles, else a verbatim span of the story's best
sentence, shortened at a phrase boundary.

A title is *real* when it has 2 to ``max_words`` words, is not boilerplate
(:func:`~newsdesk.boilerplate.boilerplate_family`: disclaimers, cookie and subscription notices, ...), is not
just the outlet's name and is not a web address.  Without one, the headline comes from the summary's first
sentence (the lead: the story's main development): the whole sentence when it is short, else its opening cut
where a phrase ends (a clause boundary, or before a subordinate clause or a trailing attribution), never on a
function word.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..boilerplate import boilerplate_family
from ..models import SummarySentence
from ..nlp import STOPWORDS, ParsedArticle, stem
from .matcher import StoryIndex

__all__ = ["headline", "real_title", "shorten"]

# A headline from a sentence keeps at most this many words (news headlines run 6-14 words; a lead
# sentence's first clause almost always fits).
SENTENCE_HEADLINE_WORDS = 16
MIN_HEADLINE_WORDS = 4
_CLAUSE_END = re.compile(r",\s|;\s|\s[—–-]{1,2}\s|:\s|\s\(")
# words that open a subordinate clause or a trailing phrase: a headline may stop before them
_PHRASE_START = re.compile(
    r"\s(?=(?:after|before|while|when|as|because|since|although|though|amid|following|despite|which|who|whose"
    r"|where|according|in\s+a\s+move|in\s+an?\s+(?:effort|attempt|bid))\b)", re.I)
# a prepositional phrase: the last resort before cutting at the word limit
_PREPOSITION = re.compile(r"\s(?=(?:in|on|at|by|for|with|from|to|over|into|near|across|during|under|against)\s)",
                          re.I)
_ATTRIBUTION = re.compile(r",?\s+(?:\w+\s+){0,6}(?:said|says|announced|reported|told\s+\w+)\s*\.?$", re.I)
_URL = re.compile(r"^(?:https?://|www\.)|\.(?:com|org|net|co\.uk)(?:/|$)", re.I)
_FUNCTION_END = set("a an the of in on to for and or but with from by at as that which who its his her their "
                    "is are was were be been has have had will would than into over about said says".split())


def real_title(title: str | None, source: str | None = None, max_words: int = 20) -> bool:
    """Is ``title`` a usable headline (not boilerplate, not the outlet's name, not an address)?"""
    if not title:
        return False
    words = title.split()
    if not 2 <= len(words) <= max_words or boilerplate_family(title) or _URL.search(title.strip()):
        return False
    if source and _fold(title) == _fold(source):
        return False
    return sum(ch.isalpha() for ch in title) >= 8


def headline(parsed: Sequence[ParsedArticle], summary: Sequence[SummarySentence], max_words: int = 20) -> str:
    """A short verbatim headline: the real article title most central to the story, else the story's best
    sentence (the summary's lead) shortened at a phrase boundary."""
    titles = [(pa, pa.article.title.strip()) for pa in parsed if pa.article.title
              and real_title(pa.article.title, pa.article.source, max_words)]
    if titles:
        index = StoryIndex(parsed)
        doc_bags = {pa.id: frozenset(w for ps in pa.sentences for w in ps.content_stems()) for pa in parsed}

        def centrality(item: tuple[ParsedArticle, str]) -> float:
            pa, title = item
            bag = frozenset(w for w in _title_stems(title))
            if not bag:
                return 0.0
            # share of the title's weight that the other articles also mention
            return sum(index.weight(bag & doc_bags[o.id]) / index.weight(bag)
                       for o in parsed if o.id != pa.id) / max(len(parsed) - 1, 1)

        return max(titles, key=lambda it: (centrality(it), -len(it[1])))[1]
    for s in summary:
        if not boilerplate_family(s.text):
            return shorten(s.text, min(max_words, SENTENCE_HEADLINE_WORDS))
    return ""


def shorten(sentence: str, max_words: int = SENTENCE_HEADLINE_WORDS) -> str:
    """A verbatim opening of ``sentence`` of at most ``max_words`` words that ends where a phrase ends:
    the sentence (without its full stop and a trailing attribution) when it fits, else its first clause,
    else the text before a subordinate clause, else the longest opening not ending on a function word."""
    text = " ".join(sentence.split()).rstrip()
    bare = _ATTRIBUTION.sub("", text.rstrip(".")).rstrip(" ,;:")
    if len(bare.split()) >= MIN_HEADLINE_WORDS:
        text = bare
    text = text.rstrip(".").rstrip()
    if len(text.split()) <= max_words:
        return text
    for rx in (_CLAUSE_END, _PHRASE_START, _PREPOSITION):
        cuts = [m.start() for m in rx.finditer(text)]
        fits = [c for c in cuts if MIN_HEADLINE_WORDS <= len(text[:c].split()) <= max_words]
        if fits:
            return _trim(text[:max(fits)])
    return _trim(" ".join(text.split()[:max_words]))


def _trim(text: str) -> str:
    words = text.rstrip(" ,;:—–-(").split()
    while len(words) > MIN_HEADLINE_WORDS and words[-1].lower().strip("\"'“”‘’") in _FUNCTION_END:
        words.pop()
    return " ".join(words).rstrip(" ,;:—–-(")


def _fold(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.casefold()))


def _title_stems(title: str) -> list[str]:
    out = []
    for w in title.replace("-", " ").split():
        w = "".join(ch for ch in w.lower() if ch.isalnum())
        if len(w) > 1 and w not in STOPWORDS:
            out.append(stem(w) if w.isalpha() else w)
    return out
