"""How the boilerplate families (newsdesk/boilerplate.py) fare on real pages.

* ScrapingHub (181 news pages): of the paragraphs of the human ground-truth bodies, how many a family
  matches (each is a wrongly cut news paragraph); of the paragraphs trafilatura extracts that are not in the
  ground truth, how many a family matches (caught boilerplate).
* Multi-News (test examples, raw web text): how many paragraphs a family matches, by family, with a sample
  to read by hand.

    python scripts/boilerplate_check.py [--shared ../shared] [--sample 60]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from collections import Counter

from newsdesk.boilerplate import boilerplate_family
from newsdesk.eval.common import data_dir
from newsdesk.ingest.readers import extract_html


def _key(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.casefold()))


def scrapinghub(shared: str | None) -> None:
    root = data_dir("scrapinghub-article-extraction", shared)
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    gt_paras = gt_hits = other = other_hits = 0
    fams: Counter[str] = Counter()
    for page_id, gold in sorted(truth.items()):
        paras = [p.strip() for p in gold["articleBody"].split("\n") if p.strip()]
        gold_keys = {_key(p) for p in paras}
        gold_text = _key(gold["articleBody"])
        for p in paras:
            gt_paras += 1
            fam = boilerplate_family(p)
            if fam:
                gt_hits += 1
                print(f"  ground-truth paragraph matched ({fam}): {page_id[:12]} {p[:90]!r}")
        html = gzip.decompress((root / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        try:
            fields = extract_html(html, page_id)
        except Exception:  # noqa: BLE001 - a page trafilatura cannot read has no extracted paragraphs
            continue
        for p in fields["raw_text"].split("\n\n"):
            k = _key(p)
            if not k or k in gold_keys or k in gold_text:
                continue
            other += 1
            fam = boilerplate_family(p)
            if fam:
                other_hits += 1
                fams[fam] += 1
    print(f"ScrapingHub: ground-truth paragraphs matched {gt_hits} of {gt_paras}; extracted paragraphs not in the "
          f"ground truth matched {other_hits} of {other} {dict(fams)}")


def multinews(shared: str | None, sample: int) -> None:
    from newsdesk.eval.summarize import multinews_examples

    paras: list[str] = []
    for c in multinews_examples(data_dir("multi-news-test", shared)):
        for t in c.texts:
            # Multi-News keeps a document on one line: its "paragraphs" here are sentences
            paras.extend(p.strip() for p in re.split(r"\n+|(?<=[.!?])\s+(?=[A-Z\"“])", t) if p.strip())
    hits = [(boilerplate_family(p), p) for p in paras]
    hits = [(f, p) for f, p in hits if f]
    print(f"Multi-News: {len(hits)} of {len(paras)} paragraphs matched, {dict(Counter(f for f, _ in hits))}")
    for f, p in random.Random(0).sample(hits, min(sample, len(hits))):
        print(f"  {f}: {p[:110]!r}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--sample", type=int, default=60)
    args = ap.parse_args()
    multinews(args.shared, args.sample)
    scrapinghub(args.shared)


if __name__ == "__main__":
    main()
