"""Correcting a transfer date: preview, then one custody change per moved record (第十条)."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import func, select

from archive_app.cli import main
from archive_app.models import AuditEntry, CustodyChange, IndexJob, Record, TransferDateRequest
from archive_app.records import transfer
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


def test_admin_page_previews_then_asks_and_the_other_agency_confirms(client, app, users, archive, tmp_path) -> None:
    """Two-person rule (issue 11 item 3): SPJ's administrator asks, nothing moves; RSJ's confirms."""
    from archive_app.organisation.users import create_user
    with archive.db.transaction() as s:
        create_user(s, "spj_admin", "SPJ", "admin", "correct horse battery")
        create_user(s, "rsj_admin", "RSJ", "admin", "correct horse battery")
    _three(archive, tmp_path)
    login(client, "spj_admin")
    page = client.get("/admin/matters/LWPQ/transfer-date?date=2021-12-01").get_data(as_text=True)
    assert "将有 <strong>2</strong> 件档案" in page
    client.post("/admin/matters/LWPQ/transfer-date", data={"date": "2021-12-01", "reason": "依划转文件更正",
                                                            "csrf_token": csrf_from(page)})
    with archive.db.session() as s:
        assert sorted(r.custodian.code for r in s.scalars(select(Record))) == ["RSJ", "SPJ", "SPJ"]  # not yet
        request_id = s.scalar(select(TransferDateRequest.id))
    admin_page = client.get("/admin/").get_data(as_text=True)
    own = client.post(f"/admin/transfer-requests/{request_id}/confirm",
                      data={"csrf_token": csrf_from(admin_page)}, follow_redirects=True).get_data(as_text=True)
    assert "不能确认自己提出的" in own  # the asker cannot confirm their own request
    other = app.test_client()
    login(other, "rsj_admin")
    rsj_page = other.get("/admin/").get_data(as_text=True)
    assert "依划转文件更正" in rsj_page
    other.post(f"/admin/transfer-requests/{request_id}/confirm", data={"csrf_token": csrf_from(rsj_page)})
    with archive.db.session() as s:
        assert sorted(r.custodian.code for r in s.scalars(select(Record))) == ["RSJ", "RSJ", "RSJ"]
        assert s.get(TransferDateRequest, request_id).status == "confirmed"
        actions = [(e.actor, e.action) for e in s.scalars(select(AuditEntry).where(
            AuditEntry.action.startswith("matter.transfer_date")).order_by(AuditEntry.id))]
    assert actions == [("spj_admin", "matter.transfer_date_request"), ("rsj_admin", "matter.transfer_date_confirm"),
                       ("rsj_admin", "matter.transfer_date")]


def test_the_cli_change_is_logged_as_the_operators(env, archive, org, tmp_path) -> None:
    _three(archive, tmp_path)
    result = CliRunner().invoke(main, ["matter", "set-transfer-date", "LWPQ", "2021-05-01", "--yes"])
    assert result.exit_code == 0, result.output
    with archive.db.session() as s:
        entry = s.scalar(select(AuditEntry).where(AuditEntry.action == "matter.transfer_date"))
    assert entry.actor.startswith("operator:") and '"via":"operator command line"' in entry.detail
