"""Topics above stories, story states and the story gap rule (#19)."""

from __future__ import annotations

import datetime as dt

import pytest

import newsdesk
from newsdesk.cluster import Clusterer, cluster_articles
from newsdesk.models import Article
from newsdesk.options import Options
from newsdesk.topics import story_state

D = dt.date(2021, 3, 1)


def _art(aid: str, text: str, day: int | None) -> Article:
    return Article(id=aid, text=text, title=text.split(".")[0],
                   published=None if day is None else D + dt.timedelta(days=day))


SPILL = ("Oil from the ruptured Vanguard well spread across the bay as crews from Norland Petroleum fought "
         "to cap the leak. {x}")
FLU = "A new strain of avian flu was detected in poultry farms near Greystone, health officials said. {x}"


def _thread() -> list[Article]:
    """Two threads of events: a spill followed over three weeks (one event every ten days), and a flu outbreak."""
    events = ["Crews lowered a containment dome over the wellhead.",
              "Norland Petroleum said a relief well would take months.",
              "Fishermen protested the fishing ban along the bay coast.",
              "The Vanguard well was finally sealed with cement."]
    arts = []
    for w, ev in enumerate(events):
        for k in range(2):
            arts.append(_art(f"spill{w}-{k}", SPILL.format(x=ev) + f" Report {k} on week {w}.", 10 * w + k))
    for k in range(3):
        arts.append(_art(f"flu-{k}", FLU.format(x=f"Farm {k} culled its flock."), 9 + k))
    return arts


def test_stories_of_one_thread_share_a_topic_and_others_do_not():
    stories = cluster_articles(_thread())
    by_article = {a: s for s in stories for a in s.article_ids}
    spill_stories = {by_article[f"spill{w}-0"].id for w in range(4)}
    assert len(spill_stories) == 4  # ten days apart: one story per event (story gap 7 days)
    assert len({by_article[f"spill{w}-0"].topic for w in range(4)}) == 1
    assert by_article["flu-0"].topic != by_article["spill0-0"].topic
    assert all(s.topic for s in stories)
    assert all(s.to_json()["topic"] == s.topic for s in stories)


def test_topic_gap_and_threshold_options_cut_topics():
    tight = cluster_articles(_thread(), Options(topic_gap_days=3))
    assert len({s.topic for s in tight if s.article_ids[0].startswith("spill")}) == 4
    strict = cluster_articles(_thread(), Options(topic_threshold=0.99))
    assert len({s.topic for s in strict}) == len(strict)


def test_undated_stories_never_chain():
    arts = [a.with_(published=None) for a in _thread()]
    stories = cluster_articles(arts, Options(cluster_threshold=0.9))
    assert len({s.topic for s in stories}) == len(stories)


def test_online_topics_match_the_rule():
    c = Clusterer()
    arts = _thread()
    for k in range(0, len(arts), 2):
        c.add(arts[k:k + 2])
    by_article = {a: s for s in c.stories() for a in s.article_ids}
    assert len({by_article[f"spill{w}-0"].id for w in range(4)}) == 4
    assert len({by_article[f"spill{w}-0"].topic for w in range(4)}) == 1
    assert by_article["flu-0"].topic != by_article["spill0-0"].topic
    assert c.topic_of(by_article["flu-0"].id) == by_article["flu-0"].topic


def test_a_story_silent_longer_than_the_gap_is_split():
    text = "The Vanguard well leak in the bay was capped by Norland Petroleum crews on the coast."
    arts = [_art("a", text, 0), _art("b", text + " Again.", 1), _art("c", text + " Once more.", 20)]
    before = cluster_articles(arts, Options(story_gap_days=-1, story_span_days=-1, cluster_window_days=-1))
    after = cluster_articles(arts, Options(story_gap_days=7, story_span_days=-1, cluster_window_days=-1))
    assert len(before) == 1
    assert sorted(len(s.article_ids) for s in after) == [1, 2]


def test_a_story_longer_than_the_span_is_cut_at_its_longest_silence():
    text = "The Vanguard well leak in the bay was capped by Norland Petroleum crews on the coast."
    extra = {0: "Divers inspected the seal at dawn.", 1: "Shares of the company rose sharply in trading.",
             2: "Local fishermen welcomed the news cautiously.", 5: "Regulators opened an inquiry into the delay.",
             6: "Cleanup volunteers gathered on the northern beaches."}
    arts = [_art(f"d{d}", f"{text} {e} Day {d}.", d) for d, e in extra.items()]  # not copies of each other
    o = Options(story_span_days=3, cluster_window_days=-1)
    assert partition(cluster_articles(arts, o)) == [["d0", "d1", "d2"], ["d5", "d6"]]
    assert len(cluster_articles(arts, o.replace(story_span_days=-1))) == 1
    # online, one day at a time: a story never stretches beyond the span either
    c = Clusterer(o)
    for a in arts:
        c.add([a])
    assert partition(c.stories()) == [["d0", "d1", "d2"], ["d5", "d6"]]
    c1 = Clusterer(o)
    c1.add(arts)  # one add: the batch rule
    assert partition(c1.stories()) == partition(cluster_articles(arts, o))


def test_event_block_only_for_dated_articles_and_event_threshold_only_between_them():
    from newsdesk.cluster import N_FEATURES, vectorize

    dated, undated = _art("a", SPILL.format(x="Crews lowered a dome."), 0), _art("b", FLU.format(x=""), None)
    x = vectorize([dated, undated], Options(cluster_event_lead_words=5, cluster_event_lead_weight=1.0))
    assert x.shape[1] == 2 * N_FEATURES
    assert x[0, N_FEATURES:].nnz > 0 and x[1, N_FEATURES:].nnz == 0
    # two reports of one spill: linked at the base cut, not at an event cut above their cosine
    pair = [_art("p", SPILL.format(x="Fishermen protested the ban."), 0),
            _art("q", SPILL.format(x="A relief well would take months."), 0)]
    assert len(cluster_articles(pair, Options())) == 1
    assert len(cluster_articles(pair, Options(cluster_event_threshold=0.95))) == 2
    undated_pair = [a.with_(published=None) for a in pair]
    assert len(cluster_articles(undated_pair, Options(cluster_event_threshold=0.95))) == 1


def test_complete_linkage_for_dated_groups_online_and_batch():
    base = "Norland Petroleum crews capped the Vanguard well leak in the bay on Monday"
    arts = [_art("a", base + ".", 0), _art("b", base + " after weeks of failed attempts.", 0),
            _art("c", "Weeks of failed attempts ended as fishermen in the bay returned to sea on Monday.", 0)]
    for linkage in ("average", "complete"):
        o = Options(cluster_dated_linkage=linkage, cluster_threshold=0.2)
        batch = partition(cluster_articles(arts, o))
        c = Clusterer(o)
        c.add(arts[:2])
        c.add(arts[2:])
        online = partition(c.stories())
        if linkage == "complete":  # a and c are far apart (cosine ~0.13 < 0.2): never in one story
            assert not any({"a", "c"} <= set(s) for s in batch + online)
        else:  # average linkage takes c in through b (cosine ~0.39)
            assert batch == [["a", "b", "c"]]
    with pytest.raises(newsdesk.errors.OptionsError):
        Options(cluster_dated_linkage="single")


def partition(stories):
    return sorted(sorted(s.article_ids) for s in stories)


@pytest.mark.parametrize(("last", "state"), [(0, "developing"), (2, "developing"), (3, "quiet")])
def test_story_state(last, state):
    assert story_state(D, D + dt.timedelta(days=last)) == state
    assert story_state(None, D) == "developing"


def test_store_keeps_topics(tmp_path):
    arts = _thread()
    with newsdesk.Store(tmp_path / "d.sqlite") as st:
        st.add(arts[:4])
        st.add(arts[4:])
        rows = st.stories(limit=100)
        spill = [r for r in rows if st.story(r.id).article_ids[0].startswith("spill")]
        assert len({r.topic for r in spill}) == 1 and spill[0].topic
        assert {r.state for r in rows} <= {"developing", "quiet"}
        assert len(st.topic(spill[0].topic)) == 4
    with newsdesk.Store(tmp_path / "d.sqlite") as st:  # reopened: the seeded clusterer keeps them
        st.add([_art("spill9-0", SPILL.format(x="Cleanup crews left the beaches."), 40)])
        assert st.story(st.story_of("spill9-0")).topic == spill[0].topic


def test_cluster_json_gives_every_story_a_topic(demo_dir):
    import json

    from typer.testing import CliRunner

    from newsdesk.cli import app

    r = CliRunner().invoke(app, ["cluster", str(demo_dir), "--json"])
    assert r.exit_code in (0, 1), r.output
    stories = json.loads(r.stdout)["stories"]
    assert stories and all(isinstance(s["topic"], str) and s["topic"].startswith("t") for s in stories)
    assert len({s["id"] for s in stories}) == len(stories)
