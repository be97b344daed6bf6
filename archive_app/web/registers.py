"""Pages of the 审管联动 registers: dashboard, push ledger, special reviews, liaison officers,
push agreements and holiday schedules. Every write goes through the `registers` services."""

from __future__ import annotations

from flask import Blueprint, Flask, g, jsonify, render_template, request, url_for
from flask_login import current_user, login_required

from ..cases import dashboard as case_dashboard
from ..core import localtime
from ..intake import Actor
from ..models import CHANNELS, FINDINGS, FLOWS, POLICY_CATEGORIES, POSITIONS, REVIEW_MODES, Record
from ..models.registers import FORM_FLOWS
from ..organisation.access import SIGNED_IN, Action, can, policy, require
from ..records import catalogue
from ..registers import dashboard, deadlines, liaison, procedures, pushes, reads, receipts, reviews
from . import get_archive
from .forms import CsrfForm
from .forms import run_form_action as _write
from .paging import PER_PAGE, list_args, page_number

bp = Blueprint("registers", __name__, url_prefix="/registers")


def _actor(action: Action = Action.ISSUE_LETTERS) -> Actor:
    require(current_user, action)
    return Actor.from_user(current_user)


def _form() -> dict:
    """The form as the services take it: records picked by 档号/题名 arrive as repeated `record_ids`;
    the agreed content items as lines 「项目：内容」."""
    data = {k: v for k, v in request.form.items() if k not in ("csrf_token", "record_ids", "items_text") and v != ""}
    picked = [x for x in request.form.getlist("record_ids") if x.strip()]
    if picked:
        data["record_ids"] = picked
    if request.form.get("items_text", "").strip():
        items = {}
        for line in request.form["items_text"].splitlines():
            name, sep, value = line.replace("：", ":").partition(":")
            if sep and name.strip():
                items[name.strip()] = value.strip()
        data["items"] = items
    return data


@bp.route("/")
@login_required
@policy(SIGNED_IN)
def index():
    board = dashboard.build(g.db, current_user.agency.code)
    # the case board below it: the same day and the same calendar (one CalendarDay scan per page)
    cases = case_dashboard.build(g.db, current_user.agency_id, board.today, calendar=board.calendar)
    return render_template("registers_dashboard.html", board=board, case_board=cases, flows=FLOWS,
                           modes=REVIEW_MODES, positions=POSITIONS)


@bp.route("/pushes/new", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def push_new():
    actor = _actor()
    return _write(lambda: url_for("registers.push_detail", push_id=pushes.send(get_archive(), actor, _form())),
                  "已推送。", url_for("registers.push_list"))


@bp.route("/pushes")
@login_required
@policy(SIGNED_IN)
def push_list():
    flow = request.args.get("flow") or None
    code = current_user.agency.code
    own_docs = reads.issued_letters(g.db, code)
    agencies = reads.other_agencies(g.db, code)
    # pushes this agency may answer (（五）（六）, not yet answered) and reviews it owes a conclusion
    answerable = pushes.answerable(g.db, code)
    owed = reviews.conclusions_owed(g.db, code)
    reply_to = request.args.get("reply_to", "")
    reply_flow = next((p.flow for p in answerable if str(p.id) == reply_to), None)
    picked = request.args.get("record_id", "")
    picked_record = g.db.get(Record, int(picked)) if picked.isdigit() else None
    ledger = pushes.ledger_page(g.db, code, flow, page_number(), PER_PAGE)
    return render_template("registers_pushes.html", rows=ledger.items, ledger=ledger, args=list_args(),
                           flows=FLOWS, send_flows=FORM_FLOWS, channels=CHANNELS, flow=flow, agencies=agencies,
                           docs=own_docs,
                           matters=catalogue.matters(g.db), labels=pushes.STATUS_LABELS, status=pushes.status,
                           form=CsrfForm(), can_send=can(current_user, Action.ISSUE_LETTERS),
                           reply_to=reply_to, reply_flow=reply_flow, answerable=answerable, owed=owed,
                           review_id=request.args.get("review_id", ""), policy_categories=POLICY_CATEGORIES,
                           findings=FINDINGS, agreements=reads.agreements(g.db, by_matter=False),
                           picked=picked_record if picked_record and picked_record.custodian.code == code else None)


@bp.route("/record-choices")
@login_required
@policy(SIGNED_IN)
def record_choices():
    """The push form's record picker: the agency's own records whose 档号 or 题名 matches `q`
    (catalogue data only, which every signed-in user may see)."""
    q = (request.args.get("q") or "").strip().replace("-", "·")[:100]
    if not q:
        return jsonify({"items": []})
    rows = reads.own_records_matching(g.db, current_user.agency_id, q)
    return jsonify({"items": [{"id": r.id, "archival_code": r.archival_code, "title": r.title,
                               "case_no": r.case.case_no if r.case else None} for r in rows]})


@bp.route("/pushes/<int:push_id>")
@login_required
@policy(SIGNED_IN)
def push_detail(push_id: int):
    push = pushes.visible(g.db, current_user.agency.code, push_id)
    sent = receipts.pushed_records(g.db, push)
    return render_template("registers_push.html", push=push, info=pushes.describe(push), flows=FLOWS,
                           channels=CHANNELS, labels=pushes.STATUS_LABELS, form=CsrfForm(),
                           can_act=can(current_user, Action.ISSUE_LETTERS), sent=sent,
                           copies=receipts.received_copies(g.db, push), findings=FINDINGS,
                           answer=reads.answer_to(g.db, push.id), hands_over=pushes.is_handover(push))


@bp.route("/pushes/<int:push_id>/finding", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def push_finding(push_id: int):
    actor = _actor()
    back = url_for("registers.push_detail", push_id=push_id)
    return _write(lambda: pushes.find(get_archive(), actor, push_id, request.form.get("finding", ""),
                                      request.form.get("finding_reason", "")), "已认定。", back)


@bp.route("/pushes/<int:push_id>/receive", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def push_receive(push_id: int):
    actor = _actor()
    back = url_for("registers.push_detail", push_id=push_id)
    return _write(lambda: pushes.receive(get_archive(), actor, push_id), "已签收。", back)


@bp.route("/reviews/new", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def review_new():
    actor = _actor()
    return _write(lambda: url_for("registers.review_detail", review_id=reviews.start(get_archive(), actor, _form())),
                  "已登记特别审查程序。", url_for("registers.review_list"))


@bp.route("/reviews")
@login_required
@policy(SIGNED_IN)
def review_list():
    code = current_user.agency.code
    agencies = reads.other_agencies(g.db, code)
    procedures = reads.review_procedures(g.db)
    register = reviews.register_page(g.db, code, page_number(), PER_PAGE)
    return render_template("registers_reviews.html", rows=register.items, register=register, args=list_args(),
                           kinds=reviews.KINDS, modes=REVIEW_MODES, agencies=agencies, labels=reviews.STATUS_LABELS,
                           form=CsrfForm(), can_act=can(current_user, Action.ISSUE_LETTERS), today=localtime.today(),
                           procedures=procedures, kind_label=reviews.kind_label,
                           organises=reads.organises_reviews(g.db, current_user.agency_id))


@bp.route("/reviews/<int:review_id>")
@login_required
@policy(SIGNED_IN)
def review_detail(review_id: int):
    review = reviews.visible(g.db, current_user.agency.code, review_id)
    lead = review.lead.code == current_user.agency.code
    decisions = reads.decision_records(g.db, review)
    return render_template("registers_review.html", review=review, info=reviews.describe(review),
                           labels=reviews.STATUS_LABELS, form=CsrfForm(), lead=lead,
                           can_act=can(current_user, Action.ISSUE_LETTERS),
                           conclusions=reviews.conclusion_records(g.db, review) if lead else [],
                           decisions=decisions if lead else [], today=localtime.today())


@bp.route("/reviews/<int:review_id>/<any(conclusion, decision, participants):step>", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def review_step(review_id: int, step: str):
    actor = _actor()
    back = url_for("registers.review_detail", review_id=review_id)
    if step == "participants":
        return _write(lambda: reviews.assign_participants(get_archive(), actor, review_id,
                                                          request.form.get("participants", "")),
                      "已确定参加人员。", back)
    if step == "conclusion":
        return _write(lambda: reviews.conclude(get_archive(), actor, review_id, request.form.get("record_id"),
                                               request.form.get("conclusion", "")), "已登记审查结论。", back)
    return _write(lambda: reviews.decide(get_archive(), actor, review_id, request.form.get("record_id")),
                  "已关联许可决定。", back)


@bp.route("/liaison/new", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def liaison_new():
    actor = _actor()
    data = {**_form(), "letter": "letter" in request.form}
    return _write(lambda: liaison.file_change(get_archive(), actor, data), "已备案。",
                  url_for("registers.liaison_list"))


@bp.route("/liaison/reform-office", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def reform_office():
    actor = _actor(Action.ADMINISTER)
    return _write(lambda: liaison.set_reform_office(get_archive(), actor, request.form.get("reform_office", "")),
                  "已保存备案机关。", url_for("registers.liaison_list"))


@bp.route("/liaison/filing-form", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def liaison_form():
    actor = _actor()
    unit = request.form.get("unit_name", "")
    return _write(lambda: url_for("documents.detail", doc_id=liaison.filing_form(get_archive(), actor, unit)),
                  f"已生成「{unit}」联络员备案表。", url_for("registers.liaison_list"))


@bp.route("/liaison")
@login_required
@policy(SIGNED_IN)
def liaison_list():
    return render_template("registers_liaison.html", current=liaison.current(g.db),
                           pending=liaison.pending(g.db, current_user.agency.code),
                           history=liaison.history(g.db, current_user.agency.code), positions=POSITIONS,
                           form=CsrfForm(), can_act=can(current_user, Action.ISSUE_LETTERS))


@bp.route("/agreements/new", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def agreement_new():
    actor = _actor(Action.ADMINISTER)
    f = request.form
    return _write(lambda: pushes.set_agreement(get_archive(), actor, f.get("matter", ""), f.get("flow", ""),
                                               f.get("time_limit_days", ""), f.get("content_items", ""),
                                               f.get("format", ""), f.get("route", "")),
                  "已保存推送约定。", url_for("registers.agreements"))


@bp.route("/agreements")
@login_required
@policy(SIGNED_IN)
def agreements():
    rows = reads.agreements(g.db)
    formats = {flow: pushes.agreement_formats(flow) for flow in FORM_FLOWS}
    all_formats = {k: v for f in formats.values() for k, v in f.items()}
    return render_template("registers_agreements.html", rows=rows, flows=FORM_FLOWS, channels=CHANNELS,
                           matters=catalogue.matters(g.db), form=CsrfForm(), formats=formats, all_formats=all_formats,
                           can_edit=can(current_user, Action.ADMINISTER), default_days=pushes.DEFAULT_SEND_DAYS)


@bp.route("/procedures")
@login_required
@policy(SIGNED_IN)
def procedure_list():
    """The 特别审查程序汇总表 per matter; the approving agency's administrators keep it."""
    code = current_user.agency.code
    own = [m for m in catalogue.matters(g.db) if m.approving_agency.code == code and m.department.code != code]
    rows = procedures.listing(g.db)
    approvers = sorted({(r.matter.approving_agency.code, r.matter.approving_agency.name) for r in rows}) \
        or [(code, current_user.agency.name)]
    return render_template("registers_procedures.html", rows=rows, kinds=reviews.KINDS, approvers=approvers,
                           modes=REVIEW_MODES, matters=own, form=CsrfForm(), kind_label=reviews.kind_label,
                           can_edit=can(current_user, Action.ADMINISTER) and bool(own))


@bp.route("/procedures/new", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def procedure_new():
    actor = _actor(Action.ADMINISTER)
    return _write(lambda: procedures.save(get_archive(), actor, _form()), "已保存汇总表条目。",
                  url_for("registers.procedure_list"))


@bp.route("/procedures/import", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def procedure_import():
    actor = _actor(Action.ADMINISTER)
    upload = request.files.get("file")
    data = upload.read(2_000_000) if upload and upload.filename else b""
    return _write(lambda: procedures.import_csv(get_archive(), actor, data), "已导入汇总表。",
                  url_for("registers.procedure_list"))


@bp.route("/procedures/<int:row_id>/delete", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def procedure_delete(row_id: int):
    actor = _actor(Action.ADMINISTER)
    return _write(lambda: procedures.delete(get_archive(), actor, row_id), "已删除。",
                  url_for("registers.procedure_list"))


@bp.route("/schedules", methods=["GET", "POST"])
@login_required
@policy(Action.ADMINISTER)
def schedules():
    actor = _actor(Action.ADMINISTER)
    if request.method == "POST":
        upload, year = request.files.get("file"), request.form.get("year", "")

        def load() -> None:
            deadlines.load_schedule(get_archive(), actor, year,
                                    upload.read(1_000_000) if upload and upload.filename else None)

        return _write(load, f"已载入 {year} 年节假日安排，未完结事项的期限已重新计算。", url_for("registers.schedules"))
    loaded = reads.loaded_schedules(g.db)
    return render_template("registers_schedules.html", loaded=loaded, form=CsrfForm(), this_year=localtime.today().year)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
