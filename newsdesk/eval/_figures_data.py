"""The real articles of the figures gold and the number mentions in them.

The gold (``gold/figures_mentions.tsv``, ``gold/figures_stories.json``) stores article
ids, character offsets and labels only — never article text.  The offsets point into
texts rebuilt here, deterministically, from ``../shared/data``:

* Timeline17 (``<folder>/<uid>``, e.g. ``H1N1_reuters/987``): ``articles.json``'s
  PTB-tokenised ``text`` with its tokens joined by single spaces, the bracket escapes
  undone and the spaces before closing punctuation removed (:func:`t17_text`);
* Multi-News test (``<idx>#<n>``, e.g. ``50917#1``): the n-th entry (from 1) of the
  record's ``cleansed_document``, stripped — as ``newsdesk eval cluster`` reads it.

Each gold article carries the SHA-1 of its rebuilt text, so a change in the data or in
this reconstruction is caught (:func:`load_articles` raises) instead of scoring against
shifted offsets.

A *number mention* (what the gold labels, every one of them) is a word holding a digit
("30,000", "1990s", "16:53", "MH370", "9-year-old", "$20") with a scale word that follows
it ("5.4 million"), or a run of number words ("three", "twenty-one", "two hundred and
fifty", "tens of thousands", "dozens", "one").  Spelled ordinals ("third") are not
mentions; digit ordinals ("21st") are, and are labelled not-a-figure.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from ..models import Article

__all__ = ["t17_text", "number_mentions", "load_articles", "GoldMention", "GoldStory", "load_gold", "text_sha1"]

GOLD_DIR = Path(__file__).with_name("gold")

_PTB = {"-LRB-": "(", "-RRB-": ")", "-LSB-": "[", "-RSB-": "]", "-LCB-": "{", "-RCB-": "}", "``": '"', "''": '"'}


def t17_text(raw: str) -> str:
    """A Timeline17 article's text as the gold's offsets read it (see the module doc)."""
    text = " ".join(_PTB.get(t, t) for t in raw.split())
    text = re.sub(r" (?=[,.;:!?%)\]}]|'s\b|n't\b)", "", text)
    text = re.sub(r"(?<=[(\[{$]) ", "", text)
    return text.replace("\\/", "/").replace("\\*", "*")


def text_sha1(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


def _date(s: object) -> _dt.date | None:
    try:
        return _dt.date.fromisoformat(str(s)[:10])
    except ValueError:
        return None


def _t17_articles(root: Path, wanted: set[str]) -> dict[str, Article]:
    out: dict[str, Article] = {}
    for folder in sorted({w.split("/")[0] for w in wanted}):
        f = root / "timeline17" / folder / "articles.json"
        if not f.is_file():
            continue
        for rec in json.loads(f.read_text(encoding="utf-8")):
            aid = f"{folder}/{rec['uid']}"
            if aid in wanted:
                out[aid] = Article(id=aid, text=t17_text(str(rec.get("text") or "")),
                                   published=_date(rec.get("dct")), source=folder.split("_")[1])
    return out


def _multinews_articles(root: Path, wanted: set[str]) -> dict[str, Article]:
    out: dict[str, Article] = {}
    idxs = {w.split("#")[0] for w in wanted}
    for f in sorted((root / "multi-news-test" / "multinewsplus_chunks").glob("*.json")):
        for rec in json.loads(f.read_text(encoding="utf-8")):
            if rec.get("split") != "test" or str(rec["idx"]) not in idxs:
                continue
            for n, doc in enumerate(rec.get("cleansed_document") or [], 1):
                aid = f"{rec['idx']}#{n}"
                if aid in wanted and doc and doc.strip():
                    # Multi-News names no outlets: every document is its own (unknown) outlet
                    out[aid] = Article(id=aid, text=doc.strip(), source=f"document {aid}")
    return out


def load_articles(data: Path, ids: Iterable[str], sha1: dict[str, str] | None = None) -> dict[str, Article]:
    """The gold articles ``ids`` rebuilt from ``data`` (the ``../shared/data`` folder).

    Raises ``ValueError`` when an article is missing or its text is not the annotated one."""
    wanted = set(ids)
    t17 = {w for w in wanted if "/" in w}
    out = _t17_articles(data, t17)
    out.update(_multinews_articles(data, wanted - t17))
    missing = sorted(wanted - set(out))
    if missing:
        raise ValueError(f"gold articles not found under {data}: {', '.join(missing[:5])}")
    for aid, want in (sha1 or {}).items():
        if aid in out and text_sha1(out[aid].text) != want:
            raise ValueError(f"{aid}: the rebuilt text is not the annotated one (data or reconstruction changed)")
    return out


# --- number mentions -------------------------------------------------------------------------------------

_NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
                 "sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety "
                 "hundred thousand million billion trillion dozen dozens hundreds thousands millions billions "
                 "tens scores").split()
_NW = "(?:" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_SCALE = r"(?:\s+(?:million|billion|trillion|thousand|hundred|mln|bln|bn)\b)?"
_MENTION = re.compile(
    r"(?<![\w])" + _NW + r"(?:(?:-|\s+(?:and\s+|of\s+)?)" + _NW + r")*\b"  # number words
    r"|[^\s\"“”‘’'()\[\]{}<>;!?]*\d[^\s\"“”‘’'()\[\]{}<>;!?]*",  # a word holding a digit
    re.I)
# words "of" may not join: "one of them" is one mention ("one"), "tens of thousands" is one
_OF_JOIN = re.compile(r"^(?:tens|hundreds|thousands|millions|dozens|scores)$", re.I)


def number_mentions(text: str) -> list[tuple[int, int]]:
    """(start, end) of every number mention in ``text`` (see the module doc)."""
    out: list[tuple[int, int]] = []
    for m in _MENTION.finditer(text):
        start, end = m.start(), m.end()
        if out and start < out[-1][1]:
            continue  # the scale word of the mention before ("$20 billion")
        span = text[start:end]
        if not any(c.isdigit() for c in span):
            for piece_start, piece_end in _split_bad_of(span):
                out.append((start + piece_start, start + piece_end))
            continue
        # trailing punctuation is not part of the word
        while end > start and text[end - 1] in ".,:-–—/*'’":
            end -= 1
        while start < end and text[start] in ".,:-–—/*'’#":
            start += 1
        if start >= end or not any(c.isdigit() for c in text[start:end]):
            continue
        scale = re.match(_SCALE, text[end:], re.I)
        if scale and scale.group(0):
            end += scale.end()
        out.append((start, end))
    return out


def _split_bad_of(span: str) -> list[tuple[int, int]]:
    """"one of three" -> "one", "three"; "tens of thousands" stays whole."""
    pieces: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\s+of\s+", span, re.I):
        left = span[pos:m.start()].split()[-1] if span[pos:m.start()].split() else ""
        if _OF_JOIN.match(left):
            continue
        pieces.append((pos, m.start()))
        pos = m.end()
    pieces.append((pos, len(span)))
    return [p for p in pieces if p[1] > p[0]]


# --- the gold ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class GoldMention:
    """One number mention and its label: a figure (measure, scope) or not (the reason)."""

    article_id: str
    start: int
    end: int
    figure: bool
    measure: str = ""  # figures: what is counted ("killed", "barrels of oil a day")
    scope: str = ""  # figures: of what ("Mexico swine flu", "Deepwater Horizon crew")
    reason: str = ""  # not-a-figure: year, date, time, age, address, model, ordinal, ...
    background: bool = False  # a figure about a background event


@dataclass(frozen=True)
class GoldStory:
    """A story of the gold: its articles and the real conflicts and updates between them.

    A conflict or an update is a tuple of ``(article id, mention start)`` pairs."""

    id: str
    articles: tuple[str, ...]
    conflicts: tuple[tuple[tuple[str, int], ...], ...] = ()
    updates: tuple[tuple[tuple[str, int], ...], ...] = ()


def load_gold(folder: Path = GOLD_DIR) -> tuple[list[GoldStory], list[GoldMention], dict[str, str]]:
    """(stories, mentions, article id -> text SHA-1) of the figures gold."""
    meta = json.loads((folder / "figures_stories.json").read_text(encoding="utf-8"))
    stories = [GoldStory(s["id"], tuple(s["articles"]),
                         tuple(tuple((a, int(o)) for a, o in c) for c in s.get("conflicts", ())),
                         tuple(tuple((a, int(o)) for a, o in u) for u in s.get("updates", ())))
               for s in meta["stories"]]
    mentions = []
    for line in (folder / "figures_mentions.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        aid, start, end, label, *rest = line.split("\t") + ["", ""]
        if label == "F":
            measure, scope = rest[0], rest[1]
            mentions.append(GoldMention(aid, int(start), int(end), True, measure, scope,
                                        background=len(rest) > 2 and rest[2] == "bg"))
        else:
            mentions.append(GoldMention(aid, int(start), int(end), False, reason=label.removeprefix("N:")))
    return stories, mentions, dict(meta["sha1"])


def check_gold(stories: Sequence[GoldStory], mentions: Sequence[GoldMention], texts: dict[str, str]) -> list[str]:
    """Problems of the gold against the rebuilt texts: unlabelled or unknown mentions."""
    problems = []
    labelled = {(m.article_id, m.start, m.end) for m in mentions}
    for s in stories:
        for aid in s.articles:
            found = {(aid, a, b) for a, b in number_mentions(texts[aid])}
            problems += [f"{aid}:{a}-{b} not labelled" for _, a, b in sorted(found - labelled)]
            problems += [f"{aid}:{a}-{b} is no mention" for x, a, b in sorted(labelled - found) if x == aid]
    return problems
