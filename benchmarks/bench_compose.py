"""Benchmark: what a brief costs after the parse, stage by stage, on held parses.

    python benchmarks/bench_compose.py [--articles 1000] [--rounds 3] [--profile FILE]

The first N source documents of the Multi-News test examples (as ``bench_brief.py``) are read, deduplicated
and clustered; every story's originals are parsed once (deep, as ``newsdesk.brief`` does) and held; then every
story's brief is composed from the held parses ``--rounds`` times (after one round that warms the caches the
parse leaves, e.g. a paragraph's text), with the CPU seconds of each stage summed over the stories (means
over the rounds).  The parse itself and the conversion to sentences are printed too ("parse + build"), and
the first round apart (per-paragraph indices built on first use count there).  ``--profile FILE`` writes a
cProfile of one more round.  CPU seconds of this process (``time.process_time``); the load average is
printed: other jobs change them.  Reads ``../shared/data/multi-news-test`` (or ``$NEWSDESK_SHARED/data/...``).
"""

from __future__ import annotations

import argparse
import collections
import functools
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def _wrap(acc: collections.Counter, mod: Any, name: str, label: str) -> None:
    f = getattr(mod, name)

    @functools.wraps(f)
    def timed(*a: Any, **k: Any) -> Any:
        t0 = time.process_time()
        try:
            return f(*a, **k)
        finally:
            acc[label] += time.process_time() - t0

    setattr(mod, name, timed)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--profile", type=Path, help="write a cProfile of one more round here")
    args = ap.parse_args()

    from bench_brief import load, write_texts

    import newsdesk
    import newsdesk.briefing as B
    import newsdesk.briefing.facts as F
    import newsdesk.briefing.quotes as Q
    import newsdesk.briefing.summary as S
    from newsdesk.api import cluster_articles, mark_duplicates
    from newsdesk.briefing import _compose, judging, originals_of
    from newsdesk.eval.common import DataMissingError
    from newsdesk.nlp import NLP

    print(f"load average at start (1, 5 min): {load()}")
    opts = newsdesk.Options(same_content_model=False, parse_cache_articles=10**6)
    with tempfile.TemporaryDirectory() as tmp:
        try:
            path = write_texts(args.articles, Path(tmp))
        except DataMissingError as exc:
            print(f"benchmark skipped: {exc}", file=sys.stderr)
            return 0
        t0 = time.process_time()
        arts = newsdesk.read([path])
        t1 = time.process_time()
        marked = mark_duplicates(arts, opts)
        t2 = time.process_time()
        stories = cluster_articles(marked, opts)
        t3 = time.process_time()
    print(f"read {t1 - t0:.2f} s, dedupe {t2 - t1:.2f} s, cluster {t3 - t2:.2f} s CPU ({len(arts)} articles, "
          f"{len(stories)} stories)")
    nlp = NLP(opts)
    by_id = {a.id: a for a in marked}
    work = []
    t0 = time.process_time()
    for s in stories:
        members = [by_id[i] for i in s.article_ids]
        originals = originals_of(members)
        work.append((s, members, originals, nlp.parse_many(originals, deep=True)))
    print(f"parse + build (one story at a time) {time.process_time() - t0:.2f} s CPU (load {load()})")

    acc: collections.Counter = collections.Counter()
    for mod, name, label in ((B, "summarize_parsed", "summary"), (S, "_solve", "summary: ILP"),
                             (B, "extract_facts", "facts"), (F, "extract_entities", "facts: entities"),
                             (F, "find_figures", "facts: figures"), (F, "compare_outlets", "facts: outlets"),
                             (B, "build_timeline", "timeline"), (B, "headline", "headline"),
                             (B, "extract_quotes", "quotes"), (Q, "attribute", "quotes: attribution")):
        _wrap(acc, mod, name, label)

    def compose() -> float:
        t = time.process_time()
        with judging(False):
            for s, m, o, d in work:
                _compose(s, m, o, d, opts, nlp)
        return time.process_time() - t

    first = compose()
    print(f"compose, first round {first:.2f} s CPU: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(acc.items())))
    acc.clear()
    total = sum(compose() for _ in range(args.rounds)) / args.rounds
    print(f"compose, mean of {args.rounds} rounds {total:.2f} s CPU (load {load()})")
    for k, v in sorted(acc.items()):
        print(f"  {k:22s} {v / args.rounds:6.3f} s")
    if args.profile:
        import cProfile

        prof = cProfile.Profile()
        prof.runcall(compose)
        prof.dump_stats(str(args.profile))
        print(f"profile written to {args.profile}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
