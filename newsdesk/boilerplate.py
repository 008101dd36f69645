"""Boilerplate families: text a web page carries that is never news (disclaimers, cookie and subscription
notices, copyright lines, calls to share or comment, reader-comment section headers).

Each family is a set of patterns for how that kind of notice is phrased across sites, not one site's
strings.  :func:`boilerplate_family` names the family of a short text (a paragraph, a title) or None; the
cleaner cuts such paragraphs and the headline never uses them.  :func:`comment_section_header` recognises the
header that opens a page's reader comments (everything after it is readers' text, not the article).

Measured on real pages (``python scripts/boilerplate_check.py``):

* ScrapingHub (181 news pages): 7 of the 4,363 paragraphs of the human ground-truth bodies match a family;
  5 of them are notices the annotators kept in the body (three copyright lines, "© Reuters" as a photo
  credit, a "views and opinions expressed ... do not necessarily reflect" disclaimer) and 2 are calls to
  action ("Click here to get more information or download this game.", "Share this information, please?").
  Of the 205 paragraphs trafilatura extracts that are not in the ground truth, 8 match (the rest are related
  links, captions and labels, which other rules handle).
* Multi-News (999 test examples, raw web text, split into sentences): 35 of 17,992 match; all 35 read by
  hand are notices (several glued to the news sentence after them, which is why the cleaner cuts only
  paragraphs of at most MAX_BOILERPLATE_WORDS words).
"""

from __future__ import annotations

import re

__all__ = ["FAMILIES", "boilerplate_family", "comment_section_header", "MAX_BOILERPLATE_WORDS"]

#: a paragraph longer than this is prose that may mention a cookie or a subscription, never a notice.  At 60, a
#: 50-word ScrapingHub body paragraph that ends "Leave a comment and let us know ..." was cut; at 40 it is kept.
MAX_BOILERPLATE_WORDS = 40

FAMILIES: dict[str, re.Pattern[str]] = {
    "disclaimer": re.compile(
        r"\b(?:views|opinions)\s+expressed\s+(?:(?:in|on)\s+(?:this|the)\s+(?:article|column|post|piece|blog|"
        r"commentary|story|content|site|website)|here(?:in)?|are\s+(?:those|the|solely|his|her|their|my))\b|\bdo(?:es)?\s+not\s+necessarily\s+"
        r"(?:reflect|represent)\b|\bnot\s+(?:intended\s+as\s+)?(?:investment|financial|legal|medical)\s+advice\b"
        r"|\bfor\s+(?:general\s+)?informational\s+purposes\s+only\b|\bthe\s+author\s+(?:holds|has)\s+no\s+position"
        r"|\bthis\s+(?:article|story|post)\s+(?:contains|may\s+contain)\s+affiliate\s+links\b"
        r"|\bwe\s+may\s+earn\s+(?:a\s+)?commission\b|\bis\s+solely\s+responsible\s+for\s+(?:the|its)\s+content",
        re.I),
    "cookies": re.compile(
        r"\bwe\s+use\s+cookies\b|\buses?\s+cookies\s+to\b|\bcookies?\s+(?:policy|settings|preferences|consent|notice)"
        r"|\baccept\s+(?:all\s+)?cookies\b|\bby\s+(?:continuing\s+to\s+(?:use|browse)|using)\s+(?:this|our)\s+"
        r"(?:site|website|service)|\bprivacy\s+(?:policy|settings|preferences)\b.{0,40}\b(?:agree|accept|consent)",
        re.I),
    "subscribe": re.compile(
        r"\bsubscribe\s+(?:now|today|to\s+(?:our|the|read|continue)|for\s+(?:free|unlimited|full))"
        r"|\bsign\s+up\s+(?:for|to)\s+(?:our|the|a)\s+(?:[\w-]+\s+){0,3}(?:newsletters?|e-?mail\s+(?:list|updates|alerts)"
        r"|updates|alerts|briefing)\b"
        r"|\balready\s+a\s+(?:subscriber|member)\b|\b(?:subscribers?|members?)\s+only\b|\bto\s+continue\s+reading\b"
        r"|\bunlimited\s+(?:digital\s+)?access\b|\bfree\s+(?:articles?|trial)\b.{0,40}\b(?:left|remaining|month|now)"
        r"|\byou\s+have\s+(?:reached|read)\s+(?:your|the)\s+(?:limit|maximum)|\bget\s+(?:our|the)\s+newsletter\b"
        r"|\bdelivered\s+(?:straight\s+)?to\s+your\s+inbox\b", re.I),
    "copyright": re.compile(
        r"©|\(c\)\s*(?:19|20)\d\d|\bcopyright\s+(?:©\s*)?(?:19|20)\d\d|\ball\s+rights\s+reserved\b"
        r"|\bmay\s+not\s+be\s+(?:re)?(?:published|broadcast|rewritten|redistributed)\b", re.I),
    "browser": re.compile(
        r"\b(?:enable|turn\s+on)\s+javascript\b|\byour\s+browser\s+(?:does\s+not|doesn't)\s+support\b"
        r"|\bplease\s+(?:update|upgrade)\s+your\s+browser\b|\bad\s*-?blocker\b|\bwhitelist\s+(?:us|our\s+site)\b",
        re.I),
    "share": re.compile(
        r"^(?:share|tweet|email|print|pin)\s+(?:this|on|via)\b|\b(?:click|tap)\s+here\s+to\b"
        r"|\bfollow\s+(?:us|@\w+)\s+on\s+(?:twitter|facebook|instagram|linkedin|telegram)\b"
        r"|^(?:share|follow\s+us)\s*:?\s*$", re.I),
    "comments": re.compile(
        r"\bcomments?\s+(?:are|is)\s+(?:closed|moderated)\b|\b(?:leave|post|add)\s+a\s+(?:reply|comment)\b"
        r"|\bjoin\s+the\s+(?:conversation|discussion)\b|\byour\s+email\s+address\s+will\s+not\s+be\s+published\b"
        r"|\brequired\s+fields\s+are\s+marked\b|\bcommenting\s+(?:is|has\s+been)\s+(?:closed|disabled)\b"
        r"|\blog\s*in\s+to\s+(?:comment|reply)\b", re.I),
}

_COMMENT_HEADER = re.compile(r"""^(?:
    \d+\s+(?:comments?|responses?|replies|reactions?) | comments?\s*\(\d+\) | (?:reader|user|your)\s+comments?
  | comments? | join\s+the\s+(?:conversation|discussion) | what\s+do\s+you\s+think\??
  | (?:leave|post|add)\s+a\s+(?:reply|comment) | show\s+comments? | view\s+(?:all\s+)?comments?
  | \d+\s+thoughts?\s+on\s+.{1,120}
)\s*:?$""", re.I | re.X)


def boilerplate_family(text: str) -> str | None:
    """The boilerplate family of a short text (a paragraph or a title), or None when it may be news."""
    if len(text.split()) > MAX_BOILERPLATE_WORDS:
        return None
    for name, rx in FAMILIES.items():
        if rx.search(text):
            return name
    return None


def comment_section_header(text: str) -> bool:
    """Does this paragraph open a reader-comment section ("23 Comments", "Join the discussion")?"""
    return len(text.split()) <= 20 and bool(_COMMENT_HEADER.match(text.strip()))
