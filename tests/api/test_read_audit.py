"""Reads are on the audit trail too (issue 11 item 14): API catalogue reads, and searches with
their query text and filters, from the API and from the search page."""

from __future__ import annotations

import json

from sqlalchemy import select

from archive_app.models import AuditEntry
from tests import factories as f
from tests.helpers import bearer, login


def _entries(archive, action: str) -> list[AuditEntry]:
    with archive.db.session() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)))


def test_api_catalogue_reads_are_logged(client, users, archive, tmp_path) -> None:
    rec = f.file_bytes(archive, tmp_path, f.pdf_bytes(), formed_on="2026-03-02")
    h = bearer(users["rsj_officer"])
    assert client.get("/api/v1/records?custodian=SPJ&year=2026", headers=h).status_code == 200
    assert client.get(f"/api/v1/records/{rec.record_id}", headers=h).status_code == 200
    listing = _entries(archive, "catalogue.list")
    assert len(listing) == 1 and listing[0].actor == "rsj_officer" and listing[0].agency_code == "RSJ"
    assert json.loads(listing[0].detail) == {"custodian": "SPJ", "year": "2026", "total": 1, "channel": "api"}
    views = _entries(archive, "record.view")
    assert [(v.actor, v.object_id) for v in views] == [("rsj_officer", str(rec.record_id))]


def test_searches_are_logged_with_their_words_and_filters(client, users, archive) -> None:
    h = bearer(users["spj_officer"])
    assert client.get("/api/v1/search?q=劳务派遣&custodian=RSJ&date_from=2021-01-01", headers=h).status_code == 200
    login(client, "rsj_clerk")
    assert client.get("/search?q=工时&matter=TSGS").status_code == 200
    logged = [(e.actor, json.loads(e.detail)) for e in _entries(archive, "search.query")]
    assert logged[0][0] == "spj_officer" and logged[0][1]["q"] == "劳务派遣"
    assert logged[0][1]["custodian"] == "RSJ" and logged[0][1]["date_from"] == "2021-01-01"
    assert logged[0][1]["channel"] == "api" and logged[0][1]["total"] == 0
    assert logged[1][0] == "rsj_clerk" and logged[1][1]["q"] == "工时" and logged[1][1]["matter"] == "TSGS"
    assert logged[1][1]["channel"] == "web"


def test_case_searches_are_logged_with_their_words_and_filters(client, users, archive) -> None:
    """The 办件 list searched by words or filters, from the API and the page, is on the trail; the
    plain list with nothing asked is not a search."""
    h = bearer(users["spj_officer"])
    assert client.get("/api/v1/cases?q=劳务派遣&status=decided&decided_from=2026-01-01&unpushed=1",
                      headers=h).status_code == 200
    assert client.get("/api/v1/cases", headers=h).status_code == 200
    login(client, "rsj_clerk")
    assert client.get("/cases/?applicant=秦巴&matter=LWPQ").status_code == 200
    logged = [(e.actor, e.agency_code, json.loads(e.detail)) for e in _entries(archive, "case.search")]
    assert len(logged) == 2
    actor, agency, detail = logged[0]
    assert (actor, agency) == ("spj_officer", "SPJ")
    assert detail == {"q": "劳务派遣", "status": "decided", "decided_from": "2026-01-01", "unpushed": True,
                      "page": 1, "total": 0, "channel": "api"}
    assert logged[1][0] == "rsj_clerk" and logged[1][2]["applicant"] == "秦巴" and logged[1][2]["matter"] == "LWPQ"
    assert logged[1][2]["channel"] == "web"
