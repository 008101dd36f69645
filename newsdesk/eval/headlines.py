"""Headlines of title-less pages: each ScrapingHub page read with its title removed (``<title>``, ``og:title`` and
the ``h1`` the reader takes the title from), briefed alone, its headline produced from the text.

Two more sets of real title-less articles, drawn with a fixed seed: Multi-News source documents
(:func:`multinews_draw`: raw web text of real pages, which comes without titles) and BASIL articles with their
titles and addresses removed (:func:`basil_draw`; the real title is kept as a reference).  Each is read as a
JSON record with only ``text``, as newsdesk reads such a record, page-type check included.

The verdicts read by hand are in ``gold/headline_verdicts.tsv`` (ids, verdicts, and a hash of each judged
headline, no text); docs/editor.md gives the figures.  ``scripts/headline_check.py`` prints the headlines.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
import random
from collections.abc import Collection, Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["earlier_reads", "page_ids", "title_less_article", "title_less_headlines", "load_verdicts", "headline_hash",
           "text_article", "multinews_draw", "basil_draw", "Draw", "DRAW_SEED"]

# The seed of the Multi-News and BASIL draws (the number); fixed before any headline of them was read.
DRAW_SEED = 17


def page_ids(root: Path) -> list[str]:
    """The ScrapingHub page ids in the order the verdicts number them (sorted)."""
    return sorted(json.loads((root / "ground-truth.json").read_text(encoding="utf-8")))


def title_less_article(root: Path, page_id: str, options: Any = None, text_only: bool = False) -> tuple[Any, Any]:
    """``(article, the page's real title)``: the page read as newsdesk reads HTML, its title removed.  With
    ``text_only`` its address and description go too: what is left is a text without a title, as a ``.txt``
    input or a record with only ``text``."""
    import newsdesk
    from newsdesk.clean import clean_article
    from newsdesk.ingest import with_language
    from newsdesk.ingest.readers import extract_html

    options = options or newsdesk.Options()
    html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
    fields = extract_html(html, page_id, options)
    real = fields.pop("title")
    meta = {"format": "html", **fields.pop("meta")}
    if text_only:
        fields["url"] = None
        meta.pop("description", None)
    art = with_language(clean_article(newsdesk.Article(id=page_id, title=None, meta=meta, **fields), options))
    return art, real


def title_less_headlines(root: Path, ids: Sequence[str], options: Any = None,
                         nlp: Any = None, text_only: bool = False) -> Iterator[tuple[str, str, str | None]]:
    """``(page id, headline, the page's real title)`` for each page, read as newsdesk reads HTML but without
    its title (:func:`title_less_article`)."""
    import newsdesk
    from newsdesk.nlp import NLP

    options = options or newsdesk.Options()
    nlp = nlp or NLP(options)
    from newsdesk.errors import InputError

    for page_id in ids:
        try:
            art, real = title_less_article(root, page_id, options, text_only)
        except InputError as err:  # a page newsdesk skips ("not an article: listing page") has no headline
            logger.info("%s", err)
            continue
        yield page_id, newsdesk.brief([art], options, nlp=nlp)[0].headline, real


# the seeds whose documents a draw left out when it was read (default: every lower seed); the seed-32 draws were
# read before the seed-31 verdicts of a parallel branch were merged
LEFT_OUT = {32: (17, 18, 19)}


def earlier_reads(verdicts: Sequence[dict[str, str]], name: str, seed: int) -> set[str]:
    """The ids a ``name`` ("multinews", "basil") draw with ``seed`` leaves out: those read in earlier draws."""
    return {v["id"] for v in verdicts if v["set"].startswith(f"{name}-s")
            and int(v["set"][len(name) + 2:]) in LEFT_OUT.get(seed, range(seed))}


def headline_hash(headline: str) -> str:
    return hashlib.sha1(headline.encode("utf-8")).hexdigest()[:10]


def load_verdicts() -> list[dict[str, str]]:
    """The verdicts read by hand: ``set``, ``id`` (12 characters), ``acceptable``, ``why not``, ``sha1``."""
    text = resources.files("newsdesk.eval").joinpath("gold/headline_verdicts.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]


def text_article(doc_id: str, text: str, options: Any = None) -> Any:
    """The article newsdesk makes of a JSON record with only ``id`` and ``text`` (no title, no address): cleaned,
    its language detected; ``InputError("not an article: ...")`` when the page-type check skips it."""
    import newsdesk
    from newsdesk.clean import clean_article
    from newsdesk.ingest import with_language
    from newsdesk.ingest.readers import record_to_article

    options = options or newsdesk.Options()
    art = record_to_article({"id": doc_id, "text": text}, default_id=doc_id, where=doc_id, options=options)
    return with_language(clean_article(art, options))


class Draw:
    """A seeded draw of title-less articles: ``articles`` as ``(id, article, reference title or None)``, and how
    many drawn documents were passed over as ``empty`` or skipped by the page-type check (``not_articles``,
    with their kinds)."""

    def __init__(self) -> None:
        self.articles: list[tuple[str, Any, str | None]] = []
        self.empty = 0
        self.not_articles: list[tuple[str, str]] = []


def multinews_draw(root: Path, n: int = 30, seed: int = DRAW_SEED, options: Any = None,
                   exclude: Collection[str] = ()) -> Draw:
    """``n`` Multi-News test source documents (``multi-news-test``; ids ``mn-<idx>-<position>``), drawn by shuffling
    every (example, document) pair with ``seed``; empty documents and those the page-type check skips are passed
    over and counted, documents in ``exclude`` (read in an earlier draw) left out."""

    docs: dict[str, str] = {}
    for path in sorted((root / "multinewsplus_chunks").glob("*.json")):
        for record in json.loads(path.read_text(encoding="utf-8")):
            if record.get("split") == "test":
                for i, doc in enumerate(record["raw_document"]):
                    docs[f"mn-{record['idx']}-{i}"] = doc
    return _draw(docs, lambda doc_id: (docs[doc_id], None), n, seed, options, exclude)


def basil_draw(root: Path, n: int = 30, seed: int = DRAW_SEED, options: Any = None,
               exclude: Collection[str] = ()) -> Draw:
    """``n`` BASIL articles (ids: file stems) drawn with ``seed``, each read as text alone: title and address
    removed, the real title kept as the reference; those in ``exclude`` (read in an earlier draw) left out."""

    from .basil import articles_by_id, read_article

    paths = articles_by_id(root)

    def text_and_title(doc_id: str) -> tuple[str, str | None]:
        art = read_article(paths[doc_id])
        return art.text, art.title

    return _draw(paths, text_and_title, n, seed, options, exclude)


def _draw(ids: Collection[str], text_and_title: Any, n: int, seed: int, options: Any,
          exclude: Collection[str]) -> Draw:
    """The first ``n`` readable documents of ``ids`` shuffled with ``seed`` (``exclude`` left out), each read as
    text alone by :func:`text_article`; empty ones and those the page-type check skips are counted."""
    from newsdesk.errors import InputError

    order = sorted(ids)
    random.Random(seed).shuffle(order)
    skip = set(exclude)
    order = [d for d in order if d not in skip]
    draw = Draw()
    for doc_id in order:
        if len(draw.articles) >= n:
            break
        text, title = text_and_title(doc_id)
        if not text.split():
            draw.empty += 1
            continue
        try:
            draw.articles.append((doc_id, text_article(doc_id, text, options), title))
        except InputError as err:
            draw.not_articles.append((doc_id, str(err)))
    return draw
