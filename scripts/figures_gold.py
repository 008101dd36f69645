"""Annotation helper for the figures gold (newsdesk/eval/gold/).

    python scripts/figures_gold.py show ID…      print each article with its number mentions marked [i|…]
    python scripts/figures_gold.py add FILE      turn an annotation file into gold rows (appended to the TSV)
    python scripts/figures_gold.py check         every mention of every gold article labelled, texts unchanged

An annotation file has a line ``= ARTICLE_ID`` and then one line per mention, in order:
``i F measure | scope [| bg]`` or ``i N:reason``; ``i`` is the number ``show`` printed.
Nothing from ../shared is written to the repository but ids, offsets and labels.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from newsdesk.eval._figures_data import GOLD_DIR, check_gold, load_articles, load_gold, number_mentions, text_sha1
from newsdesk.eval.common import data_dir


def _data() -> Path:
    return data_dir("timeline17").parent


def show(ids: list[str]) -> None:
    arts = load_articles(_data(), ids)
    for aid in ids:
        a = arts[aid]
        out, pos = [], 0
        for i, (s, e) in enumerate(number_mentions(a.text)):
            out.append(a.text[pos:s] + f"[{i}|{a.text[s:e]}]")
            pos = e
        out.append(a.text[pos:])
        print(f"==== {aid} ({a.published}) {len(a.text.split())} words\n{''.join(out)}\n")


def add(path: str) -> None:
    rows: dict[str, list[str]] = {}
    aid = None
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("="):
            aid = line[1:].strip()
            rows[aid] = []
            continue
        assert aid is not None, "an annotation line before '= ARTICLE_ID'"
        rows[aid].append(line)
    arts = load_articles(_data(), list(rows))
    tsv = GOLD_DIR / "figures_mentions.tsv"
    meta_path = GOLD_DIR / "figures_stories.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.exists() else {"sha1": {}, "stories": []}
    existing = tsv.read_text(encoding="utf-8").splitlines() if tsv.exists() else []
    kept = [r for r in existing if r.split("\t")[0] not in rows]
    for aid, lines in rows.items():
        spans = number_mentions(arts[aid].text)
        labels: dict[int, str] = {}
        for line in lines:
            i, label = line.split(None, 1)
            labels[int(i)] = label
        missing = [i for i in range(len(spans)) if i not in labels]
        if missing or len(labels) != len(spans):
            extra = sorted(set(labels) - set(range(len(spans))))
            sys.exit(f"{aid}: {len(spans)} mentions; unlabelled {missing}, extra {extra}")
        for i, (s, e) in enumerate(spans):
            label = labels[i]
            if label.startswith("F"):
                parts = [p.strip() for p in label[1:].split("|")]
                kept.append("\t".join([aid, str(s), str(e), "F", *parts]))
            else:
                kept.append("\t".join([aid, str(s), str(e), label.split()[0]]))
        meta["sha1"][aid] = text_sha1(arts[aid].text)
    tsv.write_text("\n".join(kept) + "\n", encoding="utf-8")
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")


def check() -> None:
    stories, mentions, sha = load_gold()
    arts = load_articles(_data(), list(sha), sha)
    problems = check_gold(stories, mentions, {a: x.text for a, x in arts.items()})
    print("\n".join(problems) or f"ok: {len(arts)} articles, {len(mentions)} mentions, "
          f"{sum(m.figure for m in mentions)} figures, {len(stories)} stories")


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"show": lambda: show(args), "add": lambda: add(args[0]), "check": check}[cmd]()
