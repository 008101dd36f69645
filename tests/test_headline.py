"""Headlines: a real title, else the lead shortened at a phrase boundary; never boilerplate."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Article, Options
from newsdesk.briefing.headline import headline, real_title, shorten
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
    assert head.startswith("Ferry crews on the Korvik line walked out on Saturday"), head
    assert "Views" not in head and len(head.split()) <= 20
