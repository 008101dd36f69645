import random

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk import Article
from newsdesk.cluster import cluster_articles

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
    return sorted(sorted(s.article_ids) for s in stories)


def test_topics_are_separated():
    stories = cluster_articles(corpus())
    assert partition(stories) == sorted(sorted(f"{t}-{i}" for i in range(3)) for t in TOPICS)


def test_duplicates_join_their_original():
    arts = corpus()
    arts.append(Article(id="copy", text=arts[0].text, duplicate_of=arts[0].id))
    stories = cluster_articles(arts)
    home = [s for s in stories if "copy" in s.article_ids][0]
    assert arts[0].id in home.article_ids


@settings(max_examples=20, deadline=None)
@given(st.permutations(list(range(9))))
def test_property_partition_and_order_independence(perm):
    arts = corpus()
    shuffled = [arts[i] for i in perm]
    stories = cluster_articles(shuffled)
    ids = [i for s in stories for i in s.article_ids]
    assert sorted(ids) == sorted(a.id for a in arts)  # a partition: every id exactly once
    assert partition(stories) == partition(cluster_articles(arts))
