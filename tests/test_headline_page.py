"""A title-less page's own words besides its title: its address (slug) and its description, used only when no
sentence of the text reads alone as a headline."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Article, Options
from newsdesk.briefing.headline import headline, page_headline
from newsdesk.briefing.slug import slug_headline, slug_words
from newsdesk.briefing.summary import summarize_parsed

TEXT = ("Ferry crews on the Korvik line walked out on Saturday. The 4-1 vote came after the operator's 8-year-old "
        "pay deal ran out. Korvik's ferry unions said the strike would last a week.")


def test_slug_words_drop_ids_and_extensions():
    assert slug_words("https://example.org/2019/05/ferry-crews-walk-out-over-pay-11574168580") == \
        ["ferry", "crews", "walk", "out", "over", "pay"]
    assert slug_words("https://example.org/news/471033-ferry-crews-walk-out.html") == ["ferry", "crews", "walk", "out"]
    assert slug_words("https://example.org/view.php?idx=8576") == ["view"]  # one word: never a headline
    assert slug_words(None) == []


def test_slug_headline_takes_the_articles_word_forms():
    url = "https://example.org/2019/05/korviks-ferry-crews-walk-out-after-4-1-vote/"
    assert slug_headline(url, TEXT) == "Korvik's ferry crews walk out after 4-1 vote"


def test_slug_headline_refuses_keywords_questions_cut_slugs_and_foreign_words():
    assert slug_headline("https://example.org/korvik-ferry-strike-crews-pay", TEXT) is None  # keywords
    assert slug_headline("https://example.org/is-the-korvik-ferry-strike-over-for-crews", TEXT) is None  # a question
    assert slug_headline("https://example.org/ferry-crews-walk-out-over-the", TEXT) is None  # cut short
    assert slug_headline("https://example.org/harbour-pilots-block-the-canal-for-days", TEXT) is None  # not the text's
    assert slug_headline("https://example.org/ferry-crews-l-a-walk-out", TEXT) is None  # an abbreviation lost its dots


@given(st.lists(st.sampled_from("ferry crews walk out over pay the korvik 4 1 vote strike of a".split()),
                min_size=0, max_size=12))
def test_slug_headline_never_invents_words(words):
    head = slug_headline("https://example.org/" + "-".join(words), TEXT)
    if head is not None:
        known = {w.casefold().strip(".,") for w in TEXT.replace("'s", " 's").split()} | set(words)
        assert all(w.casefold() in known or w.casefold().replace("'s", "") in known
                   or w.casefold() in TEXT.casefold() for w in head.split())


def test_page_words_only_when_no_sentence_reads_alone(nlp):
    meta = {"description": "Ferry crews on the Korvik line walked out on Saturday in a dispute over pay."}
    # the text's sentences are hooks and questions: none reads alone, the description does
    hooky = Article(id="p", text="Ferries used to be so simple.\n\nWhat happens now?\n\nYou may well ask.",
                    url="https://example.org/news/12345", meta=meta, language="en")
    parsed = nlp.parse_many([hooky])
    head = headline(parsed, summarize_parsed(parsed, Options(words=60)), nlp=nlp)
    assert head == "Ferry crews on the Korvik line walked out on Saturday in a dispute over pay", head
    # a text whose lead reads alone keeps its lead
    plain = Article(id="q", text=TEXT, url="https://example.org/news/12345", meta=meta, language="en")
    parsed = nlp.parse_many([plain])
    assert headline(parsed, summarize_parsed(parsed, Options(words=60)), nlp=nlp).startswith("Ferry crews on the "
                                                                                            "Korvik line walked out")
    # without the NLP object (an evaluation's headline), the page's words are not read
    assert page_headline(parsed) is None


def test_description_that_does_not_stand_alone_is_refused(nlp):
    for description in ("The operator earned $2.8 billion in the third quarter.",  # unnamed definite subject
                        "These accusations were rejected by the Korvik ferry unions on Monday.",
                        "Ferry crews on the Korvik line walked out on Saturday in a dispute over pay that has lasted "
                        "for months and that the operator says it cannot settle before the summer season o"):
        art = Article(id="r", text="What happens now?", meta={"description": description}, language="en")
        assert page_headline(nlp.parse_many([art]), nlp) is None, description
