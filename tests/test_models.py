import datetime as dt
import json

from newsdesk import Article, Brief, Figure, Sentence, Story, SummarySentence


def test_article_json_matches_contract():
    a = Article(id="x.txt", text="Body.", title="T", source="Outlet", published=dt.date(2024, 5, 14))
    j = a.to_json()
    assert set(j) == {"id", "title", "text", "source", "url", "published", "author", "duplicate_of", "language"}
    assert j["published"] == "2024-05-14"
    assert "text" not in a.to_json(text=False)
    json.dumps(j)


def test_brief_json_has_every_field():
    a = Article(id="a", text="One two three four five six.")
    s = SummarySentence(Sentence("a", 0, 28, "One two three four five six."), ("a",))
    b = Brief("s1", "Head", (a,), summary=(s,), figures=(Figure("killed", 12.0, "12 killed", ("a",)),))
    j = b.to_json()
    assert list(j) == ["id", "headline", "articles", "summary", "entities", "figures", "conflicts",
                       "timeline", "quotes", "outlets", "background"]
    assert j["figures"][0]["value"] == 12 and isinstance(j["figures"][0]["value"], int)
    assert j["summary"] == [{"text": "One two three four five six.", "sources": ["a"]}]


def test_frozen():
    import dataclasses

    import pytest
    st = Story("s", ("a", "b"))
    with pytest.raises(dataclasses.FrozenInstanceError):
        st.id = "t"  # type: ignore[misc]


def test_timeline_event_json_keeps_the_contract_and_periods_have_no_date():
    from newsdesk.models import TimelineEvent

    story = TimelineEvent("2021-03-10", "The dam failed.", ("a",))
    assert story.to_json() == {"date": "2021-03-10", "text": "The dam failed.", "sources": ["a"]}
    decade = TimelineEvent("1990", "Towns grew.", ("a",), period="early 1990s", background=True)
    assert decade.to_json() == {"date": None, "period": "early 1990s", "text": "Towns grew.", "sources": ["a"]}
    assert decade.when == "early 1990s"
    assert TimelineEvent.from_json(decade.to_json(), background=True) == decade


def test_quote_role_round_trips_and_is_shown():
    from newsdesk.models import Quote
    from newsdesk.report import to_html, to_markdown

    a = Article(id="a", text="“The car exploded near the market,” a witness said.")
    quotes = (Quote(None, "The car exploded near the market", ("a",), role="a witness"),
              Quote("Emmanuel Macron", "We stand together", ("a",), role="French President"))
    b = Brief("s1", "Head", (a,), quotes=quotes)
    j = b.to_json()
    assert j["quotes"][0] == {"speaker": None, "role": "a witness", "text": "The car exploded near the market",
                              "sources": ["a"]}
    assert Brief.from_json(j, [a]).quotes == quotes
    md, html = to_markdown([b]), to_html([b])
    assert "unnamed source (a witness)" in md and "Emmanuel Macron (French President)" in md
    assert "a witness" in html and "French President" in html
