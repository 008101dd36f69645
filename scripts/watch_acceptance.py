"""Acceptance run of ``newsdesk watch`` (#19): the visible Timeline17 sets replayed end to end, killed and restarted.

    NEWSDESK_SHARED=/work/shared nice python scripts/watch_acceptance.py [--speed 8] [--kills 3] [--seed 19]

1. The replay rig (:mod:`newsdesk.replay`) publishes every visible Timeline17 article, read from
   ``$NEWSDESK_SHARED/data/timeline17`` at run time, as one RSS feed per outlet (five outlets, one loopback
   host each), releasing them in publication order at ``--speed`` replay days per wall second.  The feeds
   list every released item, so none can scroll out of a feed while the watcher is down.
2. ``newsdesk watch --no-brief`` follows it uninterrupted until it has caught up (every feed polled past the
   last article, nothing waiting), then is stopped with SIGTERM.
3. The same replay again with a fresh rig and store; the watcher is SIGKILLed ``--kills`` times at random
   moments (seeded) and restarted at once each time.
4. Both stores are checked: every article exactly once, ``PRAGMA integrity_check`` ok, ``Store.check()``
   clean, and the same story (and the same original, for copies) for every article.

Prints one JSON report; exit 0 when every check holds.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from newsdesk.replay import ReplayServer, follow, store_summary, timeline17_items

DAY = 86400.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--speed", type=float, default=8.0, help="replay days per wall second")
    ap.add_argument("--kills", type=int, default=3)
    ap.add_argument("--seed", type=int, default=19)
    ap.add_argument("--interval", type=float, default=0.5, help="watch --interval")
    ap.add_argument("--out", type=Path, default=None, help="keep the two stores here")
    args = ap.parse_args()
    shared = Path(os.environ.get("NEWSDESK_SHARED", Path(__file__).resolve().parents[1].parent / "shared"))
    items = timeline17_items(shared / "data" / "timeline17")
    out = args.out or Path(tempfile.mkdtemp(prefix="watch-acceptance-"))
    out.mkdir(parents=True, exist_ok=True)
    speed = args.speed * DAY
    first, last = min(i.published for i in items), max(i.published for i in items)
    span = (last - first + 3600) / speed  # wall seconds of the replay
    runs = {}
    rng = random.Random(args.seed)
    for name, kills in (("uninterrupted", []), ("killed", sorted(rng.uniform(1.0, span) for _ in range(args.kills)))):
        db = out / f"{name}.sqlite"
        for p in out.glob(f"{name}.sqlite*"):
            p.unlink()
        with ReplayServer(items, speed=speed, hosts=5, window=len(items)) as rig:
            t = time.time()
            ran = follow(rig, db, kills=kills, interval=args.interval, timeout=span * 4 + 600)
            ran["wall_seconds"] = round(time.time() - t, 1)
        runs[name] = (ran, store_summary(db))
        print(f"{name}: {ran['seconds']} s, killed at {ran['killed_at']}", file=sys.stderr)
    (_, a), (b_run, b) = runs["uninterrupted"], runs["killed"]
    readable = sum(1 for i in items if i.text.strip())  # an item without text is reported and skipped, as add does
    report = {
        "items_published": len(items), "items_with_text": readable, "feeds": 5,
        "replay_days": round(span * args.speed, 1),
        "speed_days_per_s": args.speed, "seed": args.seed,
        **{name: {"articles": s["articles"], "unique": s["unique"], "stories": s["stories"],
                  "duplicates": len(s["duplicates"]), "batches": s["batches"], "integrity": s["integrity"],
                  "problems": s["problems"], "seconds": r["seconds"], "killed_at": r["killed_at"],
                  "caught_up": r["caught_up"], "returncode": r["returncode"]}
           for name, (r, s) in runs.items()},
        "same_stories": a["story_of"] == b["story_of"],
        "same_duplicates": a["duplicates"] == b["duplicates"],
        "articles_differing": sum(1 for k in set(a["story_of"]) | set(b["story_of"])
                                  if a["story_of"].get(k) != b["story_of"].get(k)),
        "stores": str(out),
    }
    ok = (report["same_stories"] and report["same_duplicates"] and len(b_run["killed_at"]) == args.kills
          and all(s["articles"] == s["unique"] == readable and s["integrity"] == "ok" and not s["problems"]
                  for _, s in runs.values()))
    report["ok"] = ok
    print(json.dumps(report, indent=2))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
