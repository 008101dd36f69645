"""Fit the timeline's date ranker on the visible Timeline17 sets and write ``date_model.json``.

    python scripts/train_date_ranker.py [--shared PATH] [--write]

For every visible set (topic/outlet folder with articles) the candidate days and their counts come from
the articles' raw text (``newsdesk.dates.find_dates``, no parse); the weights are fitted by coordinate
ascent on the mean date F1 (``newsdesk.briefing.daterank.fit_weights``).  It prints the
leave-one-topic-out figures (topics: the folder name before ``_``: bpoil, H1N1, MJ, haiti; every
outlet of a topic is held out together), the in-sample figures of weights fitted on all sets, and the
rule and publication baselines; ``--write`` stores the all-sets weights with these figures as the
shipped model (``newsdesk/briefing/date_model.json``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from newsdesk.briefing import daterank
from newsdesk.eval.common import DataMissingError, shared_dir
from newsdesk.eval.timeline import TimelineSet, load_sets, loto_rankings

MODEL = Path(__file__).resolve().parent.parent / "newsdesk" / "briefing" / "date_model.json"


def _mean(xs: list[float]) -> float:
    return sum(xs) / len(xs) if xs else 0.0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=None)
    ap.add_argument("--write", action="store_true", help="write newsdesk/briefing/date_model.json")
    args = ap.parse_args()
    try:
        root = shared_dir(args.shared) / "data" / "timeline17"
        if not root.is_dir():
            raise DataMissingError(f"{root} is missing")
    except DataMissingError as exc:
        print(f"skipped: {exc}", file=sys.stderr)
        return 0
    sets: list[TimelineSet] = load_sets(root)
    held = loto_rankings(sets)
    weights = daterank.fit_weights([(s.table, s.gold) for s in sets])
    rows = []
    for s in sets:
        n = len(s.gold)
        row = {"set": s.name, "dates": n, "loto": daterank.date_f1(held[s.name][:n], s.gold),
               "in_sample": daterank.date_f1(daterank.rank(s.table, daterank.score(s.table, weights))[:n], s.gold)}
        for name in ("rule", "publication"):
            row[name] = daterank.date_f1(daterank.rank(s.table, daterank.RANKERS[name](s.table))[:n], s.gold)
        rows.append(row)
        print(f"{s.name:28s} N={n:3d}  held-out {row['loto']:.3f}  in-sample {row['in_sample']:.3f}  "
              f"rule {row['rule']:.3f}  publication {row['publication']:.3f}")
    means = {k: round(_mean([r[k] for r in rows]), 3) for k in ("loto", "in_sample", "rule", "publication")}
    print("mean", means, "\nweights (all sets)", weights)
    if args.write:
        model = {
            "weights": weights,
            "features": list(daterank.FEATURES),
            "trained_on": [s.name for s in sets],
            "how": ("scripts/train_date_ranker.py: coordinate ascent (newsdesk.briefing.daterank.fit_weights) "
                    "on the mean date F1 of the visible Timeline17 sets, all sets together"),
            "date_f1": {"leave_one_topic_out_mean": means["loto"], "in_sample_mean": means["in_sample"],
                        "rule_mean": means["rule"], "publication_mean": means["publication"],
                        "per_set_leave_one_topic_out": {r["set"]: round(r["loto"], 3) for r in rows}},
            "written": dt.date.today().isoformat(),
        }
        MODEL.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {MODEL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
