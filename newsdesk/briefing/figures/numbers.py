"""Number phrases: where they are in a parse, and what value range they state.

A number phrase is a run of tokens that states one quantity: digits ("30,000",
"5.4 million", "$57m"), number words ("thirty-three million", "two hundred and fifty",
parsed by ``text2num``), vague quantities ("dozens", "tens of thousands") and ranges
("between 120 and 130", "100-150", "250,000 to 500,000"), with the qualifier in front
("at least", "up to", "about").  Its *interval* is the set of values it allows:
"at least 41" is [41, inf), "up to 81" is [0, 81], "dozens" is [24, 99], "about 70" is
[63, 77]; two statements contradict each other only when their intervals are disjoint.

Written here, not taken from a library: text2num turns number words into values, but
no library we found (text2num, quantulum3, number-parser) joins digits with scale
words ("5.4 mln", "$57m"), reads vague quantities or qualifiers as bounds, or works on
spaCy tokens so that the phrase keeps its place in the dependency parse.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

__all__ = ["NumberPhrase", "parse_number", "number_phrases", "VAGUE", "interval", "QUALIFIERS"]

# Vague quantities: the smallest and largest value they can mean.
VAGUE: dict[str, tuple[float, float]] = {
    "dozens": (24, 99), "scores": (40, 99), "hundreds": (200, 999), "thousands": (2_000, 9_999),
    "tens of thousands": (20_000, 99_999), "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 999_999_999), "billions": (2e9, 999e9), "several thousand": (2_000, 9_999),
    "several hundred": (200, 999), "several million": (2e6, 9.99e6), "a few hundred": (200, 999),
    "a few thousand": (2_000, 9_999),
}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1e6, "billion": 1e9, "trillion": 1e12,
           "mln": 1e6, "bln": 1e9, "bn": 1e9, "m": 1e6, "k": 1e3}
_WORDS = frozenset("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                   "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                   "hundred thousand million billion trillion dozen".split())
# qualifier -> how it bounds the value: ">=" (a floor), "<=" (a ceiling), "~" (approximate), "~<" (just under)
QUALIFIERS: dict[str, str] = {
    "at least": ">=", "more than": ">=", "over": ">=", "no fewer than": ">=", "just over": ">=",
    "well over": ">=", "upwards of": ">=", "in excess of": ">=", "a minimum of": ">=", "topped": ">=",
    "up to": "<=", "as many as": "<=", "at most": "<=", "less than": "<=", "fewer than": "<=",
    "under": "<=", "no more than": "<=", "just under": "<=", "a maximum of": "<=",
    "about": "~", "around": "~", "some": "~", "roughly": "~", "approximately": "~", "an estimated": "~",
    "estimated": "~", "close to": "~", "nearly": "~<", "almost": "~<", "approximately some": "~",
}
_QUAL_WORDS = sorted(QUALIFIERS, key=lambda q: -len(q.split()))
_QUAL_LENGTHS = [(q, len(q.split())) for q in _QUAL_WORDS]
_QUAL_MAX = max((k for _, k in _QUAL_LENGTHS), default=0)
_CURRENCY = {"$": "USD", "£": "GBP", "€": "EUR", "#": "GBP", "us$": "USD", "rs": "INR", "¥": "JPY"}
_DIGITS = re.compile(r"^[$£€#]?\d{1,3}(?:,\d{3})+(?:\.\d+)?$|^[$£€#]?\d+(?:\.\d+)?$")
_GLUED = re.compile(r"^([$£€#]?)(\d+(?:[.,]\d+)*)(m|bn|k|mln)$", re.I)  # "$57m", "39m"


@dataclass(frozen=True)
class NumberPhrase:
    """A number phrase of a spaCy doc: tokens ``[start, end)``, the head number token."""

    start: int  # token index of the first token (qualifier included)
    end: int
    num_start: int  # token index where the number itself starts (after the qualifier)
    head: int  # token index of the last number token (its head in the parse)
    value: float  # the stated value (a range's lower end; a vague quantity's least value)
    high: float | None = None  # a range's upper end
    qualifier: str | None = None  # "at least", "up to", "dozens", ...
    vague: bool = False
    currency: str | None = None  # "USD", "GBP", ... for money

    @property
    def interval(self) -> tuple[float, float]:
        return interval(self.value, self.qualifier, self.high, self.vague)


def interval(value: float, qualifier: str | None, high: float | None = None, vague: bool = False
             ) -> tuple[float, float]:
    """The values a statement allows (see the module doc)."""
    q = (qualifier or "").lower()
    if vague:
        for words, (lo, hi) in sorted(VAGUE.items(), key=lambda kv: -len(kv[0])):
            if q.endswith(words) or q == words:
                return (lo, hi) if not q.startswith(tuple(k for k, v in QUALIFIERS.items() if v == ">=")) \
                    else (lo, math.inf)
        return value, math.inf
    if high is not None:
        return value, high
    kind = next((QUALIFIERS[w] for w in _QUAL_WORDS if q == w or q.startswith(w + " ")), None)
    if kind == ">=":
        return value, math.inf
    if kind == "<=":
        return 0.0, value
    if kind == "~":
        return value * 0.9, value * 1.1
    if kind == "~<":
        return value * 0.9, value
    return value, value


def _word_value(words: list[str]) -> float | None:
    from text_to_num import text2num

    text = " ".join(words).lower().replace("-", " ")
    if text in ("dozen", "a dozen"):
        return 12.0
    try:
        return float(text2num(text, "en"))
    except ValueError:
        return None


def parse_number(text: str) -> tuple[float, str | None] | None:
    """The value and qualifier of a number phrase: "at least 212" -> (212, "at least"),
    "1.2 million" -> (1200000, None), "some 400" -> (400, "some"), "dozens" -> (24, "dozens")."""
    t = " ".join(text.replace("\u00a0", " ").split()).strip(" ,.;:")
    low = t.lower()
    qual = next((w for w in _QUAL_WORDS if low.startswith(w + " ")), None)
    if qual:
        low = low[len(qual) + 1:]
    for words in sorted(VAGUE, key=len, reverse=True):
        if low == words or low == f"of {words}":
            return float(VAGUE[words][0]), words if qual is None else f"{qual} {words}"
    value = _digits_value(low.split())
    if value is None:
        value = _word_value(low.split())
    if value is None:
        return None
    return value, qual


def _digits_value(words: list[str]) -> float | None:
    """"5.4 million", "$57m", "30,000", "12" -> value; None when not digits (+ scale words)."""
    if not words:
        return None
    first = words[0].lstrip("$£€#")
    glued = _GLUED.match(words[0])
    if glued:
        base, scale = glued.group(2), _SCALES[glued.group(3).lower()]
    elif _DIGITS.match(words[0]):
        base, scale = first, 1.0
    else:
        return None
    try:
        value = float(base.replace(",", ""))
    except ValueError:
        return None
    for w in words[1:]:
        if w not in _SCALES:
            return None
        scale *= _SCALES[w]
    return value * scale


# --- finding number phrases in a parse -----------------------------------------------------------------

def _is_number_token(t: Any) -> bool:
    low = t.lower_
    if low in VAGUE or low in ("dozen", "tens"):
        return True
    if _GLUED.match(t.text) or _DIGITS.match(t.text):
        return True
    return low in _WORDS or (t.like_num and "-" in low and all(p in _WORDS for p in low.split("-")))


# _is_number_token of each word form (spaCy's ORTH hash): it reads only the lexeme (text, lower case, like_num),
# so most tokens of a doc are skipped without making a spaCy ``Token`` (about 0.4 s of a 1,000-article brief).
_NUMBER_ORTH: dict[int, bool] = {}
_NUMBER_ORTH_MAX = 200_000


def _number_orth(vocab: Any, orth: int) -> bool:
    got = _NUMBER_ORTH.get(orth)
    if got is None:
        if len(_NUMBER_ORTH) >= _NUMBER_ORTH_MAX:
            _NUMBER_ORTH.clear()
        got = _NUMBER_ORTH[orth] = _is_number_token(vocab[orth])
    return got


def number_phrases(doc: Any) -> list[NumberPhrase]:
    """The number phrases of a spaCy doc, in order."""
    from spacy.attrs import ORTH

    out: list[NumberPhrase] = []
    i, n = 0, len(doc)
    orths = doc.to_array(ORTH).tolist() if n else []
    vocab = doc.vocab
    while i < n:
        if not _number_orth(vocab, orths[i]):
            i += 1
            continue
        j = _extend(doc, i)
        phrase = _phrase(doc, i, j)
        if phrase is not None:
            out.append(phrase)
        i = max(j, i + 1) if phrase is None else phrase.end
    return out


def _extend(doc: Any, i: int) -> int:
    """The end of the number run starting at token ``i``: number words joined by "-",
    "and" ("two hundred and fifty"), "of" ("tens of thousands"), scale words ("5.4 million")."""
    j = i + 1
    n = len(doc)
    while j < n:
        t = doc[j]
        low = t.lower_
        prev = doc[j - 1].lower_
        if low in _SCALES and low not in ("m", "k") and not _DIGITS.match(prev) and prev not in _WORDS \
                and prev not in ("tens", "hundreds"):
            break
        million = low == "m" and j + 1 < n and doc[j + 1].tag_ == "NNS"  # "2.5 m litres"
        if low in _SCALES and (low not in ("m", "k") or million
                               or _money_before(doc, i)):
            j += 1
        elif low in _WORDS and prev in _WORDS and doc[i].is_alpha:
            j += 1
        elif low == "-" and j + 1 < n and doc[j + 1].lower_ in _WORDS and prev in _WORDS and doc[i].is_alpha:
            j += 2
        elif low == "and" and prev in ("hundred", "thousand", "million") and j + 1 < n and \
                doc[j + 1].lower_ in _WORDS and doc[i].is_alpha:
            j += 2
        elif low == "of" and prev in ("tens", "hundreds") and j + 1 < n and doc[j + 1].lower_ in (
                "thousands", "millions", "billions"):
            j += 2
        else:
            break
    return j


def _money_before(doc: Any, i: int) -> bool:
    return i > 0 and doc[i - 1].text in _CURRENCY or doc[i].text[:1] in "$£€#"


def _phrase(doc: Any, i: int, j: int) -> NumberPhrase | None:
    words = [t.text for t in doc[i:j]]
    value, vague, qual = _value_of(words)
    if value is None:
        return None
    high = None
    end = j
    # a range: "100-150", "250,000 to 500,000", "between 120 and 130"
    change = i > 0 and doc[i - 1].lower_ == "from"  # "rose from two to 10" is a change, not a range
    if j + 1 < len(doc) and doc[j].text in ("-", "–", "to") and _is_number_token(doc[j + 1]) and not vague \
            and not change:
        k = _extend(doc, j + 1)
        hv, hvague, _ = _value_of([t.text for t in doc[j + 1:k]])
        if hv is not None and not hvague and hv > value:
            high, end = hv, k
    start = i
    qual_words = None
    between = i > 0 and doc[i - 1].lower_ == "between"
    if between and high is None and j + 1 < len(doc) and doc[j].lower_ == "and" and _is_number_token(doc[j + 1]):
        k = _extend(doc, j + 1)
        hv, hvague, _ = _value_of([t.text for t in doc[j + 1:k]])
        if hv is not None and not hvague and hv > value:
            high, end = hv, k
    if between and high is not None:
        start = i - 1
    else:
        start, qual_words = _qualifier(doc, i)
    currency = _currency(doc, start if qual_words is None else i, end, words)
    qualifier = " ".join(x for x in (qual_words, qual) if x) or None
    if currency and start > 0 and doc[start - 1].text in _CURRENCY and not doc[start].text.startswith(
            tuple(_CURRENCY)):
        start -= 1 if qual_words is None else 0
    return NumberPhrase(start=start, end=end, num_start=i, head=_head(doc, i, j), value=value, high=high,
                        qualifier=qualifier, vague=vague, currency=currency)


def _value_of(words: list[str]) -> tuple[float | None, bool, str | None]:
    low = " ".join(words).lower()
    if low in VAGUE:
        return float(VAGUE[low][0]), True, low
    if low in ("tens",):
        return None, False, None
    value = _digits_value([w.lower() for w in words])
    if value is None:
        value = _word_value(words)
    return value, False, None


def _qualifier(doc: Any, i: int) -> tuple[int, str | None]:
    """The qualifier words right before token ``i`` ("at least", "some", "more than")."""
    before = [t.lower_ for t in doc[max(0, i - _QUAL_MAX):i]]  # read once, not once per qualifier
    for q, k in _QUAL_LENGTHS:
        if i - k < 0:
            continue
        words = " ".join(before[len(before) - k:])
        if words == q:
            if q in ("some", "over", "under", "estimated") and not _qualifier_reading(doc, i - k, q):
                continue
            return i - k, q
    return i, None


def _qualifier_reading(doc: Any, k: int, q: str) -> bool:
    """"some 400 people" qualifies; "over 30 years" too, but not "took over 2 companies"."""
    tok = doc[k]
    return tok.pos_ in ("ADV", "ADP", "ADJ", "DET") and tok.dep_ in ("advmod", "quantmod", "det", "amod", "prep",
                                                                      "nummod", "npadvmod")


def _currency(doc: Any, start: int, end: int, words: list[str]) -> str | None:
    first = words[0]
    if start > 1 and doc[start - 1].text == "#" and doc[start - 2].text.endswith("&"):
        return None  # an HTML character reference "&#124", not pounds
    if first[:1] in "$£€#" and len(first) > 1:
        return _CURRENCY[first[0]]
    if start > 0 and doc[start - 1].text.lower() in _CURRENCY:
        return _CURRENCY[doc[start - 1].text.lower()]
    nxt = doc[end].lower_ if end < len(doc) else ""
    return {"dollars": "USD", "pounds": "GBP", "euros": "EUR", "pesos": "MXN", "pence": "GBP", "cents": "USD",
            "yen": "JPY", "rupees": "INR", "yuan": "CNY", "francs": "CHF"}.get(nxt)


def _head(doc: Any, i: int, j: int) -> int:
    """The token of the phrase the parse hangs it on: the last number-like token."""
    for k in range(j - 1, i - 1, -1):
        if doc[k].like_num or doc[k].lower_ in VAGUE or _GLUED.match(doc[k].text):
            return k
    return j - 1
