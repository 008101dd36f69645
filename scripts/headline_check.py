"""Headlines of title-less pages: each ScrapingHub page read with its title removed, briefed alone, and its
headline printed beside the page's real title and the verdict read by hand (docs/editor.md lists the figures).

    python scripts/headline_check.py [--shared ../shared] [--start 0] [--n 30]
    python scripts/headline_check.py --set multinews|basil [--n 30] [--seed 17]

Pages 1-30 by id are the tuning set of docs/editor.md, ``--start 120`` and ``--start 150 --n 31`` the held-out
pages.  ``--set multinews`` draws Multi-News source documents (real web text, without titles) and ``--set basil``
BASIL articles with their titles removed (``newsdesk/eval/headlines.py``); each is briefed alone.  ``rule``
names what gave each headline: a sentence of the text, else the page's address (slug) or its description.
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from collections.abc import Sequence

import newsdesk
from newsdesk import Article
from newsdesk.boilerplate import boilerplate_family
from newsdesk.briefing.headline import sentence_headline
from newsdesk.briefing.slug import slug_headline
from newsdesk.errors import InputError
from newsdesk.eval.common import data_dir
from newsdesk.eval.headlines import (
    DRAW_SEED,
    basil_draw,
    earlier_reads,
    headline_hash,
    load_verdicts,
    multinews_draw,
    page_ids,
    title_less_article,
)
from newsdesk.models import SummarySentence
from newsdesk.nlp import NLP


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--set", default="scrapinghub", choices=["scrapinghub", "multinews", "basil"])
    ap.add_argument("--seed", type=int, default=DRAW_SEED)
    ap.add_argument("--text-only", action="store_true",
                    help="remove the page's address and description too: the headline comes from the text alone")
    args = ap.parse_args()
    if args.set != "scrapinghub":
        _drawn(args)
        return
    root = data_dir("scrapinghub-article-extraction", args.shared)
    ids = page_ids(root)[args.start: args.start + args.n]
    verdicts = {v["id"]: v for v in load_verdicts()}
    boiler = judged = accepted = 0
    rules: Counter[str] = Counter()
    nlp = NLP()
    for page_id in ids:
        try:
            art, real = title_less_article(root, page_id, text_only=args.text_only)
        except InputError as err:  # not an article: newsdesk skips the page
            print(json.dumps({"id": page_id[:12], "skipped": str(err)}))
            continue
        brief = newsdesk.brief([art], nlp=nlp)[0]
        head = brief.headline
        rules[rule := _rule(head, art, brief.summary, nlp)] += 1
        boiler += bool(boilerplate_family(head))
        v = verdicts.get(page_id[:12])
        same = v is not None and v["sha1"] == headline_hash(head)
        judged += same
        accepted += same and v is not None and v["acceptable"] == "yes"
        print(json.dumps({"id": page_id[:12], "headline": head, "rule": rule, "real_title": real,
                          "verdict": (v["acceptable"] if same and v else "not read")}, ensure_ascii=False))
    print(f"{len(ids)} pages, {sum(rules.values())} read as articles; {boiler} headlines in a boilerplate family; "
          f"{judged} as read by hand, "
          f"{accepted} of them acceptable; rules: {dict(rules)}")


def _drawn(args: argparse.Namespace) -> None:
    """The headlines of a seeded draw of Multi-News documents or BASIL articles, with their verdicts."""
    name = f"{args.set}-s{args.seed}"
    # a later draw leaves out what the earlier draws of the same data read
    earlier = earlier_reads(load_verdicts(), args.set, args.seed)
    if args.set == "multinews":
        draw = multinews_draw(data_dir("multi-news-test", args.shared), args.n, args.seed, exclude=earlier)
    else:
        draw = basil_draw(data_dir("basil", args.shared), args.n, args.seed, exclude=earlier)
    verdicts = {v["id"]: v for v in load_verdicts() if v["set"] == name}
    nlp = NLP()
    boiler = judged = accepted = 0
    for doc_id, art, real in draw.articles:
        brief = newsdesk.brief([art], nlp=nlp)[0]
        head = brief.headline
        boiler += bool(boilerplate_family(head))
        v = verdicts.get(doc_id)
        same = v is not None and v["sha1"] == headline_hash(head)
        judged += same
        accepted += same and v is not None and v["acceptable"] == "yes"
        print(json.dumps({"id": doc_id, "headline": head, "rule": _rule(head, art, brief.summary, nlp),
                          "real_title": real, "verdict": (v["acceptable"] if same and v else "not read")},
                         ensure_ascii=False))
    for doc_id, why in draw.not_articles:
        print(json.dumps({"id": doc_id, "skipped": why}))
    print(f"{args.set} seed {args.seed}: {len(draw.articles)} articles briefed; passed over: {draw.empty} empty, "
          f"{len(draw.not_articles)} not articles; {boiler} headlines in a boilerplate family; {judged} as read by "
          f"hand, {accepted} of them acceptable")


def _rule(head: str, art: Article, summary: Sequence[SummarySentence], nlp: NLP) -> str:
    """Which rule gave the headline: a sentence of the text, else (no sentence reads alone) the page's address
    or its description."""
    if head == sentence_headline([nlp.parse(art, deep=True)], summary):
        return "sentence"
    return "slug" if head == slug_headline(art.url, art.text, art.language in (None, "en")) else "description"


if __name__ == "__main__":
    main()
