"""The web UI and JSON API (newsdesk.web) through FastAPI's TestClient, over a real Store of the demo corpus."""

from __future__ import annotations

import datetime
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient as _TestClient  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from newsdesk.errors import OptionsError  # noqa: E402
from newsdesk.models import Article  # noqa: E402
from newsdesk.options import DEFAULT_OPTIONS  # noqa: E402
from newsdesk.store import Store  # noqa: E402
from newsdesk.web import CSP, create_app  # noqa: E402


def TestClient(app, **kwargs) -> _TestClient:  # noqa: N802 -- FastAPI's, addressed as http://localhost
    """FastAPI's TestClient sends ``Host: testserver``, a name the server refuses (HostCheck)."""
    return _TestClient(app, base_url="http://localhost", **kwargs)


PAYLOAD = '<script>window.__pwned=1</script>'
HANDLER = '<img src=x onerror="window.__pwned=2">'


def hostile_articles() -> list[Article]:
    """Two reports of one (invented) event whose title, outlet and text carry script and event handlers."""
    body = ("Fire crews fought a blaze at the Pelmont harbour warehouse on Tuesday night, officials said. "
            f"{PAYLOAD} At least 14 people were hurt in the fire, the harbour authority said. {HANDLER}\n\n"
            "The warehouse stored paint and solvents, according to the port operator. "
            '<a href="javascript:window.__pwned=3" onclick="window.__pwned=4">details</a> '
            "Investigators said the cause of the Pelmont harbour fire was not yet known.")
    other = ("A large fire broke out at a warehouse in Pelmont harbour on Tuesday night. "
             "At least 16 people were hurt, the harbour authority said. "
             f"<svg onload=\"window.__pwned=5\"></svg> {PAYLOAD} The warehouse stored paint and solvents. "
             "The cause of the Pelmont harbour fire is being investigated, officials said.")
    return [
        Article(id="hostile/1.txt", text=body, title=f"Pelmont harbour fire {PAYLOAD}{HANDLER}",
                source=f"Evil {HANDLER} Outlet", url="javascript:window.__pwned=6"),
        Article(id="hostile/2.txt", text=other, title="Warehouse fire in Pelmont harbour", source="Harbour Daily"),
    ]


def build_desk(path: Path, articles: list[Article], nlp) -> Path:
    with Store(path) as store:
        store.add(articles)
        store.add(hostile_articles())
        store.refresh(nlp)
    return path


@pytest.fixture(scope="session")
def desk(tmp_path_factory, demo_articles, nlp) -> Path:
    return build_desk(tmp_path_factory.mktemp("web") / "desk.sqlite", demo_articles, nlp)


@pytest.fixture(scope="session")
def client(desk) -> TestClient:
    with TestClient(create_app(desk)) as c:
        yield c


@pytest.fixture(scope="session")
def hostile_story(desk) -> str:
    with Store(desk, readonly=True) as store:
        sid = store.story_of("hostile/1.txt")
    assert sid
    return sid


class Tags(HTMLParser):
    """Every start tag with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def tags_of(html: str) -> list[tuple[str, dict[str, str | None]]]:
    p = Tags()
    p.feed(html)
    return p.tags


def assert_inert(html: str) -> None:
    tags = tags_of(html)
    assert not [t for t, _ in tags if t == "script"], "no page carries any script element"
    handlers = [(t, k) for t, a in tags for k in a if k.lower().startswith("on")]
    assert not handlers, handlers
    assert not [a for t, a in tags if "style" in a], "no inline style (CSP style-src 'self')"
    hrefs = [a.get("href") or "" for _, a in tags]
    assert not [h for h in hrefs if h.lower().startswith("javascript:")]
    assert PAYLOAD not in html


# --- pages ------------------------------------------------------------------------------------------------------

def test_stories_page_lists_newest_first_with_counts(client, desk, answers):
    r = client.get("/")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    with Store(desk, readonly=True) as store:
        rows = store.stories()
    assert len(rows) == len(answers["stories"]) + 1  # the demo stories and the hostile one
    positions = [r.text.index(f'href="/stories/{row.id}"') for row in rows]
    assert positions == sorted(positions), "the page keeps the store's newest-first order"
    first = rows[0]
    assert f"{first.articles} article" in r.text and f"{first.outlets} outlet" in r.text


def test_story_page_sections_and_citations(client, desk):
    with Store(desk, readonly=True) as store:
        sid = next(r.id for r in store.stories() if r.articles >= 3)
        brief = store.brief(sid)
    r = client.get(f"/stories/{sid}")
    assert r.status_code == 200
    html = r.text
    from markupsafe import escape

    assert str(escape(brief.headline)) in html
    for sec in ("summary", "articles"):
        assert f'id="{sec}"' in html
    # one citation marker per source of each summary sentence, revealing the source sentence
    tags = tags_of(html)
    cites = [a for t, a in tags if t == "details" and "cite" in (a.get("class") or "")]
    assert len(cites) == sum(len(s.sources) for s in brief.summary)
    assert str(escape(brief.summary[0].text)) in html
    if brief.figures:
        from newsdesk.report import figure_rows

        assert '<table class="figures"' in html
        if any(r.update or r.conflict for r in figure_rows(brief)):
            assert 'class="plot figures-plot"' in html
    if brief.conflicts:
        assert "sources disagree" in html and 'class="disputed"' in html
    if brief.timeline:
        assert 'class="plot timeline-plot"' in html
    if brief.background:  # events from before the story, apart, periods by name
        assert 'id="background"' in html and all(str(escape(e.when)) in html for e in brief.background)
    for a in brief.articles:
        assert f'href="/articles/{a.id}"' in html


def test_story_with_conflict_highlights_it(client, desk):
    with Store(desk, readonly=True) as store:
        briefs = [store.brief(r.id) for r in store.stories()]
    conflicted = [b for b in briefs if b and b.conflicts]
    assert conflicted, "the demo corpus plants conflicting figures"
    b = conflicted[0]
    html = client.get(f"/stories/{b.story_id}").text
    assert html.count('class="conflict"') >= len({c.measure for c in b.conflicts})


def test_article_page(client, demo_articles):
    a = demo_articles[0]
    r = client.get(f"/articles/{a.id}")
    assert r.status_code == 200
    assert "Part of <a href=\"/stories/" in r.text
    first_para = next(p for p in a.text.split("\n") if p.strip())
    from markupsafe import escape

    assert str(escape(first_para.strip())) in r.text


def test_search_page_finds_a_story(client, desk):
    r = client.get("/search", params={"q": "Pelmont harbour"})
    assert r.status_code == 200
    assert 'href="/articles/hostile/1.txt"' in r.text or 'href="/stories/' in r.text
    assert "Nothing found" not in r.text
    assert "Nothing found" in client.get("/search", params={"q": "zzqxjv"}).text


def test_missing_pages_are_404_html(client):
    for url in ("/stories/nope", "/articles/nope", "/no/such/page"):
        r = client.get(url)
        assert r.status_code == 404 and "text/html" in r.headers["content-type"], url


def test_security_headers_on_every_response(client):
    for url in ("/", "/static/style.css", "/api/health", "/stories/nope", "/api/stories/nope", "/openapi.json"):
        h = client.get(url).headers
        assert h["content-security-policy"] == CSP, url
        assert h["x-content-type-options"] == "nosniff"
        assert h["referrer-policy"] == "no-referrer"


def test_head_is_answered_like_get_without_a_body(client, desk):
    with Store(desk, readonly=True) as store:
        story = store.stories()[0].id
    for url in ("/", f"/stories/{story}", "/api/stories", "/api/health", "/static/style.css", "/stories/nope"):
        got, head = client.get(url), client.head(url)
        assert head.status_code == got.status_code, url
        assert head.content == b"", url
        assert head.headers["content-type"] == got.headers["content-type"], url
        assert head.headers["content-security-policy"] == CSP, url
    assert client.head("/api/articles").status_code == 405  # POST-only stays POST-only


def test_hostile_article_is_escaped_everywhere(client, hostile_story):
    pages = [client.get(u).text for u in (
        "/", f"/stories/{hostile_story}", "/articles/hostile/1.txt", "/articles/hostile/2.txt",
        "/search?q=" + "harbour", "/search?q=" + PAYLOAD)]
    for html in pages:
        assert_inert(html)
    story = pages[1]
    assert "&lt;script&gt;" in story or "&lt;img" in story  # shown as text, not dropped
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in pages[2]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=st.text(min_size=1, max_size=40))
def test_search_never_fails_and_stays_inert(client, q):
    r = client.get("/search", params={"q": q})
    assert r.status_code in (200, 422)
    if r.status_code == 200:
        assert_inert(r.text)
    a = client.get("/api/search", params={"q": q})
    assert a.status_code in (200, 422)
    if a.status_code == 200:
        assert all(set(h) == {"kind", "id", "story_id", "title", "snippet"} for h in a.json()["hits"])


# --- JSON API ---------------------------------------------------------------------------------------------------

ARTICLE_KEYS = {"id", "title", "text", "source", "url", "published", "author", "duplicate_of"}
BRIEF_KEYS = {"id", "headline", "articles", "summary", "entities", "figures", "conflicts", "timeline", "quotes",
              "outlets"}


def test_api_stories_and_brief_mirror_the_cli(client, desk):
    data = client.get("/api/stories").json()
    assert data["total"] == len(data["stories"])
    first = data["stories"][0]
    assert set(first) == {"id", "headline", "articles", "outlets", "latest", "topic", "state"}
    b = client.get(f"/api/stories/{first['id']}").json()
    assert BRIEF_KEYS <= set(b)
    with Store(desk, readonly=True) as store:
        assert b == json.loads(json.dumps(store.brief(first["id"]).to_json()))
    for a in b["articles"]:
        assert ARTICLE_KEYS - {"text"} <= set(a) and "text" not in a
    assert client.get("/api/stories", params={"limit": 2, "offset": 1}).json()["stories"] == data["stories"][1:3]


def test_api_article(client, demo_articles):
    a = demo_articles[0]
    got = client.get(f"/api/articles/{a.id}").json()
    assert ARTICLE_KEYS <= set(got)
    assert got["text"] == a.text and got["id"] == a.id and got["story"]


def test_api_404_and_validation(client):
    r = client.get("/api/stories/nope")
    assert r.status_code == 404 and "nope" in r.json()["detail"]
    assert client.get("/api/articles/nope").status_code == 404
    assert client.get("/api/stories", params={"limit": 0}).status_code == 422
    assert client.get("/api/search").status_code == 422


def test_api_search_and_health(client):
    hits = client.get("/api/search", params={"q": "harbour fire"}).json()["hits"]
    assert any(h["id"] == "hostile/1.txt" for h in hits)
    assert all("<" not in h["snippet"] or "&lt;" not in h["snippet"] for h in hits)  # plain text, not HTML
    h = client.get("/api/health").json()
    assert h["status"] == "ok" and h["counts"]["articles"] >= 22 and h["write"] is False


def test_openapi_schema(client):
    spec = client.get("/openapi.json").json()
    paths = spec["paths"]
    for p in ("/api/stories", "/api/stories/{story_id}", "/api/articles/{article_id}", "/api/search", "/api/health"):
        assert p in paths, p
    brief = spec["components"]["schemas"]["BriefModel"]["properties"]
    assert BRIEF_KEYS <= set(brief)
    assert not [p for p in paths if not p.startswith("/api/")], "pages stay out of the API schema"


def test_write_endpoint_off_by_default(client):
    r = client.post("/api/articles", json={"id": "x", "text": "Some text."})
    assert r.status_code == 403


def test_write_needs_a_token(tmp_path, demo_articles, nlp):
    with pytest.raises(OptionsError):
        create_app(tmp_path / "a.sqlite", allow_write=True)
    path = tmp_path / "w.sqlite"
    app = create_app(path, allow_write=True, token="s3cret", nlp_factory=lambda: nlp)
    with TestClient(app) as c:
        new = {"id": "new/1", "title": "Quiet day", "source": "Test Wire", "published": "2024-05-20",
               "text": "Nothing much happened in the quiet town of Orvale on Monday, residents said. "
                       "The mayor of Orvale said the town council would meet again next week."}
        assert c.post("/api/articles", json=new).status_code == 401
        assert c.post("/api/articles", json=new, headers={"Authorization": "Bearer wrong"}).status_code == 401
        r = c.post("/api/articles", json=new, headers={"Authorization": "Bearer s3cret"})
        assert r.status_code == 200, r.text
        out = r.json()
        assert out["added"] == ["new/1"] and out["rebriefing"] == out["changed_stories"]
        assert app.state.rebriefer.wait(120) and c.get("/api/health").json()["rebriefing"] == 0
        again = c.post("/api/articles", json=[new], headers={"Authorization": "Bearer s3cret"}).json()
        assert again["unchanged"] == ["new/1"] and again["added"] == []
        assert c.get("/api/articles/new/1").json()["title"] == "Quiet day"
        sid = out["changed_stories"][0]
        assert c.get(f"/api/stories/{sid}").status_code == 200
        bad = c.post("/api/articles", content=b"not json at all {", headers={"Authorization": "Bearer s3cret"})
        assert bad.status_code == 422


def test_bad_store_file_is_a_clear_error(tmp_path):
    from newsdesk.errors import StoreError

    bad = tmp_path / "junk.sqlite"
    bad.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StoreError, match="junk.sqlite"):
        create_app(bad)


def test_store_object_is_accepted(desk):
    with Store(desk, readonly=True) as store, TestClient(create_app(store)) as c:
        assert c.get("/api/health").json()["counts"] == store.counts()
        assert c.get("/").status_code == 200


def test_render_cache_is_bounded_and_keyed_by_store_version(tmp_path, desk):
    from newsdesk.web import RenderCache, StoreAccess

    c = RenderCache(2)
    for i in range(3):
        c.put(("k", i, (1,)), i)
    assert c.get(("k", 0, (1,))) is None and c.get(("k", 2, (1,))) == 2
    c.put(("k", 9, None), 9)
    assert c.get(("k", 9, None)) is None, "no stamp, no caching"
    import shutil

    copy = tmp_path / "copy.sqlite"
    shutil.copy(desk, copy)
    access = StoreAccess(copy, DEFAULT_OPTIONS)
    before = access.stamp()
    with Store(copy) as store:
        store.add([Article(id="late/1", text="A late report about something else entirely, filed on Friday.",
                           title="Late report")])
    assert access.stamp() != before, "a commit changes the stamp, so cached pages are not served stale"
    access.close()


def test_story_page_served_from_cache_matches_fresh_render(desk, hostile_story):
    cached = TestClient(create_app(desk))
    fresh = TestClient(create_app(desk, cache_size=0))
    for _ in range(2):
        assert cached.get(f"/stories/{hostile_story}").text == fresh.get(f"/stories/{hostile_story}").text
        assert cached.get(f"/api/stories/{hostile_story}").json() == fresh.get(f"/api/stories/{hostile_story}").json()


def test_missing_web_extra_names_it(monkeypatch, desk):
    import sys

    from newsdesk.errors import MissingExtraError

    monkeypatch.setitem(sys.modules, "fastapi", None)  # as if not installed
    with pytest.raises(MissingExtraError, match=r"newsdesk\[web\]"):
        create_app(desk)


def test_cli_serve_refuses_bad_setups(tmp_path, desk):
    from typer.testing import CliRunner

    from newsdesk.cli import app

    r = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.sqlite")])
    assert r.exit_code == 2 and "none.sqlite" in r.output
    r = CliRunner().invoke(app, ["serve", "--db", str(desk), "--allow-write"])
    assert r.exit_code == 2 and "--token" in r.output


_texts = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=60)
_dates = st.dates(min_value=datetime.date(1900, 1, 1)).map(lambda d: d.isoformat()) | \
    st.integers(1900, 2100).map(str)


@settings(max_examples=60, deadline=None)
@given(events=st.lists(st.tuples(_dates, _texts), max_size=12),
       figures=st.lists(st.tuples(_texts, st.floats(0, 1e9, allow_nan=False), _texts, _texts), max_size=8))
def test_plots_are_wellformed_svg_whatever_the_text(events, figures):
    """Any text and numbers give well-formed SVG with the data only as text (no element or attribute from it)."""
    import xml.etree.ElementTree as ET

    from newsdesk.models import Brief, Conflict, Figure, TimelineEvent
    from newsdesk.web import plots

    tl = plots.timeline_svg([TimelineEvent(d, t, ("a",)) for d, t in events])
    from newsdesk.report import figure_rows

    brief = Brief("s", "h", (), figures=tuple(Figure(m, v, t, (src,), as_of=src[:10] or None)
                                              for m, v, t, src in figures),
                  conflicts=tuple(Conflict(m, ()) for m, *_ in figures[:1]))
    rows = figure_rows(brief)
    fg = plots.figures_svg(rows, plots.figure_values(brief))
    allowed = {"svg", "line", "text", "circle", "title", "rect"}
    for svg in (str(tl), str(fg)):
        if not svg:
            continue
        root = ET.fromstring(svg)
        for el in root.iter():
            assert el.tag.split("}")[-1] in allowed
            assert not [k for k in el.attrib if k.lower().startswith("on") or k == "style"]
    assert len(rows) == len({m for m, *_ in figures})
