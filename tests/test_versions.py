"""Versioned briefs (what changed since the previous version) and editions (#19)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

import newsdesk
from newsdesk.cli import app
from newsdesk.edition import build_edition, change_lines, parse_period
from newsdesk.errors import InputError
from newsdesk.store import Store
from newsdesk.versions import changed_nothing, diff_briefs

V1 = {"articles": [{"id": "a", "source": "Wire", "published": "2021-03-01"}],
      "summary": [{"text": "A ferry sank off the coast.", "sources": ["a"]}],
      "figures": [{"measure": "killed", "value": 12, "qualifier": None, "text": "12 people died", "sources": ["a"]}],
      "quotes": [{"speaker": "Ana Ruiz", "role": None, "text": "We saw it tilt", "sources": ["a"]}]}
V2 = {"articles": [{"id": "a", "source": "Wire", "published": "2021-03-01"},
                   {"id": "b", "source": "Daily", "published": "2021-03-02"}],
      "summary": [{"text": "A ferry  sank off the coast.", "sources": ["a", "b"]},
                  {"text": "Divers found the hull on Tuesday.", "sources": ["b"]}],
      "figures": [{"measure": "killed", "value": 15, "qualifier": "at least", "text": "at least 15 died",
                   "sources": ["b"]},
                  {"measure": "rescued", "value": 40, "qualifier": None, "text": "40 were rescued", "sources": ["b"]}],
      "quotes": [{"speaker": "Ana Ruiz", "role": None, "text": "We saw it tilt", "sources": ["a"]},
                 {"speaker": None, "role": "a diver", "text": "It lies on its side", "sources": ["b"]}]}


def test_diff_names_new_facts_dated_figure_updates_and_new_quotes():
    d = diff_briefs(V1, V2)
    assert not d["first"] and d["new_articles"] == ["b"]
    assert [f["text"] for f in d["new_facts"]] == ["Divers found the hull on Tuesday."]  # whitespace ignored
    assert d["new_facts"][0]["outlets"] == ["Daily"]
    (up,) = d["updated_figures"]
    assert (up["measure"], up["old_value"], up["value"], up["date"]) == ("killed", 12, 15, "2021-03-02")
    assert [f["measure"] for f in d["new_figures"]] == ["rescued"]
    assert [q["text"] for q in d["new_quotes"]] == ["It lies on its side"]
    lines = change_lines(d)
    assert any(line.startswith("Updated (2021-03-02): killed 12 → 15") for line in lines)
    assert changed_nothing(diff_briefs(V2, V2)) and diff_briefs(None, V1)["first"]


def test_parse_period():
    assert parse_period("12h") == dt.timedelta(hours=12)
    assert parse_period("30m") == dt.timedelta(minutes=30)
    assert parse_period("2d") == dt.timedelta(days=2)
    with pytest.raises(InputError):
        parse_period("yesterday")


@pytest.fixture(scope="module")
def grown(tmp_path_factory, demo_articles, nlp):
    """A store briefed twice: every story but one article, then the rest."""
    path = tmp_path_factory.mktemp("versions") / "d.sqlite"
    stories = newsdesk.cluster(demo_articles)
    big = max(stories, key=lambda s: len(s.article_ids))
    late = big.article_ids[-1]
    with Store(path) as st:
        st.add([a for a in demo_articles if a.id != late])
        st.refresh(nlp)
        st.add([a for a in demo_articles if a.id == late])
        st.refresh(nlp)
    return path, late


def test_store_keeps_versions_with_changes(grown):
    path, late = grown
    with Store(path, readonly=True) as st:
        sid = st.story_of(late)
        vs = st.versions(sid, with_brief=True)
        assert [v.version for v in vs] == [1, 2]
        assert vs[0].changes["first"] and not vs[1].changes["first"]
        assert late in vs[1].changes["new_articles"]
        assert vs[1].brief is not None and late in [a["id"] for a in vs[1].brief["articles"]]
        assert st.latest_version(sid).version == 2
        others = [r.id for r in st.stories(limit=100) if r.id != sid]
        assert all(len(st.versions(o)) == 1 for o in others)  # unchanged stories keep one version
        assert st.stories(since=vs[1].computed_at) == []
        assert sid in [r.id for r in st.stories(since=vs[0].computed_at)]


def test_edition_ranks_stories_of_the_period(grown):
    path, late = grown
    with Store(path, readonly=True) as st:
        ed = build_edition(st, dt.timedelta(hours=1))
        sid = st.story_of(late)
        empty = build_edition(st, dt.timedelta(hours=1), dt.datetime(2000, 1, 1, tzinfo=dt.UTC))
    assert ed.items and not empty.items
    assert [i.score for i in ed.items] == sorted((i.score for i in ed.items), reverse=True)
    assert sid in [i.story_id for i in ed.items]
    top = ed.items[0]
    assert top.headline and top.lead and top.outlets >= 1 and 0 < top.novelty <= 1
    j = ed.to_json()
    assert j["stories"][0]["id"] == top.story_id and "changes" in j["stories"][0]
    assert top.headline in ed.to_markdown() and "<script" not in ed.to_html()


def test_edition_command(grown):
    path, _ = grown
    runner = CliRunner()
    r = runner.invoke(app, ["edition", "--db", str(path), "--since", "12h", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["stories"]
    r = runner.invoke(app, ["edition", "--db", str(path), "--since", "12h", "--md"])
    assert r.exit_code == 0 and r.stdout.startswith("# Edition")
    r = runner.invoke(app, ["edition", "--db", str(path), "--since", "soon"])
    assert r.exit_code == 2
