"""The audit trail is append-only and hash-chained; `verify` names the first broken entry."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from archive_app import audit


def _entries(archive, n: int) -> None:
    with archive.db.transaction() as s:
        for i in range(n):
            audit.append(s, actor="tester", action="test.event", object_id=i, detail={"n": i, "文": "审"})


def test_a_clean_chain_verifies(archive) -> None:
    _entries(archive, 5)
    with archive.db.session() as s:
        report = audit.verify(s)
    assert report.ok and report.entries == 5


@pytest.mark.parametrize("statement", ["UPDATE audit_entries SET actor = 'mallory' WHERE id = 2",
                                       "DELETE FROM audit_entries WHERE id = 2"])
def test_the_database_refuses_updates_and_deletes(archive, statement) -> None:
    _entries(archive, 3)
    with pytest.raises(DatabaseError), archive.db.transaction() as s:
        s.execute(text(statement))


def _disable_triggers(s) -> None:
    if s.bind.dialect.name == "postgresql":
        s.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
    else:
        s.execute(text("DROP TRIGGER audit_entries_no_update"))
        s.execute(text("DROP TRIGGER audit_entries_no_delete"))


def test_an_edited_entry_is_named_by_verify(archive) -> None:
    _entries(archive, 5)
    with archive.db.transaction() as s:  # an attacker with direct database access
        _disable_triggers(s)
        s.execute(text("UPDATE audit_entries SET detail = :d WHERE id = 3"), {"d": '{"n":99}'})
    with archive.db.session() as s:
        report = audit.verify(s)
    assert (report.ok, report.first_broken_id, report.entries) == (False, 3, 2)


def test_a_deleted_entry_is_named_by_verify(archive) -> None:
    _entries(archive, 5)
    with archive.db.transaction() as s:
        _disable_triggers(s)
        s.execute(text("DELETE FROM audit_entries WHERE id = 2"))
    with archive.db.session() as s:
        report = audit.verify(s)
    assert report.first_broken_id == 3
