"""Headlines: a real title, else the lead shortened at a phrase boundary; never boilerplate."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Article, Options
from newsdesk.briefing.headline import MAX_WHOLE_WORDS, WHOLE_SENTENCE_WORDS, headline, real_title, shorten
from newsdesk.briefing.summary import summarize_parsed


def test_real_titles():
    assert real_title("Ferry crews walk out over pay")
    assert not real_title("Views expressed in this article are the author's own")
    assert not real_title("We use cookies on this site")
    assert not real_title("Subscribe now for unlimited access")
    assert not real_title("Korvik Daily News", source="Korvik Daily News")
    assert not real_title("www.example.com")
    assert not real_title("Home")


def test_shorten_cuts_at_phrase_boundaries():
    assert shorten("Rescue crews evacuated more than 900 residents overnight.") == \
        "Rescue crews evacuated more than 900 residents overnight"
    assert shorten("Flood waters cut the coastal town of Lormont off from the regional capital on Monday after "
                   "three days of heavy rain swept across the western coast, officials said.") == \
        "Flood waters cut the coastal town of Lormont off from the regional capital on Monday"
    assert shorten("The government announced on Tuesday that it would raise the minimum wage by 12 percent next "
                   "year in a move aimed at easing pressure from the unions.") == \
        "The government announced on Tuesday that it would raise the minimum wage by 12 percent next year"
    assert shorten("The ferry operator raised pay, officials said.") == "The ferry operator raised pay"


@given(st.lists(st.sampled_from("the a of ferry crews walked out on Saturday over pay and union talks resumed in "
                                "Korvik , after".split()), min_size=1, max_size=40))
def test_shorten_is_a_verbatim_opening_within_the_limit(words):
    sentence = " ".join(words) + "."
    out = shorten(sentence, 16)
    assert len(out.split()) <= 16
    assert shorten(sentence) and len(shorten(sentence).split()) <= 20
    assert " ".join(sentence.split()).startswith(out)


def test_title_less_story_gets_its_lead_not_boilerplate(nlp):
    text = ("Views expressed in this article are the author's own.\n\n"
            "Ferry crews on the Korvik line walked out on Saturday in a dispute over pay, stranding 1,200 "
            "passengers at the terminal, the operator said.\n\n"
            "Talks between the union and the operator are to resume on Monday.")
    arts = [Article(id="a", text=text, title="Views expressed in this article are the author's own"),
            Article(id="b", text=text.replace("Saturday", "Saturday morning"), title=None)]
    parsed = nlp.parse_many(arts)
    summary = summarize_parsed(parsed, Options(words=60))
    head = headline(parsed, summary)
    # the whole statement (21 words), its trailing attribution left out
    assert head == "Ferry crews on the Korvik line walked out on Saturday in a dispute over pay, stranding 1,200 " \
                   "passengers at the terminal", head


def _story_headline(nlp, text: str) -> str:
    parsed = nlp.parse_many([Article(id="k", text=text, language="en")])
    return headline(parsed, summarize_parsed(parsed, Options(words=60)))


def test_headline_is_the_whole_statement_when_it_fits(nlp):
    # up to WHOLE_SENTENCE_WORDS words the statement stays whole: no apposition, no phrase is cut away
    sentence = ("Prince Osric of Korvik, the 60-year-old younger brother of the heir to the Korvik throne, has told "
                "friends that the television interview aired at the weekend was a great success")
    assert _story_headline(nlp, sentence + ".") == sentence
    assert len(sentence.split()) <= WHOLE_SENTENCE_WORDS < len(sentence.split()) + 20


def test_a_long_statement_loses_only_optional_parts(nlp):
    # over WHOLE_SENTENCE_WORDS words: a fronted phrase goes, the main clause and its object stay whole
    head = _story_headline(nlp, "In a joint statement published on Friday after two days of talks in the capital "
                                "with the ministry of transport and the owners of the ferry company, the ferry "
                                "unions of Korvik called off the strike that had stranded 1,200 passengers at the "
                                "terminal for a week.")
    assert head == "The ferry unions of Korvik called off the strike that had stranded 1,200 passengers at the " \
                   "terminal for a week", head
    # an apposition set off by commas goes; nothing is cut inside a phrase
    head = _story_headline(nlp, "The Korvik Ferry Company, which has run the crossings to the northern islands since "
                                "1952 and employs more than 900 people on its twelve ships, cut 40 crossings a week "
                                "from its timetable on Monday, blaming a shortage of 120 trained crew members.")
    assert head.startswith("The Korvik Ferry Company cut 40 crossings a week from its timetable on Monday"), head
    assert len(head.split()) <= WHOLE_SENTENCE_WORDS, head


def test_a_statement_without_a_safe_cut_is_kept_whole_up_to_the_hard_cap(nlp):
    # 40 words and no optional part: kept whole rather than cut to a fragment
    sentence = ("The Korvik port authority will build a second ferry terminal for cargo ships and fishing boats on "
                "the northern shore of the estuary near the old shipyard where the town council had planned to "
                "build three hundred new homes for families")
    assert 35 < len(sentence.split()) <= MAX_WHOLE_WORDS
    assert _story_headline(nlp, sentence + ".") == sentence


def test_headline_skips_hooks_and_concessions(nlp):
    head = _story_headline(nlp, "Ferries used to be so simple.\n\nWe bought a ticket and sat down.\n\nThe Korvik Ferry "
                                "Company cut 40 crossings a week from its timetable on Monday, blaming a shortage of "
                                "120 crew members.\n\nThe crew shortage at the Korvik Ferry Company began in March.\n\n"
                                "The 40 crossings will return when the company has hired new crew members.")
    assert head.startswith("The Korvik Ferry Company cut 40 crossings"), head
    # "X, but Y" is never cut down to X alone
    head = _story_headline(nlp, "Korvik's new ferry terminal is not expected to open until 2027, but the port "
                                "authority is already planning a second terminal on the northern shore of the Korvik "
                                "estuary for cargo.\n\nThe Korvik port authority will build a second ferry terminal "
                                "for cargo on the northern shore.")
    assert head != "Korvik's new ferry terminal is not expected to open until 2027", head


def test_headlines_of_real_title_less_pages():
    """The 30 held-out ScrapingHub pages of docs/editor.md: no headline is boilerplate, and the headlines read as
    acceptable are still the ones produced (17 of 30 when read; a change here needs a new reading)."""
    from conftest import need_shared

    from newsdesk.boilerplate import boilerplate_family
    from newsdesk.eval.headlines import headline_hash, load_verdicts, page_ids, title_less_headlines

    root = need_shared("data", "scrapinghub-article-extraction")
    verdicts = {v["id"]: v for v in load_verdicts() if v["set"] == "heldout"}
    ids = [i for i in page_ids(root) if i[:12] in verdicts]
    assert len(ids) == 30
    heads = {i[:12]: h for i, h, _ in title_less_headlines(root, ids)}
    assert not [h for h in heads.values() if boilerplate_family(h)]
    assert all(h and len(h.split()) <= MAX_WHOLE_WORDS for h in heads.values())
    accepted = [i for i, v in verdicts.items() if v["acceptable"] == "yes"]
    still = [i for i in accepted if headline_hash(heads[i]) == verdicts[i]["sha1"]]
    assert len(still) >= len(accepted) - 2, sorted(set(accepted) - set(still))


def test_contrast_and_caption_sentences_are_not_the_headline(nlp):
    head = _story_headline(nlp, "Ferry crews stand outside the terminal in Korvik on Saturday, May 10, 2019.\n\n"
                                "Two Korvik ferry crews walked out on Saturday in a dispute over pay, the operator "
                                "said.\n\nThe union, however, claimed that the operator had broken the 2017 deal.")
    assert head.startswith("Two Korvik ferry crews walked out on Saturday"), head


def test_dateline_bar_and_wire_credit_are_dropped(nlp):
    # as in a brief: the deep parse, and the NLP object to parse the sentence again without its dateline
    parsed = nlp.parse_many([Article(id="d", text="KORVIK ―Ferry crews on the Korvik line walked out on Saturday in "
                                                  "a dispute over pay.", language="en")], deep=True)
    head = headline(parsed, summarize_parsed(parsed, Options(words=60)), nlp=nlp)
    assert head.startswith("Ferry crews on the Korvik line walked out"), head
    head = _story_headline(nlp, "(AP) Ferry crews on the Korvik line walked out on Saturday in a dispute over pay.")
    assert head.startswith("Ferry crews on the Korvik line walked out"), head


def test_long_lead_keeps_its_point_rather_than_cut_inside_a_phrase(nlp):
    # a final attribution the parser makes the root: the reported clause is the statement, and its phrase
    # "in connection with ..." is never cut to "in connection"
    head = _story_headline(nlp, "A ferry captain was arrested in Korvik on Friday morning in connection with the "
                                "harbour fire that destroyed fourteen fishing boats and the old wooden pier, port "
                                "police sources confirmed to the Korvik Daily.")
    assert not head.endswith(("in connection", "with the")), head
    assert len(head.split()) <= WHOLE_SENTENCE_WORDS and "confirmed" not in head, head


def test_a_nouns_infinitive_stays_with_it(nlp):
    head = _story_headline(nlp, "The Korvik port authority faced stiff criticism from unions and fishermen on "
                                "Tuesday over its decision to no longer allow ferries in the old harbour, while "
                                "the mayor welcomed the move.")
    assert not head.endswith("over its decision"), head


@pytest.mark.parametrize("name,seed", [("multinews", 18), ("basil", 18), ("multinews", 19), ("basil", 19),
                                       ("multinews", 32), ("basil", 32), ("multinews", 33), ("basil", 33)])
def test_headlines_of_the_held_out_draws(name, seed, nlp):
    """The seed-18, seed-19 and seed-32 draws of docs/editor.md (title-less Multi-News documents, BASIL articles without
    titles): the draw still gives the documents read, none of their headlines is boilerplate, and the ones read as
    acceptable are still produced (a change here needs a new reading, and a new draw for a held-out figure)."""
    from conftest import need_shared

    import newsdesk
    from newsdesk.boilerplate import boilerplate_family
    from newsdesk.eval.headlines import basil_draw, earlier_reads, headline_hash, load_verdicts, multinews_draw

    root = need_shared("data", "multi-news-test" if name == "multinews" else "basil")
    verdicts = load_verdicts()
    earlier = earlier_reads(verdicts, name, seed)
    read = {v["id"]: v for v in verdicts if v["set"] == f"{name}-s{seed}"}
    draw = (multinews_draw if name == "multinews" else basil_draw)(root, 30, seed, exclude=earlier)
    assert [i for i, _, _ in draw.articles] == list(read)
    heads = {i: newsdesk.brief([art], nlp=nlp)[0].headline for i, art, _ in draw.articles}
    assert not [h for h in heads.values() if boilerplate_family(h)]
    accepted = [i for i, v in read.items() if v["acceptable"] == "yes"]
    assert [i for i in accepted if headline_hash(heads[i]) != read[i]["sha1"]] == []


# --------------------------------------------------------------------------- which sentence: the lead, read fairly


def test_an_initial_or_an_agency_is_not_the_writer_talking(nlp):
    # "I." in a name and "C.I.A." are not "I"; "US" is the country, not "us"
    head = _story_headline(nlp, "Korvik's mayor named Joseph I. Tarn, a former C.I.A. analyst, as the new harbour "
                                "master on Monday.\n\nTarn worked for the port authority from 1998 to 2004.\n\n"
                                "The harbour master oversees 40 ferry crossings a week.")
    assert head.startswith("Korvik's mayor named Joseph I. Tarn"), head
    head = _story_headline(nlp, "I bought a ticket at the Korvik terminal on Monday.\n\nFerry crews on the Korvik "
                                "line walked out on Monday in a dispute over pay.")
    assert head.startswith("Ferry crews on the Korvik line walked out"), head


def test_a_lead_ending_on_a_pronoun_or_an_infinitive_is_whole(nlp):
    # the writer's own ending, with its full stop, is not a sentence the page cut in two
    sentence = "The Korvik council voted on Tuesday to close the old pier, although the harbour master opposes it"
    head = _story_headline(nlp, sentence + ".\n\nKorvik's old pier was built by the Korvik Ferry Company in 1952.")
    assert head == sentence, head
    head = _story_headline(nlp, "The Korvik Ferry Company cancelled its summer timetable on Friday after most of "
                                "its crews opted not to sign.\n\nThe company runs 40 crossings a week in summer.")
    assert head.startswith("The Korvik Ferry Company cancelled its summer timetable"), head


def test_a_dated_news_lead_with_but_is_kept_whole(nlp):
    # a news lead's two facts of one event ("denied on Wednesday that ... but said ..."): whole, not passed over
    sentence = ("Korvik mayor Ann Lind denied on Wednesday that she had sold the old pier to the Norland Line but said "
                "she could not be sure that the council had not")
    head = _story_headline(nlp, sentence + ".\n\nKorvik's old pier was built by the Korvik Ferry Company in 1952.")
    assert head == sentence, head


def test_a_phrase_in_quotes_keeps_the_reported_clause(nlp):
    # "is “very close” to ...": a quoted phrase is the writer's; the attribution goes, the statement stays
    head = _story_headline(nlp, "The Korvik Ferry Company is “very close” to naming a new chief executive, its "
                                "chairman told reporters on Thursday.\n\nThe last chief executive left in May.")
    assert head == "The Korvik Ferry Company is “very close” to naming a new chief executive", head
    # with a pronoun speaker the statement is the reported clause, not passed over for a side fact
    head = _story_headline(nlp, "Norland Line chief Ann Lind is “very close” to selecting a buyer for the Korvik "
                                "crossings, she told reporters on Thursday.\n\nKorvik's last chief executive left the "
                                "company in May.")
    assert head == "Norland Line chief Ann Lind is “very close” to selecting a buyer for the Korvik crossings", head


def test_a_long_lead_loses_its_long_tail_rather_than_be_passed_over(nlp):
    # over 45 words with nothing set off by a comma: the main verb's long closing phrase goes last, and the lead
    # stays the headline rather than a side fact
    head = _story_headline(nlp, "The Korvik port authority fined the Norland Line and two smaller ferry companies on "
                                "Wednesday in its first ruling since the new harbour rules came into force after the "
                                "long dispute between the unions and the operators over the pay and the hours of the "
                                "crews on the night crossings to the northern islands of the estuary.\n\n"
                                "The Norland Line bought its first ship in 2004.")
    assert head.startswith("The Korvik port authority fined the Norland Line and two smaller ferry companies on "
                           "Wednesday"), head
    assert len(head.split()) <= WHOLE_SENTENCE_WORDS and "estuary" not in head, head


def test_two_sentences_run_together_are_not_a_headline(nlp):
    head = _story_headline(nlp, "Ferry crews walked out on the Korvik line on Saturday over pay and the long hours "
                                "of last year.the union said talks would resume.\n\nThe Korvik Ferry Company said on "
                                "Saturday that talks with the crews would resume on Monday.")
    assert head.startswith("The Korvik Ferry Company said on Saturday"), head


def test_an_apposition_s_closing_comma_does_not_set_off_what_follows(nlp):
    # "named X, the former senator, as a finalist": the phrase after the apposition belongs to the verb and stays
    head = _story_headline(nlp, "The Korvik Ferry Company, two days from the deadline it had set itself for picking a "
                                "new chief executive, told its crews on Thursday that it was close to choosing a "
                                "successor to Ann Lind, and it named Tor Berg, the former harbour master and port "
                                "pilot, as a finalist.")
    assert head.endswith("as a finalist") or "Tor Berg, the former harbour master" in head, head


def test_a_drop_keeps_the_name_a_pronoun_stands_for(nlp):
    # the fronted clause names the one "her" stands for: it stays (the statement is whole within 45 words)
    head = _story_headline(nlp, "With Korvik mayor Ann Lind officially reaching the number of council votes "
                                "required for the new harbour plan, Norland Line chief Tor Berg congratulated her on "
                                "Tuesday evening and signaled that the rival plan of the ferry unions might be coming "
                                "to an end soon.")
    assert "Ann Lind" in head, head
    # the pronoun's name is in what is kept: the fronted clause goes
    head = _story_headline(nlp, "Two days after suddenly halting his own company's decision to sell the old pier to "
                                "the Norland Line, Korvik Ferry Company chief Tor Berg called the sale a mistake and "
                                "said he would not change his mind about it this year.")
    assert head.startswith("Korvik Ferry Company chief Tor Berg called the sale a mistake"), head


def test_lower_cased_i_is_the_writer_talking(nlp):
    # raw web text comes lower-cased: "i" is still the writer
    head = _story_headline(nlp, "every year i bring my own lunch to the korvik ferry terminal on the first day of "
                                "summer.\n\nFerry crews on the Korvik line walked out on Monday in a dispute over pay.")
    assert head.startswith("Ferry crews on the Korvik line walked out"), head


def test_lower_cased_text_dateline_and_caption_are_not_the_headline(nlp):
    # text lower-cased with sentence capitals (as Multi-News+ documents): invented sentences
    from tests.test_nlp import LOWER

    parsed = nlp.parse_many([Article(id="lc", text=LOWER, language="en")], deep=True)
    head = headline(parsed, summarize_parsed(parsed, Options(words=60)), nlp=nlp)
    assert head.startswith("A ferry carrying 40 passengers ran aground off the coast of ostra on tuesday"), head
    caption = ("Korvik ferry crews stand outside the terminal in lormont, shown here on saturday. The crews of the "
               "korvik line walked out on saturday in a dispute over pay, stranding 1,200 passengers at the "
               "terminal of lormont, the operator of the line said in a statement on its website.")
    parsed = nlp.parse_many([Article(id="cap", text=caption, language="en")], deep=True)
    head = headline(parsed, summarize_parsed(parsed, Options(words=60)), nlp=nlp)
    assert head.startswith("The crews of the korvik line walked out on saturday"), head
