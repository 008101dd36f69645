"""Facts across sources: entities and outlets (newsdesk.briefing); figures are in test_figures.py.

Checked against every planted fact of the demo corpus's answer key in this half of
the issue, and against the seed articles (read at run time from ../shared)."""

from __future__ import annotations

import re

import pytest
from conftest import need_shared
from hypothesis import given, settings
from hypothesis import strategies as st

import newsdesk
from newsdesk.briefing.entities import (
    Mention,
    acronym_of,
    clean_surface,
    collect_mentions,
    is_demonym_of,
    merge_entities,
    text_variant_pairs,
)
from newsdesk.briefing.facts import Facts, extract_facts
from newsdesk.briefing.outlets import log_odds
from newsdesk.models import Brief
from newsdesk.report import to_markdown


def _key(s: str) -> str:
    return s.casefold()


def _brief_with(briefs: list[Brief], article_id: str) -> Brief:
    return next(b for b in briefs if article_id in {a.id for a in b.articles})


def _originals(brief: Brief) -> set[str]:
    return {a.id for a in brief.articles if a.duplicate_of is None}


# ------------------------------------------------------------------ units


def test_clean_surface_removes_titles_articles_possessives():
    assert clean_surface("Foreign Minister Nadia Hollis")[0] == "Nadia Hollis"
    assert clean_surface("Valdoria's")[0] == "Valdoria"
    assert clean_surface("the U.S.")[0] == "U.S."
    assert clean_surface("“Minsk Group")[0] == "Minsk Group"


def test_acronyms_and_demonyms():
    assert acronym_of("NATO", "North Atlantic Treaty Organization")
    assert acronym_of("KNA", "Kethra News Agency")
    assert not acronym_of("UN", "Kethra News Agency")
    assert is_demonym_of("Azerbaijani", "Azerbaijan")  # by the table, not by the shape of the words
    assert is_demonym_of("American", "U.S.")
    assert not is_demonym_of("Valdorian", "Valdoria")
    assert not is_demonym_of("Halvesh", "Halvia")  # a second name, not a demonym
    assert not is_demonym_of("Brennholm", "Brennholm")


def _m(text, type_, art, start=0, **kw):
    return Mention(text, type_, art, start, start + len(text), **kw)


def test_merge_surnames_and_variants():
    ms = [_m("Ilona Vaskari", "PERSON", "a"), _m("Vaskari", "ORG", "b", 40),
          _m("Halvia", "PLACE", "a", 80), _m("Halvesh", "ORG", "b", 90), _m("Kethra", "ORG", "b", 120)]
    ents = merge_entities(ms, [("Halvia", "Halvesh")])
    by_name = {e.name: e for e in ents}
    assert by_name["Ilona Vaskari"].type == "PERSON"
    assert set(by_name["Ilona Vaskari"].aliases) == {"Ilona Vaskari", "Vaskari"}
    assert set(by_name["Ilona Vaskari"].sources) == {"a", "b"}
    halvia = next(e for e in ents if "Halvia" in e.aliases)
    assert "Halvesh" in halvia.aliases and "Kethra" not in halvia.aliases


def test_variant_only_the_text_names_is_an_alias_of_a_place():
    # the second name of "X, also known as Y" need not be a mention of its own (it was a KeyError
    # in the gazetteer lookup when the first was a place)
    ms = [_m("Halvia", "PLACE", "a"), _m("Kethra", "PLACE", "a", 40)]
    ents = merge_entities(ms, [("Halvia", "Halvara Vella")])
    halvia = next(e for e in ents if "Halvia" in e.aliases)
    assert "Halvara Vella" in halvia.aliases


def test_title_word_is_not_a_variant(nlp):
    text = ("Flooding hit Orvand on Monday. Residents of Orvand, called Mrs. Tallis by her neighbours, "
            "were told to stay indoors.")
    parsed = nlp.parse_many([newsdesk.Article(id="a", text=text, title="Floods")], deep=True)
    assert all("Mrs" not in pair for pair in text_variant_pairs(parsed, collect_mentions(parsed)))


_names = st.sampled_from(["Anna Berg", "Berg", "Orvand", "Kethra", "Kethran", "KNA", "Kethra News Agency",
                          "Lurane", "Republic of Lurane", "Tomas Vell"])


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(_names, st.sampled_from(["PERSON", "ORG", "PLACE", "GROUP"]),
                          st.sampled_from(["a", "b", "c"])), min_size=1, max_size=25))
def test_merge_is_a_partition(items):
    """Every surface form lands in exactly one entity's aliases; sources are exactly
    the articles mentioning the entity's forms."""
    ms = [_m(t, ty, art, 10 * i) for i, (t, ty, art) in enumerate(items)]
    ents = merge_entities(ms)
    seen: dict[str, str] = {}
    for e in ents:
        assert e.name in e.aliases
        for a in e.aliases:
            assert _key(a) not in seen, f"{a} in two entities"
            seen[_key(a)] = e.name
        assert set(e.sources) == {m.article_id for m in ms if _key(m.text) in {_key(a) for a in e.aliases}}
    assert {_key(m.text) for m in ms} == set(seen)


def test_log_odds_ranks_an_outlets_own_word_first():
    from collections import Counter

    mine = Counter({"militants": 5, "market": 2})
    rest = Counter({"volunteers": 4, "market": 3})
    z = log_odds(mine, rest, mine + rest, prior_scale=10)
    assert z["militants"] > z["market"]


def test_extract_facts_of_nothing():
    assert extract_facts([], []) == Facts()


# ------------------------------------------------------------------ demo corpus: planted facts


@pytest.fixture(scope="module")
def lurane(demo_briefs, answers) -> Brief:
    return _brief_with(demo_briefs, answers["stories"][0][0])


def test_place_variants_merged(demo_briefs, answers):
    for variants in answers["place_variants"]:
        assert any(all(_key(v) in {_key(a) for a in e.aliases} for v in variants)
                   for b in demo_briefs for e in b.entities if e.type == "PLACE"), variants


def test_name_variants_merged(demo_briefs, demo_articles, answers):
    texts = "\n".join(a.text + "\n" + (a.title or "") for a in demo_articles)
    checked = 0
    for variants in answers["name_variants"]:
        # a short form that never stands alone in the corpus has nothing to merge
        short = min(variants, key=len)
        standalone = [m for m in re.finditer(rf"\b{re.escape(short)}\b", texts)
                      if not any(texts[max(0, m.start() - len(v) + len(short)):m.end()] == v
                                 or texts[m.start():m.start() + len(v)] == v for v in variants if v != short)]
        if not standalone:
            continue
        checked += 1
        assert any(all(_key(v) in {_key(a) for a in e.aliases} for v in variants)
                   for b in demo_briefs for e in b.entities), variants
    assert checked >= 7


def test_framing_terms(demo_briefs, answers):
    # the term settings are tuned on BASIL (newsdesk eval framing), not on these planted terms: every outlet
    # shows terms, and all but one of the outlets show one of their planted terms (4 of 5 at the BASIL setting)
    found = 0
    for fr in answers["framing"]:
        b = _brief_with(demo_briefs, fr["articles"][0])
        view = next(o for o in b.outlets if o.source == fr["outlet"])
        assert view.terms, fr["outlet"]
        words = {_key(t) for t in view.terms} | {_key(w) for t in view.terms for w in t.split()}
        found += any(_key(t) in words or any(_key(w) in words for w in t.split()) for t in fr["terms"])
    assert found >= len(answers["framing"]) - 1


def test_a_places_two_names_are_outlet_terms(lurane):
    terms = {o.source: o.terms for o in lurane.outlets}
    assert "Halvesh" in terms["Kethra News Agency"]
    assert any("Halvia" in t for src, t in terms.items() if src in ("Northline", "Serenzi Daily Herald"))


def test_unique_facts(demo_briefs, answers):
    found = 0
    for u in answers["unique_facts"]:
        b = _brief_with(demo_briefs, u["article"])
        view = next(o for o in b.outlets if o.source == u["outlet"])
        found += any(u["text"][:60] in x for x in view.unique)
    # 4 of 6: the Amund Observer's and EBN's are clauses of sentences that share their
    # buses/corridor with another outlet's sentence (see Options.unique_threshold)
    assert found >= 4
    for fact in answers["shared_facts"]:
        b = _brief_with(demo_briefs, fact["articles"][0])
        for o in b.outlets:
            for sent in fact["sentences"]:
                assert sent not in o.unique, (o.source, sent)


def test_outlets_list_every_article_once(demo_briefs):
    for b in demo_briefs:
        listed = [i for o in b.outlets for i in o.articles]
        assert sorted(listed) == sorted(a.id for a in b.articles)


# ------------------------------------------------------------------ seeds (read at run time)


@pytest.fixture(scope="module")
def seed_brief(seed_articles, nlp) -> Brief:
    need_shared("seeds")
    briefs = newsdesk.brief(seed_articles, nlp=nlp)
    return max(briefs, key=lambda b: len(b.articles))


def _seed_id(brief: Brief, prefix: str) -> str:
    return next(a.id for a in brief.articles if a.id.startswith(prefix))


def test_seed_city_names_merged(seed_brief):
    city = next(e for e in seed_brief.entities if "Stepanakert" in e.aliases)
    assert "Khankendi" in city.aliases and city.type == "PLACE"
    md = to_markdown([seed_brief])
    row = next(line for line in md.splitlines() if line.startswith("| Stepanakert") or line.startswith("| Khankendi"))
    assert "Stepanakert" in row and "Khankendi" in row


def test_odd_articles_never_stop_the_story(nlp):
    arts = [newsdesk.Article(id="n", text="1 2 3 4 5 6 7 8 9 10 11 12.\n\n2020 2021 — 99%"),
            newsdesk.Article(id="u", text="Ünïcödé — “quoted” (Брюссель) 12,000,000,000,000,000 people died."),
            newsdesk.Article(id="e", text="x", source="Solo"),
            newsdesk.Article(id="d", text="Dozens died. Thousands fled. Half of them left.", source="Solo")]
    facts = extract_facts(nlp.parse_many(arts, deep=True), arts)
    assert sorted(i for o in facts.outlets for i in o.articles) == ["d", "e", "n", "u"]
    assert all(f.sources for f in facts.figures)
    # a shallow parse (no dependencies, no entities) gives no figures but no error either
    shallow = extract_facts(nlp.parse_many([newsdesk.Article(id="s", text="Five people died in Paris.")],
                                           deep=False))
    assert shallow.figures == () and shallow.conflicts == ()


def test_prenominal_participles_are_word_choices_but_verbs_are_not(nlp):
    from newsdesk.briefing.outlets import _terms_of

    text = "Soldiers entered the occupied villages and shelled a disputed bridge."
    pa = nlp.parse(newsdesk.Article(id="t", text=text))
    terms = [t for ps in pa.sentences for t in _terms_of(ps)]
    assert "occupied" in terms and "disputed" in terms
    assert "occupied villages" in terms
    assert "entered" not in terms and "shelled" not in terms
