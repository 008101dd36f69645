"""How far can choosing whole sentences go on a summarization data set?  A measurement, not a system.

For every sentence of every example it computes the signals an unsupervised extractive summarizer can use
(cross-article support, lexical centrality, direct speech, position, length, article index, number of
articles, content-word density, numbers, entity mentions, and whether newsdesk's ILP picked it) and, as the
target, the sentence's ROUGE-2 precision against the reference summaries.  It then fills the budget with the
sentences ranked by

* a gradient-boosted regressor trained on the *references* of the other examples (5-fold cross-fitting
  grouped by example): a supervised ranker on the very data set, which no unsupervised method can expect to beat;
* the same regressor trained on all examples, the one scored included (it has seen the answers);
* the target itself (the per-sentence oracle of ``newsdesk eval summarize``),

and scores each like ``newsdesk eval summarize`` (rouge-score, stemming, truncated to the budget), beside
newsdesk and Lead in the same run.

    .venv/bin/python scripts/summary_ceiling.py --dataset multinews [--limit N] [--shared PATH]

Reads the data from ../shared (or --shared / $NEWSDESK_SHARED); nothing is written.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import time
from collections import Counter

import numpy as np

import newsdesk
from newsdesk.briefing.summary import _eligible, select_sentences, summarize_parsed
from newsdesk.dedup import mark_duplicates
from newsdesk.eval import summarize as ev
from newsdesk.nlp import NLP

QUOTE = re.compile(r"[\"“”]|``|''")
DIGIT = re.compile(r"\d")
FOLDS = 5


def _idf(parsed) -> dict[str, float]:
    """Inverse document frequency of content stems over the story's sentences."""
    df: Counter[str] = Counter()
    n = 0
    for pa in parsed:
        for ps in pa.sentences:
            df.update(frozenset(ps.content_stems()))
            n += 1
    return {w: math.log((n + 1) / (c + 0.5)) for w, c in df.items()}


def _cosine(a: frozenset[str], b: frozenset[str], idf: dict[str, float]) -> float:
    """Lexical centrality: IDF-weighted cosine of two content-stem sets (a ranking feature here, not a
    same-content decision: that is newsdesk.briefing.matcher's)."""
    shared = a & b
    if not shared:
        return 0.0
    w = lambda ws: sum(idf.get(x, 1.0) for x in ws)  # noqa: E731
    return w(shared) / math.sqrt(w(a) * w(b))


def features(parsed, budget: int, options) -> list[tuple[int, int, list[float]]]:
    """(article, sentence index, feature vector) for every sentence with at least one bigram."""
    idf = _idf(parsed)
    picked = {(ps.sentence.article_id, ps.sentence.index) for _, ps in select_sentences(parsed, budget, options)}
    doc_stems = [set(w for ps in pa.sentences for w in ps.content_stems()) for pa in parsed]
    bags = [(d, ps, frozenset(ps.content_stems())) for d, pa in enumerate(parsed) for ps in pa.sentences]
    out = []
    for d, ps, bag in bags:
        if ps.n_words < 2:
            continue
        others = [o for o in range(len(parsed)) if o != d]
        support = float(np.mean([len(bag & doc_stems[o]) / len(bag) for o in others])) if others and bag else 0.0
        central = float(np.mean([_cosine(bag, b2, idf) for _, p2, b2 in bags if p2 is not ps])) \
            if len(bags) > 1 else 0.0
        text = ps.sentence.text
        n_content = sum(1 for t in ps.tokens if t.is_content)
        out.append((d, ps.sentence.index, [
            support, central, float(bool(QUOTE.search(text))), float(ps.sentence.index), float(ps.n_words),
            float(d), float(len(parsed)), n_content / max(ps.n_words, 1), float(bool(DIGIT.search(text))),
            float(len(ps.entities)), float(_eligible(ps, options)),
            float((ps.sentence.article_id, ps.sentence.index) in picked)]))
    return out


def ranked(parsed, rows, scores, budget: int) -> str:
    """The sentences of ``rows`` best ``scores`` first (ties in document order), filled to the budget."""
    order = sorted(range(len(rows)), key=lambda j: (-scores[j], rows[j][0], rows[j][1]))
    return ev.fill_in_order(parsed, ((rows[j][0], rows[j][1]) for j in order), budget)


def main(argv: list[str] | None = None) -> int:
    from sklearn.ensemble import HistGradientBoostingRegressor

    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--dataset", default="multinews", choices=["multinews", "duc2004", "neus"])
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--shared", default=None)
    args = ap.parse_args(argv)
    clusters, budget = ev.load_dataset(args.dataset, args.shared, args.limit)
    options = newsdesk.Options(words=budget)
    nlp, rouge, bigrams = NLP(options), ev.Rouge(), ev.Bigrams()
    t0 = time.perf_counter()
    examples = []
    for c in clusters:
        articles = [a for a in mark_duplicates(ev._articles_for(c, options), options) if a.duplicate_of is None]
        parsed = nlp.parse_many(articles, deep=False)
        rows = features(parsed, budget, options)
        refs = [bigrams(r) for r in c.refs]
        target = [ev.bigram_precision(parsed[d].sentences[i].sentence.text, refs, bigrams) or 0.0 for d, i, _ in rows]
        examples.append((c, parsed, rows, np.array(target)))
    print(f"{len(examples)} examples parsed and featurised in {time.perf_counter() - t0:.0f} s", file=sys.stderr)

    x = np.array([f for _, _, rows, _ in examples for _, _, f in rows])
    y = np.concatenate([t for *_, t in examples])
    group = np.concatenate([np.full(len(rows), k % FOLDS) for k, (_, _, rows, _) in enumerate(examples)])

    def model():
        return HistGradientBoostingRegressor(max_iter=200, learning_rate=0.05, max_leaf_nodes=15, random_state=0)

    cross = np.zeros(len(y))
    for k in range(FOLDS):
        test = group == k
        cross[test] = model().fit(x[~test], y[~test]).predict(x[test])
    seen = model().fit(x, y).predict(x)
    print(f"correlation with the target: cross-fitted {np.corrcoef(cross, y)[0, 1]:.3f}, "
          f"in-sample {np.corrcoef(seen, y)[0, 1]:.3f}", file=sys.stderr)

    systems = {name: ev.Scores() for name in
               ("newsdesk", "Lead", "ranker trained on the other folds' references", "ranker trained on all references",
                "per-sentence oracle")}
    start = 0
    for c, parsed, rows, target in examples:
        part = slice(start, start + len(rows))
        start += len(rows)
        texts = {
            "newsdesk": " ".join(s.text for s in summarize_parsed(parsed, options, budget)),
            "Lead": ev.lead(parsed, budget),
            "ranker trained on the other folds' references": ranked(parsed, rows, cross[part], budget),
            "ranker trained on all references": ranked(parsed, rows, seen[part], budget),
            "per-sentence oracle": ranked(parsed, rows, target, budget),
        }
        for name, text in texts.items():
            systems[name].add(rouge.score(c.refs, ev.truncate_words(text, budget)))
    kind = "r" if args.dataset == "duc2004" else "f"
    print(f"{args.dataset}: {len(examples)} examples, {budget} words, ROUGE {'recall' if kind == 'r' else 'F1'}")
    print(f"{'':48} {'R-1':>7} {'R-2':>7} {'R-L':>7}")
    for name, s in systems.items():
        print(f"{name:48} " + " ".join(f"{s.mean(f'{m}_{kind}'):7.4f}" for m in ev.METRICS))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
