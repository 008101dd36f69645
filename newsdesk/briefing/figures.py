"""Figures (numbers with what they count) and the conflicts between sources.

A figure is read off the dependency parse: a cardinal ("at least 212", "30,000",
"four") or a written-out quantity ("dozens", "thousands"), the noun it counts
("civilians", "41 of its soldiers"), the verb that says what happened
to them ("were killed", "have fled", "claimed ... lives"), the qualifier ("at
least", "some", "about", "as many as") and the claimant where stated
("Valdoria said", "according to the hospital").

The ``measure`` is normalised: the verb's event class ("killed", "wounded",
"displaced", ...) prefixed by the scope of the counted noun ("civilians",
"soldiers", "children", a demonym such as "Valdorian soldiers") and suffixed by
the period when the figure is about a past period ("killed (2001-2003)").  The
same (measure, value) from several articles is one figure with all its sources.

A conflict is one measure (same scope, same period) with different values from
different articles.  Only event measures (deaths, injuries, displacement, ...)
with exact numbers are compared: "dozens" is not a value to contradict, and a
count of "residents" or "rockets" has no scope we could check.
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ..models import Conflict, ConflictValue, Figure
from ..nlp import ParsedArticle
from ..options import DEFAULT_OPTIONS, Options
from ..unionfind import UnionFind

__all__ = ["FigureMention", "parse_number", "find_figures", "merge_figures", "find_conflicts", "EVENT_MEASURES"]

log = logging.getLogger(__name__)

_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "dozen": 12,
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
           "trillion": 1_000_000_000_000, "mln": 1_000_000, "bn": 1_000_000_000}
# Vague written-out quantities: the smallest value they can mean; shown with the word as qualifier.
VAGUE = {"dozens": 24, "scores": 40, "hundreds": 200, "thousands": 2_000, "tens of thousands": 20_000,
         "hundreds of thousands": 200_000, "millions": 2_000_000}
_QUALIFIERS = ("at least", "at most", "more than", "less than", "fewer than", "as many as", "up to", "over",
               "under", "about", "around", "some", "nearly", "almost", "roughly", "approximately", "an estimated",
               "close to", "just over", "just under", "no fewer than", "no more than", "well over")
_QUAL_RE = re.compile(r"^(?:" + "|".join(re.escape(q) for q in sorted(_QUALIFIERS, key=len, reverse=True))
                      + r")\b\s*", re.I)

# event classes: verb or noun lemma -> normalised measure
EVENT_WORDS = {
    "kill": "killed", "die": "killed", "death": "killed", "dead": "killed", "fatality": "killed",
    "perish": "killed", "toll": "killed", "massacre": "killed", "execute": "killed", "slay": "killed",
    "wound": "wounded", "injure": "wounded", "injury": "wounded", "hurt": "wounded", "wounded": "wounded",
    "injured": "wounded", "casualty": "casualties",
    "flee": "displaced", "displace": "displaced", "refugee": "displaced", "homeless": "displaced",
    "evacuate": "evacuated", "evacuee": "evacuated", "leave": "evacuated", "rescue": "rescued",
    "arrest": "arrested", "detain": "arrested", "capture": "captured", "prisoner": "prisoners",
    "missing": "missing", "abduct": "kidnapped", "kidnap": "kidnapped",
}
EVENT_MEASURES = frozenset(EVENT_WORDS.values())
# "claimed 250 lives", "took the lives of": a life noun makes the verb a killing
_LIFE_WORDS = frozenset({"life", "lives"})
# nouns that count everybody (no scope prefix)
_GENERIC = frozenset({"people", "person", "persons", "life", "lives", "death", "deaths", "dead", "casualty",
                      "casualties", "fatality", "fatalities", "toll", "individual", "individuals", "victim",
                      "victims", "wounded", "injured", "refugee", "refugees", "evacuee", "evacuees", "prisoner",
                      "prisoners", "resident", "residents", "inhabitant", "inhabitants"})
_SCOPES = {
    "civilian": "civilians", "soldier": "soldiers", "troop": "soldiers", "serviceman": "soldiers",
    "servicemen": "soldiers", "military": "soldiers", "personnel": "soldiers", "fighter": "fighters",
    "militant": "fighters", "rebel": "fighters", "separatist": "fighters", "insurgent": "fighters",
    "combatant": "fighters", "child": "children", "children": "children", "woman": "women", "women": "women",
    "police": "police", "policeman": "police", "officer": "police", "journalist": "journalists",
    "worker": "workers", "student": "students", "patient": "patients", "passenger": "passengers",
    "migrant": "migrants", "protester": "protesters", "demonstrator": "protesters",
}
_SPEECH = frozenset({"say", "tell", "report", "announce", "acknowledge", "confirm", "add", "put", "estimate",
                     "state", "claim", "declare", "insist", "admit", "reveal", "show", "count", "record",
                     "release", "publish", "disclose"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)(?:s|\s*[-–]\s*(?:\d{2}|\d{4}))?\b")
_SKIP_ENTS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "ORDINAL", "QUANTITY"})


@dataclass(frozen=True)
class FigureMention:
    """One figure as one article states it."""

    measure: str
    value: float
    qualifier: str | None
    text: str  # the sentence that states it, verbatim
    article_id: str
    claimant: str | None = None
    period: str | None = None  # a past period the figure is about ("2001-2003"), else None
    event: bool = False  # an event measure (comparable across sources)
    vague: bool = False  # a written-out quantity such as "dozens"
    start: int = 0  # offset of the number in Article.text


def parse_number(text: str) -> tuple[float, str | None] | None:
    """The value and qualifier of a number phrase: "at least 212" -> (212, "at least"),
    "1.2 million" -> (1200000, None), "some 400" -> (400, "some"), "dozens" -> (24, "dozens")."""
    t = " ".join(text.replace("\u00a0", " ").split()).strip(" ,.;:")
    qual = None
    m = _QUAL_RE.match(t)
    if m:
        qual = m.group(0).strip().lower()
        t = t[m.end():]
    low = t.lower()
    if low in VAGUE:
        return float(VAGUE[low]), low if qual is None else f"{qual} {low}"
    words = low.replace("-", " ").split()
    if not words:
        return None
    value: float | None = None
    total = 0.0
    for w in words:
        w = w.strip(",")
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?", w):
            value = (value or 0.0) + float(w.replace(",", ""))
        elif w in _WORD_NUMBERS and w != "hundred":
            value = (value or 0.0) + _WORD_NUMBERS[w]
        elif w in _SCALES and (value is not None or w == "hundred"):
            value = (value if value is not None else 1.0) * _SCALES[w]
            if _SCALES[w] >= 1000:
                total += value
                value = None
        elif w in ("and", "a"):
            continue
        else:
            return None
    result = total + (value or 0.0)
    if result <= 0 and value is None:
        return None
    return result, qual


def _number_spans(doc: Any) -> list[tuple[int, int]]:
    """Token spans of candidate numbers: CARDINAL entities and number-like tokens outside
    dates, times, percentages, money and measurements; plus vague quantities."""
    spans: list[tuple[int, int]] = []
    covered: set[int] = set()
    for ent in doc.ents:
        if ent.label_ in _SKIP_ENTS:
            for t in ent:
                # "on Friday 376 of its personnel": a count the tagger swallowed into a date
                if ent.label_ == "DATE" and t.like_num and _count_in_date(t):
                    continue
                covered.add(t.i)
        elif ent.label_ == "CARDINAL":
            spans.append((ent.start, ent.end))
            covered.update(range(ent.start, ent.end))
    for tok in doc:
        if tok.i in covered:
            continue
        low = tok.lower_
        if low in VAGUE or (tok.like_num and tok.pos_ == "NUM" and not tok.is_punct):
            spans.append((tok.i, tok.i + 1))
    return sorted(spans)


def _count_in_date(t: Any) -> bool:
    """A number inside a DATE entity that cannot be part of a date."""
    try:
        v = float(t.text.replace(",", ""))
    except ValueError:
        return False
    return v > 31 and not (1800 <= v <= 2100) and not t.text.endswith("s")


_FRACTIONS = {"half": 0.5, "third": 1 / 3, "quarter": 0.25, "two-thirds": 2 / 3, "three-quarters": 0.75}


def _fraction_of(num: Any) -> tuple[float, Any] | None:
    """"half of the region's 120,000 residents" -> (0.5, the token 120,000)."""
    frac = _FRACTIONS.get(num.lower_)
    if frac is None:
        return None
    for child in num.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                for c in pobj.children:
                    if c.dep_ == "nummod" and c.like_num:
                        return frac, c
    return None


def _inside_fraction(num: Any) -> bool:
    head = num.head
    return (num.dep_ == "nummod" and head.dep_ == "pobj" and head.head.lower_ == "of"
            and head.head.head.lower_ in _FRACTIONS)


def _head_number(doc: Any, start: int, end: int) -> Any:
    """The syntactic head of a number phrase (the last number-like token)."""
    for i in range(end - 1, start - 1, -1):
        t = doc[i]
        if t.like_num or t.lower_ in VAGUE or t.lower_ in _SCALES or t.lower_ in _FRACTIONS:
            return t
    return doc[end - 1]


def _counted_noun(num: Any) -> Any:
    """The noun a number counts: "14 civilians", "376 of its personnel", "dozens of
    stalls"; the number itself when it stands alone ("killed 400", "Thousands were killed")."""
    if num.dep_ in ("nummod", "quantmod") and num.head.ent_type_ in ("DATE", "TIME"):
        num = num.head  # mis-parsed "on Friday 376 of ...": look for the "of" phrase on the date
    elif num.dep_ in ("nummod", "quantmod") and num.head.pos_ in ("NOUN", "PROPN", "ADJ"):
        return num.head
    for child in num.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
    return num


def _governing_verb(tok: Any) -> Any:
    """The nearest verb above ``tok`` through noun-phrase links."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") and cur is not tok:
            return cur
        if cur.head is cur:
            return cur if cur.pos_ in ("VERB", "AUX") else None
        cur = cur.head
    return None


def _event(noun: Any, num: Any, verb: Any, doc: Any) -> str | None:
    """The event class of a figure, from the word after the number ("37 wounded"), the
    counted noun ("deaths") or the verb ("were killed", "claimed ... lives")."""
    nxt = doc[num.i + 1] if num.i + 1 < len(doc) else None
    if nxt is not None and noun is num and nxt.lemma_.lower() in EVENT_WORDS and nxt.pos_ in ("VERB", "ADJ"):
        return EVENT_WORDS[nxt.lemma_.lower()]
    for t in (noun, *[c for c in noun.children if c.dep_ in ("compound", "amod")]):
        lemma = t.lemma_.lower()
        if lemma in EVENT_WORDS and lemma not in ("leave",) and t.pos_ in ("NOUN", "ADJ"):
            return EVENT_WORDS[lemma]
    if verb is None:
        return None
    lemma = verb.lemma_.lower()
    if lemma in EVENT_WORDS:
        if lemma == "leave" and noun.lemma_.lower() not in ("people", "person", "resident", "civilian", "family"):
            return None
        return EVENT_WORDS[lemma]
    if lemma in ("claim", "take", "cost") and (noun.lower_ in _LIFE_WORDS or any(
            c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in verb.children)):
        return "killed"
    for c in verb.children:  # "have been confirmed killed", "were reported dead"
        if c.dep_ in ("xcomp", "oprd", "acomp") and c.lemma_.lower() in EVENT_WORDS and c.lemma_.lower() != "leave":
            return EVENT_WORDS[c.lemma_.lower()]
    if lemma in ("force", "drive", "push") and any(t.lemma_.lower() == "home" for t in verb.subtree):
        return "displaced"
    if lemma in ("put", "raise", "reach", "rise", "climb", "stand"):
        for t in verb.subtree:
            if t.lemma_.lower() in ("toll",) and any(c.lemma_.lower() == "death" for c in t.children):
                return "killed"
    return None


def _coordinated_event_verb(noun: Any, doc: Any) -> Any:
    """"41 of its soldiers and nine civilians had been killed": a counted noun
    coordinated with the subject of an event verb shares the verb, even when the parser
    attached it elsewhere.  Looks right for an event verb with only nouns, numbers,
    conjunctions and auxiliaries between."""
    sent_end = noun.sent.end
    i = noun.i + 1
    stop = min(noun.i + 16, sent_end)
    while i < stop:
        t = doc[i]
        if t.text == "," and i + 1 < stop and doc[i + 1].pos_ in ("AUX", "VERB"):
            i += 1  # the comma closing the parenthetical the noun is in
            continue
        if t.text == ",":  # skip a parenthetical ", among them four children,"
            close = next((j for j in range(i + 1, min(i + 9, stop)) if doc[j].text == ","), None)
            if close is None:
                return None
            i = close + 1
            continue
        if t.pos_ == "VERB":
            return t if t.lemma_.lower() in EVENT_WORDS else None
        if t.pos_ not in ("NOUN", "NUM", "CCONJ", "AUX", "PART", "ADJ", "DET", "PRON", "ADV", "PROPN"):
            return None
        i += 1
    return None


def _scope(noun: Any, num: Any) -> str:
    """The counted group: "civilians", "soldiers", "Kethran civilians", "" for everybody."""
    if noun is num:
        return ""
    lemma = noun.lemma_.lower()
    words: list[str] = []
    mods = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i]
    demonym = next((c.text for c in mods if c.ent_type_ == "NORP"), None)
    scope = _SCOPES.get(lemma) or _SCOPES.get(noun.lower_)
    for c in mods:
        s = _SCOPES.get(c.lemma_.lower())
        if s and (scope is None or lemma in _GENERIC or lemma in ("personnel",)):
            scope = s
    if scope is None and lemma not in _GENERIC:
        scope = noun.lower_ if noun.pos_ == "NOUN" else None
    if demonym:
        words.append(demonym)
    if scope:
        words.append(scope)
    return " ".join(words)


def _period(verb: Any, noun: Any, pub_year: int | None) -> str | None:
    """A past period the figure is about: a year in the verb's adverbials ("before a 1994
    cease-fire") or in the noun the clause describes ("a 2001-2003 war that killed")."""
    texts: list[str] = []
    if verb is not None:
        for c in verb.children:
            if c.dep_ in ("prep", "npadvmod", "advcl", "advmod") and c.i > (noun.i if noun is not None else -1) - 50:
                texts.append(" ".join(t.text for t in c.subtree))
        if verb.dep_ in ("relcl", "acl"):
            head = verb.head
            texts.append(" ".join(t.text for t in head.subtree if t.i < verb.i and t not in set(verb.subtree)))
    for text in texts:
        for m in _YEAR.finditer(text):
            year = int(m.group(1))
            if pub_year is None or year < pub_year:
                return m.group(0).replace(" ", "")
    return None


def _place(verb: Any, noun: Any) -> str | None:
    """The place a count is limited to: "died in southern Mexico", "killed in Honduras"
    (a place name governed by "in" on the verb, its complement or the counted noun)."""
    heads = [t for t in (verb, noun) if t is not None]
    if verb is not None:
        heads += [c for c in verb.children if c.dep_ in ("acomp", "oprd", "xcomp")]
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ == "in":
                for pobj in c.children:
                    if pobj.dep_ == "pobj" and pobj.ent_type_ in ("GPE", "LOC", "FAC"):
                        ent = next((e for e in pobj.doc.ents if e.start <= pobj.i < e.end), None)
                        text = ent.text if ent is not None else pobj.text
                        return re.sub(r"^the\s+", "", text, flags=re.I)
    return None


def _claimant(verb: Any, sent: Any, noun: Any = None) -> str | None:
    """Who states the figure: the subject of the figure's own reporting verb ("the
    Lurani side has acknowledged 187 deaths"), of a speech verb whose complement
    states it ("the ministry said ... 212 ... had been killed"), or "according to X"."""
    cur, came_by = verb, None
    for _ in range(6):
        if cur is None:
            break
        lemma = cur.lemma_.lower()
        reported = cur is verb or came_by in ("ccomp", "parataxis", "conj", "xcomp")
        takes_lives = any(c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in cur.children)
        if lemma in _SPEECH and reported and not (lemma == "claim" and (cur is verb or takes_lives)):
            subj = next((c for c in cur.children if c.dep_ == "nsubj"), None)
            if (subj is not None and subj.pos_ != "PRON" and not subj.like_num
                    and (noun is None or noun not in set(subj.subtree))):
                return _phrase(subj)
        for c in cur.children:
            if c.dep_ == "prep" and c.lower_ == "according":
                for to in c.children:
                    for pobj in to.children:
                        if pobj.dep_ == "pobj":
                            return _phrase(pobj)
        if cur.head is cur:
            break
        cur, came_by = cur.head, cur.dep_
    for t in sent:  # "according to X" anywhere in the sentence
        if t.lower_ == "according" and t.i + 1 < len(sent.doc) and t.nbor().lower_ == "to":
            for to in t.children:
                for pobj in to.children:
                    if pobj.dep_ == "pobj":
                        return _phrase(pobj)
    return None


def _phrase(tok: Any) -> str:
    words = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl", "appos", "punct")]
    # keep the contiguous core around the head (at most six words)
    words = [t for t in words if abs(t.i - tok.i) <= 5]
    text = " ".join(t.text for t in words)
    return re.sub(r"\s+('s|’s)", r"\1", text).strip()


def find_figures(parsed: Sequence[ParsedArticle], options: Options = DEFAULT_OPTIONS) -> list[FigureMention]:
    """Every figure stated in the articles (deep parse needed), in article order."""
    out: list[FigureMention] = []
    for pa in parsed:
        pub_year = pa.article.published.year if pa.article.published else None
        for off, doc in pa.docs:
            if not doc.has_annotation("DEP"):
                continue
            for start, end in _number_spans(doc):
                try:
                    fm = _figure(pa, off, doc, start, end, pub_year)
                except (IndexError, ValueError) as exc:  # a malformed parse never stops the story
                    log.debug("figure at %s:%d skipped: %s", pa.id, off, exc)
                    continue
                if fm is not None:
                    out.append(fm)
    return out


def _figure(pa: ParsedArticle, off: int, doc: Any, start: int, end: int, pub_year: int | None
            ) -> FigureMention | None:
    span = doc[start:end]
    num = _head_number(doc, start, end)
    if _inside_fraction(num):
        return None  # stated as "half of N ..." (see below)
    parsed = parse_number(span.text)
    frac = _fraction_of(num)
    if frac is not None:
        whole = parse_number(frac[1].text)
        if whole is None:
            return None
        qual_words = span.text.lower().split()
        parsed = (frac[0] * whole[0], " ".join(qual_words) + " of " + frac[1].text)
        num = frac[1]
    if parsed is None:
        return None
    value, qual = parsed
    if 1800 <= value <= 2100 and qual is None and num.ent_type_ != "CARDINAL":
        return None  # a year
    nxt = doc[end] if end < len(doc) else None
    if nxt is not None and (nxt.text in ("%", "-", "–") or nxt.lower_ in ("percent", "per", "pc")):
        return None
    # ages and list numbers: "Mariam Osk, 71," / a number heading a PROPN apposition
    if num.dep_ in ("appos", "npadvmod") and num.head.pos_ == "PROPN":
        return None
    # "half of the region's 120,000 residents": the number is a share; keep what it counts
    noun = _counted_noun(num)
    if noun is num and num.dep_ not in ("nsubj", "nsubjpass", "dobj", "pobj", "attr", "conj", "ROOT"):
        return None
    verb = _governing_verb(noun)
    event = _event(noun, num, verb, doc)
    if event is None and (noun is num or noun.lemma_.lower() in _GENERIC or noun.lemma_.lower() in _SCOPES):
        later = _coordinated_event_verb(noun, doc)
        if later is not None:
            verb, event = later, _event(noun, num, later, doc)
    scope = _scope(noun, num)
    if event is None and not scope:
        return None
    if event is None and (noun.pos_ != "NOUN" or value < 10):
        return None  # "two sides", "three countries": not worth a row
    measure = " ".join(w for w in (scope, event or "") if w) if event else scope
    if event in ("displaced", "evacuated") and scope in ("residents", "inhabitants"):
        measure = event
    place = _place(verb, noun) if event else None
    if place:
        measure = f"{measure} in {place}"
    period = _period(verb, noun, pub_year) if event else None
    if period:
        measure = f"{measure} ({period})"
    sent = span.sent
    s_text = sent.text.strip()
    return FigureMention(
        measure=measure,
        value=value,
        qualifier=qual,
        text=s_text,
        article_id=pa.id,
        claimant=_claimant(verb, sent, noun) if verb is not None else None,
        period=period,
        event=event is not None,
        vague=span.text.lower().strip() in VAGUE or (qual or "").split(" ")[-1] in VAGUE,
        start=off + span.start_char,
    )


def merge_figures(mentions: Sequence[FigureMention], order: Sequence[str] = ()) -> list[Figure]:
    """One Figure per (measure, value, qualifier class) with every article stating it,
    event measures first, then by number of sources."""
    rank = {a: i for i, a in enumerate(order)}
    groups: dict[tuple[str, float], list[FigureMention]] = defaultdict(list)
    for m in mentions:
        groups[(m.measure, m.value)].append(m)
    figs: list[tuple[tuple[Any, ...], Figure]] = []
    for (measure, value), ms in groups.items():
        ms = sorted(ms, key=lambda m: (rank.get(m.article_id, len(rank)), m.start))
        sources = tuple(dict.fromkeys(m.article_id for m in ms))
        qual = next((m.qualifier for m in ms if m.qualifier), None)
        claimant = next((m.claimant for m in ms if m.claimant), None)
        fig = Figure(measure=measure, value=value, text=ms[0].text, sources=sources, qualifier=qual,
                     claimant=claimant)
        figs.append(((not ms[0].event, ms[0].period is not None, -len(sources), measure, value), fig))
    figs.sort(key=lambda t: t[0])
    return [f for _, f in figs]


# Two values are rival statements of one count only if they are of the same order: a
# toll three times another is a different scope (a country vs a region, one bombing vs
# two).  Chosen on the demo corpus (rival tolls differ by at most 1.7x there and on the
# seeds by 1.1x) and DUC 2004 clusters 2, 3 and 5, where tolls of different places and
# events differ by 3x and more.
CONFLICT_MAX_RATIO = 3.0
# Counts published more than this many days apart are updates, not rivals.
CONFLICT_WINDOW_DAYS = 1


def find_conflicts(mentions: Sequence[FigureMention], order: Sequence[str] = (),
                   published: dict[str, Any] | None = None) -> list[Conflict]:
    """Measures for which different articles give different exact values.

    A value is part of a conflict only with a value of another article that is of the
    same order (at most ``CONFLICT_MAX_RATIO`` apart) and published within
    ``CONFLICT_WINDOW_DAYS`` (unknown dates match any); values listed together in one
    sentence ("six died in Mexico and seven in Costa Rica") are a breakdown and never
    rivals."""
    rank = {a: i for i, a in enumerate(order)}
    published = published or {}
    by_measure: dict[str, dict[float, list[FigureMention]]] = defaultdict(lambda: defaultdict(list))
    per_sentence: dict[tuple[str, str, str], set[float]] = defaultdict(set)
    for m in mentions:
        if m.event and not m.vague:
            per_sentence[(m.measure, m.article_id, m.text)].add(m.value)
    for m in mentions:
        if m.event and not m.vague and len(per_sentence[(m.measure, m.article_id, m.text)]) == 1:
            by_measure[m.measure][m.value].append(m)

    def close_in_time(a: str, b: str) -> bool:
        da, db = published.get(a), published.get(b)
        return da is None or db is None or abs((da - db).days) <= CONFLICT_WINDOW_DAYS

    def rivals(v1: float, ms1: list[FigureMention], v2: float, ms2: list[FigureMention]) -> bool:
        if max(v1, v2) > CONFLICT_MAX_RATIO * min(v1, v2):
            return False
        return any(m1.article_id != m2.article_id and close_in_time(m1.article_id, m2.article_id)
                   for m1 in ms1 for m2 in ms2)

    conflicts = []
    for measure, values in by_measure.items():
        vals = sorted(values)
        # connected groups of rival values
        rival_sets = UnionFind(vals)
        for i, v1 in enumerate(vals):
            for v2 in vals[i + 1:]:
                if rivals(v1, values[v1], v2, values[v2]):
                    rival_sets.union(v1, v2)
        for group in rival_sets.groups().values():
            if len(group) < 2:
                continue
            cvs = []
            for value in group:
                ms = sorted(values[value], key=lambda m: (rank.get(m.article_id, len(rank)), m.start))
                cvs.append(ConflictValue(value=value, text=ms[0].text,
                                         sources=tuple(dict.fromkeys(m.article_id for m in ms)),
                                         claimant=next((m.claimant for m in ms if m.claimant), None)))
            cvs.sort(key=lambda v: (-len(v.sources), rank.get(v.sources[0], len(rank)), v.value))
            n_articles = len({a for v in cvs for a in v.sources})
            conflicts.append((-n_articles, measure, Conflict(measure=measure, values=tuple(cvs))))
    conflicts.sort(key=lambda t: (t[0], t[1]))
    return [c for _, _, c in conflicts]
