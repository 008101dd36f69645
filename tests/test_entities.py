"""Entities: names merged only when the evidence says one thing, never the pairs a reader keeps apart."""

from __future__ import annotations

from newsdesk.briefing.entities import Mention, clean_surface, merge_entities
from newsdesk.briefing.places import demonym_places, is_major_place, name_key, place_groups


def _m(text, type_, art="a", start=0, **kw):
    return Mention(text, type_, art, start, start + len(text), **kw)


def _together(ents, a, b) -> bool:
    return any({a, b} <= set(e.aliases) for e in ents)


def test_a_place_and_a_company_named_after_it_stay_apart():
    ents = merge_entities([_m("Malaysia", "PLACE"), _m("Malaysia Airlines", "ORG", start=20),
                           _m("Malaysia", "PLACE", "b")])
    assert not _together(ents, "Malaysia", "Malaysia Airlines")
    assert {e.name: e.type for e in ents} == {"Malaysia": "PLACE", "Malaysia Airlines": "ORG"}


def test_a_venue_is_not_its_country_nor_a_person():
    ents = merge_entities([_m("Stade de France", "PERSON"), _m("France", "PLACE", start=30),
                           _m("Barack Obama", "PERSON", start=50), _m("France", "PLACE", "b")])
    assert not _together(ents, "Stade de France", "France")
    assert next(e for e in ents if e.name == "Stade de France").type == "PLACE"


def test_people_sharing_a_surname_stay_apart_and_the_bare_surname_joins_neither():
    ents = merge_entities([_m("Mary Cheney", "PERSON"), _m("Liz Cheney", "PERSON", start=20),
                           _m("Cheney", "PERSON", start=40)])
    assert not _together(ents, "Mary Cheney", "Liz Cheney")
    assert not any("Cheney" in e.aliases and len(e.aliases) > 1 for e in ents)


def test_a_one_word_chamber_is_not_the_building_named_after_it():
    ents = merge_entities([_m("White House", "ORG"), _m("House", "ORG", start=20), _m("Senate", "ORG", start=30),
                           _m("Wyoming Senate", "ORG", start=40)])
    assert not _together(ents, "White House", "House") and not _together(ents, "Senate", "Wyoming Senate")


def test_initials_are_not_an_acronym_of_a_person():
    ents = merge_entities([_m("Dick Cheney", "PERSON"), _m("DC", "PLACE", start=20)])
    assert not _together(ents, "Dick Cheney", "DC")


def test_a_demonym_acting_for_its_place_joins_it_by_the_table():
    ents = merge_entities([_m("Russia", "PLACE"), _m("Russian", "GROUP", start=20, actor=True),
                           _m("Kremlin", "ORG", start=40)])
    assert _together(ents, "Russia", "Russian") and not _together(ents, "Russia", "Kremlin")
    assert demonym_places("Azeri") == frozenset({"azerbaijan"})
    assert any({"united states", "us", "america"} <= g for g in place_groups())


def test_surname_joins_the_one_full_name():
    ents = merge_entities([_m("Ilona Vaskari", "PERSON"), _m("Vaskari", "ORG", "b", 40)])
    assert _together(ents, "Ilona Vaskari", "Vaskari")


def test_cleaning_cuts_a_possessor_and_titles():
    assert clean_surface("Steele’s RNC")[0] == "RNC"
    assert clean_surface("Fox News’ Megyn Kelly")[0] == "Megyn Kelly"
    assert clean_surface("Sheriff Joe Arpaio")[0] == "Joe Arpaio"
    assert clean_surface("Maricopa County Sheriff’s Department")[0] == "Maricopa County Sheriff’s Department"
    assert name_key("U.S.") == name_key("us")


def test_only_a_large_city_or_country_under_its_own_name_is_a_major_place():
    assert is_major_place("Yerevan") and is_major_place("France")
    assert not is_major_place("Obama") and not is_major_place("GOP")  # a Japanese town; a name of Gorakhpur
