"""The same-content matcher: contradictions never match, an added fact is not the same content,
paraphrases do match, and citations stay verbatim with their matched sentences.

Every sentence here was written for this test (no demo corpus, no shared data)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newsdesk
from newsdesk import Article, Options
from newsdesk.briefing.matcher import MODEL, StoryIndex, key_facts, veto

BASE = "The storm killed 40 people in the coastal province of Varnesse on Tuesday, officials said."

CONTRADICTIONS = [
    # numbers
    (BASE, "The storm killed 4 people in the coastal province of Varnesse on Tuesday, officials said."),
    ("The central bank raised its main rate to 4.5 percent on Thursday.",
     "The central bank raised its main rate to 5.5 percent on Thursday."),
    ("Ninety workers were laid off at the Dorvik plant last week.",
     "Nine workers were laid off at the Dorvik plant last week."),
    ("Strong winds hit the Varnesse regatta, killing two sailors and leaving two boats missing.",
     "Strong winds hit the Varnesse regatta, killing two sailors and leaving three boats missing."),
    # negation / denial
    ("Russia said its troops had crossed the border near the town of Kelmar.",
     "Russia denied its troops had crossed the border near the town of Kelmar."),
    ("The minister said the government would raise fuel taxes next year.",
     "The minister said the government would not raise fuel taxes next year."),
    ("The company confirmed that it will close its factory in Lisbury.",
     "The company refused to confirm that it will close its factory in Lisbury."),
    # different actors
    ("Germany said the talks on the gas pipeline had failed.",
     "Poland said the talks on the gas pipeline had failed."),
    ("Senator Halvorsen voted against the spending bill on Friday.",
     "Senator Okafor voted against the spending bill on Friday."),
    # different dates
    ("The union will hold a national strike on Monday, its leader said.",
     "The union will hold a national strike on Thursday, its leader said."),
]

ADDED_FACT = [
    ("The bridge over the Tamsel river collapsed during the morning rush hour.",
     "The bridge over the Tamsel river collapsed during the morning rush hour, and the city's mayor "
     "resigned hours later after reports showed inspectors had warned of cracks for two years."),
    ("Police arrested a man suspected of setting fire to the town hall.",
     "Police arrested a man suspected of setting fire to the town hall, who had been released from prison "
     "a week earlier and was already wanted for a string of burglaries across the region."),
]

PARAPHRASES = [
    ("The storm killed 40 people in the coastal province of Varnesse on Tuesday, officials said.",
     "Officials said 40 people were killed in the coastal province of Varnesse when the storm hit on Tuesday."),
    ("Prime Minister Adeyemi resigned on Sunday after losing a vote of confidence in parliament.",
     "Prime Minister Adeyemi stepped down on Sunday after losing a confidence vote in parliament."),
]


def _pair(nlp, a: str, b: str):
    pa, pb = nlp.parse_many([Article(id="a", text=a), Article(id="b", text=b)], deep=False)
    assert len(pa.sentences) == 1 and len(pb.sentences) == 1
    return StoryIndex([pa, pb]), pa.sentences[0], pb.sentences[0]


@pytest.mark.parametrize(("a", "b"), CONTRADICTIONS)
def test_contradictions_are_vetoed_and_never_matched(nlp, a, b):
    index, sa, sb = _pair(nlp, a, b)
    assert veto(key_facts(sa), key_facts(sb)) is not None
    assert not index.same(sa, sb) and not index.same(sb, sa)
    assert index.scores([(sa, sb)]) == [0.0]


@pytest.mark.parametrize(("a", "b"), ADDED_FACT)
def test_a_paraphrase_adding_a_fact_is_not_the_same_content(nlp, a, b):
    index, sa, sb = _pair(nlp, a, b)
    assert not index.same(sa, sb)


@pytest.mark.parametrize(("a", "b"), PARAPHRASES)
def test_paraphrases_match(nlp, a, b):
    index, sa, sb = _pair(nlp, a, b)
    assert index.same(sa, sb)
    assert index.scores([(sa, sb)])[0] == pytest.approx(index.scores([(sb, sa)])[0])


def test_bare_texts_agree_with_parsed_sentences(nlp):
    """Quotes are judged as bare texts: the same decisions as on parsed sentences."""
    for a, b in CONTRADICTIONS[:4]:
        index, _, _ = _pair(nlp, a, b)
        assert index.text_scores([(a, b)]) == [0.0]
    a, b = PARAPHRASES[1]
    index, _, _ = _pair(nlp, a, b)
    assert index.text_scores([(a, b)])[0] >= MODEL.threshold


def test_citation_lists_the_matched_sentence_of_each_cited_article(nlp):
    a, b = PARAPHRASES[0]
    arts = [Article(id="x", text=a + " Rescue teams were still searching the flooded villages."),
            Article(id="y", text="Heavy rain fell for a third day. " + b)]
    summary = newsdesk.summarize(arts, Options(words=25), nlp=nlp)
    cited = [s for s in summary if set(s.sources) == {"x", "y"}]
    assert cited
    for s in cited:
        (m,) = s.matched
        assert m.article_id == s.sources[1]
        other = next(x for x in arts if x.id == m.article_id)
        assert other.text[m.start:m.end] == m.text
        assert "40 people" in m.text


def test_a_story_of_contradicting_reports_cites_no_one_else(nlp):
    arts = [Article(id=f"c{i}", text=f"{a} Crews worked through the night.") for i, (a, _) in
            enumerate(CONTRADICTIONS[:3])]
    arts += [Article(id=f"d{i}", text=f"{b} Crews worked through the night.") for i, (_, b) in
             enumerate(CONTRADICTIONS[:3])]
    for s in newsdesk.summarize(arts, Options(words=60), nlp=nlp):
        assert len(s.sources) == 1 or "Crews" in s.text


words = st.sampled_from("storm flood killed rescue town river governor crews residents bridge minister said "
                        "police army port bank rate 40 4 not Varnesse Kelmar Tuesday".split())
sentence = st.lists(words, min_size=6, max_size=14).map(lambda ws: " ".join(ws).capitalize() + ".")
article_text = st.lists(sentence, min_size=1, max_size=5).map(" ".join)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(texts=st.lists(article_text, min_size=2, max_size=4), budget=st.integers(10, 80))
def test_property_citations_are_verbatim(nlp, texts, budget):
    """Every summary sentence and every matched sentence is a verbatim span of its article."""
    articles = [Article(id=f"p{i}", text=t) for i, t in enumerate(texts)]
    by_id = {a.id: a for a in articles}
    for s in newsdesk.summarize(articles, Options(words=budget), nlp=nlp):
        assert s.text in by_id[s.sources[0]].text
        assert len(s.matched) == len(s.sources) - 1
        for aid, m in zip(s.sources[1:], s.matched):
            assert m.article_id == aid and by_id[aid].text[m.start:m.end] == m.text


def test_store_keeps_embeddings_and_rebriefing_reuses_them(tmp_path, nlp):
    from newsdesk import Store
    from newsdesk.briefing import embed

    a, b = PARAPHRASES[1]
    arts = [Article(id="s1", text=a + " The opposition called for an early election.", source="One"),
            Article(id="s2", text=b + " Markets barely moved on the news.", source="Two")]
    with Store(tmp_path / "d.sqlite") as store:
        store.add(arts)
        store.refresh(nlp=nlp)
        stored = store._db.execute("SELECT count(*) FROM embeddings").fetchone()[0]
        assert stored >= 2
        summary = store.brief(store.stories()[0].id).summary
        assert any(s.matched for s in summary)  # the citation's matched sentence is stored with the brief
        fresh = embed.Embedder()
        old, embed._DEFAULT = embed._DEFAULT, fresh
        try:
            store._db.execute("UPDATE stories SET dirty = 1")
            store.refresh(nlp=nlp)
        finally:
            embed._DEFAULT = old
        assert fresh.embedded == 0  # every vector the re-brief needed came from the store


def test_the_floor_changes_no_decision_and_embeds_less(nlp):
    """A pair that cannot reach the threshold at any cosine is not embedded; no decision changes."""
    from newsdesk.briefing import embed

    texts = [t for pair in CONTRADICTIONS + ADDED_FACT + PARAPHRASES for t in pair]
    parsed = nlp.parse_many([Article(id=f"f{i}", text=t) for i, t in enumerate(texts)], deep=False)
    sents = [pa.sentences[0] for pa in parsed]
    pairs = [(a, b) for i, a in enumerate(sents) for b in sents[i + 1:]]
    counts = []
    results = []
    for floor in (0.0, MODEL.threshold):
        fresh = embed.Embedder()
        index = StoryIndex(parsed, embedder=fresh)
        results.append(index.scores(pairs, floor=floor))
        counts.append(fresh.embedded)
    full, floored = results
    assert [s >= MODEL.threshold for s in full] == [s >= MODEL.threshold for s in floored]
    # int8 activations are scaled per batch, so a vector depends a little on its batch: the same score to 0.02
    assert all(g == 0.0 or abs(g - f) < 0.02 for f, g in zip(full, floored))
    assert any(s >= MODEL.threshold for s in full)  # some pairs do match
    assert counts[1] < counts[0]


def test_the_embedding_model_is_quantized_int8():
    from newsdesk.briefing import embed

    model = embed._load()
    if not embed.QUANTIZE:
        pytest.skip("quantization switched off")
    kinds = {type(m).__module__ for m in model.modules()}
    assert any("quantized" in k for k in kinds)
    vecs = embed.Embedder().embed(["The storm killed 40 people.", "Forty people died in the storm."])
    for v in vecs.values():
        assert abs(float(v @ v) - 1.0) < 1e-4  # unit length, as the matcher's cosine assumes
