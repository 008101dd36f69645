"""The live desk on the web (#19): Atom feeds (validated by feedparser), editions, topic pages, versions, since=."""

from __future__ import annotations

import datetime as dt

import pytest

pytest.importorskip("fastapi")
feedparser = pytest.importorskip("feedparser")

from fastapi.testclient import TestClient  # noqa: E402

import newsdesk  # noqa: E402
from newsdesk.store import Store  # noqa: E402
from newsdesk.web import create_app  # noqa: E402


@pytest.fixture(scope="module")
def grown(tmp_path_factory, demo_articles, nlp):
    """A store briefed twice: every story but one article, then the rest."""
    path = tmp_path_factory.mktemp("live") / "d.sqlite"
    big = max(newsdesk.cluster(demo_articles), key=lambda s: len(s.article_ids))
    late = big.article_ids[-1]
    with Store(path) as st:
        st.add([a for a in demo_articles if a.id != late])
        st.refresh(nlp)
        st.add([a for a in demo_articles if a.id == late])
        st.refresh(nlp)
        sid = st.story_of(late)
    return path, sid


@pytest.fixture(scope="module")
def client(grown):
    with TestClient(create_app(grown[0]), base_url="http://localhost") as c:
        yield c


def _valid(body: bytes):
    d = feedparser.parse(body)
    assert not d.bozo, d.get("bozo_exception")
    assert d.version == "atom10"
    return d


def test_feed_atom_is_valid_with_stable_permalinks(client, grown):
    r = client.get("/feed.atom")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/atom+xml")
    d = _valid(r.content)
    with Store(grown[0], readonly=True) as st:
        n = len(st.stories(limit=1000))
    assert len(d.entries) == n
    ids = [e.id for e in d.entries]
    assert len(set(ids)) == n and all(i.startswith("urn:newsdesk:story:s") for i in ids)
    assert d.entries[0].id == f"urn:newsdesk:story:{grown[1]}"  # the story changed last comes first
    assert all(e.link.endswith("/stories/" + e.id.rsplit(":", 1)[1]) for e in d.entries)
    assert all(e.updated_parsed and e.summary for e in d.entries)
    assert _valid(client.get("/feed.atom").content).entries[0].id == ids[0]  # stable across requests


def test_story_feed_lists_its_versions(client, grown):
    sid = grown[1]
    d = _valid(client.get(f"/stories/{sid}/feed.atom").content)
    assert [e.id for e in d.entries] == [f"urn:newsdesk:story:{sid}:v2", f"urn:newsdesk:story:{sid}:v1"]
    assert "New story." in d.entries[1].summary
    assert client.get("/stories/nope/feed.atom").status_code == 404


def test_versions_api_and_story_page_show_what_changed(client, grown):
    sid = grown[1]
    j = client.get(f"/api/stories/{sid}/versions").json()
    assert [v["version"] for v in j["versions"]] == [1, 2]
    assert j["versions"][1]["changes"]["new_articles"]
    page = client.get(f"/stories/{sid}").text
    assert "What changed since version 1" in page and f"/stories/{sid}/feed.atom" in page
    assert client.get(f"/api/stories/{sid}").json()["id"] == sid  # the BRIEF route still answers


def test_since_for_incremental_clients(client, grown):
    all_rows = client.get("/api/stories").json()["stories"]
    assert all(r["topic"] and r["state"] in ("developing", "quiet") for r in all_rows)
    v = client.get(f"/api/stories/{grown[1]}/versions").json()["versions"]
    first_refresh = max(client.get(f"/api/stories/{r['id']}/versions").json()["versions"][0]["computed_at"]
                        for r in all_rows)
    newer = client.get("/api/stories", params={"since": first_refresh}).json()["stories"]
    assert [r["id"] for r in newer] == [grown[1]]
    later = (dt.datetime.fromisoformat(v[1]["computed_at"]) + dt.timedelta(seconds=1)).isoformat()
    assert client.get("/api/stories", params={"since": later}).json()["stories"] == []
    assert client.get("/api/stories", params={"since": "last week"}).status_code == 422


def test_edition_page_and_api(client, grown):
    j = client.get("/api/edition", params={"since": "12h"}).json()
    assert j["stories"] and grown[1] in [s["id"] for s in j["stories"]]
    html = client.get("/edition?since=12h").text
    assert j["stories"][0]["headline"] in html.replace("&#39;", "'").replace("&amp;", "&")
    assert client.get("/api/edition", params={"since": "soon"}).status_code == 422


def test_topic_pages(client):
    rows = client.get("/api/stories").json()["stories"]
    topic = rows[0]["topic"]
    j = client.get(f"/api/topics/{topic}").json()
    assert rows[0]["id"] in [s["id"] for s in j["stories"]]
    assert client.get(f"/topics/{topic}").status_code == 200
    assert client.get("/topics/tnope").status_code == 404
