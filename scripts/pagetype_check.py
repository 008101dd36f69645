"""How many pages the non-article recogniser (newsdesk/ingest/pagetype.py) calls non-articles.

* the 181 ScrapingHub news pages (all are articles: each one called a non-article is a loss);
* a folder of real non-article pages you collected (``--other DIR``: ``*.html`` files whose name starts with
  the expected kind, e.g. ``listing-…``, ``product-…``; kept outside the repository).

    python scripts/pagetype_check.py [--shared ../shared] [--other /work/scratch-editor/nonarticles]
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

from newsdesk.eval.common import data_dir
from newsdesk.ingest.pagetype import non_article_kind, page_features, text_kind
from newsdesk.ingest.readers import extract_html


def _kind(html: str, name: str) -> tuple[str | None, object]:
    try:
        fields = extract_html(html, name)
        text, url = fields["text"], fields.get("url")
    except Exception:  # noqa: BLE001 - no extractable text: the reader already skips the page
        text, url = "", None
    f = page_features(html, text, url)
    return non_article_kind(f) or text_kind(text), f


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--other", default=None)
    ap.add_argument("-v", action="store_true")
    args = ap.parse_args()
    root = data_dir("scrapinghub-article-extraction", args.shared)
    ids = sorted(json.loads((root / "ground-truth.json").read_text(encoding="utf-8")))
    wrong = 0
    for page_id in ids:
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        kind, f = _kind(html, page_id)
        if kind:
            wrong += 1
            print(f"  article called {kind}: {page_id[:12]} {f}")
        elif args.v:
            print(f"  ok {page_id[:12]} {f}")
    print(f"ScrapingHub articles still read: {len(ids) - wrong} of {len(ids)} ({(len(ids) - wrong) / len(ids):.1%})")
    if args.other:
        pages = sorted(Path(args.other).glob("*.htm*"))
        hit = 0
        for p in pages:
            kind, f = _kind(p.read_text(encoding="utf-8", errors="replace"), p.name)
            hit += kind is not None
            print(f"  {'RECOGNISED' if kind else 'missed    '} {p.name}: {kind} {f}")
        print(f"non-article pages recognised: {hit} of {len(pages)} ({hit / max(len(pages), 1):.1%})")


if __name__ == "__main__":
    main()
