"""Numbers that are never figures: years, dates, clock times, durations, ages, addresses,
model and flight numbers, numbers inside names, ordinals, page numbers, phone numbers,
percentages, ratios, "one" as a pronoun, descriptors ("seven-storey") and distances that
only locate a place ("93 miles north of Tokyo").

:func:`not_a_figure` returns the reason (one of the classes the gold labels, see
docs/figures.md) or ``None``.  Each rule looks only at the tokens around the number and
their parse, never at what the story is about.
"""

from __future__ import annotations

import re
from typing import Any

from .numbers import NumberPhrase

__all__ = ["not_a_figure", "TIME_UNITS", "LENGTH_UNITS"]

MONTHS = frozenset("january february march april may june july august september october november december "
                   "jan jan. feb feb. mar mar. apr apr. jun jun. jul jul. aug aug. sep sep. sept sept. oct oct. "
                   "nov nov. dec dec.".split())
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
TIME_UNITS = frozenset("second minute hour day night week weekend month year decade century "
                       "seconds minutes hours days nights weeks months years decades centuries".split())
_CLOCK = frozenset("a.m. p.m. am pm a.m p.m gmt bst edt est et utc cet pdt pst cst cdt o'clock hrs".split())
_STREETS = frozenset("st st. street ave ave. avenue road rd rd. blvd blvd. boulevard lane ln drive dr dr. way "
                     "court ct place pl terrace block parkway pkwy".split())
# a word before a number that makes the number a name, a place in a list or a rank
_NAMING = {
    "highway": "name", "interstate": "name", "route": "name", "flight": "model", "phase": "rating",
    "level": "rating", "category": "rating", "channel": "name", "gate": "name", "platform": "name",
    "terminal": "name", "room": "address", "apartment": "address", "suite": "address", "exit": "address",
    "marker": "address", "chapter": "page", "section": "page", "article": "page", "page": "page",
    "image": "page", "photo": "page", "slide": "page", "item": "page", "number": "ordinal", "no.": "ordinal",
    "no": "ordinal", "day": "ordinal", "round": "ordinal", "stage": "ordinal", "step": "ordinal",
    "grade": "ordinal", "top": "ordinal", "model": "model", "version": "model", "series": "model",
    "type": "model", "class": "ordinal", "act": "page", "resolution": "name", "district": "name",
    "precinct": "name", "ward": "name", "squad": "name", "unit": "name", "station": "name", "pier": "name",
    "line": "name", "bus": "model", "train": "model", "game": "ordinal", "week": "ordinal", "year": "ordinal",
    "volume": "page", "issue": "page", "figure": "page", "table": "page", "paragraph": "page", "clause": "page",
    "article's": "page", "caliber": "model", "calibre": "model", "size": "model", "zone": "name",
}
LENGTH_UNITS = frozenset("mile miles km kilometre kilometres kilometer kilometers metre metres meter meters m "
                         "ft feet foot yard yards inch inches cm centimetres mm nautical".split())
_DIRECTIONS = frozenset("north south east west northeast northwest southeast southwest north-east north-west "
                        "south-east south-west off from outside away below above offshore inland beneath "
                        "northeastern southeastern upstream downstream".split())
_WEATHER = frozenset("mph knots km/h kph degrees celsius fahrenheit mb millibars".split())
_PRONOUN_NEXT = frozenset("of another who which that whose whom".split())
_PRONOUN_PREV = frozenset("no the every any each next this that last only which someone anyone".split())
_PERSON_ENTS = frozenset({"PERSON"})


def _tok(doc: Any, i: int) -> Any:
    return doc[i] if 0 <= i < len(doc) else None


def _low(doc: Any, i: int) -> str:
    t = _tok(doc, i)
    return t.lower_ if t is not None else ""


def not_a_figure(doc: Any, p: NumberPhrase) -> str | None:
    """Why the number phrase ``p`` of ``doc`` is not a figure, or None."""
    for rule in (_markup, _percent, _age, _duration, _clock, _date_or_year, _address, _named, _phone, _ratio,
                 _pronoun, _descriptor, _distance):
        why = rule(doc, p)
        if why:
            return why
    return None


def _markup(doc: Any, p: NumberPhrase) -> str | None:
    """"&#124;": an HTML character reference left in the text."""
    if _low(doc, p.num_start - 1) == "#" and _low(doc, p.num_start - 2).endswith("&"):
        return "other"
    return "other" if doc[p.head].text.startswith("&#") else None


def _percent(doc: Any, p: NumberPhrase) -> str | None:
    nxt = _low(doc, p.end)
    if nxt in ("%", "percent", "pc", "percentage") or (nxt == "per" and _low(doc, p.end + 1) == "cent"):
        return "percent"
    return "percent" if doc[p.head].text.endswith("%") else None


def _clock(doc: Any, p: NumberPhrase) -> str | None:
    nxt, prev = _low(doc, p.end), _low(doc, p.num_start - 1)
    if nxt in _CLOCK or (nxt == ":" and _tok(doc, p.end + 1) is not None and doc[p.end + 1].like_num):
        return "time"
    if prev == ":" and _tok(doc, p.num_start - 2) is not None and doc[p.num_start - 2].like_num:
        return "time"
    if re.fullmatch(r"\d{1,2}[:.]\d\d", doc[p.head].text) and nxt in _CLOCK | {"local", "gmt"}:
        return "time"
    if doc[p.head].ent_type_ == "TIME" and not p.vague and p.value < 60 and nxt not in ("people", "persons"):
        return "time"
    return None


def _age(doc: Any, p: NumberPhrase) -> str | None:
    nxt = [_low(doc, p.end + k) for k in range(4)]
    if nxt[0] == "-" and nxt[1] in ("year", "month", "week", "day") and nxt[2] == "-" and nxt[3] == "old":
        return "age"
    if nxt[0] in ("years", "year", "months", "-year", "-month") and nxt[1] in ("old", "-old", "of"):
        if nxt[1] != "of" or nxt[2] == "age":
            return "age"
    if re.fullmatch(r"\d+-(?:year|month|week|day)-old", doc[p.head].lower_):
        return "age"
    prev = _low(doc, p.start - 1)
    if prev in ("aged", "age", "ages", "ageing") or (prev == "of" and _low(doc, p.start - 2) == "age"):
        return "age"
    k = p.start - 1
    while k > 0 and (_low(doc, k) in (",", "and") or doc[k].like_num):
        k -= 1
    if k < p.start - 1 and _low(doc, k) in ("ages", "aged"):
        return "age"  # "ages 9, 3, 2 and ..."

    if not p.vague and p.high is None and 0 < p.value < 120 and float(p.value).is_integer():
        before = _tok(doc, p.start - 2)
        if prev == "," and nxt[0] in (",", ".", ")", "", "and", ";", "-", "—") and before is not None and (
                before.ent_type_ in _PERSON_ENTS or before.pos_ == "PROPN"):
            return "age"  # "Braden Joplin, 25, was..."
        if prev == "(" and nxt[0] == ")" and before is not None and (before.pos_ in ("PROPN", "NOUN")
                                                                    or before.ent_type_ in _PERSON_ENTS):
            return "age"  # "Aleysha Rosario (9)"
    return None


def _month(doc: Any, i: int) -> bool:
    t = _tok(doc, i)
    return t is not None and t.lower_ in MONTHS and (t.lower_ != "may" or t.text == "May")


def _date_or_year(doc: Any, p: NumberPhrase) -> str | None:
    head = doc[p.head]
    prev, nxt = _low(doc, p.num_start - 1), _low(doc, p.end)
    if _month(doc, p.num_start - 1) or _month(doc, p.end) or (prev == "." and _month(doc, p.num_start - 2)):
        return "date"
    if prev == "," and _low(doc, p.num_start - 2).isdigit() and _month(doc, p.num_start - 3):
        return "year"  # "April 4, 2013"
    if prev in ("-", "–", "/") and re.fullmatch(r"(?:1[89]|20)\d\d", _low(doc, p.num_start - 2)):
        return "year"  # "1991-94"
    if nxt in ("'s", "s") and head.text.isdigit() and len(head.text) == 4:
        return "year"  # "the 1990 's"
    is_year = (head.text.isdigit() and len(head.text) == 4 and 1800 <= p.value <= 2100 and p.qualifier is None)
    if is_year and not _counts_noun(doc, p):
        return "year"
    if head.ent_type_ == "DATE" and not p.vague and not _counts_noun(doc, p):
        ent = next((e for e in doc.ents if e.start <= head.i < e.end), None)
        words = {t.lower_ for t in ent} if ent is not None else set()
        if is_year or (p.value <= 31 and (words & (MONTHS | WEEKDAYS) or p.value <= 12)):
            return "date" if not is_year else "year"
    if prev in ("ago",) or nxt == "ago" or (nxt in TIME_UNITS and _low(doc, p.end + 1) == "ago"):
        return "date"
    return None


def _counts_noun(doc: Any, p: NumberPhrase) -> bool:
    """The number is directly followed by the plural noun it counts ("2010 people")."""
    nxt = _tok(doc, p.end)
    return nxt is not None and nxt.pos_ == "NOUN" and nxt.tag_ in ("NNS",) and nxt.lower_ not in TIME_UNITS


def _duration(doc: Any, p: NumberPhrase) -> str | None:
    nxt = _low(doc, p.end)
    if nxt in TIME_UNITS:
        return "duration"
    if nxt in ("-", "–") and _low(doc, p.end + 1) in TIME_UNITS:
        return "duration"
    if re.fullmatch(r"\d+-(?:day|hour|week|month|year|minute)s?", doc[p.head].lower_):
        return "duration"
    return None


_ROADS = frozenset("freeway highway interstate motorway route expressway turnpike".split())


def _address(doc: Any, p: NumberPhrase) -> str | None:
    nxt = [_low(doc, p.end + k) for k in range(3)]
    if nxt[0] in _ROADS:
        return "name"  # "the westbound 10 freeway"
    if nxt[0] in _STREETS or (nxt[0] and doc[p.end].is_title and nxt[1] in _STREETS):
        return "address"
    if nxt[0] == "block" or (nxt[1] == "block" and nxt[0] in ("east", "west", "north", "south")):
        return "address"
    if doc[p.head].pos_ == "PROPN" and nxt[0] and (nxt[1] in _STREETS or nxt[2] in _STREETS):
        return "address"
    if nxt[0] and doc[p.end].pos_ == "PROPN" and nxt[1] in _STREETS | {"street", "road", "avenue"}:
        return "address"
    if doc[p.head].lower_.isdigit() and nxt[0].isalpha() and nxt[1] in _STREETS:
        return "address"
    return None


def _named(doc: Any, p: NumberPhrase) -> str | None:
    """"Boeing 777", "flight 370", "highway 530", "Jackson 5", "phase 4", "image 1 of 25", "top 20"."""
    prev_tok = _tok(doc, p.start - 1)
    if prev_tok is None or p.qualifier:
        return None
    prev = prev_tok.lower_
    if prev in _NAMING:
        return _NAMING[prev]
    if prev == "of" and _low(doc, p.start - 2).isdigit() and _low(doc, p.start - 3) in _NAMING:
        return _NAMING[_low(doc, p.start - 3)]  # "image 1 of 25"
    head = doc[p.head]
    if prev_tok.pos_ == "PROPN" and not prev_tok.is_punct and head.dep_ in ("compound", "appos", "nummod", "npadvmod",
                                                                            "nmod", "pobj") \
            and head.head.i in (prev_tok.i, p.head + 1) and p.value < 10_000 and _tok(doc, p.end) is not None \
            and not (doc[p.end].pos_ == "NOUN" and doc[p.end].tag_ == "NNS") \
            and prev_tok.ent_type_ not in ("NORP", "DATE", "TIME"):
        return "name"
    if head.ent_type_ in ("PRODUCT", "FAC", "WORK_OF_ART", "LAW", "EVENT", "ORG") and prev_tok.ent_type_ == \
            head.ent_type_ and prev_tok.pos_ == "PROPN":
        return "name"
    return None


def _phone(doc: Any, p: NumberPhrase) -> str | None:
    text = doc[p.head].text
    if re.fullmatch(r"0\d{3,}", text):
        return "phone"
    seq = doc[p.num_start:min(len(doc), p.end + 4)].text.replace(" ", "")
    if re.match(r"^\d-\d-\d\b", seq) or re.match(r"^\d{3}-\d{3,4}(?:-\d{4})?\b", seq):
        return "phone"
    return None


def _ratio(doc: Any, p: NumberPhrase) -> str | None:
    nxt = _low(doc, p.end)
    if nxt in ("times", "time", "fold", "-fold") or (nxt == "in" and _tok(doc, p.end + 1) is not None
                                              and doc[p.end + 1].like_num):
        return "ratio"
    if nxt in ("copy", "for") and _low(doc, p.end + 1) in ("for", "every"):
        return "ratio"
    return None


def _pronoun(doc: Any, p: NumberPhrase) -> str | None:
    """"one of the", "no one", "the next one": "one" that counts nothing."""
    if doc[p.head].lower_ != "one" or p.qualifier:
        return None
    nxt, prev = _low(doc, p.end), _low(doc, p.start - 1)
    if nxt in _PRONOUN_NEXT or prev in _PRONOUN_PREV:
        return "pronoun"
    if doc[p.head].pos_ == "PRON" or doc[p.head].dep_ in ("nsubj", "dobj", "pobj") and nxt in (".", ",", "is", "was"):
        return "pronoun"
    return None


def _descriptor(doc: Any, p: NumberPhrase) -> str | None:
    """"seven-storey", "10-person tent", "five-star": a number that describes, not counts."""
    nxt = _tok(doc, p.end)
    if nxt is not None and nxt.text in ("-", "–") and _tok(doc, p.end + 1) is not None:
        word = doc[p.end + 1].lower_
        if word in ("strong",):
            return None  # "a 70-strong group" counts the group
        if doc[p.end + 1].is_alpha:
            return "descriptor"
    if re.fullmatch(r"\d[\d,.]*-[a-z]+", doc[p.head].lower_) and not doc[p.head].lower_.endswith("-strong"):
        return "descriptor"
    if _low(doc, p.start - 1) == "of" and _low(doc, p.start - 2) in ("city", "town", "country", "nation",
                                                                       "population", "village"):
        return "descriptor"  # "a city of 20 million"
    return None


def _distance(doc: Any, p: NumberPhrase) -> str | None:
    """A length that locates ("25 km west of", "93 miles (150km) north of") or measures an
    object ("a 150m boom", "as long as 50 feet"), or a weather reading ("20 knots"); an
    extent ("hundreds of miles of shoreline", "45 miles by 105 miles") is kept."""
    k = p.end
    if _low(doc, k) in ("+",):
        k += 1
    unit = _low(doc, k)
    if unit in _WEATHER:
        return "weather"
    glued = re.fullmatch(r"[\d.,]+(km|m|ft|cm|mm|mi)", doc[p.head].lower_)
    if unit not in LENGTH_UNITS and not glued:
        return None
    if unit == "square" or _low(doc, k - 1) == "square":
        return None
    if unit == "m" and _tok(doc, k + 1) is not None and doc[k + 1].tag_ == "NNS":
        return None  # "2.5 m litres": m is a million
    j = k + (0 if glued else 1)
    if _low(doc, j) == "(":  # skip "(150km)"
        close = next((i for i in range(j, min(len(doc), j + 6)) if doc[i].text == ")"), j)
        j = close + 1
    after = [_low(doc, j + i) for i in range(3)]
    by_number = after[0] == "by" and _tok(doc, j + 1) is not None and doc[j + 1].like_num
    if after[0] == "of" or by_number or _low(doc, p.start - 1) == "by":
        return None  # "hundreds of miles of shoreline", "45 miles by 105 miles"
    if any(w in _DIRECTIONS for w in after):
        return "location"
    return "dimension"
