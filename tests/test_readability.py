"""Readability of a summary: dependent openings, the lead, same-content pairs."""

import newsdesk
from newsdesk import Article, Options
from newsdesk.briefing.readability import dangling, dangling_opening, measure


def test_dependent_openings():
    for text in ("But he also said the talks would go on.", "However, the vote was delayed.",
                 "He said the bridge would reopen.", "This came after weeks of protests.",
                 "“We will rebuild,” the mayor said.", "In addition, 40 homes were flooded.",
                 "Those measures were dropped.", "Meanwhile, prices rose."):
        assert dangling_opening(text), text
    for text in ("The vote was delayed until Friday.", "There were 40 people on board.",
                 "Heavy rain fell on Monday.", "Theresa May resigned.", "Thousands marched.",
                 "Hebron was quiet.", "Butter prices rose.", "It is not clear whether the bridge will reopen."):
        assert not dangling_opening(text), text


def test_a_quote_whose_speaker_is_only_a_pronoun_leans_on_the_sentence_before():
    for text in ("``We can rebuild the pier by spring,'' he said.", "“The port stays shut,” she told reporters.",
                 '"Nothing has changed," they said on Monday.'):
        assert dangling_opening(text), text
    for text in ("“The port stays shut,” the harbour master said.", "The mayor said he would resign.",
                 '"Nothing has changed," said Ana Ruiz, whom he had hired.'):
        assert not dangling_opening(text), text


A = Article(id="a", text="The council approved the new harbour plan on Monday. "
            "But it delayed a vote on the budget until March. "
            "The plan adds two piers and a ferry terminal to the port.")


def test_a_dependent_sentence_dangles_unless_its_predecessor_comes_just_before(nlp):
    pa = nlp.parse(A)
    s0, s1, s2 = pa.sentences
    assert dangling([s0, s1, s2]) == [False, False, False]
    assert dangling([s1, s0]) == [True, False]
    assert dangling([s0, s2, s1]) == [False, False, True]


def test_measure_counts_lead_dangling_and_same_content(nlp):
    b = Article(id="b", text="Officials said the harbour plan was approved by the council on Monday. "
                "Fishermen protested outside the town hall.")
    parsed = nlp.parse_many([A, b])
    a0, a1, _ = parsed[0].sentences
    b0, b1 = parsed[1].sentences
    r = measure([a0, a1, b1], parsed, threshold=0.26)
    assert (r.lead, r.sentences, r.dangling, r.same_content_pairs) == (True, 3, 0, 0)
    r = measure([b1, a1, a0, b0], parsed, threshold=0.26)
    assert r.lead  # b1 is the second sentence of b
    assert r.dangling == 1
    assert r.same_content_pairs == 1  # a0 and b0 report the same approval


def test_summaries_never_dangle(nlp):
    texts = [
        "Flood waters cut the town of Lormont off on Monday. But rescue crews reached it by boat. "
        "They evacuated 900 residents overnight. The governor declared an emergency.",
        "The governor declared a state of emergency after floods cut off Lormont. However, the rain eased. "
        "This allowed crews to evacuate 900 residents from the town overnight.",
    ]
    arts = [Article(id=f"f{i}", text=t) for i, t in enumerate(texts)]
    parsed = nlp.parse_many(arts, deep=False)
    for words in (15, 25, 40, 80):
        summary = newsdesk.summarize(arts, Options(words=words), nlp=nlp)
        by_start = {(ps.sentence.article_id, ps.sentence.start): ps for pa in parsed for ps in pa.sentences}
        chosen = [by_start[(s.sentence.article_id, s.sentence.start)] for s in summary]
        r = measure(chosen, parsed, threshold=Options().attribution_threshold)
        assert r.dangling == 0, [s.text for s in summary]
        assert r.same_content_pairs == 0
        assert not summary or r.lead
