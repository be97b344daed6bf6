"""The record routes of /api/v1: token auth, filing, errors, catalogue vs content."""

from __future__ import annotations

from tests import factories as f
from tests.helpers import bearer, login, upload_form


def test_without_credentials_the_api_says_unauthenticated(client, users) -> None:
    for method, url in (("get", "/api/v1/records/1"), ("get", "/api/v1/matters"), ("post", "/api/v1/records")):
        resp = getattr(client, method)(url)
        assert resp.status_code == 401
        assert resp.get_json()["error"]["code"] == "UNAUTHENTICATED"


def test_a_wrong_or_revoked_token_is_refused(client, users, archive) -> None:
    from sqlalchemy import update

    from archive_app.core.db import utcnow
    from archive_app.models import ApiToken

    assert client.get("/api/v1/matters", headers=bearer("arc_guess")).status_code == 401
    with archive.db.transaction() as s:
        s.execute(update(ApiToken).values(revoked_at=utcnow()))
    assert client.get("/api/v1/matters", headers=bearer(users["spj_clerk"])).status_code == 401


def test_a_clerk_files_a_record_with_a_token(client, users) -> None:
    data = f.pdf_bytes(pages=2)
    resp = client.post("/api/v1/records", data=upload_form(data, doc_no="安行审许〔2026〕3号"),
                       headers=bearer(users["spj_clerk"]), content_type="multipart/form-data")
    assert resp.status_code == 201, resp.get_json()
    body = resp.get_json()
    assert body["archival_code"] == "J001-WS·2026-D30-SWK-0001"
    assert (body["custodian"], body["pages"]) == ("SPJ", 2)
    record = client.get(f"/api/v1/records/{body['id']}", headers=bearer(users["spj_clerk"])).get_json()
    assert record["doc_no"] == "安行审许〔2026〕3号" and record["accessible"] is True
    content = client.get(f"/api/v1/records/{body['id']}/content", headers=bearer(users["spj_clerk"]))
    assert content.status_code == 200 and content.data == data
    assert "J001-WS" in content.headers["Content-Disposition"]
    content.close()


def test_errors_carry_code_status_and_chinese_message(client, users) -> None:
    h = bearer(users["spj_clerk"])
    cases = [
        (upload_form(b""), "EMPTY_FILE", 400),
        (upload_form(f.pdf_bytes(), title=""), "VALIDATION", 400),
        (upload_form(f.pdf_bytes(), "a.docx"), "TYPE_MISMATCH", 415),
        (upload_form(f.pe_executable_bytes(), "a.pdf"), "UNSUPPORTED_TYPE", 415),
        (upload_form(f.encrypted_pdf_bytes()), "ENCRYPTED", 422),
        (upload_form(f.pdf_bytes(), formed_on="2021-01-04"), "WRONG_CUSTODIAN", 409),
    ]
    for form, code, status in cases:
        resp = client.post("/api/v1/records", data=form, headers=h, content_type="multipart/form-data")
        err = resp.get_json()["error"]
        assert (resp.status_code, err["code"]) == (status, code)
        assert any("\u4e00" <= ch <= "\u9fff" for ch in err["message"])
    missing = client.post("/api/v1/records", data={"matter": "LWPQ"}, headers=h, content_type="multipart/form-data")
    assert missing.get_json()["error"]["code"] == "VALIDATION"


def test_a_duplicate_names_the_existing_record(client, users) -> None:
    h, data = bearer(users["spj_clerk"]), f.pdf_bytes()
    first = client.post("/api/v1/records", data=upload_form(data), headers=h, content_type="multipart/form-data")
    again = client.post("/api/v1/records", data=upload_form(data), headers=h, content_type="multipart/form-data")
    assert again.status_code == 409
    assert again.get_json()["error"]["existing_id"] == first.get_json()["id"]


def test_too_large_is_413(overrides, archive, org, users) -> None:
    from archive_app.app import create_app

    app = create_app({**overrides, "max_upload_bytes": 1000})
    resp = app.test_client().post("/api/v1/records", data=upload_form(f.pdf_bytes(pages=20)),
                                  headers=bearer(users["spj_clerk"]), content_type="multipart/form-data")
    assert resp.status_code == 413 and resp.get_json()["error"]["code"] == "TOO_LARGE"
    app.extensions["archive"].db.dispose()


def test_officers_cannot_file(client, users) -> None:
    resp = client.post("/api/v1/records", data=upload_form(f.pdf_bytes()), headers=bearer(users["spj_officer"]),
                       content_type="multipart/form-data")
    assert resp.status_code == 403 and resp.get_json()["error"]["code"] == "FORBIDDEN"


def test_the_other_agency_sees_the_catalogue_but_not_the_content(client, users) -> None:
    filed = client.post("/api/v1/records", data=upload_form(f.pdf_bytes()), headers=bearer(users["spj_clerk"]),
                        content_type="multipart/form-data").get_json()
    h = bearer(users["rsj_officer"])
    record = client.get(f"/api/v1/records/{filed['id']}", headers=h).get_json()
    assert record["title"] == "劳务派遣经营许可决定书" and record["accessible"] is False
    assert "files" not in record
    for suffix in ("content", "stamped"):
        resp = client.get(f"/api/v1/records/{filed['id']}/{suffix}", headers=h)
        assert resp.status_code == 403 and "调阅申请" in resp.get_json()["error"]["message"]


def test_lookup_by_archival_code_and_browse(client, users) -> None:
    h = bearer(users["rsj_clerk"])
    filed = client.post("/api/v1/records", data=upload_form(f.pdf_bytes(), formed_on="2021-02-01"), headers=h,
                        content_type="multipart/form-data").get_json()
    found = client.get("/api/v1/records", query_string={"archival_code": filed["archival_code"]}, headers=h)
    assert [r["id"] for r in found.get_json()["items"]] == [filed["id"]]
    listing = client.get("/api/v1/records", query_string={"custodian": "RSJ", "year": 2021}, headers=h).get_json()
    assert listing["total"] == 1
    assert client.get("/api/v1/records", query_string={"custodian": "SPJ"}, headers=h).get_json()["total"] == 0
    assert client.get("/api/v1/records/999999", headers=h).get_json()["error"]["code"] == "NOT_FOUND"


def test_matters_list_transfer_dates(client, users) -> None:
    matters = client.get("/api/v1/matters", headers=bearer(users["rsj_officer"])).get_json()
    by_code = {m["code"]: m for m in matters}
    assert by_code["LWPQ"]["transfer_date"] == "2021-07-01" and by_code["LWPQ"]["approving_agency"] == "SPJ"
    assert by_code["TSGS"]["transfer_date"] is None


def test_a_session_write_needs_the_csrf_header(client, users) -> None:
    login(client, "spj_clerk")
    resp = client.post("/api/v1/records", data=upload_form(f.pdf_bytes()), content_type="multipart/form-data")
    assert resp.status_code == 403 and "X-CSRFToken" in resp.get_json()["error"]["message"]
    assert client.get("/api/v1/matters").status_code == 200  # reads with the session are fine
