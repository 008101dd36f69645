"""Language identification: every article gets ``language``; non-English ones are kept and flagged."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import newsdesk
from newsdesk.ingest import read_articles
from newsdesk.ingest.lang import detect_language, is_english, normalise_code, note_non_english, resolve_language
from newsdesk.models import Story

EN = ("The regional council voted on Tuesday to expand the tram network to the northern suburbs, "
      "and the first section is due to open in three years.")
FR = ("Le conseil régional a voté mardi l'extension du réseau de tramway vers les quartiers nord, "
      "et la première section doit ouvrir dans trois ans.")
ES = ("El consejo regional votó el martes ampliar la red de tranvía hacia los barrios del norte, "
      "y el primer tramo abrirá dentro de tres años.")


@pytest.mark.parametrize("text, code", [(EN, "en"), (FR, "fr"), (ES, "es")])
def test_detect(text: str, code: str) -> None:
    found, prob = detect_language(text)
    assert found == code and prob > 0.9


def test_too_little_text_is_not_guessed() -> None:
    assert detect_language("Tram vote") == (None, 0.0)
    assert resolve_language("de", "Tram vote") == "de"


def test_declared_language_unless_the_text_plainly_contradicts_it() -> None:
    assert resolve_language("en-US", EN) == "en"
    assert resolve_language("en", FR) == "fr"  # a template's lang="en" around a French article
    assert resolve_language(None, ES) == "es"


@pytest.mark.parametrize("value, code", [("en-GB", "en"), ("EN_us", "en"), ("fra", "fr"), ("", None),
                                         (None, None), ("not a code!", None), ("pt-BR", "pt")])
def test_normalise_code(value: str | None, code: str | None) -> None:
    assert normalise_code(value) == code


@given(st.text(max_size=300), st.sampled_from([None, "en", "fr", "xx-YY", "bad value"]))
def test_resolve_never_fails_and_gives_a_code(text: str, declared: str | None) -> None:
    out = resolve_language(declared, text)
    assert out is None or (out.isalpha() and out.islower() and 2 <= len(out) <= 3)


def test_non_english_articles_are_kept_and_marked(tmp_path: Path) -> None:
    p = tmp_path / "mixed.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in (
        {"id": "en", "text": EN}, {"id": "fr", "text": FR}, {"id": "es", "text": ES, "language": "en"})))
    arts = read_articles([p])
    assert [(a.id, a.language) for a in arts] == [("en", "en"), ("fr", "fr"), ("es", "es")]
    assert [is_english(a.language) for a in arts] == [True, False, False]


def test_the_nlp_tier_says_what_it_cannot_do(tmp_path: Path, caplog: pytest.LogCaptureFixture, nlp) -> None:
    p = tmp_path / "story.jsonl"
    p.write_text("\n".join(json.dumps(r) for r in ({"id": "en", "text": EN}, {"id": "fr", "text": FR})))
    arts = newsdesk.read([p])
    with caplog.at_level(logging.WARNING):
        assert note_non_english(arts, "test") == ["fr"]
        caplog.clear()
        brief = newsdesk.brief_story(Story("s1", ("en", "fr")), arts, nlp=nlp)
    assert [a.id for a in brief.articles] == ["en", "fr"]  # kept in the story
    assert "not in English (fr: fr)" in caplog.text and "entities" in caplog.text
