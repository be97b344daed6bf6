"""HTTP API of the 办件 register (issue 14 Interface). Routes hang on the one /api/v1 blueprint;
who may write is decided by the access policy (`access.require_case`) once the case is loaded."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_login import current_user

from ..cases import dashboard, importer, key_projects, listing, register, service, standards
from ..cases import search as case_search
from ..doors.current import get_archive
from ..organisation.access import KEY_PROJECT_FLAGGER, SIGNED_IN, STANDARD_PROVIDER, Action, policy
from ..organisation.actor import Actor
from .common import bp
from .common import json_body as _json_body


def _case_json(case_no: str) -> dict:
    return service.case_as_written(get_archive(), case_no, current_user)


@bp.get("/cases")
@policy(SIGNED_IN)
def list_cases():
    f = listing.Filters.from_args(request.args)
    result = case_search.find(get_archive(), g.db, current_user, f, channel="api",
                              page=request.args.get("page", 1, type=int),
                              per_page=request.args.get("per_page", 50, type=int))
    return jsonify({"total": result.total, "page": result.page, "per_page": result.per_page,
                    "items": [register.summary(c) for c in result.items]})


@bp.post("/cases")
@policy(Action.RECORD_CASE)
def create_case():
    case_no = service.receive(get_archive(), Actor.from_user(current_user), _json_body())
    return jsonify(_case_json(case_no)), 201, {"Location": f"/api/v1/cases/{case_no}"}


@bp.get("/cases/<case_no>")
@policy(SIGNED_IN)
def get_case(case_no: str):
    return jsonify(_case_json(case_no))


@bp.post("/cases/<case_no>/events")
@policy(Action.RECORD_CASE)
def add_event(case_no: str):
    event_id = service.add_event(get_archive(), Actor.from_user(current_user), case_no, _json_body())
    body = _case_json(case_no)
    body["event_id"] = event_id
    return jsonify(body), 201


@bp.post("/cases/<case_no>/key-project")
@policy(Action.RECORD_CASE)
def key_project(case_no: str):
    body = _json_body()
    service.flag(get_archive(), Actor.from_user(current_user), case_no,
                 body.get("key_project", True) not in (False, 0, "0", "false"), str(body.get("reason") or ""))
    return jsonify(_case_json(case_no))


@bp.get("/dashboard/cases")
@policy(SIGNED_IN)
def case_dashboard():
    board = dashboard.build(g.db, current_user.agency_id)

    def items(rows) -> list[dict]:
        return [register.summary(c) for c in rows]

    def unpushed(c) -> dict:  # 第九条（一）: the push the approving agency owes, and how long it has waited
        due_on, waited = board.unpushed_due[c.id]
        return {**register.summary(c), "push_due_on": due_on.isoformat(), "working_days_since_decided": waited}

    return jsonify({"agency": current_user.agency.code, "today": board.today.isoformat(),
                    "due_soon_until": board.soon_until.isoformat(), "totals": board.totals,
                    **{k: items(getattr(board, k)) for k in ("overdue", "due_soon")},
                    "unpushed": [unpushed(c) for c in board.unpushed]})


@bp.get("/matters/<code>/standards")
@policy(SIGNED_IN)
def list_standards(code: str):
    return jsonify(standards.listing(get_archive(), code))


@bp.post("/matters/<code>/standards")
@policy(STANDARD_PROVIDER)
def add_standard(code: str):
    """A new version, sent to the approving agency with the 审批标准传递函 (第三条)."""
    return jsonify(standards.publish(get_archive(), Actor.from_user(current_user), code, _json_body())), 201


@bp.get("/matters/<code>/key-project")
@policy(SIGNED_IN)
def matter_key_project(code: str):
    return jsonify(key_projects.get(get_archive(), code))


@bp.post("/matters/<code>/key-project")
@policy(KEY_PROJECT_FLAGGER)
def set_matter_key_project(code: str):
    body = _json_body()
    flag = body.get("key_project", True) not in (False, 0, "0", "false")
    return jsonify(key_projects.set_matter(get_archive(), Actor.from_user(current_user), code, flag,
                                           str(body.get("reason") or "")))


@bp.post("/cases/import")
@policy(Action.RECORD_CASE)
def import_cases():
    upload = request.files.get("file")
    report = importer.run_upload(get_archive(), current_user, upload)
    return jsonify(report.as_dict()), 200 if report.finished else 202
