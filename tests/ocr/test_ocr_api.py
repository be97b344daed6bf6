"""The OCR state in the JSON API (issue 15): GET /api/v1/records/{id} and the catalogue list carry
`ocr` — null for a PDF with its text layer, then pending → done → corrected for a scan, failed for
a scan that could not be read. Every response is checked against the OpenAPI document by the
`app` fixture."""

from __future__ import annotations

import pytest

from archive_app.ocr import queue
from tests import factories as f
from tests.helpers import bearer
from tests.ocr.scans import Scan, save, text_page

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _scan(archive, tmp_path, seed: int):
    img, _ = text_page(seed, 200, "宋体", lines=3)
    path = save(Scan("t", img, "", 200), tmp_path / f"scan-{f.marker()}.png", "PNG")
    return f.file_bytes(archive, tmp_path, path.read_bytes(), "scan.png")


def _ocr(client, token: str, record_id: int) -> dict | None:
    resp = client.get(f"/api/v1/records/{record_id}", headers=bearer(token))
    assert resp.status_code == 200, resp.get_json()
    return resp.get_json()["ocr"]


def _listed(client, token: str) -> dict[int, dict | None]:
    body = client.get("/api/v1/records?per_page=100", headers=bearer(token)).get_json()
    return {item["id"]: item["ocr"] for item in body["items"]}


def test_the_api_reports_the_ocr_state_of_each_record(app, archive, org, users, tmp_path) -> None:
    client, token = app.test_client(), users["spj_clerk"]
    text_pdf = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    scan = _scan(archive, tmp_path, seed=11)
    assert _ocr(client, token, text_pdf.record_id) is None
    pending = _ocr(client, token, scan.record_id)
    assert pending == {"state": "pending", "pages": [1], "failed_pages": [], "error": None, "engine": None}

    queue.drain(archive)
    done = _ocr(client, token, scan.record_id)
    assert done["state"] == "done" and done["engine"] == archive.settings.ocr_engine and done["error"] is None
    queue.correct(archive, scan.record_id, "人工更正的文字", "spj_clerk", "SPJ")
    assert _ocr(client, token, scan.record_id)["state"] == "corrected"
    # the other agency sees the catalogue, and the state with it
    assert _ocr(app.test_client(), users["rsj_clerk"], scan.record_id)["state"] == "corrected"

    broken = _scan(archive, tmp_path, seed=12)  # a job whose runner dies every time ends failed
    for _ in range(queue.MAX_ATTEMPTS):
        assert queue._claim(archive) is not None
        queue.recover(archive)
    failed = _ocr(client, token, broken.record_id)
    assert failed["state"] == "failed" and "不再自动重试" in failed["error"]

    listed = _listed(client, token)
    assert listed[text_pdf.record_id] is None
    assert (listed[scan.record_id]["state"], listed[broken.record_id]["state"]) == ("corrected", "failed")


def test_a_rerun_after_a_correction_is_pending_again(app, archive, org, users, tmp_path) -> None:
    client, token = app.test_client(), users["spj_clerk"]
    scan = _scan(archive, tmp_path, seed=13)
    queue.correct(archive, scan.record_id, "先行更正", "spj_clerk", "SPJ")  # corrected while still queued
    assert _ocr(client, token, scan.record_id)["state"] == "pending"  # the queued reading still comes
    queue.drain(archive)
    assert _ocr(client, token, scan.record_id)["state"] == "done"  # the machine text is newest now
    queue.request(archive, [scan.record_id], "spj_clerk")
    assert _ocr(client, token, scan.record_id)["state"] == "pending"
