"""The command line: contract JSON shapes, exit codes, bad inputs (each named, the batch goes on)."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import need_shared
from typer.testing import CliRunner

from newsdesk.cli import app

runner = CliRunner()

GOOD = ("Harbour strike enters third day\n\n"
        "Dock workers in Ostra stayed off the job for a third day on Wednesday, leaving more than forty "
        "ships waiting outside the port. The union said talks with the port authority had broken down. "
        "Shipping companies warned that delays would spread to other ports along the coast.\n")


def run(*args: str, stdin: str | None = None):
    return runner.invoke(app, list(args), input=stdin)


def test_help_on_every_command():
    for cmd in ["extract", "summarize", "cluster", "brief", "demo"]:
        r = run(cmd, "--help")
        assert r.exit_code == 0, (cmd, r.output)
        assert "--help" in r.output


def test_version():
    r = run("--version")
    assert r.exit_code == 0 and "newsdesk" in r.output


def test_extract_json_contract(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    r = run("extract", str(tmp_path / "a.txt"), "--json")
    assert r.exit_code == 0, r.output
    art = json.loads(r.stdout)["articles"][0]
    assert {"id", "title", "text", "source", "url", "published", "author", "duplicate_of"} <= set(art)
    assert art["language"] == "en"
    assert art["id"] == "a.txt" and art["title"] == "Harbour strike enters third day"
    assert art["text"].startswith("Dock workers")


def test_stdin_jsonl(tmp_path):
    lines = "\n".join(json.dumps({"text": GOOD.split("\n\n", 1)[1], "title": f"T{i}"}) for i in range(2))
    r = run("extract", "-", "--json", stdin=lines)
    assert r.exit_code == 0, r.output
    assert [a["id"] for a in json.loads(r.stdout)["articles"]] == ["-#1", "-#2"]


def test_summarize_json_and_word_budget(demo_dir):
    r = run("summarize", str(demo_dir / "sport"), "--words", "60", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)["summary"]
    assert summary and sum(len(s["text"].split()) for s in summary) <= 60
    assert all(set(s) == {"text", "sources"} for s in summary)


def test_cluster_json_is_a_partition(demo_dir, answers):
    r = run("cluster", str(demo_dir), "--json")
    assert r.exit_code == 0, r.output
    stories = json.loads(r.stdout)["stories"]
    ids = [i for s in stories for i in s["articles"]]
    assert sorted(ids) == sorted(answers["outlets"])
    assert len(ids) == len(set(ids))


def test_brief_formats(demo_dir, tmp_path):
    r = run("brief", str(demo_dir / "sport"), "--md", "--html", "--out", str(tmp_path))
    assert r.exit_code == 0, r.output
    assert (tmp_path / "brief.md").read_text().startswith("# newsdesk brief")
    assert "<!doctype html>" in (tmp_path / "brief.html").read_text()
    r = run("brief", str(demo_dir / "sport"), "--json")
    brief = json.loads(r.stdout)["stories"][0]
    assert list(brief) == ["id", "headline", "articles", "summary", "entities", "figures", "conflicts",
                           "timeline", "quotes", "outlets", "background"]  # background: events before the story
    assert all("text" not in a for a in brief["articles"])


def test_demo_writes_report(tmp_path):
    r = run("demo", "--out", str(tmp_path / "d"))
    assert r.exit_code == 0, r.output
    assert "stories" in r.stdout
    for f in ("brief.json", "brief.md", "brief.html"):
        assert (tmp_path / "d" / f).stat().st_size > 500


# --- bad inputs: each named on stderr, the rest of the batch still runs, exit codes per contract ---

def bad_inputs(tmp_path: Path) -> dict[str, Path]:
    d = tmp_path / "batch"
    d.mkdir()
    (d / "good.txt").write_text(GOOD)
    files = {
        "empty.txt": b"",
        "binary.txt": bytes(range(256)) * 8,
        "latin.txt": "Caf\xe9 r\xe9ouvert \xe0 Ostra apr\xe8s la gr\xe8ve.\n".encode("latin-1") * 3 + b"\xff\xfe\x00",
        "broken.json": b'{"text": "unterminated',
        "broken.html": b"<html><body><div><p>\x00\x00<<<>>> </div",
        "truncated.txt.gz": gzip.compress(GOOD.encode())[:30],
    }
    for name, data in files.items():
        (d / name).write_bytes(data)
    big = d / "huge.txt"
    with open(big, "wb") as f:  # a sparse 50 MB file
        f.truncate(50 * 1024 * 1024)
    return {"dir": d}


@pytest.mark.parametrize("cmd", ["extract", "summarize", "cluster", "brief"])
def test_bad_inputs_are_reported_and_skipped(tmp_path, cmd):
    d = bad_inputs(tmp_path)["dir"]
    r = run(cmd, str(d), "--json")
    assert r.exit_code == 1, r.output
    err = r.stderr
    for name in ["empty.txt", "binary.txt", "broken.json", "broken.html", "truncated.txt.gz", "huge.txt"]:
        assert name in err, (name, err)
    assert "huge.txt" in err and "MB" in err
    out = json.loads(r.stdout)
    assert out  # the good article still went through


def test_nothing_readable_is_exit_2(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "bin.dat").write_bytes(b"\x00\x01\x02" * 100)
    r = run("extract", str(tmp_path), "--json")
    assert r.exit_code == 2
    assert "nothing could be read" in r.stderr
    r = run("brief", str(tmp_path / "does-not-exist"))
    assert r.exit_code == 2
    assert "does-not-exist" in r.stderr


def test_usage_error_is_exit_2():
    assert run("summarize").exit_code == 2
    assert run("summarize", "x", "--words", "0").exit_code == 2
    assert run("no-such-command").exit_code == 2


def test_console_script_runs(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    exe = Path(sys.executable).parent / "newsdesk"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "newsdesk"]
    p = subprocess.run(cmd + ["extract", str(tmp_path), "--json"], capture_output=True, text=True,
                       env={**os.environ, "NO_COLOR": "1"}, timeout=120)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["articles"][0]["id"] == "a.txt"


def test_summarize_duc_cluster():
    docs = need_shared("data", "duc2004-task2", "docs", "1")
    r = run("summarize", str(docs), "--words", "100", "--json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)["summary"]
    assert 50 <= sum(len(s["text"].split()) for s in summary) <= 100
    texts = {p.name: " ".join(p.read_text(encoding="utf-8", errors="replace").split()) for p in docs.iterdir()}
    for s in summary:
        assert " ".join(s["text"].split()) in texts[s["sources"][0]]


@pytest.mark.parametrize("task", ["quotes", "timeline"])
def test_eval_unknown_dataset_is_a_usage_error(task):
    r = run("eval", task, "--dataset", "no-such-set")
    assert r.exit_code == 2
    assert "unknown dataset 'no-such-set'" in r.stderr


def test_eval_missing_data_names_the_place(tmp_path):
    r = run("eval", "quotes", "--dataset", "basil", "--shared", str(tmp_path))
    assert r.exit_code == 2
    assert str(tmp_path) in r.stderr and "NEWSDESK_SHARED" in r.stderr


# --- exit codes (issue #18): 2 and one line for what stops a run; 1 only for skipped inputs or stories ---

def only_our_lines(stderr: str) -> list[str]:
    lines = stderr.splitlines()
    assert lines and all(line.startswith("newsdesk: ") for line in lines), stderr
    assert "Traceback" not in stderr
    return lines


def test_config_errors_are_exit_2_in_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    for body, words in [('words = "ten"\n', "must be an integer"), ("wordz = 3\n", "unknown option"),
                        ("words = 0\n", "at least 1"), ("words = [\n", "cannot read options")]:
        (tmp_path / "c.toml").write_text(body)
        r = run("--config", str(tmp_path / "c.toml"), "extract", str(tmp_path / "a.txt"))
        assert r.exit_code == 2, (body, r.output)
        assert len(only_our_lines(r.stderr)) == 1 and words in r.stderr and "c.toml" in r.stderr
    r = run("--config", str(tmp_path / "missing.toml"), "extract", str(tmp_path / "a.txt"))
    assert r.exit_code == 2 and "missing.toml" in only_our_lines(r.stderr)[0]


def test_model_error_is_exit_2_in_one_line(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "c.toml").write_text('spacy_model = "no_such_model"\nspacy_fallback = "no_such_either"\n')
    r = run("--config", str(tmp_path / "c.toml"), "summarize", str(tmp_path / "a.txt"))
    assert r.exit_code == 2
    assert "no_such_model" in only_our_lines(r.stderr)[0]


def test_a_bug_is_exit_2_in_one_line_and_a_traceback_only_with_verbose(tmp_path, monkeypatch):
    import newsdesk.api

    def broken(*args, **kwargs):
        raise ValueError("something impossible")

    monkeypatch.setattr(newsdesk.api, "cluster", broken)
    (tmp_path / "a.txt").write_text(GOOD)
    r = run("cluster", str(tmp_path / "a.txt"))
    assert r.exit_code == 2
    assert only_our_lines(r.stderr) == ["newsdesk: internal error: ValueError: something impossible (run with "
                                        "--verbose for the traceback; please report it)"]
    r = run("--verbose", "cluster", str(tmp_path / "a.txt"))
    assert r.exit_code == 2 and "Traceback" in r.stderr and "something impossible" in r.stderr


def test_skipped_inputs_are_exit_1_and_a_store_error_exit_2(tmp_path):
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "b.json").write_text("[" * 5000)
    r = run("extract", str(tmp_path / "a.txt"), str(tmp_path / "b.json"), "--json")
    assert r.exit_code == 1 and len(json.loads(r.stdout)["articles"]) == 1
    (tmp_path / "junk.sqlite").write_bytes(b"not a database" * 100)
    r = run("add", str(tmp_path / "a.txt"), "--db", str(tmp_path / "junk.sqlite"), "--no-brief")
    assert r.exit_code == 2 and "junk.sqlite" in only_our_lines(r.stderr)[0]


def summary_words(r) -> int:
    assert r.exit_code == 0, r.output
    return sum(len(s["text"].split()) for s in json.loads(r.stdout)["summary"])


def test_words_from_the_config_file_and_the_flag_wins(tmp_path, demo_dir):
    (tmp_path / "c.toml").write_text("[newsdesk]\nwords = 30\n")
    sport = str(demo_dir / "sport")
    from_file = summary_words(run("--config", str(tmp_path / "c.toml"), "summarize", sport, "--json"))
    assert 0 < from_file <= 30
    flag = summary_words(run("--config", str(tmp_path / "c.toml"), "summarize", sport, "--words", "80", "--json"))
    assert 30 < flag <= 80


def test_every_command_takes_its_options_from_the_config(tmp_path, monkeypatch):
    import newsdesk.api

    seen = []
    monkeypatch.setattr(newsdesk.api, "cluster", lambda articles, options, **k: seen.append(options) or [])
    (tmp_path / "a.txt").write_text(GOOD)
    (tmp_path / "c.toml").write_text("cluster_threshold = 0.5\nmax_bytes = 12345\nwords = 7\n")
    r = run("--config", str(tmp_path / "c.toml"), "--follow-links", "cluster", str(tmp_path / "a.txt"))
    assert r.exit_code == 0, r.output
    assert (seen[0].cluster_threshold, seen[0].max_bytes, seen[0].words, seen[0].follow_links) == (
        0.5, 12345, 7, True)


def test_eval_without_its_extra_names_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "rouge_score", None)
    r = run("eval", "cluster", "--dataset", "basil")
    assert r.exit_code == 2
    assert "pip install 'newsdesk[eval]'" in only_our_lines(r.stderr)[0] and "rouge_score" in r.stderr
    assert run("eval", "cluster", "--help").exit_code == 0
