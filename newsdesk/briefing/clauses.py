"""The optional parts of a parsed sentence that a headline may drop (:mod:`.headline`'s whole-statement rule):
fronted phrases, appositions and parentheticals, attributions, trailing modifiers and clauses, each as the set of
token indices of a spaCy span; and the rendering of the tokens kept."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from .readability import dangling_opening

# a phrase may not end on these parts of speech (spaCy's coarse tags)
_BAD_END_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ", "AUX", "PART", "PRON", "PUNCT"})


_CUT_END_POS = frozenset({"ADP", "DET", "CCONJ", "SCONJ"})


# Penn tags of a finite verb: past, present, modal (the coarse tags of _finite do not tell "blamed" from "led by")
_FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})


# a description's subject opening with these and naming no one refers to the title the reader does not have
# ("The home-improvement retailer earned ...", "The row involves ...")
_DEFINITE = frozenset("the this that these those their its his her".split())


MIN_SENTENCE_WORDS = 6  # shorter: a hook ("Gaming used to be so simple.") or a label, not a statement


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


def _cap(text: str, start: int) -> str:
    return text[:1].upper() + text[1:] if start and text else text


# a dateline in capitals ("NEW DELHI: ..."), which the shortening drops (_DATELINE); a speaker's label is not in
# capitals
_CAPS_PLACE = r"[A-Z][A-Z .'’,]{2,30}:\s+"  # "NEW DELHI: " (also one form of _DATELINE)


def _bad_end(tagged: Sequence[tuple[str, str]], whole: bool = False) -> bool:
    """Does the word sequence stop on a function word, an auxiliary or "to" + verb ("came to watch")?  At the end
    of a ``whole`` sentence (its own full stop) a pronoun, an auxiliary or "to" + verb is the writer's ending ("he
    supports it.", "a state that does not.", "opted not to attend."); a determiner, a preposition or a conjunction
    still marks a sentence the page cut in two."""
    pos, _word = tagged[-1]
    if whole:
        return pos in _CUT_END_POS
    return pos in _BAD_END_POS or len(tagged) > 1 and pos == "VERB" and tagged[-2][0] == "PART"


def _dangling(text: str) -> bool:
    """An opening that needs the sentence before it (``readability.dangling_opening``); "Another ..." reads alone
    in a headline."""
    return dangling_opening(text) and not re.match(r"\W*another\b", text, re.I) \
        or bool(re.match(r"\W*(?:in\s+fact|indeed|of\s+course|in\s+other\s+words)\b", text, re.I))


def _finite_tags(tokens: Any) -> bool:
    return any(t.tag_ in _FINITE_TAGS for t in tokens)


_SAY = frozenset({"say", "tell", "announce", "report", "add", "state", "confirm", "claim"})


# A headline from a sentence is the whole statement when it has at most WHOLE_SENTENCE_WORDS words (its dateline,
# wire credit, parentheses and trailing attribution left out); a longer one loses only parts that leave a
# grammatical statement (a fronted adverbial, an apposition, a clause set off by a comma), each drop checked
# against the parse: the main verb and its subject, object and complements stay.  When no such drop brings it
# under WHOLE_SENTENCE_WORDS, the whole statement up to MAX_WHOLE_WORDS, else the next candidate sentence.
# Cutting to 20-25 words lost the point in most refused headlines of the seed-18 draws (docs/editor.md); chosen
# on the tuning sets (ScrapingHub 1-120, the seed-17 draws), read by hand.
WHOLE_SENTENCE_WORDS = 35


# what the main verb needs: a drop that takes one of these away leaves no statement
_REQUIRED = frozenset({"nsubj", "nsubjpass", "csubj", "csubjpass", "expl", "dobj", "dative", "ccomp", "xcomp",
                       "attr", "acomp", "oprd", "agent", "prt", "neg", "aux", "auxpass"})

_THIRD_PERSON = frozenset("he she him her his hers they them their".split())


def _takes_antecedent(span: Any, drop: set[int], kept: Sequence[Any]) -> bool:
    """Would the drop take away a name that a pronoun left behind stands for ("With nominee X reaching ..., Y
    congratulated her ...")?  A pronoun has its name in what is kept when a name comes before it; an object pronoun
    ("her", "him", "them") not its own verb's subject (that would be "herself")."""
    if not any(t.pos_ == "PROPN" for t in span if t.i in drop):
        return False
    names = [t for t in kept if t.pos_ == "PROPN"]
    for t in kept:
        if t.lower_ not in _THIRD_PERSON or t.pos_ != "PRON":
            continue
        subject: set[int] = set()
        if t.dep_ in ("dobj", "dative") and t.lower_ in ("him", "her", "them"):
            subject = {x.i for c in t.head.children if c.dep_ in ("nsubj", "nsubjpass") for x in c.subtree}
        if not any(n.i < t.i and n.i not in subject for n in names):
            return True
    return False


# A modifier of the main verb this long, at the sentence's end, goes last, when nothing set off by punctuation made
# the statement short enough: a news lead's long tail ("X assailed Y on Wednesday in his latest posts since ...").
# Short ones ("on Wednesday", "in Ohio") stay.  Not tuned (6 is a guess): on the BASIL seed-17/18/19 draws
# (docs/editor.md) a lead passed over for being too long was most often replaced by a side fact, but the leads there
# were misparsed and this drop changed none of their headlines.
LONG_MODIFIER_WORDS = 6


def _long_modifiers(span: Any) -> list[set[int]]:
    """The main verb's trailing prepositional phrases and adverbial clauses of LONG_MODIFIER_WORDS words or more,
    after everything the verb needs, last first."""
    root = span.root
    needed = max((c.right_edge.i for c in root.children if c.dep_ in _REQUIRED and c.i > root.i), default=root.i)
    end = max((t.i for t in span if not t.is_punct and not t.is_space), default=span.end)
    out, reach = [], end  # each one runs to the sentence's end once the later ones are gone: nothing is left dangling
    for c in sorted((c for c in root.children if not c.is_punct), key=lambda c: -c.i):
        if c.i <= root.i or c.left_edge.i <= needed or c.dep_ not in ("prep", "advcl") \
                or c.right_edge.i < reach or sum(not x.is_punct for x in c.subtree) < LONG_MODIFIER_WORDS:
            break
        out.append(set(range(c.left_edge.i, c.right_edge.i + 1)))
        reach = c.left_edge.i - 1
    return out


def _unparsed_statement(keep: Sequence[Any]) -> str | None:
    """A sentence the parser got wrong (its root no verb: "master" the root of "Harbour master of Korvik Ann Lind
    pledges to ..."): whole when it has at most WHOLE_SENTENCE_WORDS words, else its opening up to the last comma that
    leaves at most that many (a trailing part set off by a comma), with a finite verb and no function word at its
    end."""
    tokens = [t for t in keep if not t.is_space]
    ends = [len(tokens)] + [i for i in range(len(tokens) - 1, 0, -1) if tokens[i].text == ","]
    for end in ends:
        part = tokens[:end]
        text = _render(part)
        tagged = [(t.pos_, t.text) for t in part if t.pos_ not in ("PUNCT", "SPACE")]
        if len(text.split()) > WHOLE_SENTENCE_WORDS:
            continue
        if len(tagged) < MIN_SENTENCE_WORDS or not (_finite(tagged) or _finite_tags(part)) or _dangling(text) \
                or _bad_end(tagged):
            return None
        return _cap(text, 1)
    return None


def _brackets(span: Any) -> list[set[int]]:
    """What round brackets enclose, with them."""
    out, depth, start = [], 0, None
    for t in span:
        if t.text == "(":
            depth, start = depth + 1, t.i if depth == 0 else start
        elif t.text == ")" and depth:
            depth -= 1
            if depth == 0 and start is not None:
                out.append(set(range(start, t.i + 1)))
    return out


def _attributions(span: Any) -> list[set[int]]:
    """A trailing attribution set off by a comma: "..., officials said", "..., according to the report"."""
    root = span.root
    out = []
    for c in span:
        if c.i <= root.i or c.left_edge.i <= span.start or span.doc[c.left_edge.i - 1].text != ",":
            continue
        if c.right_edge.i < max(x.i for x in span if not x.is_punct):
            continue  # only at the end
        if c.dep_ == "prep" and c.lower_ == "according" or c.lemma_ in _SAY and c.pos_ == "VERB" \
                and c.dep_ in ("ccomp", "parataxis", "advcl", "conj", "relcl") \
                and any(x.dep_ == "nsubj" and x.i < c.i for x in c.children) \
                and all(x.dep_ in ("nsubj", "prep", "npadvmod", "advmod", "punct", "aux") for x in c.children):
            # the verb of saying and its speaker only ("..., port police sources confirmed to the Daily"), however
            # the parser attached it
            out.append(_subtree_with_commas(c))
    # however the parser read it ("port police sources" a conjunct, "confirmed" a clause of an earlier noun): after
    # the last comma, a speaker of a few words, one verb of saying and a phrase naming the outlet
    words = [t for t in span if not t.is_space]
    comma = max((k for k, t in enumerate(words) if t.text == ","), default=None)
    if comma is not None:
        tail = [t for t in words[comma + 1:] if not (t.is_punct and t.i == words[-1].i)]
        verbs = [k for k, t in enumerate(tail) if t.pos_ in ("VERB", "AUX")]
        if len(verbs) == 1 and 1 <= verbs[0] <= 6 and tail[verbs[0]].lemma_ in _SAY \
                and all(t.pos_ in ("DET", "NOUN", "PROPN", "ADJ", "ADP", "NUM", "PUNCT") for k, t in enumerate(tail)
                        if k != verbs[0]):
            out.append({words[comma].i} | {t.i for t in tail})
    return out


def _refers_back(span: Any, later: bool) -> bool:
    """Does the sentence lean on the one before it: "these claims", "those plans", or, after the lead, a
    subject that only a definite article introduces ("The slogan drew ...", "The book was called ...")?"""
    if span is None:
        return False
    span = _reported_clause(span)  # "..., the operator said": the operator is not the statement's subject
    if any(t.lower_ in ("these", "those") and t.dep_ == "det" for t in span):
        return True
    subject = next((c for c in span.root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i >= span.start), None)
    return later and subject is not None and subject.left_edge.lower_ in _DEFINITE \
        and not any(t.pos_ in ("PROPN", "NUM") or t.ent_type_ for t in subject.subtree)


def _reported_clause(span: Any) -> Any:
    """"X was arrested ..., sources confirmed to Fox News": the parser makes the attribution the root; the reported
    clause, which opens the sentence, is the statement."""
    root = span.root
    if root.lemma_ not in _SAY | {"learn"} or re.match(r"\W*[\"“‘']", span.text):  # a quote keeps its speaker
        return span
    dateline = _DATELINE.match(span.text)
    first = next((t.i for t in span if t.idx >= span.start_char + dateline.end()), span.start) if dateline \
        else span.start  # the clause may follow a dateline ("WASHINGTON — President Obama will ..., X said")
    for c in root.children:
        if c.dep_ == "ccomp" and c.i < root.i and c.left_edge.i <= first and c.pos_ in ("VERB", "AUX") \
                and not _quotes_words(c.subtree):  # a quote keeps its speaker; a quoted phrase is the writer's
            return span.doc[max(c.left_edge.i, first): c.right_edge.i + 1]
    return span


# A quoted stretch of at most this many words is a phrase the writer quotes ("is “very close” to choosing ..."),
# not the speaker's own sentence, which needs its speaker.  Set from the one BASIL seed-19 lead it was made for
# (docs/editor.md), not tuned further.
QUOTED_PHRASE_WORDS = 4


def _quotes_words(tokens: Any) -> bool:
    """Do the tokens hold a quotation longer than a quoted phrase (or an unclosed quote)?"""
    inside: int | None = None
    for t in tokens:
        if t.text in "\"“”":
            if inside is None:
                inside = 0
            elif inside > QUOTED_PHRASE_WORDS:
                return True
            else:
                inside = None
        elif inside is not None and not t.is_punct:
            inside += 1
    return inside is not None


# a dateline, with a wire service's credit or not ("Korvik (AP) –", "KORVIK: "); a credit alone ("(CNN)", "( ap )")
_DATELINE = re.compile(r"^(?:[A-Z][\w.'’]*(?:[ ,]+[A-Z][\w.'’]*){0,3}(?:\s*\([A-Za-z ]{2,20}\))?\s+[–—―]\s*"
                       r"|" + _CAPS_PLACE + r")(?=[A-Z\"“])"
                       r"|^\(\s*(?i:cnn|ap|afp|reuters|upi|ians|pti|xinhua)\s*\)\s*(?=\w)")


def _render(tokens: Sequence[Any]) -> str:
    text = "".join(t.text + (t.whitespace_ if n is None or n.i == t.i + 1 else " ")
                   for t, n in zip(tokens, [*tokens[1:], None]))
    text = re.sub(r"\s+([,;:.!?)”’])", r"\1", " ".join(text.split()))
    text = re.sub(r"([(“‘])\s+", r"\1", text)
    text = re.sub(r"(?:,\s*)+(?=[,;:.])|^[,;:\s]+", "", text)
    while text and (text[-1] in " ,;:.—–-([<«"
                    or text[-1] in "”\"’" and text.count(text[-1]) > _opened(text, text[-1])):
        text = text[:-1]
    text = re.sub(r",\s+(?:a|an|the)\s+\w+$", "", text)  # what is left of an apposition: ", a simulation"
    text = _DATELINE.sub("", text)  # a dateline the sentence splitter left: "Indianapolis – Several thousand ..."
    text = re.sub(r"[,;:.]+(?=[”\"’]$)", "", text)
    if text.count("“") > text.count("”"):  # the closing mark went with a dropped clause: "… conversation,” adding …"
        text += "”"
    return text


def _opened(text: str, close: str) -> int:
    """How many quotes ``close`` closes: its opening marks (a straight quote opens every other time)."""
    return {"”": text.count("“"), "’": text.count("‘"), "\"": text.count("\"") // 2 * 2}[close]


def _subtree_with_commas(tok: Any) -> set[int]:
    """The token's subtree and the commas (or dashes) right around it."""
    ids = {t.i for t in tok.subtree}
    lo, hi = min(ids), max(ids)
    doc = tok.doc
    if lo > 0 and doc[lo - 1].is_punct and doc[lo - 1].text in (",", "—", "–", "-", "--", "―"):
        ids.add(lo - 1)
    if hi + 1 < len(doc) and doc[hi + 1].is_punct and doc[hi + 1].text in (",", "—", "–", "-", "--", "―") \
            and lo - 1 in ids:
        ids.add(hi + 1)
    return ids


def _parenthetical(span: Any) -> list[set[int]]:
    out = _brackets(span)
    for t in span:
        if t.dep_ == "appos" and (t.left_edge.i <= span.start or not t.doc[t.left_edge.i - 1].is_punct
                                  or not span.start <= t.head.i < span.end):
            continue  # "Whip Steve Scalise": a name after its title is no apposition set off
        if t.dep_ == "appos" and not out or t.dep_ == "appos" and not any(t.i in d for d in out):
            out.append(_name_for_description(span, t) or _subtree_with_commas(t))
    return out


def _name_for_description(span: Any, appos: Any) -> set[int] | None:
    """"Senator representing Yobe North, Ahmad Lawan, moved ...": a person's name set off by the sentence's first
    comma after a description of them is the subject; the description (and the commas) can go."""
    name = sorted(x.i for x in appos.subtree)
    doc = span.doc
    first_comma = next((x.i for x in span if x.text == ","), None)
    if appos.ent_type_ != "PERSON" or appos.i > span.root.i or first_comma != name[0] - 1 \
            or name[-1] + 1 >= span.end or doc[name[-1] + 1].text != ",":
        return None
    return set(range(span.start, name[0])) | {name[-1] + 1}


def _fronted(span: Any) -> list[set[int]]:
    root = span.root
    # the subject inside the sentence: the parser may give the root a dateline before it as a first subject
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i >= span.start), None)
    if subject is None:
        return []
    first = min(t.i for t in subject.subtree)
    return [{t.i for t in c.subtree} | ({c.right_edge.i + 1} if c.right_edge.i + 1 < first else set())
            for c in root.children if c.i < first and c.left_edge.i == span.start
            and c.dep_ in ("prep", "advcl", "npadvmod", "advmod", "pcomp")]


def _but(span: Any) -> bool:
    """Is the main verb coordinated with a later one by "but" or "yet" ("X, but Y")?"""
    root = span.root
    return any(c.dep_ == "conj" and c.i > root.i for c in root.children) \
        and any(x.dep_ == "cc" and x.lower_ in ("but", "yet") and x.i > root.i for x in root.children)


_WEEKDAY = re.compile(r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday|tonight", re.I)


def _turn(span: Any) -> bool:
    """"X, but Y" as a feature's turn ("Ferries may have become ..., but ..."), not a news lead's two facts of one
    event: "X said Tuesday that ..., but stopped short of ...", "X denied on Wednesday that ... but said ...".
    The news lead names its subject and dates its first verb (a weekday, "today") in the past tense."""
    if not _but(span):
        return False
    root = span.root
    subject = next((c for c in root.children if c.dep_ in ("nsubj", "nsubjpass") and c.i >= span.start), None)
    named = subject is not None and any(t.pos_ == "PROPN" or t.ent_type_ in ("PERSON", "ORG", "NORP", "GPE")
                                        for t in subject.subtree)
    but = min(x.i for x in root.children if x.dep_ == "cc" and x.lower_ in ("but", "yet") and x.i > root.i)
    dated = any(_WEEKDAY.fullmatch(t.text) for t in span if t.i < but)
    past = root.tag_ == "VBD" or any(c.dep_ == "aux" and c.lower_ in ("has", "have") for c in root.children)
    return not (named and dated and past)


def _trailing(span: Any) -> list[set[int] | None]:
    """Trailing clauses, last first: the verb's adverbial clauses, coordinated clauses, attributions and
    phrases set off by a comma; also those of a later verb (", sending shares lower")."""
    root = span.root
    if _but(span):
        return [None]
    out: list[set[int] | None] = []
    for c in sorted((t for t in span if t.i > root.i), key=lambda c: -c.i):
        comma = c.left_edge.i > span.start and span.doc[c.left_edge.i - 1].text in (",", "--", "—", "–", "―")
        # only what a comma or a dash sets off after a verb: a clause the main verb takes without one ("after a
        # phone call led to ...") is most often the point (read on the tuning pages: dropping those lost more)
        if not (comma and c.head.pos_ in ("VERB", "AUX")):
            continue
        if any(x.dep_ == "appos" and x.right_edge.i == c.left_edge.i - 2 for x in span):
            continue  # the comma closes an apposition: "named X, the former senator, as a finalist"
        if c.dep_ in ("advcl", "parataxis") or c.dep_ == "conj" and c.pos_ in ("VERB", "AUX") \
                or c.dep_ == "prep" and (c.lower_ == "according" or comma) or c.dep_ == "npadvmod" and comma \
                or c.dep_ == "ccomp" and c.lemma_ in _SAY:
            ids = _subtree_with_commas(c)
            ids |= {x.i for x in c.head.children if x.dep_ == "cc" and c.head.i < x.i < c.i and c.dep_ == "conj"}
            out.append(ids)
    return out


def _clauses(span: Any) -> list[set[int]]:
    """Relative and participle clauses, last first; never a noun's infinitive ("its decision to no longer consider
    ..."), which says what the noun is."""
    return [_subtree_with_commas(t) for t in sorted(span, key=lambda t: -t.i) if t.dep_ in ("relcl", "acl")
            and t.head.i < t.i and not _infinitive(t)]


def _infinitive(t: Any) -> bool:
    """A noun's infinitive ("its decision to no longer consider ..."), which says what the noun is."""
    return t.dep_ == "acl" and t.left_edge.lower_ == "to" and t.left_edge.pos_ == "PART"


def _infinitives(span: Any) -> list[set[int]]:
    """Nouns' infinitives, last first: only when nothing else made the sentence short enough."""
    return [_subtree_with_commas(t) for t in sorted(span, key=lambda t: -t.i) if _infinitive(t) and t.head.i < t.i]


def _phrases(span: Any) -> list[set[int]]:
    """Trailing phrases, last first: those of the nouns after the verb, then the verb's own (never "of", the
    argument of "accused ... of")."""
    root = span.root
    # when ("on Tuesday", "last week") goes first: a headline's tense says it
    out = [{x.i for x in c.subtree} for c in sorted(root.children, key=lambda c: -c.i)
           if c.i > root.i and c.dep_ in ("prep", "npadvmod") and _when(c)]
    for t in sorted(span, key=lambda t: -t.i):
        if t.i > root.i and t.dep_ == "prep" and t.head.pos_ in ("NOUN", "PROPN") and t.head.i > root.i \
                and t.lower_ != "of" \
                and not (t.head.pos_ == "PROPN" and any(x.pos_ == "PROPN" for x in t.children)):  # "Hall of Fame"
            out.append({x.i for x in t.subtree})
    # then those of a later verb ("calling on Akin to give up his bid over his comments")
    for t in sorted(span, key=lambda t: -t.i):
        if t.i > root.i and t.dep_ in ("prep", "agent") and t.head.pos_ == "VERB" \
                and t.head.i >= root.i and t.lower_ != "of" \
                and any(o.dep_ == "dobj" and o.i < t.i for o in t.head.children) \
                and t.right_edge.i >= max(x.i for x in span if not x.is_punct):  # never "led to ...", never inside
            out.append({x.i for x in t.subtree})
    later: set[int] = set()  # what the verb's phrases after this one cover
    for c in sorted(root.children, key=lambda c: -c.i):
        if c.i > root.i and c.dep_ in ("prep", "npadvmod", "advmod", "agent") and c.lower_ != "of":
            ids = {x.i for x in c.subtree}
            # never a hole: what follows the phrase goes before it ("signed onto a letter ... until ...")
            if all(x.i in later for x in span if x.i > c.right_edge.i and not x.is_punct):
                out.append(ids)
            later |= ids
    return out


def _when(tok: Any) -> bool:
    """Is this phrase only a time ("on Tuesday", "Tuesday", "last week")?"""
    words = [t for t in tok.subtree if not t.is_punct and t.pos_ != "ADP"]
    return bool(words) and all(t.ent_type_ in ("DATE", "TIME") for t in words)
