"""The demo corpus's planted answers (newsdesk/demo/answers.json), checked end to end."""

from __future__ import annotations

import newsdesk
from newsdesk.briefing.matcher import StoryIndex
from newsdesk.briefing.summary import attribute


def partition(stories):
    return sorted(sorted(s) for s in stories)


def test_corpus_is_read_whole(demo_articles, answers):
    assert sorted(a.id for a in demo_articles) == sorted(answers["outlets"])


def test_stories_and_duplicates(demo_articles, answers):
    marked = newsdesk.dedupe(demo_articles)
    assert {a.id: a.duplicate_of for a in marked if a.duplicate_of} == answers["duplicates"]
    stories = newsdesk.cluster(marked)
    assert partition(s.article_ids for s in stories) == partition(answers["stories"])


def test_metadata(demo_articles, answers):
    by_id = {a.id: a for a in demo_articles}
    for aid, title in answers["titles"].items():
        assert by_id[aid].title == title, aid
    for aid, outlet in answers["outlets"].items():
        assert by_id[aid].source == outlet, aid
    for aid, day in answers["published"].items():
        assert by_id[aid].published is not None and by_id[aid].published.isoformat() == day, aid


def test_boilerplate_is_gone(demo_articles, answers):
    by_id = {a.id: a for a in demo_articles}
    for aid, lines in answers["boilerplate"].items():
        for line in lines:
            assert line.strip() not in by_id[aid].text, (aid, line)


def test_briefs_cite_verbatim_and_copies_after_the_independent_sources(demo_briefs, demo_articles, answers):
    by_id = {a.id: a for a in demo_articles}
    copies = set(answers["duplicates"])
    assert len(demo_briefs) == len(answers["stories"])
    for b in demo_briefs:
        assert b.headline
        assert 0 < sum(len(s.text.split()) for s in b.summary) <= 100
        story = {a.id for a in b.articles}
        copy_of = {a.id: a.duplicate_of for a in b.articles if a.duplicate_of}
        assert set(copy_of) <= copies
        for s in b.summary:
            assert " ".join(s.text.split()) in " ".join(by_id[s.sources[0]].text.split())
            assert set(s.sources) <= story and s.sources[0] not in copies
            assert len(set(s.sources)) == len(s.sources)
            independent = [x for x in s.sources if x not in copy_of]
            # a copy (no independent confirmation) only after every independent source, and only of one of them
            assert list(s.sources) == independent + [x for x in s.sources if x in copy_of]
            assert all(copy_of[x] in independent for x in s.sources if x in copy_of)


def test_planted_shared_facts_are_attributed_to_every_outlet(demo_articles, answers, nlp):
    """The planted facts' wordings are attributed within their story only, never to an article the
    answer key does not list for the fact, and at least 20% of the planted (sentence, article) links
    are found.  The matcher is precision-first (tuned on MSRP, docs/matcher.md): the demo's planted
    paraphrases are heavy rewordings, of which it finds 25% (the old demo-tuned matcher: 85%+)."""
    marked = {a.id: a for a in newsdesk.dedupe(demo_articles)}
    found = total = 0
    for fact in answers["shared_facts"]:
        story = answers["stories"][fact["story"]]
        parsed = nlp.parse_many([marked[i] for i in story if marked[i].duplicate_of is None], deep=False)
        index = StoryIndex(parsed)
        want = {a for a in fact["articles"] if marked[a].duplicate_of is None}
        for aid, text in zip(fact["articles"], fact["sentences"]):
            if marked[aid].duplicate_of:
                continue
            ps = next(p for pa in parsed if pa.id == aid for p in pa.sentences if text in p.sentence.text)
            got = set(attribute([ps], index)[0].sources)
            assert got <= want | {aid}, (fact["fact"], got - want)
            found += len(want & got)
            total += len(want)
    assert found / total >= 0.20, found / total
