"""Speaker patterns found on PolNeAR train (issue #16); every sentence is written for the test."""

from __future__ import annotations

import newsdesk
from newsdesk.briefing.quotes import extract_quotes


def _speakers(nlp, text: str) -> dict[str, str | None]:
    quotes = extract_quotes([nlp.parse(newsdesk.Article(id="t", text=text), deep=True)])
    return {q.text.split()[0] if not q.text.split()[0].isupper() else " ".join(q.text.split()[:2]): q.speaker
            for q in quotes}


def test_a_surname_the_recogniser_missed_is_the_person(nlp):
    got = _speakers(nlp, (
        "Senator Bernie Sanders spoke to union members in Ohio on Tuesday.\n\n"
        "Sanders replied evenly, \u201cNobody in this room should work two jobs to pay the rent.\u201d"))
    assert got == {"Nobody": "Bernie Sanders"}


def test_transcript_labels_name_the_speaker_and_split_a_running_quotation(nlp):
    got = _speakers(nlp, (
        "Governor Mike Pence spoke to host Chris Wallace on Sunday.\n\n"
        "\"WALLACE: Why would the campaign invite her to the front row of the debate?\n\n"
        "\"PENCE: Well, look, the campaign was mocking the other side and everybody knows it.\n\n"
        "\"(CROSSTALK.)"))
    assert got == {"WALLACE: Why": "Chris Wallace", "PENCE: Well,": "Mike Pence"}


def test_a_capitalised_heading_is_not_a_label(nlp):
    got = _speakers(nlp, (
        "The station published the interview on Monday.\n\n"
        "\u201cUPDATE: The transcript was corrected on Monday to add a missing line.\u201d"))
    assert got == {"UPDATE: The": None}


def test_a_byline_after_a_quotation_names_its_speaker(nlp):
    got = _speakers(nlp, (
        "Readers told us what they think of the new stadium.\n"
        "\u201cThe stadium will bring jobs to the whole east side of town.\u201d \u2015 Rosa Elvira Campos\n"
        "\u201cNobody asked the neighbours before the trees were cut down.\u201d\u2015 Daniel Okafor.\n\n"
        "\u201cIt is the best thing that happened to this city in decades.\u201d\n\n"
        "\u2014Mayor Lena Hartwig, writing on her blog.\n\n"
        "The council voted 7-2 and said the stadium was \u201cthe best deal the city has ever made.\u201d--Tom Reyes."))
    assert got["The"] == "Rosa Elvira Campos"
    assert got["Nobody"] == "Daniel Okafor"
    assert got["It"] == "Lena Hartwig"
    assert got.get("the") is None  # the article's own byline after a sentence is not the quote's speaker


def test_a_section_title_after_a_quotation_is_not_a_byline(nlp):
    got = _speakers(nlp, (
        "\u201cWe will fight for every single vote in this state until the very end.\u201d\n\n"
        "\u2013 Old hands \u2013\n\n"
        "The campaign opened three offices in the north last week."))
    assert got == {"We": None}


def test_a_pronoun_for_an_unnamed_person_stays_unnamed(nlp):
    got = _speakers(nlp, (
        "Mayor Paul Brandt opened the new hospital wing on Monday.\n\n"
        "A nurse walked the visitors through the empty wards after the speeches.\n\n"
        "\u201cWe waited six years for these beds and we will fill them by winter,\u201d she said."))
    assert got == {"We": None}


def test_a_pronoun_after_a_narrators_relative_stays_unnamed(nlp):
    got = _speakers(nlp, (
        "Senator Dana Whitfield spoke in our town last spring.\n\n"
        "Once, when my mother heard the senator on the radio, I laughed and said it was only politics. "
        "She turned off the radio. To which she said, \u201cPolitics is never only politics, my dear.\u201d"))
    assert got == {"Politics": None}


def test_the_one_asked_answers(nlp):
    got = _speakers(nlp, (
        "Senator Bernie Sanders visited a high school in Las Vegas on Saturday.\n\n"
        "A reporter asked Sanders how he was feeling on caucus day. "
        "He replied: \u201cThe bigger the turnout, the better I feel.\u201d"))
    assert got == {"The": "Bernie Sanders"}


def test_a_capitalised_description_is_not_a_name(nlp):
    got = _speakers(nlp, (
        "House Speaker Paul Ryan met reporters in Janesville on Thursday.\n\n"
        "\u201cWe are not there yet, and I will not pretend that we are,\u201d the Wisconsin Republican said."))
    assert got == {"We": "Paul Ryan"}


def test_the_token_indices_read_from_arrays_are_those_of_a_walk_over_the_tokens(nlp):
    from newsdesk.briefing import attribution as at

    text = ("According to the ministry, Mayor Ilona Vaskari told reporters on Monday that a witness said the "
            "bridge would close. Officials went on: \u201cIt is unsafe,\u201d the spokesman added. The Smiths "
            "and a resident of Lormont denied it.")
    pa = nlp.parse(newsdesk.Article(id="t", text=text), deep=True)
    for _, doc in pa.docs:
        got = at._tokens(doc)
        assert list(got.idx) == [t.idx for t in doc]
        assert got.cues == [t.i for t in doc if t.lemma_.lower() in at._CUE_LEMMAS or t.lower_ == "according"]
        assert got.proper == [t.i for t in doc if t.tag_ in ("NNP", "NNS", "NNPS") and t.text[:1].isupper()]
        assert got.unnamed == [t.i for t in doc if t.tag_ == "NN" and t.dep_ in at._SUBJ
                               and t.lemma_.lower() in at._PEOPLE_NOUNS]
        assert got.cues and got.proper
