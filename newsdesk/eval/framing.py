"""``newsdesk eval framing``: an outlet's "its words" terms against BASIL's lexical-bias annotations.

BASIL (Fan et al. 2019) gives 100 events, each reported by Fox News, the New York Times and HuffPost, with
every phrase an annotator judged *lexical bias* (a loaded word choice: "fierce criticism", "slammed")
marked in each article.  Each event is one story of three outlets; newsdesk's
:func:`~newsdesk.briefing.outlets.characteristic_terms` shows each outlet's terms, and every shown term is
judged:

* **bias-annotated**: the term lies inside a lexical-bias span of that outlet's article;
* **outlet-specific wording**: the term is used at least twice by that outlet and never by the other two
  (a word choice only one outlet makes, whether or not an annotator marked it).

Precision is the share of shown terms that are either (and, apart, the share that are bias-annotated), beside
a frequency baseline that shows the same number of terms per outlet: the outlet's most frequent candidate
terms (the same candidate words, counted, ties by first use).

``--tune`` re-tunes ``terms_prior_scale`` and ``terms_min_z`` on BASIL, cross-validated across events (5 folds:
each fold's setting is chosen on the other four, and scored on it), maximising precision among settings that
show a term for at least half of the outlets.
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import typer

from .common import data_dir

log = logging.getLogger(__name__)

PRIOR_SCALES = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0, 1000.0)
MIN_ZS = (0.5, 1.0, 1.5, 2.0, 2.5, 3.0)
FOLDS = 5
MIN_COVERAGE = 0.5  # a setting must show terms for at least this share of outlets


@dataclass(frozen=True)
class Event:
    uuid: str
    articles: tuple  # (Article, lexical-bias spans as lower-cased texts)


def load_events(root: Path, limit: int | None = None) -> list[Event]:
    from newsdesk.models import Article

    by_event: dict[str, list] = {}
    for path in sorted((root / "articles").glob("*/*.json")):
        art = json.loads(path.read_text(encoding="utf-8"))
        ann_path = root / "annotations" / path.parent.name / f"{path.stem}_ann.json"
        spans: list[str] = []
        if ann_path.exists():
            ann = json.loads(ann_path.read_text(encoding="utf-8"))
            spans = [p["txt"].lower() for p in ann.get("phrase-level-annotations", []) if p.get("bias") == "lex"]
        paras = [" ".join(p) if isinstance(p, list) else str(p) for p in art.get("body-paragraphs", [])]
        text = "\n\n".join(p for p in paras if p.strip())
        if not text:
            continue
        a = Article(id=path.stem, text=text, title=art.get("title"), source=art.get("source"))
        by_event.setdefault(art["triplet-uuid"], []).append((a, tuple(spans)))
    events = [Event(u, tuple(v)) for u, v in sorted(by_event.items()) if len({a.source for a, _ in v}) >= 2]
    return events[:limit] if limit else events


@dataclass
class Tally:
    shown: int = 0
    annotated: int = 0
    specific: int = 0
    correct: int = 0
    outlets: int = 0
    outlets_with_terms: int = 0

    def add(self, other: Tally) -> None:
        for k in vars(self):
            setattr(self, k, getattr(self, k) + getattr(other, k))

    def result(self) -> dict:
        return {"terms": self.shown, "precision": round(self.correct / max(self.shown, 1), 4),
                "bias_annotated": round(self.annotated / max(self.shown, 1), 4),
                "outlet_specific": round(self.specific / max(self.shown, 1), 4),
                "outlets_with_terms": round(self.outlets_with_terms / max(self.outlets, 1), 4)}


def _contains(span: str, term: str) -> bool:
    return re.search(rf"(?<!\w){re.escape(term.lower())}(?!\w)", span) is not None


def judge(terms: dict[str, list[str]], counts: dict[str, Counter], spans: dict[str, tuple[str, ...]]) -> Tally:
    """Score the shown terms of one event (outlet -> terms; outlet -> term counts; outlet -> bias spans)."""
    t = Tally()
    for outlet, shown in terms.items():
        t.outlets += 1
        t.outlets_with_terms += bool(shown)
        for term in shown:
            ann = any(_contains(s, term) for s in spans.get(outlet, ()))
            spec = counts[outlet][term] >= 2 and all(counts[o][term] == 0 for o in counts if o != outlet)
            t.shown += 1
            t.annotated += ann
            t.specific += spec
            t.correct += ann or spec
    return t


@dataclass(frozen=True)
class Parsed:
    parsed: tuple
    outlet_of: dict
    counts: dict
    spans: dict


def _prepare(events: Sequence[Event], nlp) -> list[Parsed]:
    from newsdesk.briefing.outlets import _terms_of

    out = []
    for ev in events:
        arts = [a for a, _ in ev.articles]
        parsed = nlp.parse_many(arts, deep=True)
        outlet_of = {a.id: a.source for a in arts}
        counts: dict[str, Counter] = {a.source: Counter() for a in arts}
        for pa in parsed:
            for ps in pa.sentences:
                counts[outlet_of[pa.id]].update(_terms_of(ps))
        spans = {a.source: s for a, s in ev.articles}
        out.append(Parsed(tuple(parsed), outlet_of, counts, spans))
    return out


def score(prepared: Sequence[Parsed], prior_scale: float, min_z: float) -> tuple[Tally, Tally]:
    """newsdesk's terms and the frequency baseline's, judged over the events."""
    import newsdesk
    from newsdesk.briefing.outlets import characteristic_terms

    options = newsdesk.Options(terms_prior_scale=prior_scale, terms_min_z=min_z)
    ours, base = Tally(), Tally()
    for p in prepared:
        terms = characteristic_terms(list(p.parsed), p.outlet_of, (), options)
        ours.add(judge(terms, p.counts, p.spans))
        freq = {o: [w for w, _ in p.counts[o].most_common(len(terms[o]))] for o in terms}
        base.add(judge(freq, p.counts, p.spans))
    return ours, base


def _pick(prepared: Sequence[Parsed]) -> tuple[float, float]:
    best, best_key = (PRIOR_SCALES[0], MIN_ZS[0]), (-1.0, 0.0)
    for a in PRIOR_SCALES:
        for z in MIN_ZS:
            t, _ = score(prepared, a, z)
            r = t.result()
            key = (r["precision"] if r["outlets_with_terms"] >= MIN_COVERAGE else -1.0, r["outlets_with_terms"])
            if key > best_key:
                best, best_key = (a, z), key
    return best


def run(shared: str | None = None, limit: int | None = None, tune: bool = False) -> dict:
    import newsdesk
    from newsdesk.nlp import NLP

    events = load_events(data_dir("basil", shared), limit)
    options = newsdesk.Options()
    prepared = _prepare(events, NLP(options))
    ours, base = score(prepared, options.terms_prior_scale, options.terms_min_z)
    result = {"events": len(events), "prior_scale": options.terms_prior_scale, "min_z": options.terms_min_z,
              "newsdesk": ours.result(), "frequency baseline": base.result()}
    if tune:
        folds = [prepared[i::FOLDS] for i in range(FOLDS)]
        cv_ours, cv_base, picks = Tally(), Tally(), []
        for i, held in enumerate(folds):
            train = [p for j, f in enumerate(folds) if j != i for p in f]
            a, z = _pick(train)
            picks.append([a, z])
            o, b = score(held, a, z)
            cv_ours.add(o)
            cv_base.add(b)
        result["cross_validated"] = {"folds": FOLDS, "picks": picks, "newsdesk": cv_ours.result(),
                                     "frequency baseline": cv_base.result()}
        result["chosen_on_all"] = list(_pick(prepared))
    return result


def register(app: typer.Typer) -> None:
    @app.command("framing")
    def framing_cmd(
        limit: int | None = typer.Option(None, "--limit", help="Only the first N events."),
        tune: bool = typer.Option(False, "--tune", help="Also re-tune the two term settings, cross-validated."),
        shared: str | None = typer.Option(None, "--shared", help="The shared folder (default ../shared)."),
        as_json: bool = typer.Option(False, "--json", help="Print the scores as JSON."),
    ) -> None:
        """Precision of the outlets' "its words" terms on BASIL, beside a frequency baseline."""
        from rich.console import Console

        from .common import or_exit

        result = or_exit(lambda: run(shared, limit, tune), Console(stderr=True))
        if as_json:
            print(json.dumps(result, indent=2))
            return
        out = Console()
        out.print(f"BASIL, {result['events']} events x 3 outlets; terms_prior_scale {result['prior_scale']}, "
                  f"terms_min_z {result['min_z']}", markup=False)
        for name in ("newsdesk", "frequency baseline"):
            r = result[name]
            out.print(f"  {name}: precision {r['precision']:.3f} ({r['terms']} terms; bias-annotated "
                      f"{r['bias_annotated']:.3f}, outlet-specific {r['outlet_specific']:.3f}; outlets with terms "
                      f"{r['outlets_with_terms']:.0%})", markup=False)
        if "cross_validated" in result:
            cv = result["cross_validated"]
            out.print(f"cross-validated ({cv['folds']} folds over events; picks {cv['picks']}):", markup=False)
            for name in ("newsdesk", "frequency baseline"):
                r = cv[name]
                out.print(f"  {name}: precision {r['precision']:.3f} ({r['terms']} terms; bias-annotated "
                          f"{r['bias_annotated']:.3f})", markup=False)
            out.print(f"chosen on all events: {result['chosen_on_all']}", markup=False)
