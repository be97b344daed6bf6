"""One handler turns every error into `{"error": {...}}` for the API or a page for people."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge
from werkzeug.routing import IntegerConverter

from ..core import errors
from ..core.db import number_out_of_range
from ..doors.current import abandon_request_transaction
from . import get_archive

log = logging.getLogger(__name__)


def _respond(err: errors.ArchiveError):
    if request.path.startswith("/api/"):
        return jsonify({"error": err.to_dict()}), err.status
    return render_template("error.html", error=err), err.status


DB_INT_MAX = 2**31 - 1  # ids are INTEGER columns (PostgreSQL int4)


class DbInt(IntegerConverter):
    """`<int:…>` in every route: an id no row can have (beyond INTEGER) is simply not found,
    instead of reaching the database (SQLite: OverflowError, a 500)."""

    def __init__(self, map, fixed_digits: int = 0, min: int | None = None,
                 max: int | None = DB_INT_MAX, signed: bool = False) -> None:
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


def init_app(app: Flask) -> None:
    @app.errorhandler(errors.ArchiveError)
    def _archive_error(err: errors.ArchiveError):
        return _respond(err)

    @app.errorhandler(RequestEntityTooLarge)
    def _too_large(_err: HTTPException):
        limit = get_archive().settings.max_upload_bytes
        return _respond(errors.TooLarge(f"文件超过了允许的大小上限（{limit / 1048576:.0f} MB）。"))

    @app.errorhandler(CSRFError)
    def _csrf(_err: CSRFError):
        return _respond(errors.Forbidden("表单已过期或来源无法验证（CSRF），请刷新页面后重新提交。"))

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        if err.code == 404:
            return _respond(errors.NotFound())
        if err.code == 405:
            return _respond(errors.MethodNotAllowed())
        e = errors.BadRequest(f"请求有误（HTTP {err.code}），请检查后重试。")
        e.status = err.code or 400  # e.g. 416 for a range outside the file: HTTP's own status
        return _respond(e)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        if number_out_of_range(err):  # e.g. ?page=99999999999999999999: the caller's mistake, not ours
            log.warning("number out of range in %s: %s", request.full_path, err)
            abandon_request_transaction()  # PostgreSQL aborted it; the error page reads from it
            return _respond(errors.Validation("请求中的数字超出了允许的范围，请检查后重试。"))
        log.exception("unexpected error", exc_info=err)
        return _respond(errors.Internal())
