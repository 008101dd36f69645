"""A headline from a page's address: the words of its URL slug (``/2019/05/ferry-crews-walk-out-over-pay``),
written as the article writes them.

A slug is used only when it is words, not ids or keywords: at least :data:`MIN_SLUG_WORDS` words, nearly all of
them found in the article's own text, no single letters (an abbreviation that lost its dots: "l-a"), not
stopping on a function word (a slug the site cut short) and, in English, with a function word among them (a
headline, not a list of keywords like "harbour-strike-wages-union").  Each word takes the form the
article gives it ("ostras" -> "Ostra's", "4-1", "8-year-old"); no word is invented.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from urllib.parse import unquote, urlsplit

__all__ = ["slug_words", "slug_headline"]

# Read on ScrapingHub pages 1-30 by id with their titles removed (docs/editor.md): slugs of 3 words were section
# names or keywords; 5 keeps "mayor-on-the-harbour-being-sold-to-a-developer" and drops "harbour-plus-jan-berg".
MIN_SLUG_WORDS = 5
# Share of a slug's words that must be found in the article text: the slug must say what the article says.
MIN_FOUND_SHARE = 0.8
_EXTENSION = re.compile(r"\.(?:s?html?|php\d?|aspx?|jsp|cms)$", re.I)
_ID_PART = re.compile(r"^(?:\d{5,}|[0-9a-f]{8,}|[a-z]*\d+[a-z]+\d[\w]*)$", re.I)  # 11574168580, a1b2c3d4
_TOKEN = re.compile(r"\w+(?:['’.&-]\w+)*\.?")
# English function words: a slug with none is keywords, not a headline (spaCy's stop words are too broad:
# they hold "back", "first", "top")
_FUNCTION = frozenset("a an the of in on at to for from by with as and or but is are was were be been being has "
                      "have had will would can could may might not no into over after before about than that this "
                      "these those its his her their our who what when why how".split())


_AUX = frozenset("is are was were does do did can could should will would has have".split())
_DETERMINER = frozenset("a an the this that these those there it".split())


def _question(words: list[str]) -> bool:
    """A title that was a question ("fact-check-is-a-salt-cave-good-for-you"): the slug loses its question mark, and
    what is left reads as a statement of the claim."""
    return words[0] in ("why", "how", "what", "who", "when", "where") or words[0] in _AUX or any(
        w in _AUX and nxt in _DETERMINER for w, nxt in zip(words[:3], words[1:4]))


def slug_words(url: str | None) -> list[str]:
    """The lower-case words of the longest hyphenated segment of ``url``'s path, without ids and extensions."""
    if not url:
        return []
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return []
    best: list[str] = []
    for segment in path.split("/"):
        words = [w for w in re.split(r"[-_+]+", _EXTENSION.sub("", segment).lower()) if w]
        while words and _ID_PART.match(words[-1]):
            words.pop()
        while words and _ID_PART.match(words[0]):
            words.pop(0)
        if len(words) > len(best) and all(w.isalnum() for w in words):
            best = words
    return best


def _fold(word: str) -> str:
    """Lower case, without apostrophes, dots and accents: as a slug writes a word ("fantastica")."""
    plain = "".join(ch for ch in unicodedata.normalize("NFKD", word.casefold()) if not unicodedata.combining(ch))
    return re.sub(r"['’.&]", "", plain)


def _forms(text: str) -> dict[str, Counter[str]]:
    """Each folded word of the text with the forms it takes there; a sentence's first word is not counted, its
    capital is the sentence's, not the word's."""
    forms: dict[str, Counter[str]] = {}
    for m in _TOKEN.finditer(text):
        word = m.group().rstrip(".") if not re.fullmatch(r"(?:\w\.){2,}", m.group()) else m.group()
        before = text[max(0, m.start() - 2):m.start()]
        initial = m.start() == 0 or bool(re.search(r"[.!?\n]\s?$|^\n", before))
        # a word seen only at a sentence's start is known, with no count for its form
        forms.setdefault(_fold(word).replace("-", ""), Counter())[word] += 0 if initial else 1
    return forms


def _best(counter: Counter[str]) -> str:
    word, n = counter.most_common(1)[0]
    return word if n else min(counter, key=lambda w: (w != w.lower(), w))


def _render(words: list[str], forms: dict[str, Counter[str]]) -> tuple[list[str], int]:
    """The slug's words in the text's forms, joining runs the slug split ("jupiter-s", "4-1"); and how many words
    the text does not have."""
    out: list[str] = []
    missing = i = 0
    while i < len(words):
        for k in range(min(4, len(words) - i), 0, -1):
            key = "".join(words[i:i + k])
            if key in forms:
                out.append(_best(forms[key]))
                i += k
                break
        else:
            split = next((words[i][:j] for j in range(2, len(words[i]) - 1)
                          if words[i][:j] in forms and words[i][j:] in forms), None)
            if split:  # "playand": two words glued when the slug dropped a character between them
                out += [_best(forms[split]), _best(forms[words[i][len(split):]])]
            else:
                out.append(words[i])
                missing += 1
            i += 1
    return out, missing


def slug_headline(url: str | None, text: str, english: bool = True) -> str | None:
    """The headline the page's address gives, in the article's own word forms, or None when the slug is not a
    headline (see the module's docstring)."""
    words = slug_words(url)
    if len(words) < MIN_SLUG_WORDS or any(len(w) == 1 and w not in ("a", "i") and not w.isdigit() for w in words):
        return None
    if words[-1] in _FUNCTION or english and (not _FUNCTION.intersection(words) or _question(words)):
        return None
    out, missing = _render(words, _forms(text))
    if missing > (1 - MIN_FOUND_SHARE) * len(words):
        return None
    head = " ".join(out)
    return head[:1].upper() + head[1:]
