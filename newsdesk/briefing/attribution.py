"""Who said a quotation: its attribution in the dependency parse, and the speaker it names.

For each quotation (:mod:`.quotemarks`) of a deep-parsed article, in text order:

1. **The cue.**  In the quotation's clause window — the text of its paragraph outside
   quotation marks, from the sentence end before the quotation to the sentence end after
   it — the speech verbs ("said", "told", "added", "according to", "quoted X as saying"),
   nearest to the quotation first; a paragraph ending with a colon introduces the
   quotation that opens the next paragraph ("Cruz continued:").
2. **The speaker phrase.**  The cue's subject (or the agent of a passive, the object of
   "according to", the person "quoted as saying"); a relative "who" stands for the noun
   it follows.
3. **The speaker.**  The phrase becomes a name or stays unnamed, with the description
   the text gives kept as ``role``:

   - a person the recogniser names is that name, its title and apposition the role
     ("French foreign ministry spokeswoman Anne Morel");
   - an organisation or a country named as such is its name ("the White House", "France");
     an institution named by a description with a proper modifier is that description
     ("Kenya's defence ministry");
   - "he"/"she" is the last person before it who spoke or was the subject of a
     sentence, skipping one whose gender the text contradicts (a "Mr." for "she");
     "it" the last organisation that spoke; "they", "we", "I" stay unnamed;
   - a definite role ("the president", "the prosecutor") is the last person the text
     named with that role; a role nobody was named with, an indefinite or plural
     description ("a witness", "officials", "sources", "one aide"), a group
     ("Republicans") and a document ("the report") stay unnamed: speaker None, role
     the description.  A wrong name is worse than none.
4. **No cue.**  A quotation without a cue continues the speaker of the previous
   quotation of its paragraph (a quotation split around "he said"), or, when it opens its
   paragraph, of the previous paragraph when that one ended with a quotation or a colon.
"""

from __future__ import annotations

import re
from array import array
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from ..nlp import doc_text
from .entities import clean_surface
from .quotemarks import Quotation

__all__ = ["Attribution", "attribute", "split_at_labels", "SPEECH_LEMMAS", "ROLE_NOUNS"]

SPEECH_LEMMAS = frozenset({
    "say", "tell", "add", "state", "announce", "declare", "write", "insist", "warn", "note", "explain",
    "claim", "argue", "stress", "confirm", "deny", "report", "acknowledge", "admit", "assert", "reply",
    "respond", "tweet", "post", "urge", "accuse", "predict", "promise", "vow", "suggest", "maintain",
    "allege", "emphasize", "emphasise", "remark", "recall", "concede", "contend", "observe", "continue",
    "pledge", "charge", "caution", "boast", "complain", "lament", "joke", "quip", "ask", "answer", "testify",
    "proclaim", "retort", "counter", "scoff", "agree", "conclude", "shout", "yell", "scream", "chant", "cry",
    "whisper", "mutter", "exclaim", "recount", "sing", "read", "begin", "wonder", "muse", "opine",
    "beam", "smile", "laugh", "sigh", "gush", "snap", "thunder", "grumble", "marvel", "reason", "interject",
    "plead", "demand", "reiterate", "echo", "assure", "reassure", "mock", "tease", "text", "email", "inform",
    "rail", "fume", "rave", "tout", "concur", "summarize", "summarise", "elaborate", "bark", "growl", "hiss",
    "holler", "roar", "speak", "preach", "lecture", "advise", "comment",
    "describe", "call", "dub", "label", "brand", "term", "quote",
})
_PHRASAL_CUES = frozenset({("go", "on"), ("shoot", "back"), ("fire", "back"), ("hit", "back"), ("push", "back"),
                           ("lash", "out"), ("chime", "in"), ("weigh", "in"), ("speak", "out"), ("point", "out"),
                           ("spell", "out"), ("pipe", "up"), ("sum", "up")})
_CUE_LEMMAS = SPEECH_LEMMAS | {verb for verb, _ in _PHRASAL_CUES}  # a cue's lemma is one of these
# Verbs that frame a few quoted words inside a clause ("called it “a disaster”"): cues only
# when no verb of saying is in the window.
_FRAMING = frozenset({"describe", "call", "dub", "label", "brand", "term"})
# Nouns naming a role; "the spokeswoman said" is the last person named with the role.
ROLE_NOUNS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "minister", "president", "premier", "official", "secretary",
    "ambassador", "director", "chief", "leader", "governor", "mayor", "senator", "general", "commander",
    "chairman", "chairwoman", "chair", "head", "envoy", "prosecutor", "judge", "officer", "analyst",
    "doctor", "lawyer", "attorney", "manager", "executive", "ceo", "founder", "king", "queen", "prince",
    "representative", "congressman", "congresswoman", "lawmaker", "candidate", "coach", "captain",
    "nominee", "chancellor", "businessman", "businesswoman", "strategist", "adviser", "advisor", "aide",
    "economist", "professor", "author", "host", "anchor", "reporter", "correspondent", "columnist",
})
_INSTITUTIONS = frozenset("""
ministry government department agency police army military office embassy campaign committee company court
council party union administration commission presidency parliament senate congress board bank firm group
organization organisation foundation network team club authority service cabinet house institute
association federation coalition alliance center centre newspaper paper magazine outlet station channel
secretariat directorate command forces force navy guard prosecutor's
""".split())
# Institutions of a state: any modifier makes them one body ("the defence ministry", "the
# foreign ministry"); the others need a proper name ("the campaign", "the conservative-leaning
# newspaper" name no one).
_STATE_BODIES = frozenset("""
ministry department government presidency embassy police army military navy cabinet secretariat
directorate command prosecutor's
""".split())
_DOCUMENTS = frozenset("""
statement report study survey letter document release communique communiqué memo post tweet article decree
resolution ruling brief book piece ad clip video poll email filing complaint lawsuit order note transcript
""".split())
_FEMALE = frozenset("""
mrs ms miss madam spokeswoman congresswoman chairwoman businesswoman actress wife widow mother daughter sister
grandmother queen princess duchess woman girl lady
""".split())
_MALE = frozenset("""
mr sir spokesman congressman chairman businessman actor husband widower father son brother grandfather king
prince duke man boy lord
""".split())
_PERSON_PRONOUNS = {"he": "m", "him": "m", "she": "f", "her": "f"}
# Nouns a definite description of a person in the story ends with ("the billionaire businessman").
_PERSON_NOUNS = frozenset("""
businessman businesswoman billionaire mogul tycoon developer frontrunner front-runner veteran politician
republican democrat independent conservative liberal activist star actor actress singer writer journalist
congressman congresswoman lawmaker legislator pastor priest bishop rabbi imam economist scholar expert
""".split())
_UNNAMED_PRONOUNS = frozenset({"they", "them", "we", "us", "i", "me", "you", "one", "someone", "somebody",
                               "anyone", "everyone", "nobody", "who", "whom", "that", "which", "this", "these"})
_SUBJ = frozenset({"nsubj", "nsubjpass"})
_NAMED = frozenset({"PERSON", "ORG", "GPE", "FAC"})
_QUANTIFIERS = frozenset({"a", "an", "one", "some", "several", "many", "few", "other", "another", "two", "three",
                          "four", "five", "most", "all", "both", "various", "numerous", "any", "no", "each"})
_SENTENCE_END = re.compile(r"[.!?]['\"”’)]*\s+(?=[A-Z“\"‘'(])")
# A full stop that ends an abbreviation or an initial, not a sentence ("Ms. Acosta", "John F. Kennedy")
_ABBREVIATION = re.compile(r"(?:\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|Adm|Rev|St|Jr|Sr|Prof|Mt|Ft|No|"
                           r"Jan|Feb|Mar|Apr|Aug|Sept|Sep|Oct|Nov|Dec|Inc|Corp|Co|Ltd|vs|U\.S|U\.N|U\.K|D\.C)"
                           r"|\b[A-Z])\.$")


@dataclass(frozen=True)
class Attribution:
    """The speaker of one quotation: a name (None when the text names no one) and the
    description the text gives of the speaker (None when it gives none)."""

    speaker: str | None
    role: str | None
    how: str = ""  # which rule decided: "cue", "intro", "continued", or "" (no attribution)


@dataclass
class _Person:
    offset: int
    name: str
    subject: bool = False


@dataclass
class _Ctx:
    """What the article has said so far: people (outside quotations), who spoke, roles,
    genders and organisations, for pronouns and definite roles."""

    persons: list[_Person] = field(default_factory=list)
    seen: set[int] = field(default_factory=set)
    everyone: dict[str, str] = field(default_factory=dict)  # surname key -> the article's fullest name for it
    cues: set[int] = field(default_factory=set)  # offsets of the cues outside quotations already read
    speakers: list[tuple[int, str]] = field(default_factory=list)  # (offset, person name) of quoted people
    roles: list[tuple[int, str, str]] = field(default_factory=list)  # (offset, role noun, person name)
    gender: dict[str, set[str]] = field(default_factory=dict)  # name -> the genders the text gives it
    institution: str | None = None
    unnamed: list[tuple[int, str]] = field(default_factory=list)  # (offset, gender) of unnamed people as subjects
    cues_unnamed: set[tuple[int, str]] = field(default_factory=set)

    def full_name(self, name: str, before: int) -> str:
        """The fullest form of a person's name mentioned so far ("Vaskari" -> "Ilona Vaskari")."""
        last = _surname(name)
        longer = [p.name for p in self.persons if p.offset < before and _surname(p.name) == last
                  and len(p.name.split()) > len(name.split())]
        if not longer:
            return name
        firsts = {n.split()[0] for n in longer}
        if len(name.split()) > 1 and name.split()[0] not in firsts:
            return name
        return longer[-1] if len(firsts) == 1 else name

    def antecedent(self, gender: str, before: int, pronoun: bool = True) -> str | None:
        """The person "he"/"she" at ``before`` stands for: the most recent person who spoke or
        was a subject, of a gender the text does not contradict; none when that is a person the
        text leaves unnamed (only for a pronoun: "the businessman" is someone named)."""
        pool = [(o, n) for o, n in self.speakers if o < before]
        pool += [(p.offset, p.name) for p in self.persons if p.subject and p.offset < before]
        pool += [(o, "") for o, g in self.unnamed if pronoun and o < before and (g in ("?", gender) or gender == "?")]
        for _, name in sorted(pool, reverse=True):
            if not name:  # "my mother ... she said": the pronoun stands for someone the text does not name
                return None
            if gender == "?" or self.gender.get(name, set()) <= {gender}:  # unknown, the same, not both
                return name
        return None

    def person_with_role(self, role: str, before: int) -> str | None:
        names = {n for o, r, n in self.roles if r == role and o < before}
        if len(names) != 1:  # two presidents named: "the president" could be either
            return None
        return names.pop()

    def person_named(self, word: str, before: int) -> str | None:
        """The last person named before ``before`` whose surname is ``word``, else the one the
        article names anywhere (a surname the recogniser missed: "Vaskari said")."""
        for p in reversed(self.persons):
            if p.offset < before and _surname(p.name) == word.casefold():
                return p.name
        return self.everyone.get(word.casefold())


def _surname(name: str) -> str:
    words = [w for w in re.findall(r"[\w'’.-]+", name) if w.strip(".").lower() not in ("jr", "sr", "ii", "iii")]
    return words[-1].casefold().removesuffix("'s").removesuffix("’s") if words else ""


# ---------------------------------------------------------------------------- context


def _track(doc: Any, off: int, ctx: _Ctx, upto: int, quoted: Sequence[tuple[int, int]]) -> None:
    """Record the paragraph's person mentions outside quotations before ``upto`` (Doc offsets):
    the recogniser's PERSON names, and proper-noun subjects of main clauses it missed
    ("Pate claimed ...")."""
    at = _tokens(doc)
    for i in at.proper:  # capitalised NNP, NNS, NNPS
        if at.idx[i] >= upto:
            break
        tok = doc[i]
        if off + tok.idx in ctx.seen:
            continue
        ent = _ent_of(tok)
        if (ent is not None or tok.tag_ != "NNP") and _known_surname(tok, ctx, off + tok.idx) is None:
            continue  # a name the recogniser typed otherwise counts when it is a person's surname ("Trump" as ORG)
        if not _main_subject(tok) or _inside(tok, quoted):
            continue
        first = min([t.i for t in tok.lefts if t.dep_ in ("compound", "flat") and t.tag_ == "NNP"] + [tok.i])
        name = re.sub(r"^(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov)\.?\s+", "", doc[first:tok.i + 1].text)
        known = ctx.person_named(_surname(name), off + tok.idx)
        if known or len(name.split()) > 1:
            ctx.seen.add(off + tok.idx)
            ctx.persons.append(_Person(off + tok.idx, known or name, True))
    _track_entities(doc, off, ctx, upto, quoted)
    _track_unnamed(doc, off, ctx, upto, quoted)
    ctx.persons.sort(key=lambda p: p.offset)
    for i in at.cues:  # who spoke outside quotations ("The health ministry said ..."): the antecedent of "it"
        if at.idx[i] >= upto:
            break
        tok = doc[i]
        if off + tok.idx not in ctx.cues and _is_cue(tok) and not _inside(tok, quoted):
            ctx.cues.add(off + tok.idx)
            _cue_speaker(tok, off, ctx, quoted)


def _track_entities(doc: Any, off: int, ctx: _Ctx, upto: int, quoted: Sequence[tuple[int, int]]) -> None:
    for ent in doc.ents:
        if ent.label_ != "PERSON" or ent.start_char >= upto or off + ent.start_char in ctx.seen:
            continue
        if any(s <= ent.start_char < e for s, e in quoted):
            continue
        ctx.seen.add(off + ent.start_char)
        name = _person_name(ent)
        if not name:
            continue
        name = ctx.full_name(name, off + ent.start_char)
        subject = _main_subject(ent.root)
        ctx.persons.append(_Person(off + ent.start_char, name, subject))
        _learn_role_and_gender(doc, ent, off, name, ctx)


# Nouns of a person the text may leave unnamed ("my mother", "a witness", "one voter").
_UNNAMED_PERSON_NOUNS = frozenset("""
witness resident voter supporter source friend neighbor neighbour student teacher worker protester member
person nurse soldier owner parent man woman mother father wife husband son daughter sister brother
grandmother grandfather boyfriend girlfriend fan attendee delegate volunteer customer employee staffer
""".split())
_PEOPLE_NOUNS = _UNNAMED_PERSON_NOUNS | ROLE_NOUNS | _PERSON_NOUNS
_UNNAMED_DETS = frozenset({"a", "an", "one", "another", "my", "our", "your"})  # not "his brother": often named


def _track_unnamed(doc: Any, off: int, ctx: _Ctx, upto: int, quoted: Sequence[tuple[int, int]]) -> None:
    """Main-clause subjects that are people the text does not name ("my mother", "a witness"):
    a later "she" may stand for them, and then names no one."""
    at = _tokens(doc)
    for i in at.unnamed:  # singular common nouns of people as subjects
        if at.idx[i] >= upto:
            break
        tok = doc[i]
        if _inside(tok, quoted):
            continue
        lemma = tok.lemma_.lower()
        dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "poss", "nummod")}
        if not dets & _UNNAMED_DETS or any(t.ent_type_ == "PERSON" for t in tok.subtree):
            continue
        if any(c.dep_ in ("dobj", "dative") and (c.ent_type_ == "PERSON" or ctx.person_named(c.text, off + c.idx))
               for c in tok.head.children):
            continue  # "A reporter asked Sanders ... He replied": the one asked answers
        main = _main_subject(tok) or tok.head.dep_ in ("advcl", "relcl") and any(  # "when my mother
            c.dep_ in _SUBJ and c.lower_ in ("i", "we") for c in tok.sent.root.children)  # mentioned it, I laughed"
        if main and (off + tok.idx, "u") not in ctx.cues_unnamed:
            ctx.cues_unnamed.add((off + tok.idx, "u"))
            ctx.unnamed.append((off + tok.idx, _noun_gender(lemma)))


def _main_subject(tok: Any) -> bool:
    """A subject of its sentence's main clause (or of a verb of saying): the salient
    antecedent of a later "he"/"she", unlike the subject of a reported clause ("Ferre said
    Trump has the potential")."""
    if tok.dep_ in ("appos", "conj", "compound") and tok.head is not tok:
        tok = tok.head
    if tok.dep_ not in _SUBJ:
        return False
    node = tok.head
    for _ in range(8):
        if node.dep_ in _EMBEDDED and node.head.lemma_.lower() not in SPEECH_LEMMAS:
            return False
        if node.dep_ == "ROOT" or node.head is node:
            return True
        if node.dep_ in _EMBEDDED:
            return False
        node = node.head
    return False


# Clauses inside another: their subjects are not what the sentence is about.
_EMBEDDED = frozenset({"ccomp", "relcl", "acl", "advcl", "pcomp", "csubj", "csubjpass"})


def _learn_role_and_gender(doc: Any, ent: Any, off: int, name: str, ctx: _Ctx) -> None:
    near = [t for t in doc[max(0, ent.start - 4):ent.start] if not t.is_punct]
    near += [t for t in ent.root.children if t.dep_ == "appos"]
    if ent.root.dep_ == "appos":
        near.append(ent.root.head)
    for t in near:
        lemma = t.lemma_.lower()
        if lemma in ROLE_NOUNS:
            ctx.roles.append((off + ent.start_char, lemma, name))
        g = "f" if t.lower_.strip(".") in _FEMALE else "m" if t.lower_.strip(".") in _MALE else None
        if g and (t.i == ent.start - 1 or t.dep_ == "appos" or t.head.i == ent.root.i):
            ctx.gender.setdefault(name, set()).add(g)
    title = ent.text.split()[0].lower().strip(".")
    if title in ("mr", "mrs", "ms", "miss"):
        ctx.gender.setdefault(name, set()).add("m" if title == "mr" else "f")



def _person_name(ent: Any) -> str:
    name, _, _ = clean_surface(ent.text)
    name = re.sub(r"^(?:Mr|Mrs|Ms|Dr|Miss|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Rev)\.?\s+", "", name)
    return name if len(name) > 1 and name[0].isupper() else ""


# ---------------------------------------------------------------------------- speaker phrases


def _ent_of(tok: Any) -> Any | None:
    if not tok.ent_type_:
        return None
    for ent in tok.doc.ents:
        if ent.start <= tok.i < ent.end:
            return ent
    return None


def _phrase(tok: Any, quoted: Sequence[tuple[int, int]]) -> str:
    """The noun phrase of ``tok`` without a relative clause or a long apposition."""
    keep = [t for t in tok.subtree if t.dep_ not in ("relcl", "acl")
            and not any(s <= t.idx < e for s, e in quoted)]
    cut = {i for t in tok.children if t.dep_ in ("relcl", "acl", "appos")
           for i in range(t.left_edge.i, t.right_edge.i + 1)}
    keep = [t for t in keep if t.i not in cut]
    if not keep:
        return tok.text
    start, end = keep[0].i, keep[-1].i + 1
    text = tok.doc[start:end].text.strip(" ,;:—–-\"“”")
    return re.sub(r"\s+", " ", text)


def _role_around(tok: Any, ent: Any, quoted: Sequence[tuple[int, int]]) -> str | None:
    """The description the text gives with a named person: words before the name in its
    phrase ("French foreign ministry spokeswoman") or an apposition ("the campaign's
    press secretary")."""
    first = ent.start
    subtree = {t.i for t in tok.subtree}
    while first > 0 and first - 1 in subtree and tok.doc[first - 1].pos_ in ("NOUN", "PROPN", "ADJ", "PART", "NUM") \
            and tok.doc[first - 1].dep_ not in ("det", "punct"):
        first -= 1  # the words of the description right before the name, not a verb's ("AFP quoted ...")
    parts = []
    if first < ent.start:
        words = tok.doc[first:ent.start].text.strip(" ,")
        if words and not re.fullmatch(r"(?i)(?:mr|mrs|ms|dr|miss)\.?", words):
            parts.append(words)
    for t in ent.root.children:
        if t.dep_ == "appos" and _ent_of(t) is None and t.pos_ in ("NOUN", "PROPN"):
            parts.append(tok.doc[t.left_edge.i:t.right_edge.i + 1].text.strip(" ,"))
            break
    role = ", ".join(p for p in parts if p)
    return role or None


def _named_person(tok: Any, off: int, ctx: _Ctx, quoted: Sequence[tuple[int, int]]) -> Attribution | None:
    ent = _ent_of(tok)
    if ent is not None and ent.label_ == "PERSON":
        name = _person_name(ent)
        if name:
            return Attribution(ctx.full_name(name, off + ent.start_char), _role_around(tok, ent, quoted), "cue")
    for t in tok.children:  # "the spokeswoman, Maria Vaskari"; not "a spokesman for Mr. Reid", not
        if t.dep_ in ("appos", "compound", "flat", "nmod") and t.i > tok.i:  # "a Clinton campaign official"
            e = _ent_of(t)
            if e is not None and e.label_ == "PERSON" and _person_name(e):
                role = _phrase(tok, quoted) if tok.i < e.start else None
                return Attribution(ctx.full_name(_person_name(e), off + e.start_char), role, "cue")
    return None


def _speaker_of(tok: Any, off: int, ctx: _Ctx, quoted: Sequence[tuple[int, int]], depth: int = 0
                ) -> Attribution:
    """The speaker a subject token names (see the module docstring, step 3)."""
    where = off + tok.idx
    person = _named_person(tok, off, ctx, quoted)
    if person is not None:
        return person
    low = tok.lower_
    if low in ("who", "that") and tok.head.dep_ == "relcl" and depth < 2:  # "Stevie Wonder, who joked"
        return _speaker_of(tok.head.head, off, ctx, quoted, depth + 1)
    if low in _PERSON_PRONOUNS:
        return Attribution(ctx.antecedent(_PERSON_PRONOUNS[low], where), None, "cue")
    if low == "it":
        return Attribution(ctx.institution, None, "cue")
    if tok.pos_ == "PRON" or low in _UNNAMED_PRONOUNS:
        return Attribution(None, None, "cue")
    known = _known_surname(tok, ctx, where)
    if known is not None:  # "Sanders replied" with "Sanders" tagged a plural noun or an organisation
        return Attribution(known, None, "cue")
    ent = _ent_of(tok)
    if ent is not None and ent.label_ in _NAMED and ent.root.i == tok.i and not (len(ent) == 1 and _common_plural(tok)):
        name, _, _ = clean_surface(ent.text)
        if ent.label_ == "ORG":
            ctx.institution = name
        return Attribution(name or None, None, "cue")
    return _described(tok, off, ctx, quoted, depth)


def _known_surname(tok: Any, ctx: _Ctx, where: int) -> str | None:
    """A lone capitalised word the recogniser did not call a person ("Sanders" as a plural
    noun, "Trump" as an organisation) that is the surname of a person the article names:
    that person.  Not with a determiner or a modifier ("the Clinton campaign" is a campaign)."""
    if not tok.text[:1].isupper() or tok.ent_type_ == "PERSON" or tok.pos_ not in ("PROPN", "NOUN"):
        return None
    if any(c.dep_ in ("det", "compound", "amod", "poss", "nummod") for c in tok.children):
        return None
    ent = _ent_of(tok)
    if ent is not None and len(ent) > 1:
        return None
    return ctx.person_named(tok.text, where)


def _common_plural(tok: Any) -> bool:
    """"Demonstrators said": a plural common noun capitalised by its place, not a name."""
    return tok.is_sent_start and len(tok.text) > 4 and bool(re.search(r"(?:er|or|ist|ant|ent|an|ian)s$", tok.text))


def _noun_gender(lemma: str) -> str:
    return "f" if lemma in _FEMALE else "m" if lemma in _MALE else "?"


def _described(tok: Any, off: int, ctx: _Ctx, quoted: Sequence[tuple[int, int]], depth: int) -> Attribution:
    """A speaker given by a description: an institution, a role, a group or a document."""
    where = off + tok.idx
    lemma = tok.lemma_.lower()
    phrase = _phrase(tok, quoted)
    dets = {c.lower_ for c in tok.children if c.dep_ in ("det", "nummod", "amod", "quantmod")}
    indefinite = bool(dets & _QUANTIFIERS) or tok.tag_ in ("NNS", "NNPS") or any(
        c.dep_ == "nummod" for c in tok.children)
    poss = [c for c in tok.children if c.dep_ == "poss"]
    proper = any(c.dep_ in ("compound", "amod", "poss", "nmod") and (c.ent_type_ in ("GPE", "NORP", "ORG")
                 or c.pos_ == "PROPN") for c in tok.children)
    if tok.text[:1].isupper() and tok.tag_ not in ("NNS", "NNPS") and not indefinite:
        named = ctx.person_named(tok.text, where)  # "Sanders tells reporters" (tagged a noun)
        if named:
            return Attribution(named, None, "cue")
    if lemma in _DOCUMENTS:
        if poss and depth < 2 and poss[0].lower_ not in ("its", "their", "his", "her"):
            return _speaker_of(poss[0], off, ctx, quoted, depth + 1)  # "Ivana Trump's brief"
        return Attribution(None, None, "cue")
    if tok.pos_ == "PROPN" and tok.tag_ != "NNPS" and not indefinite:
        named = ctx.person_named(tok.text, where)  # a surname the recogniser missed
        if named:
            return Attribution(named, None, "cue")
        if tok.text[:1].isupper() and tok.tag_ == "NNP" and not _common_plural(tok) and (
                lemma.strip(".") not in ROLE_NOUNS and lemma not in _PERSON_NOUNS):  # "the Wisconsin Republican"
            parts = [t for t in tok.lefts if t.dep_ in ("compound", "flat") and t.pos_ == "PROPN"] + [tok]
            return Attribution(tok.doc[parts[0].i:tok.i + 1].text, None, "cue")
    if lemma in _INSTITUTIONS and not indefinite:
        name = re.sub(r"^(?i:the)\s+", "", phrase)
        if proper or (lemma in _STATE_BODIES and name.lower() != lemma):
            ctx.institution = name
            return Attribution(name, None, "cue")
        return Attribution(ctx.institution if ctx.institution and lemma in ctx.institution.lower() else None,
                           phrase, "cue")
    if (lemma in ROLE_NOUNS or lemma in _PERSON_NOUNS) and not indefinite and not poss and dets & {"the", "this"}:
        named = ctx.person_with_role(lemma, where) or ctx.antecedent(_noun_gender(lemma), where, pronoun=False)
        return Attribution(named, phrase, "cue")  # "the president", "the New York businessman"
    return Attribution(None, phrase if tok.pos_ in ("NOUN", "PROPN") else None, "cue")


# ---------------------------------------------------------------------------- cues


def _is_cue(tok: Any) -> bool:
    lemma = tok.lemma_.lower()
    if lemma not in _CUE_LEMMAS and tok.lower_ != "according":
        return False  # no cue (the checks below need one of these words): no walk over the token's children
    if tok.lower_ == "according" and any(c.lower_ == "to" for c in tok.children):
        return True
    particle = next((c.lower_ for c in tok.children if c.dep_ == "prt"), None)
    if particle and (lemma, particle) in _PHRASAL_CUES:
        return True  # "Trump went on", "Hillary shot back"
    return tok.pos_ in ("VERB", "AUX") and lemma in SPEECH_LEMMAS


def _cue_speaker(verb: Any, off: int, ctx: _Ctx, quoted: Sequence[tuple[int, int]]) -> Attribution | None:
    """The speaker of a cue: its subject, a passive's agent, "according to X", "quoted X
    as saying"; climbing from a participle or a conjunct to the verb that has one."""
    if verb.lower_ == "according":
        for c in verb.children:
            for p in c.children:
                if c.lower_ == "to" and p.dep_ == "pobj":
                    return _speaker_of(p, off, ctx, quoted)
        return None
    if verb.lemma_.lower() == "quote":  # "AFP quoted X as saying": X, however the parser attached it
        following = list(verb.doc[verb.i + 1:verb.i + 12])
        as_at = next((t.i for t in following if t.lower_ == "as"), None)
        person = next((t for t in following if as_at is not None and t.i < as_at and t.ent_type_ == "PERSON"
                       and not _inside(t, quoted)), None)
        if person is not None:
            ent = _ent_of(person)
            return _speaker_of(ent.root if ent is not None else person, off, ctx, quoted)
    v = verb
    for _ in range(3):
        subj = [c for c in v.children if c.dep_ in _SUBJ and not _inside(c, quoted)]
        if subj and (v is verb or _main_subject(subj[0]) or v.lemma_.lower() in SPEECH_LEMMAS):
            return _speaker_of(subj[0], off, ctx, quoted)  # (climbed: not the subject of an inner clause)
        if subj:
            break
        agent = [c for c in v.children if c.dep_ == "agent"]
        for a in agent:
            for p in a.children:
                if p.dep_ == "pobj":
                    return _speaker_of(p, off, ctx, quoted)
        if v.dep_ in ("advcl", "conj", "xcomp", "pcomp", "relcl") and v.head is not v and not _inside(v.head, quoted):
            v = v.head if v.dep_ != "pcomp" else v.head.head
            continue
        break
    return _subject_before(verb, off, ctx, quoted)


def _subject_before(verb: Any, off: int, ctx: _Ctx, quoted: Sequence[tuple[int, int]]) -> Attribution | None:
    """A cue the parser left without a subject: a participle whose clause was attached
    into the quotation ("Clinton seemed ready, telling the crowd, “…”") takes the subject
    of the clause before it; a verb right after a named person ("her adviser, Jake
    Sullivan, said:") takes that person."""
    doc = verb.doc
    if verb.tag_ == "VBG":  # the subject of the main clause, not of a clause inside it ("where the Panthers played")
        subj = [t for t in doc[:verb.i] if t.dep_ in _SUBJ and not _inside(t, quoted) and not _inside(t.head, quoted)
                and _main_subject(t)]
        if subj:
            return _speaker_of(subj[-1], off, ctx, quoted)
        return None
    for t in reversed(doc[max(0, verb.i - 12):verb.i]):
        if t.pos_ in ("VERB", "AUX") or _inside(t, quoted) or t.text in ("“", "”", '"', "''", "``"):
            break
        ent = _ent_of(t)
        if ent is not None and ent.label_ == "PERSON":
            return _speaker_of(ent.root, off, ctx, quoted)  # "Steve Cohen, Democrat of Tennessee, told"
    return None


@dataclass(frozen=True)
class _DocTokens:
    """Which tokens of a paragraph the attribution looks at, read once from ``Doc.to_array`` (no spaCy
    ``Token`` per word and per quotation): each token's character offset, and in text order the
    indices of capitalised proper or plural nouns (NNP, NNS, NNPS), of singular nouns of people as
    subjects, and of words with a cue's lemma ("said", "according")."""

    idx: array[int]  # 4 bytes a token (the parse cache holds these as long as its docs)
    proper: list[int]
    unnamed: list[int]
    cues: list[int]


_TOKENS_KEY = "newsdesk.attribution.tokens"
_NAMES: dict[int, str] = {}  # string hash -> string (hashes are the same in every spaCy vocabulary)


def _tokens(doc: Any) -> _DocTokens:
    got = doc.user_data.get(_TOKENS_KEY)
    if got is not None:
        return got
    from spacy.attrs import DEP, IDX, LEMMA, LOWER, ORTH, TAG

    strings = doc.vocab.strings

    def name(h: int) -> str:
        v = _NAMES.get(h)
        if v is None:
            v = _NAMES[h] = strings[h] if h else ""
        return v

    idx: array[int] = array("i")
    proper: list[int] = []
    unnamed: list[int] = []
    cues: list[int] = []
    for i, (at, tag, lemma, lower, dep, orth) in enumerate(doc.to_array([IDX, TAG, LEMMA, LOWER, DEP, ORTH]).tolist()):
        idx.append(at)
        t = name(tag)
        if t in ("NNP", "NNS", "NNPS") and name(orth)[:1].isupper():
            proper.append(i)
        low_lemma = name(lemma).lower()
        if t == "NN" and name(dep) in _SUBJ and low_lemma in _PEOPLE_NOUNS:
            unnamed.append(i)
        if low_lemma in _CUE_LEMMAS or name(lower) == "according":
            cues.append(i)
    got = doc.user_data[_TOKENS_KEY] = _DocTokens(idx, proper, unnamed, cues)
    return got


def _cues_between(doc: Any, w0: int, w1: int) -> list[Any]:
    """The tokens with a cue's lemma starting at offsets ``w0 <= idx < w1`` of ``doc``, in order."""
    at = _tokens(doc)
    return [doc[i] for i in at.cues if w0 <= at.idx[i] < w1]


def _inside(tok: Any, quoted: Sequence[tuple[int, int]]) -> bool:
    return any(s <= tok.idx < e for s, e in quoted)


def _window(text: str, q0: int, q1: int, quoted: Sequence[tuple[int, int]]) -> tuple[int, int]:
    """The clause window of a quotation spanning ``q0:q1`` of a paragraph: from the last
    sentence end before it to the first after it, sentence ends inside quotations aside."""
    ends = _sentence_ends(text, tuple(quoted))
    start = max((e1 for _, e1 in ends if e1 <= q0), default=0)
    end = min((e0 + 1 for e0, _ in ends if e0 >= q1), default=len(text))
    return start, end


@lru_cache(maxsize=16)
def _sentence_ends(text: str, quoted: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """(start, end) of the sentence ends of a paragraph outside its quotations: the same for each
    quotation of the paragraph, found once."""
    masked = list(text)
    for s, e in quoted:
        inner = range(max(0, s + 1), min(len(text), e - 1))
        last = max((i for i in inner if not text[i].isspace() and text[i] not in "'\"”’"), default=-1)
        for i in inner:  # a quotation's own final full stop still ends the sentence: "terrorists.'' Mr."
            if not masked[i].isspace() and not (i == last and text[i] in ".!?"):
                masked[i] = "x"
    flat = "".join(masked)  # the marks themselves stay: "... quarters. “Also" ends a sentence
    return tuple((m.start(), m.end()) for m in _SENTENCE_END.finditer(flat)
                 if not _ABBREVIATION.search(flat, 0, m.start() + 1))


def _cue_in_window(doc: Any, off: int, q0: int, q1: int, quoted: Sequence[tuple[int, int]], ctx: _Ctx
                   ) -> Attribution | None:
    w0, w1 = _window(doc_text(doc), q0, q1, quoted)
    cands = [t for t in _cues_between(doc, w0, w1) if not _inside(t, quoted) and _is_cue(t)]
    if any(t.lemma_.lower() not in _FRAMING for t in cands):
        cands = [t for t in cands if t.lemma_.lower() not in _FRAMING]
    cands.sort(key=lambda t: q0 - t.idx if t.idx < q0 else t.idx - q1)
    for verb in cands:  # the nearest cue with a subject decides, named or not ("a man yelled")
        att = _cue_speaker(verb, off, ctx, quoted)
        if att is not None:
            return att
    return None


# ---------------------------------------------------------------------------- articles


def attribute(pa: Any, quotations: Sequence[Quotation]) -> list[Attribution]:
    """The attribution of each quotation of deep-parsed article ``pa``, in order."""
    ctx = _Ctx()
    docs = list(pa.docs)
    ctx.everyone = _everyone(docs)
    spans = [(p.open_at, p.close_at) for q in quotations for p in q.pieces]
    out: list[Attribution] = []
    tracked = 0  # index of the next paragraph whose mentions are not recorded yet
    prev: tuple[int, Attribution] | None = None  # (paragraph, attribution) of the last quotation
    for q in quotations:
        k = _doc_index(docs, q.start)
        if k is None:
            out.append(Attribution(None, None))
            continue
        off, doc = docs[k]
        quoted = [(s - off, e - off) for s, e in spans if off <= s < off + len(doc_text(doc))]
        while tracked < k:
            o2, d2 = docs[tracked]
            n2 = len(doc_text(d2))
            _track(d2, o2, ctx, n2 + 1, [(s - o2, e - o2) for s, e in spans if o2 <= s < o2 + n2])
            tracked += 1
        piece = q.pieces[0]
        q0, q1 = piece.open_at - off, min(piece.close_at, off + len(doc_text(doc))) - off
        _track(doc, off, ctx, q0, quoted)
        att = _labelled(pa.article.text, q, off + q0, ctx) or _byline(docs, k, off + q1, q, ctx)
        if att is None:
            att = _cue_in_window(doc, off, q0, q1, quoted, ctx)
        if att is None:
            att = _without_cue(docs, k, q0, prev, off, ctx, spans)
        if att.speaker and att.speaker in {p.name for p in ctx.persons}:
            ctx.speakers.append((off + q0, att.speaker))
        out.append(att)
        prev = (k, att)
    return out


def _everyone(docs: Sequence[tuple[int, Any]]) -> dict[str, str]:
    """Surname -> the one fullest PERSON name the article gives it (none when two people share it)."""
    names: dict[str, set[str]] = {}
    for _, doc in docs:
        for ent in doc.ents:
            if ent.label_ == "PERSON":
                name = _person_name(ent)
                if name:
                    names.setdefault(_surname(name), set()).add(name)
    out = {}
    for last, found in names.items():
        full = [n for n in found if len(n.split()) > 1]
        firsts = {n.split()[0] for n in full}
        if len(firsts) <= 1:
            out[last] = max(found, key=lambda n: (len(n.split()), len(n)))
    return out


def _doc_index(docs: Sequence[tuple[int, Any]], pos: int) -> int | None:
    for i, (off, doc) in enumerate(docs):
        if off <= pos < off + len(doc_text(doc)):
            return i
    return None


def _without_cue(docs: Sequence[tuple[int, Any]], k: int, q0: int, prev: tuple[int, Attribution] | None,
                 off: int, ctx: _Ctx, spans: Sequence[tuple[int, int]]) -> Attribution:
    """Step 4: a quotation continuing the previous one, or introduced by a colon."""
    doc = docs[k][1]
    before = doc_text(doc)[:q0].strip()
    if prev is not None and prev[0] == k:
        return Attribution(prev[1].speaker, prev[1].role, "continued") if prev[1].how else Attribution(None, None)
    if before.endswith(":"):
        return _intro(doc, off, len(before), ctx, spans)
    if before or k == 0:
        return Attribution(None, None)
    p_off, p_doc = docs[k - 1]
    p_text = doc_text(p_doc).rstrip()
    if p_text.endswith(":"):
        return _intro(p_doc, p_off, len(p_text), ctx, spans)
    if prev is not None and prev[0] == k - 1 and prev[1].how and _ends_with_quote(p_text):
        return Attribution(prev[1].speaker, prev[1].role, "continued")
    return _reported_before(p_doc, p_off, ctx, spans)


def _reported_before(doc: Any, off: int, ctx: _Ctx, spans: Sequence[tuple[int, int]]) -> Attribution:
    """A quotation opening its paragraph, without a cue, after a paragraph whose last sentence
    reports a named person's words ("Carter said that ...") continues that person."""
    quoted = [(s - off, e - off) for s, e in spans if off <= s < off + len(doc_text(doc))]
    w0, w1 = _window(doc_text(doc), len(doc_text(doc).rstrip()) - 1, len(doc_text(doc).rstrip()), quoted)
    cues = [t for t in _cues_between(doc, w0, w1) if _is_cue(t) and not _inside(t, quoted)
            and t.lemma_.lower() not in _FRAMING]
    for verb in cues:
        att = _cue_speaker(verb, off, ctx, quoted)
        if att is not None and att.speaker is not None:
            return Attribution(att.speaker, att.role, "continued")
    return Attribution(None, None)


def _ends_with_quote(text: str) -> bool:
    return bool(re.search(r"(?:said|says|added|adds|told \w+|wrote|continued|explained)?[.!?,]?[\"”’']\s*$|"
                          r"[\"”’']\s*,?\s*(?:\w+\s+){0,4}(?:said|says|added|adds|wrote|explained|continued)[^.]*\.$",
                          text))


def _intro(doc: Any, off: int, end: int, ctx: _Ctx, spans: Sequence[tuple[int, int]]) -> Attribution:
    """The speaker of "X said:" / "Cruz continued:" ending at ``end`` of ``doc``."""
    quoted = [(s - off, e - off) for s, e in spans if off <= s < off + len(doc_text(doc))]
    w0, _ = _window(doc_text(doc), end - 1, end, quoted)
    last = [e for e in doc.ents if e.end_char <= end and not doc_text(doc)[e.end_char:end].strip(" :—–-")]
    if last and last[-1].label_ in ("PERSON", "ORG") and not re.search(
            r"[a-z]{2}", re.split(r"\s[-—–]\s", doc_text(doc)[w0:last[-1].start_char])[-1]):
        # the name alone introduces it: "... overhype - HuffPollster: “…”" (not "a voice ... on Twitter:")
        return Attribution(_speaker_of(last[-1].root, off, ctx, quoted).speaker, None, "intro")
    cues = [t for t in _cues_between(doc, w0, end) if _is_cue(t) and not _inside(t, quoted)]
    for verb in reversed(cues):
        att = _cue_speaker(verb, off, ctx, quoted)
        if att is not None:
            return Attribution(att.speaker, att.role, "intro")
    subj = [t for t in doc if w0 <= t.idx < end and t.dep_ in _SUBJ and not _inside(t, quoted)]
    if subj:  # "Biden was quick to retort:"
        att = _speaker_of(subj[-1], off, ctx, quoted)
        return Attribution(att.speaker, att.role, "intro")
    return Attribution(None, None)


# ---------------------------------------------------------------------------- labels and bylines

# A transcript's speaker label opening the quoted words ("WALLACE: Let's start ..."): capitals and a colon.
_LABEL = re.compile(r"\s*((?:[A-Z][A-Z'’.\-]+\s+){0,2}[A-Z][A-Z'’\-]{2,}):\s")
# Capitalised labels that are not a speaker ("UPDATE:", "VIDEO:", "CROSSTALK:").
_NOT_LABELS = frozenset("""
update video exclusive breaking note editor's watch look boom email byline read crosstalk photo photos live
transcript related source sources correction clarification warning alert busted fact facts question answer
""".split())
# A byline after a quotation: a dash, then the speaker's name and at most a short description.
_BYLINE = re.compile(r"[ \t\u00a0]*[―—–-]{1,2}[ \t\u00a0]*((?:[A-Z][\w'’.\-]*[ \t\u00a0]+){0,4}[A-Z][\w'’\-]+)"
                     r"(?:,[^\n.]{0,80})?\.?[ \t\u00a0]*(?=\n|$)")


def split_at_labels(text: str, quotations: Sequence[Quotation]) -> list[Quotation]:
    """A quotation running over paragraphs splits where a paragraph opens with another
    transcript label ("RAMOS: ..." then "CLINTON: ..."): each speaker's turn is its own."""
    out: list[Quotation] = []
    for q in quotations:
        turn: list[Any] = []
        for piece in q.pieces:
            if turn and _is_label(_LABEL.match(text, piece.start, piece.end)):
                out.append(Quotation(tuple(turn)))
                turn = []
            turn.append(piece)
        out.append(Quotation(tuple(turn)))
    return out


def _is_label(m: re.Match[str] | None) -> bool:
    return m is not None and m.group(1).lower().strip(".") not in _NOT_LABELS


def _labelled(text: str, q: Quotation, at: int, ctx: _Ctx) -> Attribution | None:
    """A quotation opening with a transcript label ("PENCE: Well, look, ...") is the labelled speaker's."""
    m = _LABEL.match(text, q.pieces[0].start, q.pieces[0].end)
    if m is None or not _is_label(m):
        return None
    words = [w.capitalize() if w.isupper() else w for w in m.group(1).split()]
    if words[0].lower().strip(".") in ("mr", "mrs", "ms", "dr", "sen", "rep", "gov"):
        words = words[1:]
    if not words:
        return None
    name = ctx.person_named(words[-1], at) or " ".join(words)
    return Attribution(name, None, "label")


def _byline(docs: Sequence[tuple[int, Any]], k: int, close: int, q: Quotation, ctx: _Ctx) -> Attribution | None:
    """A quotation followed by a byline ("… .” ― Pamela Padilla"): on the rest of its
    paragraph, or as the next paragraph when the quotation fills its own ("-President Obama,
    tweeting after the speech.")."""
    off, doc = docs[k]
    end = q.pieces[-1].close_at
    if end > off + len(doc_text(doc)):  # a quotation running over paragraphs: its last one
        k = _doc_index(docs, end - 1) or k
        off, doc = docs[k]
    if doc_text(doc)[:q.pieces[0].open_at - off].rsplit("\n", 1)[-1].strip() and len(q.pieces) == 1:
        return None  # a quotation inside a sentence: "--Kim Hjelmgaard." after it is the article's byline
    rest = doc_text(doc)[end - off:]
    m = _BYLINE.match(rest)
    at = end - off
    if m is None and not rest.strip() and k + 1 < len(docs):
        doc, at = docs[k + 1][1], 0
        m = _BYLINE.match(doc_text(doc))
        if m is not None and not any(e.label_ == "PERSON" and e.text in m.group(1) for e in doc.ents):
            m = None  # a bullet or a section title ("– Old hands –"), not a name
    if m is None:
        return None
    person = next((e for e in doc.ents if e.label_ == "PERSON" and at + m.start(1) <= e.start_char
                   and e.end_char <= at + m.end(1) and _person_name(e)), None)
    words = (_person_name(person) if person is not None else m.group(1)).split()
    while len(words) > 1 and words[0].lower().strip(".") in _TITLE_WORDS:
        words = words[1:]  # "Mayor Lena Hartwig", "President Obama"
    name = " ".join(words)
    return Attribution(ctx.person_named(name, close) or name if len(words) == 1 else name, None, "byline")


_TITLE_WORDS = ROLE_NOUNS | {"mr", "mrs", "ms", "dr", "sen", "rep", "gov", "the", "former", "sir", "rev"}

