"""Non-article pages: how many real ones :mod:`newsdesk.ingest.pagetype` recognises, and how many real articles
it still lets through.  Printed by ``newsdesk eval extract``.

The only real non-article pages in ``../shared`` are text: the raw Multi-News+ source documents (web pages as
text, with their noise).  Every raw document that the Multi-News+ cleansing dropped was read and labelled by hand
(``gold/pagetype_multinews.tsv``: ids and labels only); kept documents count as articles unless listed there (a
kept document the recogniser flagged was read too, and relabelled when it is not an article).  Test records with
an even idx are the tuning half, odd idx the held-out half.  Documents labelled "unclear" (reference pages,
reports, non-English) and "empty" are left out of both counts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

__all__ = ["PagetypeScore", "load_gold", "score_multinews"]


@dataclass(frozen=True)
class PagetypeScore:
    split: str
    non_articles: int  # labelled non-article pages
    recognised: int  # of those, called non-articles
    articles: int
    articles_read: int  # articles not called non-articles

    @property
    def recall(self) -> float:
        return self.recognised / self.non_articles if self.non_articles else 0.0

    @property
    def precision(self) -> float:
        called = self.recognised + self.articles - self.articles_read
        return self.recognised / called if called else 0.0

    @property
    def read_share(self) -> float:
        return self.articles_read / self.articles if self.articles else 0.0


def load_gold() -> dict[str, tuple[str, str]]:
    """``{document id: (label, split)}`` of the hand-labelled Multi-News+ documents."""
    text = resources.files("newsdesk.eval").joinpath("gold/pagetype_multinews.tsv").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        if line and not line.startswith(("#", "id\t")):
            doc_id, label, split, _how = line.split("\t")
            out[doc_id] = (label, split)
    return out


def score_multinews(root: Path) -> dict[str, PagetypeScore]:
    """Scores of the text recogniser per half ("tune", "heldout") on the Multi-News+ test documents in ``root``
    (the ``multi-news-test`` folder)."""
    from ..ingest.pagetype import text_kind

    gold = load_gold()
    counts = {s: [0, 0, 0, 0] for s in ("tune", "heldout")}
    for path in sorted((root / "multinewsplus_chunks").glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            if record.get("split") != "test":
                continue
            split = "tune" if int(record["idx"]) % 2 == 0 else "heldout"
            for i, doc in enumerate(record["raw_document"]):
                label = gold.get(f"{record['idx']}-{i}", ("article", split))[0]
                if label in ("unclear", "empty"):
                    continue
                called = text_kind(doc) is not None
                c = counts[split]
                if label == "article":
                    c[2] += 1
                    c[3] += not called
                else:
                    c[0] += 1
                    c[1] += called
    return {s: PagetypeScore(s, *c) for s, c in counts.items()}
