"""Headlines of title-less pages: each ScrapingHub page read with its title removed, briefed alone, and its
headline printed beside the page's real title and the verdict read by hand (docs/editor.md lists the figures).

    python scripts/headline_check.py [--shared ../shared] [--start 0] [--n 30]

Pages 1-30 by id are the tuning set of docs/editor.md, ``--start 120`` the 30 held-out pages.
"""

from __future__ import annotations

import argparse
import json
import re
from collections import Counter

from newsdesk.boilerplate import boilerplate_family
from newsdesk.briefing.slug import slug_headline
from newsdesk.eval.common import data_dir
from newsdesk.eval.headlines import headline_hash, load_verdicts, page_ids, title_less_article, title_less_headlines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--shared", default=None)
    ap.add_argument("--start", type=int, default=0)
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--text-only", action="store_true",
                    help="remove the page's address and description too: the headline comes from the text alone")
    args = ap.parse_args()
    root = data_dir("scrapinghub-article-extraction", args.shared)
    ids = page_ids(root)[args.start: args.start + args.n]
    verdicts = {v["id"]: v for v in load_verdicts()}
    boiler = judged = accepted = 0
    rules: Counter[str] = Counter()
    for page_id, head, real in title_less_headlines(root, ids, text_only=args.text_only):
        art, _ = title_less_article(root, page_id, text_only=args.text_only)
        english = art.language in (None, "en")
        rule = "slug" if head == slug_headline(art.url, art.text, english) else \
            "description" if _in(head, art.meta.get("description")) else "sentence"
        rules[rule] += 1
        boiler += bool(boilerplate_family(head))
        v = verdicts.get(page_id[:12])
        same = v is not None and v["sha1"] == headline_hash(head)
        judged += same
        accepted += same and v is not None and v["acceptable"] == "yes"
        print(json.dumps({"id": page_id[:12], "headline": head, "rule": rule, "real_title": real,
                          "verdict": (v["acceptable"] if same and v else "not read")}, ensure_ascii=False))
    print(f"{len(ids)} pages, {sum(rules.values())} read as articles; {boiler} headlines in a boilerplate family; {judged} as read by hand, "
          f"{accepted} of them acceptable; rules: {dict(rules)}")


def _in(head: str, text: object) -> bool:
    """Is the headline a shortening of ``text`` (its words, in order)?"""
    if not isinstance(text, str) or not head:
        return False
    words = iter(re.findall(r"\w+", text.casefold()))
    return all(w in words for w in re.findall(r"\w+", head.casefold()))


if __name__ == "__main__":
    main()
