"""HTTP API of the 办件 register (issue 14 Interface). Routes hang on the one /api/v1 blueprint;
who may write is decided by the access policy (`access.require_case`) once the case is loaded."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_login import current_user

from ..access import SIGNED_IN, STANDARD_PROVIDER, Action, policy
from ..cases import dashboard, importer, listing, register, standards, timeline
from ..cases import search as case_search
from ..web import get_archive
from .routes import _json_body, bp


def _case_json(case_no: str) -> dict:
    g.db.rollback()  # a write happened in its own transaction: read afresh
    case = register.get(g.db, case_no)
    body = register.summary(case)
    body["standard"] = standards.describe(register.standard_in_force(g.db, case))
    body["timeline"] = [e.as_dict() for e in timeline.build(g.db, case, current_user)]
    return body


@bp.get("/cases")
@policy(SIGNED_IN)
def list_cases():
    f = listing.Filters.from_args(request.args)
    result = case_search.find(get_archive(), g.db, current_user, f, page=request.args.get("page", 1, type=int),
                              per_page=request.args.get("per_page", 50, type=int))
    return jsonify({"total": result.total, "page": result.page, "per_page": result.per_page,
                    "items": [register.summary(c) for c in result.items]})


@bp.post("/cases")
@policy(Action.RECORD_CASE)
def create_case():
    with get_archive().db.transaction() as s:
        case_no = register.create(s, s.merge(current_user), _json_body()).case_no
    return jsonify(_case_json(case_no)), 201, {"Location": f"/api/v1/cases/{case_no}"}


@bp.get("/cases/<case_no>")
@policy(SIGNED_IN)
def get_case(case_no: str):
    return jsonify(_case_json(case_no))


@bp.post("/cases/<case_no>/events")
@policy(Action.RECORD_CASE)
def add_event(case_no: str):
    with get_archive().db.transaction() as s:
        event_id = register.record_event(s, s.merge(current_user), register.get(s, case_no), _json_body()).id
    body = _case_json(case_no)
    body["event_id"] = event_id
    return jsonify(body), 201


@bp.post("/cases/<case_no>/key-project")
@policy(Action.RECORD_CASE)
def key_project(case_no: str):
    body = _json_body()
    with get_archive().db.transaction() as s:
        register.set_key_project(s, s.merge(current_user), register.get(s, case_no),
                                 body.get("key_project", True) not in (False, 0, "0", "false"),
                                 str(body.get("reason") or ""))
    return jsonify(_case_json(case_no))


@bp.get("/dashboard/cases")
@policy(SIGNED_IN)
def case_dashboard():
    board = dashboard.build(g.db, current_user.agency_id)

    def items(rows) -> list[dict]:
        return [register.summary(c) for c in rows]

    return jsonify({"agency": current_user.agency.code, "today": board.today.isoformat(),
                    "due_soon_until": board.soon_until.isoformat(), "totals": board.totals,
                    **{k: items(getattr(board, k)) for k in ("overdue", "due_soon", "unpushed")}})


@bp.get("/matters/<code>/standards")
@policy(SIGNED_IN)
def list_standards(code: str):
    matter = standards.matter_or_404(g.db, code)
    return jsonify({"matter": matter.code, "provider": matter.department.code,
                    "applier": matter.approving_agency.code,
                    "items": [standards.describe(s) for s in standards.versions(g.db, matter)]})


@bp.post("/matters/<code>/standards")
@policy(STANDARD_PROVIDER)
def add_standard(code: str):
    with get_archive().db.transaction() as s:
        row = standards.add(s, s.merge(current_user), standards.matter_or_404(s, code), _json_body())
        out = standards.describe(row)
    return jsonify(out), 201


@bp.post("/cases/import")
@policy(Action.RECORD_CASE)
def import_cases():
    upload = request.files.get("file")
    report = importer.run_upload(get_archive(), current_user, upload)
    return jsonify(report.as_dict()), 200 if report.finished else 202
