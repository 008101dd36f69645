"""The server under hostile requests (issue #18: F5 body limit, F6 no 500s, F7 JSON Lines, F11 Host check)
and the write path (stored at once, briefs recomputed in the background)."""

from __future__ import annotations

import asyncio
import json
import threading

import pytest

pytest.importorskip("fastapi")

from fastapi.testclient import TestClient  # noqa: E402
from hostile import GOOD, GOOD_TEXT  # noqa: E402

from newsdesk.store import Store  # noqa: E402
from newsdesk.web import HostCheck, create_app  # noqa: E402
from newsdesk.web.api import MAX_POST_BYTES  # noqa: E402

AUTH = {"Authorization": "Bearer s3cret"}
MB = 1_000_000


@pytest.fixture()
def writable(tmp_path, nlp):
    app = create_app(tmp_path / "w.sqlite", allow_write=True, token="s3cret", nlp_factory=lambda: nlp)
    with TestClient(app, base_url="http://localhost") as c:
        yield app, c


def line(**fields) -> str:
    return json.dumps({"text": GOOD_TEXT, **fields})


# --- F5: the body limit holds while the body streams in ------------------------------------------------------

def call_asgi(app, headers: list[tuple[bytes, bytes]], chunks, total_chunks: int) -> tuple[int, int]:
    """POST /api/articles straight into the ASGI app, the body as ``total_chunks`` chunks; returns
    (status, bytes the app pulled from the body)."""
    pulled = 0
    sent = 0
    status = 0

    async def receive():
        nonlocal pulled, sent
        if sent >= total_chunks:
            return {"type": "http.disconnect"}
        sent += 1
        pulled += len(chunks)
        return {"type": "http.request", "body": chunks, "more_body": sent < total_chunks}

    async def send(message):
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
             "scheme": "http", "path": "/api/articles", "raw_path": b"/api/articles", "query_string": b"",
             "root_path": "", "headers": [(b"host", b"localhost"), *headers], "client": ("127.0.0.1", 1),
             "server": ("127.0.0.1", 80), "state": {}}
    asyncio.run(app(scope, receive, send))
    return status, pulled


def test_f5_a_1gb_chunked_post_is_refused_having_read_at_most_6mb(writable):
    app, _ = writable
    status, pulled = call_asgi(app, [(b"authorization", b"Bearer s3cret"), (b"transfer-encoding", b"chunked")],
                               b"[" + b" " * (MB - 1), total_chunks=1000)  # 1 GB offered
    assert status == 413
    assert pulled <= 6 * MB, pulled
    assert pulled > MAX_POST_BYTES  # it did stream up to the limit


def test_f5_a_declared_large_body_is_refused_before_reading(writable):
    app, _ = writable
    status, pulled = call_asgi(app, [(b"authorization", b"Bearer s3cret"), (b"content-length", b"1000000000")],
                               b" " * MB, total_chunks=1000)
    assert status == 413 and pulled == 0


def test_f5_unauthenticated_bodies_are_never_read(writable):
    app, _ = writable
    status, pulled = call_asgi(app, [(b"transfer-encoding", b"chunked")], b" " * MB, total_chunks=1000)
    assert status == 401 and pulled == 0


# --- F6, F7: no 500s; JSON Lines accepted ---------------------------------------------------------------------

@pytest.mark.parametrize("query", ["offset=10000000000000000000", "offset=-1", "limit=100000000000000000000",
                                   "limit=0", "offset=abc"])
def test_f6_bounded_query_parameters(writable, query):
    _, c = writable
    r = c.get(f"/api/stories?{query}")
    assert r.status_code == 422, r.text
    assert c.get("/?page=10000000000000000000").status_code == 422


def test_f6_f7_hostile_lines_beside_a_good_one(writable):
    app, c = writable
    body = "\n".join([line(id="good-a", title="Harbour strike"), "[" * 100_000,
                      '{"id": "big", "text": "x", "n": ' + "9" * 5000 + "}",
                      line(id="sur", title="Lone surrogate").replace("Lone", "Lone \\ud800")])
    r = c.post("/api/articles", content=body.encode(), headers=AUTH)
    assert r.status_code == 200, r.text
    out = r.json()
    assert out["added"] == ["good-a", "sur"]
    assert [s.split(":")[0] for s in out["skipped"]] == ["<stdin>#2", "<stdin>#3"]
    assert "nested too deeply" in out["skipped"][0] and "5000 digits" in out["skipped"][1]
    assert "\ufffd" in c.get("/api/articles/sur").json()["title"]


def test_f6_a_whole_body_of_nesting_or_surrogates_is_not_a_500(writable):
    _, c = writable
    assert c.post("/api/articles", content=b"[" * 200_000, headers=AUTH).status_code == 422
    assert c.post("/api/articles", content=b"{" * 200_000, headers=AUTH).status_code == 422
    r = c.post("/api/articles", content=b'{"id": "s", "text": "' + GOOD_TEXT.encode() + b' \\udfff"}', headers=AUTH)
    assert r.status_code == 200 and r.json()["added"] == ["s"]


def test_f7_json_lines_and_a_pretty_printed_object(writable):
    _, c = writable
    body = line(id="l1", title="One") + "\n" + line(id="l2", title="Two") + "\n"
    r = c.post("/api/articles", content=body.encode(), headers=AUTH)
    assert r.status_code == 200, r.text
    assert r.json()["added"] == ["l1", "l2"]
    pretty = json.dumps({**GOOD, "id": "pretty"}, indent=2)
    r = c.post("/api/articles", content=pretty.encode(), headers=AUTH)
    assert r.status_code == 200 and r.json()["added"] == ["pretty"]


# --- F11: the Host header ------------------------------------------------------------------------------------

@pytest.mark.parametrize("host, ok", [("localhost:8000", True), ("127.0.0.1:8000", True), ("[::1]:8000", True),
                                      ("192.168.1.20", True), ("app.localhost", True), ("desk.example.org", True),
                                      ("evil.example", False), ("localhost.evil.example", False), ("", False),
                                      ("evil.example:8000", False)])
def test_f11_host_header_allow_list(tmp_path, host, ok):
    with Store(tmp_path / "h.sqlite"):
        pass
    app = create_app(tmp_path / "h.sqlite", allowed_hosts=["127.0.0.1", "desk.example.org"])
    c = TestClient(app, base_url="http://localhost")
    r = c.get("/api/health", headers={"host": host})
    assert r.status_code == (200 if ok else 421), (host, r.text)
    if not ok:
        assert "Host" in r.json()["detail"] and r.headers["x-content-type-options"] == "nosniff"


def test_host_check_names():
    check = HostCheck(None, ["Desk.Example.org."])
    assert check.allows("desk.example.org:443") and check.allows("DESK.EXAMPLE.ORG")
    assert not check.allows("example.org") and not check.allows("[evil")


def test_cli_serve_passes_its_host_and_allowed_names(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    import newsdesk.web
    from newsdesk.cli import app as cli

    with Store(tmp_path / "d.sqlite"):
        pass
    seen = {}
    monkeypatch.setattr(newsdesk.web, "create_app", lambda *a, **k: seen.update(k))
    monkeypatch.setattr("uvicorn.run", lambda *a, **k: None)
    r = CliRunner().invoke(cli, ["serve", "--db", str(tmp_path / "d.sqlite"), "--host", "0.0.0.0",
                                 "--allow-host", "desk.lan"])
    assert r.exit_code == 0, r.output
    assert seen["allowed_hosts"] == ["0.0.0.0", "desk.lan"]


# --- briefs off the request path ------------------------------------------------------------------------------

def test_post_answers_before_the_rebrief_and_the_brief_follows(tmp_path, nlp):
    release = threading.Event()

    def slow_nlp():
        release.wait(60)  # the worker is held until the answer is checked
        return nlp

    app = create_app(tmp_path / "b.sqlite", allow_write=True, token="s3cret", nlp_factory=slow_nlp)
    with TestClient(app, base_url="http://localhost") as c:
        r = c.post("/api/articles", content=(line(id="a1", title="Harbour strike", source="Ostra Post") + "\n"
                                             + line(id="a2", title="Strike at Ostra", source="Coast Daily")).encode(),
                   headers=AUTH)
        assert r.status_code == 200, r.text
        out = r.json()
        sid = out["changed_stories"][0]
        assert out["rebriefing"] == out["changed_stories"]
        assert c.get(f"/api/stories/{sid}").status_code == 404  # not briefed yet: the answer did not wait
        assert c.get("/api/health").json()["rebriefing"] >= 1
        assert c.get("/api/articles/a1").status_code == 200  # stored and readable meanwhile
        release.set()
        assert app.state.rebriefer.wait(120)
        assert c.get(f"/api/stories/{sid}").json()["id"] == sid
        assert c.get("/api/health").json()["rebriefing"] == 0


def test_posts_without_ids_never_overwrite_each_other(writable):
    """The reader numbers id-less records within one body (``-#1``); two POSTs must not share those ids."""
    _, c = writable
    first = c.post("/api/articles", content=json.dumps({"title": "Harbour strike", "text": GOOD_TEXT}).encode(),
                   headers=AUTH)
    other = "Floods closed the coast road on Tuesday after the river burst its banks, the police said."
    second = c.post("/api/articles", content=(line(title="Old news") + "\n"
                                              + json.dumps({"title": "Coast road", "text": other})).encode(),
                    headers=AUTH)
    assert first.status_code == second.status_code == 200, second.text
    one, two = first.json(), second.json()
    assert len(one["added"]) == 1 and one["added"][0].startswith("post-")
    # the first line of the second body is the first body's article with another title: a new record
    assert two["updated"] == [] and len(two["added"]) == 2 and one["added"][0] not in two["added"]
    again = c.post("/api/articles", content=json.dumps({"title": "Harbour strike", "text": GOOD_TEXT}).encode(),
                   headers=AUTH).json()
    assert again["unchanged"] == one["added"] and again["added"] == []
    for aid in (*one["added"], *two["added"]):
        assert c.get(f"/api/articles/{aid}").status_code == 200
