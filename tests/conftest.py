"""Shared fixtures: the shared data folder (skipped when absent), the demo corpus, one NLP per session."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import newsdesk
from newsdesk.cli import demo_corpus_path
from newsdesk.nlp import NLP


def shared_dir() -> Path:
    env = os.environ.get("NEWSDESK_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2] / "shared"


def need_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test with the reason."""
    p = shared_dir().joinpath(*parts)
    if not p.exists():
        pytest.skip(f"shared data not found at {p} (set NEWSDESK_SHARED to the shared folder)")
    return p


@pytest.fixture(scope="session")
def nlp() -> NLP:
    return NLP()


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return demo_corpus_path()


@pytest.fixture(scope="session")
def answers(demo_dir: Path) -> dict:
    return json.loads((demo_dir.parent / "answers.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def demo_articles(demo_dir: Path) -> list[newsdesk.Article]:
    return newsdesk.read([str(demo_dir)])


@pytest.fixture(scope="session")
def demo_briefs(demo_articles, nlp) -> list[newsdesk.Brief]:
    return newsdesk.brief(demo_articles, nlp=nlp)


@pytest.fixture(scope="session")
def seed_articles() -> list[newsdesk.Article]:
    return newsdesk.read([str(need_shared("seeds"))])


@pytest.fixture(scope="session")
def seed_briefs(seed_articles, nlp) -> list[newsdesk.Brief]:
    return newsdesk.brief(seed_articles, nlp=nlp)
