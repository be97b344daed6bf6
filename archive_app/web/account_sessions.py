"""我的账户 · 登录会话: a user sees where they are signed in and ends any of those sessions
(issue 11 item 4). Kept apart from account.py; the account page includes `_account_sessions.html`."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, url_for
from flask_login import current_user, login_required

from ..models import UserSession
from ..organisation import user_sessions
from ..organisation.access import SIGNED_IN, policy
from ..organisation.actor import Actor
from . import get_archive
from .forms import check_csrf

bp = Blueprint("account_sessions", __name__, url_prefix="/account/sessions")


def _mine() -> list[UserSession]:
    return user_sessions.mine(get_archive(), g.db, current_user.id)


@bp.route("/<int:session_id>/end", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def end(session_id: int):
    """End one of my own sessions (another's id is simply not found)."""
    check_csrf()
    if not user_sessions.end_own(get_archive(), Actor.from_user(current_user), session_id):
        flash("没有找到该登录会话，或它已经结束。", "error")
    elif session_id == g.get("user_session_id"):
        return redirect(url_for("auth.login"))
    else:
        flash("该登录会话已结束，使用它的浏览器需要重新登录。", "success")
    return redirect(url_for("account.index"))


@bp.route("/end-others", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def end_others():
    check_csrf()
    n = user_sessions.end_others(get_archive(), Actor.from_user(current_user), keep_id=g.get("user_session_id"))
    flash(f"已结束其他 {n} 个登录会话。", "success")
    return redirect(url_for("account.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _sessions() -> dict:
        return {"my_open_sessions": _mine, "session_end_reasons": user_sessions.END_REASONS}
