"""The `/api/v1` blueprint and what every API module needs: the acting user and the JSON body.

routes.py, cases.py and registers.py add their routes to this one blueprint (the package imports
each, `api/__init__.py`), so the CSRF rule below covers all of them. The composition root
(`app.py`) registers it and exempts it from the form CSRF check."""

from __future__ import annotations

from flask import Blueprint, g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from ..core import errors
from ..organisation.actor import Actor

bp = Blueprint("api", __name__, url_prefix="/api/v1")


@bp.before_request
def _csrf_for_session_writes() -> None:
    """Signing in and route rules are enforced for every route in `web.enforce`."""
    if not current_user.is_authenticated:
        return
    if request.method not in ("GET", "HEAD", "OPTIONS") and g.get("auth_via") != "token":
        # A cookie-authenticated write must prove it comes from our own pages.
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except ValidationError as exc:
            raise errors.Forbidden("使用登录会话调用写操作时需要提供 X-CSRFToken 请求头。") from exc


def json_body() -> dict:
    """The JSON object sent, or {} — the service checks authorisation first, then the fields."""
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else {}


def actor() -> Actor:
    """The signed-in user (session or token) as the services' actor."""
    return Actor.from_user(current_user)
