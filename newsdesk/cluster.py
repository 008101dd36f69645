"""Story clustering on the cheap tier (no spaCy).

Articles are represented by TF-IDF vectors (scikit-learn, sublinear tf, English
stop words) of their title (counted twice) and lead (first ``LEAD_WORDS`` words);
originals are grouped by average-linkage agglomerative clustering on cosine
distance, cut at ``1 - Options.cluster_threshold``; duplicates join their
original's story.  Story ids are stable: ``s`` + a hash of the story's first
member in input order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from .errors import NewsdeskError
from .models import Article, Story
from .options import DEFAULT_OPTIONS, Options

__all__ = ["cluster_articles", "LEAD_WORDS"]

LEAD_WORDS = 150  # words of body text used beside the title
MAX_BATCH = 8000  # all-pairs distances: n*(n-1)/2 doubles (8000 -> 256 MB)


def _doc(a: Article) -> str:
    title = a.title or ""
    lead = " ".join(a.text.split()[:LEAD_WORDS])
    return f"{title} {title} {lead}"


def story_id(first_article_id: str) -> str:
    return "s" + hashlib.sha1(first_article_id.encode()).hexdigest()[:10]


def cluster_articles(articles: Sequence[Article], options: Options = DEFAULT_OPTIONS) -> list[Story]:
    """Partition articles into stories (every id in exactly one story)."""
    originals = [a for a in articles if a.duplicate_of is None]
    labels = _labels(originals, options.cluster_threshold)
    groups: dict[int, list[str]] = {}
    for a, lab in zip(originals, labels):
        groups.setdefault(lab, []).append(a.id)
    dup_of = {a.id: a.duplicate_of for a in articles}

    def root(aid: str) -> str:
        seen = {aid}
        while dup_of.get(aid) is not None and dup_of[aid] in dup_of and dup_of[aid] not in seen:
            aid = dup_of[aid]  # type: ignore[assignment]
            seen.add(aid)
        return aid

    root_of = {a.id: root(a.id) for a in articles}
    label_of = {aid: lab for lab, members in groups.items() for aid in members}
    members_by_label: dict[int, list[str]] = {lab: [] for lab in groups}
    next_label = max(groups, default=-1) + 1
    for a in articles:  # input order inside each story
        lab = label_of.get(root_of[a.id])
        if lab is None:  # a duplicate whose original is not in this batch
            lab = next_label
            next_label += 1
            members_by_label[lab] = []
            label_of[root_of[a.id]] = lab
        members_by_label[lab].append(a.id)
    position = {a.id: i for i, a in enumerate(articles)}
    stories = [Story(story_id(m[0]), tuple(m)) for m in members_by_label.values() if m]
    stories.sort(key=lambda s: (-len(s.article_ids), position[s.article_ids[0]]))
    return stories


def _labels(articles: Sequence[Article], threshold: float) -> list[int]:
    n = len(articles)
    if n == 0:
        return []
    if n == 1:
        return [0]
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import pdist
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True, stop_words="english", min_df=1,
                          token_pattern=r"(?u)\b[^\W\d_][\w'-]+\b")
    try:
        x = vec.fit_transform([_doc(a) for a in articles])
    except ValueError:  # empty vocabulary: every article alone
        return list(range(n))
    if n > MAX_BATCH:
        raise NewsdeskError(
            f"{n} articles are more than this clusterer handles in one batch ({MAX_BATCH}); "
            "cluster them in smaller batches")
    dist = pdist(x.toarray(), metric="cosine")
    dist = np.nan_to_num(dist, nan=1.0)
    z = linkage(dist, method="average")
    raw = fcluster(z, t=1.0 - threshold, criterion="distance")
    # relabel in input order for determinism
    seen: dict[int, int] = {}
    return [seen.setdefault(int(r), len(seen)) for r in raw]
