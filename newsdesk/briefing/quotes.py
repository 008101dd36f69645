"""Quotes: direct quotations and reported speech, with their speakers, merged across sources.

Method (rules over the deep parse, in the spirit of the quote-attribution
pipelines of Pareti 2015 and Newell et al. 2018):

1. **Direct quotes** are the spans between quotation marks (typographic “…”,
   straight "…", newswire ``…'').  Their speaker is the subject of the nearest
   speech verb ("said", "told", "added", "according to" ...) in the sentences the
   quote is part of; a quote without a verb of its own continues the previous
   quote of its paragraph (or a preceding "X said:" sentence).
2. **Reported speech** is the clausal complement of a speech verb outside quotes
   ("Valdoria said on Thursday that 14 civilians had been killed").
3. The subject becomes a speaker: a named entity as it is (the full name when a
   longer mention of the same person exists in the story: "Vaskari" ->
   "Ilona Vaskari"), also when the recogniser misses the surname alone; "he"/"she" ->
   the last person before it who was a subject or was quoted (else the last named); a role
   ("the spokeswoman") -> the last person named with that role; an institution
   ("the presidency", "the defence ministry") -> its noun phrase.
4. Quotes of the same speaker whose content words overlap enough
   (``Options.quote_merge_threshold``) are one statement: the first wording is the
   ``text``, the others are ``variants``, sources are merged.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import Quote
from ..nlp import STOPWORDS, ParsedArticle, stem
from ..options import DEFAULT_OPTIONS, Options
from .matcher import StoryIndex

__all__ = ["RawQuote", "find_quotes", "extract_quotes", "merge_quotes", "speaker_key", "link_speakers"]

log = logging.getLogger(__name__)

SPEECH_LEMMAS = frozenset({
    "say", "tell", "add", "state", "announce", "declare", "write", "insist", "warn", "note", "explain",
    "claim", "argue", "stress", "confirm", "deny", "report", "acknowledge", "admit", "assert", "reply",
    "respond", "tweet", "post", "urge", "accuse", "predict", "promise", "vow", "suggest", "maintain",
    "allege", "emphasize", "emphasise", "remark", "recall", "concede", "contend", "observe", "continue",
    "pledge", "charge", "caution", "boast", "complain", "lament", "joke", "quip", "ask", "answer", "testify",
    "proclaim", "retort", "counter", "scoff", "agree", "conclude",
})
# Nouns naming a role; "the spokeswoman said" is resolved to the last person named with the role.
ROLE_NOUNS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "premier", "official", "secretary",
    "ambassador", "director", "chief", "leader", "governor", "mayor", "senator", "general", "commander",
    "chairman", "chairwoman", "chair", "head", "envoy", "prosecutor", "judge", "officer", "analyst",
    "doctor", "lawyer", "attorney", "manager", "executive", "ceo", "founder", "king", "queen", "prince",
    "representative", "congressman", "congresswoman", "lawmaker", "candidate", "coach", "captain",
})
_PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
_GROUP_PRONOUNS = frozenset({"they", "it", "we"})
_SUBJ_DEPS = frozenset({"nsubj", "nsubjpass"})
_ENT_SPEAKER = frozenset({"PERSON", "ORG", "GPE", "NORP", "FAC"})

_QUOTE_RE = re.compile(r"“([^“”]+)”|``(.+?)''|(?<![A-Za-z0-9])\"([^\"\n]+)\"")
MIN_QUOTE_WORDS = 3  # shorter quoted spans are scare quotes or names ("so-called 'corridor'")
MIN_REPORTED_WORDS = 4  # a reported-speech clause shorter than this is not a statement
_STRIP = " \t\n,;:—–-"


@dataclass(frozen=True)
class RawQuote:
    """One quote in one article: ``text`` is verbatim from ``article_id``'s text at ``start``."""

    article_id: str
    start: int
    text: str
    speaker: str | None
    direct: bool


@dataclass
class _Ctx:
    """Mentions seen so far in an article, for pronoun and role resolution."""

    persons: list[tuple[int, str]] = field(default_factory=list)  # (offset, name)
    subjects: list[tuple[int, str]] = field(default_factory=list)  # persons that are grammatical subjects
    institution: str | None = None  # the last organisation resolved as a speaker, for "it said"
    roles: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, role noun, person name)
    speaker: str | None = None  # the last speaker found, for "the statement said ..."

    def last_person(self, before: int) -> str | None:
        """The last person named as a subject before ``before`` (subjects are the salient
        antecedents of "he"/"she"), else the last person named at all."""
        for pool in (self.subjects, self.persons):
            names = [n for o, n in pool if o < before]
            if names:
                return names[-1]
        return None

    def person_named(self, word: str, before: int) -> str | None:
        """The last person named before ``before`` whose name is ``word`` or ends with it (a
        surname the entity recogniser missed: "Vaskari said" after "Ilona Vaskari")."""
        for o, n in reversed(self.persons):
            if o < before and (n == word or n.split()[-1] == word):
                return n
        return None

    def person_with_role(self, role: str, before: int) -> str | None:
        names = [n for o, r, n in self.roles if r == role and o < before]
        return names[-1] if names else None


def _clean_text(t: str) -> str:
    t = t.strip(_STRIP)
    return t


def _ent_of(tok: Any) -> Any | None:
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _depossess(name: str) -> str:
    return re.sub(r"\s*['’]s?$", "", name).strip()


def _noun_phrase(tok: Any) -> str:
    """The subject's noun phrase without determiners, relative clauses or trailing modifiers."""
    left = [t for t in tok.lefts if t.dep_ in ("compound", "amod", "poss", "nmod", "case") and not t.is_punct]
    start = min([tok.i] + [t.left_edge.i for t in left])
    end = tok.i + 1
    for prep in tok.rights:  # "a spokesperson for Google", "the head of the agency"
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of", "at") and \
                any(c.dep_ == "pobj" and (c.ent_type_ or c.pos_ == "PROPN") for c in prep.children):
            end = prep.right_edge.i + 1
            break
    text = tok.doc[start:end].text
    return re.sub(r"^(?:the|a|an)\s+", "", text, flags=re.I).strip()


def _resolve(tok: Any, off: int, ctx: _Ctx) -> str | None:
    """The speaker named by subject token ``tok`` (a token of a paragraph Doc at ``off``)."""
    ent = _ent_of(tok)
    if ent is not None and ent.label_ in _ENT_SPEAKER:
        if ent.label_ == "ORG":
            ctx.institution = _depossess(ent.text)
        return _depossess(ent.text)
    # a named person in apposition or compound with the subject ("the spokeswoman, Maria
    # Vaskari"), but not one in a prepositional phrase ("a spokesman for Mr. Reid")
    for t in tok.children:
        if t.dep_ in ("appos", "compound", "flat", "nmod"):
            e = _ent_of(t)
            if e is not None and e.label_ == "PERSON":
                return _depossess(e.text)
    low = tok.lower_
    where = off + tok.idx
    if low in _PERSON_PRONOUNS:
        return ctx.last_person(where)
    if low == "it":
        return ctx.institution
    if low in _GROUP_PRONOUNS or tok.pos_ == "PRON":
        return None
    if tok.lemma_.lower() in ROLE_NOUNS:
        named = ctx.person_with_role(tok.lemma_.lower(), where)
        if named:
            return named
    if tok.pos_ == "PROPN" and tok.dep_ in _SUBJ_DEPS:
        named = ctx.person_named(_depossess(tok.text), where)
        if named:  # a person the recogniser missed here; the subject is a salient antecedent
            ctx.subjects.append((where, named))
            ctx.subjects.sort()
            return named
    if tok.pos_ == "NOUN" and _DOCUMENT.fullmatch(tok.text) and not any(c.dep_ == "poss" for c in tok.children):
        return ctx.speaker  # "the statement said": the text of whoever spoke last, not a speaker itself
    if tok.pos_ in ("NOUN", "PROPN"):
        phrase = _noun_phrase(tok)
        if phrase and tok.lemma_.lower() not in ROLE_NOUNS:
            ctx.institution = phrase  # "the ministry said ... It added that ..."
        return phrase or None
    return None


def _speaker_of_verb(verb: Any, off: int, ctx: _Ctx) -> str | None:
    v = verb
    for _ in range(3):
        subj = [c for c in v.children if c.dep_ in _SUBJ_DEPS]
        if subj:
            return _resolve(subj[0], off, ctx)
        agent = [c for c in v.children if c.dep_ == "agent"]
        if agent:
            pobj = [c for c in agent[0].children if c.dep_ == "pobj"]
            if pobj:
                return _resolve(pobj[0], off, ctx)
        if v.dep_ in ("advcl", "conj", "xcomp", "ccomp", "relcl") and v.head is not v:
            v = v.head
            continue
        break
    return None


def _according_to(tok: Any, off: int, ctx: _Ctx) -> str | None:
    if tok.lower_ != "according":
        return None
    for c in tok.children:
        if c.lower_ == "to":
            for p in c.children:
                if p.dep_ == "pobj":
                    return _resolve(p, off, ctx)
    return None


def _is_speech(tok: Any) -> bool:
    return (tok.pos_ in ("VERB", "AUX") and tok.lemma_.lower() in SPEECH_LEMMAS) or tok.lower_ == "according"


def find_quotes(pa: ParsedArticle) -> list[RawQuote]:
    """Direct quotes and reported speech of one deep-parsed article, in text order."""
    out: list[RawQuote] = []
    ctx = _Ctx()
    last_speaker: str | None = None
    for off, doc in pa.docs:
        text = doc.text
        spans = [m.span() for m in _QUOTE_RE.finditer(text)]
        para_speaker: str | None = None
        for m in _QUOTE_RE.finditer(text):
            g = next(i for i in (1, 2, 3) if m.group(i) is not None)
            q0, q1 = m.start(g), m.end(g)
            inner = _clean_text(text[q0:q1])
            if len(inner.split()) < MIN_QUOTE_WORDS:
                continue
            # the sentences around the quote; verbs outside the quote, nearest first
            cands: list[tuple[int, Any]] = []
            intro_subj = None
            for sent in doc.sents:
                # the sentences the quote is part of, and a sentence introducing it ("He added:")
                intro = sent.end_char <= m.start() and sent.text.rstrip().endswith(":") and \
                    not text[sent.end_char:m.start()].strip()
                if intro or (sent.start_char < m.start() and text[sent.start_char:m.start()].rstrip().endswith(":")):
                    intro_subj = next((t for t in sent if t.dep_ in _SUBJ_DEPS and t.idx < m.start()), None)
                if not intro and (sent.end_char < m.start() or sent.start_char > m.end()):
                    continue
                for t in sent:
                    if m.start() <= t.idx < m.end():
                        continue
                    if _is_speech(t):
                        dist = m.start() - t.idx if t.idx < m.start() else t.idx - m.end()
                        cands.append((dist, t))
            speaker = None
            _track_until(doc, off, ctx, m.start(), spans)
            for _, verb in sorted(cands, key=lambda c: c[0]):
                speaker = _according_to(verb, off, ctx) if verb.lower_ == "according" else \
                    _speaker_of_verb(verb, off, ctx)
                if speaker:
                    break
            if speaker is None and intro_subj is not None:  # "Biden was quick to retort: “...”"
                speaker = _resolve(intro_subj, off, ctx)
            if speaker is None and not cands:
                before = text[:m.start()].rstrip()
                if before.endswith(":") or not before:
                    speaker = para_speaker or (last_speaker if not before else None)
                elif para_speaker:
                    speaker = para_speaker
            if speaker:
                para_speaker = speaker
                last_speaker = ctx.speaker = speaker
                if any(n == speaker for _, n in ctx.persons):  # a quoted person: the antecedent of "he said"
                    ctx.subjects.append((off + m.start(), speaker))  # (BASIL speaker F1 0.509 -> 0.512)
                    ctx.subjects.sort()
            start = off + q0 + (len(text[q0:q1]) - len(text[q0:q1].lstrip(_STRIP)))
            out.append(RawQuote(pa.id, start, inner, speaker, True))
        # reported speech outside quotes
        for t in doc:
            if not (_is_speech(t) and t.lower_ != "according"):
                continue
            if any(s <= t.idx < e for s, e in spans):
                continue
            comp = [c for c in t.children if c.dep_ == "ccomp"]
            if not comp:
                continue
            c = comp[0]
            # A news agency relaying a statement is not its speaker:
            if t.dep_ == "ccomp" and _is_speech(t.head) and t.head.idx < c.left_edge.idx < t.idx:
                continue  # "officials said X, the agency reported" parsed as said -> reported -> X
            if _is_speech(c) and any(k.dep_ in _SUBJ_DEPS for k in c.children):
                said = [k for k in c.children if k.dep_ == "ccomp"]
                if said and t.idx < said[0].left_edge.idx and said[0].idx < c.idx:
                    c = said[0]  # the same parse, seen from "said": its words are X
                elif said:
                    continue  # "[officials said X], the agency reported": X is taken with "said"
            c0, c1 = c.left_edge.idx, c.right_edge.idx + len(c.right_edge.text)
            if any(s < c1 and c0 < e for s, e in spans):
                continue
            clause = text[c0:c1]
            lead = re.match(r"^(?:that\s+)", clause)
            if lead:
                c0 += lead.end()
                clause = clause[lead.end():]
            clause = clause.rstrip(_STRIP + ".")
            if len(clause.split()) < MIN_REPORTED_WORDS:
                continue
            _track_until(doc, off, ctx, t.idx, spans)
            speaker = _speaker_of_verb(t, off, ctx)
            if speaker is None:
                continue
            ctx.speaker = speaker
            out.append(RawQuote(pa.id, off + c0, clause, speaker, False))
        _track_until(doc, off, ctx, len(text) + 1, spans)
    out.sort(key=lambda q: q.start)
    return out


def _track_until(doc: Any, off: int, ctx: _Ctx, upto: int, quoted: Sequence[tuple[int, int]] = ()) -> None:
    """Record the paragraph's person mentions that start before ``upto`` (idempotent); people named
    inside quotation marks are talked about, not talking, and are left out."""
    seen = {o for o, _ in ctx.persons}
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start_char >= upto or off + ent.start_char in seen:
            continue
        if any(s <= ent.start_char < e for s, e in quoted):
            continue
        ctx.persons.append((off + ent.start_char, ent.text))
        if ent.root.dep_ in _SUBJ_DEPS:
            ctx.subjects.append((off + ent.start_char, ent.text))
        for t in doc[max(0, ent.start - 4):ent.start]:
            if t.lemma_.lower() in ROLE_NOUNS:
                ctx.roles.append((off + ent.start_char, t.lemma_.lower(), ent.text))
    ctx.persons.sort()
    ctx.subjects.sort()


def speaker_key(speaker: str | None) -> str | None:
    """A comparison key for speakers: the last word of a name, lower case ("Ms. Ilona Vaskari" -> "vaskari")."""
    if not speaker:
        return None
    words = re.findall(r"[\w'’-]+", speaker.lower())
    words = [w for w in words if w not in ("the", "a", "an")]
    if not words:
        return None
    return words[-1].removesuffix("'s").removesuffix("’s")


def _full_names(raw: Sequence[RawQuote], parsed: Sequence[ParsedArticle]) -> dict[str, str]:
    """Surname -> the longest PERSON name of the story ending with it."""
    best: dict[str, str] = {}
    for pa in parsed:
        for ps in pa.sentences:
            for e in ps.entities:
                if e.label != "PERSON":
                    continue
                name = _depossess(e.text)
                k = speaker_key(name)
                if k and len(name) > len(best.get(k, "")) and len(name.split()) <= 4:
                    best[k] = name
    return best


def _bag(text: str) -> frozenset[str]:
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*|\d+", text.lower())
    return frozenset(stem(w) if w.isalpha() else w for w in words if w not in STOPWORDS and len(w) > 1)


_PIECE = re.compile(r"(?<=[.!?])\s+(?=[A-Z“\"])")


def quote_similarity(a: str, b: str, index: StoryIndex) -> float:
    """How far two quotes state the same thing: the best, over their sentences, IDF-weighted share of
    the shorter sentence's content words found in the other (0 with fewer than two shared words).
    Sentence by sentence so that a quote extended by another sentence still matches its shorter wording."""
    best = 0.0
    for pa in [a, *_PIECE.split(a)] if _PIECE.search(a) else [a]:
        x = _bag(pa)
        for pb in [b, *_PIECE.split(b)] if _PIECE.search(b) else [b]:
            y = _bag(pb)
            shared = x & y
            if len(shared) < 2:
                continue
            best = max(best, index.weight(shared) / min(index.weight(x), index.weight(y)))
    return best


def _same_words(text: str) -> str:
    """Two wordings that differ only in case, spacing or punctuation are the same text."""
    return " ".join(re.findall(r"\w+", text.casefold()))


def merge_quotes(raw: Sequence[RawQuote], index: StoryIndex, threshold: float,
                 names: dict[str, str] | None = None) -> list[Quote]:
    """One :class:`Quote` per statement: same speaker and overlapping content, or the same text."""
    names = names or {}
    groups: list[dict[str, Any]] = []
    for q in raw:
        key = speaker_key(q.speaker)
        if key in names:  # a person: the full name; people are compared by surname
            speaker = names[key] if len(q.speaker.split()) <= 2 else q.speaker  # type: ignore[union-attr]
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
            if quote_similarity(q.text, g["text"], index) >= threshold:
                target = g
                break
        if target is None:
            groups.append({"key": key, "speaker": speaker, "text": q.text, "texts": [q.text],
                           "sources": [q.article_id], "direct": q.direct})
            continue
        if q.article_id not in target["sources"]:
            target["sources"].append(q.article_id)
        if _same_words(q.text) not in {_same_words(t) for t in target["texts"]}:
            target["texts"].append(q.text)
        if target["speaker"] is None and speaker:
            target["speaker"], target["key"] = speaker, key
    out = []
    for g in groups:
        out.append(Quote(g["speaker"], g["text"], tuple(g["sources"]),
                         tuple(t for t in g["texts"] if t != g["text"])))
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
    index = index or StoryIndex(parsed)
    return merge_quotes(raw, index, options.quote_merge_threshold, _full_names(raw, parsed))


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
            q = Quote(None, q.text, q.sources, q.variants)  # a document is not who said it
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
                q = Quote(linked, q.text, q.sources, q.variants)
        out.append(q)
    return out
