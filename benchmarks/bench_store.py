"""Store benchmark: ingest, incremental add (rebuilt state) and read speed on a synthetic stream.

    .venv/bin/python benchmarks/bench_store.py [--articles 10000] [--keep desk.sqlite]

Synthetic articles (made-up words, ``--stories`` topics, about ten articles each, spread
over 30 days) are added in batches of ``--batch`` (one transaction each).  Beside it, in
the same run, the peer: the batch pipeline (``dedupe`` + ``cluster``) on the same
articles in memory, and the online ``Clusterer`` fed the same batches in memory (what the
store runs inside each ``add``), so the figures can be read as ratios on any machine.
Then: one more small batch added from a fresh process-like state (the clusterer is
rebuilt from the stored rows), and read latency of the story page's queries
(``story`` + ``brief`` + ``articles``) over random stories.

Briefs here are cheap stand-ins (first sentence of each story's first article, no NLP)
so that every story page has a brief; ``--keep PATH`` leaves the store for the web load
test (``newsdesk serve --db PATH``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import newsdesk
import newsdesk.briefing
from newsdesk.models import Brief, Sentence, SummarySentence
from newsdesk.store import Store


def corpus(n: int, stories: int, seed: int = 7) -> list[newsdesk.Article]:
    rng = random.Random(seed)
    syll = ["ka", "lo", "mir", "tan", "vel", "dor", "sum", "pel", "ri", "zon", "ba", "que", "nis", "tor", "ul"]
    vocab = sorted({"".join(rng.choice(syll) for _ in range(rng.randint(2, 4))) for _ in range(6000)})
    common = vocab[:300]
    topics = [rng.sample(vocab[300:], 12) for _ in range(stories)]
    out = []
    for k in range(n):
        t = rng.randrange(stories)
        words = topics[t]
        sents = []
        for _ in range(8):
            ws = rng.sample(words, 4) + rng.sample(common, 8)
            rng.shuffle(ws)
            sents.append(" ".join(ws).capitalize() + ".")
        out.append(newsdesk.Article(
            id=f"a{k:06d}", text=" ".join(sents), title=" ".join(rng.sample(words, 5)).title(),
            source=f"Outlet {rng.randrange(40)}", published=dt.date(2024, 1, 1) + dt.timedelta(days=t % 30)))
    return out


def cheap_brief(story, articles, options=None, *, nlp=None, progress=None):
    by_id = {a.id: a for a in articles}
    members = tuple(by_id[i] for i in story.article_ids)
    a = members[0]
    end = a.text.find(".") + 1 or len(a.text)
    return Brief(story.id, a.title or a.id, members,
                 summary=(SummarySentence(Sentence(a.id, 0, end, a.text[:end]), (a.id,)),))


class NoNLP:
    def parse_many(self, articles, deep=True, progress=None):
        return []


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--articles", type=int, default=10_000)
    ap.add_argument("--stories", type=int, default=0, help="topics (default: articles / 10)")
    ap.add_argument("--batch", type=int, default=500)
    ap.add_argument("--reads", type=int, default=2000)
    ap.add_argument("--keep", type=Path, default=None)
    args = ap.parse_args()
    n = args.articles
    arts = corpus(n + 50, args.stories or max(1, n // 10))
    main_part, extra = arts[:n], arts[n:]
    print(f"newsdesk store benchmark: {n} synthetic articles, batches of {args.batch} "
          f"(timings on a shared machine are pessimistic)")

    t = time.perf_counter()
    newsdesk.cluster(newsdesk.dedupe(main_part), deduped=True)
    peer = time.perf_counter() - t
    print(f"peer  dedupe + cluster in memory (batch):       {peer:7.2f} s")
    t = time.perf_counter()
    stream = newsdesk.Clusterer()
    for k in range(0, n, args.batch):
        stream.add(main_part[k:k + args.batch])
    peer2 = time.perf_counter() - t
    print(f"peer2 Clusterer.add in the same batches, in memory: {peer2:7.2f} s")

    with tempfile.TemporaryDirectory() as d:
        path = args.keep or Path(d) / "bench.sqlite"
        if path.exists():
            sys.exit(f"{path} exists; remove it first")
        newsdesk.briefing.brief_story = cheap_brief  # type: ignore[assignment]
        with Store(path) as s:
            t = time.perf_counter()
            for k in range(0, n, args.batch):
                s.add(main_part[k:k + args.batch])
            ingest = time.perf_counter() - t
            print(f"store add, {n // args.batch} transactions:               {ingest:7.2f} s "
                  f"({n / ingest:,.0f} articles/s; {ingest / peer:.1f}x the peer, {ingest / peer2:.2f}x peer2)")
            t = time.perf_counter()
            s.refresh(nlp=NoNLP())
            print(f"store refresh (cheap briefs, {s.counts()['stories']} stories): {time.perf_counter() - t:7.2f} s")
            t = time.perf_counter()
            again = s.add(main_part[: args.batch])
            print(f"re-add {args.batch} unchanged articles:               {time.perf_counter() - t:7.3f} s "
                  f"({len(again.unchanged)} unchanged)")
        with Store(path) as s:  # as a new process: the clusterer is rebuilt from the stored rows
            t = time.perf_counter()
            r = s.add(extra)
            inc = time.perf_counter() - t
            print(f"add {len(extra)} new articles to a reopened store (rebuild): {inc:7.2f} s "
                  f"({len(r.changed_stories)} stories changed)")
            t = time.perf_counter()
            redo = s.refresh(nlp=NoNLP())
            print(f"refresh after it: {len(redo)} briefs recomputed in {time.perf_counter() - t:.2f} s")
            ids = [row.id for row in s.stories(limit=1 << 30)]
            rng = random.Random(1)
            lat = []
            for _ in range(args.reads):
                sid = rng.choice(ids)
                t = time.perf_counter()
                story = s.story(sid)
                s.brief(sid)
                s.articles(story.article_ids)
                lat.append((time.perf_counter() - t) * 1000)
            print(f"story page reads (story + brief + articles), {args.reads} random stories: "
                  f"p50 {statistics.median(lat):.2f} ms, p99 {pct(lat, 0.99):.2f} ms, "
                  f"{1000 * len(lat) / sum(lat):,.0f}/s on one thread")
            t = time.perf_counter()
            for q in ("outlet", "kalo tan", '"AND OR ('):
                s.search(q)
            print(f"3 searches: {(time.perf_counter() - t) * 1000:.1f} ms; list page: ", end="")
            t = time.perf_counter()
            s.stories(50)
            print(f"{(time.perf_counter() - t) * 1000:.1f} ms; check: {s.check() or 'ok'}")
        if args.keep:
            print(f"kept {path}")


if __name__ == "__main__":
    main()
