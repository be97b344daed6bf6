"""Correcting a transfer date: preview, then one custody change per moved record (第十条)."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from archive_app import transfer
from archive_app.cli import main
from archive_app.models import AuditEntry, CustodyChange, IndexJob, Record
from tests import factories as f
from tests.helpers import csrf_from, login


def _three(archive, tmp_path) -> list:
    return [f.file_bytes(archive, tmp_path, f.pdf_bytes(), f"{d}.pdf", formed_on=d)
            for d in ("2021-05-10", "2021-08-10", "2021-10-10")]


def test_preview_and_apply_move_exactly_the_records_in_between(archive, org, tmp_path) -> None:
    filed = _three(archive, tmp_path)
    assert [x.custodian for x in filed] == ["RSJ", "SPJ", "SPJ"]
    from datetime import date
    with archive.db.session() as s:
        moves = transfer.preview(s, "LWPQ", date(2021, 9, 1))
    assert [(m.record_id, m.from_code, m.to_code) for m in moves] == [(filed[1].record_id, "SPJ", "RSJ")]
    with archive.db.session() as s:
        jobs_before = s.scalar(select(func.count(IndexJob.id)))
    with archive.db.transaction() as s:
        transfer.apply(s, "LWPQ", date(2021, 9, 1), actor="admin")
    with archive.db.session() as s:
        rec = s.get(Record, filed[1].record_id)
        assert rec.custodian.code == "RSJ" and rec.archival_code == filed[1].archival_code  # 档号 unchanged
        changes = s.scalars(select(CustodyChange).where(CustodyChange.record_id == rec.id)
                            .order_by(CustodyChange.id)).all()
        assert [c.to_agency.code for c in changes] == ["SPJ", "RSJ"] and "2021-09-01" in changes[-1].reason
        assert s.scalar(select(func.count(IndexJob.id))) == jobs_before + 1
        assert s.scalar(select(func.count()).where(AuditEntry.action == "record.custody_change")) == 1


def test_cli_shows_the_preview_and_applies(env, archive, org, tmp_path) -> None:
    _three(archive, tmp_path)
    runner = CliRunner()
    declined = runner.invoke(main, ["matter", "set-transfer-date", "LWPQ", "2021-05-01"], input="n\n")
    assert "将有 1 件档案改变保管单位" in declined.output and "未作更改" in declined.output
    applied = runner.invoke(main, ["matter", "set-transfer-date", "LWPQ", "2021-05-01", "--yes"])
    assert applied.exit_code == 0 and "1 件档案" in applied.output
    with archive.db.session() as s:
        assert {r.custodian.code for r in s.scalars(select(Record))} == {"SPJ"}


def test_admin_page_previews_then_applies(client, users, archive, tmp_path) -> None:
    from archive_app.users import create_user
    with archive.db.transaction() as s:
        create_user(s, "spj_admin", "SPJ", "admin", "correct horse battery")
    _three(archive, tmp_path)
    login(client, "spj_admin")
    page = client.get("/admin/matters/LWPQ/transfer-date?date=2021-12-01").get_data(as_text=True)
    assert "将有 <strong>2</strong> 件档案" in page
    client.post("/admin/matters/LWPQ/transfer-date", data={"date": "2021-12-01", "csrf_token": csrf_from(page)})
    with archive.db.session() as s:
        assert sorted(r.custodian.code for r in s.scalars(select(Record))) == ["RSJ", "RSJ", "RSJ"]
