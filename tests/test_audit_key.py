"""Keyed audit chain and checkpoints (issue 11 item 16): someone who can write the database but
has not the key (a file outside it) can neither recompute the chain after an edit nor cut its end
unnoticed once an operator keeps a checkpoint."""

from __future__ import annotations

import json
import os
import stat

import pytest
from click.testing import CliRunner
from sqlalchemy import select, text

from archive_app import audit
from archive_app.cli import main
from archive_app.core.context import Archive
from archive_app.core.db import Database
from archive_app.models import AuditEntry


@pytest.fixture(autouse=True)
def _triggers_back(archive):
    """PostgreSQL keeps one schema for the run: put the append-only triggers back after a test."""
    yield
    if archive.db.url.startswith("postgresql"):
        with archive.db.transaction() as s:
            s.execute(text("ALTER TABLE audit_entries ENABLE TRIGGER USER"))


def _entries(archive, n: int, actor: str = "tester") -> None:
    with archive.db.transaction() as s:
        for i in range(n):
            audit.append(s, actor=actor, action="test.event", object_id=i, detail={"n": i})


def _disable_triggers(s) -> None:
    if s.bind.dialect.name == "postgresql":
        s.execute(text("ALTER TABLE audit_entries DISABLE TRIGGER USER"))
    else:
        s.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_update"))
        s.execute(text("DROP TRIGGER IF EXISTS audit_entries_no_delete"))


def _rehash_plain(s, from_id: int) -> None:
    """What an attacker without the key can do: recompute SHA-256 hashes from an entry on."""
    rows = s.scalars(select(AuditEntry).order_by(AuditEntry.id)).all()
    prev = audit.GENESIS
    for e in rows:
        if e.id >= from_id:
            new = audit.entry_hash(prev, e.at, e.actor, e.agency_code, e.action, e.object_type, e.object_id,
                                   e.detail)
            s.execute(text("UPDATE audit_entries SET prev_hash = :p, hash = :h WHERE id = :i"),
                      {"p": "tmp" + str(e.id), "h": "tmp-h" + str(e.id), "i": e.id})
            s.flush()
            s.execute(text("UPDATE audit_entries SET prev_hash = :p, hash = :h WHERE id = :i"),
                      {"p": prev, "h": new, "i": e.id})
            prev = new
        else:
            prev = e.hash


def test_the_key_lives_in_a_private_file_outside_the_database(archive) -> None:
    path = archive.settings.audit_key_file
    assert path.exists() and stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert len(bytes.fromhex(path.read_text().strip())) == 32
    _entries(archive, 1)
    with archive.db.session() as s:
        e = s.scalar(select(AuditEntry))
        plain = audit.entry_hash(e.prev_hash, e.at, e.actor, e.agency_code, e.action, e.object_type, e.object_id,
                                 e.detail)
        assert e.hash != plain  # keyed: the plain SHA-256 is not what is stored
        assert audit.verify(s).keyed_from == e.id


def test_an_edit_recomputed_without_the_key_is_found(archive) -> None:
    _entries(archive, 5)
    with archive.db.transaction() as s:
        _disable_triggers(s)
        s.execute(text("UPDATE audit_entries SET detail = :d WHERE id = 3"), {"d": '{"n":99}'})
        _rehash_plain(s, 3)
    with archive.db.session() as s:
        report = audit.verify(s)
    assert (report.ok, report.first_broken_id) == (False, 3) and "密钥" in report.problem


def test_a_wrong_key_does_not_verify(archive, overrides) -> None:
    _entries(archive, 2)
    other = Database(overrides["database_url"], audit_key=b"k" * 32)
    try:
        with other.session() as s:
            assert audit.verify(s).first_broken_id == 1
    finally:
        other.dispose()


def test_an_install_that_began_without_a_key_keeps_verifying(archive, overrides) -> None:
    legacy = Database(overrides["database_url"], audit_key=None)  # entries written before the upgrade
    try:
        with legacy.transaction() as s:
            for i in range(3):
                audit.append(s, actor="old", action="test.event", object_id=i)
    finally:
        legacy.dispose()
    _entries(archive, 2, actor="new")  # the same database with the key: keyed from entry 4
    with archive.db.session() as s:
        report = audit.verify(s)
    assert report.ok and report.entries == 5 and report.keyed_from == 4


def test_once_keyed_a_plain_entry_is_refused(archive, overrides) -> None:
    _entries(archive, 2)
    legacy = Database(overrides["database_url"], audit_key=None)  # a writer without the key
    try:
        with legacy.transaction() as s:
            audit.append(s, actor="mallory", action="test.event")
    finally:
        legacy.dispose()
    with archive.db.session() as s:
        assert audit.verify(s).first_broken_id == 3


def test_a_checkpoint_finds_truncation_and_whole_chain_recomputation(archive) -> None:
    _entries(archive, 4)
    with archive.db.session() as s:
        point = audit.checkpoint(s)
    assert point["entries"] == 4 and point["head_id"] == 4 and len(point["mac"]) == 64
    _entries(archive, 2)
    with archive.db.session() as s:
        assert audit.verify_checkpoint(s, point) is None  # growth after the checkpoint is fine
    with archive.db.transaction() as s:  # cut the end: the plain chain check alone still passes
        _disable_triggers(s)
        s.execute(text("DELETE FROM audit_entries WHERE id >= 4"))
    with archive.db.session() as s:
        assert audit.verify(s).ok
        assert "截断" in audit.verify_checkpoint(s, point)


def test_recomputing_everything_without_the_key_is_found_by_the_checkpoint(archive) -> None:
    _entries(archive, 3)
    with archive.db.session() as s:
        point = audit.checkpoint(s)
    with archive.db.transaction() as s:
        _disable_triggers(s)
        s.execute(text("UPDATE audit_entries SET actor = 'mallory' WHERE id = 1"))
        _rehash_plain(s, 1)
    with archive.db.session() as s:
        assert audit.verify(s).ok  # a plain chain from the start looks like an old install …
        assert "重新计算" in audit.verify_checkpoint(s, point)  # … but the checkpoint's head changed


def test_a_forged_checkpoint_file_is_noticed(archive) -> None:
    _entries(archive, 2)
    with archive.db.session() as s:
        point = audit.checkpoint(s)
        forged = {**point, "entries": 1}
        assert "检查点文件本身被改动" in audit.verify_checkpoint(s, forged)


def test_cli_checkpoint_and_verify(env, archive, tmp_path) -> None:
    _entries(archive, 3)
    runner = CliRunner()
    file = tmp_path / "elsewhere" / "checkpoint.json"
    file.parent.mkdir()
    made = runner.invoke(main, ["audit", "checkpoint", "-o", str(file)])
    assert made.exit_code == 0, made.output
    assert json.loads(file.read_text())["entries"] == 3
    ok = runner.invoke(main, ["audit", "verify", "--checkpoint", str(file)])
    assert ok.exit_code == 0 and "与检查点相符" in ok.output and "使用审计密钥" in ok.output
    with archive.db.transaction() as s:
        _disable_triggers(s)
        s.execute(text("DELETE FROM audit_entries WHERE id = 3"))
    cut = runner.invoke(main, ["audit", "verify", "--checkpoint", str(file)])
    assert cut.exit_code == 1 and "截断" in cut.output


def test_init_key_never_overwrites(env, overrides, tmp_path, monkeypatch) -> None:
    path = tmp_path / "keys" / "audit.key"
    monkeypatch.setenv("ARCHIVE_AUDIT_KEY_FILE", str(path))
    first = CliRunner().invoke(main, ["audit", "init-key"])
    assert first.exit_code == 0 and path.exists()
    before = path.read_text()
    again = CliRunner().invoke(main, ["audit", "init-key"])
    assert "不会覆盖" in again.output and path.read_text() == before
    archive = Archive.open(__import__("archive_app.core.config", fromlist=["load_settings"]).load_settings())
    try:
        assert archive.settings.audit_key_file == path
    finally:
        archive.db.dispose()


@pytest.mark.parametrize("content", ["not hex", "abcd"])
def test_a_bad_key_file_is_a_clear_error(tmp_path, content: str) -> None:
    from archive_app.core import audit_key

    path = tmp_path / "audit.key"
    path.write_text(content)
    with pytest.raises(ValueError, match="审计密钥文件"):
        audit_key.load(path)
