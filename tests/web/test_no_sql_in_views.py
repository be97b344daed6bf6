"""Views call services (issue 13 item 1): no SQL and no transaction inside archive_app/web/ and
archive_app/api/. A view that builds a `select(`, opens `.transaction(`, or works a session directly
(`.execute(`, `.query(`, `.scalar(s)(`, `.merge(`, `.rollback(`, `.commit(`, `.flush(`) or imports
SQLAlchemy fails here; the query belongs in the service of the module that owns the resource, and
the write in a service that takes `(archive, actor, …)`, owns its transaction and writes its audit
entries.
"""

from __future__ import annotations

import ast
from pathlib import Path

import archive_app

PACKAGE = Path(archive_app.__file__).parent
VIEW_DIRS = ("web", "api")

# Views still being converted (none left this session: ocr_pages, documents, cases and registers
# are done). Each file is removed from this set when it is converted; the set only shrinks, and `test_the_exemptions_are_still_needed` fails as
# soon as an exempt file passes, so a converted file cannot stay exempt.
EXEMPT: set[str] = set()  # every view is converted

SESSION_CALLS = {"execute", "query", "scalar", "scalars", "merge", "rollback", "commit", "flush"}


def sql_in(source: str) -> list[str]:
    """Each SQL construction, transaction or direct session call in `source`, as 'line: what'."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
            found += [f"{node.lineno}: import {n}" for n in names if n.split(".")[0] == "sqlalchemy"]
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""
        if name == "select":
            found.append(f"{node.lineno}: select(")
        elif name == "transaction" and isinstance(func, ast.Attribute):
            found.append(f"{node.lineno}: .transaction(")
        elif name in SESSION_CALLS and isinstance(func, ast.Attribute):
            receiver = func.value
            is_super = (isinstance(receiver, ast.Call) and isinstance(receiver.func, ast.Name)
                        and receiver.func.id == "super")  # werkzeug's request handler, not a session
            if not is_super:
                found.append(f"{node.lineno}: .{name}(")
    return found


def _views() -> list[Path]:
    return sorted(p for d in VIEW_DIRS for p in (PACKAGE / d).rglob("*.py"))


def _name(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def test_views_contain_no_sql_and_no_transactions() -> None:
    views = _views()
    assert len(views) >= 20  # the scan really reads the view modules
    problems = {_name(p): sql_in(p.read_text(encoding="utf-8")) for p in views if _name(p) not in EXEMPT}
    problems = {k: v for k, v in problems.items() if v}
    assert not problems, f"views must call services, not run SQL or transactions: {problems}"


def test_the_exemptions_are_still_needed() -> None:
    """An exempt file that no longer has SQL must leave EXEMPT, so it stays clean from then on."""
    names = {_name(p) for p in _views()}
    converted = sorted(n for n in EXEMPT if n in names and not sql_in((PACKAGE / n).read_text(encoding="utf-8")))
    assert not converted, f"remove from EXEMPT in tests/web/test_no_sql_in_views.py (now clean): {converted}"


def test_the_scan_finds_each_kind_of_sql() -> None:
    source = (
        "from sqlalchemy import select\n"
        "def view():\n"
        "    g.db.scalars(select(User)).all()\n"
        "    with get_archive().db.transaction() as s:\n"
        "        s.execute(text('x'))\n"
        "    g.db.rollback()\n"
        "    s.merge(current_user)\n"
        "    g.db.query(Record).all()\n"
        "    super().execute()\n"
    )
    found = sql_in(source)
    assert {f.split(": ", 1)[1] for f in found} == {"import sqlalchemy", "select(", ".scalars(", ".transaction(",
                                                    ".execute(", ".rollback(", ".merge(", ".query("}
    assert not any(f.startswith("9:") for f in found)  # super().execute() is not a session
    assert sql_in("def view():\n    return services.listing(g.db, user)\n") == []
