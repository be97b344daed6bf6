"""Administration pages: users, agencies and units, matters and their transfer dates.

An administrator manages only their own agency (`access.require_admin_of`): its users, units and
audit entries. A matter's transfer date moves records between agencies, so it changes only by a
request of one agency's administrator confirmed by the other's (`transfer_requests`)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import errors, registry, transfer, transfer_requests
from ..access import Action, policy, require, require_admin_of
from ..models import ROLE_LABELS, ROLES, TRANSFER_REQUEST_STATUSES, Agency, Matter, TransferDateRequest, User
from ..users import create_user, set_active, set_password, set_role
from . import get_archive
from .forms import CsrfForm, check_csrf, flash_error

bp = Blueprint("admin", __name__, url_prefix="/admin")



def _guard() -> None:
    require(current_user, Action.ADMINISTER)
    if request.method == "POST":
        check_csrf()


def _agency_id(code: str) -> int | None:
    return g.db.scalar(select(Agency.id).where(Agency.code == code))


def _user_agency_id(username: str) -> int | None:
    user = g.db.scalar(select(User).where(User.username == username))
    if user is None:
        raise errors.NotFound(f"用户「{username}」不存在。")
    return user.agency_id


def _run(action, success: str):
    """Run a write; flash the outcome; always come back to the admin page."""
    try:
        with get_archive().db.transaction() as s:
            action(s)
    except errors.ArchiveError as exc:
        flash_error(exc, "未能完成")
    else:
        flash(success, "success")
    return redirect(request.form.get("back") or url_for("admin.index"))


@bp.route("/")
@login_required
@policy(Action.ADMINISTER)
def index():
    _guard()
    return render_template(
        "admin.html", form=CsrfForm(), roles=ROLES, role_labels=ROLE_LABELS,
        users=g.db.scalars(select(User).where(User.agency_id == current_user.agency_id)
                           .order_by(User.username)).all(),
        agencies=g.db.scalars(select(Agency).order_by(Agency.code)).all(),
        matters=g.db.scalars(select(Matter).order_by(Matter.code)).all(),
        transfer_requests=transfer_requests.pending(g.db, current_user.agency_id),
        request_statuses=TRANSFER_REQUEST_STATUSES)


@bp.route("/users", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_user():
    _guard()
    f = request.form
    if _agency_id(f.get("agency", "")) is not None:
        require_admin_of(current_user, _agency_id(f.get("agency", "")))
    return _run(lambda s: create_user(s, f.get("username", "").strip(), f.get("agency", ""), f.get("role", ""),
                                      f.get("password", ""), f.get("display_name") or None,
                                      actor=current_user.username),
                f"已添加用户 {f.get('username')}。")


@bp.route("/users/<username>/active", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def toggle_user(username: str):
    _guard()
    require_admin_of(current_user, _user_agency_id(username))
    if username == current_user.username:
        flash("不能停用自己的账户。", "error")
        return redirect(url_for("admin.index"))
    active = request.form.get("active") == "1"
    return _run(lambda s: set_active(s, username, active, actor=current_user.username),
                f"已{'启用' if active else '停用'}用户 {username}。")


@bp.route("/users/<username>/password", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def reset_password(username: str):
    _guard()
    require_admin_of(current_user, _user_agency_id(username))
    return _run(lambda s: set_password(s, username, request.form.get("password", ""), actor=current_user.username),
                f"已重设 {username} 的密码。")


@bp.route("/users/<username>/role", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def change_role(username: str):
    _guard()
    require_admin_of(current_user, _user_agency_id(username))
    if username == current_user.username:
        flash("不能更改自己的角色。", "error")
        return redirect(url_for("admin.index"))
    role = request.form.get("role", "")
    return _run(lambda s: set_role(s, username, role, actor=current_user.username),
                f"已将 {username} 的角色改为{ROLE_LABELS.get(role, role)}，其登录会话已结束。")


@bp.route("/agencies", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_agency():
    _guard()
    f = request.form
    return _run(lambda s: registry.add_agency(s, f.get("code", ""), f.get("name", ""), f.get("fonds", ""),
                                              f.get("prefix"), actor=current_user.username),
                f"已添加单位 {f.get('name')}。")


@bp.route("/units", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_unit():
    _guard()
    f = request.form
    if _agency_id(f.get("agency", "")) is not None:
        require_admin_of(current_user, _agency_id(f.get("agency", "")))
    return _run(lambda s: registry.add_unit(s, f.get("agency", ""), f.get("code", ""), f.get("name", ""),
                                            f.get("is_default") == "1", actor=current_user.username),
                f"已添加科室 {f.get('name')}。")


@bp.route("/matters", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_matter():
    _guard()
    f = request.form

    if current_user.agency.code not in (f.get("department"), f.get("approving")):
        raise errors.Forbidden("只能添加本单位作为原主管部门或审批单位的事项。")

    def act(s) -> None:
        limit = f.get("time_limit", "").strip()
        registry.add_matter(s, f.get("code", ""), f.get("name", ""), f.get("department", ""), f.get("approving", ""),
                            registry.parse_transfer_date(f.get("transfer_date")),
                            int(limit) if limit.isdigit() else None, current_user.username)
    return _run(act, f"已添加事项 {f.get('name')}。")


@bp.route("/matters/<code>/transfer-date", methods=["GET", "POST"])
@login_required
@policy(Action.ADMINISTER)
def transfer_date(code: str):
    """GET: preview how many records would change custodian; POST: ask the other agency to confirm."""
    _guard()
    raw = request.values.get("date", "").strip()
    new_date = registry.parse_transfer_date(raw) if raw else None
    if request.method == "POST":
        return _run(lambda s: transfer_requests.ask(s, s.merge(current_user), code, new_date,
                                                    request.form.get("reason", "")),
                    f"已提出将事项 {code} 的划转日期更正为 {new_date or '未划转'} 的申请，"
                    "待另一单位的系统管理员确认后生效。")
    matter = g.db.scalar(select(Matter).where(Matter.code == code))
    if matter is None:
        raise errors.NotFound(f"事项代码「{code}」不存在。")
    return render_template("admin_transfer.html", matter=matter, new_date=new_date, raw=raw,
                           moves=transfer.preview(g.db, code, new_date), form=CsrfForm())


@bp.route("/transfer-requests/<int:request_id>/<any(confirm, refuse, withdraw):act>", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def transfer_request_step(request_id: int, act: str):
    """Confirm or refuse (the other agency's administrator) or withdraw (the asking agency)."""
    _guard()
    note = request.form.get("note")

    def run(s) -> None:
        user = s.merge(current_user)
        if act == "confirm":
            transfer_requests.confirm(s, user, request_id, note)
        elif act == "refuse":
            transfer_requests.refuse(s, user, request_id, note)
        else:
            transfer_requests.withdraw(s, user, request_id)
    row = g.db.get(TransferDateRequest, request_id)
    done = {"confirm": "已确认，划转日期已更正，保管单位已按第十条重新确定。", "refuse": "已不同意该更正申请。",
            "withdraw": "已撤回该申请。"}[act]
    if row is None:
        raise errors.NotFound("没有找到该划转日期更正申请。")
    return _run(run, done)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
