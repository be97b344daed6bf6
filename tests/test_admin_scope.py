"""Each agency's administrator stays in their agency (issue 11 item 3): users, units, roles and the
audit page of the own agency only; a transfer date — which moves records between agencies by
第十条 — changes only when one agency's administrator asks and the other's confirms. And a 调阅
request follows the record's current custodian (item 10)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from archive_app import audit
from archive_app.core import errors
from archive_app.models import Agency, AuditEntry, LookupRequest, Record, TransferDateRequest, User
from archive_app.organisation.access import active_grant
from archive_app.organisation.users import create_user
from archive_app.records import lookups, transfer, transfer_requests
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import csrf_from, login


@pytest.fixture
def admins(archive, users):
    with archive.db.transaction() as s:
        for name, agency in (("spj_admin", "SPJ"), ("spj_admin2", "SPJ"), ("rsj_admin", "RSJ")):
            create_user(s, name, agency, "admin", PASSWORD)
    return users


def _flash(resp) -> str:
    return resp.get_data(as_text=True)


def test_an_admin_cannot_touch_the_other_agencys_users(app, archive, admins) -> None:
    client = app.test_client()
    login(client, "rsj_admin")
    token = csrf_from(client.get("/admin/").get_data(as_text=True))
    attempts = [("/admin/users", {"username": "mole", "agency": "SPJ", "role": "admin", "password": "long enough pw"}),
                ("/admin/users/spj_clerk/password", {"password": "taken over 123"}),
                ("/admin/users/spj_clerk/active", {"active": "0"}),
                ("/admin/users/spj_clerk/role", {"role": "admin"}),
                ("/admin/units", {"agency": "SPJ", "code": "XXK", "name": "冒名科"})]
    for url, data in attempts:
        assert client.post(url, data={**data, "csrf_token": token}).status_code == 403, url
    with archive.db.session() as s:
        clerk = s.scalar(select(User).where(User.username == "spj_clerk"))
        assert clerk.active and clerk.role == "clerk"
        assert s.scalar(select(User).where(User.username == "mole")) is None
    assert login(app.test_client(), "spj_clerk").status_code == 302  # the old password still works


def test_an_admin_manages_their_own_agency(app, archive, admins) -> None:
    client = app.test_client()
    login(client, "rsj_admin")
    page = client.get("/admin/").get_data(as_text=True)
    assert "rsj_clerk" in page and "spj_clerk" not in page  # only the own agency's users are listed
    token = csrf_from(page)
    client.post("/admin/users/rsj_clerk/role", data={"role": "officer", "csrf_token": token})
    client.post("/admin/users", data={"username": "rsj_new", "agency": "RSJ", "role": "officer",
                                      "password": "long enough pw", "csrf_token": token})
    with archive.db.session() as s:
        assert s.scalar(select(User.role).where(User.username == "rsj_clerk")) == "officer"
        assert s.scalar(select(User).where(User.username == "rsj_new")).agency.code == "RSJ"


def test_the_audit_page_shows_only_the_own_agencys_entries(app, archive, admins) -> None:
    with archive.db.transaction() as s:
        audit.append(s, actor="spj_clerk", agency_code="SPJ", action="record.view", object_type="record",
                     object_id="41", detail={"secret": "spj-only-detail"})
        audit.append(s, actor="rsj_clerk", agency_code="RSJ", action="record.view", object_type="record",
                     object_id="42", detail={"note": "rsj-own-detail"})
    client = app.test_client()
    login(client, "rsj_admin")
    page = client.get("/audit/").get_data(as_text=True)
    csv_text = client.get("/audit/export.csv").get_data(as_text=True)
    for text in (page, csv_text):
        assert "rsj-own-detail" in text and "spj-only-detail" not in text


# --- two-person rule for the transfer date --------------------------------------------------

def _user(s, name: str) -> User:
    return s.scalar(select(User).where(User.username == name))


def _three(archive, tmp_path) -> None:
    for d in ("2021-05-10", "2021-08-10", "2021-10-10"):
        f.file_bytes(archive, tmp_path, f.pdf_bytes(d), f"{d}.pdf", formed_on=d)


def test_asking_moves_nothing_and_only_the_other_agency_confirms(archive, admins, tmp_path) -> None:
    _three(archive, tmp_path)
    with archive.db.transaction() as s:
        row = transfer_requests.ask(s, _user(s, "spj_admin"), "LWPQ", date(2021, 12, 1), "依据划转文件")
        request_id = row.id
    with archive.db.session() as s:
        assert s.scalar(select(Agency.code).join(Record, Record.custodian_id == Agency.id)
                        .where(Record.formed_on == date(2021, 8, 10))) == "SPJ"
    for name in ("spj_admin", "spj_admin2", "rsj_clerk"):
        with pytest.raises(errors.Forbidden), archive.db.transaction() as s:
            transfer_requests.confirm(s, _user(s, name), request_id)
    with pytest.raises(errors.Conflict), archive.db.transaction() as s:  # one pending request per matter
        transfer_requests.ask(s, _user(s, "rsj_admin"), "LWPQ", date(2022, 1, 1), "另一个理由")
    with archive.db.transaction() as s:
        moves = transfer_requests.confirm(s, _user(s, "rsj_admin"), request_id, "同意")
    assert len(moves) == 2
    with archive.db.session() as s:
        assert s.get(TransferDateRequest, request_id).records_moved == 2


def test_refusal_needs_a_reason_and_withdrawal_is_the_askers(archive, admins) -> None:
    with archive.db.transaction() as s:
        request_id = transfer_requests.ask(s, _user(s, "rsj_admin"), "LWPQ", date(2021, 1, 1), "更正").id
    with pytest.raises(errors.Validation), archive.db.transaction() as s:
        transfer_requests.refuse(s, _user(s, "spj_admin"), request_id, "")
    with pytest.raises(errors.Forbidden), archive.db.transaction() as s:
        transfer_requests.withdraw(s, _user(s, "spj_admin"), request_id)
    with archive.db.transaction() as s:
        transfer_requests.refuse(s, _user(s, "spj_admin"), request_id, "与划转文件不符")
    with archive.db.session() as s:
        assert s.get(TransferDateRequest, request_id).status == "refused"
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "matter")).all()
    assert "matter.transfer_date_request" in actions and "matter.transfer_date_refuse" in actions
    assert "matter.transfer_date" not in actions


def test_an_agency_outside_the_matter_cannot_ask(archive, admins) -> None:
    with archive.db.transaction() as s:
        s.add(Agency(code="ZJJ", name="安康市住房和城乡建设局", fonds_code="J004"))
    with archive.db.transaction() as s:
        create_user(s, "zjj_admin", "ZJJ", "admin", PASSWORD)
    with pytest.raises(errors.Forbidden), archive.db.transaction() as s:
        transfer_requests.ask(s, _user(s, "zjj_admin"), "LWPQ", date(2021, 1, 1), "越权")


# --- 调阅 and the current custodian (item 10) -------------------------------------------------

def test_a_custody_change_closes_pending_requests_for_the_former_custodian(archive, users, tmp_path) -> None:
    rec = f.file_bytes(archive, tmp_path, f.pdf_bytes("早期决定书"), "old.pdf", formed_on="2021-05-10")
    assert rec.custodian == "RSJ"
    with archive.db.transaction() as s:
        request_id = lookups.create(s, _user(s, "spj_officer"), [rec.record_id], "审批核查", "view", 3).id
    with archive.db.transaction() as s:
        transfer.apply(s, "LWPQ", date(2021, 5, 1), actor="operator:test")  # the record moves to SPJ
    with archive.db.session() as s:
        req = s.get(LookupRequest, request_id)
        assert req.status == "closed" and "保管单位已变更" in req.decision_note
    with pytest.raises(errors.Conflict), archive.db.transaction() as s:
        lookups.decide(s, _user(s, "rsj_clerk"), request_id, "approve")


def test_the_former_custodian_cannot_decide_or_grant(archive, users, tmp_path) -> None:
    rec = f.file_bytes(archive, tmp_path, f.pdf_bytes("另一份早期决定书"), "old2.pdf", formed_on="2021-05-10")
    with archive.db.transaction() as s:
        pending_id = lookups.create(s, _user(s, "spj_officer"), [rec.record_id], "审批核查", "view", 3).id
        granted_id = lookups.create(s, _user(s, "spj_clerk"), [rec.record_id], "归档核对", "view", 3).id
    with archive.db.transaction() as s:
        lookups.decide(s, _user(s, "rsj_clerk"), granted_id, "approve")
    with archive.db.transaction() as s:  # custody moves without the transfer procedure (e.g. restored data)
        s.add(Agency(code="ZJJ", name="安康市住房和城乡建设局", fonds_code="J004"))
        s.flush()
        zjj = s.scalar(select(Agency.id).where(Agency.code == "ZJJ"))
        s.execute(update(Record).where(Record.id == rec.record_id).values(custodian_id=zjj))
    with pytest.raises(errors.Forbidden), archive.db.transaction() as s:
        lookups.decide(s, _user(s, "rsj_clerk"), pending_id, "approve")
    with archive.db.session() as s:
        assert active_grant(s, _user(s, "spj_clerk"), rec.record_id) is None  # RSJ's grant no longer counts
