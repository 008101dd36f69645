"""Start-up cuts keep the same answers: hashed counts and stop words as scikit-learn's, stems as nltk's,
and ``import newsdesk`` does not import the heavy libraries (they load on first use)."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk import Article, Options
from newsdesk.hashing import ENGLISH_STOP_WORDS, hashed_counts, l2_normalize, murmurhash3_32
from newsdesk.nlp import NLP

WORDS = ["", "a", "ab", "abc", "abcd", "abcde", "Zürich", "naïve", "x" * 37, "E:obama", "don't", "日本"]


def test_murmurhash_and_counts_equal_scikit_learn() -> None:
    sk_text = pytest.importorskip("sklearn.feature_extraction.text")
    from sklearn.preprocessing import normalize
    from sklearn.utils.murmurhash import murmurhash3_32 as sk_murmur

    for w in WORDS:
        assert murmurhash3_32(w.encode("utf-8")) == sk_murmur(w.encode("utf-8"), seed=0)
    assert ENGLISH_STOP_WORDS == frozenset(sk_text.ENGLISH_STOP_WORDS)
    docs = [WORDS, ["a", "a", "b"], [], ["the", "senate", "voted", "the", "bill"] * 3]
    for n in (16, 1 << 20):
        hv = sk_text.HashingVectorizer(analyzer=lambda d: d, n_features=n, alternate_sign=False, norm=None,
                                       dtype=np.float64)
        ours, theirs = hashed_counts(docs, n), hv.transform(docs)
        assert (ours != theirs).nnz == 0
        a = normalize(theirs.tocsr(), norm="l2")
        b = l2_normalize(ours.tocsr(copy=True))
        assert np.allclose(a.toarray() if n == 16 else a.data, b.toarray() if n == 16 else b.data)


def test_stems_equal_nltk() -> None:
    porter = pytest.importorskip("nltk.stem.porter")
    from newsdesk.nlp import _porter

    ref = porter.PorterStemmer()
    words = ["running", "generously", "agreed", "hopping", "relational", "conditional", "probate", "feed",
             "sky", "dying", "ponies", "caresses", "communism", "analogousli", "oed", "news", "united"]
    assert [_porter().stem(w) for w in words] == [ref.stem(w) for w in words]


def test_import_newsdesk_leaves_heavy_libraries_for_first_use() -> None:
    code = ("import sys, newsdesk, newsdesk.cli; "
            "print(sorted(m for m in ('spacy', 'sklearn', 'nltk', 'datasketch', 'py3langid') if m in sys.modules))")
    got = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert got.stdout.strip() == "[]"


def _article(i: int) -> Article:
    return Article(id=f"a{i}", text=f"The council met on Monday number {i}. It voted to fund the new library.")


def test_parse_cache_is_bounded_and_least_recently_used_goes_first() -> None:
    nlp = NLP(Options(parse_cache_articles=2))
    a, b, c = (_article(i) for i in range(3))
    nlp.parse_many([a, b], deep=False)
    nlp.parse(a, deep=False)          # a used last: b is the oldest
    nlp.parse(c, deep=False)          # evicts b
    assert nlp.parses == 3 and len(nlp._cache) == 2
    nlp.parse(a, deep=False)
    assert nlp.parses == 3            # still cached
    nlp.parse(b, deep=False)
    assert nlp.parses == 4            # parsed again
    none = NLP(Options(parse_cache_articles=0))
    none.parse(a, deep=False)
    none.parse(a, deep=False)
    assert none.parses == 2 and not none._cache


STORY = [
    Article(id="s1", source="Daily One", text=(
        "The city council of Springfield voted on Monday to build a new bridge over the river. "
        "The bridge will cost 40 million dollars, the mayor said.\n\n"
        "\u201cThis is a great day for our city,\u201d Mayor Ann Lee told reporters after the vote.")),
    Article(id="s2", source="Daily Two", text=(
        "Springfield's council approved a new river bridge on Monday, at a cost of 40 million dollars. "
        "Mayor Ann Lee said work would start in the spring.")),
]


def test_rebrief_reads_saved_parses_back_and_parses_nothing(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from newsdesk.store import Store

    with Store(tmp_path / "d.sqlite") as store:
        store.add(STORY)
        first = NLP()
        assert store.refresh(first)
        assert first.parses == 2
        sid = store.stories()[0].id
        before = store.brief(sid)
        assert store.counts()["briefs"] == 1
        assert len(store._q("SELECT * FROM nlp_docs")) == 2
        store._db.execute("UPDATE stories SET dirty = 1")
        again = NLP()
        assert store.refresh(again) == [sid]
        assert again.parses == 0 and again.source is None  # every parse read back; the hook removed after
        after = store.brief(sid)
        assert before is not None and after is not None
        assert after.to_json() == before.to_json()
        spans = store.sentence_spans(["s1", "s2"])
        assert STORY[0].text[slice(*spans["s1"][0])].startswith("The city council")


def test_cached_story_answers_equal_the_routed_ones(tmp_path) -> None:  # type: ignore[no-untyped-def]
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from newsdesk.store import Store
    from newsdesk.web import create_app

    db = tmp_path / "w.sqlite"
    with Store(db) as store:
        store.add(STORY)
        store.refresh(NLP())
        sid = store.stories()[0].id
    with TestClient(create_app(db), base_url="http://localhost") as client:
        for path in (f"/stories/{sid}", f"/api/stories/{sid}"):
            routed, cached = client.get(path), client.get(path)
            assert routed.status_code == cached.status_code == 200
            assert routed.content == cached.content
            for name in ("content-type", "content-length", "content-security-policy", "x-content-type-options"):
                assert routed.headers.get(name) == cached.headers.get(name), name
            assert client.head(path).headers["content-length"] == routed.headers["content-length"]
        assert client.get("/stories/no-such-story").status_code == 404


def test_band_index_finds_what_datasketch_finds(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    lsh_mod = pytest.importorskip("datasketch")
    import random

    from newsdesk.dedup import LSH_THRESHOLD, NUM_PERM, BandIndex, _minhash, normalise, optimal_bands, shingles

    rng = random.Random(3)
    words = [f"w{i}" for i in range(400)]
    texts = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(300)]
    texts += [t.replace(t.split()[5], "changed", 1) for t in texts[:100]]  # near copies
    ours, theirs = BandIndex(), lsh_mod.MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (ours.bands, ours.rows) == (theirs.b, theirs.r) == optimal_bands(LSH_THRESHOLD, NUM_PERM)
    for t in (0.3, 0.7, 0.9):
        assert optimal_bands(t, NUM_PERM) == lsh_mod.lsh._optimal_param(t, NUM_PERM, 0.5, 0.5)
    monkeypatch.setattr(BandIndex, "MERGE", 64)  # exercise merged and pending signatures
    for i, t in enumerate(texts):
        sig = _minhash(shingles(normalise(t)))
        m = lsh_mod.MinHash(hashvalues=sig.astype("uint64"), scheme="legacy")  # the same signature in datasketch
        assert sorted(ours.query(sig)) == sorted(theirs.query(m)), i
        ours.insert(str(i), sig)
        theirs.insert(str(i), m)


def test_minhash_estimates_jaccard() -> None:
    """The share of equal signature values estimates the Jaccard similarity of the shingle sets."""
    import numpy as np

    from newsdesk.dedup import _minhash

    rng = np.random.default_rng(5)
    base = np.unique(rng.integers(0, 2**63, size=3000, dtype=np.uint64))
    for keep in (0.2, 0.5, 0.8, 1.0):
        other = np.unique(np.concatenate([base[: int(len(base) * keep)],
                                          rng.integers(0, 2**63, size=int(len(base) * (1 - keep)), dtype=np.uint64)]))
        true = len(np.intersect1d(base, other)) / len(np.union1d(base, other))
        est = float(np.mean(_minhash(base) == _minhash(other)))
        assert abs(est - true) < 0.13, (keep, true, est)  # 128 values: standard error <= 0.045


def test_enumerated_selection_equals_the_ilp_solvers(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from newsdesk.briefing import summary

    texts = [" ".join(f"The council of Springfield voted on bridge plan number {k} after {w} hours of debate "
                      f"with the mayor." for k in range(i, i + 4)) for i, w in enumerate(["two", "three", "four"])]
    parsed = NLP().parse_many([Article(id=f"e{i}", text=t) for i, t in enumerate(texts)], deep=False)
    got = {}
    for limit in (summary.MAX_ENUMERATED, -1):  # enumeration, then HiGHS
        monkeypatch.setattr(summary, "MAX_ENUMERATED", limit)
        got[limit] = [(s.sentence.article_id, s.sentence.index) for s in summary.summarize_parsed(parsed, words=60)]
    assert got[14] == got[-1] and got[-1]


def test_citation_reveal_uses_the_stored_sentence_spans() -> None:
    pytest.importorskip("fastapi")
    from newsdesk.web.pages import _best_sentence

    text = "Dr. Lee said the new bridge opens in May after years of delay. Rain fell all day on Tuesday."
    spans = [(0, 62), (63, len(text))]
    assert _best_sentence("Lee says the bridge opens in May", text, spans) == text[:62]
    # without stored rows, paragraphs stand in for sentences (no second sentence splitter)
    assert _best_sentence("Lee says the bridge opens in May", text, None) == text


@settings(max_examples=40, deadline=None)
@given(sizes=st.lists(st.integers(1, 6), min_size=1, max_size=5), picks=st.lists(st.integers(0, 10**6), max_size=30))
def test_clusterer_rows_in_blocks_gather_as_one_matrix(sizes, picks) -> None:  # type: ignore[no-untyped-def]
    """The clusterer's term rows kept in per-batch blocks give the rows one stacked matrix gives, in order."""
    import numpy as np
    import scipy.sparse as sp

    from newsdesk.cluster import _Rows

    n = sum(sizes)
    full = sp.random(n, 40, density=0.3, format="csr", random_state=n)
    rows, start = _Rows(), 0
    for k in sizes:
        rows.append(full[start:start + k])
        start += k
    want = [p % n for p in picks]
    assert (rows[want] != full[np.asarray(want, dtype=np.int64)]).nnz == 0 if want else rows[want].shape[0] == 0
    assert (rows.whole() != full).nnz == 0
