"""The same act leaves the same audit entry whichever door it came through (issue 13: auditing
lives in the service the page, the API and the command line share, not in the doors)."""

from __future__ import annotations

import json

from click.testing import CliRunner
from sqlalchemy import select

from archive_app.cli import main
from archive_app.models import AuditEntry
from tests import factories as f
from tests.helpers import bearer, csrf_from, login


def _entries(archive, action: str) -> list[AuditEntry]:
    with archive.db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def _shape(entry: AuditEntry) -> tuple:
    """What an entry says, without the door it came through."""
    detail = {k: v for k, v in json.loads(entry.detail or "{}").items() if k != "channel"}
    return entry.actor, entry.agency_code, entry.object_type, entry.object_id, detail


def test_a_record_view_is_audited_alike_from_the_page_and_the_api(client, users, archive, tmp_path) -> None:
    rec = f.file_bytes(archive, tmp_path, f.pdf_bytes(), formed_on="2026-03-02")
    login(client, "rsj_officer")
    assert client.get(f"/records/{rec.record_id}").status_code == 200
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    assert client.get(f"/api/v1/records/{rec.record_id}", headers=bearer(users["rsj_officer"])).status_code == 200
    page, api = _entries(archive, "record.view")
    assert _shape(page) == _shape(api) == ("rsj_officer", "RSJ", "record", str(rec.record_id), {})
    assert [json.loads(e.detail)["channel"] for e in (page, api)] == ["web", "api"]


def test_a_record_that_is_not_there_leaves_no_view_entry(client, users, archive) -> None:
    login(client, "rsj_officer")
    assert client.get("/records/999999").status_code == 404
    assert client.get("/api/v1/records/999999", headers=bearer(users["rsj_officer"])).status_code == 404
    assert _entries(archive, "record.view") == []


def test_a_report_export_is_audited_from_the_api_and_the_command_line(client, users, archive, env, tmp_path) -> None:
    f.file_bytes(archive, tmp_path, f.pdf_bytes(), formed_on="2026-03-02")
    resp = client.get("/api/v1/reports/filing-catalogue?format=xlsx&agency=SPJ&year=2026",
                      headers=bearer(users["spj_clerk"]))
    assert resp.status_code == 200 and resp.data[:2] == b"PK"
    out = tmp_path / "catalogue.xlsx"
    result = CliRunner().invoke(main, ["report", "filing-catalogue", "--agency", "SPJ", "--year", "2026",
                                       "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    api, cli = _entries(archive, "report.export")
    expected = {"format": "xlsx", "rows": 1, "agency": "SPJ"}
    assert _shape(api) == ("spj_clerk", "SPJ", "report", "filing-catalogue", expected)
    assert _shape(cli) == ("console", "SPJ", "report", "filing-catalogue", expected)  # the operator, named


def test_a_refused_report_export_is_not_audited(client, users, archive) -> None:
    """An officer of RSJ may not list SPJ's register; nothing is exported, so nothing is logged."""
    resp = client.get("/api/v1/reports/special-review-register?agency=SPJ", headers=bearer(users["rsj_officer"]))
    assert resp.status_code == 403
    assert _entries(archive, "report.export") == []


def test_a_lookup_request_is_audited_alike_from_the_page_and_the_api(app, client, users, archive, tmp_path) -> None:
    rec = f.file_bytes(archive, tmp_path, f.pdf_bytes(), formed_on="2026-03-02")  # kept by SPJ
    login(client, "rsj_officer")
    form = client.get(f"/lookups/new?records={rec.record_id}").get_data(as_text=True)
    resp = client.post(f"/lookups/new?records={rec.record_id}",
                       data={"csrf_token": csrf_from(form), "purpose": "监管检查", "mode": "view", "days": "5"})
    assert resp.status_code == 302
    resp = app.test_client().post("/api/v1/lookup-requests", headers=bearer(users["rsj_officer"]),
                                  json={"record_ids": [rec.record_id], "purpose": "监管检查", "mode": "view",
                                        "days": 5})
    assert resp.status_code == 201, resp.get_json()
    page, api = _entries(archive, "lookup.request")
    detail = lambda e: {k: v for k, v in json.loads(e.detail).items() if k != "number"}  # noqa: E731
    assert (page.actor, page.agency_code, detail(page)) == (api.actor, api.agency_code, detail(api)) == \
        ("rsj_officer", "RSJ", {"records": [rec.record_id], "mode": "view", "days": 5})
