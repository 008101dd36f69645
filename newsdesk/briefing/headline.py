"""The story's headline: a real title of one of its articles, else a verbatim span of the story's best
sentence, shortened at a phrase boundary.

A title is *real* when it has 2 to ``max_words`` words, is not boilerplate
(:func:`~newsdesk.boilerplate.boilerplate_family`: disclaimers, cookie and subscription notices, ...), is not
just the outlet's name and is not a web address.  Without one, the headline comes from the summary's first
sentence (the lead: the story's main development): the whole sentence when it is short, else its main clause
cut where a phrase ends (a clause boundary, or before a subordinate clause, a prepositional phrase or a
trailing attribution), never on a function word.  The words are the sentence's own; only the first letter
is capitalised when a fronted phrase ("In a statement on Friday, ...") is left out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..boilerplate import boilerplate_family
from ..models import SummarySentence
from ..nlp import STOPWORDS, ParsedArticle, ParsedSentence, stem
from .matcher import StoryIndex

__all__ = ["headline", "real_title", "shorten"]

# A headline from a sentence keeps at most this many words.  On the 30 title-less ScrapingHub pages of
# docs/editor.md, 16 cut more headlines before their object ("accused U.S. forces of ..."); 20 keeps more of them
# whole (read by hand; 11 of 30 acceptable at 20).
SENTENCE_HEADLINE_WORDS = 20
MIN_HEADLINE_WORDS = 4
_CLAUSE_END = re.compile(r",\s|;\s|\s[—–-]{1,2}\s|:\s|\s\(")
# words that open a subordinate clause or a trailing phrase: a headline may stop before them
_PHRASE_START = re.compile(
    r"\s(?=(?:after|before|while|when|as|because|since|although|though|amid|following|despite|which|who|whose"
    r"|where|according|in\s+a\s+move|in\s+an?\s+(?:effort|attempt|bid))\b)", re.I)
# a relative clause after a common noun ("the fight that led to ..."); checked against the tags
_RELATIVE = re.compile(r"\s(?=(?:that|which|who)\s)", re.I)
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
    """A short headline: the real article title most central to the story, else the story's best sentence
    (the summary's lead) shortened at a phrase boundary."""
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
    by_start = {(ps.sentence.article_id, ps.sentence.start): ps for pa in parsed for ps in pa.sentences}
    for s in summary:
        if not boilerplate_family(s.text):
            ps = by_start.get((s.sentence.article_id, s.sentence.start))
            same = ps is not None and ps.sentence.end == s.sentence.end  # the same sentence, parsed
            english = ps is not None and (ps.sentence.article_id and _language(parsed, ps) in (None, "en"))
            tags = ([(t.start - s.sentence.start, t.pos, t.text) for t in ps.tokens]
                    if same and english and ps else None)  # the tagger is English
            return shorten(s.text, min(max_words, SENTENCE_HEADLINE_WORDS), tags)
    return ""


Tags = Sequence[tuple[int, str, str]]  # (offset in the sentence, coarse part of speech, token text)
# a phrase may not end on these parts of speech (spaCy's coarse tags)
_BAD_END_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "AUX", "PART", "PRON", "PUNCT"})


def shorten(sentence: str, max_words: int = SENTENCE_HEADLINE_WORDS, tags: Tags | None = None) -> str:
    """An opening of ``sentence`` of at most ``max_words`` words that ends where a phrase ends: the sentence
    (without its full stop and a trailing attribution) when it fits, else its first clause, else the text
    before a subordinate clause or a prepositional phrase.  With part-of-speech ``tags`` (offsets into
    ``sentence``), a fronted phrase without a verb ("In a joint statement on Friday, ...") is skipped and the
    headline starts at the main clause (its first letter capitalised), and a cut must leave a verb before
    it and no function word or verb at its end."""
    text = sentence.rstrip()
    start = _main_clause_start(text, tags) if tags else 0
    body = text[start:]
    bare = _ATTRIBUTION.sub("", body.rstrip(".")).rstrip(" ,;:")
    if len(bare.split()) >= MIN_HEADLINE_WORDS:
        body = bare
    body = body.rstrip(".").rstrip()
    if len(body.split()) <= max_words:
        return _cap(" ".join(body.split()), start)
    for rx in (_CLAUSE_END, _PHRASE_START, _RELATIVE, _PREPOSITION):
        if rx is _RELATIVE and tags is None:
            continue
        cuts = [m.start() for m in rx.finditer(body)]
        fits = [c for c in cuts if MIN_HEADLINE_WORDS <= len(body[:c].split()) <= max_words
                and (tags is None or _good_cut(tags, start, start + c, relative=rx is _RELATIVE))]
        if fits:
            return _cap(_trim(" ".join(body[:max(fits)].split())), start)
    end = _noun_cut(body, tags, start, max_words) if tags else None
    if end:
        return _cap(" ".join(body[:end].split()), start)
    return _cap(_trim(" ".join(body.split()[:max_words])), start)


def _noun_cut(body: str, tags: Tags, start: int, max_words: int) -> int | None:
    """The end of the last noun (not inside a compound) within ``max_words`` words after a finite verb."""
    inside = [(o - start, pos, w) for o, pos, w in tags if o >= start]
    best = None
    for i, (o, pos, w) in enumerate(inside):
        end = o + len(w)
        if len(body[:end].split()) > max_words:
            break
        nxt = inside[i + 1][1] if i + 1 < len(inside) else ""
        if pos in ("NOUN", "PROPN", "NUM") and nxt not in ("NOUN", "PROPN", "PART") \
                and _finite([(p, x) for _, p, x in inside[:i]]):
            best = end
    return best if best and len(body[:best].split()) >= MIN_HEADLINE_WORDS else None


def _finite(tagged: Sequence[tuple[str, str]]) -> bool:
    """Does the span hold a finite verb?  Coarse tags do not tell "expressed" (past) from "led by"
    (participle): an -ed/-en verb counts when an object follows it, not a preposition."""
    for i, (pos, w) in enumerate(tagged):
        if pos == "AUX" or pos == "VERB" and not w.lower().endswith(("ing", "ed", "en")):
            return True
        if pos == "VERB" and w.lower().endswith(("ed", "en")) and i + 1 < len(tagged) \
                and tagged[i + 1][0] in ("DET", "NOUN", "PROPN", "ADJ", "NUM", "PRON"):
            return True
    return False


def _main_clause_start(text: str, tags: Tags) -> int:
    """Offset of the main clause when the sentence opens with a fronted adverbial phrase or subordinate clause
    ("In a statement on Friday, ...", "If approved, ...", "Armed with ice packs, ...") and a comma, else 0."""
    m = re.search(r",\s", text)
    if not m or len(text[:m.start()].split()) > 12:
        return 0
    head = [(pos, w) for o, pos, w in tags if o < m.start() and pos != "PUNCT"]
    rest = [(pos, w) for o, pos, w in tags if o >= m.end()]
    if not head or len(rest) < MIN_HEADLINE_WORDS or not _finite(rest):
        return 0
    first = head[0][0]
    fronted = first in ("ADP", "SCONJ", "ADV") or first == "VERB" and not _finite(head)
    return m.end() if fronted and re.match(r"[\"“‘']?[A-Za-z]", text[m.end():]) else 0


def _good_cut(tags: Tags, start: int, cut: int, relative: bool = False) -> bool:
    inside = [(pos, w) for o, pos, w in tags if start <= o < cut and pos != "PUNCT"]
    if not inside or not _finite(inside):
        return False
    pos, w = inside[-1]
    if relative:
        return pos == "NOUN"  # "the fight that ...", never "announced on Tuesday that ..."
    return pos not in _BAD_END_POS and not (pos == "VERB" and w.lower() not in ("said", "says"))


def _language(parsed: Sequence[ParsedArticle], ps: ParsedSentence) -> str | None:
    return next((pa.article.language for pa in parsed if pa.id == ps.sentence.article_id), None)


def _cap(text: str, start: int) -> str:
    return text[:1].upper() + text[1:] if start and text else text


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
