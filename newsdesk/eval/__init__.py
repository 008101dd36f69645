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
from typer.core import TyperGroup

from ..errors import MissingExtraError
from .common import shared_dir

__all__ = ["eval_app", "shared_dir", "require_eval_extra"]

#: the modules of the ``eval`` extra (``pip install 'newsdesk[eval]'``; the dev extra includes it)
EVAL_MODULES = ("rouge_score", "sumy")


def require_eval_extra() -> None:
    """Raise :class:`MissingExtraError` naming the ``eval`` extra when one of its modules is missing."""
    for name in EVAL_MODULES:
        try:
            importlib.import_module(name)
        except ImportError as exc:
            raise MissingExtraError(name, "eval") from exc

class _EvalGroup(TyperGroup):
    def parse_args(self, ctx: typer.Context, args: list[str]) -> list[str]:  # type: ignore[override]
        ctx.meta["newsdesk_eval_help"] = bool({"--help", "-h"} & set(args))
        return super().parse_args(ctx, args)  # type: ignore[arg-type]


eval_app = typer.Typer(
    name="eval",
    cls=_EvalGroup,
    help="Score newsdesk on the data sets in ../shared/data (or $NEWSDESK_SHARED/data).",
    no_args_is_help=True,
)



@eval_app.callback()
def _needs_the_eval_extra(ctx: typer.Context) -> None:
    """Every task scores with the eval extra's modules: a missing one is one line naming the extra (exit 2)."""
    if not ctx.meta.get("newsdesk_eval_help"):  # help needs nothing
        require_eval_extra()


for _mod in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
    if _mod.name.startswith("_") or _mod.name == "common":
        continue
    _m = importlib.import_module(f"{__name__}.{_mod.name}")
    if hasattr(_m, "register"):
        _m.register(eval_app)
