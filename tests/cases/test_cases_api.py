"""The case register through the API: 受理, every status transition and who may make it
(安康办法 第三条 谁审批谁负责、谁主管谁监管; 第四条), the 承诺时限 with 2026's holidays, the standard
in force, 重点项目 and its 会商 record (未央 三（三）)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from archive_app.core.uscc import check_character
from archive_app.models import AuditEntry, Case, CaseEvent
from tests.helpers import bearer


def valid_uscc(first17: str) -> str:
    return first17 + check_character(first17)


LWPQ = {"case_no": "LWPQ-2026-0001", "matter": "LWPQ", "applicant": "安康市汉江人力资源有限公司",
        "applicant_uscc": valid_uscc("91610900MA70000A1"), "received_on": "2026-02-10"}


def receive(client, token, **over):
    return client.post("/api/v1/cases", json={**LWPQ, **over}, headers=bearer(token))


def event(client, token, kind, date, case_no="LWPQ-2026-0001", **extra):
    body = {"kind": kind, "date": date, "summary": extra.pop("summary", f"{kind} 摘要"), **extra}
    return client.post(f"/api/v1/cases/{case_no}/events", json=body, headers=bearer(token))


def test_receiving_computes_the_due_date_over_the_2026_spring_festival(client, people) -> None:
    resp = receive(client, people["spj_officer"])
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    # 20 working days from Tue 10 Feb 2026, the day itself not counted: 11–13 Feb, Sat 14 Feb (调休上班),
    # 24–27 Feb, Sat 28 Feb (调休上班), 2–6, 9–13 and 16 Mar (the holiday 15–23 Feb is skipped).
    assert body["due_on"] == "2026-03-16" and body["schedule_known"] is True
    assert body["status"] == "received" and body["status_label"] == "受理中"
    assert body["timeline"][0]["kind"] == "received" and body["timeline"][0]["agency"] == "SPJ"


def test_a_due_date_in_a_year_without_schedule_says_so(client, people) -> None:
    body = receive(client, people["spj_officer"], case_no="LWPQ-2027-9", received_on="2027-12-20").get_json()
    assert body["schedule_known"] is False


def test_receiving_refuses_bad_input_with_fields(client, people) -> None:
    resp = receive(client, people["spj_officer"], applicant_uscc="91610900MA70000A10", matter="NOPE",
                   received_on="2026-13-01")
    err = resp.get_json()["error"]
    assert resp.status_code == 400 and err["code"] == "VALIDATION"
    assert set(err["fields"]) == {"applicant_uscc", "matter", "received_on"}
    assert receive(client, people["spj_officer"]).status_code == 201
    dup = receive(client, people["spj_officer"])
    assert dup.status_code == 409 and dup.get_json()["error"]["code"] == "CONFLICT"


@pytest.mark.parametrize(("username", "allowed"), [
    ("spj_officer", True), ("spj_clerk", True), ("spj_admin", True), ("spj_correspondence", False),
    ("rsj_officer", False), ("rsj_admin", False)])
def test_only_the_approving_agency_receives_a_transferred_matter(client, people, username, allowed) -> None:
    resp = receive(client, people[username])
    assert resp.status_code == (201 if allowed else 403), resp.get_json()


def test_before_the_transfer_date_the_department_was_the_approver(client, people) -> None:
    old = {"case_no": "LWPQ-2021-0003", "received_on": "2021-03-01"}
    assert receive(client, people["spj_officer"], **old).status_code == 403
    assert receive(client, people["rsj_officer"], **old).status_code == 201


def _decided(client, people, **over) -> None:
    assert receive(client, people["spj_officer"]).status_code == 201
    resp = event(client, people["spj_officer"], "decision", "2026-03-05", decision="准予许可",
                 certificate_no="陕劳派610900260001", valid_until="2029-03-04", **over)
    assert resp.status_code == 201, resp.get_json()


def test_the_full_life_of_a_licence_and_who_may_move_it(client, people) -> None:
    spj, rsj = people["spj_officer"], people["rsj_officer"]
    assert receive(client, spj).status_code == 201
    # RSJ may not decide, SPJ may not inspect (第三条)
    assert event(client, rsj, "decision", "2026-03-05", decision="准予许可", certificate_no="X1").status_code == 403
    assert event(client, spj, "special_review", "2026-02-12").get_json()["status"] == "special_review"
    decided = event(client, spj, "decision", "2026-03-05", decision="准予许可", certificate_no="陕劳派610900260001",
                    valid_until="2029-03-04").get_json()
    assert (decided["status"], decided["decision"], decided["decided_on"]) == ("decided", "准予许可", "2026-03-05")
    assert event(client, spj, "inspection", "2026-03-06").status_code == 403
    assert event(client, spj, "service", "2026-03-06").get_json()["status"] == "served"
    assert event(client, rsj, "inspection", "2026-04-01", summary="现场检查，未发现问题").status_code == 201
    assert event(client, rsj, "change", "2026-05-01").status_code == 403
    changed = event(client, spj, "change", "2026-05-01", summary="变更法定代表人").get_json()
    assert (changed["status"], changed["decision"]) == ("changed", "准予变更")
    renewed = event(client, spj, "renewal", "2029-01-10", valid_until="2032-03-04").get_json()
    assert renewed["valid_until"] == "2032-03-04" and renewed["status"] == "changed"
    assert event(client, rsj, "change_request", "2029-02-01", summary="企业已注销登记").status_code == 201
    assert event(client, spj, "cancellation", "2029-02-10").get_json()["status"] == "cancelled"
    late = event(client, spj, "change", "2029-02-11")
    assert late.status_code == 409 and "已注销" in late.get_json()["error"]["message"]
    kinds = [e["kind"] for e in client.get("/api/v1/cases/LWPQ-2026-0001", headers=bearer(rsj)).get_json()["timeline"]]
    assert kinds == ["received", "special_review", "decision", "service", "inspection", "change", "renewal",
                     "change_request", "cancellation"]


@pytest.mark.parametrize(("kind", "status"), [("withdrawal", "withdrawn"), ("revocation", "revoked"),
                                              ("cancellation", "cancelled")])
def test_ending_a_licence(client, people, kind, status) -> None:
    _decided(client, people)
    assert event(client, people["rsj_officer"], kind, "2026-06-01").status_code == 403
    body = event(client, people["spj_officer"], kind, "2026-06-01").get_json()
    assert body["status"] == status


def test_transitions_refused_from_the_wrong_state(client, people, archive) -> None:
    spj = people["spj_officer"]
    assert receive(client, spj).status_code == 201
    for kind in ("service", "change", "renewal", "withdrawal", "revocation", "cancellation"):
        resp = event(client, spj, kind, "2026-03-01", valid_until="2030-01-01")
        assert resp.status_code == 409, (kind, resp.get_json())
    assert event(client, people["rsj_officer"], "inspection", "2026-03-01").status_code == 409
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(CaseEvent)) == 0
        assert s.scalar(select(Case.status)) == "received"


def test_a_refusal_cannot_be_served_a_licence(client, people) -> None:
    spj = people["spj_officer"]
    assert receive(client, spj).status_code == 201
    bad = event(client, spj, "decision", "2026-03-05", decision="不予许可", certificate_no="X")
    assert bad.status_code == 400 and "certificate_no" in bad.get_json()["error"]["fields"]
    assert event(client, spj, "decision", "2026-03-05", decision="不予许可").get_json()["status"] == "decided"
    assert event(client, spj, "change", "2026-04-01").status_code == 409
    assert event(client, people["rsj_officer"], "inspection", "2026-04-01").status_code == 409


def test_event_values_are_checked(client, people) -> None:
    spj = people["spj_officer"]
    assert receive(client, spj).status_code == 201
    early = event(client, spj, "decision", "2026-01-05", decision="准予许可", certificate_no="C1")
    assert early.status_code == 400 and "date" in early.get_json()["error"]["fields"]
    no_cert = event(client, spj, "decision", "2026-03-05", decision="准予许可")
    assert "certificate_no" in no_cert.get_json()["error"]["fields"]
    odd = event(client, spj, "approve", "2026-03-05")
    assert odd.status_code == 400 and "kind" in odd.get_json()["error"]["fields"]
    missing = event(client, spj, "decision", "2026-03-05", decision="准予许可", certificate_no="C1", record_ids=[999])
    assert missing.status_code == 400 and "record_ids" in missing.get_json()["error"]["fields"]


def test_the_standard_in_force_on_the_receiving_date(client, people) -> None:
    rsj_admin, spj_admin = people["rsj_admin"], people["spj_admin"]
    v1 = {"title": "劳务派遣经营许可审批标准（2025版）", "effective_from": "2025-01-01"}
    assert client.post("/api/v1/matters/LWPQ/standards", json=v1, headers=bearer(spj_admin)).status_code == 403
    assert client.post("/api/v1/matters/LWPQ/standards", json=v1, headers=bearer(people["rsj_officer"])).status_code \
        == 403
    assert client.post("/api/v1/matters/LWPQ/standards", json=v1, headers=bearer(rsj_admin)).status_code == 201
    v2 = {"title": "劳务派遣经营许可审批标准（2026版）", "effective_from": "2026-03-01"}
    assert client.post("/api/v1/matters/LWPQ/standards", json=v2, headers=bearer(rsj_admin)).status_code == 201
    listed = client.get("/api/v1/matters/LWPQ/standards", headers=bearer(spj_admin)).get_json()
    assert [(s["version"], s["effective_until"]) for s in listed["items"]] == [(1, "2026-02-28"), (2, None)]
    assert (listed["provider"], listed["applier"]) == ("RSJ", "SPJ")
    early = receive(client, people["spj_officer"]).get_json()  # received 2026-02-10
    assert early["standard"]["version"] == 1
    late = receive(client, people["spj_officer"], case_no="LWPQ-2026-0002", received_on="2026-03-02").get_json()
    assert late["standard"]["title"] == "劳务派遣经营许可审批标准（2026版）"
    stale = client.post("/api/v1/matters/LWPQ/standards", json={**v2, "effective_from": "2026-02-01"},
                        headers=bearer(rsj_admin))
    assert stale.status_code == 409


def test_key_project_consultation_record(client, people, archive) -> None:
    """未央 三（三） 重点项目会商制度 「认真听取监管部门意见」: a case is flagged 重点项目 by the approving agency, and
    its 会商 record — who was heard, when, the outcome — is kept on the case (timeline, list filter, audit)."""
    spj = people["spj_officer"]
    assert receive(client, spj).status_code == 201
    body = {"participants": "市人社局劳动关系科 王某、李某", "outcome": "同意按标准审批，现场核查时人社局派员参加"}
    refused = event(client, spj, "consultation", "2026-02-12", **body)
    assert refused.status_code == 409 and "重点项目" in refused.get_json()["error"]["message"]
    flag = client.post("/api/v1/cases/LWPQ-2026-0001/key-project", json={"reason": ""}, headers=bearer(spj))
    assert flag.status_code == 400
    assert client.post("/api/v1/cases/LWPQ-2026-0001/key-project", json={"reason": "涉及重大公共利益"},
                       headers=bearer(people["rsj_officer"])).status_code == 403
    flagged = client.post("/api/v1/cases/LWPQ-2026-0001/key-project", json={"reason": "涉及重大公共利益"},
                          headers=bearer(spj)).get_json()
    assert flagged["key_project"] is True
    incomplete = event(client, spj, "consultation", "2026-02-12", participants="王某")
    assert incomplete.status_code == 400 and "outcome" in incomplete.get_json()["error"]["fields"]
    done = event(client, spj, "consultation", "2026-02-12", **body).get_json()
    entry = next(e for e in done["timeline"] if e["kind"] == "consultation")
    assert entry["participants"] == body["participants"] and entry["outcome"] == body["outcome"]
    assert entry["kind_label"] == "重点项目会商" and done["status"] == "received"
    keyed = client.get("/api/v1/cases?key_project=1", headers=bearer(spj)).get_json()
    assert [c["case_no"] for c in keyed["items"]] == ["LWPQ-2026-0001"]
    with archive.db.session() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.action.like("case.%"))
                            .order_by(AuditEntry.id)).all()
    assert actions == ["case.receive", "case.key_project", "case.event", "case.search"]  # the search is a read


def test_a_case_received_before_the_transfer_is_decided_by_the_approving_agency(client, people) -> None:
    """第四条: from the transfer date RSJ no longer approves; a pending application goes on at SPJ."""
    rsj, spj = people["rsj_officer"], people["spj_officer"]
    assert receive(client, rsj, case_no="LWPQ-2021-0020", received_on="2021-06-20").status_code == 201
    decision = {"decision": "准予许可", "certificate_no": "610900202100020", "case_no": "LWPQ-2021-0020"}
    assert event(client, rsj, "decision", "2021-07-05", **decision).status_code == 403
    assert event(client, spj, "decision", "2021-06-30", **decision).status_code == 403  # before the transfer
    body = event(client, spj, "decision", "2021-07-05", **decision).get_json()
    assert [(e["kind"], e["agency"]) for e in body["timeline"]] == [("received", "RSJ"), ("decision", "SPJ")]
    unpushed = client.get("/api/v1/dashboard/cases", headers=bearer(spj)).get_json()["unpushed"]
    assert [c["case_no"] for c in unpushed] == ["LWPQ-2021-0020"]


def test_loading_a_holiday_schedule_recomputes_open_cases(client, people, archive) -> None:
    from archive_app.registers.deadlines import replace_schedule

    body = receive(client, people["spj_officer"], case_no="LWPQ-2027-0001", received_on="2027-11-01").get_json()
    # 20 weekdays from Mon 1 Nov 2027 (no 2027 schedule yet): 2–5, 8–12, 15–19, 22–26, 29 Nov
    assert (body["due_on"], body["schedule_known"]) == ("2027-11-29", False)
    with archive.db.transaction() as s:
        replace_schedule(s, 2027, "date,kind\n2027-11-15,holiday\n", "rsj_admin")
    after = client.get("/api/v1/cases/LWPQ-2027-0001", headers=bearer(people["spj_officer"])).get_json()
    assert (after["due_on"], after["schedule_known"]) == ("2027-11-30", True)
