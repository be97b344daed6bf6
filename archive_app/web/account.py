"""A user's own account: role in Chinese, password change (with the current password, rules shown),
API tokens (shown once, stored hashed, revocable)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.security import check_password_hash

from .. import audit, errors
from ..access import SIGNED_IN, policy
from ..models import ApiToken, User
from ..users import create_token, revoke_tokens, set_password
from . import get_archive
from .forms import CsrfForm, check_csrf, flash_error

bp = Blueprint("account", __name__, url_prefix="/account")



@bp.route("/")
@login_required
@policy(SIGNED_IN)
def index():
    tokens = g.db.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)).all()
    return render_template("account.html", tokens=tokens, form=CsrfForm(), new_token=None,
                           password_rules=PASSWORD_RULES, password_errors={})


PASSWORD_RULES = ("至少 8 个字符", "不能与用户名相同", "不能与当前密码相同", "两次输入的新密码一致")


def password_problems(user: User, current: str, new: str, repeat: str) -> dict[str, str]:
    """Every problem with a password change at once (the rules the page shows)."""
    problems: dict[str, str] = {}
    if not current or not check_password_hash(user.password_hash, current):
        problems["current_password"] = "当前密码不正确"  # noqa: S105
    if len(new) < 8:
        problems["new_password"] = "新密码至少 8 个字符"  # noqa: S105
    elif new.casefold() == user.username.casefold():
        problems["new_password"] = "新密码不能与用户名相同"  # noqa: S105
    elif current and new == current:
        problems["new_password"] = "新密码不能与当前密码相同"  # noqa: S105
    if new != repeat:
        problems["repeat_password"] = "两次输入的新密码不一致"  # noqa: S105
    return problems


@bp.route("/password", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def change_password():
    """A user changes their own password; other sessions end, this one stays (users.set_password)."""
    check_csrf()
    f = request.form
    problems = password_problems(current_user, f.get("current_password", ""), f.get("new_password", ""),
                                 f.get("repeat_password", ""))
    if problems:
        if "current_password" in problems:
            with get_archive().db.transaction() as s:  # a wrong current password is worth a trace
                audit.append(s, actor=current_user.username, agency_code=current_user.agency.code,
                             action="user.password_refused", object_type="user", object_id=current_user.id)
        flash_error(errors.Validation("密码没有修改：" + "；".join(problems.values()) + "。", fields=problems),
                    "未能修改密码")
        tokens = g.db.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id)
                              .order_by(ApiToken.id)).all()
        return render_template("account.html", tokens=tokens, form=CsrfForm(), new_token=None,
                               password_rules=PASSWORD_RULES, password_errors=problems), 400
    with get_archive().db.transaction() as s:
        set_password(s, current_user.username, f["new_password"], actor=current_user.username,
                     keep_session_id=g.get("user_session_id"))
    flash("密码已修改。其他设备上的登录已结束，需要用新密码重新登录。", "success")
    return redirect(url_for("account.index"))


@bp.route("/tokens", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def new_token():
    check_csrf()
    with get_archive().db.transaction() as s:
        token = create_token(s, current_user.username, actor=current_user.username)
    tokens = g.db.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)).all()
    return render_template("account.html", tokens=tokens, form=CsrfForm(), new_token=token,
                           password_rules=PASSWORD_RULES, password_errors={})


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def revoke(token_id: int):
    check_csrf()
    with get_archive().db.transaction() as s:
        n = revoke_tokens(s, current_user.username, actor=current_user.username, token_id=token_id)
    flash("令牌已吊销。" if n else "没有找到该令牌。", "success" if n else "error")
    return redirect(url_for("account.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
