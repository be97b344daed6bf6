"""HTTP API under /api/v1 (DESIGN.md §4). JSON in and out; session cookie or Bearer token."""

from __future__ import annotations

import io

from flask import g, jsonify, request, send_file
from flask_login import current_user

from .. import documents, search
from ..core import errors, localtime
from ..doors.content import send
from ..doors.current import get_archive, wake_indexer
from ..doors.uploads import spool
from ..intake import Metadata, file_record
from ..ocr import status as ocr_status
from ..organisation.access import LOOKUP_CUSTODIAN, LOOKUP_REQUESTER, PUBLIC, SIGNED_IN, Action, policy, require
from ..organisation.actor import Actor
from ..records import catalogue, lookups, reports
from ..records.catalogue import iso, record_summary
from ..records.delivery import open_content
from .common import actor as _actor
from .common import bp
from .common import json_body as _json_body
from .openapi import spec


def _record_or_404(record_id: int):
    rec = catalogue.get(g.db, record_id)
    if rec is None:
        raise errors.NotFound(f"没有编号为 {record_id} 的档案。")
    return rec


@bp.post("/records")
@policy(Action.FILE)
def create_record():
    require(current_user, Action.FILE)
    archive = get_archive()
    path, filename = spool(archive, request.files.get("file"))
    try:
        meta = Metadata.from_mapping(request.form.to_dict())
        filed = file_record(archive, path, filename, meta,
                            Actor.from_user(current_user))
    finally:
        path.unlink(missing_ok=True)
    wake_indexer()
    body = {"id": filed.record_id, "archival_code": filed.archival_code, "custodian": filed.custodian,
            "sha256": filed.sha256, "pages": filed.pages}
    return jsonify(body), 201, {"Location": f"/api/v1/records/{filed.record_id}"}


@bp.get("/records")
@policy(Action.READ_CATALOGUE)
def list_records():
    found = catalogue.list_records(get_archive(), g.db, current_user, request.args, channel="api")  # on the trail
    ocr = ocr_status.api_states(g.db, [r.id for r in found.items])
    return jsonify({"total": found.total, "page": found.page, "per_page": found.per_page,
                    "items": [{**record_summary(r), "ocr": ocr[r.id]} for r in found.items]})


@bp.get("/records/<int:record_id>")
@policy(Action.READ_CATALOGUE)
def get_record(record_id: int):
    seen = catalogue.view_record(get_archive(), g.db, current_user, record_id, channel="api")  # on the trail
    rec = seen.record
    body = record_summary(rec)
    body["ocr"] = ocr_status.api_state(g.db, rec.id)
    body["accessible"] = seen.content_ok
    body["custody_history"] = [
        {"from": c.from_agency.code if c.from_agency else None, "to": c.to_agency.code,
         "reason": c.reason, "at": localtime.iso_local(c.changed_at)}
        for c in rec.custody_changes]
    if body["accessible"]:
        body["files"] = [{"role": f.role, "media_type": f.media_type, "size": f.size,
                          "sha256": f.sha256, "sm3": f.sm3} for f in rec.files]
    return jsonify(body)


@bp.get("/records/<int:record_id>/content")
@policy(Action.DOWNLOAD)
def get_content(record_id: int):
    rec = _record_or_404(record_id)
    return send(open_content(get_archive(), g.db, current_user, rec, "original", channel="api"), True)


@bp.get("/records/<int:record_id>/stamped")
@policy(Action.READ_CONTENT)
def get_stamped(record_id: int):
    rec = _record_or_404(record_id)
    return send(open_content(get_archive(), g.db, current_user, rec, "stamped", channel="api"), False)


@bp.get("/matters")
@policy(SIGNED_IN)
def list_matters():
    return jsonify([{"code": m.code, "name": m.name, "department": m.department.code,
                     "approving_agency": m.approving_agency.code, "transfer_date": iso(m.transfer_date),
                     "time_limit_days": m.time_limit_days} for m in catalogue.matters(g.db)])


@bp.post("/lookup-requests")
@policy(Action.REQUEST_LOOKUP)
def create_lookup():
    body = _json_body()
    out = lookups.submit(get_archive(), _actor(), body.get("record_ids") or [], body.get("purpose", ""),
                         body.get("mode", ""), body.get("days"))
    return jsonify(out), 201, {"Location": f"/api/v1/lookup-requests/{out['id']}"}


@bp.get("/lookup-requests")
@policy(SIGNED_IN)
def list_lookups():
    lists = lookups.listing(g.db, current_user)
    return jsonify({k: [lookups.describe(r) for r in v] for k, v in lists.items()})


@bp.get("/lookup-requests/<int:request_id>")
@policy(SIGNED_IN)
def get_lookup(request_id: int):
    req = lookups.get(g.db, request_id)
    if not lookups.visible_to(current_user, req):
        raise errors.NotFound("没有找到该调阅申请。")
    return jsonify(lookups.describe(req))


@bp.post("/lookup-requests/<int:request_id>/decision")
@policy(LOOKUP_CUSTODIAN)
def decide_lookup(request_id: int):
    body = _json_body()
    return jsonify(lookups.rule(get_archive(), _actor(), request_id, body.get("decision", ""), body.get("note"),
                                body.get("mode"), body.get("days")))


@bp.post("/lookup-requests/<int:request_id>/return")
@policy(LOOKUP_REQUESTER)
def return_lookup(request_id: int):
    return jsonify(lookups.give_back(get_archive(), _actor(), request_id))


@bp.get("/search")
@policy(Action.READ_CATALOGUE)
def search_records():
    a = request.args
    params = search.Params(
        q=a.get("q", ""), custodian=a.get("custodian") or None, matter=a.get("matter") or None,
        doc_type=a.get("doc_type") or None, retention=a.get("retention") or None,
        applicant=a.get("applicant") or None, doc_no=a.get("doc_no") or None,
        date_from=a.get("date_from") or None, date_to=a.get("date_to") or None,
        sort=a.get("sort") or "relevance", page=a.get("page", 1, type=int), per_page=a.get("per_page", 20, type=int))
    res = search.find(get_archive(), g.db, current_user, params, channel="api")  # on the trail
    from ..cases import register as case_register
    from ..cases import search as case_search

    cases, case_total = case_search.hits(get_archive(), g.db, current_user, params.q) if params.q.strip() else ([], 0)
    return jsonify({"total": res.total, "page": res.page, "per_page": res.per_page,
                    "cases": [case_register.summary(c) for c in cases], "cases_total": case_total,
                    "hits": [{"id": h.id, "title": h.title, "archival_code": h.archival_code, "custodian": h.custodian,
                              "matter": h.matter, "doc_no": h.doc_no, "formed_on": h.formed_on,
                              "snippet": str(h.snippet) if h.snippet is not None else None,
                              "accessible": h.accessible} for h in res.hits],
                    "facets": res.facets})


@bp.get("/workdays/deadline")
@policy(SIGNED_IN)
def workday_deadline():
    from datetime import date

    from ..workdays import Calendar

    try:
        start = date.fromisoformat(request.args.get("start", ""))
        days = int(request.args.get("days", ""))
    except ValueError as exc:
        raise errors.Validation("参数应为 start=YYYY-MM-DD 与 days=整数。",
                                fields={"start": "日期", "days": "整数"}) from exc
    result = Calendar.from_db(g.db).deadline(start, days)
    return jsonify({"start": start.isoformat(), "days": days, "deadline": result.deadline.isoformat(),
                    "schedule_known": result.schedule_known, "unknown_years": list(result.unknown_years),
                    "warning": result.warning})


def _document_json(doc_id: int, session=None) -> dict:
    doc = documents.own(session or g.db, doc_id, _actor())
    body = documents.describe(doc)
    if doc.record_id:
        base = f"/api/v1/documents/{doc.id}"
        body["links"] = {"docx": f"{base}/docx", "pdf": f"{base}/pdf", "record": f"/api/v1/records/{doc.record_id}"}
    return body


def _fresh_document_json(doc_id: int) -> dict:
    """The document as just written (the write committed in the service's own transaction, after
    this request's reading session began)."""
    with get_archive().db.session() as s:
        return _document_json(doc_id, s)


@bp.get("/templates")
@policy(SIGNED_IN)
def list_templates():
    return jsonify([t.to_dict() for t in documents.all_templates()])


@bp.post("/documents")
@policy(Action.ISSUE_LETTERS)
def create_document():
    require(current_user, Action.ISSUE_LETTERS)
    body = _json_body()
    issued = documents.issue(get_archive(), str(body.get("template", "")), body.get("data"), _actor())
    wake_indexer()
    return jsonify(_fresh_document_json(issued.id)), 201, {"Location": f"/api/v1/documents/{issued.id}"}


@bp.get("/documents")
@policy(Action.ISSUE_LETTERS)
def list_documents():
    year = request.args.get("year", "")
    rows = documents.register(get_archive(), current_user.agency.code, year=int(year) if year.isdigit() else None,
                              statuses=request.args.getlist("status") or None)
    return jsonify({"total": len(rows), "items": [documents.describe(d) for d in rows]})


@bp.get("/documents/<int:doc_id>")
@policy(Action.ISSUE_LETTERS)
def get_document(doc_id: int):
    return jsonify(_document_json(doc_id))


@bp.get("/documents/<int:doc_id>/docx", defaults={"kind": "docx"})
@bp.get("/documents/<int:doc_id>/pdf", defaults={"kind": "pdf"})
@policy(Action.ISSUE_LETTERS)
def get_document_file(doc_id: int, kind: str):
    doc = documents.own(g.db, doc_id, _actor())
    if doc.record_id is None:
        raise errors.NotFound(f"{doc.doc_no} 尚未生成文件（{documents.STATUS_LABELS[doc.status]}）。")
    rec = _record_or_404(doc.record_id)
    role = "source" if kind == "docx" else "original"
    return send(open_content(get_archive(), g.db, current_user, rec, role, channel="api"), True)


@bp.post("/documents/<int:doc_id>/void")
@policy(Action.ISSUE_LETTERS)
def void_document(doc_id: int):
    documents.void(get_archive(), doc_id, str(_json_body().get("reason", "")), _actor())
    return jsonify(_fresh_document_json(doc_id))


@bp.post("/documents/<int:doc_id>/retry")
@policy(Action.ISSUE_LETTERS)
def retry_document(doc_id: int):
    documents.retry(get_archive(), doc_id, _actor())
    wake_indexer()
    return jsonify(_fresh_document_json(doc_id))


@bp.get("/reports/<report_id>")
@policy(Action.READ_CATALOGUE)
def get_report(report_id: str):
    year, agency = request.args.get("year", ""), request.args.get("agency") or current_user.agency.code
    out = reports.export_report(get_archive(), _actor(), report_id, agency, int(year) if year.isdigit() else None,
                                request.args.get("format", "xlsx"))  # on the audit trail, as from the CLI
    return send_file(io.BytesIO(out.data), mimetype=out.media_type, as_attachment=True, download_name=out.filename,
                     max_age=0)


@bp.get("/openapi.json")
@policy(PUBLIC)
def openapi():
    return jsonify(spec())
