"""newsdesk: many reports of the same events in, one sourced account of each story out.

The public façade.  Typical use::

    import newsdesk
    articles = newsdesk.read(["corpus/"])
    for b in newsdesk.brief(articles):
        print(b.headline)
        for s in b.summary:
            print(" -", s.text, s.sources)
"""

from __future__ import annotations

from .api import brief, brief_story, cluster, dedupe, read, summarize, timeline
from .cluster import Clusterer
from .errors import (
    InputError,
    MissingExtraError,
    ModelError,
    NewsdeskError,
    OptionsError,
    StoreError,
    StoryError,
)
from .models import (
    Article,
    Brief,
    Conflict,
    ConflictValue,
    Entity,
    Figure,
    OutletView,
    Quote,
    Sentence,
    Story,
    SummarySentence,
    TimelineEvent,
)
from .nlp import NLP
from .options import DEFAULT_OPTIONS, Options
from .report import to_html, to_json, to_markdown
from .store import Store

__version__ = "0.1.0"

__all__ = [
    "__version__",
    # functions
    "read", "dedupe", "cluster", "summarize", "timeline", "brief", "brief_story", "Clusterer",
    "to_json", "to_markdown", "to_html",
    # objects
    "Article", "Sentence", "SummarySentence", "Story", "Brief", "Entity", "Figure", "Conflict",
    "ConflictValue", "TimelineEvent", "Quote", "OutletView", "Options", "DEFAULT_OPTIONS", "NLP", "Store",
    # errors
    "NewsdeskError", "InputError", "OptionsError", "ModelError",
    "MissingExtraError", "StoreError", "StoryError",
]
