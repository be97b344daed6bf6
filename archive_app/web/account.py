"""A user's own account: role in Chinese, password change (with the current password, rules shown),
API tokens (shown once, stored hashed, revocable)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..core import errors
from ..organisation import users
from ..organisation.access import SIGNED_IN, policy
from ..organisation.actor import Actor
from . import get_archive
from .forms import CsrfForm, check_csrf, flash_error

bp = Blueprint("account", __name__, url_prefix="/account")


def _page(new_token: str | None = None, password_errors: dict | None = None):
    return render_template("account.html", tokens=users.tokens_of(g.db, Actor.from_user(current_user)),
                           form=CsrfForm(), new_token=new_token, password_rules=users.PASSWORD_RULES,
                           password_errors=password_errors or {})


@bp.route("/")
@login_required
@policy(SIGNED_IN)
def index():
    return _page()


@bp.route("/password", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def change_password():
    """A user changes their own password; other sessions end, this one stays (users.set_password)."""
    check_csrf()
    f = request.form
    try:
        users.change_own_password(get_archive(), Actor.from_user(current_user), f.get("current_password", ""),
                                  f.get("new_password", ""), f.get("repeat_password", ""),
                                  keep_session_id=g.get("user_session_id"))
    except errors.Validation as exc:
        flash_error(exc, "未能修改密码")
        return _page(password_errors=exc.extra.get("fields", {})), 400
    flash("密码已修改。其他设备上的登录已结束，需要用新密码重新登录。", "success")
    return redirect(url_for("account.index"))


@bp.route("/tokens", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def new_token():
    check_csrf()
    return _page(new_token=users.new_own_token(get_archive(), Actor.from_user(current_user)))


@bp.route("/tokens/<int:token_id>/revoke", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def revoke(token_id: int):
    check_csrf()
    n = users.revoke_own_token(get_archive(), Actor.from_user(current_user), token_id)
    flash("令牌已吊销。" if n else "没有找到该令牌。", "success" if n else "error")
    return redirect(url_for("account.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
