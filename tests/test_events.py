"""The event split of stories in dense topics (newsdesk.events, #19)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from newsdesk import events
from newsdesk.cluster import Clusterer, cluster_articles
from newsdesk.hashing import hashed_counts
from newsdesk.models import Article
from newsdesk.options import DEFAULT_OPTIONS

DAY = dt.date(2024, 3, 4)
OPTS = DEFAULT_OPTIONS.replace(event_split_background=4)  # the small synthetic subject counts as dense
TOPIC = "quake relief island capital survivors aid agencies rubble victims earthquake"


def _art(i: int, lead: str, day: int = 0) -> Article:
    return Article(id=f"a{i:02d}", title="", text=f"{lead} {TOPIC} {TOPIC}", published=DAY + dt.timedelta(days=day))


def _dense() -> list[Article]:
    """Two events of one dense subject on one day (a port repaired, a school reopened), each told by two
    articles, among eight other same-subject articles of other occurrences."""
    arts = [_art(0, "divers repair harbour pier cranes dock ships"),
            _art(1, "divers repair harbour pier cranes dock ships navy"),
            _art(2, "pupils return school classrooms teachers reopened lessons"),
            _art(3, "pupils return school classrooms teachers reopened lessons tents")]
    others = ["prisoners escaped jail police appeal", "tents camps displaced families housed",
              "singer charity concert telethon donations", "orphans adoption children flights",
              "cholera clinics doctors vaccines", "fuel shortages petrol queues prices",
              "radio broadcasts information creole listeners", "bank transfers remittances money"]
    arts += [Article(id=f"a{4 + k:02d}", title="", text=f"{o} {o} {o} {TOPIC}", published=DAY)
             for k, o in enumerate(others)]
    return arts


def test_pieces_cut_a_group_whose_leads_differ_beyond_the_subject():
    lead = hashed_counts([["divers", "harbour", "pier", "quake"], ["divers", "harbour", "pier", "quake"],
                          ["pupils", "school", "lessons", "quake"]], 1 << 20).tocsr()
    bg = hashed_counts([["quake", "tents"], ["quake", "jail"], ["quake", "fuel"], ["quake", "bank"]], 1 << 20).tocsr()
    ev = lead.copy()
    ev.data[:] = 1.0
    from newsdesk.hashing import l2_normalize
    ev = l2_normalize(ev)
    opts = DEFAULT_OPTIONS.replace(event_split_background=4)
    assert events.pieces(lead, ev, bg, opts).tolist() == [0, 0, 1]
    # a sparse background (fewer other articles of the subject than event_split_background): no split
    assert events.pieces(lead, ev, bg[:3], opts).tolist() == [0, 0, 0]


def test_batch_splits_a_dense_subject_into_events_and_keeps_the_topic():
    arts = _dense()
    off = cluster_articles(arts, OPTS.replace(event_split_threshold=0))
    on = cluster_articles(arts, OPTS)
    assert len(on) > len(off)
    by = {a: s for s in on for a in s.article_ids}
    assert by["a00"].id == by["a01"].id and by["a02"].id == by["a03"].id and by["a00"].id != by["a02"].id
    topic_off = {a: s.topic for s in off for a in s.article_ids}
    # a piece keeps the topic of the story it came from: the same articles share a topic
    for a, s in by.items():
        assert {b for b in by if topic_off[b] == topic_off[a]} == {b for b in by if by[b].topic == s.topic}


def test_online_splits_like_batch_for_one_batch():
    arts = _dense()
    c = Clusterer(OPTS)
    c.add(arts)
    online = sorted(sorted(s.article_ids) for s in c.stories())
    batch = sorted(sorted(s.article_ids) for s in cluster_articles(arts, OPTS))
    assert online == batch


def test_online_a_new_article_of_another_event_opens_a_story_in_the_same_topic():
    arts = _dense()
    c = Clusterer(OPTS)
    c.add(arts[:2] + arts[4:])
    got = c.add([arts[2]])
    assert got["a02"] != c.story_of("a00")
    off = Clusterer(OPTS.replace(event_split_threshold=0))
    off.add(arts[:2] + arts[4:])
    assert off.add([arts[2]])["a02"] == off.story_of("a00")


def test_sparse_events_are_not_split_and_off_means_off():
    # three outlets of one event with different wording and nothing else on those days (BASIL's case)
    arts = [_art(0, "minister resigns scandal letter"), _art(1, "resignation minister quits after letter"),
            _art(2, "scandal forces minister out")]
    assert len(cluster_articles(arts)) == len(cluster_articles(arts, DEFAULT_OPTIONS.replace(event_split_threshold=0)))
    assert not events.enabled(DEFAULT_OPTIONS.replace(cluster_event_lead_words=0))
    assert np.array_equal(events.split_labels(np.array([0, 0]), None, None, None, np.array([1.0, 1.0]),
                                              DEFAULT_OPTIONS.replace(event_split_threshold=0)), [0, 0])


def test_undated_articles_are_never_split():
    arts = [Article(id=a.id, title=a.title, text=a.text) for a in _dense()]
    off = cluster_articles(arts, OPTS.replace(event_split_threshold=0))
    on = cluster_articles(arts, OPTS)
    assert sorted(sorted(s.article_ids) for s in on) == sorted(sorted(s.article_ids) for s in off)


def test_a_store_restart_gives_the_same_stories_with_the_split_on():
    """The store rebuilds its clusterer from the stored stories (``_seed``): with the event split on, the
    state and the next decisions equal those of a replay (the replay's stories survive a SIGKILL)."""
    from newsdesk.store import _seed, replay_clusterer

    arts = _dense()
    first, second = arts[:2] + arts[4:], arts[2:4]
    live = Clusterer(OPTS)
    stored = []
    for b in (first, second):
        got = live.add(b)
        stored.append([(a, got[a.id]) for a in b])
    assert live.story_of("a02") != live.story_of("a00")  # the split happened online
    replayed = replay_clusterer(OPTS, stored)
    seeded = Clusterer(OPTS)
    _seed(seeded, stored, live.topics())
    for name in ("_story_ids", "_members", "_story_of", "_rows_of_story", "_story_of_row", "_topic_of"):
        assert getattr(seeded, name) == getattr(replayed, name) == getattr(live, name), name
    more = [_art(30, "divers repair harbour pier cranes dock"), _art(31, "pupils return school classrooms lessons")]
    assert seeded.add(more) == replayed.add(more) == live.add(more)


def _unit(rows: list[list[str]]):  # type: ignore[no-untyped-def]
    from newsdesk.hashing import l2_normalize

    x = hashed_counts(rows, 1 << 20).tocsr().astype(np.float64)
    return x, l2_normalize(x.copy())


def test_pieces_one_outlets_two_pages_need_the_higher_cut_even_where_the_topic_is_sparse():
    # two pages sharing half their lead words: cosine 0.5 - above the cut of two outlets (0.2), below one
    # outlet's when it is raised above 0.5
    lead, ev = _unit([["quake", "rescue", "hotel", "rubble"], ["quake", "rescue", "search", "over"]])
    no_bg = lead[:0]
    opts = DEFAULT_OPTIONS.replace(event_split_same_source=0.6)
    assert events.pieces(lead, ev, no_bg, opts, np.array([0, 1])).tolist() == [0, 0]  # two outlets: kept
    assert events.pieces(lead, ev, no_bg, opts, np.array([3, 3])).tolist() == [0, 1]  # one outlet: cut
    assert events.pieces(lead, ev, no_bg, opts, np.array([-1, -1])).tolist() == [0, 0]  # no source known
    assert events.pieces(lead, ev, no_bg, opts.replace(event_split_same_source=0.4),
                         np.array([3, 3])).tolist() == [0, 0]
    assert events.pieces(lead, ev, no_bg, opts.replace(event_split_same_source=0),
                         np.array([3, 3])).tolist() == [0, 0]  # 0: off


def test_pieces_complete_linkage_every_two_articles_of_a_piece_are_one_event():
    # a ~ b and b ~ c (cosine 2/3), a and c share one word of three (1/3): with a cut of 0.5 no piece
    # may hold both a and c, although the average over {a, b} -> c would pass
    lead, ev = _unit([["w1", "w2", "w3"], ["w2", "w3", "w4"], ["w3", "w4", "w5"]])
    opts = DEFAULT_OPTIONS.replace(event_split_threshold=0.5, event_split_same_source=0.5)
    lab = events.pieces(lead, ev, lead[:0], opts, np.array([1, 1, 1])).tolist()
    assert lab[0] != lab[2] and len(set(lab)) == 2


def test_batch_and_online_split_one_outlets_two_occurrences_and_keep_two_outlets_one_event():
    words = "storm coast town flood water homes residents rain"

    def art(i: int, lead: str, source: str) -> Article:
        return Article(id=f"b{i:02d}", title="", text=f"{lead} {words}", source=source, published=DAY)

    one = [art(0, "bridge collapsed river crossing closed engineers", "Herald"),
           art(1, "school shelter opened families blankets volunteers", "Herald")]
    two = [art(0, "bridge collapsed river crossing closed engineers", "Herald"),
           art(1, "school shelter opened families blankets volunteers", "Courier")]
    off = DEFAULT_OPTIONS.replace(event_split_same_source=0)
    assert len(cluster_articles(one, off)) == 1  # the story rule joins them on the subject's words
    assert len(cluster_articles(one)) == 2
    assert len(cluster_articles(two)) == 1
    c = Clusterer()
    c.add(one[:1])
    assert c.add(one[1:])["b01"] != c.story_of("b00")
    c2 = Clusterer()
    c2.add(two[:1])
    assert c2.add(two[1:])["b01"] == c2.story_of("b00")


def test_a_store_restart_keeps_the_outlets_of_the_stored_rows():
    from newsdesk.store import _seed, replay_clusterer

    arts = [Article(id=a.id, title=a.title, text=a.text, published=a.published, source=f"s{int(a.id[1:]) % 3}")
            for a in _dense()]
    stored = []
    live = Clusterer(OPTS)
    for b in (arts[:6], arts[6:]):
        got = live.add(b)
        stored.append([(a, got[a.id]) for a in b])
    seeded = Clusterer(OPTS)
    _seed(seeded, stored, live.topics())
    replayed = replay_clusterer(OPTS, stored)
    assert seeded._sources == replayed._sources == live._sources
    assert seeded._source_code == live._source_code
    more = [Article(id="a40", title="", text=f"divers repair harbour pier cranes dock {TOPIC}", published=DAY,
                    source="s1")]
    assert seeded.add(more) == replayed.add(more) == live.add(more)


def test_pieces_two_outlets_on_two_days_need_the_other_day_cut_where_the_topic_is_dense():
    # two leads sharing 'spill' (in every background row: weight 0) and one of three other words each:
    # a lead cosine 1/3 - above the cut of two outlets (0.2), below the other-day cut when it is 0.4
    lead = hashed_counts([["spill", "estimate", "flow", "barrels"], ["spill", "burn", "flow", "boats"]],
                         1 << 20).tocsr()
    bg = hashed_counts([["spill", "shares"], ["spill", "beach"], ["spill", "hearing"], ["spill", "fund"]],
                       1 << 20).tocsr()
    _, ev = _unit([["spill", "estimate", "flow", "barrels"], ["spill", "burn", "flow", "boats"]])
    opts = DEFAULT_OPTIONS.replace(event_split_background=4, event_split_other_day=0.4)
    src = np.array([0, 1])
    assert events.pieces(lead, ev, bg, opts, src, np.array([10.0, 10.0])).tolist() == [0, 0]  # same day
    assert events.pieces(lead, ev, bg, opts, src, np.array([10.0, 11.0])).tolist() == [0, 1]  # next day: cut
    assert events.pieces(lead, ev, bg, opts, src).tolist() == [0, 0]  # no days given
    assert events.pieces(lead, ev, bg, opts.replace(event_split_other_day=0), src,
                         np.array([10.0, 11.0])).tolist() == [0, 0]  # 0: the cut of two outlets
    assert events.pieces(lead, ev, bg, opts.replace(event_split_other_day=0.3), src,
                         np.array([10.0, 11.0])).tolist() == [0, 0]  # 1/3 reaches 0.3
    assert events.pieces(lead, ev, bg[:3], opts, src, np.array([10.0, 11.0])).tolist() == [0, 0]  # sparse



def _with_lead(body: list[list[str]], lead: list[list[str]]):  # type: ignore[no-untyped-def]
    """Event-block counts of ``lead`` and article vectors of ``body`` with that block in the last columns."""
    import scipy.sparse as sp

    from newsdesk.hashing import N_FEATURES, l2_normalize

    counts = hashed_counts(lead, N_FEATURES).tocsr().astype(np.float64)
    x = sp.hstack([hashed_counts(body, N_FEATURES), counts], format="csr").astype(np.float64)
    return counts, l2_normalize(x)


def test_pieces_one_outlets_two_pages_on_two_days_need_their_leads_alike():
    # one outlet, one body, leads sharing half their words (lead cosine 0.5, article cosine ~0.87): one
    # event the same day, two on two days when the leads must reach 0.6; two outlets are not affected
    words = ["quake", "rescue", "hotel", "rubble", "search", "teams", "dogs", "night"]
    lead, ev = _with_lead([words, words], [["quake", "rescue", "hotel", "rubble"],
                                           ["quake", "rescue", "search", "over"]])
    opts = DEFAULT_OPTIONS.replace(event_split_same_source=0.4, event_split_same_source_other_day=0.6)
    one, two = np.array([3, 3]), np.array([0, 1])
    no_bg = lead[:0]
    assert events.pieces(lead, ev, no_bg, opts, one, np.array([10.0, 10.0])).tolist() == [0, 0]  # same day
    assert events.pieces(lead, ev, no_bg, opts, one, np.array([10.0, 11.0])).tolist() == [0, 1]  # next day: cut
    assert events.pieces(lead, ev, no_bg, opts, one).tolist() == [0, 0]  # no days given
    assert events.pieces(lead, ev, no_bg, opts, two, np.array([10.0, 11.0])).tolist() == [0, 0]  # two outlets
    assert events.pieces(lead, ev, no_bg, opts.replace(event_split_same_source_other_day=0.45), one,
                         np.array([10.0, 11.0])).tolist() == [0, 0]
    assert events.pieces(lead, ev, no_bg, opts.replace(event_split_same_source_other_day=0), one,
                         np.array([10.0, 11.0])).tolist() == [0, 0]  # 0: off


def test_pieces_one_outlets_re_publication_on_another_day_stays_one_event():
    # the same lead over a shorter body (a re-publication the next day): the article cosine is lower, the
    # leads' is 1: kept at a lead cut 0.9 as long as the article cosine reaches the one-outlet cut
    lead, ev = _with_lead([["quake", "rescue", "hotel", "rubble", "search", "teams", "dogs", "night"],
                           ["quake", "rescue", "hotel"]],
                          [["quake", "rescue", "hotel", "rubble"], ["quake", "rescue", "hotel", "rubble"]])
    opts = DEFAULT_OPTIONS.replace(event_split_same_source=0.5, event_split_same_source_other_day=0.9)
    assert events.pieces(lead, ev, lead[:0], opts, np.array([3, 3]), np.array([10.0, 11.0])).tolist() == [0, 0]
