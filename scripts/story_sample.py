"""Draw stories of the Timeline17 replay to read by hand: does each hold one event? (#19)

    NEWSDESK_SHARED=/work/shared python scripts/story_sample.py --topics bpoil,MJ --seed 19 \
        --read /tmp/sample.txt --ids docs/story_sample_ids.json [--set cluster_event_threshold=0.2 ...]

The visible Timeline17 articles, as the replay rig serves them (:func:`newsdesk.replay.timeline17_items`:
no title, dated by day), go through ``Clusterer.add`` one publication day at a time, oldest first (the
batches ``newsdesk watch`` stores on the replay).  Of the stories with at least two articles whose articles
come from the topics given (the folder prefix: ``bpoil``, ``H1N1``, ``haiti``, ``MJ``), ``--n`` are drawn
with ``random.Random(seed)`` from the list sorted by story id.  ``--read`` gets, per story, the first
``--show`` articles (day, id, first ``--words`` words) for the reader (keep it outside the repository: it
holds article text); ``--ids`` gets the story, article ids and days only (no text), for the docs.  Prints
counts and spans of the replay's stories, its topic B-cubed and story precision against
the Timeline17 topic of each article, as JSON.  ``--only`` replays the ``--topics`` alone (the tuning runs
on H1N1 and Haiti); ``--set name=value`` changes an option (``--set event_split_threshold=0``: the rule
before the event split).  docs/clustering.md#event-level-stories has the
readings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import sys
from pathlib import Path

from newsdesk.cluster import Clusterer
from newsdesk.eval.cluster import bcubed
from newsdesk.models import Article
from newsdesk.options import DEFAULT_OPTIONS
from newsdesk.replay import timeline17_items


def replay_stories(options: object, only: set[str] | None = None
                   ) -> tuple[dict[str, Article], list[tuple[str, list[str]]]]:
    """The replay's articles and stories (every topic, or ``only`` these)."""
    arts, stories, _ = replay(options, only)
    return arts, stories


def replay(options: object, only: set[str] | None = None
           ) -> tuple[dict[str, Article], list[tuple[str, list[str]]], dict[str, str]]:
    """The replay's articles, stories and {story id: topic id}."""
    shared = Path(os.environ.get("NEWSDESK_SHARED", "/work/shared"))
    items = [i for i in timeline17_items(shared / "data" / "timeline17")
             if i.text.strip() and (only is None or i.guid.split("_", 1)[0] in only)]
    arts = {i.guid: Article(id=i.guid, text=i.text, source=i.feed,
                            published=dt.datetime.fromtimestamp(i.published, dt.UTC).date())
            for i in items}
    days: dict[dt.date, list[Article]] = {}
    for a in sorted(arts.values(), key=lambda a: (a.published, a.id)):
        days.setdefault(a.published, []).append(a)  # type: ignore[arg-type]
    c = Clusterer(options)  # type: ignore[arg-type]
    for d in sorted(days):
        c.add(days[d])
    return arts, [(s.id, list(s.article_ids)) for s in c.stories()], c.topics()


def _parse_set(pairs: list[str]) -> dict[str, object]:
    out: dict[str, object] = {}
    for p in pairs:
        k, v = p.split("=", 1)
        out[k] = type(getattr(DEFAULT_OPTIONS, k))(v)
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topics", default="bpoil,H1N1,haiti,MJ")
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--show", type=int, default=6)
    ap.add_argument("--words", type=int, default=45)
    ap.add_argument("--read", type=Path, default=None)
    ap.add_argument("--ids", type=Path, default=None)
    ap.add_argument("--only", action="store_true", help="replay the --topics only (tuning runs)")
    ap.add_argument("--set", action="append", default=[], help="an option, name=value")
    args = ap.parse_args()
    options = DEFAULT_OPTIONS.replace(**_parse_set(args.set))
    topics = set(args.topics.split(","))
    arts, stories, topic_of = replay(options, topics if args.only else None)

    def topic(aid: str) -> str:
        return aid.split("_", 1)[0]

    def span(ids: list[str]) -> int:
        ds = [arts[a].published for a in ids]
        return (max(ds) - min(ds)).days  # type: ignore[operator]

    pool = sorted((sid, ids) for sid, ids in stories if len(ids) >= 2 and topic(ids[0]) in topics)
    drawn = random.Random(args.seed).sample(pool, min(args.n, len(pool)))
    spans = [span(ids) for _, ids in pool]
    summary = {"options": _parse_set(args.set), "topics": sorted(topics), "stories": len(stories),
               "stories_2plus_in_topics": len(pool), "articles_in_them": sum(len(i) for _, i in pool),
               "median_span_days": statistics.median(spans) if spans else 0,
               "share_span_over_3_days": round(sum(s > 3 for s in spans) / max(1, len(spans)), 3),
               "largest": max((len(i) for _, i in pool), default=0)}
    # against the Timeline17 topic of each article (the folder prefix), over every replayed article
    gold = {a: topic(a) for _, ids in stories for a in ids}
    summary["topics_found"] = len(set(topic_of.values()))
    summary["topic_bcubed"] = {k: round(v, 4) for k, v in
                               bcubed({a: topic_of[sid] for sid, ids in stories for a in ids}, gold).items()}
    summary["story_precision"] = round(bcubed({a: sid for sid, ids in stories for a in ids}, gold)["precision"], 4)
    print(json.dumps(summary, indent=1))
    if args.read:
        lines = []
        for n, (sid, ids) in enumerate(drawn, 1):
            ids = sorted(ids, key=lambda a: (arts[a].published, a))
            lines.append(f"=== {n}. {sid}: {len(ids)} articles, span {span(ids)} days")
            for a in ids[: args.show]:
                words = " ".join(arts[a].text.split()[: args.words])
                lines.append(f"  {arts[a].published} {a}: {words}")
        args.read.write_text("\n".join(lines) + "\n", encoding="utf-8")
    if args.ids:
        rec = {"seed": args.seed, "topics": sorted(topics), "options": _parse_set(args.set),
               "stories": [{"story": sid, "articles": [[a, str(arts[a].published)] for a in
                                                       sorted(ids, key=lambda a: (arts[a].published, a))]}
                           for sid, ids in drawn]}
        args.ids.write_text(json.dumps(rec, indent=1) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
