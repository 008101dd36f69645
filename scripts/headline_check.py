"""Headlines of title-less pages: each ScrapingHub page read with its title removed, briefed alone, and its
headline printed beside the page's real title, for reading by hand (docs/editor.md lists the verdicts).

    python scripts/headline_check.py [--shared ../shared] [--start 0] [--n 30]

The first 30 pages by id are the tuning set of docs/editor.md, ``--start 30`` the 30 read only with the final rules.
"""

from __future__ import annotations

import argparse
import gzip
import json

import newsdesk
from newsdesk.boilerplate import boilerplate_family
from newsdesk.clean import clean_article
from newsdesk.eval.common import data_dir
from newsdesk.ingest import with_language
from newsdesk.ingest.readers import extract_html
from newsdesk.nlp import NLP


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--n", type=int, default=30)
    args = ap.parse_args()
    root = data_dir("scrapinghub-article-extraction", args.shared)
    ids = sorted(json.loads((root / "ground-truth.json").read_text(encoding="utf-8")))[args.start: args.start + args.n]
    options = newsdesk.Options()
    nlp = NLP(options)
    boiler = 0
    for page_id in ids:
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        fields = extract_html(html, page_id, options)
        real = fields.pop("title")
        meta = {"format": "html", **fields.pop("meta")}
        art = with_language(clean_article(newsdesk.Article(id=page_id, title=None, meta=meta, **fields), options))
        head = newsdesk.brief([art], options, nlp=nlp)[0].headline
        boiler += bool(boilerplate_family(head))
        print(json.dumps({"id": page_id[:12], "headline": head, "real_title": real}, ensure_ascii=False))
    print(f"{len(ids)} pages; {boiler} headlines in a boilerplate family")


if __name__ == "__main__":
    main()
