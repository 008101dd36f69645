"""Small wording helpers shared by every output (CLI, Markdown, HTML report, web pages)."""

from __future__ import annotations

__all__ = ["count"]

_IRREGULAR = {"story": "stories", "copy": "copies", "entity": "entities", "quote": "quotes", "person": "people"}


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``"1 article"``, ``"2 articles"``, ``"0 stories"``: a number with its noun in the right number."""
    if n == 1:
        return f"{n} {noun}"
    return f"{n:,} {plural or _IRREGULAR.get(noun) or noun + 's'}"
