"""Issue 11 item 17 (sec1's part): a blob whose bytes no longer match the recorded digest is not
served — the user gets a clear error, the attempt is on the audit trail, the fixity report lists
it; and a deadline that would run past 9999-12-31 is a 400, not a 500."""

from __future__ import annotations

import os

from sqlalchemy import select

from archive_app.models import AuditEntry
from archive_app.records import fixity
from tests import factories as f
from tests.helpers import bearer, login


def test_a_changed_blob_is_not_served(client, users, archive, tmp_path) -> None:
    data = f.pdf_bytes("劳务派遣经营许可决定书")
    filed = f.file_bytes(archive, tmp_path, data, "a.pdf")
    path = archive.store.path_for(filed.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(data.replace(b"%%EOF", b"%%EOF\n% tampered"))  # same kind of file, other bytes
    resp = client.get(f"/api/v1/records/{filed.record_id}/content", headers=bearer(users["spj_officer"]))
    error = resp.get_json()["error"]
    assert resp.status_code == 500 and error["code"] == "CONTENT_DAMAGED"
    assert filed.archival_code in error["message"] and "校验值" in error["message"]
    with archive.db.session() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "record.content_damaged")).one()
        assert (entry.actor, entry.object_id) == ("spj_officer", str(filed.record_id))
        assert not s.scalars(select(AuditEntry).where(AuditEntry.action == "record.download")).all()
    report = fixity.check(archive)
    assert (filed.archival_code, "original", filed.sha256) in report.changed
    # the untouched stamped copy is still served
    stamped = client.get(f"/api/v1/records/{filed.record_id}/stamped", headers=bearer(users["spj_officer"]))
    assert stamped.status_code == 200
    stamped.close()


def test_a_deadline_past_the_last_date_is_a_bad_request(client, users) -> None:
    resp = client.get("/api/v1/workdays/deadline", query_string={"start": "9999-12-31", "days": 1},
                      headers=bearer(users["spj_clerk"]))
    assert resp.status_code == 400 and resp.get_json()["error"]["code"] == "VALIDATION"
    assert "9999" in resp.get_json()["error"]["message"]
    ok = client.get("/api/v1/workdays/deadline", query_string={"start": "9999-12-31", "days": 0},
                    headers=bearer(users["spj_clerk"]))
    assert ok.status_code == 200 and ok.get_json()["deadline"] == "9999-12-31"


def test_numbers_too_large_for_the_database_are_the_callers_mistake(client, users) -> None:
    """Like the deadline: a huge id, year or page is a 404/400 with a message, never a 500."""
    h = bearer(users["spj_clerk"])
    huge = "99999999999999999999"
    resp = client.get(f"/api/v1/records/{huge}", headers=h)
    assert resp.status_code == 404 and resp.get_json()["error"]["code"] == "NOT_FOUND"
    resp = client.get(f"/api/v1/records/{2**31}", headers=h)  # beyond INTEGER: also not found
    assert resp.status_code == 404
    for query in ({"year": huge}, {"page": huge}):
        resp = client.get("/api/v1/records", query_string=query, headers=h)
        assert resp.status_code == 400, (query, resp.status_code)
        assert resp.get_json()["error"]["code"] == "VALIDATION" and "超出" in resp.get_json()["error"]["message"]


def test_a_page_asked_for_a_number_too_large_answers_with_its_error_page(client, users) -> None:
    """The same on a page: its error page reads the request's session (the header's counts), which
    PostgreSQL has aborted after the refused statement — it must still be drawn (400, not 500)."""
    login(client, "spj_clerk")
    resp = client.get("/", query_string={"year": "99999999999999999999"})
    assert resp.status_code == 400, resp.status_code
    assert "请求中的数字超出了允许的范围" in resp.get_data(as_text=True)
