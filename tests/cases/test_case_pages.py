"""The 办件 pages: the list and its filters, the timeline page with 申请调阅 for the other agency's
record, the print stylesheet, the PDF 办件全程记录, forms through the access policy, the dashboard's
case sections (承诺时限; 第九条（一） decided but not pushed)."""

from __future__ import annotations

import io
import re
from datetime import date

from pypdf import PdfReader
from sqlalchemy import event
from sqlalchemy.engine import Engine

from archive_app.core import localtime
from tests import factories as f
from tests.helpers import bearer, csrf_from, login

CASE = {"case_no": "LWPQ-2021-0011", "applicant": "安康市秦巴劳务派遣有限公司"}


def _straddling(archive, tmp_path):
    from archive_app.intake import Actor

    a = f.file_bytes(archive, tmp_path, f.pdf_bytes("申请材料"), "a.pdf", formed_on="2021-06-28",
                     title="劳务派遣经营许可申请书", actor=Actor("rsj_clerk", "RSJ"), **CASE)
    d = f.file_bytes(archive, tmp_path, f.pdf_bytes("许可决定书"), "b.pdf", formed_on="2021-07-05",
                     title="劳务派遣经营许可决定书", actor=Actor("spj_clerk", "SPJ"), **CASE)
    return a.record_id, d.record_id


def test_timeline_page_offers_a_lookup_for_the_other_agencys_record(client, people, archive, tmp_path) -> None:
    app_id, dec_id = _straddling(archive, tmp_path)
    login(client, "spj_officer")
    html = client.get(f"/cases/{CASE['case_no']}").get_data(as_text=True)
    assert "劳务派遣经营许可申请书" in html and "劳务派遣经营许可决定书" in html
    assert f'href="/lookups/new?records={app_id}"' in html and "申请调阅" in html
    assert f'href="/records/{dec_id}"' in html and f"/lookups/new?records={dec_id}" not in html
    assert "cases.css" in html and "data-print" in html
    resp = client.get("/static/cases.css")
    css = resp.get_data(as_text=True)
    resp.close()
    assert "@media print" in css and "header.top" in css


def test_pdf_export_is_the_case_record(client, people, archive, tmp_path) -> None:
    _straddling(archive, tmp_path)
    login(client, "rsj_officer")
    resp = client.get(f"/cases/{CASE['case_no']}/record.pdf")
    assert resp.status_code == 200 and resp.mimetype == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(resp.data)).pages).replace("\n", "")
    assert "办件全程记录" in text and CASE["case_no"] in text and "劳务派遣经营许可决定书" in text
    assert "对方单位保管" in text  # SPJ's decision, seen by RSJ: catalogue only
    audit = client.get("/api/v1/cases/" + CASE["case_no"], headers=bearer(people["rsj_admin"]))
    assert audit.status_code == 200


def test_list_filters_and_the_receive_form(client, people) -> None:
    login(client, "spj_officer")
    page = client.get("/cases/").get_data(as_text=True)
    token = csrf_from(page)
    resp = client.post("/cases/new", data={"csrf_token": token, "case_no": "LWPQ-2026-0100", "matter": "LWPQ",
                                           "applicant": "安康市汉江人力资源有限公司", "received_on": "2026-02-10"})
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/cases/LWPQ-2026-0100")
    bad = client.post("/cases/new", data={"csrf_token": token, "case_no": "X", "matter": "LWPQ",
                                          "applicant": "甲", "received_on": "bad"}, follow_redirects=True)
    assert "受理日期应为 YYYY-MM-DD" in bad.get_data(as_text=True)
    listed = client.get("/cases/?applicant=汉江").get_data(as_text=True)
    assert "LWPQ-2026-0100" in listed and "共 1 件" in listed
    assert "共 0 件" in client.get("/cases/?applicant=秦巴").get_data(as_text=True)
    assert "临期天数" in client.get("/cases/?due_within=x").get_data(as_text=True)
    detail = client.get("/cases/LWPQ-2026-0100").get_data(as_text=True)
    assert "2026年3月16日 到期" in detail  # 20 working days over the Spring Festival
    assert 'data-testid="event-form"' in detail and "许可决定" in detail and "监督检查" not in detail


def test_rsj_records_supervision_through_the_page(client, people) -> None:
    spj = bearer(people["spj_officer"])
    client.post("/api/v1/cases", headers=spj, json={"case_no": "LWPQ-2026-0200", "matter": "LWPQ",
                                                    "applicant": "甲公司", "received_on": "2026-03-02"})
    client.post("/api/v1/cases/LWPQ-2026-0200/events", headers=spj, json={
        "kind": "decision", "date": "2026-03-20", "summary": "准予", "decision": "准予许可",
        "certificate_no": "陕劳派2026200"})
    login(client, "rsj_officer")
    html = client.get("/cases/LWPQ-2026-0200").get_data(as_text=True)
    assert "监督检查" in html and "准予变更" not in html
    resp = client.post("/cases/LWPQ-2026-0200/events", data={
        "csrf_token": csrf_from(html), "kind": "inspection", "date": "2026-04-01", "summary": "日常检查未发现问题"},
        follow_redirects=True)
    assert "已登记" in resp.get_data(as_text=True) and "日常检查未发现问题" in resp.get_data(as_text=True)
    refused = client.post("/cases/LWPQ-2026-0200/events", data={
        "csrf_token": csrf_from(html), "kind": "change", "date": "2026-04-01", "summary": "越权"},
        follow_redirects=True)
    assert "只能由审批机关登记" in refused.get_data(as_text=True)


def test_the_dashboard_shows_what_each_agency_owes(client, people, archive, monkeypatch) -> None:
    monkeypatch.setattr(localtime, "today", lambda: date(2026, 3, 20))  # a Friday
    spj = bearer(people["spj_officer"])
    client.post("/api/v1/cases", headers=spj, json={"case_no": "OLD-1", "matter": "LWPQ", "applicant": "甲公司",
                                                    "received_on": "2026-02-10"})  # due 2026-03-16: overdue
    client.post("/api/v1/cases", headers=spj, json={"case_no": "DONE-1", "matter": "LWPQ", "applicant": "乙公司",
                                                    "received_on": "2026-02-10"})
    client.post("/api/v1/cases/DONE-1/events", headers=spj, json={
        "kind": "decision", "date": "2026-03-01", "summary": "准予", "decision": "准予许可", "certificate_no": "C"})
    board = client.get("/api/v1/dashboard/cases", headers=spj).get_json()
    assert [c["case_no"] for c in board["overdue"]] == ["OLD-1"]
    assert [c["case_no"] for c in board["unpushed"]] == ["DONE-1"]
    rsj = client.get("/api/v1/dashboard/cases", headers=bearer(people["rsj_officer"])).get_json()
    assert rsj["totals"] == {"overdue": 0, "due_soon": 0, "unpushed": 0}  # RSJ approves none of these
    # 第九条（一）: the approving agency owes the push — due 5 working days after 办结 of Sunday 03-01 (no
    # agreement): 03-06; by Friday 03-20 it has waited the working days 03-02…06, 09…13, 16…20
    assert (board["unpushed"][0]["push_due_on"], board["unpushed"][0]["working_days_since_decided"]) == \
        ("2026-03-06", 15)
    # the registers dashboard owes the same push, due the same day, waited as long
    registers = client.get("/api/v1/dashboard", headers=spj).get_json()
    assert registers["unpushed"] == [{"type": "unpushed_case", "case_no": "DONE-1", "decided_on": "2026-03-01",
                                      "due_on": "2026-03-06", "working_days_since": 15}]
    assert registers["overdue"] == registers["unpushed"]
    login(client, "spj_officer")
    scans = []

    def count(conn, cursor, statement, *args) -> None:
        if "FROM calendar_days" in statement:
            scans.append(statement)
    event.listen(Engine, "before_cursor_execute", count)
    try:
        html = client.get("/registers/").get_data(as_text=True)
        assert len(scans) == 1  # both boards count on one calendar loaded once
        client.get("/cases/")
        assert len(scans) == 2
    finally:
        event.remove(Engine, "before_cursor_execute", count)
    assert 'data-testid="case-board"' in html and "OLD-1" in html and "DONE-1" in html
    assert "已 15 个工作日未推送，应于 2026年3月6日 前推送" in html  # the case board
    assert "2026年3月1日办结，已 15 个工作日未推送审批结果（第九条第（一）项），应于 2026年3月6日 前推送" in html


def test_a_case_decided_before_the_transfer_owes_no_push(client, people, archive, monkeypatch) -> None:
    """第四条/第十条: a case the department decided before the transfer date stays with it; 第九条（一）
    is the approving agency's push of its own decisions to the department, so neither dashboard lists it
    for anyone — nor a case of a matter the department approves itself (TSGS: no one to push to)."""
    monkeypatch.setattr(localtime, "today", lambda: date(2026, 3, 20))
    rsj, spj = bearer(people["rsj_officer"]), bearer(people["spj_officer"])
    assert client.post("/api/v1/cases", headers=rsj, json={
        "case_no": "LWPQ-2021-0010", "matter": "LWPQ", "applicant": "丙公司", "received_on": "2021-06-01"}
    ).status_code == 201
    assert client.post("/api/v1/cases/LWPQ-2021-0010/events", headers=rsj, json={
        "kind": "decision", "date": "2021-06-20", "summary": "准予", "decision": "准予许可", "certificate_no": "D"}
    ).status_code == 201
    assert client.post("/api/v1/cases", headers=rsj, json={
        "case_no": "TSGS-2026-0001", "matter": "TSGS", "applicant": "丁公司", "received_on": "2026-03-02"}
    ).status_code == 201
    assert client.post("/api/v1/cases/TSGS-2026-0001/events", headers=rsj, json={
        "kind": "decision", "date": "2026-03-03", "summary": "准予", "decision": "准予许可", "certificate_no": "E"}
    ).status_code == 201
    for token in (rsj, spj):
        assert client.get("/api/v1/dashboard/cases", headers=token).get_json()["unpushed"] == []
        assert client.get("/api/v1/dashboard", headers=token).get_json()["unpushed"] == []


def test_the_event_form_picks_records_by_code_or_title_and_links_only_own_records(client, people, archive,
                                                                                  tmp_path) -> None:
    """Issue 16 item 4: records are picked by 档号/题名 (the push form's picker), never typed as
    internal ids; the service links only records the recording agency keeps (第十条)."""
    app_id, dec_id = _straddling(archive, tmp_path)  # 申请书 kept by RSJ, 决定书 by SPJ
    spj = bearer(people["spj_officer"])  # filing with the 办件编号 registered the case
    login(client, "spj_officer")
    html = client.get(f"/cases/{CASE['case_no']}").get_data(as_text=True)
    form = html[html.index('data-testid="event-form"'):]
    form = form[:form.index("</form>")]
    assert 'data-testid="event-record-picker"' in form and 'data-name="record_ids"' in form
    assert not re.search(r'<input[^>]*\sname="record_ids"', form) and "编号" not in form  # no internal ids typed
    assert "record_picker.js" in html and "push_form.js" not in html
    found = client.get("/registers/record-choices?q=许可决定书").get_json()["items"]
    assert [(r["id"], r["title"]) for r in found] == [(dec_id, "劳务派遣经营许可决定书")]  # own records only
    refused = client.post(f"/cases/{CASE['case_no']}/events", data={
        "csrf_token": csrf_from(html), "kind": "decision", "date": "2021-07-05", "summary": "准予劳务派遣经营许可",
        "decision": "准予许可", "certificate_no": "610900202100011", "record_ids": [str(dec_id), str(app_id)]},
        follow_redirects=True).get_data(as_text=True)
    assert 'data-code="VALIDATION"' in refused and "只能关联本单位保管的档案" in refused
    assert client.get(f"/api/v1/cases/{CASE['case_no']}", headers=spj).get_json()["status"] != "decided"
    done = client.post(f"/cases/{CASE['case_no']}/events", data={
        "csrf_token": csrf_from(html), "kind": "decision", "date": "2021-07-05", "summary": "准予劳务派遣经营许可",
        "decision": "准予许可", "certificate_no": "610900202100011", "record_ids": [str(dec_id)]},
        follow_redirects=True).get_data(as_text=True)
    assert "已登记" in done
    events = [e for e in client.get(f"/api/v1/cases/{CASE['case_no']}", headers=spj).get_json()["timeline"]
              if e["kind"] == "decision"]
    assert [e["record_ids"] for e in events] == [[dec_id]]
