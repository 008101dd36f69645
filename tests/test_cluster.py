import datetime as dt
import importlib
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import newsdesk
from newsdesk import Article, Options
from newsdesk.cluster import Clusterer, cluster_articles, vectorize

C = importlib.import_module("newsdesk.cluster")  # the module (newsdesk.cluster is also the api function)

TOPICS = {
    "flood": "Flood waters rise in Lormont as rescue crews evacuate residents from the river banks",
    "bank": "Central bank raises interest rate to curb inflation says governor of the monetary board",
    "final": "Harbour City wins the cup final after a penalty shootout against Ostra United",
}


def corpus(n_per=3, seed=0):
    rnd = random.Random(seed)
    arts = []
    for topic, base in TOPICS.items():
        words = base.split()
        for i in range(n_per):
            w = words[:]
            rnd.shuffle(w)
            arts.append(Article(id=f"{topic}-{i}", title=" ".join(words[:6]), text=" ".join(w) + "."))
    return arts


def partition(stories):
    return sorted(sorted(s.article_ids if hasattr(s, "article_ids") else s) for s in stories)


GOLD = sorted(sorted(f"{t}-{i}" for i in range(3)) for t in TOPICS)


def test_topics_are_separated():
    assert partition(cluster_articles(corpus())) == GOLD


def test_duplicates_join_their_original():
    arts = corpus()
    arts.append(Article(id="copy", text=arts[0].text, duplicate_of=arts[0].id))
    stories = cluster_articles(arts)
    home = [s for s in stories if "copy" in s.article_ids][0]
    assert arts[0].id in home.article_ids


def test_duplicate_of_missing_original_is_its_own_story():
    arts = corpus() + [Article(id="orphan", text="whatever", duplicate_of="not-here")]
    assert ("orphan",) in [s.article_ids for s in cluster_articles(arts)]


def test_empty_and_textless_input():
    assert cluster_articles([]) == []
    stories = cluster_articles([Article(id="a", text=""), Article(id="b", text="")])
    assert partition(stories) == [["a"], ["b"]]


def test_story_ids_do_not_depend_on_order():
    arts = corpus()
    a = {s.id: set(s.article_ids) for s in cluster_articles(arts)}
    b = {s.id: set(s.article_ids) for s in cluster_articles(arts[::-1])}
    assert a == b


def test_time_window_separates_distant_dates():
    base = TOPICS["flood"]
    arts = [Article(id="old", title="Flood in Lormont", text=base, published=dt.date(2020, 1, 1)),
            Article(id="new", title="Flood in Lormont", text=base + " again", published=dt.date(2024, 1, 1))]
    assert len(cluster_articles(arts)) == 2
    assert len(cluster_articles(arts, Options(cluster_window_days=-1, story_gap_days=-1, story_span_days=-1))) == 1
    undated = [a.with_(published=None) for a in arts]
    assert len(cluster_articles(undated)) == 1


def test_entity_boost_adds_entity_columns():
    arts = corpus()
    plain = vectorize(arts, Options(cluster_entity_boost=0.0, cluster_event_lead_words=0))
    boosted = vectorize(arts, Options(cluster_entity_boost=2.0, cluster_event_lead_words=0))
    assert boosted.shape[1] == 2 * plain.shape[1]
    assert boosted[:, plain.shape[1]:].nnz > 0  # "Lormont", "Ostra United" ... mid-sentence capitals
    assert partition(cluster_articles(arts, Options(cluster_entity_boost=2.0))) == GOLD


def test_candidate_path_matches_exact_path(monkeypatch):
    arts = corpus(n_per=5)
    exact = partition(cluster_articles(arts))
    import newsdesk.simgraph as G

    monkeypatch.setattr(G, "EXACT_MAX", 2)  # force the pruned nearest-neighbour candidate step
    monkeypatch.setattr(G, "BLOCK_ROWS", 4)
    assert partition(cluster_articles(arts)) == exact


def test_oversized_block_is_resplit(monkeypatch):
    arts = corpus(n_per=4)
    monkeypatch.setattr(C, "MAX_BLOCK", 2)
    stories = cluster_articles(arts)
    assert sorted(i for s in stories for i in s.article_ids) == sorted(a.id for a in arts)
    # no story mixes topics even when blocks are cut by the stricter link threshold
    assert all(len({i.split("-")[0] for i in s.article_ids}) == 1 for s in stories)


def test_demo_partition(demo_articles, answers):
    marked = newsdesk.dedupe(demo_articles)
    assert partition(cluster_articles(marked)) == partition(answers["stories"])


def test_clusterer_incremental_demo(demo_articles, answers):
    c = Clusterer()
    first = c.add(demo_articles[:7])
    second = c.add(demo_articles[7:])
    assert set(first) | set(second) == {a.id for a in demo_articles}
    assert partition(c.stories()) == partition(answers["stories"])
    # adding known ids again changes nothing
    assert c.add(demo_articles[:3]) == {}
    assert len(c) == len(demo_articles)


def test_clusterer_joins_existing_story_and_is_deterministic():
    arts = corpus()
    runs = []
    for _ in range(2):
        c = Clusterer()
        c.add(arts[:4])
        out = c.add(arts[4:])
        runs.append((out, [s.article_ids for s in c.stories()]))
        assert c.story_of("flood-0") == c.story_of("flood-2")
        assert c.story_of("bank-0") != c.story_of("flood-0")
    assert runs[0] == runs[1]
    assert partition(runs[0][1]) == GOLD


def test_clusterer_respects_duplicate_of():
    arts = corpus()
    c = Clusterer()
    c.add(arts)
    out = c.add([Article(id="reprint", text="short", duplicate_of="bank-1")])
    assert out["reprint"] == c.story_of("bank-1")


words = st.sampled_from("flood river rescue bank rate inflation cup final penalty harbour ostra lormont "
                        "governor storm crews match".split())
texts = st.lists(words, min_size=0, max_size=25).map(" ".join)
nonempty = st.lists(words, min_size=1, max_size=25).map(" ".join)


@settings(max_examples=25, deadline=None)
@given(st.lists(texts, min_size=1, max_size=12), st.randoms(use_true_random=False))
def test_property_partition_order_independent(texts_, rnd):
    arts = [Article(id=f"a{i}", text=t, title=t[:20] or None) for i, t in enumerate(texts_)]
    stories = cluster_articles(arts)
    ids = [i for s in stories for i in s.article_ids]
    assert sorted(ids) == sorted(a.id for a in arts)  # a partition: every id exactly once
    shuffled = arts[:]
    rnd.shuffle(shuffled)
    assert partition(cluster_articles(shuffled)) == partition(stories)


@settings(max_examples=25, deadline=None)
@given(st.lists(nonempty, min_size=1, max_size=10), st.integers(min_value=0, max_value=9))
def test_property_exact_duplicate_never_creates_a_story(texts_, k):
    arts = [Article(id=f"a{i}", text=t) for i, t in enumerate(texts_)]
    src = arts[k % len(arts)]
    copy = Article(id="copy", text=src.text, title=src.title)
    before = cluster_articles(newsdesk.dedupe(arts))
    after = cluster_articles(newsdesk.dedupe(arts + [copy]))
    assert len(after) == len(before)
    # the same through the incremental clusterer
    c = Clusterer()
    c.add(arts)
    n = len(c.stories())
    c.add([copy])
    assert len(c.stories()) == n


@settings(max_examples=20, deadline=None)
@given(st.permutations(list(range(9))))
def test_property_permutations_of_topic_corpus(perm):
    arts = corpus()
    assert partition(cluster_articles([arts[i] for i in perm])) == GOLD


def test_options_are_validated():
    with pytest.raises(newsdesk.OptionsError):
        Options(cluster_window_days=-2)
    with pytest.raises(newsdesk.OptionsError):
        Options(cluster_entity_boost=-1.0)


@settings(max_examples=15, deadline=None)
@given(st.lists(nonempty, min_size=1, max_size=12))
def test_property_one_add_equals_batch(texts_):
    arts = newsdesk.dedupe([Article(id=f"a{i}", text=t, title=t[:20]) for i, t in enumerate(texts_)])
    originals_first = sorted(arts, key=lambda a: a.duplicate_of is not None)  # marked copies after originals
    c = Clusterer()
    c.add(originals_first)
    assert partition(c.stories()) == partition(cluster_articles(arts))


def test_clusterer_honours_duplicate_of_inside_a_batch():
    arts = corpus()
    batch = [Article(id="copy-first", text="x", duplicate_of="final-2")] + arts  # its original comes later
    c = Clusterer()
    out = c.add(batch)
    assert out["copy-first"] == out["final-2"]
    assert partition(c.stories()) == sorted(sorted(g + (["copy-first"] if g[0].startswith("final") else []))
                                            for g in GOLD)


@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(nonempty, st.integers(min_value=0, max_value=12)), min_size=1, max_size=12),
       st.sampled_from([{}, {"cluster_event_threshold": 0.2, "cluster_event_lead_words": 5},
                        {"cluster_dated_linkage": "complete"}]))
def test_property_dated_one_add_equals_batch_and_spans_hold(items, extra):
    """With dates and the time rules on, one ``add`` still gives the batch partition, and no story's
    dated articles span more than ``story_span_days`` nor fall silent longer than ``story_gap_days``."""
    o = Options(story_span_days=3, story_gap_days=2, **extra)
    day0 = dt.date(2024, 1, 1)
    arts = newsdesk.dedupe([Article(id=f"a{i}", text=t, title=t[:20], published=day0 + dt.timedelta(days=d))
                            for i, (t, d) in enumerate(items)])
    c = Clusterer(o)
    c.add(sorted(arts, key=lambda a: a.id))  # the batch's order: far copies are clustered among the originals
    batch = cluster_articles(arts, o)
    assert partition(c.stories()) == partition(batch)
    day = {a.id: a.published.toordinal() for a in arts if a.duplicate_of is None}
    for s in batch:
        ds = sorted(day[i] for i in s.article_ids if i in day)
        if ds:
            assert ds[-1] - ds[0] <= 3
            assert all(b - a <= 2 for a, b in zip(ds, ds[1:]))


def test_time_weight():
    from newsdesk.simgraph import TimeWeight

    gap = np.array([0.0, 2.0, np.nan])
    assert TimeWeight()(gap).tolist() == [1.0, 1.0, 1.0]
    assert TimeWeight(tau=2.0)(gap).tolist() == [1.0, 0.5, 1.0]
    assert TimeWeight(dated=0.5)(gap).tolist() == [0.5, 0.5, 1.0]  # undated pairs keep their cosine
    assert TimeWeight(tau=2.0, dated=0.5)(gap).tolist() == [0.5, 0.25, 1.0]


def test_cut_span_cuts_at_the_longest_silence_first():
    days = np.array([0.0, 1.0, 4.0, 5.0, 6.0, 20.0])
    parts = C._cut_span(np.arange(6), days, 3)
    assert [p.tolist() for p in parts] == [[0, 1], [2, 3, 4], [5]]
    assert [p.tolist() for p in C._cut_span(np.arange(6), days, 30)] == [[0, 1, 2, 3, 4, 5]]


def _dated_copies():  # type: ignore[no-untyped-def]
    day0 = dt.date(2024, 3, 1)
    arts = [Article(id=a.id, title=a.title, text=a.text, published=day0) for a in corpus()]
    near = Article(id="copy-near", text=arts[0].text, published=day0 + dt.timedelta(days=2),
                   duplicate_of=arts[0].id)
    far = Article(id="copy-far", text=arts[0].text, published=day0 + dt.timedelta(days=40),
                  duplicate_of=arts[0].id)
    far_copy = Article(id="copy-of-far", text=arts[0].text, published=day0 + dt.timedelta(days=41),
                       duplicate_of="copy-far")
    return arts, near, far, far_copy


def test_a_copy_weeks_after_its_original_is_not_in_its_story():
    """A copy that would stretch its original's story beyond ``story_span_days`` is clustered as an
    original (#19: a reused caption weeks later is not the original's event); a copy of it follows it; a
    copy within the span follows its original; with the span cut off every copy follows its original."""
    arts, near, far, far_copy = _dated_copies()
    story = {a: s.id for s in cluster_articles(arts + [near, far, far_copy]) for a in s.article_ids}
    assert story["copy-near"] == story[arts[0].id]
    assert story["copy-far"] != story[arts[0].id]
    assert story["copy-of-far"] == story["copy-far"]
    off = Options(story_span_days=-1)
    story = {a: s.id for s in cluster_articles(arts + [near, far], off) for a in s.article_ids}
    assert story["copy-far"] == story[arts[0].id]
    assert C.far_copies(arts + [near, far, far_copy]) == {"copy-far"}


def test_clusterer_clusters_a_far_copy_as_an_original_and_seed_agrees():
    """Online the span checked is that of the original's story so far (the batch's own: the original's
    date); the store's rebuild (``_seed``) makes the same rows and the same next decisions."""
    from newsdesk.store import _seed

    arts, near, far, far_copy = _dated_copies()
    live = Clusterer()
    stored = []
    for b in (arts + [near], [far, far_copy]):
        got = live.add(b)
        stored.append([(a, got[a.id]) for a in b])
    assert live.story_of("copy-near") == live.story_of(arts[0].id)
    assert live.story_of("copy-far") != live.story_of(arts[0].id)
    assert live.story_of("copy-of-far") != live.story_of(arts[0].id)
    one = Clusterer()
    one.add([far, arts[0]])  # in one batch: against the original's date
    assert one.story_of("copy-far") != one.story_of(arts[0].id)
    seeded = Clusterer()
    _seed(seeded, stored, live.topics())
    for name in ("_story_ids", "_members", "_story_of", "_rows_of_story", "_story_of_row", "_days"):
        assert getattr(seeded, name) == getattr(live, name), name
    more = [Article(id="late", text=arts[0].text, published=far.published, duplicate_of=arts[0].id)]
    assert seeded.add(more) == live.add(more)


def test_far_copies_in_one_add_in_the_batch_order_give_the_batch_partition():
    # two copies dated past the span are clustered among the originals (in id order, as the batch does)
    o = Options(story_span_days=3, story_gap_days=2, cluster_event_threshold=0.2, cluster_event_lead_words=5)
    day0 = dt.date(2024, 1, 1)
    items = [("flood", 0), ("flood", 4), ("river", 0), ("flood river river river flood", 8),
             ("flood river river river flood", 0)]
    arts = newsdesk.dedupe([Article(id=f"a{i}", text=t, title=t[:20], published=day0 + dt.timedelta(days=d))
                            for i, (t, d) in enumerate(items)])
    assert sum(a.duplicate_of is not None for a in arts) == 2
    c = Clusterer(o)
    c.add(arts)
    assert partition(c.stories()) == partition(cluster_articles(arts, o))
