"""The registers over HTTP: API routes, pages and forms, holiday schedule upload."""

from __future__ import annotations

import io

import pytest

from archive_app.organisation.users import create_token, create_user
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import bearer, csrf_from, login


@pytest.fixture
def staff(archive, org, users, tmp_path) -> dict[str, str]:
    tokens = dict(users)
    with archive.db.transaction() as s:
        for name, agency, role in (("spj_corr", "SPJ", "correspondence"), ("rsj_corr", "RSJ", "correspondence"),
                                   ("spj_admin", "SPJ", "admin")):
            create_user(s, name, agency, role, PASSWORD)
            tokens[name] = create_token(s, name)
    f.file_bytes(archive, tmp_path, f.pdf_bytes("申请书"), "a.pdf", formed_on="2026-11-02", case_no="SP-2026-0009",
                 applicant="安康市某人力资源公司")
    return tokens


def test_push_receipt_by_the_wrong_agency_is_refused_over_the_api(client, staff) -> None:
    res = client.post("/api/v1/pushes", headers=bearer(staff["spj_corr"]),
                      json={"flow": "approval_result", "receiver": "RSJ", "case_no": "SP-2026-0009",
                            "content": "准予许可", "channel": "platform"})
    assert res.status_code == 201, res.get_json()
    push = res.get_json()
    assert push["status"] == "sent" and push["due_on"] and push["schedule_known"] is True
    wrong = client.post(f"/api/v1/pushes/{push['id']}/receive", headers=bearer(staff["spj_corr"]))
    assert wrong.status_code == 403 and "接收单位" in wrong.get_json()["error"]["message"]
    assert client.get(f"/api/v1/pushes/{push['id']}", headers=bearer(staff["rsj_officer"])).status_code == 200
    ok = client.post(f"/api/v1/pushes/{push['id']}/receive", headers=bearer(staff["rsj_corr"]))
    assert ok.status_code == 200 and ok.get_json()["handover_at"] == ok.get_json()["received_at"]
    bad = client.post("/api/v1/pushes", headers=bearer(staff["spj_corr"]), json={"flow": "gossip", "content": ""})
    assert bad.status_code == 400 and {"flow", "content"} <= set(bad.get_json()["error"]["fields"])
    board = client.get("/api/v1/dashboard", headers=bearer(staff["rsj_officer"])).get_json()
    assert board["counts"]["to_receive"] == 0 and board["agency"] == "RSJ"


def test_an_administrator_uploads_a_schedule_and_open_deadlines_move(client, staff) -> None:
    res = client.post("/api/v1/pushes", headers=bearer(staff["rsj_corr"]),
                      json={"flow": "policy", "receiver": "SPJ", "content": "政策", "channel": "platform",
                            "policy_category": "政策变化"})
    push = res.get_json()
    refused = client.post("/api/v1/workdays/schedules", headers=bearer(staff["spj_corr"]),
                          data={"year": "2027", "file": (io.BytesIO(b"2027-01-01,holiday"), "s.csv")})
    assert refused.status_code == 403
    bad = client.post("/api/v1/workdays/schedules", headers=bearer(staff["spj_admin"]),
                      data={"year": "2027", "file": (io.BytesIO(b"2027-13-01,holiday"), "s.csv")})
    assert bad.status_code == 400 and bad.get_json()["error"]["code"] == "VALIDATION"
    ok = client.post("/api/v1/workdays/schedules", headers=bearer(staff["spj_admin"]),
                     data={"year": "2027", "file": (io.BytesIO("2027-01-01,holiday,元旦\n".encode()), "s.csv")})
    assert ok.status_code == 201 and ok.get_json()["days"] == 1
    assert client.get(f"/api/v1/pushes/{push['id']}", headers=bearer(staff["spj_corr"])).status_code == 200


def test_the_register_pages_show_and_accept_entries(client, staff) -> None:
    login(client, "spj_corr")
    for url in ("/registers/", "/registers/pushes", "/registers/reviews", "/registers/liaison",
                "/registers/agreements"):
        res = client.get(url)
        assert res.status_code == 200, url
    page = client.get("/registers/pushes").get_data(as_text=True)
    # 第九条（三）: supervision information goes from the department to SPJ, never the other way
    wrong = client.post("/registers/pushes/new", data={
        "csrf_token": csrf_from(page), "flow": "supervision", "receiver": "RSJ", "content": "请核查<某公司>",
        "channel": "platform"})
    assert wrong.status_code == 302 and wrong.headers["Location"].endswith("/registers/pushes")
    assert "第九条第（三）项" in client.get("/registers/pushes").get_data(as_text=True)
    sent = client.post("/registers/pushes/new", data={
        "csrf_token": csrf_from(page), "flow": "review_notice", "receiver": "RSJ", "content": "请核查<某公司>",
        "case_no": "SP-2026-0009", "channel": "platform"})
    assert sent.status_code == 302 and "/registers/pushes/" in sent.headers["Location"]
    detail = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "请核查&lt;某公司&gt;" in detail and "待签收" in detail
    refused = client.post("/registers/liaison/new", data={"csrf_token": csrf_from(page), "unit_name": "",
                                                          "position": "liaison"})
    assert refused.status_code == 302
    assert "请填写科室" in client.get("/registers/liaison").get_data(as_text=True)
    assert client.get("/registers/schedules").status_code == 403  # administrators only
    login(client, "spj_admin")
    assert "载入" in client.get("/registers/schedules").get_data(as_text=True)


def test_a_lookup_request_prefills_the_lookup_letter(app, client, staff, archive, tmp_path) -> None:
    from archive_app.models import User
    from archive_app.records import lookups

    rsj_rec = f.file_bytes(archive, tmp_path, f.pdf_bytes("旧许可决定"), "old.pdf", formed_on="2020-05-06",
                           title="劳务派遣经营许可决定书（2020）")
    with archive.db.transaction() as s:
        from sqlalchemy import select

        requester = s.scalar(select(User).where(User.username == "spj_corr"))
        req_id = lookups.create(s, requester, [rsj_rec.record_id], "核查延续申请", "view", 7).id
    login(client, "spj_corr")
    page = client.get(f"/lookups/{req_id}").get_data(as_text=True)
    link = page.split('data-testid="lookup-letter" href="')[1].split('"')[0].replace("&amp;", "&")
    form = client.get(link).get_data(as_text=True)
    assert "安康市人力资源和社会保障局" in form and "核查延续申请" in form
    assert rsj_rec.archival_code in form and "劳务派遣经营许可决定书（2020）" in form
    assert 'value="7"' in form


def test_the_filing_form_route_names_what_is_missing(client, staff) -> None:
    res = client.post("/api/v1/liaison-officers/filing-form", headers=bearer(staff["rsj_corr"]),
                      json={"unit_name": "仲裁科"})
    assert res.status_code == 400 and "分管领导" in res.get_json()["error"]["message"]


def test_the_summary_table_is_kept_over_the_api_and_pages(client, staff) -> None:
    """安康办法 附件: the approving agency's administrators keep the 汇总表; everyone reads it."""
    csv_bytes = ("事项代码,特别审查程序,程序说明,实施方式,依据,时限,配合单位\n"
                 "LWPQ,专家评审,,委托,《劳务派遣行政许可实施办法》第八条,15,安康市人力资源和社会保障局\n").encode()
    refused = client.post("/api/v1/review-procedures/import", headers=bearer(staff["spj_corr"]),
                          data={"file": (io.BytesIO(csv_bytes), "t.csv")})
    assert refused.status_code == 403
    ok = client.post("/api/v1/review-procedures/import", headers=bearer(staff["spj_admin"]),
                     data={"file": (io.BytesIO(csv_bytes), "t.csv")})
    assert ok.status_code == 201 and ok.get_json()["imported"] == 1
    listed = client.get("/api/v1/review-procedures", headers=bearer(staff["rsj_corr"])).get_json()
    assert [(i["matter"], i["kind"], i["mode_label"]) for i in listed["items"]] == [("LWPQ", "专家评审", "委托组织实施")]
    pdf = client.get("/api/v1/reports/special-review-summary?format=pdf&agency=SPJ", headers=bearer(staff["rsj_corr"]))
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    login(client, "rsj_corr")
    page = client.get("/registers/procedures").get_data(as_text=True)
    assert "市行政审批服务局行政许可事项特别审查程序汇总表" in page and "专家评审" in page
    assert 'data-testid="procedure-form"' not in page  # RSJ does not keep SPJ's table
