"""``same_content_model = False`` (``--no-embed``): the matcher decides on lexical and key-fact evidence
only, with its own model and threshold, and never loads the embedding model.

Every sentence here was written for this test (no demo corpus, no shared data)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

import newsdesk
from newsdesk import Article, Options
from newsdesk.briefing import embed, matcher
from newsdesk.cli import app, state
from newsdesk.store import options_key

PARAPHRASE = ("The storm killed 40 people in the coastal province of Varnesse on Tuesday, officials said.",
              "Officials said the storm killed 40 people in the coastal province of Varnesse on Tuesday.")
CONTRADICTION = ("The storm killed 40 people in the coastal province of Varnesse on Tuesday, officials said.",
                 "The storm killed 4 people in the coastal province of Varnesse on Tuesday, officials said.")


@pytest.fixture
def no_model(monkeypatch):
    """Any sentence embedding fails the test."""
    def refuse(self, texts):  # type: ignore[no-untyped-def]
        raise AssertionError(f"embedded {len(texts)} sentences without the same-content model")
    monkeypatch.setattr(embed.Embedder, "_encode", refuse)


def test_the_lexical_model_reads_no_embedding():
    assert matcher.MODEL.embeds and not matcher.LEXICAL_MODEL.embeds
    assert matcher.LEXICAL_MODEL.coefficients[matcher.FEATURES.index("cosine")] == 0.0
    assert 0.5 < matcher.LEXICAL_MODEL.threshold < 1.0  # fitted for precision first, not a default


def test_judging_picks_the_model_for_the_option():
    with matcher.judging(False):
        assert matcher._ACTIVE[-1] is matcher.LEXICAL_MODEL
    with matcher.judging(True):
        assert matcher._ACTIVE[-1] is matcher.MODEL
    assert matcher._ACTIVE[-1] is matcher.MODEL


def test_a_brief_without_the_model_cites_and_embeds_nothing(nlp, no_model):
    a, b = PARAPHRASE
    arts = [Article(id="x", text=a + " Rescue teams were still searching the flooded villages."),
            Article(id="y", text="Heavy rain fell for a third day in the region. " + b)]
    (brief,) = newsdesk.brief(arts, Options(words=25, same_content_model=False), nlp=nlp)
    cited = [s for s in brief.summary if set(s.sources) == {"x", "y"}]
    assert cited and all("40 people" in s.matched[0].text for s in cited)


def test_without_the_model_a_contradiction_is_still_vetoed(nlp, no_model):
    a, b = CONTRADICTION
    arts = [Article(id="x", text=a), Article(id="y", text=b)]
    for s in newsdesk.summarize(arts, Options(words=40, same_content_model=False), nlp=nlp):
        assert len(s.sources) == 1


def test_the_option_is_read_from_config_and_flag(tmp_path):
    cfg = tmp_path / "newsdesk.toml"
    cfg.write_text("[newsdesk]\nsame_content_model = false\n", encoding="utf-8")
    assert Options.from_toml(cfg).same_content_model is False
    art = tmp_path / "a.txt"
    art.write_text("Harbour strike\n\n" + PARAPHRASE[0] + "\n", encoding="utf-8")
    runner = CliRunner()
    for args in (["--config", str(cfg)], ["--no-embed"]):
        r = runner.invoke(app, [*args, "extract", str(art)])
        assert r.exit_code == 0, r.output
        assert state.options.same_content_model is False
    r = runner.invoke(app, ["extract", str(art)])
    assert r.exit_code == 0 and state.options.same_content_model is True


def test_the_option_changes_the_brief_key():
    assert options_key(Options(same_content_model=False)) != options_key(Options())


def test_a_brief_without_the_model_never_imports_torch(tmp_path):
    """Neither the matcher nor spaCy (thinc imports torch when it can) loads torch for a --no-embed brief."""
    import subprocess
    import sys

    art = tmp_path / "a.txt"
    art.write_text("Harbour strike\n\n" + PARAPHRASE[0] + " " + PARAPHRASE[1] + "\n", encoding="utf-8")
    code = ("import sys, newsdesk; "
            f"newsdesk.brief(newsdesk.read([{str(art)!r}]), newsdesk.Options(same_content_model=False)); "
            "print(sorted(m for m in ('torch', 'sentence_transformers') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip().splitlines()[-1] == "[]"
