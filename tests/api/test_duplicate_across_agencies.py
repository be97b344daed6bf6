"""DUPLICATE across agencies (issue 11 item 11): the refusal names the kept record only to those
who may open it; for a record the other agency keeps it says only that an identical file is kept
there — no id, no 档号 (第十条: content and holdings of the other agency go through 调阅)."""

from __future__ import annotations

from tests import factories as f
from tests.helpers import bearer, upload_form


def test_the_other_agency_learns_neither_id_nor_archival_code(client, users) -> None:
    data = f.pdf_bytes("同一份劳务派遣经营许可决定书")
    first = client.post("/api/v1/records", data=upload_form(data), headers=bearer(users["spj_clerk"]),
                        content_type="multipart/form-data")
    assert first.status_code == 201
    kept = first.get_json()
    again = client.post("/api/v1/records", data=upload_form(data, formed_on="2021-03-02"),
                        headers=bearer(users["rsj_clerk"]), content_type="multipart/form-data")
    assert again.status_code == 409
    err = again.get_json()["error"]
    assert err["code"] == "DUPLICATE"
    text = again.get_data(as_text=True)
    assert kept["archival_code"] not in text and "existing_id" not in err
    assert str(kept["id"]) not in err["message"]
    assert "安康市行政审批服务局" in err["message"] and "调阅" in err["message"]


def test_the_custodian_is_told_which_record(client, users) -> None:
    data = f.pdf_bytes("另一份决定书")
    first = client.post("/api/v1/records", data=upload_form(data), headers=bearer(users["spj_clerk"]),
                        content_type="multipart/form-data").get_json()
    again = client.post("/api/v1/records", data=upload_form(data), headers=bearer(users["spj_clerk"]),
                        content_type="multipart/form-data").get_json()["error"]
    assert again["existing_id"] == first["id"] and first["archival_code"] in again["message"]
