import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk import Article
from newsdesk.dedup import find_duplicates, mark_duplicates

BODY = " ".join(f"Sentence number {i} tells about the harbour strike and the shipping delays in Ostra."
               for i in range(12))


def test_exact_copy_whitespace_and_case_insensitive():
    a = Article(id="a", text=BODY, published=dt.date(2024, 5, 14))
    b = Article(id="b", text=BODY.upper().replace(" ", "  "), published=dt.date(2024, 5, 13))
    assert find_duplicates([a, b]) == {"a": "b"}  # the earlier one is the original


def test_near_copy_with_light_edits():
    # a reprint: one sentence reworded, one dropped, a credit line added
    edited = ("HARBOUR CITY (Wire) - " + BODY.replace("Sentence number 3", "Paragraph number 3")
              .replace("Sentence number 7 tells about the harbour strike and the shipping delays in Ostra.", ""))
    arts = [Article(id="copy", text=edited), Article(id="orig", text=BODY)]
    assert find_duplicates(arts) == {"copy": "orig"}
    assert find_duplicates(arts[::-1]) == {"copy": "orig"}


def test_wire_credit_breaks_ties():
    arts = [Article(id="reprint", text=BODY), Article(id="wire", text=BODY, meta={"credit": "Coastal Wire"})]
    assert find_duplicates(arts) == {"reprint": "wire"}


def test_different_articles_are_not_duplicates():
    other = " ".join(f"Line {i} is about the central bank raising its interest rate again." for i in range(12))
    assert find_duplicates([Article(id="a", text=BODY), Article(id="b", text=other)]) == {}


def test_a_fuller_later_version_is_the_original_of_its_shorter_first_edition():
    # the first edition's text is all in the update, which adds as much again: the update is not set aside
    # as a copy (its added paragraphs would be lost to the summary); the first edition is its copy
    added = " ".join(f"Update {i}: the port authority said the ferry line to Velle would resume in week {i}."
                     for i in range(3))
    first = Article(id="first", text=BODY, published=dt.date(2024, 5, 13))
    update = Article(id="update", text=BODY + " " + added, published=dt.date(2024, 5, 14))
    assert find_duplicates([first, update]) == {"first": "update"}
    assert find_duplicates([update, first]) == {"first": "update"}
    # equal versions: the earlier one stays the original
    assert find_duplicates([update, first.with_(text=BODY + " " + added)]) == {"update": "first"}


def test_mark_duplicates_sets_field():
    out = mark_duplicates([Article(id="a", text=BODY), Article(id="b", text=BODY)])
    assert [a.duplicate_of for a in out] == [None, "a"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet="abcdef ", min_size=0, max_size=80), min_size=1, max_size=8))
def test_property_originals_are_not_duplicates(texts):
    arts = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
    dups = find_duplicates(arts)
    assert not set(dups.values()) & set(dups)  # an original is never itself a copy
    assert set(dups) <= {a.id for a in arts}


def test_shingles_are_compact_and_deterministic():
    from newsdesk.dedup import normalise, shingles

    w = normalise(BODY)
    a, b = shingles(w), shingles(list(w))
    assert a.dtype.name == "uint64" and (a == b).all()
    assert len(a) == len(set(zip(*[w[i:] for i in range(5)])))  # one hash per distinct 5-shingle
    assert list(a) == sorted(a)


def test_containment():
    from newsdesk.dedup import containment, normalise, shingles

    full = shingles(normalise(BODY))
    half = shingles(normalise(BODY[: len(BODY) // 2]))
    assert containment(half, full) == 1.0
    assert containment(full, full) == 1.0
    assert containment(full, shingles(normalise("nothing in common at all with that text here"))) == 0.0
    assert containment(full, shingles([])) == 0.0


def test_duplicate_index_online():
    from newsdesk.dedup import DuplicateIndex

    idx = DuplicateIndex()
    assert idx.add(Article(id="orig", text=BODY)) is None
    assert idx.add(Article(id="exact", text=BODY.upper())) == "orig"
    edited = BODY.replace("Sentence number 3", "Paragraph number 3")
    assert idx.add(Article(id="near", text=edited)) == "orig"
    other = " ".join(f"Line {i} is about the central bank raising its interest rate again." for i in range(12))
    assert idx.add(Article(id="other", text=other)) is None
    assert idx.add(Article(id="empty", text="")) is None


def test_find_duplicates_many_copies_one_original():
    arts = [Article(id=f"c{i}", text=BODY, published=dt.date(2024, 5, 10 + i)) for i in range(5)]
    assert find_duplicates(arts[::-1]) == {f"c{i}": "c0" for i in range(1, 5)}


@settings(max_examples=20, deadline=None)
@given(st.permutations(list(range(4))))
def test_property_order_independent(perm):
    other = " ".join(f"Line {i} is about the central bank raising its interest rate again." for i in range(12))
    arts = [Article(id="a", text=BODY), Article(id="b", text=BODY.replace("Sentence number 3", "Item 3")),
            Article(id="c", text=other), Article(id="d", text=BODY.lower())]
    assert find_duplicates([arts[i] for i in perm]) == find_duplicates(arts)


def test_a_bounded_index_finds_copies_of_evicted_articles_from_their_stored_text():
    """With ``text_of`` (a store) only ``dedup_cache_articles`` shingle sets stay in memory; an older
    original is read back when the LSH names it, so the answers equal the unbounded index's."""
    import random

    from newsdesk import Article, Options
    from newsdesk.dedup import DuplicateIndex

    rng = random.Random(11)
    words = [f"word{i}" for i in range(3000)]
    texts = [" ".join(rng.choice(words) for _ in range(80)) for _ in range(40)]
    arts = [Article(id=f"o{i}", text=t) for i, t in enumerate(texts)]
    arts += [Article(id=f"c{i}", text=texts[i].replace(texts[i].split()[3], "edited", 1)) for i in range(0, 40, 7)]
    stored = {a.id: a.text for a in arts}
    full = DuplicateIndex(Options())
    small = DuplicateIndex(Options(dedup_cache_articles=2), text_of=stored.get)
    got = [(full.add(a), small.add(a)) for a in arts]
    assert all(x == y for x, y in got)
    assert [y for _, y in got[40:]] == [f"o{i}" for i in range(0, 40, 7)]
    assert len(small._sets) <= 2 and len(full._sets) == 40


def test_exact_keys_compact_store_finds_every_key_across_merges(monkeypatch):
    """``ExactKeys`` answers as a dict of digests did, pending or merged, digests ending in NUL bytes too
    (numpy's fixed-width bytes drop them when read back)."""
    import hashlib

    from newsdesk.dedup import ExactKeys

    monkeypatch.setattr(ExactKeys, "MERGE", 7)
    keys = [hashlib.sha1(str(i).encode()).digest() for i in range(40)]
    keys += [k[:18] + b"\0\0" for k in keys[:5]] + [k[:19] + b"\0" for k in keys[5:10]]
    index, want = ExactKeys(), {}
    for n, k in enumerate(keys):
        assert index.get(k) is None
        index.put(k, f"a{n}")
        want[k] = f"a{n}"
        assert all(index.get(x) == v for x, v in want.items())
    assert len(index) == len(keys) and len(index._pending) < 7
    assert index.get(hashlib.sha1(b"other").digest()) is None
    assert index.get(keys[0][:19] + b"\0") is None  # a digest differing only in its last byte


def test_band_index_on_disk_gives_the_in_memory_candidates(monkeypatch):
    """A store's ``BandIndex(on_disk=True)`` keeps merged band keys in a temporary SQLite table: the same
    candidates as the in-memory arrays, pending or merged."""
    import random

    import numpy as np

    from newsdesk.dedup import BandIndex, _minhash, normalise, shingles

    monkeypatch.setattr(BandIndex, "MERGE", 5)
    rng = random.Random(3)
    words = [f"w{i}" for i in range(400)]
    base = [" ".join(rng.choice(words) for _ in range(60)) for _ in range(12)]
    texts = base + [t.replace(t.split()[2], "x", 1) for t in base[:6]]
    sigs = [_minhash(shingles(normalise(t))) for t in texts]
    mem, disk = BandIndex(), BandIndex(on_disk=True)
    for i, m in enumerate(sigs):
        assert sorted(mem.query(m)) == sorted(disk.query(m))
        mem.insert(f"t{i}", m)
        disk.insert(f"t{i}", m)
    assert disk._keys.shape[1] == 0 and mem._keys.shape[1] > 0  # merged on disk, not in memory
    for m in sigs + [np.zeros_like(sigs[0])]:
        assert sorted(mem.query(m)) == sorted(disk.query(m))
    assert all(f"t{i}" in disk.query(sigs[12 + i]) for i in range(6))
