"""newsdesk.scale: the Dask scale-out gives what one process gives, on every scheduler."""

from __future__ import annotations

import builtins
import json
import sys

import pytest

import newsdesk
from newsdesk import report, scale
from newsdesk.clean import CorpusStats, stable_key_hash
from newsdesk.errors import InputError, MissingExtraError, OptionsError

pytest.importorskip("dask", reason="the scale extra is not installed: pip install 'newsdesk[scale]'")


def _json(briefs) -> str:
    return json.dumps(report.to_json(briefs), sort_keys=True)


def test_sharded_read_equals_read(demo_dir, demo_articles):
    # 'sync' runs the shards one after another here, but the run is split exactly as on a cluster
    # (8 shards for the 20 files), so boilerplate counted across shards must still be recognised
    got = scale.read_sharded([str(demo_dir)], scheduler="sync", workers=2)
    assert len(scale._shards(newsdesk.ingest.input_files([str(demo_dir)]), 2 * scale.SHARDS_PER_WORKER)) > 1
    assert got == demo_articles


def test_corpus_stats_from_shard_counts_equal_whole_batch(demo_articles):
    whole = CorpusStats.build(demo_articles)
    counts: dict[int, int] = {}
    for a in demo_articles:
        for k in CorpusStats.keys(a):
            counts[stable_key_hash(k)] = counts.get(stable_key_hash(k), 0) + 1
    half = demo_articles[: len(demo_articles) // 2]
    part = CorpusStats.from_counts(half, counts, len(demo_articles))
    keys = {k for a in half for k in CorpusStats.keys(a)}
    assert part.n_docs == whole.n_docs
    assert {k: v for k, v in whole.counts.items() if k in keys} == dict(part.counts)
    assert any(v > 1 for v in part.counts.values())  # the demo has boilerplate shared across outlets


def test_stable_hash_is_the_same_in_another_process():
    import subprocess

    code = "from newsdesk.clean import stable_key_hash; print(stable_key_hash('donate today'))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert int(out) == stable_key_hash("donate today")


def test_bad_inputs_are_reported_and_skipped_across_shards(tmp_path, demo_dir):
    (tmp_path / "broken.json").write_text("{not json", encoding="utf-8")
    (tmp_path / "empty.html").write_text("<html><body><nav>Home</nav></body></html>", encoding="utf-8")
    # the same id from two files: the second is a repeat, whichever shard reads it
    for n in (1, 2):
        (tmp_path / f"rec{n}.json").write_text(json.dumps({"id": "same", "title": f"Title {n}",
                                                           "text": "A sentence about a harbour. " * 5}))
    errors: list[InputError] = []
    got = scale.read_sharded([str(demo_dir), str(tmp_path)], scheduler="sync", workers=4, on_error=errors.append)
    want_errors: list[InputError] = []
    want = newsdesk.read([str(demo_dir), str(tmp_path)], on_error=want_errors.append)
    assert got == want
    assert [(e.source, e.reason) for e in errors] == [(e.source, e.reason) for e in want_errors]
    assert any("broken.json" in e.source for e in errors)
    assert any("duplicate article id 'same'" in e.reason for e in errors)


def test_process_pool_briefs_equal_one_process(demo_dir, demo_briefs):
    # two spawned worker processes, each loading spaCy once
    got = scale.run([str(demo_dir)], workers=2)
    assert _json(got) == _json(demo_briefs)


def test_distributed_client_and_cli_scheduler_address(demo_dir, demo_articles, demo_briefs):
    distributed = pytest.importorskip("distributed")
    from typer.testing import CliRunner

    from newsdesk.cli import app

    cluster = distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                       dashboard_address=None, protocol="tcp")
    with cluster, distributed.Client(cluster) as client:
        briefs = scale.brief_sharded(demo_articles, scheduler=client)
        assert _json(briefs) == _json(demo_briefs)
        res = CliRunner().invoke(app, ["brief", str(demo_dir), "--json", "--scheduler", cluster.scheduler_address])
        assert res.exit_code == 0, res.output
        assert json.loads(res.stdout) == report.to_json(briefs)
        # the client newsdesk made from the address is closed, and the user's cluster keeps running
        assert client.submit(sum, [1, 2]).result(timeout=10) == 3
        assert len(client.scheduler_info()["workers"]) == 1


def test_unreachable_scheduler_is_a_clear_error():
    pytest.importorskip("distributed")
    with pytest.raises(OptionsError, match="tcp://127.0.0.1:9"):
        scale._compute_kwargs("tcp://127.0.0.1:9", None)


def test_workers_must_be_positive():
    with pytest.raises(OptionsError, match="workers"):
        scale.read_sharded(["x"], workers=0)


def _store_state(path) -> tuple:
    import sqlite3

    with sqlite3.connect(path) as con:
        briefs = con.execute("SELECT story_id, json FROM briefs ORDER BY story_id").fetchall()
        nlp = con.execute("SELECT * FROM nlp ORDER BY 1").fetchall()
    return briefs, nlp


def test_store_refresh_on_dask_equals_one_process(tmp_path, demo_articles, nlp):
    from newsdesk import Store

    done = {}
    for name, kwargs in (("one", {}), ("dask", {"scheduler": "sync"})):
        with Store(tmp_path / f"{name}.sqlite") as store:
            store.add(demo_articles)
            done[name] = store.refresh(nlp if not kwargs else None, **kwargs)
            assert store.dirty() == []
    assert sorted(done["one"]) == sorted(done["dask"]) and done["one"]
    briefs, rows = _store_state(tmp_path / "one.sqlite")
    assert (briefs, rows) == _store_state(tmp_path / "dask.sqlite")
    assert rows  # the NLP record is kept on Dask too


def test_cli_add_with_workers(demo_dir, tmp_path):
    from typer.testing import CliRunner

    from newsdesk.cli import app

    res = CliRunner().invoke(app, ["add", str(demo_dir), "--db", str(tmp_path / "d.sqlite"), "--workers", "1",
                                   "--json"])
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    assert got["briefed"] and sorted(got["briefed"]) == sorted(got["changed_stories"])


def test_missing_extra_names_it(monkeypatch):
    real_import = builtins.__import__

    def no_dask(name, *args, **kwargs):
        if name == "dask" or name.startswith("dask."):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_dask)
    with pytest.raises(MissingExtraError, match=r"newsdesk\[scale\]"):
        scale.read_sharded(["x"], scheduler="sync")


def test_a_failing_story_is_reported_and_the_others_go_on(monkeypatch, demo_articles, demo_briefs):
    from newsdesk import briefing as api

    victim = demo_briefs[0]
    real = api.extract_facts

    def failing(deep, members, options):
        if any(a.id == victim.articles[0].id for a in members):
            raise ValueError("injected failure")
        return real(deep, members, options)

    monkeypatch.setattr(api, "extract_facts", failing)  # 'sync' runs the workers' code in this process
    errors: list = []
    got = scale.brief_sharded(demo_articles, scheduler="sync", on_error=errors.append)
    assert _json(got) == _json(demo_briefs[1:])
    assert [(e.story_id, "injected failure" in e.reason) for e in errors] == [(victim.story_id, True)]
