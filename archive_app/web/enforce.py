"""Every request passes the route's declared access rule (`access.policy`) before its view runs.
A route that declares no rule is refused: the policy fails closed."""

from __future__ import annotations

from flask import Flask, current_app, request
from flask_login import current_user

from ..core import errors
from ..organisation.access import (
    CONTENT_ACTIONS,
    KEY_PROJECT_FLAGGER,
    LOOKUP_CUSTODIAN,
    PUBLIC,
    STANDARD_PROVIDER,
    Action,
    require,
)


def init_app(app: Flask) -> None:
    @app.before_request
    def _enforce():
        if request.endpoint is None or request.endpoint == "static":
            return None  # 404 / static files
        rule = getattr(app.view_functions[request.endpoint], "access_rule", None)
        if rule is None:
            raise errors.Forbidden("该地址没有声明访问规则，已拒绝。")
        if rule == PUBLIC:
            return None
        if not current_user.is_authenticated:
            return current_app.login_manager.unauthorized()  # the one answer: API 401, pages 「请先登录」
        if isinstance(rule, Action) and rule not in CONTENT_ACTIONS:
            require(current_user, rule)  # record-scoped content rules are checked with the record
        elif rule == LOOKUP_CUSTODIAN:
            require(current_user, Action.DECIDE_LOOKUP)  # the service checks it is the custodian
        elif rule in (STANDARD_PROVIDER, KEY_PROJECT_FLAGGER):
            require(current_user, Action.ADMINISTER)  # the service checks it is the department / approver
        return None
