"""Sign-in for pages (Flask-Login session) and for the API (Bearer token)."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, session, url_for
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from ..core import errors
from ..models import User
from ..organisation import user_sessions
from ..organisation.access import PUBLIC, policy
from ..organisation.actor import Actor
from ..organisation.users import active_user, sign_in, user_for_token
from . import get_archive

bp = Blueprint("auth", __name__)
login_manager = LoginManager()


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名")])
    password = PasswordField("密码", validators=[DataRequired("请输入密码")])


@login_manager.user_loader
def _load_user(user_id: str) -> User | None:
    """The cookie's user — only while its server-side session is open (user_sessions)."""

    user = active_user(g.db, int(user_id)) if user_id.isdigit() else None
    if user is None:
        return None
    session_id = user_sessions.resume(get_archive(), g.db, session.get("sid"), user.id)
    if session_id is None:
        session.clear()
        return None
    g.user_session_id = session_id
    return user


@login_manager.request_loader
def _load_from_token(req) -> User | None:
    header = req.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        g.auth_via = "token"
        return user_for_token(g.db, header[7:].strip(), get_archive().db)
    return None


@login_manager.unauthorized_handler
def _unauthorized():
    if request.path.startswith("/api/"):
        raise errors.Unauthenticated("请先登录，或在请求头中提供 Authorization: Bearer 令牌。")
    flash("请先登录。", "info")
    return redirect(url_for("auth.login", next=request.full_path if request.query_string else request.path))


def safe_next(target: str | None, default: str | None = None) -> str:
    """A local path to go to after signing in (or a form's `back`), else `default` or the home
    page (no open redirect).

    Browsers drop tab/CR/LF and read a backslash as a slash, so `/\t/evil.example` would become
    `//evil.example`; a newline would also break the Location header. Only a path with exactly one
    leading slash, no control characters, no backslash, no scheme and no host is kept — also after
    the browser resolves dot segments (`/.//evil.example` becomes `//evil.example`), so none is kept."""
    if not target or any(ord(c) < 0x20 or ord(c) == 0x7F for c in target) or "\\" in target:
        return default or url_for("pages.index")
    parts = urlsplit(target)
    if not target.startswith("/") or target.startswith("//") or parts.scheme or parts.netloc:
        return default or url_for("pages.index")
    if any(seg.lower().replace("%2e", ".") in (".", "..") for seg in parts.path.split("/")):
        return default or url_for("pages.index")  # no page of ours has a dot segment; a browser would resolve it
    return target


@bp.route("/login", methods=["GET", "POST"])
@policy(PUBLIC)
def login():
    form = LoginForm()
    if form.validate_on_submit():
        outcome = sign_in(get_archive(), form.username.data.strip(), form.password.data, request.remote_addr,
                          request.headers.get("User-Agent"))
        if outcome.user_id is not None:
            session.clear()  # a fresh session: the CSRF token of the anonymous page is not reused
            session["sid"] = outcome.sid
            login_user(active_user(g.db, outcome.user_id))
            return redirect(safe_next(request.args.get("next")))
        if outcome.wait_seconds:
            flash(f"登录尝试过于频繁，请 {outcome.wait_seconds} 秒后再试。", "error")
            return render_template("login.html", form=form), 429
        flash("用户名或密码不正确。", "error")
    return render_template("login.html", form=form), 200


@bp.route("/logout", methods=["POST"])
@policy(PUBLIC)
def logout():
    session_id = g.get("user_session_id") if current_user.is_authenticated else None  # loads the user
    if session_id is not None:
        user_sessions.sign_out(get_archive(), Actor.from_user(current_user), session_id)
    logout_user()
    session.clear()
    return redirect(url_for("auth.login"))


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    # "basic": a changed client marks the session non-fresh. "strong" would also drop token-authenticated
    # API clients that keep cookies, whenever a page has put a CSRF token in their session.
    login_manager.session_protection = "basic"
    app.register_blueprint(bp)

    @app.context_processor
    def _inject_user() -> dict:
        return {"current_user": current_user}
