"""Pages that are not articles are recognised (small pages written for the test)."""

from __future__ import annotations

import pytest

from newsdesk.errors import InputError
from newsdesk.ingest.pagetype import non_article_kind, page_features
from newsdesk.ingest.readers import extract_html

PROSE = ("<p>Ferry crews on the Korvik line walked out on Saturday in a dispute over pay, stranding 1,200 "
         "passengers at the terminal, the operator said in a statement on its website.</p>") * 4


def _page(head: str = "", body: str = "") -> str:
    return f"<!doctype html><html><head><title>Korvik</title>{head}</head><body>{body}</body></html>"


def _kind(html: str, url: str | None = None) -> str | None:
    text = " ".join(p for p in html.split("<p>") if p)
    return non_article_kind(page_features(html, text, url))


def _links(n: int) -> str:
    return "".join(f'<li><a href="/news/{i}">Ferry crews walk out over pay in dispute number {i}</a></li>'
                   for i in range(n))


def test_declared_article_is_an_article():
    head = '<meta property="og:type" content="article">'
    assert _kind(_page(head, "<article>" + PROSE + "</article><ul>" + _links(30) + "</ul>")) is None
    ld = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": "x"}</script>'
    assert _kind(_page(ld, PROSE)) is None


def test_declared_kinds():
    ld = '<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "{}"}}</script>'
    assert _kind(_page(ld.format("Product"), "<p>A kettle.</p>")) == "product page"
    assert _kind(_page(ld.format("SearchResultsPage"), "<p>Results</p>")) == "search results"
    assert _kind(_page(ld.format("DiscussionForumPosting"), "<p>Hi all</p>")) == "forum thread"
    assert _kind(_page('<meta property="og:type" content="video.other">', "<p>Watch: the ferry strike.</p>")) \
        == "video page"


def test_structure_without_declarations():
    listing = _page('<meta property="og:type" content="website">', "<ul>" + _links(25) + "</ul>")
    assert _kind(listing) == "section front"
    assert _kind(_page("", "<ul>" + _links(25) + "</ul>")) == "listing page"
    forum = _page("", "".join("<div><span>Joined:</span> 2019 <a>Reply</a> <a>Quote</a><p>I agree.</p></div>"
                              for _ in range(4)))
    assert _kind(forum) == "forum thread"
    shop = _page("", '<p>Kettle, 1.7 litres, €29.99 (was €39.99)</p><button>Add to basket</button>')
    assert _kind(shop) == "product page"
    assert _kind(_page("", PROSE)) is None  # plain prose with no declaration: an article


def test_reader_skips_a_listing_page_with_its_reason():
    html = _page('<meta property="og:type" content="website">',
                 "<main><h1>Latest news</h1><ul>" + _links(30) + "</ul><p>More stories every hour.</p></main>")
    with pytest.raises(InputError, match="not an article: section front"):
        extract_html(html, "front.html")
    article = _page('<meta property="og:type" content="article">', "<article><h1>Ferry strike</h1>" + PROSE
                    + "</article>")
    assert "Ferry crews" in extract_html(article, "a.html")["text"]
