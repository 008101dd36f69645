"""The one union-find (disjoint sets) of newsdesk: copies in dedup, name variants in entities,
rival values in figures.

Written here rather than taken from a library: the structure is ten lines, and the
libraries that have one (networkx, scipy's ``DisjointSet``) either weigh far more or
choose the root themselves, while callers here need a deterministic root (the first
argument of :meth:`UnionFind.union`), so results do not depend on input order.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

__all__ = ["UnionFind"]

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Disjoint sets over hashable items; an item is its own set until joined."""

    def __init__(self, items: Iterable[T] = ()) -> None:
        self.parent: dict[T, T] = {x: x for x in items}

    def find(self, x: T) -> T:
        """The root of ``x``'s set (path halving)."""
        parent = self.parent
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, a: T, b: T) -> T:
        """Join the sets of ``a`` and ``b``; the root of ``a``'s set stays the root. Returns it."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[rb] = ra
        return ra

    def groups(self) -> dict[T, list[T]]:
        """Root -> members, members in the order they were first seen."""
        out: dict[T, list[T]] = {}
        for x in list(self.parent):
            out.setdefault(self.find(x), []).append(x)
        return out
