"""我的账户 · 登录会话: a user sees where they are signed in and ends any of those sessions
(issue 11 item 4). Kept apart from account.py; the account page includes `_account_sessions.html`."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask, flash, g, redirect, url_for
from flask_login import current_user, login_required

from .. import user_sessions
from ..access import SIGNED_IN, policy
from ..models import UserSession
from . import get_archive
from .forms import check_csrf

bp = Blueprint("account_sessions", __name__, url_prefix="/account/sessions")


def _mine() -> list[UserSession]:
    idle = timedelta(minutes=get_archive().settings.session_idle_min)
    return user_sessions.open_sessions(g.db, current_user.id, idle)


@bp.route("/<int:session_id>/end", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def end(session_id: int):
    """End one of my own sessions (another's id is simply not found)."""
    check_csrf()
    with get_archive().db.transaction() as s:
        row = s.get(UserSession, session_id)
        done = row is not None and row.user_id == current_user.id and \
            user_sessions.end(s, session_id, "ended_by_user", current_user.username)
    if not done:
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
    with get_archive().db.transaction() as s:
        n = user_sessions.end_all(s, current_user.id, "ended_by_user", current_user.username,
                                  keep_id=g.get("user_session_id"))
    flash(f"已结束其他 {n} 个登录会话。", "success")
    return redirect(url_for("account.index"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)

    @app.context_processor
    def _sessions() -> dict:
        return {"my_open_sessions": _mine, "session_end_reasons": user_sessions.END_REASONS}
