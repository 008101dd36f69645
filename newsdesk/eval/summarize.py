"""``newsdesk eval summarize``: ROUGE on DUC 2004 task 2 and on Multi-News, beside peers run in the same process.

* ``--dataset duc2004``: the 50 clusters of 10 newswire documents, 100 words, 4 human references each.
  newsdesk reads each cluster folder exactly as ``newsdesk summarize`` does.  The 13 published systems of
  ``peers_sumrepo/`` (Hong et al. 2014) are scored with the same scorer.  Every system's summary — newsdesk's
  included — is truncated to the budget before scoring, as ROUGE-1.5.5's ``-l 100`` does (several published
  summaries run past 100 words; newsdesk's never do).
* ``--dataset multinews``: the test-split examples of Multi-News (``"split" == "test"``), 250 words, F1 against
  the human summary; beside newsdesk, in the same process and on newsdesk's own sentences: Lead (the
  documents' leading sentences, taken round-robin across documents) and sumy's LexRank and TextRank.  sumy's
  default tokenizer needs NLTK data that cannot be downloaded here, so its documents are built from
  newsdesk's sentences through ``sumy.models.dom`` with a regular-expression word tokenizer.

* ``--dataset neus``: the 307 validation stories of NeuS (AllSides headline roundups: a left, a centre and a
  right outlet's title and lead, in random order), 60 words (the editors' neutral summaries run 56 words at
  the median), F1 against the neutral summary, beside the same in-run baselines as Multi-News.  The story's
  headline is scored too, against the editors' neutral title, beside the title of the first article given
  (the articles come in random order).

Scores: rouge-score (Google's re-implementation of ROUGE-1.5.5) with Porter stemming; ROUGE-1, -2, -L recall
and F1, averaged over the references of a cluster, then over clusters.

Two reference points, not systems, are scored beside them on every data set (``"bounds"`` in the JSON), to show
how far choosing whole sentences can move the score: *Random* (all sentences in a seeded random order, filled to
the budget like Lead; mean of three seeds) and *Oracle* (the sentences ranked by their own ROUGE-2 precision
against the references, which it reads — the best that scoring sentences one by one can reach).
"""

from __future__ import annotations

import json
import logging
import random
import re
import time
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import typer

from .common import data_dir

log = logging.getLogger(__name__)

METRICS = ("rouge1", "rouge2", "rougeL")


@dataclass
class Scores:
    """Running means of ROUGE recall and F1 per metric."""

    n: int = 0
    sums: dict[str, float] = field(default_factory=dict)
    rows: list[dict[str, float]] = field(default_factory=list)  # per cluster, in order, for paired comparisons

    def add(self, per_metric: dict[str, float]) -> None:
        self.n += 1
        self.rows.append(per_metric)
        for k, v in per_metric.items():
            self.sums[k] = self.sums.get(k, 0.0) + v

    def mean(self, key: str) -> float:
        return self.sums.get(key, 0.0) / self.n if self.n else 0.0


BOOTSTRAP_SAMPLES = 10_000


def paired(ours: Scores, other: Scores, key: str, samples: int = BOOTSTRAP_SAMPLES, seed: int = 0) -> dict:
    """newsdesk minus another system on one metric over the same clusters: the mean difference, its 95%
    paired-bootstrap interval (clusters resampled with replacement) and the clusters where newsdesk is ahead."""
    import numpy as np

    if ours.n != other.n or not ours.n:
        raise ValueError(f"paired comparison needs the same clusters (got {ours.n} and {other.n})")
    d = np.array([a.get(key, 0.0) - b.get(key, 0.0) for a, b in zip(ours.rows, other.rows)])
    rng = np.random.default_rng(seed)
    means = d[rng.integers(0, len(d), size=(samples, len(d)))].mean(axis=1)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return {"diff": round(float(d.mean()), 5), "ci95": [round(float(lo), 5), round(float(hi), 5)],
            "ahead": int((d > 0).sum()), "behind": int((d < 0).sum()), "clusters": len(d)}


def truncate_words(text: str, words: int) -> str:
    return " ".join(text.split()[:words])


class Rouge:
    def __init__(self) -> None:
        from rouge_score import rouge_scorer

        self._scorer = rouge_scorer.RougeScorer(list(METRICS), use_stemmer=True)

    def score(self, refs: Sequence[str], text: str) -> dict[str, float]:
        out: dict[str, float] = {}
        for ref in refs:
            s = self._scorer.score(ref, text)
            for m in METRICS:
                out[f"{m}_r"] = out.get(f"{m}_r", 0.0) + s[m].recall / len(refs)
                out[f"{m}_f"] = out.get(f"{m}_f", 0.0) + s[m].fmeasure / len(refs)
        return out


# --- data ------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Cluster:
    name: str
    docs: Path | None  # a folder of documents (DUC), or None when texts are given
    texts: tuple[str, ...]
    refs: tuple[str, ...]
    peers: dict[str, str]
    titles: tuple[str, ...] = ()  # per text, when the data set gives titles
    ref_title: str | None = None  # a reference headline


def duc_clusters(root: Path, limit: int | None = None) -> list[Cluster]:
    docs = root / "docs"
    names = sorted((p.name for p in docs.iterdir() if p.is_dir()), key=int)[:limit]
    out = []
    for n in names:
        topic = f"d3{int(n):04d}"
        refs = tuple(p.read_text(encoding="utf-8", errors="replace")
                     for p in sorted((root / "models").glob(f"{topic}.m.100.t.*")))
        peers = {p.suffix[1:]: p.read_text(encoding="utf-8", errors="replace")
                 for p in sorted((root / "peers_sumrepo").glob(f"{topic}.*"))}
        out.append(Cluster(topic, docs / n, (), refs, peers))
    return out


def multinews_examples(root: Path, limit: int | None = None) -> list[Cluster]:
    out: list[Cluster] = []
    files = sorted((root / "multinewsplus_chunks").glob("*.json"))
    for f in files:
        for ex in json.loads(f.read_text(encoding="utf-8")):
            if ex.get("split") != "test":
                continue
            docs = tuple(d for d in ex["cleansed_document"] if d and d.strip())
            if not docs:
                continue
            out.append(Cluster(str(ex["idx"]), None, docs, (ex["summary"],), {}))
    out.sort(key=lambda c: int(c.name))
    return out[:limit] if limit else out


_NEUS_PART = re.compile(r"^\s*TITLE=>(?P<title>.*?)\s*ARTICLE=>(?P<body>.*)$", re.S)


def neus_examples(root: Path, limit: int | None = None) -> list[Cluster]:
    """NeuS validation stories: ``TITLE=> … ARTICLE=> …`` per article, ``[SEP]``-joined, one story a line."""
    folder = root / "naacl2022_lrc_roundup_random_order_probe"
    sources = (folder / "val.source").read_text(encoding="utf-8").splitlines()
    targets = (folder / "val.target").read_text(encoding="utf-8").splitlines()
    if len(sources) != len(targets):
        raise ValueError(f"{folder}: val.source has {len(sources)} lines but val.target {len(targets)}")
    out = []
    for n, (src, tgt) in enumerate(zip(sources, targets), 1):
        parts = [_NEUS_PART.match(d) for d in src.split("[SEP]")]
        ref = _NEUS_PART.match(tgt)
        if ref is None or not all(parts):
            log.warning("%s line %d: not TITLE=> … ARTICLE=> …; skipped", folder, n)
            continue
        out.append(Cluster(f"neus-val-{n}", None, tuple(m.group("body").strip() for m in parts if m),
                           (ref.group("body").strip(),), {},
                           titles=tuple(m.group("title").strip() for m in parts if m),
                           ref_title=ref.group("title").strip()))
    return out[:limit] if limit else out


# --- baselines on newsdesk's own sentences -------------------------------------------------------------

def _fill(sentences: Iterable[str], words: int) -> list[str]:
    """Whole sentences in the given order while they fit in the budget."""
    picked, used = [], 0
    for s in sentences:
        n = len(s.split())
        if used + n <= words:
            picked.append(s)
            used += n
    return picked


def lead(parsed: Sequence, words: int) -> str:
    """Leading sentences of the documents, round-robin (1st of each, then 2nd of each, ...)."""
    order = []
    depth = max((len(pa.sentences) for pa in parsed), default=0)
    for i in range(depth):
        for pa in parsed:
            if i < len(pa.sentences):
                order.append(pa.sentences[i].sentence.text)
    return " ".join(_fill(order, words))


class _RegexTokenizer:
    """Word tokenizer for sumy's document model (its default one needs NLTK data)."""

    language = "english"
    _word = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")

    def to_words(self, sentence: str) -> list[str]:
        return self._word.findall(sentence)

    def to_sentences(self, paragraph: str) -> list[str]:  # pragma: no cover - unused: sentences are given
        return [paragraph]


def sumy_summary(kind: str, parsed: Sequence, words: int) -> str:
    from sumy.models.dom import ObjectDocumentModel, Paragraph
    from sumy.models.dom import Sentence as SumySentence
    from sumy.nlp.stemmers import Stemmer
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    tok = _RegexTokenizer()
    doc = ObjectDocumentModel(tuple(
        Paragraph(tuple(SumySentence(ps.sentence.text, tok) for ps in pa.sentences))
        for pa in parsed if pa.sentences))
    summarizer = (LexRankSummarizer if kind == "lexrank" else TextRankSummarizer)(Stemmer("english"))
    summarizer.stop_words = get_stop_words("english")

    def budget(infos: list) -> list:  # infos arrive best-rated first
        picked, used = [], 0
        for info in infos:
            n = len(str(info.sentence).split())
            if used + n <= words:
                picked.append(info)
                used += n
        return picked

    if not doc.sentences:
        return ""
    return " ".join(str(s) for s in summarizer(doc, budget))


# --- reference points: how far sentence choice can move the score -------------------------------------

class Bigrams:
    """Bigram counts of a text as rouge-score's ROUGE-2 sees them (its tokenizer, Porter stemming)."""

    def __init__(self) -> None:
        from rouge_score import tokenizers

        self._tokenizer = tokenizers.DefaultTokenizer(use_stemmer=True)

    def __call__(self, text: str) -> Counter:
        toks = self._tokenizer.tokenize(text)
        return Counter(zip(toks, toks[1:]))


def fill_in_order(parsed: Sequence, ranked: Iterable[tuple[int, int]], words: int) -> str:
    """The (article, sentence) positions of ``ranked``, best first, kept while they fit in ``words``; the kept
    sentences are joined in document order."""
    keep, used = set(), 0
    for d, i in ranked:
        n = parsed[d].sentences[i].n_words
        if used + n <= words:
            keep.add((d, i))
            used += n
    return " ".join(ps.sentence.text for d, pa in enumerate(parsed) for i, ps in enumerate(pa.sentences)
                    if (d, i) in keep)


def bigram_precision(text: str, ref_counts: Sequence[Counter], bigrams: Bigrams) -> float | None:
    """ROUGE-2 precision of ``text`` against each reference's bigram counts, averaged (None: no bigram)."""
    own = bigrams(text)
    total = sum(own.values())
    if not total or not ref_counts:
        return None
    return sum(sum(min(c, rc[b]) for b, c in own.items()) for rc in ref_counts) / len(ref_counts) / total


def random_summary(parsed: Sequence, words: int, seed: int) -> str:
    """All sentences in a seeded random order, kept while they fit in the budget (shown in document order)."""
    keys = [(d, i) for d, pa in enumerate(parsed) for i in range(len(pa.sentences))]
    random.Random(seed).shuffle(keys)
    return fill_in_order(parsed, keys, words)


def oracle_summary(parsed: Sequence, refs: Sequence[str], words: int, bigrams: Bigrams) -> str:
    """The sentences with the highest ROUGE-2 precision against the references (it reads them), kept while they
    fit: an upper bound for any method that scores sentences one at a time and fills the budget."""
    ref_counts = [bigrams(r) for r in refs]
    ranked = []
    for d, pa in enumerate(parsed):
        for i, ps in enumerate(pa.sentences):
            p = bigram_precision(ps.sentence.text, ref_counts, bigrams)
            if p is not None:
                ranked.append((-p, d, i))
    ranked.sort()
    return fill_in_order(parsed, ((d, i) for _, d, i in ranked), words)


RANDOM_SEEDS = 3


# --- readability --------------------------------------------------------------------------------------

@dataclass
class ReadabilityTally:
    """newsdesk's readability over a data set (:mod:`newsdesk.briefing.readability`): the share of stories
    whose first summary sentence is among the first two sentences of some article, the share of summary
    sentences that open dangling (a connective or pronoun without the sentence it leans on before it), and
    the number of summary sentence pairs the same-content matcher calls one fact."""

    stories: int = 0
    leads: int = 0
    sentences: int = 0
    dangling: int = 0
    same_content_pairs: int = 0

    def add(self, summary: Sequence, parsed: Sequence, threshold: float | None) -> None:
        from newsdesk.briefing.readability import measure

        by_span = {(ps.sentence.article_id, ps.sentence.start): ps for pa in parsed for ps in pa.sentences}
        sentences = [by_span[key] for s in summary
                     if (key := (s.sentence.article_id, s.sentence.start)) in by_span]
        if len(sentences) != len(summary):
            log.warning("%d summary sentences not found among the parsed sentences", len(summary) - len(sentences))
        if not sentences:
            return
        r = measure(sentences, parsed, threshold)
        self.stories += 1
        self.leads += r.lead
        self.sentences += r.sentences
        self.dangling += r.dangling
        self.same_content_pairs += r.same_content_pairs

    def result(self) -> dict:
        return {"stories": self.stories, "lead_share": round(self.leads / max(self.stories, 1), 4),
                "sentences": self.sentences, "dangling_share": round(self.dangling / max(self.sentences, 1), 4),
                "dangling": self.dangling, "same_content_pairs": self.same_content_pairs}


# --- running ------------------------------------------------------------------------------------------

def _articles_for(cluster: Cluster, options):  # -> list[Article]
    import newsdesk
    from newsdesk import clean

    if cluster.docs is not None:
        return newsdesk.read([str(cluster.docs)], options)
    titles = cluster.titles or ("",) * len(cluster.texts)
    raw = [newsdesk.Article(id=f"{cluster.name}#{i}", text=t, raw_text=t, title=title or None,
                            meta={"format": "json"})
           for i, (t, title) in enumerate(zip(cluster.texts, titles), 1)]
    return clean.clean_articles(raw, options)


def load_dataset(dataset: str, shared: str | None = None, limit: int | None = None) -> tuple[list[Cluster], int]:
    """The clusters of a data set and its default word budget."""
    if dataset == "duc2004":
        return duc_clusters(data_dir("duc2004-task2", shared), limit), 100
    if dataset == "multinews":
        return multinews_examples(data_dir("multi-news-test", shared), limit), 250
    if dataset == "neus":
        return neus_examples(data_dir("neus-allsides", shared), limit), 60
    raise typer.BadParameter(f"unknown dataset {dataset!r} (duc2004, multinews or neus)")


def run(dataset: str, shared: str | None = None, limit: int | None = None, words: int | None = None,
        progress: Callable[[], None] | None = None) -> dict:
    """Score newsdesk (and the peers) on a data set; returns {"systems": {name: {metric: mean}}, ...}."""
    import newsdesk
    from newsdesk.briefing.headline import headline
    from newsdesk.nlp import NLP

    clusters, default_budget = load_dataset(dataset, shared, limit)
    budget = words or default_budget
    options = newsdesk.Options(words=budget)
    rouge = Rouge()
    nlp = NLP(options)
    t0 = time.perf_counter()
    nlp.pipeline(deep=False)
    load_s = time.perf_counter() - t0
    systems: dict[str, Scores] = {}
    seconds: dict[str, float] = {}
    headlines: dict[str, Scores] = {}
    bounds: dict[str, Scores] = {"Random": Scores(), "Oracle": Scores()}
    bigrams = Bigrams()
    readable = ReadabilityTally()

    def record(name: str, refs: Sequence[str], text: str, dt: float) -> None:
        systems.setdefault(name, Scores()).add(rouge.score(refs, truncate_words(text, budget)))
        seconds[name] = seconds.get(name, 0.0) + dt

    for c in clusters:
        t = time.perf_counter()
        articles = _articles_for(c, options)
        summary = newsdesk.summarize(articles, options, nlp=nlp)
        record("newsdesk", c.refs, " ".join(s.text for s in summary), time.perf_counter() - t)
        for name, text in c.peers.items():
            record(name, c.refs, text, 0.0)
        marked = newsdesk.dedupe(articles, options)
        parsed = nlp.parse_many([a for a in marked if a.duplicate_of is None], deep=False)
        readable.add(summary, parsed, options.attribution_threshold)
        seed = zlib.crc32(c.name.encode())
        runs = [rouge.score(c.refs, truncate_words(random_summary(parsed, budget, seed + k), budget))
                for k in range(RANDOM_SEEDS)]
        bounds["Random"].add({m: sum(r[m] for r in runs) / len(runs) for m in runs[0]})
        bounds["Oracle"].add(rouge.score(c.refs, truncate_words(oracle_summary(parsed, c.refs, budget, bigrams),
                                                                budget)))
        if dataset in ("multinews", "neus"):
            if c.ref_title:
                ours = headline(parsed, summary)
                first = next((a.title for a in articles if a.title), "")
                for name, text in (("newsdesk", ours), ("first article's title", first)):
                    headlines.setdefault(name, Scores()).add(rouge.score([c.ref_title], text))
            t = time.perf_counter()
            record("Lead", c.refs, lead(parsed, budget), time.perf_counter() - t)
            for kind, name in (("lexrank", "LexRank (sumy)"), ("textrank", "TextRank (sumy)")):
                t = time.perf_counter()
                record(name, c.refs, sumy_summary(kind, parsed, budget), time.perf_counter() - t)
        if progress:
            progress()
    return {
        "dataset": dataset, "clusters": len(clusters), "words": budget, "model_load_s": round(load_s, 2),
        "systems": {name: {k: round(s.mean(k), 5) for k in sorted(s.sums)} for name, s in systems.items()},
        "seconds": {k: round(v, 2) for k, v in seconds.items()},
        "readability": readable.result(),
        "bounds": {name: {k: round(s.mean(k), 5) for k in sorted(s.sums)} for name, s in bounds.items()},
        # newsdesk minus each other system, per metric, with a 95% paired-bootstrap interval over the clusters
        "paired": {name: {k: paired(systems["newsdesk"], s, k) for k in sorted(s.sums)}
                   for name, s in systems.items() if name != "newsdesk"},
        **({"headlines": {name: {k: round(s.mean(k), 5) for k in sorted(s.sums) if k.endswith("_f")}
                          for name, s in headlines.items()}} if headlines else {}),
    }


def register(app: typer.Typer) -> None:
    @app.command("summarize")
    def summarize_cmd(
        dataset: str = typer.Option("duc2004", "--dataset", "-d", help="duc2004, multinews or neus"),
        limit: int | None = typer.Option(None, "--limit", help="Only the first N clusters/examples."),
        words: int | None = typer.Option(None, "--words", help="Budget (default 100 for DUC, 250 Multi-News, "
                                         "60 NeuS)."),
        shared: str | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """ROUGE of newsdesk's summaries beside published systems / baselines, same scorer, same run."""
        from rich.console import Console
        from rich.progress import Progress

        from .common import or_exit

        console = Console(stderr=True)

        def scored() -> dict:
            with Progress(console=console, transient=True, disable=as_json or not console.is_terminal) as bar:
                task = bar.add_task(f"eval {dataset}", total=None)
                return run(dataset, shared, limit, words, progress=lambda: bar.advance(task))

        result = or_exit(scored, console)
        if as_json:
            print(json.dumps(result, indent=2))
            return
        _print_tables(result, dataset)


def _print_tables(result: dict, dataset: str) -> None:
    """The score tables, the paired differences, the readability line and the bounds, on the console."""
    from rich.console import Console
    from rich.table import Table

    key = "rouge2_r" if dataset == "duc2004" else "rouge2_f"
    def score_table(title: str, first: str) -> Table:
        t = Table(title=title)
        t.add_column(first, no_wrap=True)
        for m in METRICS:
            short = m.replace("rouge", "R-")
            t.add_column(f"{short} R", justify="right")
            t.add_column(f"{short} F", justify="right")
        return t

    table = score_table(f"{dataset}: {result['clusters']} clusters, {result['words']} words, rouge-score "
                        "with stemming (summaries truncated to the budget)", "system")
    table.add_column("s", justify="right")
    for name, s in sorted(result["systems"].items(), key=lambda kv: -kv[1][key]):
        style = "bold" if name == "newsdesk" else None
        table.add_row(name, *[f"{s[f'{m}_{x}']:.4f}" for m in METRICS for x in "rf"],
                      f"{result['seconds'].get(name, 0):.1f}" if name in result["seconds"] else "",
                      style=style)
    Console().print(table)
    for m in METRICS:
        k = f"{m}_{key[-1]}"
        best = max((n for n in result["paired"]), key=lambda n: result["systems"][n][k], default=None)
        if best is not None:
            p = result["paired"][best][k]
            Console().print(
                f"newsdesk − {best} (best other on {m.replace('rouge', 'R-')} {key[-1].upper()}): "
                f"{p['diff']:+.4f}, 95% paired-bootstrap interval {p['ci95'][0]:+.4f} … {p['ci95'][1]:+.4f}; "
                f"ahead on {p['ahead']}, behind on {p['behind']} of {p['clusters']}", markup=False)
    r = result["readability"]
    Console().print(
        f"readability: first sentence a lead (among an article's first two) in {r['lead_share']:.1%} of "
        f"{r['stories']} stories; {r['dangling']} of {r['sentences']} summary sentences open dangling "
        f"({r['dangling_share']:.1%}); {r['same_content_pairs']} pairs of summary sentences with the same "
        "content", markup=False)
    bounds = score_table("reference points, not systems: Random (all sentences, seeded order, mean of "
                         f"{RANDOM_SEEDS}) and Oracle (sentences by their ROUGE-2 precision; reads the references)",
                         "bound")
    for name, s in result["bounds"].items():
        bounds.add_row(name, *[f"{s[f'{m}_{x}']:.4f}" for m in METRICS for x in "rf"])
    Console().print(bounds)
    if result.get("headlines"):
        heads = Table(title="headlines against the editors' neutral titles (F1)")
        heads.add_column("system", no_wrap=True)
        for m in METRICS:
            heads.add_column(f"{m.replace('rouge', 'R-')} F", justify="right")
        for name, h in sorted(result["headlines"].items(), key=lambda kv: -kv[1]["rouge1_f"]):
            heads.add_row(name, *[f"{h[f'{m}_f']:.4f}" for m in METRICS],
                          style="bold" if name == "newsdesk" else None)
        Console().print(heads)
    if dataset in ("multinews", "neus"):
        Console().print("sumy's LexRank and TextRank ran on newsdesk's own sentences through sumy.models.dom "
                        "(sumy's default tokenizer needs NLTK data that cannot be downloaded here).")
