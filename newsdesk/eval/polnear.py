"""PolNeAR (Newell, Margolin & Ruths, LREC 2018) for ``newsdesk eval quotes --dataset polnear``.

The corpus annotates every attribution in 924 US political news articles (train 840, dev
84; brat standoff, see ``PROVENANCE.md``): a Source span (who), a Cue (the verb) and a
Content span (what).  This module turns it into a gold standard of direct quotes with
the name a reader would give their speaker, and scores newsdesk against it.

**Articles.**  ``<split>/text/<name>.txt``; its first line is the title and is left
out (newsdesk reads bodies; annotations inside the title are dropped), offsets are
shifted to the body.  Articles annotated by several annotators (16 in train, 2 in dev)
use the first annotator file in sorted order.

**Gold direct quotes.**  A relation's Content is a direct quote when at least half of
its characters (spaces and marks aside) lie between quotation marks.  Quoted regions
are found paragraph by paragraph by a rule kept deliberately independent of
newsdesk's own quote finder: an opening mark (“ « `` „, or a straight " / '' that
does not close an open one) opens, the matching closing mark closes, and a mark left
open runs to the end of its paragraph.

**Gold speakers.**  The Source span as written ("Trump campaign spokesman Jason
Miller", "he", "a doctor") is resolved to a name, or to "unnamed":

1. a span whose head (the part before the first comma or parenthesis) ends in
   capitalised words is that name, titles removed ("Rep. Gwen Moore (D-Wis.)" ->
   "Gwen Moore"; "PENCE" -> "Pence"); a possessive in front of a common noun is not
   the speaker ("Gary Johnson's doctor" is unnamed); a description followed by a
   named apposition takes the apposition ("Another critic, Laurence H. Tribe");
2. a pronoun or a definite description ("he", "the Vermont senator") takes the
   name of the nearest earlier relation of the same article whose Source was
   resolved to a name by rule 1 or 2 (the annotation chain);
3. an indefinite or generic description ("a doctor", "sources", "one Democratic
   source", "The clip") is unnamed: newsdesk must leave such a quote's speaker null;
4. a relation without a Source, or whose Source is its cue word ("said", an
   annotation slip), has no gold speaker and is scored for finding only.

Every dev resolution made by rule 2, 3 or 4 was read by hand against the article;
where a reader gives another answer the correction is in
``polnear_dev_speakers.json`` (article name and Source offset -> offsets of the name in
the article, or null for unnamed; no article text), applied after the rules.

**Scores.**  A newsdesk quote *finds* a gold quote when their character spans
overlap.  Precision: newsdesk quotes that overlap a gold direct quote, over all
newsdesk quotes; those that only overlap a gold Content that is *not* mostly quoted (a
few quoted words inside reported speech: "called them “deplorables”") are counted
apart as ``partial`` and left out of both numerator and denominator (they are words in
quotation marks, which the contract calls quotes, but the corpus files them as
indirect speech).  Recall: gold direct quotes found, over all.  Speaker accuracy, over
found gold quotes with a gold speaker: a named gold speaker is matched when the
newsdesk speaker's surname (or an organisation's head word) is one of the gold name's
words and no first name disagrees; an unnamed gold speaker is matched only by a null
newsdesk speaker.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

__all__ = ["GoldQuote", "GoldArticle", "Found", "load", "quoted_regions", "source_name", "speaker_matches", "score"]

_OVERRIDES = Path(__file__).with_name("polnear_dev_speakers.json")


@dataclass(frozen=True)
class GoldQuote:
    """One gold direct quote: its Content spans (body offsets) and its speaker.

    ``status`` is "named" (``speaker`` holds the name), "unnamed" (``speaker`` is None)
    or "none" (no gold speaker: scored for finding only); ``how`` says which rule decided.
    """

    spans: tuple[tuple[int, int], ...]
    speaker: str | None
    status: str
    how: str
    source: tuple[int, int] | None = None  # the Source span as annotated (body offsets)

    @property
    def start(self) -> int:
        return min(s for s, _ in self.spans)


@dataclass
class _Rel:
    content: tuple[tuple[int, int], ...]
    source: tuple[int, int] | None
    source_text: str | None
    cue_text: str | None
    name: str | None = None
    status: str = "none"
    how: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# ---------------------------------------------------------------------------- reading


def _parse_ann(path: Path) -> tuple[dict[str, tuple[str, list[tuple[int, int]], str]], list[dict[str, str]]]:
    spans: dict[str, tuple[str, list[tuple[int, int]], str]] = {}
    rels: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 3 and " " in parts[1]:
            label, rng = parts[1].split(" ", 1)
            try:
                pieces = [tuple(int(x) for x in p.split()) for p in rng.split(";")]
            except ValueError:
                continue
            spans[parts[0]] = (label, [(p[0], p[1]) for p in pieces if len(p) == 2], parts[2])
        elif line.startswith("E") and len(parts) >= 2:
            rels.append(dict(p.split(":", 1) for p in parts[1].split() if ":" in p))
        # other lines continue a span's text over a line break: the offsets already say it
    return spans, rels


def _annotator_files(root: Path, split: str) -> Iterator[tuple[str, Path, Path]]:
    for txt in sorted((root / split / "text").glob("*.txt")):
        anns = sorted((root / split / "attributions").glob(f"{txt.stem}_*.ann"))
        if anns:
            yield txt.stem, txt, anns[0]


def _metadata(root: Path) -> dict[str, dict[str, str]]:
    path = root / "metadata.tsv"
    if not path.is_file():
        return {}
    with path.open(encoding="utf-8", newline="") as fh:
        return {r["filename"]: r for r in csv.DictReader(fh, delimiter="\t")}


@dataclass(frozen=True)
class GoldArticle:
    """One annotated article: the Article (body only), its gold direct quotes, and every
    annotated Content span (direct or not), in body offsets."""

    article: Any
    quotes: tuple[GoldQuote, ...]
    contents: tuple[tuple[tuple[int, int], ...], ...]


def load(root: Path, split: str = "dev", limit: int | None = None) -> list[GoldArticle]:
    """The annotated articles of ``split``, in name order."""
    import datetime as _dt

    from ..models import Article

    meta = _metadata(root)
    overrides = _overrides().get(split, {})
    out: list[GoldArticle] = []
    for name, txt, ann in _annotator_files(root, split):
        if limit is not None and len(out) >= limit:
            break
        full = txt.read_text(encoding="utf-8")
        title, _, body = full.partition("\n")
        shift = len(title) + 1
        m = meta.get(name, {})
        try:
            published = _dt.date.fromisoformat(m.get("publication_date", "")[:10])
        except ValueError:
            published = None
        article = Article(id=name, text=body, title=title.strip() or None, source=m.get("publisher") or None,
                          published=published)
        spans, rels = _parse_ann(ann)
        contents = tuple(tuple((a - shift, b - shift) for a, b in sp) for label, sp, _ in spans.values()
                         if label == "Content" and sp and min(a for a, _ in sp) >= shift)
        out.append(GoldArticle(article, tuple(_gold(full, shift, spans, rels, overrides.get(name, {}))), contents))
    return out


# ---------------------------------------------------------------------------- quoted regions

_MARK = re.compile(r"``|''|[“”\"«»„]")


def quoted_regions(text: str) -> list[tuple[int, int]]:
    """Character regions of ``text`` between double quotation marks, paragraph by paragraph;
    a mark left open runs to the end of its paragraph."""
    out: list[tuple[int, int]] = []
    pos = 0
    for para in text.split("\n"):
        open_at: int | None = None
        for m in _MARK.finditer(para):
            mk = m.group()
            if mk in ("“", "«", "``", "„"):
                if open_at is None:
                    open_at = m.end()
            elif mk in ("”", "»"):
                if open_at is not None:
                    out.append((pos + open_at, pos + m.start()))
                    open_at = None
            elif open_at is None:
                open_at = m.end()
            else:
                out.append((pos + open_at, pos + m.start()))
                open_at = None
        if open_at is not None:
            out.append((pos + open_at, pos + len(para)))
        pos += len(para) + 1
    return out


def _quoted_share(text: str, spans: Sequence[tuple[int, int]], regions: Sequence[tuple[int, int]]) -> float:
    inside = total = 0
    for a, b in spans:
        for i in range(a, min(b, len(text))):
            ch = text[i]
            if ch.isspace() or ch in "\"“”«»„`'":
                continue
            total += 1
            inside += any(s <= i < e for s, e in regions)
    return inside / total if total else 0.0


# ---------------------------------------------------------------------------- speakers

_TITLES = frozenset("""
mr mrs ms miss dr rep reps sen sens gov del chief president vice secretary speaker senator judge justice gen
general lt col adm pope rev sheriff mayor state former sir lord dame prof professor attorney commissioner
gov. chairman chairwoman leader sgt officer detective deputy press spokesman spokeswoman candidate nominee
chancellor minister prime representative host lawyer economist director
""".split())
_PRONOUNS = frozenset({"he", "she", "him", "her", "i", "we", "they", "it", "you", "us", "them", "me", "who"})
_AFFILIATIONS = frozenset({"Republican", "Democrat", "Democratic", "Libertarian", "Independent", "Conservative",
                           "Liberal", "American", "Republicans", "Democrats"})
_NAME_WORD = r"(?:\b[A-Z][\w'’.\-]*|\b[A-Z]\.|\b(?:de|da|van|von|del|la|le|bin|al)(?=\s+[A-Z]))"
_TRAILING_NAME = re.compile(rf"(?:{_NAME_WORD}\s+)*{_NAME_WORD}$")
_INDEFINITE = re.compile(r"(?i)^(?:a|an|one|some|several|many|few|other|another|two|three|four|\d+|"
                         r"only|most|small|groups?)\b|^(?:[a-z]+\s+)?(?:sources?|officials|aides|people|"
                         r"critics|experts|analysts|voters|protesters|residents)\b")
_DOCUMENT = re.compile(r"(?i)\b(?:piece|clip|ad|article|report|letter|book|ruling|brief|memo|statement|"
                       r"bylaws|standards|poll|survey|study|story|video|email|tweet|post|documents?)$")


def source_name(span: str) -> tuple[str | None, str]:
    """Rule 1: the name a Source span gives (or None) and what it is: "name",
    "pronoun", "definite" (a description pointing back), "unnamed" or "slip"."""
    s = re.sub(r"[\"“”]", "", span).strip().strip(" ,;:")
    if not s:
        return None, "slip"
    if s.lower() in _PRONOUNS:
        return None, "pronoun"
    if s.lower() in ("said", "says", "say", "told", "added", "according"):
        return None, "slip"
    parts = re.split(r"\s*[,(]\s*", s, maxsplit=1)
    head, rest = parts[0], (parts[1] if len(parts) > 1 else "").strip(" ,()")
    name = _name_at_end(head)
    if name is None and rest and not _DOCUMENT.search(head):
        appos = re.split(r"\s*[,(]\s*", rest)[0]
        name = _name_at_end(appos) if appos and appos[0].isupper() else None
        if name and (len(name.split()) < 2 or re.search(r"[’']s$", head)):
            name = name if len(name.split()) >= 2 else None
    if name:
        return name, "name"
    if _DOCUMENT.search(head) or _INDEFINITE.search(head):
        return None, "unnamed"
    if re.match(r"(?i)^(?:the|this|that|my|his|her|their|its)\b", head) or re.search(r"[’']s\s", head):
        return None, "definite"
    return None, "unnamed"


def _name_at_end(head: str) -> str | None:
    head = re.sub(r"[’']s$", "", head.strip())
    if not head.split():
        return None
    titled = head.split()[0].lower().strip(".") in _TITLES
    if " of " in head and (titled or re.search(r"\b[a-z]{3,}", head.split(" of ", 1)[1])):
        before = _name_at_end(head.split(" of ")[0])  # "Rep. Elijah Cummings of Maryland", "Robert
        if before:  # Antonacci of the New York delegation", not "Illinois Board of Elections"
            return before
    words = head.split()
    whole = all(w[:1].isupper() or w in ("of", "on", "for", "and", "the", "&") for w in words)
    if whole and " and " in head:  # "Neera Tanden and Blair Effron": both speak
        return " and ".join(n for n in (_name_at_end(p) for p in head.split(" and ")) if n) or None
    if not whole:
        if re.search(r"\b(?:at|in|for|from|with|of|on|by)\s+(?:the\s+)?[A-Z][\w'’.\-]*(?:\s+[A-Z][\w'’.\-]*)*$",
                     head):
            return None  # "His former business partner at Lenox": the partner speaks
        if re.search(r"[’']s?\s+[a-z][\w-]*$", head):
            return None  # "Gary Johnson's doctor": the doctor speaks
        m = _TRAILING_NAME.search(head)
        if not m:
            return None
        words = m.group(0).split()
    cut = max((i + 1 for i, w in enumerate(words[:-1]) if w.lower().strip(".") in _TITLES), default=0)
    words = [w for w in words[cut:] if w not in ("The", "the")]  # "Democratic Sen. Claire McCaskill"
    if len(words) == 1 and words[0] in _AFFILIATIONS and not head.isupper():
        return None  # "The Republican": a description, not a name
    while words and words[-1].strip(".") in ("Jr", "Sr", "II", "III", "IV"):
        words.pop()
    words = [w for w in words if not re.fullmatch(r"[A-Z]\.", w)] or words  # middle initials
    name = " ".join(words)
    if name.isupper() and len(name) > 3:
        name = name.title()
    return name or None


def _resolve_chain(rels: list[_Rel], text: str) -> None:
    """Rules 1-4 over the relations of one article, in Source order."""
    for r in rels:
        if r.source_text is None:
            r.how = "no source"
            continue
        name, kind = source_name(r.source_text)
        r.extra["kind"] = kind
        if kind == "name":
            r.name, r.status, r.how = name, "named", "rule 1"
        elif kind == "unnamed":
            r.status, r.how = "unnamed", "rule 3"
        elif kind == "slip":
            r.how = "rule 4"
    located = sorted((r for r in rels if r.source is not None), key=lambda r: r.source[0])  # type: ignore[index]
    last: str | None = None
    for r in located:
        if r.extra.get("kind") in ("pronoun", "definite"):
            low = (r.source_text or "").lower()
            if low in ("i", "we", "us", "me", "they", "them", "you"):
                r.status, r.how = ("unnamed", "rule 3") if low in ("they", "them") else ("none", "rule 4")
                continue
            if last:
                r.name, r.status, r.how = last, "named", "rule 2"
            else:
                r.how = "rule 2 (no antecedent)"
        if r.status == "named":
            last = r.name


@lru_cache(maxsize=1)
def _overrides() -> dict[str, dict[str, dict[str, Any]]]:
    if not _OVERRIDES.is_file():
        return {}
    return json.loads(_OVERRIDES.read_text(encoding="utf-8"))


def _gold(full: str, shift: int, spans: dict[str, tuple[str, list[tuple[int, int]], str]],
          rels: list[dict[str, str]], overrides: dict[str, Any]) -> list[GoldQuote]:
    regions = quoted_regions(full)
    items: list[_Rel] = []
    for rel in rels:
        content = spans.get(rel.get("Content", ""))
        if content is None or not content[1]:
            continue
        src = spans.get(rel.get("Source", ""))
        cue = spans.get(rel.get("Cue", ""))
        src_span = (min(a for a, _ in src[1]), max(b for _, b in src[1])) if src and src[1] else None
        src_text = " ".join(full[a:b] for a, b in src[1]) if src and src[1] else None
        items.append(_Rel(tuple(content[1]), src_span, src_text, cue[2] if cue else None))
    _resolve_chain(items, full)
    out = []
    for r in items:
        if min(a for a, _ in r.content) < shift or _quoted_share(full, r.content, regions) < 0.5:
            continue
        name, status, how = r.name, r.status, r.how
        if r.source is not None and str(r.source[0]) in overrides:
            fix = overrides[str(r.source[0])]
            if fix is None:
                name, status, how = None, "unnamed", "read by hand"
            elif fix == "none":
                name, status, how = None, "none", "read by hand"
            else:
                name, status, how = full[fix[0]:fix[1]], "named", "read by hand"
        where = (r.source[0] - shift, r.source[1] - shift) if r.source and r.source[0] >= shift else None
        out.append(GoldQuote(tuple((a - shift, b - shift) for a, b in r.content), name, status, how, where))
    out.sort(key=lambda g: g.start)
    return out


# ---------------------------------------------------------------------------- scoring

_SUFFIX = frozenset({"jr", "sr", "ii", "iii", "iv"})


def _name_words(name: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", name.lower().replace("’", "'").replace("'s ", " "))
    return [w for w in words if w not in _SUFFIX and w not in ("the", "a", "an", "mr", "mrs", "ms", "dr")]


def speaker_matches(predicted: str | None, gold: str | None) -> bool:
    """Whether a newsdesk speaker names the gold speaker (see the module docstring)."""
    if gold is None or predicted is None:
        return gold is None and predicted is None
    p, g = _name_words(predicted), _name_words(gold)
    if not p or not g:
        return False
    if p[-1] not in g:
        return False
    if len(p) >= 2 and len(g) >= 2 and p[-1] == g[-1] and len(p[0]) > 1 and p[0] not in g[:-1] and (
            g[0] not in p[:-1]):
        return False  # "Bill Clinton" is not "Hillary Clinton" ("Thomas Massie" is "Rep. Thomas Massie")
    return True


@dataclass
class Found:
    """One newsdesk quote located in its article."""

    start: int
    end: int
    speaker: str | None
    role: str | None
    text: str


def score(pairs: Sequence[tuple[GoldArticle, list[Found]]]) -> dict[str, Any]:
    """Direct-quote precision/recall and speaker accuracy over (gold article, newsdesk quotes)
    pairs, with every wrong speaker, missed and spurious quote listed."""
    n_pred = n_pred_ok = n_partial = n_gold = n_found = 0
    sp_total = sp_ok = 0
    unnamed = unnamed_named = 0
    errors: list[dict[str, Any]] = []
    misses: list[dict[str, Any]] = []
    spurious: list[dict[str, Any]] = []
    for ga, found in pairs:
        article, gold, text = ga.article, ga.quotes, ga.article.text
        for f in found:
            n_pred += 1
            if any(_overlap((f.start, f.end), g.spans) for g in gold):
                n_pred_ok += 1
            elif any(_overlap((f.start, f.end), c) for c in ga.contents):
                n_partial += 1
                n_pred -= 1
            else:
                spurious.append({"article": article.id, "start": f.start, "text": f.text[:80]})
        for g in gold:
            n_gold += 1
            hits = [f for f in found if _overlap((f.start, f.end), g.spans)]
            if not hits:
                misses.append({"article": article.id, "start": g.start,
                               "text": text[g.spans[0][0]:g.spans[0][1]][:80]})
                continue
            n_found += 1
            if g.status == "none":
                continue
            best = max(hits, key=lambda f: sum(max(0, min(f.end, b) - max(f.start, a)) for a, b in g.spans))
            sp_total += 1
            ok = speaker_matches(best.speaker, g.speaker)
            sp_ok += ok
            if g.status == "unnamed":
                unnamed += 1
                unnamed_named += best.speaker is not None
            if not ok:
                src = text[g.source[0]:g.source[1]] if g.source else None
                errors.append({"article": article.id, "start": g.start, "gold": g.speaker, "gold_source": src,
                               "gold_rule": g.how, "predicted": best.speaker, "role": best.role,
                               "text": best.text[:70]})
    p = n_pred_ok / n_pred if n_pred else 0.0
    r = n_found / n_gold if n_gold else 0.0
    return {"articles": len(pairs), "gold_quotes": n_gold, "predicted": n_pred, "partial": n_partial,
            "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
            "speaker_scored": sp_total, "speaker_correct": sp_ok,
            "speaker_accuracy": sp_ok / sp_total if sp_total else 0.0,
            "unnamed_gold": unnamed, "unnamed_given_a_name": unnamed_named,
            "speaker_errors": errors, "missed": misses, "spurious": spurious}


def _overlap(span: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in spans)
