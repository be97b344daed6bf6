"""Every ARCHIVE_* environment variable is read in core/config.py and nowhere else (issue 13), so
one file lists every setting the app obeys and the README's table can be checked against it."""

from __future__ import annotations

import ast
from pathlib import Path

import archive_app
from archive_app.core import config

PACKAGE = Path(archive_app.__file__).parent


def _environment_reads(path: Path) -> list[tuple[str, int]]:
    """(variable, line) for each os.environ.get / os.getenv / os.environ[...] / `in os.environ`
    naming an ARCHIVE_* variable."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        key = None
        if isinstance(node, ast.Call) and ast.unparse(node.func) in ("os.environ.get", "os.getenv") and node.args:
            key = node.args[0]
        elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
            key = node.slice
        elif isinstance(node, ast.Compare) and any(ast.unparse(c) == "os.environ" for c in node.comparators):
            key = node.left
        if isinstance(key, ast.Constant) and isinstance(key.value, str) and key.value.startswith("ARCHIVE_"):
            found.append((key.value, node.lineno))
    return found


def test_the_scan_finds_the_settings_in_config() -> None:
    names = {name for name, _ in _environment_reads(Path(config.__file__))}
    assert {"ARCHIVE_DATABASE_URL", "ARCHIVE_SOFFICE", "ARCHIVE_LOOKUP_MAX_DAYS", "ARCHIVE_TEMPLATES_DIR"} <= names


def test_no_setting_is_read_outside_config() -> None:
    outside = {f"{path.relative_to(PACKAGE)}:{line} {name}"
               for path in PACKAGE.rglob("*.py") if path != Path(config.__file__)
               for name, line in _environment_reads(path)}
    assert outside == set()
