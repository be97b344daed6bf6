"""Administration pages: users, agencies and units, matters and their transfer dates.

An administrator manages only their own agency (`access.require_admin_of`): its users, units and
audit entries. A matter's transfer date moves records between agencies, so it changes only by a
request of one agency's administrator confirmed by the other's (`transfer_requests`).
Each form calls one service (users, registry, transfer_requests) through `run_form_action`."""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template, request, url_for
from flask_login import current_user, login_required

from ..core import errors, localtime
from ..models import ROLE_LABELS, ROLES, TRANSFER_REQUEST_STATUSES
from ..organisation import agencies, users
from ..organisation.access import Action, policy, require, require_admin_of
from ..organisation.actor import Actor
from ..records import catalogue, transfer, transfer_requests
from . import get_archive
from .auth import safe_next
from .forms import CsrfForm, check_csrf, run_form_action

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _guard() -> None:
    require(current_user, Action.ADMINISTER)
    if request.method == "POST":
        check_csrf()


def _require_admin_of_code(agency_code: str) -> None:
    """A refusal before the form action, so it is a 403 page (an unknown code is the service's VALIDATION)."""
    target = agencies.agency_id(g.db, agency_code)
    if target is not None:
        require_admin_of(current_user, target)


def _run(action, success: str):
    """Run the service; flash the outcome; come back to the admin page."""
    return run_form_action(action, success, safe_next(request.form.get("back"), url_for("admin.index")))


def _me() -> Actor:
    return Actor.from_user(current_user)


@bp.route("/")
@login_required
@policy(Action.ADMINISTER)
def index():
    _guard()
    return render_template(
        "admin.html", form=CsrfForm(), roles=ROLES, role_labels=ROLE_LABELS,
        users=users.agency_users(g.db, current_user.agency_id), agencies=agencies.agencies(g.db),
        matters=catalogue.matters(g.db), transfer_requests=transfer_requests.pending(g.db, current_user.agency_id),
        request_statuses=TRANSFER_REQUEST_STATUSES)


@bp.route("/users", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_user():
    _guard()
    f = request.form
    _require_admin_of_code(f.get("agency", ""))
    return _run(lambda: users.admin_add_user(get_archive(), _me(), f.get("username", "").strip(), f.get("agency", ""),
                                             f.get("role", ""), f.get("password", ""), f.get("display_name") or None),
                f"已添加用户 {f.get('username')}。")


@bp.route("/users/<username>/active", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def toggle_user(username: str):
    _guard()
    users.check_manages(g.db, current_user, username)
    active = request.form.get("active") == "1"
    return _run(lambda: users.admin_set_active(get_archive(), _me(), username, active),
                f"已{'启用' if active else '停用'}用户 {username}。")


@bp.route("/users/<username>/password", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def reset_password(username: str):
    _guard()
    users.check_manages(g.db, current_user, username)
    return _run(lambda: users.admin_reset_password(get_archive(), _me(), username, request.form.get("password", "")),
                f"已重设 {username} 的密码。")


@bp.route("/users/<username>/role", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def change_role(username: str):
    _guard()
    users.check_manages(g.db, current_user, username)
    role = request.form.get("role", "")
    return _run(lambda: users.admin_set_role(get_archive(), _me(), username, role),
                f"已将 {username} 的角色改为{ROLE_LABELS.get(role, role)}，其登录会话已结束。")


@bp.route("/agencies", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_agency():
    _guard()
    f = request.form
    return _run(lambda: agencies.new_agency(get_archive(), _me(), f.get("code", ""), f.get("name", ""),
                                            f.get("fonds", ""), f.get("prefix")),
                f"已添加单位 {f.get('name')}。")


@bp.route("/units", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_unit():
    _guard()
    f = request.form
    _require_admin_of_code(f.get("agency", ""))
    return _run(lambda: agencies.new_unit(get_archive(), _me(), f.get("agency", ""), f.get("code", ""),
                                          f.get("name", ""), f.get("is_default") == "1"),
                f"已添加科室 {f.get('name')}。")


@bp.route("/matters", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_matter():
    _guard()
    f = request.form
    if current_user.agency.code not in (f.get("department"), f.get("approving")):
        raise errors.Forbidden("只能添加本单位作为原主管部门或审批单位的事项。")

    def act() -> None:
        limit = f.get("time_limit", "").strip()
        agencies.new_matter(get_archive(), _me(), f.get("code", ""), f.get("name", ""), f.get("department", ""),
                            f.get("approving", ""), agencies.parse_transfer_date(f.get("transfer_date")),
                            int(limit) if limit.isdigit() else None)
    return _run(act, f"已添加事项 {f.get('name')}。")


@bp.route("/matters/<code>/transfer-date", methods=["GET", "POST"])
@login_required
@policy(Action.ADMINISTER)
def transfer_date(code: str):
    """GET: preview how many records would change custodian; POST: ask the other agency to confirm."""
    _guard()
    raw = request.values.get("date", "").strip()
    new_date = agencies.parse_transfer_date(raw) if raw else None
    if request.method == "POST":
        return _run(lambda: transfer_requests.request_change(get_archive(), _me(), code, new_date,
                                                             request.form.get("reason", "")),
                    f"已提出将事项 {code} 的划转日期更正为 {_day(new_date)} 的申请，"
                    "待另一单位的系统管理员确认后生效。")
    return render_template("admin_transfer.html", matter=agencies.matter(g.db, code), new_date=new_date, raw=raw,
                           moves=transfer.preview(g.db, code, new_date), form=CsrfForm())


@bp.route("/transfer-requests/<int:request_id>/<any(confirm, refuse, withdraw):act>", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def transfer_request_step(request_id: int, act: str):
    """Confirm or refuse (the other agency's administrator) or withdraw (the asking agency)."""
    _guard()
    if not transfer_requests.exists(g.db, request_id):
        raise errors.NotFound("没有找到该划转日期更正申请。")
    done = {"confirm": "已确认，划转日期已更正，保管单位已按第十条重新确定。", "refuse": "已不同意该更正申请。",
            "withdraw": "已撤回该申请。"}[act]
    return _run(lambda: transfer_requests.decide_change(get_archive(), _me(), request_id, act,
                                                        request.form.get("note")), done)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)


def _day(value) -> str:
    return localtime.cn_date(value) if value else "未划转"
