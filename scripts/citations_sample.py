"""Print every corroborating citation of briefs built on real multi-article stories, for reading by hand.

A corroborating citation is a source of a summary sentence beyond its own (first) article, with the
sentence of that article the same-content matcher matched.  Stories (seeded, reproducible):

* ``seeds``: the seed articles of ``$NEWSDESK_SHARED/seeds``, through ``newsdesk.brief`` (clustered);
* ``multinews``: Multi-News test examples (visible chunks) with at least ``--min-docs`` source documents,
  each example one story, through ``newsdesk.summarize`` at ``--words`` words;
* ``t17``: visible Timeline17 topics pooled over outlets (BP oil spill x5, H1N1 x3, ...), one day's articles
  at a time (days with at least ``--min-docs`` articles from two outlets or more), clustered with
  ``newsdesk.cluster``, each story of several articles through ``newsdesk.summarize`` at ``--words`` words.

Everything goes through the public library with default Options; inputs are written as JSON Lines to a
temporary directory and read with ``newsdesk.read``.  The texts are printed to the terminal only, for the
reader: docs/citations.md keeps ids and sentence numbers.

    NEWSDESK_SHARED=/work/shared nice python scripts/citations_sample.py --multinews 400 --t17 30 --words 250
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path

import newsdesk

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}"}


def shared() -> Path:
    return Path(os.environ.get("NEWSDESK_SHARED", "../shared"))


def read_records(records: list[dict], tmp: Path, name: str) -> list[newsdesk.Article]:
    path = tmp / f"{re.sub(r'[^A-Za-z0-9_-]', '_', name)}.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return newsdesk.read([str(path)])


def multinews_stories(n: int, min_docs: int, rng: random.Random) -> list[tuple[str, list[dict]]]:
    examples = []
    for f in sorted((shared() / "data/multi-news-test/multinewsplus_chunks").glob("*.json")):
        for ex in json.loads(f.read_text(encoding="utf-8")):
            docs = [d for d in ex.get("cleansed_document") or [] if d and d.strip()]
            if ex.get("split") == "test" and len(docs) >= min_docs:
                examples.append((int(ex["idx"]), docs))
    examples.sort()
    picked = sorted(rng.sample(examples, min(n, len(examples))))
    return [(f"mn{idx}", [{"id": f"mn{idx}#{i}", "text": d} for i, d in enumerate(docs, 1)])
            for idx, docs in picked]


def t17_stories(n: int, min_docs: int, rng: random.Random) -> list[tuple[str, list[dict]]]:
    by_day: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for folder in sorted((shared() / "data/timeline17").iterdir()):
        src = folder / "articles.json"
        if not src.is_file():
            continue
        topic = folder.name.split("_")[0]
        for rec in json.loads(src.read_text(encoding="utf-8")):
            text = re.sub(r"-[LR][RSC]B-", lambda m: _PTB[m.group(0)], rec.get("text") or "").strip()
            day = str(rec.get("dct"))[:10]
            if text:
                by_day[(topic, day)].append({"id": f"{folder.name}/{rec['uid']}", "text": text,
                                             "published": day, "source": folder.name})
    days = sorted(k for k, v in by_day.items() if len(v) >= min_docs and len({r["source"] for r in v}) >= 2)
    picked = sorted(rng.sample(days, min(n, len(days))))
    return [(f"t17:{topic}:{day}", by_day[(topic, day)]) for topic, day in picked]


def duc_stories(n: int, rng: random.Random) -> list[tuple[str, list[dict]]]:
    """DUC 2004 task 2 clusters (the visible copy; newswire that holds syndicated copies), each one story,
    its documents read as ``newsdesk eval summarize`` reads them."""
    from newsdesk.eval.summarize import _articles_for, load_dataset
    clusters, _ = load_dataset("duc2004")
    picked = sorted(rng.sample(range(len(clusters)), min(n, len(clusters))))
    out = []
    for i in picked:
        arts = _articles_for(clusters[i], newsdesk.Options())
        out.append((f"duc:{clusters[i].name}", [{"id": a.id, "text": a.text, "title": a.title, "source": a.source,
                                                 "published": a.published.isoformat() if a.published else None}
                                                for a in arts]))
    return out


def seed_stories() -> list[tuple[str, list[dict]]]:
    recs = [{"id": f.name, "text": f.read_text(encoding="utf-8")}
            for f in sorted((shared() / "seeds").iterdir()) if f.suffix == ".txt"]
    return [("seeds", recs)]


def citations(story: str, summary: Iterable[newsdesk.SummarySentence],
              copy_of: dict[str, str] | None = None) -> Iterator[dict]:
    """Each corroborating citation; ``copy_of`` (article id -> its original) marks the cited copies."""
    for s in summary:
        for src, m in zip(s.sources[1:], s.matched):
            yield {"story": story, "article": s.sentence.article_id, "sentence": s.sentence.index,
                   "cited": src, "cited_sentence": m.index, "text": s.text, "cited_text": m.text,
                   "copy_of": (copy_of or {}).get(src)}


def t17_found(story: str, articles: list[newsdesk.Article],
              words: int) -> list[tuple[str, list[newsdesk.SummarySentence]]]:
    """Cluster one day's articles into stories and summarize each story of several articles (copies count:
    a copy that reports a summary sentence is cited)."""
    marked = newsdesk.dedupe(articles)
    by_id = {a.id: a for a in marked}
    out = []
    for st in newsdesk.cluster(marked, deduped=True):
        members = [by_id[i] for i in st.article_ids]
        if len(members) > 1:  # several originals, or one with its copies (cited after the originals)
            out.append((f"{story}/{st.id}", newsdesk.summarize(members, words=words)))
    return out


def run(args: argparse.Namespace) -> int:
    todo: list[tuple[str, str, list[dict]]] = []
    if args.seeds:
        todo += [("seeds", s, r) for s, r in seed_stories()]
    todo += [("t17", s, r) for s, r in t17_stories(args.t17, args.min_docs, random.Random(args.seed))]
    todo += [("multinews", s, r) for s, r in multinews_stories(args.multinews, args.min_docs, random.Random(args.seed))]
    todo += [("duc", s, r) for s, r in duc_stories(args.duc, random.Random(args.seed))]
    n = 0
    with tempfile.TemporaryDirectory() as tmp:
        for dataset, story, recs in todo:
            articles = read_records(recs, Path(tmp), story)
            if dataset in ("multinews", "duc"):
                found = [(story, newsdesk.summarize(articles, words=args.words))]
            elif dataset == "t17":
                found = t17_found(story, articles, args.words)
            else:
                found = [(f"{story}/{b.story_id}", b.summary) for b in newsdesk.brief(articles)
                         if len(b.articles) > 1]
            copy_of = {a.id: a.duplicate_of for a in newsdesk.dedupe(articles) if a.duplicate_of}
            for sid, summary in found:
                for c in citations(sid, summary, copy_of):
                    n += 1
                    kind = f"\tcopy of {c['copy_of']}" if c["copy_of"] else "\tindependent"
                    print(f"#{n}\t{dataset}\t{c['story']}\t{c['article']}:{c['sentence']}\t"
                          f"{c['cited']}:{c['cited_sentence']}{kind}")
                    print(f"  S: {c['text']}")
                    print(f"  C: {c['cited_text']}\n", flush=True)
            print(f"# done {dataset} {story}: {n} citations so far", file=sys.stderr, flush=True)
    return 0


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--multinews", type=int, default=40, help="Multi-News examples sampled")
    p.add_argument("--t17", type=int, default=8, help="Timeline17 (topic, day) sets sampled")
    p.add_argument("--min-docs", type=int, default=3, help="least articles of a sampled story")
    p.add_argument("--words", type=int, default=250, help="summary budget for Multi-News examples")
    p.add_argument("--duc", type=int, default=0, help="DUC 2004 clusters sampled (summarized at --words)")
    p.add_argument("--no-seeds", dest="seeds", action="store_false", help="leave out the seed articles")
    p.add_argument("--seed", type=int, default=14, help="random seed of the sampling")
    return run(p.parse_args())


if __name__ == "__main__":
    sys.exit(main())
