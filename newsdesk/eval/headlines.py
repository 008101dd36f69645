"""Headlines of title-less pages: each ScrapingHub page read with its title removed (``<title>``, ``og:title`` and
the ``h1`` the reader takes the title from), briefed alone, its headline produced from the text.

The verdicts read by hand are in ``gold/headline_verdicts.tsv`` (ids, verdicts, and a hash of each judged
headline, no text); docs/editor.md gives the figures.  ``scripts/headline_check.py`` prints the headlines.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import logging
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

logger = logging.getLogger(__name__)

__all__ = ["page_ids", "title_less_article", "title_less_headlines", "load_verdicts", "headline_hash"]


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


def headline_hash(headline: str) -> str:
    return hashlib.sha1(headline.encode("utf-8")).hexdigest()[:10]


def load_verdicts() -> list[dict[str, str]]:
    """The verdicts read by hand: ``set``, ``id`` (12 characters), ``acceptable``, ``why not``, ``sha1``."""
    text = resources.files("newsdesk.eval").joinpath("gold/headline_verdicts.tsv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    header = lines[0].split("\t")
    return [dict(zip(header, line.split("\t"))) for line in lines[1:]]
