"""The timeline across both agencies (安康办法 第十条: records before the transfer date kept by
RSJ, after it by SPJ; content of the other agency's records only under an approved 调阅), the
approval-result push moving the case (第六条), and the list filters."""

from __future__ import annotations

from sqlalchemy import select

from archive_app.intake import Actor
from archive_app.models import User
from archive_app.records import lookups
from archive_app.registers import pushes
from tests import factories as f
from tests.helpers import bearer

CASE = {"case_no": "LWPQ-2021-0011", "applicant": "安康市秦巴劳务派遣有限公司"}


def _straddling(archive, tmp_path):
    application = f.file_bytes(archive, tmp_path, f.pdf_bytes("申请材料"), "a.pdf", formed_on="2021-06-28",
                               title="劳务派遣经营许可申请书", actor=Actor("rsj_clerk", "RSJ"), **CASE)
    decision = f.file_bytes(archive, tmp_path, f.pdf_bytes("许可决定书"), "b.pdf", formed_on="2021-07-05",
                            title="劳务派遣经营许可决定书", actor=Actor("spj_clerk", "SPJ"), **CASE)
    return application.record_id, decision.record_id


def _timeline(client, token, case_no=CASE["case_no"]):
    resp = client.get(f"/api/v1/cases/{case_no}", headers=bearer(token))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()


def test_records_straddling_the_transfer_date_each_show_their_keeper(client, people, archive, tmp_path) -> None:
    app_id, dec_id = _straddling(archive, tmp_path)
    spj = _timeline(client, people["spj_officer"])["timeline"]
    assert [(e["kind"], e["agency"], e["record_id"], e["accessible"]) for e in spj] == [
        ("record", "RSJ", app_id, False), ("record", "SPJ", dec_id, True)]
    rsj = _timeline(client, people["rsj_officer"])["timeline"]
    assert [(e["agency"], e["accessible"]) for e in rsj] == [("RSJ", True), ("SPJ", False)]
    assert spj[0]["summary"] == "劳务派遣经营许可申请书" and spj[0]["archival_code"].startswith("J002-")
    # an approved 调阅 opens the other agency's record on the timeline
    with archive.db.transaction() as s:
        officer = s.scalar(select(User).where(User.username == "spj_officer"))
        req_id = lookups.create(s, officer, [app_id], "审查许可申请材料", "view", 3).id
    with archive.db.transaction() as s:
        clerk = s.scalar(select(User).where(User.username == "rsj_clerk"))
        lookups.decide(s, clerk, req_id, "approve")
    spj = _timeline(client, people["spj_officer"])["timeline"]
    assert [e["accessible"] for e in spj] == [True, True]


def test_the_approval_result_push_and_its_receipt_move_the_case(client, people, archive, tmp_path) -> None:
    _, dec_id = _straddling(archive, tmp_path)
    decided = client.post(f"/api/v1/cases/{CASE['case_no']}/events", headers=bearer(people["spj_officer"]), json={
        "kind": "decision", "date": "2021-07-05", "summary": "准予劳务派遣经营许可", "decision": "准予许可",
        "certificate_no": "610900202100011", "valid_until": "2024-07-04", "record_ids": [dec_id]})
    assert decided.status_code == 201, decided.get_json()
    listed = client.get("/api/v1/cases?unpushed=1", headers=bearer(people["rsj_officer"])).get_json()
    assert [c["case_no"] for c in listed["items"]] == [CASE["case_no"]]
    push_id = pushes.send(archive, Actor("spj_correspondence", "SPJ", "correspondence"), {
        "flow": "approval_result", "receiver": "RSJ", "case_no": CASE["case_no"], "channel": "platform",
        "content": "准予许可，许可证号 610900202100011", "record_ids": [dec_id]})
    body = _timeline(client, people["rsj_officer"])
    assert body["status"] == "expired"  # 有效期至 2024-07-04 has passed
    decision = next(e for e in body["timeline"] if e["kind"] == "decision")
    assert "（许可证号 610900202100011，有效期至 2024年7月4日）" in decision["summary"]  # the pages' one date style
    assert client.get("/api/v1/cases?unpushed=1", headers=bearer(people["rsj_officer"])).get_json()["total"] == 0
    assert client.get("/api/v1/cases?status=pushed", headers=bearer(people["rsj_officer"])).get_json()["total"] == 0
    assert client.get("/api/v1/cases?status=expired",
                      headers=bearer(people["rsj_officer"])).get_json()["total"] == 1
    pushes.receive(archive, Actor("rsj_correspondence", "RSJ", "correspondence"), push_id)
    body = _timeline(client, people["spj_officer"])
    assert body["supervising_agency"] == "RSJ"
    kinds = [(e["kind"], e["agency"]) for e in body["timeline"]]
    # the decision RSJ signed for is also its own 收文 record (issue 17 item 2: the timeline shows both)
    assert kinds == [("record", "RSJ"), ("decision", "SPJ"), ("record", "SPJ"), ("incoming", "RSJ"), ("push", "SPJ"),
                     ("push_receipt", "RSJ")]
    receipt = next(e for e in body["timeline"] if e["kind"] == "push_receipt")
    assert "第六条" in receipt["summary"] and receipt["push_id"] == push_id


def test_list_filters(client, people) -> None:
    spj = bearer(people["spj_officer"])
    for n, (day, applicant) in enumerate([("2026-02-10", "安康市汉江人力资源有限公司"),
                                          ("2026-11-20", "安康市秦巴劳务派遣有限公司"),
                                          ("2026-11-27", "汉阴县劳务公司")], 1):
        assert client.post("/api/v1/cases", headers=spj, json={
            "case_no": f"LWPQ-2026-{n:04d}", "matter": "LWPQ", "applicant": applicant,
            "received_on": day}).status_code == 201

    def nos(query: str) -> list[str]:
        resp = client.get(f"/api/v1/cases?{query}", headers=spj)
        assert resp.status_code == 200, resp.get_json()
        return sorted(c["case_no"] for c in resp.get_json()["items"])

    assert nos("applicant=汉江") == ["LWPQ-2026-0001"]
    assert nos("matter=LWPQ") == ["LWPQ-2026-0001", "LWPQ-2026-0002", "LWPQ-2026-0003"]
    assert nos("matter=TSGS") == []
    # 20 working days: 0001 was due 2026-03-16 (overdue by 2026-12-01); 0002 from Fri 20 Nov is due 18 Dec
    assert nos("overdue=1") == ["LWPQ-2026-0001"]
    assert client.get("/api/v1/cases?due_within=abc", headers=spj).status_code == 400
    assert client.get("/api/v1/cases?status=unknown", headers=spj).status_code == 400
    assert nos("status=受理中") == ["LWPQ-2026-0001", "LWPQ-2026-0002", "LWPQ-2026-0003"]


def test_a_decision_recorded_after_its_push_takes_the_pushed_state(client, people, archive, tmp_path) -> None:
    _straddling(archive, tmp_path)
    push_id = pushes.send(archive, Actor("spj_correspondence", "SPJ", "correspondence"), {
        "flow": "approval_result", "receiver": "RSJ", "case_no": CASE["case_no"], "channel": "platform",
        "content": "准予许可"})
    pushes.receive(archive, Actor("rsj_correspondence", "RSJ", "correspondence"), push_id)
    assert _timeline(client, people["spj_officer"])["status"] == "received"  # nothing decided yet
    body = client.post(f"/api/v1/cases/{CASE['case_no']}/events", headers=bearer(people["spj_officer"]), json={
        "kind": "decision", "date": "2021-07-05", "summary": "准予", "decision": "准予许可",
        "certificate_no": "610900202100011", "valid_until": "2030-07-04"}).get_json()
    assert (body["status"], body["supervising_agency"]) == ("supervised", "RSJ")


def test_supervision_records_and_received_letters_are_named_on_the_timeline(client, people, archive, tmp_path) -> None:
    rec = f.file_bytes(archive, tmp_path, f.pdf_bytes("检查记录"), "c.pdf", formed_on="2026-06-10",
                       title="劳务派遣单位日常监督检查记录", category="supervision", actor=Actor("rsj_clerk", "RSJ"),
                       **CASE)
    entry = next(e for e in _timeline(client, people["spj_officer"])["timeline"] if e["record_id"] == rec.record_id)
    assert (entry["kind"], entry["kind_label"], entry["agency"], entry["accessible"]) == (
        "supervision_record", "监管执法档案", "RSJ", False)
