"""``newsdesk eval TASK``: newsdesk scored on the real data sets in ``../shared/data``.

Each task lives in its own module of this package and exposes ``register(app)``,
which adds its command to the ``eval`` Typer app; modules are discovered
automatically, so adding a task is adding a file.  Heavy imports stay inside the
command functions so that ``newsdesk --help`` stays fast.
"""

from __future__ import annotations

import importlib
import pkgutil

import typer

from .common import shared_dir

__all__ = ["eval_app", "shared_dir"]

eval_app = typer.Typer(
    name="eval",
    help="Score newsdesk on the data sets in ../shared/data (or $NEWSDESK_SHARED/data).",
    no_args_is_help=True,
)

for _mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _mod.name.startswith("_") or _mod.name == "common":
        continue
    _m = importlib.import_module(f"{__name__}.{_mod.name}")
    if hasattr(_m, "register"):
        _m.register(eval_app)
