"""Pages of the 办件 register: the list with filters, the timeline page /cases/<办件编号> (print
stylesheet, PDF 办件全程记录), event and 重点项目 forms, register import, approval standards.
Every write goes through the `cases` services, which ask the access policy."""

from __future__ import annotations

import io

from flask import Blueprint, Flask, g, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..cases import dashboard, export, importer, key_projects, listing, register, service, standards, timeline
from ..cases import search as case_search
from ..cases.kinds import KINDS
from ..core import errors, localtime
from ..core.citations import cite
from ..models import CASE_STATUSES, Case
from ..organisation.access import (
    KEY_PROJECT_FLAGGER,
    SIGNED_IN,
    STANDARD_PROVIDER,
    Action,
    can,
    can_record_case,
    case_agency_id,
    policy,
)
from ..organisation.actor import Actor
from ..records import catalogue
from . import get_archive
from .forms import CsrfForm, check_csrf, flash_error
from .forms import run_form_action as _write

bp = Blueprint("cases", __name__, url_prefix="/cases")
FILTER_KEYS = ("q", "matter", "status", "applicant", "uscc", "certificate_no", "case_no", "decided_from", "decided_to",
               "overdue", "due_within", "unpushed", "key_project")


def _form() -> dict:
    """The form as the services take it: records picked by 档号/题名 (the record picker) arrive as
    repeated `record_ids`."""
    data = {k: v for k, v in request.form.items() if k not in ("csrf_token", "record_ids") and v != ""}
    picked = [x.strip() for x in request.form.getlist("record_ids") if x.strip()]
    if picked:
        data["record_ids"] = picked
    return data


@bp.route("/")
@login_required
@policy(SIGNED_IN)
def index():
    args = {k: v for k, v in request.args.items() if k in FILTER_KEYS and v}
    try:
        filters = listing.Filters.from_args(request.args)
        result = case_search.find(get_archive(), g.db, current_user, filters, channel="web",
                                  page=request.args.get("page", 1, type=int), per_page=30)
        problem = None
    except errors.ArchiveError as exc:
        result, problem = listing.Page([], 0, 1, 30), exc.message
    matters = catalogue.matters(g.db)
    can_receive = [m for m in matters if can_record_case(current_user, m, localtime.today(), "approval")]
    return render_template("cases.html", result=result, args=args, problem=problem, matters=matters,
                           statuses=CASE_STATUSES, summary=register.summary, can_receive=can_receive,
                           form=CsrfForm(), board=dashboard.build(g.db, current_user.agency_id),
                           can_import=can(current_user, Action.RECORD_CASE))


@bp.route("/new", methods=["POST"])
@login_required
@policy(Action.RECORD_CASE)
def new():
    data = _form()

    def act() -> str:
        case_no = service.receive(get_archive(), Actor.from_user(current_user), data)
        return url_for("cases.detail", case_no=case_no)
    return _write(act, "已受理登记。", url_for("cases.index"), "未能受理")


def _side_kinds(case: Case) -> dict[str, str]:
    """The kinds this user may record on this case now (by side and status)."""
    if not can(current_user, Action.RECORD_CASE):
        return {}
    sides = {side for side in ("approval", "supervision")
             if current_user.agency_id == case_agency_id(case.matter, localtime.today(), side)}
    keyed = case.key_project or case.matter.key_project
    return {k: v.label for k, v in KINDS.items() if v.side in sides and case.status in v.from_statuses
            and (k != "consultation" or keyed)}


@bp.route("/<case_no>")
@login_required
@policy(SIGNED_IN)
def detail(case_no: str):
    case = register.get(g.db, case_no)
    entries = timeline.build(g.db, case, current_user)
    info = register.summary(case)
    today = localtime.today()
    soon = dashboard.Calendar.from_db(g.db).deadline(today, dashboard.SOON_DAYS).deadline
    approver = case_agency_id(case.matter, localtime.today(), "approval")
    return render_template("case_detail.html", case=case, info=info, entries=entries,
                           standard=register.standard_in_force(g.db, case), statuses=CASE_STATUSES,
                           deadline_state=register.deadline_state(case, today, soon), kinds=_side_kinds(case),
                           can_flag=can_record_case(current_user, case.matter, localtime.today(), "approval"),
                           approver_is_me=approver == current_user.agency_id, form=CsrfForm(),
                           today_str=localtime.cn_date(today), approval_side=approver == current_user.agency_id)


@bp.route("/<case_no>/events", methods=["POST"])
@login_required
@policy(Action.RECORD_CASE)
def add_event(case_no: str):
    data = _form()

    def act() -> None:
        service.add_event(get_archive(), Actor.from_user(current_user), case_no, data)
    back = url_for("cases.detail", case_no=case_no)
    return _write(act, "已登记。", back, "未能登记")


@bp.route("/<case_no>/key-project", methods=["POST"])
@login_required
@policy(Action.RECORD_CASE)
def key_project(case_no: str):
    flag = request.form.get("key_project", "1") == "1"

    def act() -> None:
        service.flag(get_archive(), Actor.from_user(current_user), case_no, flag, request.form.get("reason", ""))
    done = "已标记为重点项目。" if flag else "已取消重点项目标记。"
    return _write(act, done, url_for("cases.detail", case_no=case_no), "未能标记")


@bp.route("/<case_no>/record.pdf")
@login_required
@policy(SIGNED_IN)
def pdf(case_no: str):
    case = register.get(g.db, case_no)
    entries = timeline.build(g.db, case, current_user)
    info = register.summary(case)
    std = register.standard_in_force(g.db, case)
    fields = [("办件编号", case.case_no), ("事项", case.matter.name), ("申请人", case.applicant),
              ("统一社会信用代码", case.applicant_uscc), ("受理日期", info["received_on"]),
              ("承诺时限", f"{case.matter.time_limit_days} 个工作日，{info['due_on']} 到期"
               + ("" if case.due_schedule_known else "（途经年份未载入节假日安排，按周一至周五计算）")
               if case.matter.time_limit_days and info["due_on"] else None),
              ("状态", info["status_label"]), ("决定", info["decision"]), ("决定日期", info["decided_on"]),
              ("许可证号", info["certificate_no"]), ("有效期至", info["valid_until"]), ("送达日期", info["served_on"]),
              ("监管单位", case.supervising_agency.name if case.supervising_agency else None),
              ("审批标准", f"{std.title}（第 {std.version} 版）" if std else None),
              ("重点项目", case.key_project_reason if case.key_project else None)]
    data = export.to_pdf(fields, entries, current_user.display_name or current_user.username, localtime.today())
    service.log_export(get_archive(), Actor.from_user(current_user), case.case_no, len(entries))
    return send_file(io.BytesIO(data), mimetype="application/pdf", as_attachment=True,
                     download_name=f"办件全程记录-{case.case_no}.pdf", max_age=0)


@bp.route("/import", methods=["GET", "POST"])
@login_required
@policy(Action.RECORD_CASE)
def import_register():
    report = None
    if request.method == "POST":
        check_csrf()
        try:
            report = importer.run_upload(get_archive(), current_user, request.files.get("file"))
        except errors.ArchiveError as exc:

            flash_error(exc, "未能导入")
    return render_template("case_import.html", form=CsrfForm(), report=report, columns=importer.COLUMNS)


@bp.route("/matters/<code>/standards")
@login_required
@policy(SIGNED_IN)
def matter_standards(code: str):
    matter = standards.matter_or_404(g.db, code)
    may_add = can(current_user, Action.ADMINISTER) and current_user.agency_id == matter.department_id
    return render_template("case_standards.html", matter=matter, rows=standards.versions(g.db, matter),
                           may_add=may_add, letters=standards.unused_letters(g.db, matter) if may_add else [],
                           may_flag=key_projects.may_flag(current_user, matter), form=CsrfForm())


@bp.route("/matters/<code>/standards", methods=["POST"])
@login_required
@policy(STANDARD_PROVIDER)
def add_standard(code: str):
    standards.require_provider(current_user, standards.matter_or_404(g.db, code))
    data = _form()
    letter = {k[len("letter_"):]: data.pop(k) for k in list(data) if k.startswith("letter_")}
    data["letter"] = letter

    def act() -> None:
        standards.publish(get_archive(), Actor.from_user(current_user), code, data)
    return _write(act, "已登记审批标准新版本，并以审批标准传递函推送审批机关。",
                  url_for("cases.matter_standards", code=code), "未能登记")


@bp.route("/matters/<code>/key-project", methods=["POST"])
@login_required
@policy(KEY_PROJECT_FLAGGER)
def matter_key_project(code: str):
    if not key_projects.may_flag(current_user, standards.matter_or_404(g.db, code)):
        raise errors.Forbidden("重点项目事项由审批机关的系统管理员标记（未央 三（三））。")
    flag = request.form.get("key_project", "1") == "1"

    def act() -> None:
        key_projects.set_matter(get_archive(), Actor.from_user(current_user), code, flag,
                                request.form.get("reason", ""))
    done = "已将该事项列为重点项目。" if flag else "已取消该事项的重点项目标记。"
    return _write(act, done, url_for("cases.matter_standards", code=code), "未能标记")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _citations():
        return {"cite": cite}

