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
"""

from __future__ import annotations

import json
import logging
import re
import time
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

    def add(self, per_metric: dict[str, float]) -> None:
        self.n += 1
        for k, v in per_metric.items():
            self.sums[k] = self.sums.get(k, 0.0) + v

    def mean(self, key: str) -> float:
        return self.sums.get(key, 0.0) / self.n if self.n else 0.0


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


def run(dataset: str, shared: str | None = None, limit: int | None = None, words: int | None = None,
        progress: Callable[[], None] | None = None) -> dict:
    """Score newsdesk (and the peers) on a data set; returns {"systems": {name: {metric: mean}}, ...}."""
    import newsdesk
    from newsdesk.nlp import NLP
    from newsdesk.summarize import headline

    if dataset == "duc2004":
        clusters = duc_clusters(data_dir("duc2004-task2", shared), limit)
        budget = words or 100
    elif dataset == "multinews":
        clusters = multinews_examples(data_dir("multi-news-test", shared), limit)
        budget = words or 250
    elif dataset == "neus":
        clusters = neus_examples(data_dir("neus-allsides", shared), limit)
        budget = words or 60
    else:
        raise typer.BadParameter(f"unknown dataset {dataset!r} (duc2004, multinews or neus)")
    options = newsdesk.Options(words=budget)
    rouge = Rouge()
    nlp = NLP(options)
    t0 = time.perf_counter()
    nlp.pipeline(deep=False)
    load_s = time.perf_counter() - t0
    systems: dict[str, Scores] = {}
    seconds: dict[str, float] = {}
    headlines: dict[str, Scores] = {}

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
        if dataset in ("multinews", "neus"):
            marked = newsdesk.dedupe(articles, options)
            parsed = nlp.parse_many([a for a in marked if a.duplicate_of is None], deep=False)
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
        from rich.table import Table

        from .common import DataMissingError

        console = Console(stderr=True)
        try:
            with Progress(console=console, transient=True, disable=as_json or not console.is_terminal) as bar:
                task = bar.add_task(f"eval {dataset}", total=None)
                result = run(dataset, shared, limit, words, progress=lambda: bar.advance(task))
        except DataMissingError as exc:
            console.print(f"newsdesk: {exc}", markup=False)
            raise typer.Exit(2) from exc
        if as_json:
            print(json.dumps(result, indent=2))
            return
        key = "rouge2_r" if dataset == "duc2004" else "rouge2_f"
        table = Table(title=f"{dataset}: {result['clusters']} clusters, {result['words']} words, rouge-score "
                            "with stemming (summaries truncated to the budget)")
        table.add_column("system", no_wrap=True)
        for m in METRICS:
            short = m.replace("rouge", "R-")
            table.add_column(f"{short} R", justify="right")
            table.add_column(f"{short} F", justify="right")
        table.add_column("s", justify="right")
        for name, s in sorted(result["systems"].items(), key=lambda kv: -kv[1][key]):
            style = "bold" if name == "newsdesk" else None
            table.add_row(name, *[f"{s[f'{m}_{x}']:.4f}" for m in METRICS for x in "rf"],
                          f"{result['seconds'].get(name, 0):.1f}" if name in result["seconds"] else "",
                          style=style)
        Console().print(table)
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
