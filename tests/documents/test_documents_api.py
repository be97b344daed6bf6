"""GET /templates, POST /documents and the register over HTTP; the pages and the command line;
the two reports."""

from __future__ import annotations

import io
import json
import time

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from pypdf import PdfReader

from archive_app import documents
from archive_app.cli import main
from archive_app.core import errors, localtime
from archive_app.organisation.users import create_token, create_user
from archive_app.records import reports
from tests.conftest import PASSWORD
from tests.documents.conftest import SPJ_STAFF
from tests.helpers import bearer, csrf_from, login


@pytest.fixture
def staff(archive, org, users) -> dict[str, str]:
    tokens = dict(users)
    with archive.db.transaction() as s:
        for name, agency in (("spj_corr", "SPJ"), ("rsj_corr", "RSJ")):
            create_user(s, name, agency, "correspondence", PASSWORD)
            tokens[name] = create_token(s, name)
    return tokens


def test_templates_list_every_id_with_its_schema_and_examples(client, staff) -> None:
    res = client.get("/api/v1/templates", headers=bearer(staff["spj_officer"]))
    assert res.status_code == 200
    by_id = {t["id"]: t for t in res.get_json()}
    assert len(by_id) == 22 and by_id["joint-review-notice"]["title"] == "特别审查程序联办通知单"
    field = next(f for f in by_id["joint-review-notice"]["fields"] if f["name"] == "review_kind")
    assert field["label"] == "审查程序" and "专家评审" in field["allowed"] and field["example"]


def test_post_documents_issues_files_and_links_both_files(client, staff, soffice) -> None:
    t = documents.get("approval-result-letter")
    res = client.post("/api/v1/documents", headers=bearer(staff["spj_corr"]),
                      json={"template": t.id, "data": t.example()})
    assert res.status_code == 201, res.get_json()
    body = res.get_json()
    assert body["doc_no"] == f"安行审函〔{localtime.today().year}〕1号" and body["record_id"] and body["status"] == "issued"
    with client.get(body["links"]["pdf"], headers=bearer(staff["spj_corr"])) as pdf, \
            client.get(body["links"]["docx"], headers=bearer(staff["spj_corr"])) as docx:
        assert pdf.status_code == 200 and pdf.data[:5] == b"%PDF-"
        assert docx.status_code == 200 and docx.data[:2] == b"PK"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages).replace(" ", "")
    assert body["doc_no"] in text
    record = client.get(f"/api/v1/records/{body['record_id']}", headers=bearer(staff["spj_clerk"])).get_json()
    assert record["doc_no"] == body["doc_no"] and record["custodian"] == "SPJ"
    # the other agency sees the catalogue entry, not the document or its files
    assert client.get(f"/api/v1/documents/{body['id']}", headers=bearer(staff["rsj_corr"])).status_code == 404
    assert client.get(body["links"]["pdf"], headers=bearer(staff["rsj_corr"])).status_code == 404
    listed = client.get("/api/v1/documents", headers=bearer(staff["spj_corr"])).get_json()
    assert [d["doc_no"] for d in listed["items"]] == [body["doc_no"]]
    voided = client.post(f"/api/v1/documents/{body['id']}/void", headers=bearer(staff["spj_corr"]),
                         json={"reason": "发错对象"})
    assert voided.get_json()["status"] == "voided"


def test_post_documents_refuses_bad_values_and_other_roles(client, staff) -> None:
    t = documents.get("approval-result-letter")
    res = client.post("/api/v1/documents", headers=bearer(staff["spj_corr"]),
                      json={"template": t.id, "data": {**t.example(), "decision": "", "bogus": 1}})
    assert res.status_code == 400
    err = res.get_json()["error"]
    assert err["code"] == "VALIDATION" and set(err["fields"]) == {"decision", "bogus"}
    assert client.post("/api/v1/documents", headers=bearer(staff["spj_corr"]),
                       json={"template": "nope", "data": {}}).status_code == 404
    assert client.post("/api/v1/documents", headers=bearer(staff["spj_officer"]),
                       json={"template": t.id, "data": t.example()}).status_code == 403
    assert client.get("/api/v1/documents", headers=bearer(staff["spj_officer"])).status_code == 403


def test_the_pages_issue_a_document_and_follow_a_bulk_run(app, client, staff, soffice) -> None:
    login(client, "spj_corr")
    index = client.get("/documents/")
    assert index.status_code == 200 and "发文登记簿" in index.get_data(as_text=True)
    assert "仿宋_GB2312 → FandolFang（替代）" in index.get_data(as_text=True)
    t = documents.get("archive-lookup-letter")
    page = client.get(f"/documents/new/{t.id}?example=1").get_data(as_text=True)
    assert 'name="purpose"' in page and "核查劳务派遣经营许可延续申请" in page
    form = {**t.example(), "csrf_token": csrf_from(page), "action": "issue", "period_days": "0"}
    refused = client.post(f"/documents/new/{t.id}", data=form)
    assert refused.status_code == 400 and "应为 1 至 100000 之间的整数" in refused.get_data(as_text=True)
    form["period_days"] = "7"
    done = client.post(f"/documents/new/{t.id}", data=form)
    assert done.status_code == 302
    detail = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "安行审函" in detail and "已发文" in detail
    assert "FandolFang-Regular" in detail and "替代字体" in detail  # the fonts the kept PDF was made with
    voided = client.post(done.headers["Location"] + "/void", data={"csrf_token": csrf_from(detail), "reason": ""})
    assert "请填写作废原因" in client.get(voided.headers["Location"]).get_data(as_text=True)
    client.post(done.headers["Location"] + "/void", data={"csrf_token": csrf_from(detail), "reason": "发错对象"})
    assert "已作废" in client.get(done.headers["Location"]).get_data(as_text=True)
    csv_data = "\ufeff" + ",".join(t.example()) + "\n" + ",".join(str(v) for v in t.example().values()) + "\n"
    csv_data += ",".join("" for _ in t.example()) + "x\n"
    batch = client.post("/documents/bulk", data={"csrf_token": csrf_from(client.get("/documents/bulk").get_data(as_text=True)),
                                                 "template": t.id, "file": (io.BytesIO(csv_data.encode()), "rows.csv")},
                        content_type="multipart/form-data")
    html = batch.get_data(as_text=True)
    assert batch.status_code == 200 and "第 2 行" in html
    url = html.split('data-url="')[1].split('"')[0]
    for _ in range(120):
        progress = client.get(url).get_json()
        if progress["done"] == progress["total"]:
            break
        time.sleep(0.5)
    assert progress["counts"] == {"issued": 1}


def test_generate_command_reports_each_row(env, archive, org, tmp_path, soffice) -> None:
    t = documents.get("consultation-minutes")
    rows = [t.example(), {**t.example(), "meeting_date": "明天"}]
    data = tmp_path / "rows.csv"
    data.write_text(",".join(t.example()) + "\n" + "\n".join(
        ",".join(json.dumps(r[k], ensure_ascii=False) for k in t.example()) for r in rows) + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["generate", t.id, "--data", str(data), "--agency", "SPJ"])
    assert result.exit_code == 1, result.output
    assert f"第 1 行：安行审纪〔{localtime.today().year}〕1号" in result.output
    assert "第 2 行失败" in result.output and "会议日期" in result.output


def test_the_filing_catalogue_lists_issued_documents(archive, org, soffice, tmp_path) -> None:
    notice = documents.get("joint-review-notice")
    issued = documents.issue(archive, notice.id, notice.example(), SPJ_STAFF)
    with archive.db.session() as s:
        catalogue = reports.build(s, "filing-catalogue", "SPJ", localtime.today().year, viewer=None)
        summary = reports.build(s, "special-review-register", "SPJ", viewer=None)  # the register is still empty
    assert [c for c, _ in catalogue.columns] == ["序号", "档号", "文号", "责任者", "题名", "日期", "密级", "页数", "备注"]
    assert [r[2] for r in catalogue.rows] == [issued.doc_no] and catalogue.rows[0][3] == "安康市行政审批服务局"
    data, media, _ = reports.export(catalogue, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    assert sheet["A1"].value == "归档文件目录" and sheet.page_setup.orientation == "landscape"
    assert [c.value for c in sheet[3]][:3] == ["序号", "档号", "文号"] and sheet["C4"].value == issued.doc_no
    pdf, media, _ = reports.export(summary, "pdf")
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    assert media == "application/pdf" and float(page.mediabox.width) > float(page.mediabox.height)
    assert "特别审查程序登记簿" in page.extract_text() and "无记录" in page.extract_text()
    with pytest.raises(errors.Validation):
        reports.export(catalogue, "doc")
