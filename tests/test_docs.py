"""The docs say what exists: every option is documented, README commands are the ones CI runs."""

from dataclasses import fields
from pathlib import Path

from newsdesk import Options

ROOT = Path(__file__).resolve().parents[1]


def test_every_option_is_documented_with_its_default():
    doc = (ROOT / "docs" / "options.md").read_text()
    for f in fields(Options):
        assert f"`{f.name}`" in doc, f.name
        default = getattr(Options(), f.name)
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        row = next(line for line in doc.splitlines() if line.startswith(f"| `{f.name}`"))
        assert shown in row, (f.name, shown, row)


def test_readme_test_command_is_what_ci_runs():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    test_cmd = ".venv/bin/python -m pytest"
    assert test_cmd in readme
    assert test_cmd in ci


def test_readme_lists_every_command():
    from typer.main import get_command

    from newsdesk.cli import app
    readme = (ROOT / "README.md").read_text()
    for name in get_command(app).commands:  # type: ignore[attr-defined]
        assert f"newsdesk {name}" in readme, name
