"""The 调阅 workflow end to end through the API, with expiry, early return, narrowing,
watermarks and both sides' history."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select, update

from archive_app import audit
from archive_app.core.db import utcnow
from archive_app.models import AuditEntry, LookupRequest
from tests import factories as f
from tests.helpers import bearer


@pytest.fixture
def spj_record(archive, org, tmp_path):
    data = f.pdf_bytes("劳务派遣经营许可决定书", pages=2)
    return f.file_bytes(archive, tmp_path, data, "a.pdf"), data


def _ask(client, users, record_id: int, mode: str = "download", days: int = 7, who: str = "rsj_officer"):
    return client.post("/api/v1/lookup-requests", headers=bearer(users[who]),
                       json={"record_ids": [record_id], "purpose": "监管执法核查", "mode": mode, "days": days})


def _decide(client, users, request_id: int, who: str = "spj_clerk", **body):
    return client.post(f"/api/v1/lookup-requests/{request_id}/decision", headers=bearer(users[who]), json=body)


def _get(client, users, who: str, url: str):
    resp = client.get(url, headers=bearer(users[who]))
    resp.close()
    return resp


def test_approved_download_gives_watermarked_copies_until_returned(client, users, spj_record, archive) -> None:
    filed, data = spj_record
    rid = filed.record_id
    assert _get(client, users, "rsj_officer", f"/api/v1/records/{rid}/content").status_code == 403
    req = _ask(client, users, rid).get_json()
    assert req["status"] == "pending" and req["custodian"] == "SPJ" and req["number"].startswith("DY")
    queue = client.get("/api/v1/lookup-requests", headers=bearer(users["spj_clerk"])).get_json()["queue"]
    assert [r["id"] for r in queue] == [req["id"]]
    assert _get(client, users, "rsj_officer", f"/api/v1/records/{rid}/content").status_code == 403  # still pending
    approved = _decide(client, users, req["id"], decision="approve").get_json()
    assert approved["status"] == "approved" and approved["granted_mode"] == "download"

    detail = client.get(f"/api/v1/records/{rid}", headers=bearer(users["rsj_officer"])).get_json()
    assert detail["accessible"] is True
    content = client.get(f"/api/v1/records/{rid}/content", headers=bearer(users["rsj_officer"]))
    assert content.status_code == 200 and content.data != data  # a watermarked copy, not the original
    text = PdfReader(io.BytesIO(content.data)).pages[1].extract_text()
    content.close()
    assert req["number"] in text and "安康市人力资源和社会保障局" in text and "rsj_officer" in text
    # the custodian's own staff get the untouched original
    own = client.get(f"/api/v1/records/{rid}/content", headers=bearer(users["spj_officer"]))
    assert own.data == data
    own.close()
    # another RSJ user has no grant
    assert _get(client, users, "rsj_clerk", f"/api/v1/records/{rid}/content").status_code == 403

    returned = client.post(f"/api/v1/lookup-requests/{req['id']}/return", headers=bearer(users["rsj_officer"]))
    assert returned.get_json()["status"] == "returned"
    assert _get(client, users, "rsj_officer", f"/api/v1/records/{rid}/content").status_code == 403
    with archive.db.session() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "lookup")).all()
        downloads = s.scalars(select(AuditEntry.detail).where(AuditEntry.action == "record.download")).all()
        assert audit.verify(s).ok
    assert actions == ["lookup.request", "lookup.approve", "lookup.return"]
    assert any(req["number"] in d for d in downloads)


def test_narrowed_to_view_allows_the_rendition_but_not_the_original(client, users, spj_record) -> None:
    rid = spj_record[0].record_id
    req = _ask(client, users, rid, mode="download", days=10).get_json()
    approved = _decide(client, users, req["id"], decision="approve", mode="view", days=2).get_json()
    assert (approved["granted_mode"], approved["granted_days"]) == ("view", 2)
    stamped = client.get(f"/api/v1/records/{rid}/stamped", headers=bearer(users["rsj_officer"]))
    assert stamped.status_code == 200 and req["number"] in PdfReader(io.BytesIO(stamped.data)).pages[0].extract_text()
    stamped.close()
    original = client.get(f"/api/v1/records/{rid}/content", headers=bearer(users["rsj_officer"]))
    assert original.status_code == 403 and "只批准在线查阅" in original.get_json()["error"]["message"]


def test_a_decision_cannot_widen_the_request(client, users, spj_record) -> None:
    req = _ask(client, users, spj_record[0].record_id, mode="view", days=3).get_json()
    assert _decide(client, users, req["id"], decision="approve", mode="download").status_code == 400
    assert _decide(client, users, req["id"], decision="approve", days=30).status_code == 400
    assert _decide(client, users, req["id"], decision="approve").status_code == 200


def test_access_ends_by_itself_at_expiry(client, users, spj_record, archive) -> None:
    rid = spj_record[0].record_id
    req = _ask(client, users, rid).get_json()
    _decide(client, users, req["id"], decision="approve", days=1)
    assert _get(client, users, "rsj_officer", f"/api/v1/records/{rid}/stamped").status_code == 200
    with archive.db.transaction() as s:  # a day and a second later
        s.execute(update(LookupRequest).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert _get(client, users, "rsj_officer", f"/api/v1/records/{rid}/stamped").status_code == 403
    got = client.get(f"/api/v1/lookup-requests/{req['id']}", headers=bearer(users["rsj_officer"])).get_json()
    assert got["status"] == "expired"
    assert client.post(f"/api/v1/lookup-requests/{req['id']}/return",
                       headers=bearer(users["rsj_officer"])).status_code == 409


def test_deny_needs_a_reason_and_grants_nothing(client, users, spj_record) -> None:
    rid = spj_record[0].record_id
    req = _ask(client, users, rid).get_json()
    assert _decide(client, users, req["id"], decision="deny").get_json()["error"]["code"] == "VALIDATION"
    denied = _decide(client, users, req["id"], decision="deny", note="与监管事项无关").get_json()
    assert denied["status"] == "denied" and denied["decision_note"] == "与监管事项无关"
    assert _get(client, users, "rsj_officer", f"/api/v1/records/{rid}/stamped").status_code == 403
    assert _decide(client, users, req["id"], decision="approve").status_code == 409  # decided once


def test_only_the_custodians_clerks_decide(client, users, spj_record) -> None:
    req = _ask(client, users, spj_record[0].record_id).get_json()
    assert _decide(client, users, req["id"], who="rsj_clerk", decision="approve").status_code == 403
    assert _decide(client, users, req["id"], who="spj_officer", decision="approve").status_code == 403


@pytest.mark.parametrize(("body", "fragment"), [
    ({"record_ids": [], "purpose": "x", "mode": "view", "days": 3}, "请选择要调阅的档案"),
    ({"record_ids": [1], "purpose": "", "mode": "view", "days": 3}, "请填写调阅目的"),
    ({"record_ids": [1], "purpose": "x", "mode": "copy", "days": 3}, "调阅方式"),
    ({"record_ids": [1], "purpose": "x", "mode": "view", "days": 31}, "1 至 30 天"),
    ({"record_ids": [999], "purpose": "x", "mode": "view", "days": 3}, "档案不存在"),
])
def test_bad_requests_are_refused(client, users, spj_record, body, fragment) -> None:
    resp = client.post("/api/v1/lookup-requests", headers=bearer(users["rsj_officer"]), json=body)
    assert resp.status_code == 400 and fragment in resp.get_json()["error"]["message"]


def test_own_records_and_mixed_custodians_are_refused(client, users, archive, tmp_path, spj_record) -> None:
    rsj = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "b.pdf", formed_on="2021-01-04")
    own = _ask(client, users, rsj.record_id)
    assert own.status_code == 400 and "无需调阅" in own.get_json()["error"]["message"]
    mixed = client.post("/api/v1/lookup-requests", headers=bearer(users["spj_officer"]),
                        json={"record_ids": [rsj.record_id, spj_record[0].record_id], "purpose": "x",
                              "mode": "view", "days": 1})
    assert mixed.status_code == 400


def test_both_sides_see_the_history_a_third_agency_does_not(client, users, spj_record, archive) -> None:
    from archive_app.models import Agency
    from archive_app.organisation.users import create_token, create_user

    req = _ask(client, users, spj_record[0].record_id).get_json()
    with archive.db.transaction() as s:
        s.add(Agency(code="SCJ", name="安康市市场监督管理局", fonds_code="J003"))
        s.flush()
        create_user(s, "scj_officer", "SCJ", "officer", "a long password")
        token = create_token(s, "scj_officer")
    for who in ("rsj_clerk", "spj_officer"):
        assert client.get(f"/api/v1/lookup-requests/{req['id']}", headers=bearer(users[who])).status_code == 200
    assert client.get(f"/api/v1/lookup-requests/{req['id']}", headers=bearer(token)).status_code == 404


def test_the_lookup_pages_work_for_both_sides(client, users, spj_record) -> None:
    from tests.helpers import csrf_from, login

    rid = spj_record[0].record_id
    login(client, "rsj_officer")
    page = client.get(f"/records/{rid}").get_data(as_text=True)
    assert "申请调阅" in page
    form = client.get(f"/lookups/new?records={rid}").get_data(as_text=True)
    resp = client.post("/lookups/new", data={"records": str(rid), "purpose": "核查", "mode": "view", "days": "5",
                                             "csrf_token": csrf_from(form)})
    assert resp.status_code == 302
    detail_url = resp.headers["Location"]
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login(client, "spj_clerk")
    assert "待我审批（1）" in client.get("/lookups/").get_data(as_text=True)
    detail = client.get(detail_url).get_data(as_text=True)
    decided = client.post(detail_url + "/decision", data={"decision": "approve", "mode": "view", "days": "5",
                                                          "csrf_token": csrf_from(detail)}, follow_redirects=True)
    assert "已批准" in decided.get_data(as_text=True)
