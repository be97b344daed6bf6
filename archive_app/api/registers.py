"""HTTP API of the 审管联动 registers (pushes, agreements, special reviews, liaison officers,
dashboard, holiday schedules). Routes hang on the one /api/v1 blueprint."""

from __future__ import annotations

from flask import g, jsonify, request
from flask_login import current_user

from ..core import localtime
from ..doors.current import get_archive
from ..organisation.access import SIGNED_IN, Action, policy, require
from ..registers import dashboard, deadlines, liaison, procedures, pushes, reads, reviews
from .common import actor as _actor
from .common import bp
from .common import json_body as _json_body


@bp.get("/pushes")
@policy(SIGNED_IN)
def list_pushes():
    rows = pushes.ledger(g.db, current_user.agency.code, request.args.get("flow") or None)
    return jsonify({"total": len(rows), "items": [pushes.describe(p) for p in rows]})


@bp.post("/pushes")
@policy(Action.ISSUE_LETTERS)
def create_push():
    require(current_user, Action.ISSUE_LETTERS)
    push_id = pushes.send(get_archive(), _actor(), _json_body())
    return jsonify(reads.push_as_written(get_archive(), current_user.agency.code, push_id)), 201, \
        {"Location": f"/api/v1/pushes/{push_id}"}


@bp.get("/pushes/<int:push_id>")
@policy(SIGNED_IN)
def get_push(push_id: int):
    return jsonify(pushes.describe(pushes.visible(g.db, current_user.agency.code, push_id)))


@bp.post("/pushes/<int:push_id>/receive")
@policy(Action.ISSUE_LETTERS)
def receive_push(push_id: int):
    pushes.receive(get_archive(), _actor(), push_id)
    return jsonify(reads.push_as_written(get_archive(), current_user.agency.code, push_id))


@bp.get("/push-agreements")
@policy(SIGNED_IN)
def list_agreements():
    return jsonify([{"matter": a.matter.code, "flow": a.flow, "time_limit_days": a.time_limit_days,
                     "content_items": a.content_items, "format": a.format, "route": a.route}
                    for a in reads.agreements(g.db, by_matter=False)])


@bp.post("/push-agreements")
@policy(Action.ADMINISTER)
def set_agreement():
    require(current_user, Action.ADMINISTER)
    body = _json_body()
    pushes.set_agreement(get_archive(), _actor(), str(body.get("matter", "")), str(body.get("flow", "")),
                         body.get("time_limit_days"), str(body.get("content_items", "")),
                         str(body.get("format", "")), str(body.get("route", "")))
    return jsonify({"ok": True}), 201


@bp.get("/special-reviews")
@policy(SIGNED_IN)
def list_reviews():
    year = request.args.get("year", "")
    rows = reviews.register(g.db, current_user.agency.code, int(year) if year.isdigit() else None)
    return jsonify({"total": len(rows), "items": [reviews.describe(r) for r in rows]})


def _review(review_id: int):
    return reviews.visible(g.db, current_user.agency.code, review_id)


def _review_written(review_id: int) -> dict:
    return reads.review_as_written(get_archive(), current_user.agency.code, review_id)


@bp.post("/special-reviews")
@policy(Action.ISSUE_LETTERS)
def create_review():
    require(current_user, Action.ISSUE_LETTERS)
    review_id = reviews.start(get_archive(), _actor(), _json_body())
    return jsonify(_review_written(review_id)), 201, {"Location": f"/api/v1/special-reviews/{review_id}"}


@bp.get("/special-reviews/<int:review_id>")
@policy(SIGNED_IN)
def get_review(review_id: int):
    return jsonify(reviews.describe(_review(review_id)))


@bp.post("/special-reviews/<int:review_id>/conclusion")
@policy(Action.ISSUE_LETTERS)
def conclude_review(review_id: int):
    body = _json_body()
    reviews.conclude(get_archive(), _actor(), review_id, body.get("record_id"), str(body.get("conclusion", "")))
    return jsonify(_review_written(review_id))


@bp.post("/special-reviews/<int:review_id>/decision")
@policy(Action.ISSUE_LETTERS)
def decide_review(review_id: int):
    reviews.decide(get_archive(), _actor(), review_id, _json_body().get("record_id"))
    return jsonify(_review_written(review_id))


@bp.post("/special-reviews/<int:review_id>/participants")
@policy(Action.ISSUE_LETTERS)
def review_participants(review_id: int):
    reviews.assign_participants(get_archive(), _actor(), review_id, str(_json_body().get("participants", "")))
    return jsonify(_review_written(review_id))


@bp.post("/pushes/<int:push_id>/finding")
@policy(Action.ISSUE_LETTERS)
def push_finding(push_id: int):
    body = _json_body()
    pushes.find(get_archive(), _actor(), push_id, str(body.get("finding", "")), str(body.get("finding_reason", "")))
    return jsonify(reads.push_as_written(get_archive(), current_user.agency.code, push_id))


@bp.get("/review-procedures")
@policy(SIGNED_IN)
def list_review_procedures():
    rows = procedures.listing(g.db, request.args.get("agency") or None)
    return jsonify({"total": len(rows), "items": [procedures.describe(r) for r in rows]})


@bp.post("/review-procedures")
@policy(Action.ADMINISTER)
def save_review_procedure():
    require(current_user, Action.ADMINISTER)
    row_id = procedures.save(get_archive(), _actor(), _json_body())
    return jsonify(reads.procedure_as_written(get_archive(), row_id)), 201


@bp.post("/review-procedures/import")
@policy(Action.ADMINISTER)
def import_review_procedures():
    require(current_user, Action.ADMINISTER)
    upload = request.files.get("file")
    n = procedures.import_csv(get_archive(), _actor(), upload.read(2_000_000) if upload else b"")
    return jsonify({"imported": n}), 201


@bp.delete("/review-procedures/<int:row_id>")
@policy(Action.ADMINISTER)
def delete_review_procedure(row_id: int):
    require(current_user, Action.ADMINISTER)
    procedures.delete(get_archive(), _actor(), row_id)
    return "", 204


@bp.get("/liaison-officers")
@policy(SIGNED_IN)
def list_liaison():
    agency = request.args.get("agency") or None
    if request.args.get("history") == "1":
        rows = liaison.history(g.db, agency or current_user.agency.code)
    else:
        rows = liaison.current(g.db, agency)
    return jsonify({"items": [liaison.describe(r) for r in rows],
                    "pending": [liaison.describe(r) for r in liaison.pending(g.db, current_user.agency.code)]})


@bp.post("/liaison-officers")
@policy(Action.ISSUE_LETTERS)
def create_liaison():
    require(current_user, Action.ISSUE_LETTERS)
    row_id = liaison.file_change(get_archive(), _actor(), _json_body())
    return jsonify(reads.liaison_as_written(get_archive(), row_id)), 201


@bp.post("/liaison-officers/filing-form")
@policy(Action.ISSUE_LETTERS)
def liaison_filing_form():
    require(current_user, Action.ISSUE_LETTERS)
    doc_id = liaison.filing_form(get_archive(), _actor(), str(_json_body().get("unit_name", "")))
    return jsonify({"document_id": doc_id, "links": {"pdf": f"/api/v1/documents/{doc_id}/pdf",
                                                     "docx": f"/api/v1/documents/{doc_id}/docx"}}), 201


@bp.get("/dashboard")
@policy(SIGNED_IN)
def get_dashboard():
    board = dashboard.build(g.db, current_user.agency.code)

    def item(x) -> dict:
        if isinstance(x, dashboard.Unpushed):
            return {"type": "unpushed_case", "case_no": x.case.case_no, "decided_on": x.decided_on.isoformat(),
                    "due_on": x.due_on.isoformat(), "working_days_since": x.days_since}
        if isinstance(x, pushes.Push):
            return {"type": "push", "id": x.id, "flow": x.flow, "sent_on": x.sent_on.isoformat(),
                    "working_days_waiting": board.waited.get(x.id)}
        return {"type": "special_review", "id": x.id, "due_on": x.due_on.isoformat(),
                "schedule_known": x.due_schedule_known}

    return jsonify({"agency": board.agency.code, "today": board.today.isoformat(), "counts": board.counts(),
                    "due_soon_until": board.soon_until.isoformat(),
                    **{k: [item(x) for x in getattr(board, k)]
                       for k in ("to_receive", "awaiting_receipt", "overdue", "due_soon", "reviews_open",
                                 "conclusions_owed", "unpushed")},
                    "liaison_pending": [liaison.describe(r) for r in board.liaison_pending]})


@bp.post("/workdays/schedules")
@policy(Action.ADMINISTER)
def load_schedule():
    require(current_user, Action.ADMINISTER)
    upload, year = request.files.get("file"), request.form.get("year", "")
    days = deadlines.load_schedule(get_archive(), _actor(), year, upload.read(1_000_000) if upload else None)
    return jsonify({"year": int(year), "days": days, "loaded_on": localtime.today().isoformat()}), 201
