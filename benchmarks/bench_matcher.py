"""Benchmark: the same-content matcher's cost inside the brief, on one core.

1. Embedding throughput of MiniLM (``newsdesk.briefing.embed``): sentences per CPU second (one torch thread).
2. The brief of a 10-article DUC 2004 story, warm (models loaded, a different story briefed first), including
   every embedding it needs (goal: under 3 s).
3. The whole brief (dedupe + brief per story, the Multi-News examples as stories) of the first ``--articles``
   Multi-News test articles, beside a bare spaCy parse (full pipeline) of the same texts measured in the same
   run (goal: at most 2.5x).

    python benchmarks/bench_matcher.py [--articles 1000] [--sentences 1000]

CPU seconds of this process (the one-core cost; the machine may be shared) and wall seconds.
Reads ../shared/data (or $NEWSDESK_SHARED/data); exits with a message when absent.
"""

from __future__ import annotations

import argparse  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402

from _timing import timed  # one thread, set before numpy and torch load

import newsdesk  # noqa: E402
from newsdesk.eval.common import DataMissingError  # noqa: E402
from newsdesk.eval.summarize import _articles_for, load_dataset  # noqa: E402
from newsdesk.models import Story  # noqa: E402
from newsdesk.nlp import NLP  # noqa: E402


def multinews(n: int) -> tuple[list[Any], list[Story]]:
    clusters, _ = load_dataset("multinews")
    arts, stories = [], []
    for c in clusters:
        if len(arts) >= n:
            break
        mine = _articles_for(c, newsdesk.Options())
        arts += mine
        stories.append(Story(c.name, tuple(a.id for a in mine)))
    return arts, stories


def throughput(arts: list[Any], n: int) -> None:
    from newsdesk.briefing.embed import Embedder
    nlp = NLP()
    sents = [ps.sentence.text for pa in nlp.parse_many(arts[:200], deep=False) for ps in pa.sentences][:n]
    emb = Embedder()
    emb.embed(["warm the model up."])
    _, cpu, wall = timed(lambda: emb.embed(sents))
    print(f"embedding: {len(sents)} sentences in {cpu:.1f} s CPU ({wall:.1f} s wall): "
          f"{len(sents) / cpu:.0f} sentences/s/core")


def ten_articles() -> None:
    clusters, _ = load_dataset("duc2004", limit=2)
    nlp = NLP()
    warm = _articles_for(clusters[1], newsdesk.Options())
    newsdesk.brief(warm, stories=[Story("warm", tuple(a.id for a in warm))], nlp=nlp)
    arts = _articles_for(clusters[0], newsdesk.Options())
    from newsdesk.briefing.embed import default_embedder
    before = default_embedder().embedded
    _, cpu, wall = timed(lambda: newsdesk.brief(arts, stories=[Story("s", tuple(a.id for a in arts))], nlp=nlp))
    print(f"brief of a {len(arts)}-article DUC 2004 story, warm: {cpu:.2f} s CPU ({wall:.2f} s wall), "
          f"{default_embedder().embedded - before} sentences embedded")


def whole(arts: list[Any], stories: list[Story]) -> None:
    from newsdesk.briefing.embed import default_embedder
    nlp = NLP()
    pipe = nlp.pipeline(deep=True)
    pipe("Warm up.")
    _, p_cpu, p_wall = timed(lambda: list(pipe.pipe((a.text for a in arts), batch_size=64)))
    before = default_embedder().embedded
    briefs, b_cpu, b_wall = timed(lambda: newsdesk.brief(arts, stories=stories, nlp=nlp))
    n_sent = sum(len(pa.sentences) for pa in nlp.parse_many([a for a in arts if a.duplicate_of is None]))
    print(f"{len(arts)} Multi-News articles, {len(stories)} stories: bare spaCy parse {p_cpu:.1f} s CPU "
          f"({p_wall:.1f} s wall); whole brief {b_cpu:.1f} s CPU ({b_wall:.1f} s wall) = {b_cpu / p_cpu:.2f}x; "
          f"{default_embedder().embedded - before} of {n_sent} sentences embedded; {len(briefs)} briefs")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--articles", type=int, default=1000)
    ap.add_argument("--sentences", type=int, default=1000)
    ap.add_argument("--skip", default="", help="comma-separated parts to skip: embed,ten,whole")
    args = ap.parse_args()
    import torch
    torch.set_num_threads(1)
    skip = set(args.skip.split(","))
    try:
        arts, stories = multinews(args.articles)
        if "embed" not in skip:
            throughput(arts, args.sentences)
        if "ten" not in skip:
            ten_articles()
        if "whole" not in skip:
            whole(arts, stories)
    except DataMissingError as exc:
        print(f"benchmark skipped: {exc}", file=sys.stderr)


if __name__ == "__main__":
    main()
