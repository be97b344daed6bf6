"""A user's own account: API tokens (shown once, stored hashed, revocable)."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from ..access import SIGNED_IN, policy
from ..models import ApiToken
from ..users import create_token, revoke_tokens
from . import get_archive
from .forms import CsrfForm, check_csrf

bp = Blueprint("account", __name__, url_prefix="/account")



@bp.route("/")
@login_required
@policy(SIGNED_IN)
def index():
    tokens = g.db.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)).all()
    return render_template("account.html", tokens=tokens, form=CsrfForm(), new_token=None)


@bp.route("/tokens", methods=["POST"])
@login_required
@policy(SIGNED_IN)
def new_token():
    check_csrf()
    with get_archive().db.transaction() as s:
        token = create_token(s, current_user.username, actor=current_user.username)
    tokens = g.db.scalars(select(ApiToken).where(ApiToken.user_id == current_user.id).order_by(ApiToken.id)).all()
    return render_template("account.html", tokens=tokens, form=CsrfForm(), new_token=token)


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
