"""Speed and memory of story clustering (dedupe + cluster, as ``newsdesk cluster`` runs them).

1. The Multi-News mixture (every document of the test examples in ../shared/data, one corpus):
   seconds for newsdesk, and for a peer measured in the same run (the plain all-pairs baseline of
   ``newsdesk eval cluster``: TF-IDF + scipy average linkage), with the ratio.
2. A synthetic stream built on the fly from the same documents (never written to the repository):
   each article re-samples a document, keeps a random 40-90 % of its sentences in a shuffled order
   and drops ~15 % of its words (so it is a new article of the same story, not a copy), and one in
   ten is instead a light copy (one sentence dropped) that dedup must catch.  Sizes 1k, 10k and
   100k (``--sizes``), each in a fresh subprocess so that its peak RSS is its own.

    .venv/bin/python benchmarks/bench_cluster.py                 # everything
    .venv/bin/python benchmarks/bench_cluster.py --sizes 1000,10000 --no-mixture
    .venv/bin/python benchmarks/bench_cluster.py --incremental   # also Clusterer.add in batches of 1000

Timings on a shared 2-core machine are pessimistic; compare ratios measured in one run.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

_SENT = re.compile(r"(?<=[.!?])\s+")


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: kB


def multinews(shared: str | None):
    from newsdesk.eval.cluster import load_dataset

    return load_dataset("multinews", shared)


def synthetic(n: int, seed: int, shared: str | None):
    """``n`` articles re-sampled and perturbed from the Multi-News documents, with gold stories."""
    from newsdesk.models import Article

    docs, gold = multinews(shared)
    rnd = random.Random(seed)
    out, out_gold = [], {}
    for k in range(n):
        d = docs[rnd.randrange(len(docs))]
        sents = _SENT.split(d.text)
        if rnd.random() < 0.1 and len(sents) > 3:  # a light copy (syndication)
            drop = rnd.randrange(len(sents))
            text = " ".join(s for i, s in enumerate(sents) if i != drop)
        else:
            keep = max(1, int(len(sents) * rnd.uniform(0.4, 0.9)))
            picked = rnd.sample(sents, min(keep, len(sents)))
            words = " ".join(picked).split()
            text = " ".join(w for w in words if rnd.random() > 0.15)
        aid = f"syn{k}"
        out.append(Article(id=aid, text=text))
        out_gold[aid] = gold[d.id]
    return out, out_gold


def child(n: int, seed: int, shared: str | None, incremental: bool) -> dict:
    from newsdesk import api
    from newsdesk.eval.cluster import bcubed

    arts, gold = synthetic(n, seed, shared)
    rss_data = peak_rss_mb()
    t0 = time.perf_counter()
    marked = api.dedupe(arts)
    t1 = time.perf_counter()
    stories = api.cluster(marked, deduped=True)
    t2 = time.perf_counter()
    pred = {a: s.id for s in stories for a in s.article_ids}
    res = {"n": n, "dedupe_s": round(t1 - t0, 2), "cluster_s": round(t2 - t1, 2), "total_s": round(t2 - t0, 2),
           "articles_per_s": round(n / (t2 - t0), 1), "duplicates": sum(1 for a in marked if a.duplicate_of),
           "stories": len(stories), "bcubed_f1": round(bcubed(pred, gold)["f1"], 3),
           "peak_rss_mb": round(peak_rss_mb(), 1), "rss_after_generating_mb": round(rss_data, 1)}
    if incremental:
        c = api.Clusterer()
        t0 = time.perf_counter()
        for start in range(0, n, 1000):
            c.add(arts[start:start + 1000])
        secs = time.perf_counter() - t0
        pred = {a: s.id for s in c.stories() for a in s.article_ids}
        res["incremental_s"] = round(secs, 2)
        res["incremental_articles_per_s"] = round(n / secs, 1)
        res["incremental_bcubed_f1"] = round(bcubed(pred, gold)["f1"], 3)
        res["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return res


def mixture(shared: str | None) -> dict:
    from newsdesk import api
    from newsdesk.eval.cluster import baseline_sweep, bcubed

    arts, gold = multinews(shared)
    t0 = time.perf_counter()
    stories = api.cluster(arts)
    nd = time.perf_counter() - t0
    pred = {a: s.id for s in stories for a in s.article_ids}
    t0 = time.perf_counter()
    baseline_sweep(arts, gold, [0.2])
    peer = time.perf_counter() - t0
    return {"documents": len(arts), "newsdesk_s": round(nd, 2), "baseline_all_pairs_s": round(peer, 2),
            "ratio_newsdesk_to_baseline": round(nd / peer, 2), "bcubed_f1": round(bcubed(pred, gold)["f1"], 3)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--shared", default=None)
    ap.add_argument("--no-mixture", action="store_true")
    ap.add_argument("--incremental", action="store_true")
    ap.add_argument("--child", type=int, default=0, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.seed, args.shared, args.incremental)))
        return
    if not args.no_mixture:
        print("multi-news mixture:", json.dumps(mixture(args.shared)), flush=True)
    prev = None
    for n in [int(s) for s in args.sizes.split(",") if s]:
        cmd = [sys.executable, __file__, "--child", str(n), "--seed", str(args.seed)]
        if args.shared:
            cmd += ["--shared", args.shared]
        if args.incremental and n <= 10000:
            cmd.append("--incremental")
        r = subprocess.run(cmd, capture_output=True, text=True, check=True)
        res = json.loads(r.stdout.strip().splitlines()[-1])
        if prev:
            res["time_growth_vs_previous"] = round(res["total_s"] / prev["total_s"], 1)
            res["size_growth_vs_previous"] = round(n / prev["n"], 1)
        print("synthetic stream:", json.dumps(res), flush=True)
        prev = res


if __name__ == "__main__":
    main()
