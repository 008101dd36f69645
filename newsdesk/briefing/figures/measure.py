"""What a number counts, read off the dependency parse: the counted noun, the event
("were killed", "claimed ... lives", "the death toll rose to"), the group ("civilians",
"Kenyan soldiers"), the place ("in Mexico"), the claimant ("the ministry said") and
whether the figure is about a background event ("a 1991-94 war that killed").
"""

from __future__ import annotations

import re
from typing import Any

from .lexicon import ACTION_VERBS, AREA_UNITS, EVENT_WORDS, GENERIC, GROUPS, MONEY_CONTEXT, PEOPLE, SPEECH, UNITS
from .numbers import VAGUE

__all__ = ["restricted", "counted_noun", "governing_verb", "event_of", "coordinated_event_verb", "group_of", "place_of",
           "claimant_of", "background_of", "money_measure", "unit_of", "magnitude", "acts_on"]

_LIFE_WORDS = frozenset({"life", "lives"})
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)(?:s|\s*[-–]\s*(?:\d{2}|\d{4}))?\b")
# words that put a count in a background event: "the earlier crash", "in an average year"
_BG_EVENT_ADJ = frozenset({"earlier", "previous", "last", "past", "former", "prior", "similar"})
_BG_EVENT_NOUNS = frozenset("""crash attack war pandemic epidemic outbreak disaster spill earthquake quake storm
hurricane bombing shooting conflict fire flood famine tsunami accident collapse massacre""".split())
_BG_PHRASES = re.compile(r"\b(?:every|each|a|per|an average|in an average|in a typical) (?:year|season)\b"
                         r"|\bannually\b|\bhistorically\b|\bin the past\b|\bdecades? ago\b|\byears ago\b", re.I)


def counted_noun(num: Any) -> Any:
    """The noun a number counts: "14 civilians", "120 of its staff", "dozens of stalls",
    "a 70-strong group"; the number itself when it stands alone ("killed 90")."""
    doc = num.doc
    if num.dep_ in ("nummod", "quantmod") and num.head.ent_type_ in ("DATE", "TIME") and num.head.i != num.i:
        num = num.head  # mis-parsed "on Friday 120 of ...": look for the "of" phrase on the date
    elif num.dep_ in ("nummod", "quantmod", "compound") and num.head.pos_ in ("NOUN", "PROPN", "ADJ") \
            and num.head.i > num.i:
        return num.head
    elif num.dep_ == "appos" and num.head.tag_ == "NNS" and num.head.i < num.i:
        return num.head  # "the only deaths -- 159"
    if num.i + 2 < len(doc) and doc[num.i + 1].text == "-" and doc[num.i + 2].lower_ == "strong":
        for t in doc[num.i + 3:num.i + 6]:
            if t.pos_ in ("NOUN", "PROPN"):
                return t
    for child in num.children:
        if child.dep_ == "prep" and child.lower_ == "of":
            for pobj in child.children:
                if pobj.dep_ == "pobj" and pobj.pos_ in ("NOUN", "PROPN"):
                    return pobj
                if pobj.dep_ == "pobj" and pobj.lower_ in VAGUE:  # "tens of thousands of people"
                    return counted_noun(pobj)
    nxt = doc[num.i + 1] if num.i + 1 < len(doc) else None
    if nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ == "NNS" and num.dep_ != "pobj":
        return nxt  # a flat parse: "3 cases"
    return num


def governing_verb(tok: Any) -> Any:
    """The nearest verb above ``tok`` through noun-phrase links."""
    cur = tok
    for _ in range(8):
        if cur.pos_ in ("VERB", "AUX") and cur.i != tok.i:
            return cur
        if cur.head.i == cur.i:
            return cur if cur.pos_ in ("VERB", "AUX") else None
        cur = cur.head
    return None


def _event_word(t: Any) -> str | None:
    lemma = t.lemma_.lower()
    if lemma in EVENT_WORDS and lemma != "shoot":
        return EVENT_WORDS[lemma]
    return EVENT_WORDS.get(t.lower_) if t.lower_ in ("dead", "wounded", "injured", "missing", "homeless") else None


def event_of(noun: Any, num: Any, verb: Any) -> str | None:
    """The event class of a figure, from the word after the number ("37 wounded"), the
    counted noun ("deaths"), the verb ("were killed", "claimed ... lives") or a toll it sets."""
    doc = num.doc
    nxt = doc[num.i + 1] if num.i + 1 < len(doc) else None
    if nxt is not None and noun.i == num.i and nxt.pos_ in ("VERB", "ADJ", "NOUN") and _event_word(nxt):
        return _event_word(nxt)
    for t in (noun, *[c for c in noun.children if c.dep_ in ("compound", "amod")]):
        if t.pos_ in ("NOUN", "ADJ", "PROPN") and t.lemma_.lower() not in ("leave", "charge", "body") and \
                _event_word(t):
            return _event_word(t)
    for c in noun.children:  # "people killed in ...", "people infected with HIV"
        if c.dep_ in ("acl", "relcl", "amod") and _event_word(c):
            return _event_word(c)
    if verb is None or _inside_other_noun(noun, verb):
        return None
    return _verb_event(verb, noun) or _subject_count(verb, noun, num)


_COUNT_NOUNS = frozenset({"number", "toll", "tally", "count", "total", "figure"})
_QUANTITY_HEADS = frozenset({"half", "third", "quarter", "dozens", "hundreds", "thousands", "millions", "tens",
                             "number", "total", "toll", "majority", "most", "some", "all", "many", "none", "each",
                             "life", "lives", "dozen", "hundred", "thousand", "million", "billion", "ten", "score",
                             "scores"})


def _inside_other_noun(noun: Any, verb: Any) -> bool:
    """"the mother of the five children is hospitalized", "arrested four suspects in 30
    raids": the counted noun modifies another noun or is an adjunct of the verb, so the verb
    says nothing about it."""
    if noun.i not in {t.i for t in verb.subtree}:
        return False  # a verb found by coordination ("41 soldiers and nine civilians had been killed")
    cur = noun
    while cur.head.i != cur.i:
        if cur.dep_ == "pobj" and cur.head.dep_ in ("prep", "agent") and cur.head.head.i == verb.i:
            # not "killed between 120 and 130 ...", "displaced around half of ..." (a qualifier parsed as a preposition)
            return not cur.like_num and cur.lemma_.lower() not in _QUANTITY_HEADS and cur.head.lower_ not in (
                "between", "around", "about", "over", "under", "nearly", "up", "to", "some", "approximately")
        if cur.head.i == verb.i:
            break
        owner = cur.head.head
        if cur.dep_ == "pobj" and cur.head.dep_ == "prep" and owner.pos_ in ("NOUN", "PROPN") \
                and owner.lemma_.lower() not in _QUANTITY_HEADS and owner.lower_ not in _QUANTITY_HEADS \
                and not owner.like_num and owner.ent_type_ not in ("DATE", "TIME"):
            return True
        cur = cur.head
    return False


def _subject_count(verb: Any, noun: Any, num: Any) -> str | None:
    """"the number of confirmed cases rose to 10", "the tally stood at 56": the number is
    the value of a count named by the verb's subject."""
    if noun.i != num.i:
        return None
    subj = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass")), None)
    if subj is None or subj.lemma_.lower() not in _COUNT_NOUNS:
        return None
    for t in subj.subtree:
        if t.i != subj.i and _event_word(t):
            return _event_word(t)
    return "killed" if subj.lemma_.lower() == "toll" else None


def _verb_event(verb: Any, noun: Any) -> str | None:
    lemma = verb.lemma_.lower()
    if lemma == "shoot":
        dead = any(c.lower_ in ("dead", "death") for c in verb.children) or any(
            c.dep_ == "conj" and c.lemma_.lower() == "kill" for c in verb.children)
        return "killed" if dead else "wounded"
    if lemma == "leave":
        return "displaced" if any(t.lemma_.lower() == "home" for t in verb.subtree) else None
    if lemma in EVENT_WORDS and lemma != "body":
        return EVENT_WORDS[lemma]
    if lemma in ("claim", "take", "cost") and (noun.lower_ in _LIFE_WORDS or any(
            c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in verb.children)):
        return "killed"
    for c in verb.children:  # "have been confirmed killed", "were reported dead", "are missing"
        if c.dep_ in ("xcomp", "oprd", "acomp", "attr") and _event_word(c) and c.lemma_.lower() != "leave":
            return _event_word(c)
    if lemma in ("force", "drive", "push") and any(t.lemma_.lower() == "home" for t in verb.subtree):
        return "displaced"
    if lemma in ("put", "raise", "reach", "rise", "climb", "stand", "bring", "top", "jump", "increase", "hit"):
        for t in verb.subtree:
            if t.lemma_.lower() == "toll":
                mods = {c.lemma_.lower() for c in t.children}
                return "killed" if ("death" in mods or not mods & {"injury", "case"}) else None
    return None


def coordinated_event_verb(noun: Any) -> Any:
    """"41 of its soldiers and nine civilians had been killed": a counted noun coordinated
    with the subject of an event verb shares the verb, even when the parser attached it
    elsewhere.  Looks right for an event verb with only nouns, numbers, conjunctions and
    auxiliaries between."""
    doc = noun.doc
    stop = min(noun.i + 16, noun.sent.end)
    i = noun.i + 1
    while i < stop:
        t = doc[i]
        if t.text == "," and i + 1 < stop and doc[i + 1].pos_ in ("AUX", "VERB"):
            i += 1
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


def group_of(noun: Any, num: Any) -> str:
    """The counted group: "civilians", "soldiers", "Kenyan civilians", "" for everybody."""
    if noun.i == num.i:
        return ""
    lemma = noun.lemma_.lower()
    mods = [c for c in noun.children if c.dep_ in ("amod", "compound", "nmod") and c.i < noun.i]
    demonym = next((c.text for c in mods if c.ent_type_ == "NORP"), None)
    group = GROUPS.get(lemma) or GROUPS.get(noun.lower_)
    for c in mods:
        g = GROUPS.get(c.lemma_.lower())
        if g and (group is None or lemma in GENERIC or lemma == "personnel"):
            group = g
    if group is None and lemma not in GENERIC and noun.ent_type_ == "NORP":
        group = noun.text  # "1,300 Palestinians"
    words = [w for w in (demonym, group) if w]
    return " ".join(words)


_PLACE_ALIASES = {"us": "United States", "usa": "United States", "united states": "United States",
                  "america": "United States", "uk": "United Kingdom", "britain": "United Kingdom",
                  "great britain": "United Kingdom", "united kingdom": "United Kingdom"}


def place_of(verb: Any, noun: Any) -> str | None:
    """The place a count is limited to: "91 cases of swine flu in the US", "died in southern
    Mexico" (a place name governed by "in" or "at" on the counted noun, the noun it is "of",
    the verb or its complement)."""
    heads = [t for t in (noun, verb) if t is not None]
    heads[1:1] = [p for c in noun.children if c.dep_ == "prep" and c.lower_ == "of" for p in c.children]
    if verb is not None:
        heads += [c for c in verb.children if c.dep_ in ("acomp", "oprd", "xcomp")]
        heads += [p for c in verb.children if c.dep_ == "prep" and c.lower_ in ("of", "from", "during", "after")
                  for p in c.children if p.dep_ == "pobj"]  # "died of the virus in Mexico"
    for h in heads:
        for c in h.children:
            if c.dep_ == "prep" and c.lower_ in ("in", "at"):
                for pobj in c.children:
                    named = pobj.pos_ == "PROPN" or any(x.dep_ == "compound" and x.pos_ == "PROPN"
                                                        for x in pobj.children)
                    if pobj.dep_ == "pobj" and (pobj.ent_type_ in ("GPE", "LOC", "FAC", "ORG") or (
                            named and c.lower_ == "at")):
                        ent = next((e for e in pobj.doc.ents if e.start <= pobj.i < e.end), None)
                        text = ent.text if ent is not None and ent.end > pobj.i else " ".join(
                            t.text for t in pobj.subtree if t.dep_ in ("compound", "amod") or t.i == pobj.i)
                        text = re.sub(r"^the\s+", "", text, flags=re.I)
                        return _PLACE_ALIASES.get(text.lower().replace(".", ""), text)
    return None


def claimant_of(verb: Any, sent: Any, noun: Any = None) -> str | None:
    """Who states the figure: the subject of the figure's own reporting verb ("the
    Lurani side has acknowledged 187 deaths"), of a speech verb whose complement
    states it ("the ministry said ... 212 ... had been killed"), or "according to X"."""
    cur, came_by = verb, None
    for _ in range(6):
        if cur is None:
            break
        lemma = cur.lemma_.lower()
        reported = cur.i == verb.i or came_by in ("ccomp", "parataxis", "conj", "xcomp")
        takes_lives = any(c.dep_ == "dobj" and c.lemma_.lower() == "life" for c in cur.children)
        if lemma in SPEECH and reported and not (lemma == "claim" and (cur.i == verb.i or takes_lives)):
            subj = next((c for c in cur.children if c.dep_ == "nsubj"), None)
            if (subj is not None and subj.pos_ != "PRON" and not subj.like_num
                    and (noun is None or noun not in set(subj.subtree))):
                return _phrase(subj)
        found = _according_to(cur.children)
        if found:
            return found
        if cur.head.i == cur.i:
            break
        cur, came_by = cur.head, cur.dep_
    for t in sent:  # "according to X" anywhere in the sentence
        if t.lower_ == "according" and t.i + 1 < len(sent.doc) and t.nbor().lower_ == "to":
            found = _according_to([t])
            if found:
                return found
    return None


def _according_to(tokens: Any) -> str | None:
    for c in tokens:
        if c.lower_ == "according":
            for to in c.children:
                for pobj in to.children:
                    if pobj.dep_ == "pobj":
                        return _phrase(pobj)
    return None


def _phrase(tok: Any) -> str:
    words = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl", "appos", "punct")]
    words = [t for t in words if abs(t.i - tok.i) <= 5]  # the contiguous core around the head
    text = " ".join(t.text for t in words)
    return re.sub(r"\s+('s|’s)", r"\1", text).strip()


def background_of(verb: Any, noun: Any, num: Any, pub_year: int | None) -> str | None:
    """The background a figure belongs to, or None for the story's own figures: a past
    year in its clause ("a 1991-94 war that killed", "the 1968 pandemic killed"), a
    recurring period ("kills 250,000 in an average year"), an earlier event ("in the
    earlier crash") or a comparison ("larger than the 258,000 barrels leaked by ...")."""
    clause = _clause_tokens(verb, noun, num)
    text = " ".join(t.text for t in sorted(clause, key=lambda t: t.i))
    for m in _YEAR.finditer(text):
        year = int(m.group(1))
        if pub_year is None or year < pub_year:
            return m.group(0).replace(" ", "")
    if _BG_PHRASES.search(text):
        return "recurring"
    for t in clause:
        if t.lemma_.lower() in _BG_EVENT_NOUNS and any(c.lower_ in _BG_EVENT_ADJ and c.dep_ == "amod"
                                                         for c in t.children):
            return "earlier event"
    head = noun.head if noun.i != num.i else num.head
    if head.lower_ == "than" or (head.dep_ == "prep" and head.lower_ == "than"):
        return "comparison"
    return None


def _clause_tokens(verb: Any, noun: Any, num: Any) -> list[Any]:
    """The tokens that say which event a figure belongs to: the figure's own noun phrase,
    its verb's subject (with its modifiers and appositions, not its relative clauses) and
    the verb's adverbials; for a relative clause ("a war that killed 30,000"), the noun
    it describes."""
    if verb is None:
        return _without_clauses(noun)
    toks = [verb]
    for c in verb.children:
        if c.dep_ in ("nsubj", "nsubjpass", "prep", "npadvmod", "advmod", "agent", "dobj", "attr", "tmod"):
            toks += _without_clauses(c)
    if verb.dep_ in ("relcl", "acl"):
        toks += [t for t in _without_clauses(verb.head) if t.i < verb.i]
    if verb.dep_ in ("advcl", "xcomp", "conj") and verb.head.pos_ in ("VERB", "AUX"):
        for c in verb.head.children:  # "In the earlier crash, a truck hit a bus, killing 10"
            if c.dep_ in ("nsubj", "nsubjpass", "prep", "npadvmod") and c.i < verb.i:
                toks += _without_clauses(c)
    return toks


def _without_clauses(tok: Any) -> list[Any]:
    """The subtree of ``tok`` without the clauses inside it (relative clauses, participles)."""
    out = [tok]
    for c in tok.children:
        if c.dep_ not in ("relcl", "acl", "advcl", "ccomp", "parataxis"):
            out += _without_clauses(c)
    return out


def money_measure(num: Any, verb: Any) -> str:
    """What an amount of money is: "cost", "spending", "damages", "price" (from the verb,
    its subject or object, or the words around), else "amount"; "a day" is kept ("cost a day")."""
    doc = num.doc
    words = []
    if verb is not None:
        words += [verb] + [c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "dobj")]
    words += list(doc[max(num.sent.start, num.i - 8):min(num.sent.end, num.i + 6)])
    name = next((MONEY_CONTEXT[t.lemma_.lower()] for t in words if t.lemma_.lower() in MONEY_CONTEXT), "amount")
    return name + _rate(doc, num.i)


def _rate(doc: Any, i: int) -> str:
    window = " ".join(t.lower_ for t in doc[i + 1:min(len(doc), i + 12)])
    window = re.sub(r"\([^()]*\)", " ", window)  # "$6m (#3.9m) a day"
    m = re.match(r"^\W*(?:\w+\s+){0,3}?(a|per|each) (day|week|month|year)\b", window)
    return f" a {m.group(2)}" if m else ""


def unit_of(num: Any, noun: Any) -> str | None:
    """A unit of amount the number counts ("5,000 barrels a day", "one square mile",
    "33 cm of snow", "hundreds of miles of shoreline"), as the measure's name."""
    doc = num.doc
    nxt = [doc[k] for k in range(num.i + 1, min(len(doc), num.i + 4))]
    lemma = noun.lemma_.lower() if noun.i != num.i else (nxt[0].lemma_.lower() if nxt else "")
    if nxt and nxt[0].lower_ in AREA_UNITS | {"cubic"}:
        return " ".join(t.lower_ for t in nxt[:2]) + _rate(doc, num.i)
    if lemma in UNITS:
        plural = noun.lower_ if noun.i != num.i else nxt[0].lower_
        return plural + _rate(doc, num.i)
    if nxt and nxt[0].lower_ in ("miles", "km", "kilometres", "kilometers", "cm", "inches", "feet", "metres") \
            and len(nxt) > 1 and nxt[1].lower_ in ("of", "by", "long", "wide"):
        return nxt[0].lower_ + (" of " + nxt[2].lower_ if nxt[1].lower_ == "of" and len(nxt) > 2 else "")
    return None


def magnitude(num: Any) -> bool:
    """"a magnitude 7.0 quake", "7.0 on the Richter scale", "a 7.0 magnitude earthquake"."""
    doc = num.doc
    around = " ".join(t.lower_ for t in doc[max(0, num.i - 2):min(len(doc), num.i + 5)])
    return bool(re.search(r"magnitude|richter", around))


def acts_on(verb: Any, noun: Any) -> bool:
    """The counted things are what an action verb acts on ("destroyed 30 tunnels", "30
    tunnels were destroyed", "tunnels it has uncovered")."""
    if any(c.dep_ in ("acl", "relcl", "amod") and c.lemma_.lower() in ACTION_VERBS for c in noun.children):
        return True
    return (verb is not None and verb.lemma_.lower() in ACTION_VERBS and noun.head.i == verb.i
            and noun.dep_ in ("dobj", "nsubjpass", "obj"))


def restricted(noun: Any, num: Any) -> bool:
    """The counted group is narrowed by a clause or phrase ("two passengers seated next to
    her", "students from Otawara high school"): a part, never a rival of the whole."""
    if noun.i == num.i:
        return False
    for c in noun.children:
        if c.dep_ == "acl" and c.i == noun.i + 1 and c.tag_ in ("VBN", "VBG") and not _event_word(c):
            return True  # "passengers seated next to her"
        if c.dep_ == "prep" and c.lower_ in ("from", "aboard", "on", "at", "inside", "near", "among") and any(
                p.pos_ == "PROPN" or p.ent_type_ in ("GPE", "LOC", "FAC", "ORG") for p in c.children):
            return True  # "students from Otawara High School"
    return False


def is_people(noun: Any) -> bool:
    return noun.lemma_.lower() in PEOPLE or noun.lower_ in PEOPLE or noun.ent_type_ == "NORP"
