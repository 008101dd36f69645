"""Turn a raw article into a clean body plus the metadata found in its boilerplate.

The cleaner works on *units*: paragraphs, where a paragraph is one line of the input, or several
hard-wrapped lines joined with a space.  Each unit gets cheap features (length, terminal punctuation,
share of capitalised words, date / byline / caption / web-boilerplate patterns, position relative to
the body, repetition inside the document and across the batch) and is kept or removed by rules over
those features.  Kept units are the input text with whitespace collapsed; only text lower-cased with sentence
capitals (:func:`lower_cased`, Multi-News+ source documents) is rewritten, in two ways that restore what the
lower-casing broke (:func:`_recased`): the capital its capitaliser put after an abbreviation ("the u.s. Attorney")
lowered, and dotted rules removed.  HTML entities a page left ("&amp;") are decoded in
every text.

Zones: the *body* runs from the first to the last body-like unit (a sentence of 8+ words that is not a
caption, date, byline or boilerplate); units before it are the *top* zone (title, outlet name, date,
byline, banners), units after it the *bottom* zone.  A block header such as "Related Stories" opens a
*tail block* that is dropped up to the end, unless ordinary body prose resumes.

Every removal is recorded in ``meta["removed"]`` as ``(unit text, reason)``.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import html as _html
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from .boilerplate import boilerplate_family, comment_section_header
from .dates import MONTH_PATTERN, YEAR_PATTERN, find_date, parse_absolute
from .models import Article
from .options import DEFAULT_OPTIONS, Options

__all__ = ["CorpusStats", "clean_article", "clean_articles", "split_units", "find_date", "is_caption", "lower_cased"]

# ---------------------------------------------------------------------------------------------------
# Patterns (generic web / newswire conventions only)

_MONTH = MONTH_PATTERN  # the one date grammar: newsdesk/dates.py
_YEAR = YEAR_PATTERN
_TIME_RE = re.compile(r"\b\d{1,2}:\d{2}(?::\d{2})?(?:\s*[AaPp]\.?[Mm]\.?)?")
_DATE_LABELS = {
    "date", "dated", "published", "updated", "posted", "last", "modified", "on", "at", "time", "am", "pm",
    "gmt", "utc", "et", "est", "edt", "cet", "cest", "bst", "pst", "pdt", "ist", "msk", "local", "mon",
    "monday", "tue", "tues", "tuesday", "wed", "wednesday", "thu", "thur", "thurs", "thursday", "fri",
    "friday", "sat", "saturday", "sun", "sunday", "t", "z",
}
_BYLINE_RE = re.compile(r"^(?:by|BY|By)\s*:?\s+(?P<who>\S.{0,100})$")
_SOURCE_LINE_RE = re.compile(r"^[^\w(]*\(?\s*(?:source|sources|via)\s*[:：]\s*(?P<src>[^:]{2,80}?)\s*\)?\s*$", re.I)
_CREDIT_LINE_RE = re.compile(r"^\(?\s*(?:(?:additional\s+)?reporting|writing|editing|compiled|translated)"
                             r"(?:\s+and\s+\w+)?\s+by\b|\bcontributed\s+(?:to\s+)?(?:this\s+)?report(?:ing)?\b", re.I)
# words that end an outlet's name ("Example Press TV", "The Daily Star", "Example News")
_MEDIA_WORDS = {
    "news", "press", "tv", "television", "radio", "times", "post", "daily", "agency", "agencies", "network",
    "media", "journal", "herald", "tribune", "gazette", "telegraph", "guardian", "observer", "review",
    "monitor", "wire", "online", "channel", "broadcasting", "newspaper", "magazine", "weekly", "chronicle",
    "courier", "express", "mail", "mirror", "star", "standard", "globe", "today", "insider", "report",
    "bulletin", "dispatch", "independent", "service", "bureau", "digest", "reporter", "examiner", "inquirer",
    "sentinel", "international", "live", "newswire",
}
_DESK_WORDS = {"staff", "desk", "team", "editors", "newsroom", "correspondent", "correspondents", "reporters"}
_DOMAIN_RE = re.compile(r"\b[\w-]+\.(?:com|org|net|info|news|tv|co\.uk|co)\b", re.I)

_STRONG_CUE = re.compile(r"""
    ^\[?related\s*:\s
  | ^related(?:\s+(?:articles?|stories|story|posts?|news|content|coverage|links?|topics?|items?|reading|videos?))?\s*:?$
  | \bleave\s+a\s+(?:reply|comment)\b | \bemail\s+address\s+will\s+not\s+be\s+published\b
  | \brequired\s+fields\s+are\s+marked\b | \bback\s+to\s+top\b | \ball\s+rights\s+reserved\b
  | ^advertisement(?:\s*[-–—:|].*)?$ | ^sponsored(?:\s+content)?\s*$ | \b(?:click|tap)\s+here\b | ^also\s+on\s+\S+\.\w+
  | \[(?:[A-Z]{3,}|video|pics?|photos?|poll)\]\s*\|?\s*$ | \bfollow\s+(?:him|her|them|me)\s+on\b
  | \bsign\s+up\s+(?:for|to)\b.{0,60}\b(?:newsletter|e-?mails?|updates|alerts)\b
  | ^(?:read|see)\s+(?:more|also|next|full\s+(?:story|article))\b | ^(?:share|tweet|email|print)\s+(?:this|on)\b
  | ^share\s*:?$ | ^follow\s+(?:us|@)\b | \bfollow\s+(?:us\s+)?on\s+(?:twitter|facebook|instagram|telegram)\b
  | ^sign\s+up\b | ^subscribe\b | \bmailing\s+list\b
  | ^(?:latest|top|breaking|trending|popular)\s+(?:news|stories|headlines|posts)\s*:?$
  | ^most\s+(?:read|popular|viewed|shared|recent)\b | ^more\s+from\b | ^you\s+(?:may|might)\s+also\s+(?:like|enjoy)\b
  | \bskip\s+to\s+(?:main\s+)?content\b | \bcookies?\s+(?:policy|settings|consent)\b | \bwe\s+use\s+cookies\b
  | ^copyright\b | © | ^(?:image|photo|video|media)\s+(?:source|credit|caption|copyright)\b
  | ^(?:tags?|topics?|categories|filed\s+under|keywords)\s*:
  | ^\d*\s*comments?\s*$ | ^(?:loading|please\s+wait)\b
""", re.I | re.X)
_WEAK_CUE = re.compile(
    r"\bdonat(?:e|es|ion|ions)\b|\bnewsletters?\b|\bsubscri(?:be|ption)\b|\bsupport\s+(?:us|our)\b|\bsign\s+in\b"
    r"|\blog\s*in\b|\bregister\b|\bdownload\s+(?:the|our)\s+app\b|\bfacebook\b|\btwitter\b|\bwhatsapp\b"
    r"|\btelegram\b|\bcomments?\b|\bshare\b|\bprint\b|\bemail\b|\bcharitable\b|\bsponsored\b|\badvert"
    r"|\bpremium\b|\bad-free\b|\bfree\s+trial\b|\bpromo(?:tion)?\b|\bdiscount\b|\bmember(?:ship)?\b|\bjournalism\b",
    re.I)
_IMPERATIVE = re.compile(
    r"^\W*(?:\S+\s+[-–—|:]\s+)?(?:make|join|support|donate|subscribe|sign|follow|download|get|click|tap|read|share"
    r"|register|log|watch|listen|like|visit|contact|send|help|become|give|discover|learn|explore|try)\b", re.I)
_TAIL_HEADER = re.compile(r"""^(?:
    related(?:\s+\w+)? | (?:the\s+)?latest(?:\s+\w+)?
  | more\s+(?:from|on|in|news|stories|articles|headlines|coverage)\b.*
  | most\s+(?:read|popular|viewed|shared|recent)(?:\s+\w+)? | top\s+(?:stories|news|headlines)
  | trending(?:\s+\w+)? | popular(?:\s+\w+)? | recommended(?:\s+\w+){0,2} | see\s+also | also\s+read
  | you\s+(?:may|might)\s+(?:also\s+)?(?:like|be\s+interested(?:\s+in)?) | read\s+(?:more|also|next)
  | further\s+reading | other\s+(?:news|stories|articles) | editor'?s?\s+picks? | in\s+case\s+you\s+missed\s+it
)\s*:?$""", re.I | re.X)
_CAPTION_START = re.compile(
    r"^\(?(?:files?|file\s+photo|handout)\)?\s*[-–—:|]|^\((?:files?|photo|ap\s+photo|handout)\)"
    r"|^(?:reuters|ap|afp|epa|getty\s+images|ap\s+photo)\s*/\s*\w"  # a photo's credit: "Reuters/Jane Doe ..."
    r"|^(?:photo|image|picture|video|map|graphic|illustration)s?\s*(?:of\b|[:|])|^pictured\b", re.I)
_CAPTION_ANY = re.compile(
    r"\bin\s+this\s+(?:\w+\s+){0,2}(?:photo|picture|image|photograph|handout)\b"
    r"|\b(?:photo|picture|image)\s+(?:taken|released|provided|shows)\b|(?:^|[.!?]\s+)pictured\b"
    r"|\b(?:pictured|seen|shown)\s+(?:here|above|below|left|right)\b", re.I)
_CAPTION_CREDIT = re.compile(
    r"\((?:[^()]*\b(?:photo|photograph|pictures?|images?|getty|file|handout|courtesy|credit)\b[^()]*"
    r"|[^()/]{2,40}/[^()/]{2,40})\)\s*$", re.I)
_CAPTION_DATE_END = re.compile(  # "... at the town hall in Westbrook, March 14, 2023." (no "on" before the date)
    rf"[^\W\d],\s+(?i:{_MONTH}\s+\d{{1,2}},\s+{_YEAR}|\d{{1,2}}\s+{_MONTH}\s+{_YEAR})\.?\s*$")
_DATELINE_RES = [
    re.compile(  # LISBON (Agency) - / NEW YORK, Calif. (AP) _ / MADRID, Oct 9 (Newswire) - / WASHINGTON —
        rf"^(?P<place>[A-Z][A-Z'’.\-]*[A-Z.](?:\s+[A-Z][A-Z'’.\-]*[A-Z.])*"
        r"(?:,\s+[A-Z][A-Za-z.'’\-]+(?:\s+[A-Z][A-Za-z.'’\-]+)*)?)"
        rf"(?:,?\s+(?i:{_MONTH})\s+\d{{1,2}})?\s*(?:\((?P<credit>[^()]{{1,40}})\))?\s*(?:--|[-–—―_:])\s+(?=[A-Z0-9\"“‘'`(])"),
    re.compile(  # Lisbon (Newswire) -   (title-case place only with a credit)
        r"^(?P<place>[A-Z][a-z]+(?:\s+[A-Z][a-z]+){0,2}(?:,\s+[A-Z][A-Za-z.]+(?:\s+[A-Z][A-Za-z.]+)?)?)"
        r"\s*\((?P<credit>[^()]{1,40})\)\s*(?:--|[-–—―_:])\s+(?=[A-Z0-9\"“‘'`(])"),
]
_TEASER_RE = re.compile(r"[^\W_](?:…|\.\.\.)$")  # cut-off teaser text: "at a Gilead…"
_TERMINAL_RE = re.compile(r"[.!?…]['\"”’»)\]`]*$")
_SENT_SPLIT = re.compile(r"(?<=[.!?])['\"”’`]*\s+(?=[A-Z\"“‘(`])")
_SMALL = {"a", "an", "the", "of", "in", "on", "to", "for", "and", "or", "as", "at", "by", "with", "from", "over",
          "vs", "via", "into", "but", "nor", "per", "amid", "after", "up", "off", "out", "is", "are", "be"}
_WORD_RE = re.compile(r"[^\W\d_][\w'’\-]*")
_CONT_WORDS = set("a an the of in on to for and or but with from by at as that which who his her its their is are was "
                  "were has have had will would said says than into".split())
_BULLET = re.compile(r"^\s*(?:[-*•·▪►]|\d{1,2}[.)])\s")
# HTML pages (meta["format"] == "html", or a record whose body came from its "html" field) come from trafilatura,
# which already chose the main content from the page structure; there only these removals apply (noise and
# metadata lines), and section labels, lists, headlines and repeated paragraphs stay.  Measured with
# `newsdesk eval extract` on the 181 ScrapingHub pages (benchmark token-shingle metric), before the reader's
# short-page fallback: all rules F1 0.941 (P 0.962, R 0.921); none 0.966 (P 0.961, R 0.971); this set 0.968
# (P 0.968, R 0.969) -- each structural rule alone lowered F1 (section labels -0.007, trailing non-sentences -0.008).
# With the fallback: 0.973 (P 0.972, R 0.974) against trafilatura alone 0.960 (P 0.942, R 0.978).
_HTML_REMOVALS = frozenset({
    "web boilerplate", "repeated title", "credit line", "source line", "block header", "related block",
    "photo caption", "byline", "date line", "no words", "trailing teaser", "comment section",
})
# Text lower-cased with sentence capitals (Multi-News+ source documents): a letter opening a word inside a
# sentence (after a lower-case word, a digit or a comma) is never a capital there (0% in each of the 2,750 Multi-News
# test documents with 20 such words), while in cased news text they are names: at least 2.1% (median 15%) in the
# DUC 2004 files, at least 5.9% (median 14%) in the BASIL articles.  lower_cased() needs fewer than 0.5% of at least
# 20.
_IN_SENTENCE_LETTER = re.compile(r"(?<=[a-z0-9,;] )[^\W\d_]")
# An abbreviation in lower case and the capital that a sentence capitaliser put after it ("the u.s. Attorney",
# "sen. Susan", "marcello a. Canuto"): in lower-cased text that capital is no sentence start unless the word is
# one that opens sentences (read on the Multi-News test documents: of the 732 capitals after an initialism such as
# "u.s.", "and", weekdays, titles and names lead; 25 are words of _SENTENCE_OPENERS, "the", "when", "but" most).
_ABBREV_CAPITAL = re.compile(
    r"(?<![\w.])(?:(?:[a-z]\.){1,4}|(?:[Mm]r|[Mm]rs|[Mm]s|[Dd]r|[Ss]ens?|[Rr]eps?|[Gg]ov|[Gg]en|[Ll]t|[Cc]ol|[Ss]gt|[Cc]apt"
    r"|cpl|pvt|adm|prof|rev|fr|st|jr|sr|inc|corp|co|ltd|vs|ft|mt|maj|cmdr|supt|det|atty|jan|feb|aug|sept?|oct|nov|dec)\.)"
    r" (?P<word>[A-Z][a-z'’\-]*)(?![\w.])")
_SENTENCE_OPENERS = frozenset(
    "the a an he she it they we i you this these those there his her their its our my but however when if while "
    "meanwhile so yet now still then also some many most both all".split())
_DOT_RUN = re.compile(r"\.{6,}\s*")  # a page's dotted rule: "........ A veteran who ..."
_ENTITY = re.compile(r"&(?:amp|quot|apos|lt|gt|nbsp|#\d{2,5}|#x[0-9a-f]{2,4});", re.I)


# ---------------------------------------------------------------------------------------------------
# Segmentation

def _lines_of(text: str) -> list[list[str]]:
    """Blocks of consecutive non-blank lines (right-stripped, leading whitespace kept)."""
    blocks: list[list[str]] = []
    cur: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        if line.strip():
            cur.append(line.rstrip())
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _starts_lower(line: str) -> bool:
    s = line.lstrip(" \t\"“‘'`(")
    return bool(s) and s[0].islower()


def _continues(line: str) -> bool:
    """Does ``line`` read as the rest of a sentence ("show the actress ...") rather than a label or date line?"""
    words = line.split()
    return (bool(words) and _starts_lower(line) and not any(c.isupper() for c in words[0])
            and words[0].strip("\"“‘'`(").lower() not in _DATE_LABELS | {"by", "via", "source", "photo", "image"})


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _open_end(line: str) -> bool:
    """Does the line stop mid-phrase (comma, dash, or a function word such as "the")?"""
    return line[-1] in ",-–—_(“\"‘`" or line.rsplit(None, 1)[-1].lower() in _CONT_WORDS


def _is_wrapped(block: list[str]) -> bool:
    """Is this block one hard-wrapped paragraph (newswire at ~70 columns) rather than one paragraph a line?"""
    if len(block) < 2 or sum(bool(_BULLET.match(x)) for x in block) >= max(2, len(block) / 3):
        return False  # a list, one item a line
    lines = [x.strip() for x in block]
    lens = [len(x) for x in lines]
    width = max(lens[:-1])
    if max(lens) > 110 or width < 30:
        return False
    b = len(lines) - 1
    open_end = sum(not _TERMINAL_RE.search(lines[i]) for i in range(b))
    cont = sum(_open_end(lines[i]) or _continues(lines[i + 1]) for i in range(b))
    long_lines = sum(n >= 0.7 * width for n in lens[:-1])

    def prose() -> bool:
        joined = " ".join(lines)
        return _lower_ratio(joined) >= 0.4 and bool(re.search(r"[.!?]['\"”’`]*(?:\s|$)", joined))

    if open_end == b and long_lines == b and (cont >= 1 or (b >= 2 and prose())):
        return True
    return b >= 4 and open_end / b >= 0.75 and (cont / b >= 0.25 or (long_lines / b >= 0.6 and prose()))


def split_units(text: str) -> list[tuple[str, int]]:
    """The paragraphs of ``text`` as ``(whitespace-collapsed text, number of input lines)`` pairs."""
    units: list[tuple[str, int]] = []
    for block in _lines_of(text):
        if not _is_wrapped(block):
            units.extend((" ".join(x.split()), 1) for x in block)
            continue
        width = max(len(x.strip()) for x in block[:-1])
        base = min(_indent(x) for x in block)
        cur = [block[0]]
        for i in range(1, len(block)):
            prev, line = block[i - 1], block[i]
            brk = _indent(line) > base and _indent(line) > _indent(prev)
            if i == 1 and not _starts_lower(line) and not _TERMINAL_RE.search(prev.strip()):
                n = len(prev.strip())  # a title line on top of a wrapped paragraph: short, or Headline Case
                headline = _headline_ratio(prev) == 1.0 and len(_alpha(prev)) >= 3
                brk = brk or n < 0.6 * width or n < 0.85 * width and headline
            if brk:
                units.append((" ".join(" ".join(cur).split()), len(cur)))
                cur = []
            cur.append(line)
        units.append((" ".join(" ".join(cur).split()), len(cur)))
    merged: list[tuple[str, int]] = []
    for text_, nlines in units:  # a sentence cut across paragraphs: "... on social media," / "show the ..."
        if (merged and _continues(text_) and len(merged[-1][0].split()) >= 6
                and not _TERMINAL_RE.search(merged[-1][0]) and not merged[-1][0].endswith(":")):
            merged[-1] = (merged[-1][0] + " " + text_, merged[-1][1] + nlines)
        else:
            merged.append((text_, nlines))
    return merged


# ---------------------------------------------------------------------------------------------------
# Features

def _words(s: str) -> list[str]:
    return s.split()


def _alpha(s: str) -> list[str]:
    return _WORD_RE.findall(s)


def _headline_ratio(s: str) -> float:
    content = [w for w in _alpha(s) if w.lower() not in _SMALL]
    return sum(w[0].isupper() for w in content) / len(content) if content else 0.0


def _lower_ratio(s: str) -> float:
    toks = _alpha(s)[1:]
    return sum(w[0].islower() for w in toks) / len(toks) if toks else 0.0


def _sentence_like(s: str) -> bool:
    if not _TERMINAL_RE.search(s) or len(_words(s)) < 2:
        return False
    return _lower_ratio(s) >= 0.2 or (len(_words(s)) >= 6 and any(w[0].islower() for w in _alpha(s)))


def _n_sentences(s: str) -> int:
    return len([p for p in _SENT_SPLIT.split(s) if p.strip()])


def _cmp_key(s: str) -> str:
    """Comparison form: case-folded words, punctuation dropped."""
    return " ".join(re.findall(r"\w+", s.casefold()))


def stable_key_hash(key: str) -> int:
    """A 64-bit hash of a unit key that is the same in every process (``hash`` is salted)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def _corpus_key(s: str) -> str:
    return re.sub(r"\d+", "0", _cmp_key(s))


def _dateparser_date(s: str) -> _dt.date | None:
    """Fallback for unusual absolute dates ("the 9th of October, 2020") in a short line."""
    if not re.search(_YEAR, s) or len(_words(s)) > 10:
        return None
    return parse_absolute(s)


def _date_line(s: str) -> tuple[bool, _dt.date | None]:
    """Is ``s`` a date line (a date, a time, weekday names and labels, at most two other words)?"""
    if len(_words(s)) > 12:
        return False, None
    date, spans = find_date(s)
    rest = s
    for a, b in sorted(spans, reverse=True):
        rest = rest[:a] + " " + rest[b:]
    rest = _TIME_RE.sub(" ", rest)
    toks = [t for t in re.findall(r"[A-Za-z]+|\d+", rest) if t.lower() not in _DATE_LABELS]
    if _TERMINAL_RE.search(s) and any(t[0].islower() and t != "by" for t in toks):
        return False, None  # "Talks began Oct. 9, 2020." is a sentence
    if date is None:
        if not re.search(_MONTH, s, re.I) or len(toks) > 6:
            return False, None
        date = _dateparser_date(s)
        return date is not None, date
    return len(toks) <= 2, date


def _is_outlet_name(s: str) -> bool:
    """A short capitalised name ending in a media word ("Example Daily", "Some Press TV") or a domain."""
    if len(_words(s)) > 6 or _TERMINAL_RE.search(s) and not s.endswith("."):
        return False
    toks = _alpha(s)
    if not toks:
        return False
    if _DOMAIN_RE.search(s) and len(_words(s)) <= 3:
        return True
    return all(w[0].isupper() or w.lower() in _SMALL for w in toks) and toks[-1].lower() in _MEDIA_WORDS


def _person_name(s: str) -> bool:
    names = re.split(r"\s*(?:,|&|\band\b)\s*", s.strip(" ,;."))
    for name in names:
        toks = name.split()
        if not 2 <= len(toks) <= 5:
            return False
        for t in toks:
            if not (t[0].isupper() or t.lower() in {"de", "van", "von", "der", "da", "al", "bin", "el", "la", "le"}):
                return False
            if any(ch.isdigit() for ch in t):
                return False
    return True


def _is_org(s: str) -> bool:
    return _is_outlet_name(s) or bool(re.fullmatch(r"[A-Z][A-Z0-9&]{1,7}", s))


def _byline(s: str) -> dict[str, Any] | None:
    """Fields of a byline: "By Jane Doe" -> author; "By Example News" -> source; "By Jane Doe, Example
    Times | Oct. 9, 2020" -> author, source and published."""
    m = _BYLINE_RE.match(s)
    if not m or len(_words(s)) > 16 or _sentence_like(s) and not s.endswith("."):
        return None
    who = m.group("who").strip(" .,;|")
    date, spans = find_date(who)
    for a, b in sorted(spans, reverse=True):
        who = (who[:a] + who[b:]).strip(" .,;|-–—")
    parts = [p.strip() for p in re.split(r"\s+[|/–—-]\s+|,\s+(?=[A-Z])|\s+for\s+(?=[A-Z])", who) if p.strip()]
    if not parts:
        return None
    out: dict[str, Any] = {"published": date} if date else {}
    if parts[0].split()[-1].lower() in _DESK_WORDS and len(parts[0].split()) <= 4:
        out["author"] = parts[0]  # "By Example Staff": a desk byline
    elif _is_org(parts[0]):
        out["source"] = parts[0]
    elif _person_name(parts[0]):
        out["author"] = parts[0]
        if len(parts) > 1 and _is_org(parts[1]):
            out["source"] = parts[1]
    else:
        return None
    return out


def lower_cased(text: str) -> bool:
    """Is ``text`` lower-cased with sentence capitals (words inside sentences, names included, in lower case)?"""
    letters = _IN_SENTENCE_LETTER.findall(text[:20000])
    return len(letters) >= 20 and sum(ch.isupper() for ch in letters) < 0.005 * len(letters)


def _recased(text: str) -> str:
    """Lower-cased text as its sentences read: the capital after a lower-case abbreviation lowered unless it
    opens a sentence ("the u.s. Attorney" -> "the u.s. attorney"; "in the u.s. The" stays), so the sentence
    splitter does not end a sentence there; dotted rules removed."""
    text = _ABBREV_CAPITAL.sub(lambda m: m.group(0) if m.group("word").lower() in _SENTENCE_OPENERS else
                               m.group(0)[:m.start("word") - m.start()] + m.group("word").lower(), text)
    return _DOT_RUN.sub("", text)


def is_caption(s: str) -> bool:
    """Does ``s`` read as a photo caption ("In this photo taken ...", "(AP Photo/...)", "Pictured: ...")?"""
    return _caption(s)


def _caption(s: str) -> bool:
    if len(_words(s)) > 60 or _n_sentences(s) > 3:
        return False
    if _CAPTION_START.search(s) or _CAPTION_ANY.search(s):
        return _n_sentences(s) <= 2
    if _CAPTION_CREDIT.search(s):
        return True
    return (bool(_CAPTION_DATE_END.search(s)) and _n_sentences(s) == 1 and len(_words(s)) <= 45
            and not re.search(r"[\"“”]|\b(?:said|says|told)\b", s))


def _shares_opening(a: str, b: str) -> bool:
    """``a`` is a short version of ``b``: same opening words and no word that ``b`` lacks."""
    if len(a) >= len(b) or len(a) > 400:
        return False
    wa, wb = _cmp_key(a).split(), _cmp_key(b).split()
    k = min(len(wa) - 1, 8)
    return k >= 4 and len(wb) > len(wa) and wa[:k] == wb[:k] and set(wa) <= set(wb)


# ---------------------------------------------------------------------------------------------------
# Corpus statistics

@dataclass(frozen=True)
class CorpusStats:
    """How many documents of a batch contain each normalised unit (digits folded, punctuation dropped)."""

    n_docs: int = 0
    counts: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    @classmethod
    def build(cls, articles: Iterable[Article]) -> CorpusStats:
        counts: Counter[str] = Counter()
        n = 0
        for art in articles:
            n += 1
            counts.update({k for k in (_corpus_key(t) for t, _ in split_units(art.text)) if k})
        return cls(n_docs=n, counts=MappingProxyType({k: v for k, v in counts.items() if v > 1}))

    @staticmethod
    def keys(article: Article) -> set[str]:
        """The normalised units of one article (what :meth:`build` counts)."""
        return {k for k in (_corpus_key(t) for t, _ in split_units(article.text)) if k}

    @classmethod
    def from_counts(cls, articles: Iterable[Article], counts: Mapping[int, int], n_docs: int) -> CorpusStats:
        """The statistics of a whole batch for a shard of it: ``counts`` maps :func:`stable_key_hash`
        of each unit to its number of documents in the batch (units of one document may be left
        out), so that a shard is cleaned exactly as the batch would be (:mod:`newsdesk.scale`)."""
        kept = {}
        for art in articles:
            for k in cls.keys(art):
                c = counts.get(stable_key_hash(k), 1)
                if c > 1:
                    kept[k] = c
        return cls(n_docs=n_docs, counts=MappingProxyType(kept))

    def doc_count(self, line: str) -> int:
        """Number of documents containing ``line`` (as a whole unit); 1 for lines seen in one document."""
        return self.counts.get(_corpus_key(line), 1)

    def is_repeated(self, line: str) -> bool:
        return self.doc_count(line) >= 2


# ---------------------------------------------------------------------------------------------------
# The cleaner

@dataclass
class _Unit:
    text: str
    nlines: int
    key: str = ""
    n_words: int = 0
    sentence: bool = False
    strong: bool = False
    weak: bool = False
    banner: bool = False
    date: tuple[bool, _dt.date | None] = (False, None)
    byline: dict[str, Any] | None = None
    source: str | None = None
    credit_line: bool = False
    caption: bool = False
    header: bool = False
    teaser: bool = False
    comments: bool = False
    dup: bool = False
    outlet: bool = False
    body: bool = False
    reason: str | None = None


def _features(units: list[_Unit]) -> None:
    for u in units:
        s = u.text
        u.key = _cmp_key(s)
        u.n_words = len(_words(s))
        u.sentence = _sentence_like(s)
        u.strong = u.n_words <= 20 and bool(_STRONG_CUE.search(s)) or bool(boilerplate_family(s))
        u.weak = u.n_words <= 15 and bool(_WEAK_CUE.search(s))
        u.banner = (u.weak or s.endswith("!")) and u.n_words <= 15 and bool(_IMPERATIVE.search(s))
        u.date = _date_line(s) if u.n_words <= 12 else (False, None)
        u.byline = _byline(s)
        m = _SOURCE_LINE_RE.match(s)
        u.source = m.group("src").strip() if m and len(_words(m.group("src"))) <= 6 else None
        u.credit_line = bool(_CREDIT_LINE_RE.match(s)) and u.n_words <= 25
        u.caption = _caption(s)
        u.header = u.n_words <= 6 and bool(_TAIL_HEADER.match(s))
        u.teaser = bool(_TEASER_RE.search(s))
        u.comments = comment_section_header(s)
        u.outlet = _is_outlet_name(s)
    for i, u in enumerate(units):  # "By" alone on a line, the name on the next
        if u.text.lower() in {"by", "by:"} and i + 1 < len(units):
            nxt = _byline("By " + units[i + 1].text)
            if nxt:
                u.byline = {"marker": True}
                units[i + 1].byline = nxt
    for i in range(len(units) - 1):  # short caption followed by its long version
        a, b = units[i], units[i + 1]
        if not a.caption and _shares_opening(a.text, b.text):
            a.caption = b.caption or a.caption
            if not a.caption:
                a.reason = "near-duplicate of the next paragraph"
    first: dict[str, _Unit] = {}
    for u in units:  # a later copy of a paragraph shares the verdicts on the first and is never body
        key = u.key
        if key in first:
            u.caption = u.caption or first[key].caption
            u.dup = True
        else:
            first[key] = u
    for u in units:
        flagged = (u.strong or u.banner or u.date[0] or u.byline or u.source or u.credit_line or u.caption
                   or u.header or u.teaser or u.dup or u.reason or u.comments)
        u.body = u.sentence and u.n_words >= 8 and not flagged


def _title_index(units: list[_Unit], stop: int) -> int | None:
    """Index of the title among the top units of a ``.txt`` article, or None."""
    short: int | None = None
    texts = Counter(u.key for u in units)
    for i, u in enumerate(units[: min(stop + 1, 10)]):
        if u.strong or u.banner or u.date[0] or u.byline or u.source or u.credit_line or u.header or u.nlines > 2:
            continue
        if u.caption or u.outlet and (u.n_words <= 4 or texts[u.key] > 1):
            continue
        s = u.text
        if s[-1] in ",;:" or u.n_words > 30 or _n_sentences(s) > 1:
            if i >= stop:
                break
            continue
        if s.endswith(".") and not (u.n_words <= 20 and _headline_ratio(s) == 1.0) or u.nlines > 1 and u.sentence:
            if i >= stop:
                break
            continue
        alpha = len(_alpha(s))
        if alpha >= 4:
            return i
        if alpha >= 2 and short is None and texts[u.key] == 1:
            short = i
    return short


def _dateline(text: str) -> tuple[str, str | None] | None:
    for rx in _DATELINE_RES:
        m = rx.match(text)
        if m:
            place = m.group("place").strip(" ,")
            if sum(ch.isalpha() for ch in place) < 3:
                continue
            credit = (m.group("credit") or "").strip() or None
            if credit and (len(credit.split()) > 5 or not credit[0].isupper()):
                credit = None
            return place, credit
    return None


def clean_article(article: Article, options: Options = DEFAULT_OPTIONS, *,
                  corpus: CorpusStats | None = None) -> Article:
    """The article with a clean body (paragraphs separated by a blank line) and metadata from its boilerplate.

    Fields already set on ``article`` are never overwritten.  ``meta["removed"]`` lists ``(text, reason)``
    for every unit taken out of the body.
    """
    fmt = str(article.meta.get("format", "")).lower()
    units = [_Unit(t, w) for t, w in split_units(article.text)]
    _features(units)
    first_body = next((i for i, u in enumerate(units) if u.body), len(units))
    title, title_index, first_body = _find_title(article, fmt, units, first_body, options)
    _mark_tail_blocks(units, first_body)
    found = _judge_units(units, first_body, title, title_index, corpus)
    kept = _kept_units(units, html=fmt == "html" or article.meta.get("body") == "html")
    return _assemble(article, units, kept, title, found)


def _find_title(article: Article, fmt: str, units: list[_Unit], first_body: int,
                options: Options) -> tuple[str | None, int | None, int]:
    """The title of a ``.txt`` article without one (marked ``"title"``), its unit index, and the first body
    unit after it."""
    if article.title is not None or fmt != "txt" or not options.txt_title or not units:
        return article.title, None, first_body
    ti = _title_index(units, first_body)
    if ti is None:
        return None, None, first_body
    units[ti].reason = "title"
    if ti == first_body:
        first_body = next((i for i, u in enumerate(units) if u.body and i > ti), len(units))
    return units[ti].text, ti, first_body


def _mark_tail_blocks(units: list[_Unit], first_body: int) -> None:
    """A header such as "Related Stories" drops what follows until body prose resumes; a reader-comment
    section header ("23 Comments", "Join the discussion") drops everything after it (comments are prose)."""
    in_tail = in_comments = False
    for i in range(first_body, len(units)):
        u = units[i]
        if in_comments:
            u.reason = u.reason or "comment section"
            continue
        if u.comments and u.reason is None:
            in_comments = True
            u.reason = "comment section"
            continue
        if u.header and u.reason is None:
            in_tail = True
            u.reason = "block header"
            continue
        if in_tail:
            nxt = next((v for v in units[i + 1:] if not v.header), None)
            resumes = u.body and (u.n_words >= 25 or _n_sentences(u.text) >= 2) and (nxt is None or nxt.body)
            if resumes:
                in_tail = False
            elif u.reason is None:
                u.reason = "related block"


def _judge_units(units: list[_Unit], first_body: int, title: str | None, title_index: int | None,
                 corpus: CorpusStats | None) -> dict[str, Any]:
    """Give every unit its removal reason (None: kept); returns the metadata found in removed units."""
    last_body = max((i for i, u in enumerate(units) if u.body and u.reason is None), default=-1)
    title_key = _cmp_key(title) if title else None
    found: dict[str, Any] = {}
    seen: set[str] = set()
    for i, u in enumerate(units):
        zone = "top" if i < first_body else "bottom" if i > last_body else "body"
        if u.reason is None:
            u.reason = (_metadata_reason(u, i, zone, first_body, title_key, found)
                        or _repeat_reason(u, i, units, seen)
                        or _layout_reason(u, i, zone, last_body, title_index, corpus, found))
        seen.add(u.key)
    return found


def _metadata_reason(u: _Unit, i: int, zone: str, first_body: int, title_key: str | None,
                     found: dict[str, Any]) -> str | None:
    """Lines that carry metadata or are boilerplate by their own text (keeping what they tell in ``found``)."""
    if not u.key:
        return "no words"
    if title_key and u.key == title_key:
        return "repeated title"
    if u.strong:
        return "web boilerplate"
    if u.source:
        found.setdefault("source_line", u.source)
        return "source line"
    if u.byline:
        if zone == "top":
            for k, v in u.byline.items():
                found.setdefault(k, v)
        return "byline"
    if u.credit_line:
        return "credit line"
    if u.date[0]:
        if (zone == "top" or i < first_body + 3) and u.date[1]:
            found.setdefault("published", u.date[1])
        return "date line"
    if u.caption:
        return "photo caption"
    return None


def _repeat_reason(u: _Unit, i: int, units: list[_Unit], seen: set[str]) -> str | None:
    if u.key in seen:
        return "repeated paragraph"
    if u.n_words >= 5 and any(f" {u.key} " in f" {v.key} " for v in units[i + 1:i + 4] if v.reason is None):
        return "repeated in the next paragraph"
    return None


def _layout_reason(u: _Unit, i: int, zone: str, last_body: int, title_index: int | None,
                   corpus: CorpusStats | None, found: dict[str, Any]) -> str | None:
    """Lines judged by where they stand (top, body, bottom) and what they look like."""
    if (zone != "body" and (u.banner or u.weak and ("!" in u.text or not u.sentence))
            or u.weak and u.banner and u.n_words <= 12):
        return "web boilerplate"
    if u.header:
        return "block header"
    if _starts_lower(u.text):
        return None  # a paragraph starting in lower case continues prose: never a label
    if zone == "top" and u.outlet:
        found.setdefault("outlet", u.text)
        return "outlet name"
    if (corpus is not None and corpus.is_repeated(u.text)  # shared short non-sentences, or outros
            and (u.n_words < 12 and not u.sentence or u.n_words < 8 and zone == "bottom")):
        return "repeated across documents"
    if zone == "top" and not u.sentence and (u.n_words <= 12 or _headline_ratio(u.text) >= 0.75):
        if 2 <= len(_alpha(u.text)) <= 4 and _headline_ratio(u.text) == 1.0 and title_index in (i - 1, i + 1):
            found.setdefault("label", u.text)  # a name next to the title: probably the outlet
        return "top label"
    if zone == "bottom" and (u.teaser or not u.sentence and not (  # a last paragraph missing its full stop
            i == last_body + 1 and u.n_words >= 20 and _lower_ratio(u.text) >= 0.5)):
        return "trailing teaser" if u.teaser else "trailing non-sentence"
    if not u.sentence and 8 <= u.n_words <= 20 and _headline_ratio(u.text) >= 0.75:
        return "headline"
    if zone == "body" and not u.sentence and u.n_words < 8:
        return "section label"
    return None


def _kept_units(units: list[_Unit], *, html: bool) -> list[_Unit]:
    if html:  # a gentler mode: see _HTML_REMOVALS
        for u in units:
            if u.reason is not None and u.reason not in _HTML_REMOVALS:
                u.reason = None
    kept = [u for u in units if u.reason is None]
    if not kept:  # never return an empty body when only structural guesses removed everything
        soft = {"top label", "trailing non-sentence", "section label", "repeated across documents"}
        for u in units:
            if u.reason in soft:
                u.reason = None
        kept = [u for u in units if u.reason is None]
    return kept


def _assemble(article: Article, units: list[_Unit], kept: list[_Unit], title: str | None,
              found: dict[str, Any]) -> Article:
    """The cleaned article: kept units as the text, metadata found in removed units where fields are empty."""
    changes: dict[str, Any] = {"text": "\n\n".join(u.text for u in kept)}
    if lower_cased(changes["text"]):
        changes["text"] = _recased(changes["text"])
    changes["text"] = _ENTITY.sub(lambda m: _html.unescape(m.group(0)), changes["text"])  # "&amp;" left by a page
    meta = dict(article.meta)
    meta["removed"] = [(u.text, u.reason) for u in units if u.reason is not None]
    if article.title is None and title is not None:
        changes["title"] = title
    if article.source is None:
        src = found.get("source_line") or found.get("source") or found.get("outlet") or found.get("label")
        if src:
            changes["source"] = src
    if article.author is None and found.get("author"):
        changes["author"] = found["author"]
    if article.published is None and found.get("published"):
        changes["published"] = found["published"]
    if kept:
        dl = _dateline(kept[0].text)
        if dl:
            if article.dateline is None:
                changes["dateline"] = dl[0]
            if dl[1]:
                meta.setdefault("credit", dl[1])
                if article.source is None and "source" not in changes:
                    changes["source"] = dl[1]  # a wire story: the agency credited in the dateline
    if not article.raw_text:
        changes["raw_text"] = article.text
    changes["meta"] = meta
    return article.with_(**changes)


def clean_articles(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> list[Article]:
    """Clean a batch: lines repeated across its documents count as boilerplate evidence."""
    corpus = CorpusStats.build(articles)
    return [clean_article(a, options, corpus=corpus) for a in articles]
