"""One error path for the command line (issue 13 item 5): every command, nested or not, turns an
ArchiveError into `错误（CODE）：message` on standard error and exit status 1 — handled once, by the
`archive-app` group, not by a try/except in each command."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from click.testing import CliRunner

from archive_app import cli
from archive_app.cli import main


@pytest.mark.parametrize(("args", "code", "words"), [
    (("token", "create", "nobody"), "NOT_FOUND", "nobody"),
    (("user", "disable", "nobody"), "NOT_FOUND", "nobody"),
    (("unit", "add", "XXX", "K1", "--name", "某科"), "VALIDATION", "XXX"),
    (("workdays", "deadline", "2026-13-40", "5"), "VALIDATION", "起算日期格式应为 YYYY-MM-DD"),
    (("matter", "add", "M1", "--name", "某事项", "--department", "NOPE", "--approving", "SPJ"), "VALIDATION", "NOPE"),
    (("generate", "no-such-template", "--data", __file__, "--agency", "SPJ"), None, None),
])
def test_errors_of_every_command_leave_by_one_path(env, archive, org, args, code, words) -> None:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("错误（"), result.stderr
    if code:
        assert result.stderr.startswith(f"错误（{code}）："), result.stderr
        assert words in result.stderr
    assert "Traceback" not in result.output


def test_no_command_catches_archive_errors_itself() -> None:
    tree = ast.parse(Path(cli.__file__).read_text())
    handlers = [n for n in ast.walk(tree) if isinstance(n, ast.ExceptHandler)
                and "ArchiveError" in ast.unparse(n.type or ast.Constant(None))]
    assert [h.lineno for h in handlers] == [next(n.lineno for n in ast.walk(tree) if isinstance(n, ast.ClassDef)
                                                 and n.name == "_Main") + 7]


def test_every_command_the_readme_names_is_registered() -> None:
    """Merges dropped whole command groups twice (`ocr`, `cases`); the README's list is the contract."""
    readme = (Path(cli.__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    expected = {"init", "demo-data", "serve", "user", "token", "agency", "unit", "matter", "import", "reindex",
                "indexer", "fixity", "audit", "workdays", "generate", "report", "cases", "ocr"}
    assert all(f"`{name}" in readme or f"archive-app {name}" in readme for name in expected)
    assert expected <= set(main.commands), sorted(expected - set(main.commands))
