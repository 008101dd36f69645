"""HTML pages end to end (trafilatura + newsdesk's gentler HTML cleaning) and the short-page fallback."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import newsdesk
from newsdesk.errors import InputError
from newsdesk.ingest.readers import extract_html

P = ("The regional council voted on Tuesday to expand the tram network to the northern suburbs, and the first "
     "section is due to open in three years, officials said at a press conference in the city hall.")


def page(body: str) -> str:
    return f"""<!doctype html><html lang="en"><head><title>Council backs tram extension</title>
<meta property="og:site_name" content="Example Courier"><meta name="author" content="Ana Ortiz">
<link rel="canonical" href="https://courier.example/news/tram-extension">
<meta property="article:published_time" content="2023-05-09T10:00:00Z"></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a></nav></header>
<article><h1>Council backs tram extension</h1>{body}</article>
<footer><p>Copyright 2023 Example Courier. All rights reserved.</p></footer></body></html>"""


BODY = (f"<p>{P}</p><p>{P.replace('Tuesday', 'Monday')}</p>"
        "<h2>Cost</h2>"
        "<p>The extension will cost 420 million euros, shared between the region and the state, according to the "
        "budget documents published on the council website last week.</p>"
        "<ul><li>Four new stations</li><li>Two park-and-ride sites</li></ul>"
        "<p>Sign up for our daily newsletter to get the latest news in your inbox!</p>"
        "<p>Critics said the money would be better spent on buses, which serve more of the region's villages "
        "and could be expanded within months rather than years.</p>"
        "<h3>Related stories</h3><p>Bus drivers vote to strike over pay</p><p>New bridge opens to cyclists</p>")


def test_html_page_keeps_labels_and_lists_and_drops_prompts_and_related_blocks(tmp_path: Path) -> None:
    (tmp_path / "tram.html").write_text(page(BODY))
    [a] = newsdesk.read([tmp_path / "tram.html"])
    assert (a.title, a.source, a.author) == ("Council backs tram extension", "Example Courier", "Ana Ortiz")
    assert a.url == "https://courier.example/news/tram-extension"
    assert a.published == dt.date(2023, 5, 9) and a.language == "en"
    paragraphs = a.text.split("\n\n")
    assert paragraphs[0] == P
    for kept in ("Cost", "Four new stations", "Two park-and-ride sites"):
        assert any(kept in p for p in paragraphs), kept  # section label and list items stay for HTML
    assert "Critics said" in a.text
    for gone in ("newsletter", "Bus drivers vote", "New bridge opens", "Related stories", "Home", "Copyright"):
        assert gone not in a.text, gone
    reasons = dict(a.meta["removed"])
    assert reasons.get("Sign up for our daily newsletter to get the latest news in your inbox!") == "web boilerplate"


def test_the_same_text_as_plain_text_is_cleaned_harder(tmp_path: Path) -> None:
    # a .txt has no page structure behind it: a short label line between paragraphs is dropped there
    later = P.replace("Tuesday", "Monday")
    (tmp_path / "tram.txt").write_text(f"Council backs tram extension\n\n{P}\n\nCost\n\n{later}\n")
    [a] = newsdesk.read([tmp_path / "tram.txt"])
    assert "Cost" not in a.text.split("\n\n")


@pytest.mark.parametrize("min_words, default_words, expected", [
    (50, 80, "default"),   # precision found 12 words (< 50): the default mode's 80 are kept
    (50, 30, "precision"),  # the default mode finds too little as well: keep precision's text
    (0, 80, "precision"),   # fallback off
])
def test_short_precision_extraction_falls_back_to_the_default_mode(monkeypatch: pytest.MonkeyPatch, min_words: int,
                                                                   default_words: int, expected: str) -> None:
    import types

    import trafilatura

    calls: list[bool] = []

    def fake(html: str, *, favor_precision: bool = False, **kw: object) -> object:
        calls.append(favor_precision)
        n, word = (12, "precision") if favor_precision else (default_words, "default")
        return types.SimpleNamespace(text=" ".join([word] * n), title=None)

    monkeypatch.setattr(trafilatura, "bare_extraction", fake)
    fields = extract_html("<html></html>", "x.html", newsdesk.Options(html_min_words=min_words))
    assert fields["text"].split()[0] == expected
    assert calls == ([True, False] if min_words else [True])


def test_page_without_article_is_an_error() -> None:
    with pytest.raises(InputError, match="no article text"):
        extract_html("<html><body><nav><a href='/'>Home</a> <a href='/b'>About us</a></nav></body></html>", "x")
