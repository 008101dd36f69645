from newsdesk import Article, Options
from newsdesk.nlp import NLP, load_pipeline

TEXT = ("The river rose two metres overnight in Lormont. ``We have never seen this,'' the mayor said.\n\n"
        "Rescue teams reached the village of Ostra on Tuesday. Officials said 40 homes were flooded.")


def test_sentences_are_spans_of_the_text(nlp):
    a = Article(id="a", text=TEXT)
    for deep in (False, True):
        pa = nlp.parse(a, deep=deep)
        assert len(pa.sentences) == 4
        for ps in pa.sentences:
            s = ps.sentence
            assert TEXT[s.start:s.end] == s.text
            assert "\n" not in s.text  # never crosses a paragraph
        assert [ps.sentence.index for ps in pa.sentences] == [0, 1, 2, 3]


def test_quote_fragments_are_merged(nlp):
    pa = nlp.parse(Article(id="q", text="``It is over,'' he said. ``We go home now.''"), deep=False)
    assert all(any(ch.isalnum() for ch in ps.sentence.text) for ps in pa.sentences)


def test_deep_parse_has_entities_and_cache(nlp):
    a = Article(id="e", text="Maria Lopez met officials of the Ostra Port Authority in Lormont on Friday.")
    pa = nlp.parse(a)
    labels = {e.label for ps in pa.sentences for e in ps.entities}
    assert "PERSON" in labels
    assert nlp.parse(a) is pa  # cached
    assert nlp.parse(a, deep=False).sentences == pa.sentences  # a deep parse serves shallow requests


def test_pipeline_falls_back_to_the_shipped_model():
    nlp = load_pipeline("no_such_pipeline_xyz", Options().spacy_fallback)
    assert "tok2vec" in nlp.pipe_names


def test_missing_model_is_a_clear_error():
    import pytest

    from newsdesk import ModelError
    with pytest.raises(ModelError, match="pip install"):
        load_pipeline("no_such_pipeline_xyz", "also_missing_xyz")


def test_empty_article(nlp):
    assert NLP().parse(Article(id="z", text="")).sentences == ()


def test_dateline_is_not_part_of_the_first_sentence(nlp):
    text = ("LORMONT, Estmark (Coastal Wire) – The river burst its banks on Monday. It rose all night.\n\n"
            "U.S. - Estmark trade talks resumed on Tuesday in the capital.")
    pa = nlp.parse(Article(id="d", text=text), deep=False)
    first = pa.sentences[0].sentence
    assert first.text == "The river burst its banks on Monday."
    assert text[first.start:first.end] == first.text
    assert "lormont" not in {t.lower for t in pa.sentences[0].tokens}
    assert pa.sentences[2].sentence.text.startswith("U.S. - Estmark")  # not a dateline


def test_dateline_with_day_month(nlp):
    text = "AMUND, 15 May (KNA) – Artillery hit the central market of Halvesh on Monday evening."
    pa = nlp.parse(Article(id="dm", text=text), deep=False)
    assert pa.sentences[0].sentence.text.startswith("Artillery hit")


def test_doc_text_is_the_docs_text_read_once(nlp):
    from newsdesk.models import Article
    from newsdesk.nlp import doc_text

    a = Article(id="dt", text="First paragraph here. It has two sentences.\n\nA second one, “quoted.”  \n")
    pa = nlp.parse(a)
    for off, doc in pa.docs:
        assert doc_text(doc) == doc.text == a.text[off:off + len(doc.text)]
        assert doc_text(doc) is doc_text(doc)  # kept on the doc, not joined again


def test_free_memory_is_returned_only_above_min_free(monkeypatch):
    import newsdesk.nlp as nlp_mod

    class Info:
        fordblks = 50 << 20

    calls = []
    monkeypatch.setattr(nlp_mod, "_TRIM", lambda pad: calls.append(pad))
    monkeypatch.setattr(nlp_mod, "_FREE", lambda: Info())
    nlp_mod.release_free_memory(96 << 20)
    assert calls == []  # 50 MiB free: kept for the next batch
    nlp_mod.release_free_memory(32 << 20)
    nlp_mod.release_free_memory()
    assert calls == [0, 0]


def test_token_rows_are_the_tokens_fields_read_one_by_one(nlp):
    from newsdesk.nlp import STOPWORDS, _token_rows, stem

    a = Article(id="w", text="The Mayor said “Yes” twice, and the mayors of 12 towns said 'no' on Friday in Paris.")
    for off, doc in nlp.parse(a).docs:
        for _ in range(2):  # the second time from the word cache
            rows, bounds = _token_rows(doc, off)
            assert bounds == [(t.idx, t.idx + len(t.text)) for t in doc]
            for t, row in zip(doc, rows):
                if t.is_space or t.text in ("“", "”", "'", '"'):
                    assert row is None
                    continue
                assert row == (t.text, t.lower_, (t.lemma_ or t.lower_).lower(), stem(t.lower_) if t.is_alpha
                               else t.lower_, t.pos_, t.is_stop or t.lower_ in STOPWORDS, t.is_alpha, t.like_num,
                               t.ent_type_, off + t.idx)


# Text lower-cased with sentence capitals (as Multi-News+ source documents are): invented sentences.
LOWER = ("Tel varda — a ferry carrying 40 passengers ran aground off the coast of ostra on tuesday, the port "
         "authority said. The ferry had left the harbour of lormont in heavy fog and was towed back by two tugs "
         "after a few hours. ( associated press ) ( photo: jane smith, wire ) a crew member of the ferry waits on "
         "the quay in lormont. Passengers said the crossing had been calm until the fog came in over the water.")


def test_lower_cased_dateline_and_credits_are_left_out(nlp):
    for deep in (False, True):
        pa = nlp.parse(Article(id="lc", text=LOWER), deep=deep)
        texts = [ps.sentence.text for ps in pa.sentences]
        assert texts[0].startswith("a ferry carrying 40 passengers")
        assert not any(t.startswith("( associated press )") for t in texts)  # a credit alone is not a sentence
        assert any(t.startswith("a crew member of the ferry") for t in texts)  # the photo credit left out
        for ps in pa.sentences:
            assert LOWER[ps.sentence.start:ps.sentence.end] == ps.sentence.text


def test_lower_case_dateline_only_in_lower_cased_text(nlp):
    text = ("Tel varda — A ferry carrying 40 passengers ran aground off the coast of Ostra on Tuesday, the Port "
            "Authority of Lormont said. Maria Lopez, its director, said the crew of the Ostra Star was safe.")
    pa = nlp.parse(Article(id="cased", text=text), deep=False)
    assert pa.sentences[0].sentence.text.startswith("Tel varda —")  # cased text: no capitals, no dateline


def test_no_sentence_end_after_a_lower_case_abbreviation(nlp):
    text = ("Personal details of two republican sens. lindsey marsh and orrin vale were posted on a public page "
            "on thursday, the senate police said. The page was taken down after an hour and the u.s. attorney "
            "for the district opened an inquiry into the leak. Nobody has been charged so far in the case.")
    for deep in (False, True):
        texts = [ps.sentence.text for ps in nlp.parse(Article(id="ab", text=text), deep=deep).sentences]
        assert texts[0].startswith("Personal details") and texts[0].endswith("the senate police said.")
        assert len(texts) == 3
