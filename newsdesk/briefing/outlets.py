"""The outlet comparison: what only one outlet reports and the words it chooses.

``unique``: sentences of an outlet's articles that state a fact (a reported,
non-quoted sentence of some length with a name or a number) and have no
paraphrase in any other outlet's article of the story: the same-content matcher
(:mod:`.matcher`, without its key-fact vetoes: a sentence that reports the fact with
another detail still reports it) gives none of their sentences ``Options.unique_threshold``
(a recall-first point of its probability).  The least paraphrased, then the most specific
ones (names and numbers per word, lead position) come first.

``terms``: the outlet's characteristic word choices against the other outlets of
the story: first the names of one entity that only some outlets use (a place's
two names), then words (nouns, adjectives, names of things and participles before a
noun: "occupied villages") and two-word terms ranked by the log-odds ratio with an
informative Dirichlet prior (Monroe, Colaresi & Quinn 2008, "Fightin' Words"),
the prior being the whole story's word counts.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Sequence

from ..models import Article, Entity, OutletView
from ..nlp import STOPWORDS, ParsedArticle, ParsedSentence
from ..options import DEFAULT_OPTIONS, Options
from .matcher import StoryIndex

__all__ = ["compare_outlets", "unique_facts", "characteristic_terms", "log_odds"]

UNKNOWN_OUTLET = "(unknown outlet)"
_QUOTE_CHARS = "\"“”«»"
# Reporting verbs and other words every outlet uses in its own way without meaning anything.
_NEUTRAL = frozenset("""
say said says told tell tells add added according report reported reports statement statements news agency
mr mrs ms also would could may might one two three first last new people year years week day time
""".split())
_TERM_POS = frozenset({"NOUN", "ADJ", "PROPN", ""})
_FACT_ENTS = frozenset({"PERSON", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY"})
_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*[A-Za-z]|[A-Za-z]")
_PARTICIPLE = re.compile(r"(?:ed|en)$")


def _outlet(a: Article) -> str:
    """The outlet of an article; articles of unknown outlets are each their own."""
    return a.source or f"{UNKNOWN_OUTLET} {a.id}"


def _fact_like(ps: ParsedSentence, options: Options) -> bool:
    text = ps.sentence.text
    n = ps.n_words
    if n < max(options.min_sentence_words, 8) or n > options.max_sentence_words:
        return False
    quoted = sum(len(m.group(0)) for m in re.finditer(r"[\"“][^\"“”]*[\"”]", text))
    if quoted > len(text) / 3 or text.lstrip()[:1] in _QUOTE_CHARS:
        return False  # a quotation: a quote, not a fact the outlet reports
    if text.rstrip("\"'”’) ")[-1:] not in ".!":
        return False
    return any(t.ent_type or t.like_num for t in ps.tokens)


def _specificity(ps: ParsedSentence) -> float:
    named = sum(1 for t in ps.tokens if t.ent_type or t.like_num)
    return named / max(len(ps.tokens), 1) + 0.5 / (1 + ps.sentence.index)


def unique_facts(parsed: Sequence[ParsedArticle], outlet_of: dict[str, str], options: Options = DEFAULT_OPTIONS,
                 index: StoryIndex | None = None) -> dict[str, list[str]]:
    """Per outlet, its fact sentences that no other outlet's article reports."""
    index = index or StoryIndex(parsed, threshold=options.attribution_threshold)
    by_outlet: dict[str, list[ParsedArticle]] = defaultdict(list)
    for pa in parsed:
        by_outlet[outlet_of[pa.id]].append(pa)
    out: dict[str, list[str]] = {}
    if len(by_outlet) < 2:
        return {o: [] for o in by_outlet}
    facts = [(outlet, ps) for outlet, pas in by_outlet.items() for pa in pas for ps in pa.sentences
             if _fact_like(ps, options)]
    others = {o: [pa.id for pa in parsed if outlet_of[pa.id] != o] for o in by_outlet}
    # one embedding batch for the story; only the pairs that may reach the threshold are embedded
    matches = index.best_matches_each([(ps, others[o]) for o, ps in facts], strict=False,
                                      floor=options.unique_threshold)
    bests = [max((p for p, _ in m.values()), default=0.0) for m in matches]
    for outlet in by_outlet:
        # the least paraphrased first, then the most specific
        found = [(_specificity(ps) + (options.unique_threshold - best), ps.sentence.text)
                 for (o, ps), best in zip(facts, bests) if o == outlet and best < options.unique_threshold]
        found.sort(key=lambda t: -t[0])
        out[outlet] = list(dict.fromkeys(t for _, t in found))[: options.max_unique_facts]
    return out


def _terms_of(ps: ParsedSentence) -> list[str]:
    """Lower-cased content words (names keep their case) and two-word terms of a sentence."""
    text = ps.sentence.text
    base = ps.sentence.start
    pos = {t.start - base: t for t in ps.tokens}
    found = [(m, pos.get(m.start())) for m in _WORD.finditer(text)]
    words = []
    for n, (m, tok) in enumerate(found):
        w = m.group(0).replace("’", "'")
        if w.endswith("'s"):
            w = w[:-2]
        low = w.lower()
        keep = len(low) > 2 and low not in STOPWORDS and low not in _NEUTRAL and not (w.isupper() and len(w) > 4)
        if tok is not None and (tok.pos not in _TERM_POS or tok.ent_type in _FACT_ENTS):
            # verbs, numbers and the names of people are facts, not word choices; but a participle
            # before a noun is an adjective ("occupied territories", "so-called volunteers")
            nxt = found[n + 1][1] if n + 1 < len(found) else None
            keep = keep and tok.pos == "VERB" and _PARTICIPLE.search(low) is not None and nxt is not None \
                and nxt.pos in ("NOUN", "PROPN") and not text[m.end():found[n + 1][0].start()].strip()
        proper = w[0].isupper() and (m.start() > 0 or (tok is not None and tok.pos == "PROPN"))
        words.append(((w if proper else low) if keep else None, (m.start(), m.end())))
    out = [w for w, _ in words if w]
    out += [f"{a} {b}" for (a, (_, a_end)), (b, (b_start, _)) in zip(words, words[1:])
            if a and b and not text[a_end:b_start].strip()]  # adjacent words, only space between
    return out


def _own_name(alias: str, aliases: Sequence[str]) -> bool:
    """A name in its own right, not a demonym, acronym or part of another alias."""
    from .entities import acronym_of, is_demonym_of

    toks = set(alias.lower().replace("-", " ").split())
    for other in aliases:
        if other == alias:
            continue
        otoks = set(other.lower().replace("-", " ").split())
        if toks <= otoks or otoks <= toks or is_demonym_of(alias, other) or acronym_of(alias, other):
            return False
    return True


def log_odds(counts: Counter[str], rest: Counter[str], prior: Counter[str], prior_scale: float) -> dict[str, float]:
    """z-scores of the log-odds ratio of each word in ``counts`` against ``rest`` with an
    informative Dirichlet prior ``prior`` scaled to ``prior_scale`` pseudo-counts."""
    n_i, n_j = sum(counts.values()), sum(rest.values())
    total = sum(prior.values()) or 1
    a0 = prior_scale
    z: dict[str, float] = {}
    for w, y_i in counts.items():
        a_w = a0 * prior.get(w, 0) / total or 1e-3
        y_j = rest.get(w, 0)
        d = (math.log((y_i + a_w) / (n_i + a0 - y_i - a_w)) - math.log((y_j + a_w) / (n_j + a0 - y_j - a_w)))
        var = 1.0 / (y_i + a_w) + 1.0 / (y_j + a_w)
        z[w] = d / math.sqrt(var)
    return z


def characteristic_terms(parsed: Sequence[ParsedArticle], outlet_of: dict[str, str],
                         entities: Sequence[Entity] = (), options: Options = DEFAULT_OPTIONS
                         ) -> dict[str, list[str]]:
    """Per outlet, its characteristic word choices against the story's other outlets."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    texts: dict[str, str] = defaultdict(str)
    for pa in parsed:
        o = outlet_of[pa.id]
        texts[o] += "\n" + pa.article.text
        for ps in pa.sentences:
            counts[o].update(_terms_of(ps))
    outlets = list(counts)
    result: dict[str, list[str]] = {o: [] for o in outlets}
    if len(outlets) < 2:
        return result
    # names of one entity that only some outlets use ("Halvia" / "Halvesh")
    for e in entities:
        if len(e.aliases) < 2 or e.type not in ("PLACE", "ORG", "GROUP"):
            continue
        names = [a for a in e.aliases if _own_name(a, e.aliases)]
        if len(names) < 2:
            continue
        used = {o: [a for a in names if re.search(rf"\b{re.escape(a)}\b", texts[o])] for o in outlets}
        for o in outlets:
            for alias in used[o]:
                if any(used[p] and alias not in used[p] for p in outlets if p != o):
                    result[o].append(alias)
    story: Counter[str] = Counter()
    for c in counts.values():
        story.update(c)
    for o in outlets:
        rest: Counter[str] = Counter()
        for p in outlets:
            if p != o:
                rest.update(counts[p])
        z = log_odds(counts[o], rest, story, prior_scale=options.terms_prior_scale)
        ranked = sorted(((s, w) for w, s in z.items() if s >= options.terms_min_z
                         ), key=lambda t: (-t[0], t[1]))
        chosen = result[o]
        for _z, w in ranked:
            if len(chosen) >= options.max_terms:
                break
            if w in chosen or any(w in c.split() or c in w.split() for c in chosen if " " in c or " " in w):
                continue
            chosen.append(w)
    return result


def compare_outlets(parsed: Sequence[ParsedArticle], members: Sequence[Article], entities: Sequence[Entity] = (),
                    options: Options = DEFAULT_OPTIONS, index: StoryIndex | None = None) -> list[OutletView]:
    """One OutletView per outlet of the story (duplicates listed but never compared)."""
    outlet_of = {a.id: _outlet(a) for a in members}
    by_source: dict[str, list[str]] = {}
    for a in members:
        by_source.setdefault(_outlet(a), []).append(a.id)
    originals = [pa for pa in parsed if pa.id in outlet_of]
    unique = unique_facts(originals, outlet_of, options, index) if originals else {}
    terms = characteristic_terms(originals, outlet_of, entities, options) if originals else {}
    return [OutletView(src, tuple(ids), tuple(unique.get(src, ())), tuple(terms.get(src, ())))
            for src, ids in by_source.items()]
