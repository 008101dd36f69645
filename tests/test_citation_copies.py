"""Syndicated copies in citations (#14): a copy that reports a summary sentence is listed in its sources,
after every independent source, and never when the matcher finds the sentence changed in it; a story whose
sentences all lean on a sentence before them still gets a summary.

Every sentence here was written for this test (no demo corpus, no shared data)."""

from __future__ import annotations

import datetime as dt

import newsdesk
from newsdesk import Article, Options

LEAD = "Floods cut the river town of Harvik off from the regional capital on Monday, officials said."
BODY = ("Rescue crews evacuated more than 600 residents from the low-lying districts near the old harbour overnight. "
        "The regional governor declared a state of emergency for the whole of the northern province. "
        "Forecasters expect more heavy rain to fall across the northern coast and the hills on Wednesday. "
        "Schools in the district will stay closed until the water has gone down, the council said.")
ORIGINAL = f"{LEAD} {BODY} Local football clubs postponed their weekend matches because of the weather."
COPY = f"{LEAD} {BODY}"  # the wire text reprinted without its last sentence
OTHER = ("Officials said on Monday that floods had cut Harvik off from the regional capital. "
         "Shops along the harbour front stayed shut as the water kept rising through the afternoon.")


def _story(copy_text: str) -> list[Article]:
    day = dt.date(2025, 3, 3)
    return [Article(id="orig", text=ORIGINAL, source="Wire", published=day),
            Article(id="copy", text=copy_text, source="Reprint", published=day),
            Article(id="other", text=OTHER, source="Daily", published=day)]


def test_a_copy_is_cited_after_the_independent_sources(nlp):
    arts = _story(COPY)
    marked = {a.id: a.duplicate_of for a in newsdesk.dedupe(arts)}
    assert marked == {"orig": None, "copy": "orig", "other": None}
    summary = newsdesk.summarize(arts, Options(words=60), nlp=nlp)
    by_id = {a.id: a for a in arts}
    lead = [s for s in summary if "Harvik" in s.text and "capital" in s.text]
    assert lead and "copy" in lead[0].sources
    for s in summary:
        assert s.sources[0] != "copy"  # the text is taken from an original
        if "copy" in s.sources:  # the copy comes after every independent source
            assert s.sources[-1] == "copy"
            m = s.matched[s.sources.index("copy") - 1]
            assert m.article_id == "copy" and by_id["copy"].text[m.start:m.end] == m.text
        assert len(s.matched) == len(s.sources) - 1


def test_a_copy_whose_sentence_changed_a_number_is_not_cited_for_it(nlp):
    changed = COPY.replace("more than 600 residents", "more than 60 residents")
    arts = _story(changed)
    assert {a.id: a.duplicate_of for a in newsdesk.dedupe(arts)}["copy"] == "orig"  # still a copy
    summary = newsdesk.summarize(arts, Options(words=100), nlp=nlp)
    rescue = [s for s in summary if "600 residents" in s.text]
    assert rescue, "the evacuation sentence is in the summary"
    assert "copy" not in rescue[0].sources  # the copy says 60, not 600


def test_no_copy_cited_when_its_original_is_not_a_source(nlp):
    arts = _story(COPY)
    for s in newsdesk.summarize(arts, Options(words=60), nlp=nlp):
        if "copy" in s.sources:
            assert "orig" in s.sources


def test_a_story_of_dependent_sentences_still_gets_a_summary(nlp):
    arts = [Article(id="a", text="He told reporters the new bridge over the Tamsel would open to traffic in May."),
            Article(id="b", text="Also on Friday, the new bridge over the Tamsel was said to open in May.")]
    summary = newsdesk.summarize(arts, Options(words=100), nlp=nlp)
    assert summary and all(s.text in {a.id: a.text for a in arts}[s.sources[0]] for s in summary)


def test_a_dependent_sentence_never_opens_a_summary_that_has_other_candidates(nlp):
    arts = [Article(id="a", text="He told reporters the new bridge over the Tamsel would open to traffic in May."),
            Article(id="b", text="The new bridge over the Tamsel river will open to traffic in May, the city said.")]
    summary = newsdesk.summarize(arts, Options(words=100), nlp=nlp)
    assert summary and not summary[0].text.startswith("He ")
