"""Administration pages: users, agencies and units, matters and their transfer dates."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from .. import errors, registry, transfer
from ..access import Action, policy, require
from ..models import ROLE_LABELS, ROLES, Agency, Matter, User
from ..users import create_user, set_active, set_password
from . import get_archive
from .forms import CsrfForm, check_csrf

bp = Blueprint("admin", __name__, url_prefix="/admin")



def _guard() -> None:
    require(current_user, Action.ADMINISTER)
    if request.method == "POST":
        check_csrf()


def _run(action, success: str):
    """Run a write; flash the outcome; always come back to the admin page."""
    try:
        with get_archive().db.transaction() as s:
            action(s)
    except errors.ArchiveError as exc:
        flash(f"未能完成（{exc.code}）：{exc.message}", "error")
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
        users=g.db.scalars(select(User).order_by(User.agency_id, User.username)).all(),
        agencies=g.db.scalars(select(Agency).order_by(Agency.code)).all(),
        matters=g.db.scalars(select(Matter).order_by(Matter.code)).all())


@bp.route("/users", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_user():
    _guard()
    f = request.form
    return _run(lambda s: create_user(s, f.get("username", "").strip(), f.get("agency", ""), f.get("role", ""),
                                      f.get("password", ""), f.get("display_name") or None,
                                      actor=current_user.username),
                f"已添加用户 {f.get('username')}。")


@bp.route("/users/<username>/active", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def toggle_user(username: str):
    _guard()
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
    return _run(lambda s: set_password(s, username, request.form.get("password", ""), actor=current_user.username),
                f"已重设 {username} 的密码。")


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
    return _run(lambda s: registry.add_unit(s, f.get("agency", ""), f.get("code", ""), f.get("name", ""),
                                            f.get("is_default") == "1", actor=current_user.username),
                f"已添加科室 {f.get('name')}。")


@bp.route("/matters", methods=["POST"])
@login_required
@policy(Action.ADMINISTER)
def add_matter():
    _guard()
    f = request.form

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
    """GET: preview how many records would change custodian; POST: apply."""
    _guard()
    raw = request.values.get("date", "").strip()
    new_date = registry.parse_transfer_date(raw) if raw else None
    if request.method == "POST":
        return _run(lambda s: transfer.apply(s, code, new_date, current_user.username, current_user.agency.code),
                    f"事项 {code} 的划转日期已更正为 {new_date or '未划转'}，保管单位已重新确定。")
    matter = g.db.scalar(select(Matter).where(Matter.code == code))
    if matter is None:
        raise errors.NotFound(f"事项代码「{code}」不存在。")
    return render_template("admin_transfer.html", matter=matter, new_date=new_date, raw=raw,
                           moves=transfer.preview(g.db, code, new_date), form=CsrfForm())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
