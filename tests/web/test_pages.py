"""Pages: log-in, upload with field errors, record detail, downloads, 档号 look-up, CSRF."""

from __future__ import annotations

from sqlalchemy import select

from archive_app.models import AuditEntry
from tests import factories as f
from tests.helpers import csrf_from, login, upload_form


def _upload(client, data: bytes, name: str = "decision.pdf", **fields: str):
    token = csrf_from(client.get("/records/new").get_data(as_text=True))
    return client.post("/records/new", data={**upload_form(data, name, **fields), "csrf_token": token},
                       content_type="multipart/form-data")


def test_pages_need_a_log_in(client, users) -> None:
    resp = client.get("/records/1")
    assert resp.status_code == 302 and "/login" in resp.headers["Location"]


def test_a_wrong_password_is_refused_and_logged(client, users, archive) -> None:
    resp = login(client, "spj_clerk", "wrong password")
    assert "用户名或密码不正确" in resp.get_data(as_text=True)
    with archive.db.session() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "auth.login_failed")) is not None


def test_login_without_csrf_token_is_refused(client, users) -> None:
    resp = client.post("/login", data={"username": "spj_clerk", "password": "correct horse battery"})
    assert resp.status_code in (400, 403)
    assert client.get("/").status_code == 302


def test_clerk_files_and_sees_the_record(client, users) -> None:
    login(client, "spj_clerk")
    resp = _upload(client, f.pdf_bytes(), doc_no="安行审许〔2026〕9号")
    assert resp.status_code == 302
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "J001-WS·2026-D30-SWK-0001" in page and "安康市行政审批服务局" in page
    assert "安行审许〔2026〕9号" in page and "下载原件" in page


def test_upload_errors_are_shown_on_the_form(client, users) -> None:
    login(client, "spj_clerk")
    resp = _upload(client, f.pdf_bytes(), title="", formed_on="yesterday")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    assert "请填写题名" in html and "YYYY-MM-DD" in html
    assert 'data-code="VALIDATION"' in html and "（VALIDATION）" not in html  # the message leads
    wrong = _upload(client, f.pdf_bytes(), formed_on="2020-05-05")
    assert wrong.status_code == 409 and "安康市人力资源和社会保障局" in wrong.get_data(as_text=True)


def test_upload_without_csrf_token_is_refused(client, users) -> None:
    login(client, "spj_clerk")
    resp = client.post("/records/new", data=upload_form(f.pdf_bytes()), content_type="multipart/form-data")
    assert resp.status_code in (400, 403)


def test_officers_do_not_get_the_upload_page(client, users) -> None:
    login(client, "spj_officer")
    assert client.get("/records/new").status_code == 403


def test_downloads_are_limited_to_the_custodian_and_logged(client, app, users, archive, tmp_path) -> None:
    data = f.pdf_bytes()
    filed = f.file_bytes(archive, tmp_path, data, "a.pdf")
    login(client, "spj_officer")
    with client.get(f"/records/{filed.record_id}/original") as resp:
        assert resp.status_code == 200 and resp.data == data
    with client.get(f"/records/{filed.record_id}/stamped") as resp:
        assert resp.mimetype == "application/pdf"
    client.post("/logout", data={"csrf_token": csrf_from(client.get("/").get_data(as_text=True))})
    login(client, "rsj_officer")
    page = client.get(f"/records/{filed.record_id}").get_data(as_text=True)
    assert "调阅申请" in page and "下载原件" not in page
    assert client.get(f"/records/{filed.record_id}/original").status_code == 403
    with archive.db.session() as s:
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(filed.record_id))).all()
    assert actions.count("record.download") == 1 and "record.view_content" in actions and "record.view" in actions


def test_lookup_by_archival_code_and_browsing(client, users, archive, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf", formed_on="2021-03-01")
    login(client, "spj_officer")
    resp = client.get("/lookup", query_string={"code": filed.archival_code.replace("·", ".")})
    assert resp.headers["Location"].endswith(f"/records/{filed.record_id}")
    missing = client.get("/lookup", query_string={"code": "J009-WS·2020-Y-XX-0001"}, follow_redirects=True)
    assert "没有找到档号" in missing.get_data(as_text=True)
    listing = client.get("/", query_string={"custodian": "RSJ", "year": 2021, "matter": "LWPQ"}).get_data(as_text=True)
    assert filed.archival_code in listing
    assert filed.archival_code not in client.get("/", query_string={"custodian": "SPJ"}).get_data(as_text=True)


def test_the_upload_form_reports_every_problem_at_once_and_keeps_the_values(client, users) -> None:
    login(client, "spj_clerk")
    token = csrf_from(client.get("/records/new").get_data(as_text=True))
    resp = client.post("/records/new", data={"csrf_token": token, "matter": "", "title": "",
                                             "formed_on": "2026-13-40", "doc_no": "安行审许〔2026〕9号",
                                             "applicant": "安康市秦巴劳务派遣有限公司", "retention": "D10"},
                       content_type="multipart/form-data")
    html = resp.get_data(as_text=True)
    assert resp.status_code == 400
    for message in ("请选择文件", "请选择事项", "请填写题名", "日期格式应为 YYYY-MM-DD"):
        assert message in html, message
    assert 'value="安行审许〔2026〕9号"' in html and 'value="安康市秦巴劳务派遣有限公司"' in html
    assert '<option value="D10" selected' in html


def test_the_form_says_the_file_must_be_chosen_again(client, users) -> None:
    login(client, "spj_clerk")
    resp = _upload(client, f.pdf_bytes(), name="许可决定书.pdf", title="", doc_no="安行审许〔2026〕9号")
    html = resp.get_data(as_text=True)
    assert "「许可决定书.pdf」没有保存，请重新选择" in html and "请填写题名" in html
    assert 'value="安行审许〔2026〕9号"' in html
