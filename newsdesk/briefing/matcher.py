"""The same-content judge: do two sentences of a story report the same thing?

Every question of that form in a brief goes here: summary citations and redundancy, an outlet's facts
"only here", one quote in two wordings, one event on two timelines, the readability check.

A pair of sentences is the same content when

1. no key fact contradicts (:func:`veto`): the numbers both state differ ("killed 40" / "killed 4"; counted
   as often as stated: "two dead, two missing" / "two dead, three missing"), one
   is negated or denied and the other not ("the ministry said" / "the ministry denied"), each names an actor or date
   the other does not (different people, places, days);
2. the lexical prefilter passes: at least two shared content stems and a Dice overlap of at least
   ``PREFILTER_DICE`` -- only then are the two sentences embedded (MiniLM, :mod:`.embed`);
3. a logistic model of the meaning (embedding cosine) and the lexical agreement (content-stem overlap,
   the share of each sentence the other does not say: a sentence adding a fact is not the same content,
   a number or name only one of them states) gives a probability of at least the threshold.

The coefficients and the threshold (:data:`MODEL`, ``matcher_model.json``) were fitted on the MSRP
training split by ``scripts/tune_matcher.py`` (cross-validated, precision first); see docs/matcher.md.
:class:`StoryIndex` keeps the key facts of every sentence of a story and asks the embedder only for
the sentences a decision needs, in one batch per call.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from ..nlp import STOPWORDS, ParsedArticle, ParsedSentence, Token, stem
from .embed import Embedder, default_embedder

__all__ = ["StoryIndex", "KeyFacts", "key_facts", "veto", "features", "MatcherModel", "MODEL",
           "FEATURES", "PREFILTER_DICE", "using", "text_tokens", "LEXICAL_MODEL", "judging"]

# Below this Dice overlap of content stems a pair is never embedded (nor matched).  Chosen on the MSRP
# training split: it keeps 99% of the pairs the fitted model calls the same (see docs/matcher.md) and
# spares the embedding of most sentence pairs of a story.
PREFILTER_DICE = 0.2
# Candidate pairs scored (and their sentences embedded) in one batch by StoryIndex.best_matches_each.
MAX_BATCH_PAIRS = 50_000

_NEGATION = frozenset({"not", "n't", "no", "never", "nobody", "nothing", "none", "neither", "nor", "without",
                       "cannot", "deny", "denies", "denied", "denying", "refuse", "refused", "refuses",
                       "reject", "rejected", "rejects", "failed", "fails"})
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DAYS = "monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow".split()
_DATE_WORDS = frozenset(_MONTHS) | frozenset(_DAYS)
_SMALL = "zero one two three four five six seven eight nine ten eleven twelve".split()
_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
_SMALL_NUMBERS = ({w: str(i) for i, w in enumerate(_SMALL)} | {w: str(20 + 10 * i) for i, w in enumerate(_TENS)}
                  | {"dozen": "12", "hundred": "100"})
_NUMERIC = re.compile(r"^\d[\d,]*(?:\.\d+)?$")
_NUM_WORDS = frozenset("zero one two three four five six seven eight nine ten eleven twelve twenty thirty forty "
                       "fifty sixty seventy eighty ninety hundred thousand million billion trillion".split())
_YEAR = re.compile(r"^(?:1[89]|20)\d\d$")
# capitalised words that name no actor
_NOT_NAMES = frozenset("i mr mrs ms dr the a an he she it they we his her their its".split())


@dataclass(frozen=True)
class KeyFacts:
    """What a sentence states, as the matcher compares it."""

    stems: frozenset[str]  # content stems
    numbers: frozenset[str]  # numbers as written (commas dropped), years excluded
    names: frozenset[str]  # capitalised words not at the sentence start (actors, places, organisations)
    dates: frozenset[str]  # years, months, weekdays, today/yesterday
    negated: bool
    number_list: tuple[str, ...] = ()  # the same, each as often as stated (sorted): "two dead, two missing"


def key_facts(ps: ParsedSentence | str) -> KeyFacts:
    """The key facts of a parsed sentence (token shapes only: the shallow and the deep parse agree), or of
    a bare text (a quote), tokenised by :func:`text_tokens`."""
    toks = text_tokens(ps) if isinstance(ps, str) else ps.tokens
    stems = frozenset(t.stem for t in toks if t.is_content)
    numbers: list[str] = []
    names: set[str] = set()
    dates: set[str] = set()
    negated = False
    for i, t in enumerate(toks):
        low = t.lower
        if low in _NEGATION:
            negated = True
        if _YEAR.match(low) or low in _DATE_WORDS:
            dates.add(low)
        elif _NUMERIC.match(low):
            numbers.append(low.replace(",", ""))
        elif low in _SMALL_NUMBERS:
            numbers.append(_SMALL_NUMBERS[low])
        elif t.is_alpha and t.text[:1].isupper() and low not in _NOT_NAMES and (
                i > 0 and toks[i - 1].text not in {".", ":", '"', "“"} or _is_place(t.text)):
            names.add(t.stem)
    return KeyFacts(stems, frozenset(numbers), frozenset(names), frozenset(dates), negated, tuple(sorted(numbers)))


_WORD = re.compile(r"\d+(?:[.,]\d+)*|[^\W\d_]+(?:['’][^\W\d_]+)?|n't|[^\w\s]")


def text_tokens(text: str) -> tuple[Token, ...]:
    """Tokens of a bare text with the fields the matcher reads (quotes have no parse of their own)."""
    out = []
    for m in _WORD.finditer(text):
        w = m.group(0)
        low = w.lower()
        alpha = w.isalpha()
        num = w[0].isdigit() or low in _NUM_WORDS
        out.append(Token(w, low, low, stem(low) if alpha else low, "", low in STOPWORDS, alpha, num, "",
                         m.start()))
    return tuple(out)


def _is_place(word: str) -> bool:
    """A sentence-initial capitalised word is a name only when it is a country or a major city (else it
    may be any word: "Police", "Officials")."""
    from .places import country_keys, is_major_place, name_key
    return name_key(word) in country_keys() or is_major_place(word)


def _both_differ(a: frozenset[str], b: frozenset[str]) -> bool:
    return bool(a - b) and bool(b - a)


def _counts_differ(a: Sequence[str], b: Sequence[str]) -> bool:
    """Each states some number more often than the other: "two dead and two missing" / "two dead and
    three missing" (as sets {2} and {2, 3}: no number of the first is missing from the second)."""
    ca, cb = Counter(a), Counter(b)
    return bool(ca - cb) and bool(cb - ca)


def veto(a: KeyFacts, b: KeyFacts) -> str | None:
    """Why ``a`` and ``b`` cannot report the same content (their key facts contradict), or None."""
    if _both_differ(a.numbers, b.numbers) or _counts_differ(a.number_list, b.number_list):
        return "numbers"
    if a.negated != b.negated:
        return "negation"
    only_a, only_b = a.names - b.stems, b.names - a.stems
    if only_a and only_b and not a.names & b.names:
        return "names"
    if _both_differ(a.dates, b.dates):
        return "dates"
    return None


def dice(a: KeyFacts, b: KeyFacts) -> float:
    if not a.stems or not b.stems:
        return 0.0
    return 2 * len(a.stems & b.stems) / (len(a.stems) + len(b.stems))


def prefilter(a: KeyFacts, b: KeyFacts, strict: bool = True) -> bool:
    """Worth embedding: no veto (unless not ``strict``), two shared content stems, Dice at least
    PREFILTER_DICE."""
    return len(a.stems & b.stems) >= 2 and dice(a, b) >= PREFILTER_DICE and (not strict or veto(a, b) is None)


FEATURES = ("cosine", "dice", "new_max", "new_min", "number_one_side", "name_one_side", "date_one_side")


def features(a: KeyFacts, b: KeyFacts, cosine: float) -> tuple[float, ...]:
    """The model's inputs (named in :data:`FEATURES`), symmetric in ``a`` and ``b``."""
    new_a = len(a.stems - b.stems) / max(len(a.stems), 1)
    new_b = len(b.stems - a.stems) / max(len(b.stems), 1)
    return (cosine, dice(a, b), max(new_a, new_b), min(new_a, new_b),
            float(a.numbers != b.numbers),
            float(len((a.names - b.stems) | (b.names - a.stems))),
            float(a.dates != b.dates))


@dataclass(frozen=True)
class MatcherModel:
    """Logistic model over :data:`FEATURES` with its threshold on the probability."""

    coefficients: tuple[float, ...]
    intercept: float
    threshold: float
    note: str = ""

    def probability(self, x: Sequence[float]) -> float:
        z = self.intercept + sum(c * v for c, v in zip(self.coefficients, x))
        return 1.0 / (1.0 + math.exp(-z))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> MatcherModel:
        coef = tuple(float(data["coefficients"][f]) for f in FEATURES)
        return cls(coef, float(data["intercept"]), float(data["threshold"]), str(data.get("note", "")))


    @property
    def embeds(self) -> bool:
        """Whether the model reads the embedding cosine (the lexical model does not: no MiniLM)."""
        return self.coefficients[0] != 0.0


@lru_cache(maxsize=2)
def _shipped(name: str = "matcher_model.json") -> MatcherModel:
    text = resources.files("newsdesk.briefing").joinpath(name).read_text(encoding="utf-8")
    return MatcherModel.from_json(json.loads(text))


MODEL = _shipped()
#: the model without the same-content model (``Options.same_content_model = False``, ``--no-embed``): the
#: lexical and key-fact features only, fitted and thresholded as MODEL (``scripts/tune_matcher.py --lexical``)
LEXICAL_MODEL = _shipped("matcher_model_lexical.json")
_ACTIVE: list[MatcherModel] = [MODEL]


@contextmanager
def using(model: MatcherModel) -> Iterator[None]:
    """Within the block, every new :class:`StoryIndex` judges with ``model`` (the attribution evaluation
    scores each cross-validation fold's model through the whole library path)."""
    _ACTIVE.append(model)
    try:
        yield
    finally:
        _ACTIVE.remove(model)


def judging(same_content_model: bool) -> AbstractContextManager[None]:
    """The model a brief judges with: :data:`MODEL`, or :data:`LEXICAL_MODEL` without the embeddings."""
    return nullcontext() if same_content_model else using(LEXICAL_MODEL)


class StoryIndex:
    """The sentences of one story with their key facts, judged pairwise by the matcher.

    Embeddings are asked for only when a pair passes the prefilter, in one batch per call of
    :meth:`scores`, and cached by the embedder (one vector per sentence text per run)."""

    def __init__(self, parsed: Sequence[ParsedArticle], model: MatcherModel | None = None,
                 embedder: Embedder | None = None, threshold: float | None = None) -> None:
        self.parsed = list(parsed)
        self.model = model or _ACTIVE[-1]
        # the probability at or above which a pair is the same content (default: the model's, tuned)
        self.threshold = self.model.threshold if threshold is None else threshold
        self.embedder = embedder or default_embedder()
        self._facts: dict[tuple[str, int, str], KeyFacts] = {}
        self._text_facts: dict[str, KeyFacts] = {}  # bare texts (quotes and their pieces), once each
        self.sentences: dict[str, tuple[ParsedSentence, ...]] = {pa.id: pa.sentences for pa in self.parsed}
        self._idf: dict[str, float] | None = None
        self._default_idf = 1.0

    def know(self, parsed: Iterable[ParsedArticle]) -> None:
        """Make the sentences of more articles (a story's copies) matchable by :meth:`best_matches`
        without making them part of the story (:attr:`parsed`, :meth:`weight`)."""
        for pa in parsed:
            self.sentences.setdefault(pa.id, pa.sentences)

    def facts(self, ps: ParsedSentence) -> KeyFacts:
        key = (ps.sentence.article_id, ps.sentence.start, ps.sentence.text)
        f = self._facts.get(key)
        if f is None:
            f = self._facts[key] = key_facts(ps)
        return f

    def scores(self, pairs: Iterable[tuple[ParsedSentence, ParsedSentence]], strict: bool = True,
               floor: float = 0.0) -> list[float]:
        """The probability that each pair reports the same content (0 when vetoed or prefiltered out).
        Not ``strict``: the vetoes are not applied (how far one may report the other's content at all:
        an outlet's "only here" facts).  A pair that cannot reach ``floor`` whatever its embeddings (its
        probability at cosine 1 is below it) scores 0 without being embedded: a caller comparing scores
        with a threshold passes it."""
        return self._scores([(self.facts(a), a.sentence.text, self.facts(b), b.sentence.text) for a, b in pairs],
                            strict, floor)

    def text_facts(self, text: str) -> KeyFacts:
        f = self._text_facts.get(text)
        if f is None:
            f = self._text_facts[text] = key_facts(text)
        return f

    def text_scores(self, pairs: Iterable[tuple[str, str]]) -> list[float]:
        """:meth:`scores` for bare texts (quotes)."""
        return self._scores([(self.text_facts(a), a, self.text_facts(b), b) for a, b in pairs])

    def _scores(self, items: Sequence[tuple[KeyFacts, str, KeyFacts, str]], strict: bool = True,
                floor: float = 0.0) -> list[float]:
        keep = [i for i, (fa, _, fb, _) in enumerate(items) if prefilter(fa, fb, strict)
                and (floor <= 0.0 or self._ceiling(fa, fb) >= floor)]
        embeds = self.model.embeds  # the lexical model needs no vectors (no MiniLM load)
        vecs = self.embedder.embed(t for i in keep for t in (items[i][1], items[i][3])) if embeds else {}
        out = [0.0] * len(items)
        for i in keep:
            fa, ta, fb, tb = items[i]
            out[i] = self.model.probability(features(fa, fb, float(vecs[ta] @ vecs[tb]) if embeds else 0.0))
        return out

    def _ceiling(self, a: KeyFacts, b: KeyFacts) -> float:
        """The highest probability the pair can get, whatever the cosine of its embeddings (-1 to 1)."""
        return max(self.model.probability(features(a, b, c)) for c in (-1.0, 1.0))

    def weight(self, words: Iterable[str]) -> float:
        """Summed inverse document frequency (over the story's sentences) of content stems: how specific
        to a few sentences they are (the headline's centrality; not a same-content judgement)."""
        if self._idf is None:
            df: Counter[str] = Counter()
            for pa in self.parsed:
                for ps in pa.sentences:
                    df.update(self.facts(ps).stems)
            n = sum(len(pa.sentences) for pa in self.parsed)
            self._idf = {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}
            self._default_idf = math.log(n + 1) if n else 1.0
        return sum(self._idf.get(w, self._default_idf) for w in words)

    def same(self, a: ParsedSentence, b: ParsedSentence) -> bool:
        return self.scores([(a, b)])[0] >= self.threshold

    def same_pairs(self, pairs: Sequence[tuple[ParsedSentence, ParsedSentence]]) -> list[bool]:
        return [s >= self.threshold for s in self.scores(pairs, floor=self.threshold)]

    def best_match(self, ps: ParsedSentence, article_id: str) -> tuple[float, ParsedSentence | None]:
        """The sentence of ``article_id`` most likely to report ``ps``'s content, and its probability."""
        return self.best_matches(ps, [article_id]).get(article_id, (0.0, None))

    def best_matches(self, ps: ParsedSentence, article_ids: Iterable[str], strict: bool = True,
                     floor: float = 0.0) -> dict[str, tuple[float, ParsedSentence | None]]:
        """:meth:`best_match` for several articles at once (one embedding batch); with ``floor``, only
        the pairs that may reach it are embedded (see :meth:`scores`)."""
        return self.best_matches_each([(ps, list(article_ids))], strict, floor)[0]

    def best_matches_each(self, queries: Sequence[tuple[ParsedSentence, Sequence[str]]], strict: bool = True,
                          floor: float = 0.0) -> list[dict[str, tuple[float, ParsedSentence | None]]]:
        """:meth:`best_matches` of each (sentence, article ids) query, in one embedding batch (one per
        MAX_BATCH_PAIRS candidate pairs, so that a large story's pairs are never all held at once)."""
        best: list[dict[str, tuple[float, ParsedSentence | None]]] = [{} for _ in queries]
        cands: list[tuple[int, str, ParsedSentence]] = []
        for q, (_, ids) in enumerate(queries):
            cands += [(q, aid, other) for aid in ids for other in self.sentences.get(aid, ())]
            if len(cands) >= MAX_BATCH_PAIRS or q == len(queries) - 1:
                scores = self.scores(((queries[i][0], other) for i, _, other in cands), strict, floor)
                for (i, aid, other), s in zip(cands, scores):
                    if s > best[i].get(aid, (0.0, None))[0]:
                        best[i][aid] = (s, other)
                cands = []
        return best
