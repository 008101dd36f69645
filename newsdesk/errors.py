"""The newsdesk exception tree.

Every error newsdesk raises on purpose is a :class:`NewsdeskError`; errors from
third-party libraries are wrapped with ``raise ... from`` so the original stays
reachable as ``__cause__``.
"""

from __future__ import annotations

__all__ = [
    "NewsdeskError",
    "InputError",
    "OptionsError",
    "ModelError",
    "MissingExtraError",
    "StoryError",
    "StoreError",
]


class NewsdeskError(Exception):
    """Base class of every error newsdesk raises."""


class InputError(NewsdeskError):
    """One input (file, record, URL) could not be read; names the input and the problem.

    ``source`` is the file name / record id, ``reason`` the problem in plain words.
    """

    def __init__(self, source: str, reason: str) -> None:
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class OptionsError(NewsdeskError, ValueError):
    """An option has an invalid value."""


class ModelError(NewsdeskError):
    """The NLP model could not be loaded."""


class MissingExtraError(NewsdeskError, ImportError):
    """An optional dependency is not installed; the message names the extra to install."""

    def __init__(self, module: str, extra: str) -> None:
        self.module = module
        self.extra = extra
        super().__init__(
            f"this feature needs the optional module {module!r}: "
            f"install it with  pip install 'newsdesk[{extra}]'"
        )


class StoryError(NewsdeskError):
    """One story's brief could not be computed; the run goes on without it.

    ``source`` names the story and its articles, ``reason`` the problem; ``story_id`` is the story's id.
    """

    def __init__(self, story_id: str, article_ids: tuple[str, ...] | list[str], reason: str) -> None:
        shown = ", ".join(list(article_ids)[:3]) + (", …" if len(article_ids) > 3 else "")
        self.story_id = story_id
        self.source = f"story {story_id} ({shown})"
        self.reason = reason
        super().__init__(f"{self.source}: {reason}")


class StoreError(NewsdeskError):
    """The store (SQLite file) cannot be opened, migrated, read or written; names the file.

    ``path`` is the store's file, ``reason`` the problem in plain words.
    """

    def __init__(self, path: str, reason: str = "") -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}" if reason else str(path))
