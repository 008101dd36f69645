"""Helpers shared by the evaluation tasks: where the data is, and how to report."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from ..errors import NewsdeskError

__all__ = ["shared_dir", "data_dir", "DataMissingError", "or_exit"]

T = TypeVar("T")


class DataMissingError(NewsdeskError):
    """An evaluation data set is not where newsdesk looks for it."""


def shared_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The shared folder: ``explicit``, else ``$NEWSDESK_SHARED``, else ``../shared`` from the
    current directory, else the ``shared`` folder beside the newsdesk checkout."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("NEWSDESK_SHARED")
    if env:
        return Path(env)
    here = Path.cwd().parent / "shared"
    if here.is_dir():
        return here
    return Path(__file__).resolve().parents[3] / "shared"


def data_dir(name: str, explicit: str | os.PathLike[str] | None = None) -> Path:
    """``<shared>/data/<name>``, or a clear error saying where it was looked for."""
    p = shared_dir(explicit) / "data" / name
    if not p.is_dir():
        raise DataMissingError(
            f"data set {name!r} not found at {p}; pass --shared PATH or set NEWSDESK_SHARED")
    return p


def require_dataset(task: str, dataset: str, available: dict[str, str],
                    shared: str | os.PathLike[str] | None = None) -> Path:
    """The data folder of ``dataset`` for an eval command, or exit 2 with a clear message.

    ``available`` maps the accepted ``--dataset`` names to their folders under ``data/``.
    """
    import typer
    from rich.console import Console

    err = Console(stderr=True, highlight=False)
    if dataset not in available:
        err.print(f"newsdesk: unknown dataset {dataset!r} for {task} (available: {', '.join(available)})",
                  markup=False)
        raise typer.Exit(2)
    try:
        return data_dir(available[dataset], shared)
    except DataMissingError as exc:
        err.print(f"newsdesk: {exc}", markup=False)
        raise typer.Exit(2) from exc


def duc_cluster_dirs(limit: int | None = None, explicit: str | os.PathLike[str] | None = None) -> list[Path]:
    """The DUC 2004 cluster folders (``docs/<N>``) in numeric order, the first ``limit`` of them."""
    docs = data_dir("duc2004-task2", explicit) / "docs"
    return sorted((p for p in docs.iterdir() if p.is_dir()), key=lambda p: int(p.name))[:limit]


def or_exit(run: Callable[[], T], console: Any) -> T:
    """``run()``; a missing data set is a clear message on ``console`` and exit code 2."""
    import typer

    try:
        return run()
    except DataMissingError as exc:
        console.print(f"newsdesk: {exc}", markup=False)
        raise typer.Exit(2) from exc
