"""The README documents every command and every setting the code reads."""

from __future__ import annotations

import re
from pathlib import Path

import click

from archive_app.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _commands(group: click.Group, prefix: str = "") -> list[str]:
    out = []
    for name, cmd in group.commands.items():
        full = f"{prefix}{name}"
        out.extend(_commands(cmd, full + " ") if isinstance(cmd, click.Group) else [full])
    return out


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    missing = [c for c in _commands(main) if f"`{c}" not in readme and f"· {c}" not in readme]
    assert missing == []


def test_every_environment_setting_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text()
    code = "\n".join(p.read_text() for p in (ROOT / "archive_app").rglob("*.py"))
    names = set(re.findall(r'"(ARCHIVE_[A-Z_]+)"', code)) - {"ARCHIVE_BOMB"}  # an error code, not a setting
    assert names and sorted(n for n in names if n not in readme) == []
