"""A new 审批标准 version is sent to the approving agency with the 审批标准传递函 (安康办法 第三条:
市行政审批服务局负责按照市人力资源和社会保障局提供的审批标准对划转事项行使审批职权; 未央 三（二） 审批标准制定制度:
区行政审批服务局根据监管部门制订的审批标准…). It is not one of 第九条's seven flows, so its push cites
第三条. The letter is numbered, filed and in the 发文登记簿; the push is in the ledger; the receiver
signs for it and files the letter as 收文; a letter that cannot be made leaves no version and no push."""

from __future__ import annotations

from sqlalchemy import func, select

from archive_app.models import ApprovalStandard, AuditEntry, IssuedDocument, Push, Record
from tests.helpers import bearer, csrf_from, login

V1 = {"title": "劳务派遣经营许可审批标准（2026版）", "effective_from": "2026-03-01",
      "letter": {"content": "一、受理条件\n二、申请材料\n三、审查要点", "changes": "注册资本要求按新规执行",
                 "contact": "王晓敏", "phone": "0915-3210000"}}


def test_a_new_version_issues_the_letter_and_pushes_it_under_article_3(client, people, archive, soffice) -> None:
    resp = client.post("/api/v1/matters/LWPQ/standards", json=V1, headers=bearer(people["rsj_admin"]))
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["version"] == 1 and body["doc_no"].startswith("安人社函〔") and body["push_id"]
    with archive.db.session() as s:
        doc = s.get(IssuedDocument, body["document_id"])
        # the department's numbered letter, filed as its record, to the approving agency
        assert (doc.template_id, doc.status, doc.agency.code) == ("approval-standard-letter", "issued", "RSJ")
        assert doc.record_id and s.get(Record, doc.record_id).custodian.code == "RSJ"
        push = s.get(Push, body["push_id"])
        assert (push.flow, push.sender.code, push.receiver.code, push.channel, push.document_id) == \
            ("standard", "RSJ", "SPJ", "letter", doc.id)
        assert push.matter.code == "LWPQ" and "第 1 版" in push.content
        actions = set(s.scalars(select(AuditEntry.action)))
        assert {"document.issue", "standard.add", "push.send"} <= actions or \
            {"standard.add", "push.send"} <= actions
    # in the department's 发文登记簿
    register = client.get("/api/v1/documents", headers=bearer(people["rsj_admin"])).get_json()
    assert body["doc_no"] in [d["doc_no"] for d in register["items"]]
    # the ledger names the clause: 第三条, not 第九条
    seen = client.get(f"/api/v1/pushes/{body['push_id']}", headers=bearer(people["spj_admin"])).get_json()
    assert seen["flow"] == "standard" and "第三条" in seen["clause"] and "第九条" not in seen["clause"]
    assert seen["document"] == body["doc_no"] and seen["status"] == "sent"
    # the approving agency signs for it: the letter becomes its 收文, which its staff can read
    signed = client.post(f"/api/v1/pushes/{body['push_id']}/receive", headers=bearer(people["spj_correspondence"]))
    assert signed.status_code == 200, signed.get_json()
    with archive.db.session() as s:
        copy = s.scalar(select(Record).where(Record.push_id == body["push_id"]))
        assert copy.custodian.code == "SPJ" and copy.category == "received"
        assert copy.source_record_id == doc.record_id and "第三条推送" in copy.remarks
        copy_id = copy.id
    content = client.get(f"/api/v1/records/{copy_id}/content", headers=bearer(people["spj_officer"]))
    try:
        assert content.status_code == 200 and content.data
    finally:
        content.close()


def test_a_standard_cannot_be_pushed_from_the_push_form(client, people) -> None:
    resp = client.post("/api/v1/pushes", headers=bearer(people["rsj_admin"]),
                       json={"flow": "standard", "receiver": "SPJ", "matter": "LWPQ", "content": "新标准"})
    assert resp.status_code == 400
    assert "第三条" in resp.get_json()["error"]["fields"]["flow"]


def test_a_letter_that_fails_leaves_no_version_and_no_push(client, people, archive, soffice, monkeypatch) -> None:
    monkeypatch.setenv("ARCHIVE_SOFFICE", "/bin/false")  # the converter fails: the letter cannot be made
    resp = client.post("/api/v1/matters/LWPQ/standards", json=V1, headers=bearer(people["rsj_admin"]))
    assert resp.status_code == 503 and resp.get_json()["error"]["code"] == "UNAVAILABLE"
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(ApprovalStandard)) == 0
        assert s.scalar(select(func.count()).select_from(Push)) == 0
        assert s.scalar(select(func.count()).where(AuditEntry.action == "standard.add")) == 0
        # the reserved number stays in the 发文登记簿 as failed, as every failed issue does
        assert s.scalar(select(IssuedDocument.status)) == "failed"
    monkeypatch.delenv("ARCHIVE_SOFFICE")
    again = client.post("/api/v1/matters/LWPQ/standards", json=V1, headers=bearer(people["rsj_admin"]))
    assert again.status_code == 201 and again.get_json()["version"] == 1


def test_bad_input_is_refused_before_a_number_is_taken(client, people, archive) -> None:
    bad = client.post("/api/v1/matters/LWPQ/standards", json={"title": "", "effective_from": "2026-02-30"},
                      headers=bearer(people["rsj_admin"]))
    assert bad.status_code == 400 and set(bad.get_json()["error"]["fields"]) >= {"title", "effective_from"}
    forbidden = client.post("/api/v1/matters/LWPQ/standards", json=V1, headers=bearer(people["spj_admin"]))
    assert forbidden.status_code == 403
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(IssuedDocument)) == 0


def test_the_standards_page_publishes_with_the_letter(client, people, archive, soffice) -> None:
    login(client, "rsj_admin")
    page = client.get("/cases/matters/LWPQ/standards").get_data(as_text=True)
    assert "登记并推送" in page
    resp = client.post("/cases/matters/LWPQ/standards", data={
        "csrf_token": csrf_from(page), "title": "劳务派遣经营许可审批标准（2026版）", "effective_from": "2026-03-01",
        "letter_content": "一、受理条件", "letter_contact": "王晓敏"}, follow_redirects=True)
    html = resp.get_data(as_text=True)
    assert "审批标准传递函推送审批机关" in html
    with archive.db.session() as s:
        row = s.scalar(select(ApprovalStandard))
        assert row.document.doc_no in html
        assert s.scalar(select(Push.flow)) == "standard"


def test_a_matter_is_flagged_key_project_by_the_approving_agency_admin(client, people, archive) -> None:
    url, body = "/api/v1/matters/LWPQ/key-project", {"reason": "审批程序复杂，专业要求高"}
    for who in ("rsj_admin", "spj_officer"):  # the department's admin; an officer of the approving agency
        assert client.post(url, json=body, headers=bearer(people[who])).status_code == 403
    assert client.post(url, json={"reason": ""}, headers=bearer(people["spj_admin"])).status_code == 400
    flagged = client.post(url, json=body, headers=bearer(people["spj_admin"]))
    assert flagged.status_code == 200 and flagged.get_json() == {
        "matter": "LWPQ", "key_project": True, "key_project_reason": "审批程序复杂，专业要求高"}
    assert client.get(url, headers=bearer(people["rsj_officer"])).get_json()["key_project"] is True
    # every case of the matter may now take a 会商 record
    case = {"case_no": "LWPQ-2026-0001", "matter": "LWPQ", "applicant": "安康市汉江人力资源有限公司",
            "applicant_uscc": "91610900MA70000A1" + "X", "received_on": "2026-02-10"}
    from archive_app.core.uscc import check_character
    case["applicant_uscc"] = case["applicant_uscc"][:17] + check_character(case["applicant_uscc"][:17])
    assert client.post("/api/v1/cases", json=case, headers=bearer(people["spj_officer"])).status_code == 201
    consult = client.post("/api/v1/cases/LWPQ-2026-0001/events", headers=bearer(people["spj_officer"]), json={
        "kind": "consultation", "date": "2026-02-12", "summary": "会商", "participants": "人社局 王某",
        "outcome": "同意"})
    assert consult.status_code == 201, consult.get_json()
    assert client.post(url, json={"key_project": False}, headers=bearer(people["spj_admin"])).get_json() == {
        "matter": "LWPQ", "key_project": False, "key_project_reason": None}
    with archive.db.session() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "matter.key_project")
                            .order_by(AuditEntry.id)).all()
        assert [(e.actor, e.object_id) for e in entries] == [("spj_admin", "LWPQ")] * 2


def test_the_matter_page_flags_key_project(client, people, archive) -> None:
    login(client, "spj_admin")
    admin = client.get("/admin/").get_data(as_text=True)
    assert 'href="/cases/matters/LWPQ/standards"' in admin  # the matters table leads to the flag
    page = client.get("/cases/matters/LWPQ/standards").get_data(as_text=True)
    assert "列为重点项目" in page and "三（三）" in page
    resp = client.post("/cases/matters/LWPQ/key-project", data={
        "csrf_token": csrf_from(page), "key_project": "1", "reason": "涉及安全生产"}, follow_redirects=True)
    assert "已将该事项列为重点项目" in resp.get_data(as_text=True)
    assert "重点项目 · 审批标准" in client.get("/admin/").get_data(as_text=True)
    no_csrf = client.post("/cases/matters/LWPQ/key-project", data={"key_project": "0"})
    assert no_csrf.status_code == 403  # refused without the form's CSRF token: the flag stays
    with archive.db.session() as s:
        from archive_app.models import Matter
        m = s.scalar(select(Matter).where(Matter.code == "LWPQ"))
        assert (m.key_project, m.key_project_reason) == (True, "涉及安全生产")
    client.get("/logout")
    login(client, "rsj_admin")
    seen = client.get("/cases/matters/LWPQ/standards").get_data(as_text=True)
    assert "本事项已列为重点项目：涉及安全生产" in seen and "列为重点项目</button>" not in seen
