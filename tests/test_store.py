"""The SQLite store: schema and migrations, idempotent and transactional ingest,
incremental clustering and briefing, full-text search, and a crash in the middle of ``add``."""

from __future__ import annotations

import datetime as dt
import json
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import newsdesk
import newsdesk.briefing
from newsdesk.briefing import nlp_rows
from newsdesk.cli import app
from newsdesk.errors import StoreError
from newsdesk.models import Brief, Sentence, SummarySentence
from newsdesk.options import Options
from newsdesk.store import MIGRATIONS, SCHEMA_VERSION, Store

# --- helpers -----------------------------------------------------------------------------------

TOPICS = ["harbour crane collapse", "orchard frost damage", "river ferry strike", "mountain rail tunnel",
          "city library fire", "desert solar farm", "island water shortage", "valley wine harvest",
          "airport runway closure", "forest beetle outbreak"]


def generated(n: int, start: int = 0) -> list[newsdesk.Article]:
    """``n`` small articles about ten distinct made-up topics (ids g0000, g0001, ...)."""
    out = []
    for k in range(start, start + n):
        topic = TOPICS[k % len(TOPICS)]
        w = topic.split()
        text = (f"The {topic} dominated the news today. Officials said the {w[0]} {w[1]} problem was serious "
                f"and that the {w[-1]} would be studied. Report number {k} adds that residents of the "
                f"{w[0]} district met on day {k % 7}. Experts on the {w[1]} {w[-1]} gave interviews {k}.")
        out.append(newsdesk.Article(id=f"g{k:04d}", text=text, title=f"{topic.title()}: update {k}",
                                    source=f"Outlet {k % 5}", published=dt.date(2024, 5, 1 + k % 3)))
    return out


def fake_brief(calls: list[str] | None = None, headline: str = "Stored headline"):
    """A cheap stand-in for ``api.brief_story`` that records which stories it briefs."""

    def brief_story(story, articles, options=None, *, nlp=None, progress=None):
        if calls is not None:
            calls.append(story.id)
        by_id = {a.id: a for a in articles}
        members = tuple(by_id[i] for i in story.article_ids)
        first = members[0]
        end = first.text.find(".") + 1 or len(first.text)
        sent = SummarySentence(Sentence(first.id, 0, end, first.text[:end]), (first.id,))
        return Brief(story.id, f"{headline} {story.id}", members, summary=(sent,))

    return brief_story


class NoNLP:
    def parse_many(self, articles, deep=True, progress=None):
        return []


# --- schema ------------------------------------------------------------------------------------

def test_new_store_has_schema_wal_and_foreign_keys(tmp_path):
    with Store(tmp_path / "d.sqlite") as s:
        assert s.version == SCHEMA_VERSION == len(MIGRATIONS)
        assert s._q("PRAGMA journal_mode")[0][0] == "wal"
        assert s._q("PRAGMA foreign_keys")[0][0] == 1
        names = {r[0] for r in s._q("SELECT name FROM sqlite_master")}
        assert {"articles", "stories", "briefs", "nlp", "articles_fts", "briefs_fts", "schema_version"} <= names
        assert s.counts() == {"articles": 0, "stories": 0, "outlets": 0, "briefs": 0}


def test_version_1_store_is_migrated_and_backfilled(tmp_path):
    path = tmp_path / "old.sqlite"
    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE schema_version (version INTEGER PRIMARY KEY, applied_at TEXT);"
                     + MIGRATIONS[0] + "INSERT INTO schema_version VALUES (1, 'then');"
                     "INSERT INTO batches VALUES (1, 'then', 1);"
                     "INSERT INTO stories (id, n_articles, n_outlets) VALUES ('s1', 1, 0);"
                     "INSERT INTO articles (seq, id, batch, content_hash, title, text, story_id) "
                     "VALUES (1, 'a1', 1, 'x', 'Gondolas return', 'The gondolas of the old town are back.', 's1');")
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="upgrade"):
        Store(path, readonly=True)
    with Store(path) as s:
        assert s.version == SCHEMA_VERSION
        assert [h.id for h in s.search("gondolas")] == ["a1"]  # FTS filled from the old rows
        assert s.check() == []
        # the old store grows on: a new article goes through the migrated schema
        s.add(generated(1))
        assert s.counts()["articles"] == 2


def test_bad_and_newer_files_raise_store_error_naming_the_file(tmp_path):
    junk = tmp_path / "junk.sqlite"
    junk.write_bytes(b"this is not a database at all" * 100)
    with pytest.raises(StoreError, match="junk.sqlite"):
        Store(junk)
    with pytest.raises(StoreError, match="missing.sqlite"):
        Store(tmp_path / "missing.sqlite", readonly=True)
    newer = tmp_path / "newer.sqlite"
    Store(newer).close()
    db = sqlite3.connect(newer)
    db.execute("INSERT INTO schema_version VALUES (?, 'future')", (SCHEMA_VERSION + 1,))
    db.commit()
    db.close()
    with pytest.raises(StoreError, match="newer"):
        Store(newer)


# --- ingest ------------------------------------------------------------------------------------

def test_add_is_idempotent_and_updates_changed_text(tmp_path, demo_articles):
    with Store(tmp_path / "d.sqlite") as s:
        first = s.add(demo_articles)
        assert set(first.added) == {a.id for a in demo_articles}
        assert first.duplicates  # the demo corpus plants copies
        before = s.counts()
        again = s.add(demo_articles)
        assert again.added == again.updated == again.changed_stories == ()
        assert set(again.unchanged) == {a.id for a in demo_articles}
        assert s.counts() == before
        a = demo_articles[0]
        changed = s.add([a.with_(text=a.text + "\n\nA late paragraph about the quokka census.")])
        assert changed.updated == (a.id,) and changed.changed_stories == (s.story_of(a.id),)
        assert s.counts() == before
        assert "quokka" in s.article(a.id).text
        assert [h.id for h in s.search("quokka")] == [a.id]
        # duplicates point at stored originals and share their story
        for aid in first.duplicates:
            dup = s.article(aid)
            assert dup.duplicate_of and s.story_of(dup.duplicate_of) == s.story_of(aid)
        assert s.check() == []


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(st.integers(0, 29), max_size=12), min_size=1, max_size=4))
def test_property_every_article_stored_once_in_one_story(batches):
    pool = generated(30)
    with tempfile.TemporaryDirectory() as d, Store(Path(d) / "p.sqlite") as s:
        seen: set[str] = set()
        for b in batches:
            r = s.add([pool[i] for i in b])
            assert not set(r.added) & seen
            seen |= {pool[i].id for i in b}
        assert s.counts()["articles"] == len(seen)
        assert sorted(a.id for a in s.articles()) == sorted(seen)
        members = [aid for row in s.stories(limit=1000) for aid in s.story(row.id).article_ids]
        assert sorted(members) == sorted(seen)  # exactly one story each
        assert s.check() == []


def test_failed_batch_leaves_the_store_as_before(tmp_path, demo_articles, monkeypatch):
    path = tmp_path / "d.sqlite"
    with Store(path) as s:
        s.add(demo_articles[:8])
        before = (s.counts(), [(r.id, r.articles) for r in s.stories(100)])
        real = Store._insert_article
        poisoned = demo_articles[12].id

        def failing(self, a, *args):
            if a.id == poisoned:
                raise sqlite3.OperationalError("disk I/O error")
            return real(self, a, *args)

        monkeypatch.setattr(Store, "_insert_article", failing)
        with pytest.raises(StoreError, match="disk I/O error"):
            s.add(demo_articles)
        assert (s.counts(), [(r.id, r.articles) for r in s.stories(100)]) == before
        assert s.check() == []
        monkeypatch.setattr(Store, "_insert_article", real)
        r = s.add(demo_articles)  # the same store object recovers (clusterer rebuilt)
        assert len(r.added) == len(demo_articles) - 8
    with Store(path) as s:
        assert s.counts()["articles"] == len(demo_articles) and s.check() == []


def test_one_article_that_breaks_the_batch_costs_only_itself(tmp_path, demo_articles, monkeypatch):
    path = tmp_path / "d.sqlite"
    with Store(path) as s:
        s.add(demo_articles[:8])
        real = Store._insert_article
        poisoned = demo_articles[12].id

        def failing(self, a, *args):
            if a.id == poisoned:
                raise RuntimeError("a bug that only this article meets")
            return real(self, a, *args)

        monkeypatch.setattr(Store, "_insert_article", failing)
        refused = []
        r = s.add(demo_articles, on_error=refused.append)
        assert r.skipped == (poisoned,) and len(refused) == 1 and refused[0].source.endswith(poisoned)
        assert "a bug that only this article meets" in refused[0].reason
        assert s.counts()["articles"] == len(demo_articles) - 1 and s.check() == []
        monkeypatch.setattr(Store, "_insert_article", real)
        assert s.add(demo_articles).added == (poisoned,)


# --- incremental clustering and briefing -------------------------------------------------------

def test_new_article_joins_its_story_and_only_that_brief_is_recomputed(tmp_path, demo_articles, monkeypatch):
    with Store(tmp_path / "full.sqlite") as full:
        full.add(demo_articles)
        big = max(full.stories(100), key=lambda r: r.articles)
        story = full.story(big.id)
    originals = [a.id for a in full_articles(demo_articles) if a.id in story.article_ids]
    held = originals[-1]
    calls: list[str] = []
    monkeypatch.setattr(newsdesk.briefing, "brief_story", fake_brief(calls))
    with Store(tmp_path / "inc.sqlite") as s:
        s.add([a for a in demo_articles if a.id != held])
        first = s.refresh(nlp=NoNLP())
        assert sorted(first) == sorted(calls) == sorted(r.id for r in s.stories(100))
        others = {r.id: s._q("SELECT json, computed_at FROM briefs WHERE story_id = ?", (r.id,))
                  for r in s.stories(100) if r.id != big.id}
        calls.clear()
        assert s.refresh(nlp=NoNLP()) == [] and calls == []  # nothing dirty
        r = s.add([a for a in demo_articles if a.id == held])
        assert r.added == (held,) and r.changed_stories == (big.id,)  # same story id as the one-go run
        assert s.refresh(nlp=NoNLP()) == [big.id] and calls == [big.id]
        assert held in {a.id for a in s.brief(big.id).articles}
        for sid, row in others.items():  # untouched
            assert s._q("SELECT json, computed_at FROM briefs WHERE story_id = ?", (sid,)) == row
        # other options (a new word budget) make every brief stale
        s.options = s.options.replace(words=42)
        assert sorted(s.refresh(nlp=NoNLP())) == sorted([*others, big.id])
        assert sorted(calls[1:]) == sorted([*others, big.id])


def test_a_failing_brief_leaves_its_story_dirty_and_the_others_done(tmp_path, demo_articles, monkeypatch):
    with Store(tmp_path / "d.sqlite") as s:
        s.add(demo_articles)
        bad = s.stories(100)[0].id
        ok = fake_brief()

        def flaky(story, articles, options=None, **kw):
            if story.id == bad:
                raise RuntimeError("parser crashed")
            return ok(story, articles, options, **kw)

        monkeypatch.setattr(newsdesk.briefing, "brief_story", flaky)
        done = s.refresh(nlp=NoNLP())
        assert bad not in done and len(done) == s.counts()["stories"] - 1
        assert s.dirty() == [bad] and s.brief(bad) is None


def full_articles(articles):
    return [a for a in newsdesk.dedupe(articles) if a.duplicate_of is None]


def test_story_ids_are_stable_across_runs(tmp_path):
    pool = generated(40)
    runs = []
    for name in ("a", "b"):
        with Store(tmp_path / f"{name}.sqlite") as s:
            s.add(pool[:25])
        with Store(tmp_path / f"{name}.sqlite") as s:  # a new process: the clusterer is replayed
            s.add(pool[25:])
            runs.append(sorted((r.id, s.story(r.id).article_ids) for r in s.stories(100)))
    assert runs[0] == runs[1]
    assert len(runs[0]) == len(TOPICS)  # ten made-up topics, ten stories


def test_seeded_clusterer_equals_a_replay(tmp_path, demo_articles):
    from newsdesk.store import _seed, replay_clusterer

    pool = generated(45)
    with Store(tmp_path / "d.sqlite") as s:
        s.add(pool[:20])
        s.add(demo_articles)  # duplicates and real stories too
        s.add(pool[20:40])
        batches = [[(a, s.story_of(a.id)) for a in s.articles()
                    if s._q("SELECT batch FROM articles WHERE id = ?", (a.id,))[0][0] == b]
                   for b in (1, 2, 3)]
    replayed = replay_clusterer(newsdesk.DEFAULT_OPTIONS, batches)
    seeded = newsdesk.Clusterer()
    _seed(seeded, batches)
    for name in ("_story_ids", "_members", "_story_of", "_rows_of_story", "_story_of_row", "_postings", "_n",
                 "_n_rows"):
        assert getattr(seeded, name) == getattr(replayed, name), name
    assert (seeded._df == replayed._df).all() and (seeded._mat.whole() != replayed._mat.whole()).nnz == 0
    np.testing.assert_array_equal(seeded._days, replayed._days)  # NaN for undated articles
    assert seeded.add(pool[40:]) == replayed.add(pool[40:])


def test_real_brief_is_stored_and_read_back(tmp_path, demo_articles, nlp):
    with Store(tmp_path / "d.sqlite") as s:
        s.add(demo_articles)
        sid = min(s.stories(100), key=lambda r: r.articles).id  # the smallest story: quick
        story = s.story(sid)
        b = newsdesk.brief_story(story, s.articles(story.article_ids), nlp=nlp)
        s._save_brief(b, "k", nlp_rows(nlp, s.articles(story.article_ids)))
        back = s.brief(sid)
        assert back.to_json() == b.to_json()
        assert back.summary == b.summary  # spans survive, not just the text
        assert back.articles[0].text  # full articles, not the text-less contract objects
        assert s._q("SELECT count(*) FROM nlp")[0][0] >= 1


def test_brief_from_json_round_trips(demo_briefs, demo_articles):
    for b in demo_briefs:
        again = Brief.from_json(b.to_json(), demo_articles)
        assert again.to_json() == b.to_json()
        for s in again.summary:  # spans found in the source text
            src = next(a for a in demo_articles if a.id == s.sentence.article_id)
            assert src.text[s.sentence.start:s.sentence.end] == s.text


# --- search and listing ------------------------------------------------------------------------

def test_search_titles_summaries_and_hostile_input(tmp_path, demo_articles, monkeypatch):
    monkeypatch.setattr(newsdesk.briefing, "brief_story", fake_brief(headline="Marmalade"))
    with Store(tmp_path / "d.sqlite") as s:
        s.add(demo_articles)
        s.refresh(nlp=NoNLP())
        title_word = max(demo_articles[3].title.split(), key=len).strip(",.:;'\"")
        hits = s.search(title_word)
        assert any(h.kind == "article" and h.id == demo_articles[3].id for h in hits)
        story_hits = [h for h in s.search("marmalade") if h.kind == "story"]
        assert len(story_hits) == s.counts()["stories"]
        summary_word = max(s.brief(story_hits[0].id).summary[0].text.split(), key=len).strip(",.:;'\"“”")
        assert any(h.kind == "story" for h in s.search(summary_word))
        for bad in ['"AND OR (', "NEAR(", "*", "", "   ", "'", "title:x", '"""', "a AND", "-x ^y"]:
            for h in s.search(bad):
                assert "<" not in h.snippet and h.title
        rows = s.stories(100)
        dates = [r.latest for r in rows if r.latest]
        assert dates == sorted(dates, reverse=True)  # newest first
        assert sum(r.articles for r in rows) == len(demo_articles)
        assert s.stories(2, 1) == rows[1:3]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(max_size=40))
def test_property_search_never_raises(searchable, q):
    for h in searchable.search(q):
        assert h.kind in ("article", "story")


@pytest.fixture(scope="module")
def searchable(tmp_path_factory):
    s = Store(tmp_path_factory.mktemp("search") / "s.sqlite")
    s.add(generated(20))
    yield s
    s.close()


# --- CLI ---------------------------------------------------------------------------------------

def test_cli_add_and_brief_with_db(tmp_path, demo_dir, monkeypatch):
    monkeypatch.setattr(newsdesk.briefing, "brief_story", fake_brief())
    db = str(tmp_path / "c.sqlite")
    runner = CliRunner()
    r = runner.invoke(app, ["add", str(demo_dir), "--db", db, "--no-brief", "--json", "--batch-size", "5"])
    assert r.exit_code == 0, r.output
    got = json.loads(r.stdout)
    assert got["counts"]["articles"] == 20 and got["briefed"] == []
    r = runner.invoke(app, ["brief", str(demo_dir), "--db", db, "--json"])
    assert r.exit_code == 0, r.output
    stories = json.loads(r.stdout)["stories"]
    assert sorted(a["id"] for b in stories for a in b["articles"]) == sorted(
        a.id for a in Store(db).articles())
    r = runner.invoke(app, ["add", str(demo_dir), "--db", str(tmp_path / "nope" / "x.sqlite")])
    assert r.exit_code == 2 and "x.sqlite" in r.output


# --- faults ------------------------------------------------------------------------------------

SLOW_ADD = """
import sys, time
from newsdesk.store import Store
add = Store.add
def slow_add(self, *args, **kwargs):
    result = add(self, *args, **kwargs)
    time.sleep(0.5)
    return result
Store.add = slow_add
from newsdesk.cli import app
sys.exit(app(sys.argv[1:]))
"""


def test_sigkill_during_add_loses_nothing_committed(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    with corpus.open("w") as f:
        for a in generated(200):
            f.write(json.dumps({"id": a.id, "title": a.title, "text": a.text, "source": a.source,
                                "published": a.published.isoformat()}) + "\n")
    db = tmp_path / "f.sqlite"
    cmd = [sys.executable, "-m", "newsdesk", "-q", "add", str(corpus), "--db", str(db), "--no-brief",
           "--batch-size", "20"]
    # the same command, pausing after each committed batch (the kill lands there)
    slow = [sys.executable, "-c", SLOW_ADD, *cmd[3:]]
    proc = subprocess.Popen(slow, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    stored = 0
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and stored < 40:
            time.sleep(0.05)
            if db.exists():
                try:
                    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as c:
                        stored = c.execute("SELECT count(*) FROM articles").fetchone()[0]
                except sqlite3.Error:
                    pass
        assert proc.poll() is None, "add finished before the kill"
        proc.send_signal(signal.SIGKILL)
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    with Store(db) as s:
        assert s.check() == []
        n = s.counts()["articles"]
        assert n >= stored and n % 20 == 0 and n < 200  # whole batches only
        members = [aid for row in s.stories(1000) for aid in s.story(row.id).article_ids]
        assert sorted(members) == sorted(a.id for a in s.articles())
    done = subprocess.run(cmd[:-2] + ["--batch-size", "100"], capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr
    with Store(db) as s:
        assert s.counts()["articles"] == 200 and s.check() == []


def test_options_key_changes_only_with_options_that_change_a_brief():
    from newsdesk.options import NOT_IN_BRIEF
    from newsdesk.store import options_key

    base = options_key(Options())
    for changed in (Options(max_bytes=1000), Options(fetch_delay=5.0), Options(cluster_threshold=0.5),
                    Options(follow_links=True), Options(user_agent="x"), Options(near_duplicate_threshold=0.9)):
        assert options_key(changed) == base, changed
    for changed in (Options(words=50), Options(attribution_threshold=0.5), Options(max_entities=3),
                    Options(spacy_model="other")):
        assert options_key(changed) != base, changed
    assert "words" not in NOT_IN_BRIEF


def test_an_output_only_option_leaves_stored_briefs_current(tmp_path, demo_articles, monkeypatch):
    monkeypatch.setattr(newsdesk.briefing, "brief_story", fake_brief())
    with Store(tmp_path / "k.sqlite") as s:
        s.add(demo_articles)
        s.refresh()
        assert s.dirty() == []
    with Store(tmp_path / "k.sqlite", Options(max_bytes=1000, fetch_delay=9.0)) as s:
        assert s.dirty() == []
    with Store(tmp_path / "k.sqlite", Options(words=42)) as s:
        assert len(s.dirty()) == s.counts()["stories"]


def test_spilled_cluster_rows_give_the_same_stories(tmp_path, demo_articles):
    """Term rows of older batches in the temporary table (cluster_cache_batches=1) cluster as all in memory."""
    got = []
    for keep in (0, 1):
        with Store(tmp_path / f"k{keep}.sqlite", newsdesk.Options(cluster_cache_batches=keep)) as s:
            for k in range(0, len(demo_articles), 3):
                s.add(demo_articles[k:k + 3])
            got.append(sorted(tuple(sorted(st.article_ids)) for st in (s.story(r.id) for r in s.stories(limit=100))))
            if keep:
                assert any(b is None for b in s._clusterer._mat.blocks)  # some batches were spilled
    assert got[0] == got[1] and len(got[0]) > 1
