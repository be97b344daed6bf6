"""The index is derived, the database is the truth: outbox, crash during indexing, reindex --check."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select, update

from archive_app import search
from archive_app.cli import main
from archive_app.models import IndexJob, Record
from archive_app.search import indexer, schema
from tests import factories as f
from tests.search.conftest import add_records


def test_filing_writes_a_job_and_the_writer_indexes_it(archive, org, users, tmp_path, searcher_for) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes("人力资源服务许可证核发"), "a.pdf")
    assert searcher_for("spj_officer", q="核发").total == 0  # not yet drained
    assert search.drain_all(archive) == 1
    assert [h.id for h in searcher_for("spj_officer", q="核发").hits] == [filed.record_id]
    with archive.db.session() as s:
        assert s.scalar(select(func.count(IndexJob.id))) == 0
    assert search.check(archive).ok


def test_a_crash_during_indexing_loses_nothing(archive, org, users, monkeypatch) -> None:
    ids = add_records(archive, [{"title": "先行归档"}])
    with archive.db.transaction() as s:
        recs = [Record(**{**{c.name: getattr(s.get(Record, ids[0]), c.name) for c in Record.__table__.columns
                             if c.name != "id"}, "archival_code": f"X-{i}", "item_no": 900 + i,
                          "original_sha256": f"{i:064d}", "title": f"崩溃测试{i}"}) for i in range(3)]
        s.add_all(recs)
        s.flush()
        s.add_all(IndexJob(record_id=r.id) for r in recs)
    real = indexer.document
    calls = {"n": 0}

    def failing(rec, text):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("simulated crash in the middle of a batch")
        return real(rec, text)

    monkeypatch.setattr(indexer, "document", failing)
    with pytest.raises(RuntimeError):
        search.drain(archive)
    drift = search.check(archive)
    assert len(drift.missing) == 3 and drift.pending_jobs == 3  # nothing half-written, jobs kept
    monkeypatch.setattr(indexer, "document", real)
    assert search.drain_all(archive) == 3
    assert search.check(archive).ok


def test_reindex_check_reports_drift_and_reindex_repairs_it(env, archive, org, users) -> None:
    ids = add_records(archive, [{"title": f"一致性检查{i}"} for i in range(5)])
    runner = CliRunner()
    assert runner.invoke(main, ["reindex", "--check"]).exit_code == 0
    with archive.db.transaction() as s:  # a change that bypassed the outbox
        s.execute(update(Record).where(Record.id == ids[0]).values(title="被直接修改的题名"))
    ix = schema.open_index(archive.settings.index_dir)
    writer = ix.writer()
    writer.delete_by_term("id", str(ids[1]))
    writer.add_document(id="999999", fp="x", title="数据库里没有")
    writer.commit()
    result = runner.invoke(main, ["reindex", "--check"])
    assert result.exit_code == 1
    assert "缺少 1 件" in result.output and "过期 1 件" in result.output and "多余 1 件" in result.output
    rebuilt = runner.invoke(main, ["reindex"])
    assert rebuilt.exit_code == 0 and "5 件" in rebuilt.output
    assert runner.invoke(main, ["reindex", "--check"]).exit_code == 0


def test_a_changed_schema_version_triggers_a_rebuild(env, archive, org, users) -> None:
    add_records(archive, [{"title": "结构版本"}])
    (archive.settings.index_dir / f"{schema.INDEX_NAME}.schema-version").write_text("0")
    assert not search.is_current(archive.settings.index_dir)
    out = CliRunner().invoke(main, ["init"])
    assert "重建" in out.output and search.is_current(archive.settings.index_dir)
    assert search.check(archive).ok


def test_custody_changes_reach_the_index(archive, org, users, searcher_for, tmp_path) -> None:
    from datetime import date

    from archive_app.records import transfer
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes("移交前后的档案正文"), "a.pdf", formed_on="2021-08-01")
    search.drain_all(archive)
    assert searcher_for("rsj_officer", q="档案正文").total == 0
    with archive.db.transaction() as s:
        transfer.apply(s, "LWPQ", date(2021, 9, 1), actor="admin")
    search.drain_all(archive)
    assert [h.id for h in searcher_for("rsj_officer", q="档案正文").hits] == [filed.record_id]
    assert searcher_for("spj_officer", q="档案正文").total == 0
    assert search.check(archive).ok
