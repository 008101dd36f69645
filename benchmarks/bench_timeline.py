"""Benchmark: a 1,000-article topic's timeline on one core (goal: under 60 s).

The five BP oil spill sets of Timeline17 pooled (five outlets, April 2010 - January 2011), the first
1,000 articles by publication date, as ONE story: ``newsdesk.timeline(articles, dates=N)`` exactly as
``newsdesk timeline --dates N`` runs it (dedupe, dates from the raw text, the learned day ranking,
the parse of the articles the kept days need, around their mentions of those days, events merged by the
matcher), after the spaCy model is
loaded.  Printed per step, in CPU seconds of this process (the one-core cost; the machine may be
shared) and wall seconds.  As a peer measured in the same run: the shallow parse of all 1,000
articles, which the timeline needed before it chose its days from the raw text.

    python benchmarks/bench_timeline.py [--articles 1000] [--dates 20] [--no-peer]

Reads ../shared/data/timeline17 (or $NEWSDESK_SHARED/data/...); exits with a message when absent.
"""

from __future__ import annotations

import argparse  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from _timing import timed  # one thread, set before numpy and torch load

import newsdesk  # noqa: E402
from newsdesk.briefing.timeline import events_for_days, scoped, select_days  # noqa: E402
from newsdesk.dates import find_dates  # noqa: E402
from newsdesk.dedup import mark_duplicates  # noqa: E402
from newsdesk.eval.common import DataMissingError, data_dir  # noqa: E402
from newsdesk.eval.timeline import load_topic  # noqa: E402
from newsdesk.nlp import NLP  # noqa: E402


def load(n: int) -> list[Any] | None:
    """The first ``n`` articles of the pooled BP oil spill sets, or None (said why) without the data."""
    try:
        root = data_dir("timeline17")
    except DataMissingError as exc:
        print(f"benchmark skipped: {exc}", file=sys.stderr)
        return None
    folders = sorted(p for p in root.glob("bpoil_*") if (p / "articles.json").is_file())
    if not folders:
        print(f"benchmark skipped: no bpoil_* sets with articles under {root}", file=sys.stderr)
        return None
    arts = []
    for f in folders:
        arts += [a.with_(id=f"{f.name}/{a.id}") for a in load_topic(f)[0]]
    arts.sort(key=lambda a: (a.published, a.id))
    return arts[:n]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--dates", type=int, default=20)
    ap.add_argument("--no-peer", action="store_true", help="skip the full-parse peer")
    args = ap.parse_args()
    arts = load(args.articles)
    if arts is None:
        return 0
    options = newsdesk.Options()
    NLP(options).pipeline(deep=False)  # model load, not timed
    words = sum(len(a.text.split()) for a in arts)
    print(f"articles: {len(arts)} ({words:,} words), dates: {args.dates}")

    events, cpu, wall = timed(lambda: newsdesk.timeline(arts, options, dates=args.dates, nlp=NLP(options)))
    print(f"newsdesk.timeline end to end: {cpu:.1f} s CPU, {wall:.1f} s wall, {len(events)} events")

    # the same steps one by one
    originals, c1, _ = timed(lambda: [a for a in mark_duplicates(arts, options) if a.duplicate_of is None])
    dated, c2, _ = timed(lambda: [(a.published, find_dates(a.text, a.published)) for a in originals])
    days, c3, _ = timed(lambda: select_days(dated, args.dates))
    keep, scope = scoped(originals, dated, days, options.timeline_background)
    nlp = NLP(options)
    parsed, c4, _ = timed(lambda: nlp.parse_many(scope, deep=False))
    _, c5, _ = timed(lambda: events_for_days(parsed, days, options, art_dates=[dated[i][1] for i in keep]))
    share = sum(len("".join(a.text.split())) for a in scope) / sum(len("".join(a.text.split())) for a in originals)
    print(f"  dedupe {c1:.1f} s | dates {c2:.1f} s | day ranking {c3:.2f} s | parse {len(keep)}/{len(originals)} "
          f"articles, {share:.0%} of the text, {c4:.1f} s | events {c5:.1f} s (CPU)")
    if not args.no_peer:
        _, cp, wp = timed(lambda: NLP(options).parse_many(originals, deep=False))
        print(f"peer: shallow parse of all {len(originals)} articles: {cp:.1f} s CPU, {wp:.1f} s wall; "
              f"timeline / full parse = {cpu / cp:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
