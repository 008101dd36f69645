"""Benchmark: ``brief`` against the floor of a bare spaCy parse, start-up, memory and two workers.

    python benchmarks/bench_brief.py [--sizes 200,1000] [--workers 2] [--model] [--json]

One command, every figure from the same run on the same texts: the first N source documents of the
Multi-News test examples (whole examples, so stories are real), written to a temporary JSON Lines file
(never into the repository).  Each measure runs in a fresh process:

* floor — CPU seconds of ``nlp.pipe`` over the N texts with the pipeline newsdesk loads for a brief
  (``NLP(options).pipeline(deep=True)``: the same model and pipes), after the model is loaded;
* brief — CPU seconds of ``newsdesk.read`` + ``newsdesk.brief`` on the same file after a warm-up brief of
  one small article (imports and models loaded: what is left is the per-article cost); ratio = brief / floor,
  both in the same process, the floor measured before and after the brief and averaged (load drifts);
* cli — ``newsdesk brief FILE --json`` as a user runs it: CPU, wall and peak RSS (``wait4``) of the process;
* start-up — wall and CPU of ``newsdesk brief`` on one small article, and of ``import newsdesk.cli``;
* workers — wall of ``newsdesk brief FILE --json --workers W`` beside the one-process wall (speed-up).

The #18 targets are for the brief without the same-content model: every measure runs with
``same_content_model = False`` (``newsdesk --no-embed``) unless ``--model`` is given.

The machine's load average (1 and 5 minutes, from ``/proc/loadavg``) is printed before and after every
measure: wall figures and the worker speed-up only mean something when the load is below 1 when the
measure starts (nothing else running).  CPU seconds are less sensitive to load but not immune to it (shared
caches, frequency).  Reads ``../shared/data/multi-news-test`` (or ``$NEWSDESK_SHARED/data/...``).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

SMALL = ("A bridge for Springfield\n\nThe mayor of Springfield said on Monday that the city would open a new "
         "bridge next year. Officials expect traffic on the old road to fall by a third.\n")


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:2])
    except OSError:
        return "?"


def write_texts(n: int, folder: Path) -> Path:
    """The first ``n`` documents of the Multi-News test examples as JSON Lines (whole examples)."""
    from newsdesk.eval.common import data_dir
    from newsdesk.eval.summarize import multinews_examples

    path = folder / f"multinews-{n}.jsonl"
    rows = []
    for ex in multinews_examples(data_dir("multi-news-test")):
        for i, text in enumerate(ex.texts, 1):
            rows.append({"id": f"{ex.name}#{i}", "text": text})
        if len(rows) >= n:
            break
    path.write_text("".join(json.dumps(r) + "\n" for r in rows[:n]), encoding="utf-8")
    return path


# --- the measures, each run in its own process -------------------------------------------------

def _floor(texts: list[str]) -> float:
    """CPU seconds of the bare parse: ``nlp.pipe`` with the pipeline newsdesk loads for a brief."""
    import newsdesk
    from newsdesk.nlp import NLP

    nlp = NLP(newsdesk.Options()).pipeline(deep=True)
    t0 = _cpu()
    for _ in nlp.pipe(texts, batch_size=64):
        pass
    return _cpu() - t0


def stage_brief(path: Path, model: bool) -> dict:
    """In one process: floor, read + brief, floor again (the load drifts; the floor is their mean)."""
    import newsdesk
    from newsdesk.nlp import NLP

    options = newsdesk.Options(same_content_model=model)
    texts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()]
    with tempfile.TemporaryDirectory() as tmp:
        small = Path(tmp) / "small.txt"
        small.write_text(SMALL, encoding="utf-8")
        newsdesk.brief(newsdesk.read([small]), options)  # imports and models
    floor_before = _floor(texts)
    t0 = _cpu()
    articles = newsdesk.read([path])
    t1 = _cpu()
    briefs = newsdesk.brief(articles, options)
    t2 = _cpu()
    floor_after = _floor(texts)
    return {"cpu": t2 - t0, "read": t1 - t0, "brief": t2 - t1, "stories": len(briefs),
            "floor": (floor_before + floor_after) / 2, "floors": [floor_before, floor_after],
            "pipes": list(NLP(newsdesk.Options()).pipeline(deep=True).pipe_names)}


def _run_child(args: list[str]) -> dict:
    """Run a process; its wall, CPU and peak RSS (wait4), and its JSON answer when it prints one."""
    t0 = time.perf_counter()
    p = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    chunks: dict[str, bytes] = {}

    def drain(name: str, stream) -> None:  # type: ignore[no-untyped-def]
        chunks[name] = stream.read()

    threads = [threading.Thread(target=drain, args=(k, s)) for k, s in (("out", p.stdout), ("err", p.stderr))]
    for t in threads:
        t.start()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    for t in threads:
        t.join()
    p.returncode = os.waitstatus_to_exitcode(status)
    out, err = chunks.get("out", b""), chunks.get("err", b"")
    if p.returncode not in (0, 1):
        raise RuntimeError(f"{' '.join(args[:4])}… exited {p.returncode}: {err.decode()[-2000:]}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "rss_mib": ru.ru_maxrss / 1024,
            "stdout": out.decode("utf-8", "replace"), "load": load()}


def child(stage: str, path: Path, model: bool) -> dict:
    got = _run_child([sys.executable, __file__, "--stage", stage, "--file", str(path)] + (["--model"] if model else []))
    answer = json.loads(got.pop("stdout").strip().splitlines()[-1])
    return {**answer, "process": got}


MODE: list[str] = ["--no-embed"]  # the global flags of every CLI run (empty with --model)


def newsdesk_cli(*args: str) -> dict:
    exe = Path(sys.executable).with_name("newsdesk")
    got = _run_child([str(exe), "--quiet", *MODE, *args])
    got.pop("stdout")
    return got


def start_up(folder: Path) -> dict:
    small = folder / "small.txt"
    small.write_text(SMALL, encoding="utf-8")
    runs = [newsdesk_cli("brief", str(small), "--json") for _ in range(3)]
    imports = [_run_child([sys.executable, "-c", "import newsdesk.cli"]) for _ in range(3)]
    best = min(runs, key=lambda r: r["wall"])
    best_import = min(imports, key=lambda r: r["wall"])
    return {"brief_wall": best["wall"], "brief_cpu": best["cpu"], "import_wall": best_import["wall"],
            "import_cpu": best_import["cpu"], "load": best["load"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="200,1000", help="article counts (comma-separated)")
    ap.add_argument("--workers", type=int, default=2, help="Dask workers to compare with one process (0: skip)")
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: ratio, cli, startup, workers")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON too")
    ap.add_argument("--model", action="store_true",
                    help="with the same-content model (MiniLM); default: without it (--no-embed), as #18's targets")
    ap.add_argument("--stage", choices=("brief",), help=argparse.SUPPRESS)
    ap.add_argument("--file", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.stage:
        print(json.dumps(stage_brief(args.file, args.model)))
        return 0
    if args.model:
        MODE.clear()
    from newsdesk.eval.common import DataMissingError

    skip = set(filter(None, args.skip.split(",")))
    result: dict = {"load_at_start": load(), "sizes": {}, "same_content_model": args.model}
    print(f"load average at start (1, 5 min): {result['load_at_start']}; same-content model "
          f"{'on' if args.model else 'off (--no-embed)'}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        if "startup" not in skip:
            result["startup"] = s = start_up(folder)
            print(f"start-up: newsdesk brief on 1 small article {s['brief_wall']:.2f} s wall, {s['brief_cpu']:.2f} s "
                  f"CPU; import newsdesk.cli {s['import_wall']:.2f} s wall, {s['import_cpu']:.2f} s CPU "
                  f"(load {s['load']})")
        for n in (int(x) for x in args.sizes.split(",")):
            try:
                path = write_texts(n, folder)
            except DataMissingError as exc:
                print(f"benchmark skipped: {exc}", file=sys.stderr)
                return 0
            result["sizes"][n] = row = measure(n, path, args.workers, skip, args.model)
            print(json.dumps({n: row}))
    result["load_at_end"] = load()
    print(f"load average at end (1, 5 min): {result['load_at_end']}")
    if args.json:
        print(json.dumps(result, indent=1))
    return 0


def measure(n: int, path: Path, workers: int, skip: set[str], model: bool) -> dict:
    row: dict = {}
    if "ratio" not in skip:
        brief = child("brief", path, model)
        row["floor_cpu"], row["brief_cpu"] = brief["floor"], brief["cpu"]
        row["ratio"] = brief["cpu"] / brief["floor"]
        row["brief_parts"] = {k: brief[k] for k in ("read", "brief", "stories", "floors")}
        row["load"] = brief["process"]["load"]
        print(f"{n} articles: floor (bare parse, pipes {','.join(brief['pipes'])}) {brief['floor']:.1f} s CPU "
              f"(before/after {brief['floors'][0]:.1f}/{brief['floors'][1]:.1f}); newsdesk read+brief "
              f"{brief['cpu']:.1f} s CPU -> ratio {row['ratio']:.2f} ({brief['stories']} stories; load {row['load']})")
    if "cli" not in skip:
        row["cli"] = cli = newsdesk_cli("brief", str(path), "--json")
        print(f"{n} articles: newsdesk brief --json {cli['wall']:.1f} s wall, {cli['cpu']:.1f} s CPU, "
              f"peak RSS {cli['rss_mib']:.0f} MiB (load {cli['load']})")
    if workers and "workers" not in skip:
        one = row.get("cli") or newsdesk_cli("brief", str(path), "--json")
        row["scaled"] = w = newsdesk_cli("brief", str(path), "--json", "--workers", str(workers))
        row["speedup"] = one["wall"] / w["wall"]
        # CPU of the whole run (wait4 counts the worker processes it reaped): on ``workers`` idle cores the
        # wall speed-up is at most workers x one process's CPU / the workers run's CPU
        row["cpu_bound"] = workers * one["cpu"] / w["cpu"]
        print(f"{n} articles: --workers {workers} {w['wall']:.1f} s wall vs one process {one['wall']:.1f} s -> "
              f"{row['speedup']:.2f}x (load {w['load']}); CPU {w['cpu']:.1f} vs {one['cpu']:.1f} s: at most "
              f"{row['cpu_bound']:.2f}x on {workers} idle cores")
    return row


if __name__ == "__main__":
    sys.exit(main())
