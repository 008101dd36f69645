"""Does dateparser find a story's important days better than newsdesk's date grammar?  Measured.

    python scripts/dates_vs_dateparser.py [--topic haiti_bbc --topic H1N1_bbc ...]

For each visible Timeline17 set, the day mentions of every article are found twice: by
``newsdesk.dates.find_dates`` and by ``dateparser.search.search_dates`` (English, the article's
publication date as the relative base, day-level results only).  Each is fed to the same day ranking
(the rule baseline of ``newsdesk.briefing.daterank``: articles mentioning the day + a quarter per
publication) and scored by date F1 against the journalists' timeline; the time of each finder is printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from newsdesk.briefing import daterank
from newsdesk.dates import DateMention, find_dates
from newsdesk.eval.common import shared_dir
from newsdesk.eval.timeline import load_topic


def with_dateparser(text: str, published: dt.date | None) -> list[DateMention]:
    from dateparser.search import search_dates

    if published is None:
        return []
    base = dt.datetime(published.year, published.month, published.day)
    settings: Any = {"RELATIVE_BASE": base, "PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month"]}
    found = search_dates(text, languages=["en"], settings=settings) or []
    return [DateMention(0, 0, phrase, d.date().isoformat(), "dateparser") for phrase, d in found]


def score(articles: list[Any], gold: list[str], finder: Callable[..., list[DateMention]]) -> tuple[float, float]:
    t = time.process_time()
    dated = [(a.published, finder(a.text, a.published)) for a in articles]
    spent = time.process_time() - t
    table = daterank.date_table(dated)
    return daterank.date_f1(daterank.rank(table, daterank.rule_scores(table))[:len(gold)], gold), spent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--topic", action="append", default=None)
    args = ap.parse_args()
    root = shared_dir() / "data" / "timeline17"
    topics = args.topic or ["haiti_bbc", "H1N1_bbc", "MJ_bbc"]
    for name in topics:
        articles, golds = load_topic(Path(root) / name)
        for _, gold_events in golds:
            gold = sorted({e["date"][:10] for e in gold_events})
            ours, t_ours = score(articles, gold, find_dates)
            theirs, t_theirs = score(articles, gold, with_dateparser)
            print(f"{name}: date F1 newsdesk.dates {ours:.3f} ({t_ours:.1f} s), "
                  f"dateparser.search_dates {theirs:.3f} ({t_theirs:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
