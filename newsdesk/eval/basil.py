"""Reading BASIL (Fan et al. 2019): 300 articles (Fox News, New York Times, HuffPost) on 100
events, three outlets each, with phrase-level annotations (quotes and their speakers among
them).  One reader for every task that uses it (``eval quotes``, ``eval entities``)."""

from __future__ import annotations

import ast
import datetime as _dt
import json
from collections import defaultdict
from pathlib import Path
from typing import Any

__all__ = ["read_article", "articles_by_id", "quote_annotations", "paragraphs"]


def paragraphs(raw: Any) -> list[list[str]]:
    """The ``body-paragraphs`` field as lists of sentences (it is sometimes a Python literal)."""
    if isinstance(raw, str):
        try:
            raw = ast.literal_eval(raw)
        except (ValueError, SyntaxError):
            return [[raw]]
    return [[p] if isinstance(p, str) else list(p) for p in raw]


def read_article(path: Path) -> Any:
    """The Article of one ``articles/<year>/<uuid>_<n>.json`` file: paragraphs joined by blank
    lines, the sentences of a paragraph by spaces; its id is the file's stem."""
    from ..models import Article

    art = json.loads(path.read_text(encoding="utf-8"))
    text = "\n\n".join(" ".join(s.strip() for s in para) for para in paragraphs(art["body-paragraphs"]))
    try:
        published = _dt.date.fromisoformat(str(art.get("date"))[:10])
    except ValueError:
        published = None
    return Article(id=path.stem, text=text, title=art.get("title"), source=art.get("source"),
                   published=published)


def articles_by_id(root: Path) -> dict[str, Path]:
    """Article id (file stem) -> its file, for every BASIL article."""
    return {p.stem: p for p in sorted((root / "articles").glob("*/*.json"))}


def quote_annotations(root: Path) -> list[tuple[Any, list[dict[str, Any]]]]:
    """(Article, its quote annotations with a speaker) for every annotated article."""
    out = []
    for ann_file in sorted((root / "annotations").glob("*/*_ann.json")):
        art_file = root / "articles" / ann_file.parent.name / ann_file.name.replace("_ann.json", ".json")
        if not art_file.is_file():
            continue
        ann = json.loads(ann_file.read_text(encoding="utf-8"))
        quotes = [p for p in ann.get("phrase-level-annotations", []) if p.get("quote") == "yes" and p.get("speaker")]
        out.append((read_article(art_file), quotes))
    return out


def triplets(root: Path) -> dict[str, list[str]]:
    """Triplet uuid -> the ids of its (up to three) articles."""
    out: dict[str, list[str]] = defaultdict(list)
    for aid in articles_by_id(root):
        out[aid.rsplit("_", 1)[0]].append(aid)
    return dict(out)
