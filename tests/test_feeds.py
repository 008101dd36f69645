"""RSS / Atom / OPML reading (feeds are written here; OPML feeds come from a stand-in fetcher)."""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk import Options
from newsdesk.errors import InputError
from newsdesk.ingest import kind_of, read_articles
from newsdesk.ingest.feeds import html_to_text, read_feed
from newsdesk.ingest.fetch import Fetched
from newsdesk.ingest.readers import Source

PARA = "The regional council voted on Tuesday to expand the tram network to the northern suburbs by 2030."

RSS = f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Example Wire</title><language>en-gb</language>
<item><title>Council backs tram plan</title><link>http://news.example/tram</link><guid>urn:tram</guid>
<author>desk@news.example (Ana Ortiz)</author><pubDate>Tue, 10 Nov 2020 10:00:00 GMT</pubDate>
<description>&lt;p&gt;{PARA}&lt;/p&gt;&lt;p&gt;Work starts next spring.&lt;/p&gt;</description></item>
<item><title>An entry with nothing in it</title><link>http://news.example/empty</link></item>
<item><title>Second story</title><description>Plain text summary of the second story, long enough to read on its
own.</description></item>
</channel></rss>
"""

ATOM = f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Atom Desk</title>
<entry><title>Tram plan</title><id>tag:news.example,2020:1</id><link href="http://news.example/atom/1"/>
<updated>2020-11-11T08:00:00Z</updated><author><name>Ben Ito</name></author>
<content type="html">&lt;p&gt;{PARA}&lt;/p&gt;</content></entry>
</feed>
"""


def write(tmp_path: Path, name: str, data: str | bytes) -> Path:
    p = tmp_path / name
    p.write_bytes(data.encode() if isinstance(data, str) else data)
    return p


def test_rss_entries_become_articles_and_a_broken_entry_is_reported(tmp_path: Path) -> None:
    errors: list[InputError] = []
    arts = read_articles([write(tmp_path, "wire.rss", RSS)], on_error=errors.append)
    assert [a.id for a in arts] == ["urn:tram", "wire.rss#3"]
    tram = arts[0]
    assert tram.title == "Council backs tram plan" and tram.source == "Example Wire"
    assert tram.url == "http://news.example/tram" and tram.published == dt.date(2020, 11, 10)
    assert tram.text == PARA + "\n\nWork starts next spring." and tram.language == "en"
    assert "Ana Ortiz" in (tram.author or "")
    assert [e.source for e in errors] == [str(tmp_path / "wire.rss") + "#2"]
    assert "no text" in errors[0].reason


def test_atom_feed(tmp_path: Path) -> None:
    [a] = read_articles([write(tmp_path, "desk.atom", ATOM)])
    assert (a.id, a.source, a.author, a.published) == ("tag:news.example,2020:1", "Atom Desk", "Ben Ito",
                                                      dt.date(2020, 11, 11))
    assert a.text == PARA and a.meta["format"] == "feed"


def test_feed_is_recognised_by_content(tmp_path: Path) -> None:
    assert kind_of("noext", RSS.encode()) == "feed"
    assert kind_of("noext", RSS.split("?>", 1)[1].lstrip().encode()) == "feed"  # no XML declaration
    assert kind_of("list", OPML.split(b"?>", 1)[1]) == "feed"
    assert [a.id for a in read_articles([write(tmp_path, "feed", RSS)])] == ["urn:tram", "feed#3"]


def test_broken_xml_still_yields_its_entries(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    broken = RSS.replace("</channel></rss>", "<item><title>cut off")  # truncated download
    arts = read_articles([write(tmp_path, "cut.xml", broken)])
    assert [a.id for a in arts][:1] == ["urn:tram"]
    assert "not well-formed" in caplog.text


@pytest.mark.parametrize("data, words", [
    ("<rss><channel><title>x</title></channel></rss>", "no entries"),
    ("this is <not> a feed at all &", "not a readable RSS/Atom feed"),
    ("", "empty"),
])
def test_unreadable_feed_is_one_error_and_the_batch_goes_on(tmp_path: Path, data: str, words: str) -> None:
    errors: list[InputError] = []
    arts = read_articles([write(tmp_path, "bad.rss", data), write(tmp_path, "good.atom", ATOM)],
                         on_error=errors.append)
    assert [a.id for a in arts] == ["tag:news.example,2020:1"]
    assert len(errors) == 1 and errors[0].source.endswith("bad.rss") and words in errors[0].reason


def test_wrong_declared_encoding(tmp_path: Path) -> None:
    # declared UTF-8, really Windows-1252: the entry is still read, with the accented word intact or replaced
    data = RSS.replace("Work starts next spring.", "Le café rouvre.").encode("cp1252")
    arts = read_articles([write(tmp_path, "latin.rss", data)])
    assert arts[0].id == "urn:tram" and "caf" in arts[0].text


def stand_in_fetch(pages: dict[str, bytes]):  # type: ignore[no-untyped-def]
    def fetch(url: str) -> Fetched:
        if url not in pages:
            raise InputError(url, "HTTP 404")
        return Fetched(url, url, 200, "application/rss+xml", pages[url])

    return fetch


OPML = b"""<?xml version="1.0"?><opml version="2.0"><head><title>my feeds</title></head><body>
<outline text="news"><outline type="rss" text="wire" xmlUrl="http://a.example/wire.rss"/>
<outline type="rss" text="dead" xmlUrl="http://b.example/gone.rss"/></outline>
<outline type="rss" text="atom" xmlUrl="http://c.example/desk.atom"/></body></opml>"""


def test_opml_lists_feeds_each_read_or_reported_alone() -> None:
    errors: list[InputError] = []
    fetch = stand_in_fetch({"http://a.example/wire.rss": RSS.encode(), "http://c.example/desk.atom": ATOM.encode()})
    src = Source(id="feeds.opml", name="feeds.opml", data=OPML, report=errors.append, fetch=fetch)
    arts = list(read_feed(src))
    assert [a.id for a in arts] == ["urn:tram", "http://a.example/wire.rss#3", "tag:news.example,2020:1"]
    assert sorted(e.source for e in errors) == ["http://a.example/wire.rss#2", "http://b.example/gone.rss"]


def test_opml_file_without_feeds(tmp_path: Path) -> None:
    errors: list[InputError] = []
    read_articles([write(tmp_path, "x.opml", b"<opml><body><outline text='a'/></body></opml>")],
                  on_error=errors.append)
    assert len(errors) == 1 and "lists no feeds" in errors[0].reason


PAGE = ("<html><head><title>Tram plan</title></head><body><article><h1>Tram plan</h1>"
        + f"<p>{PARA} Engineers say the first section opens in 2027 after two years of works.</p>" * 3
        + "</article></body></html>").encode()


def test_follow_links_reads_the_linked_page_and_falls_back_to_the_entry() -> None:
    fetch = stand_in_fetch({"http://news.example/tram": PAGE})
    src = Source(id="w.rss", name="w.rss", data=RSS.encode(), options=Options(follow_links=True), fetch=fetch,
                 report=lambda e: None)
    tram, second = list(read_feed(src))
    assert tram.meta.get("followed") and "first section opens in 2027" in tram.text
    assert tram.title == "Council backs tram plan"  # the entry's own metadata wins
    assert second.text.startswith("Plain text summary") and not second.meta.get("followed")


def test_html_to_text_paragraphs() -> None:
    assert html_to_text("<p>One <b>bold</b> move.</p><p>Two</p><script>x()</script>") == "One bold move.\n\nTwo"
    assert html_to_text("no tags") == "no tags"


@given(st.lists(st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1), min_size=1, max_size=5))
def test_html_to_text_keeps_every_paragraph(paragraphs: list[str]) -> None:
    fragment = "".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    expected = [" ".join(p.split()) for p in paragraphs if p.split()]
    assert [" ".join(p.split()) for p in html_to_text(fragment).split("\n\n") if p.strip()] == expected
