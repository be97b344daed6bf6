"""HTTP API under /api/v1 (DESIGN.md §4). JSON in and out; session cookie or Bearer token."""

from __future__ import annotations

from flask import Blueprint, Flask, g, jsonify, request, send_file
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from wtforms import ValidationError

from .. import catalogue, errors
from ..access import Action, can, require
from ..catalogue import iso, record_summary
from ..delivery import open_content
from ..intake import Actor, Metadata, file_record
from ..web import csrf, get_archive
from ..web.uploads import spool
from .openapi import spec

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)
PUBLIC = {"api.openapi"}


@bp.before_request
def _authenticate() -> None:
    if request.endpoint in PUBLIC:
        return
    if not current_user.is_authenticated:
        raise errors.Unauthenticated("请先登录，或在请求头中提供 Authorization: Bearer 令牌。")
    if request.method not in ("GET", "HEAD", "OPTIONS") and g.get("auth_via") != "token":
        # A cookie-authenticated write must prove it comes from our own pages.
        try:
            validate_csrf(request.headers.get("X-CSRFToken", ""))
        except ValidationError as exc:
            raise errors.Forbidden("使用登录会话调用写操作时需要提供 X-CSRFToken 请求头。") from exc


def _record_or_404(record_id: int):
    rec = catalogue.get(g.db, record_id)
    if rec is None:
        raise errors.NotFound(f"没有编号为 {record_id} 的档案。")
    return rec


@bp.post("/records")
def create_record():
    require(current_user, Action.FILE)
    archive = get_archive()
    path, filename = spool(archive, request.files.get("file"))
    try:
        meta = Metadata.from_mapping(request.form.to_dict())
        filed = file_record(archive, path, filename, meta,
                            Actor(current_user.username, current_user.agency.code, current_user.role))
    finally:
        path.unlink(missing_ok=True)
    body = {"id": filed.record_id, "archival_code": filed.archival_code, "custodian": filed.custodian,
            "sha256": filed.sha256, "pages": filed.pages}
    return jsonify(body), 201, {"Location": f"/api/v1/records/{filed.record_id}"}


@bp.get("/records")
def list_records():
    code = request.args.get("archival_code")
    if code:
        rec = catalogue.by_archival_code(g.db, code)
        items, total = ([rec] if rec else []), (1 if rec else 0)
        page, per_page = 1, 1
    else:
        year = request.args.get("year", "")
        result = catalogue.browse(
            g.db, custodian=request.args.get("custodian") or None,
            year=int(year) if year.isdigit() else None, matter=request.args.get("matter") or None,
            page=request.args.get("page", 1, type=int), per_page=request.args.get("per_page", 50, type=int))
        items, total, page, per_page = result.items, result.total, result.page, result.per_page
    return jsonify({"total": total, "page": page, "per_page": per_page,
                    "items": [record_summary(r) for r in items]})


@bp.get("/records/<int:record_id>")
def get_record(record_id: int):
    rec = _record_or_404(record_id)
    require(current_user, Action.READ_CATALOGUE, rec)
    body = record_summary(rec)
    body["accessible"] = can(current_user, Action.READ_CONTENT, rec)
    body["custody_history"] = [
        {"from": c.from_agency.code if c.from_agency else None, "to": c.to_agency.code,
         "reason": c.reason, "at": c.changed_at.isoformat(timespec="seconds") + "Z"}
        for c in rec.custody_changes]
    if body["accessible"]:
        body["files"] = [{"role": f.role, "media_type": f.media_type, "size": f.size,
                          "sha256": f.sha256, "sm3": f.sm3} for f in rec.files]
    return jsonify(body)


@bp.get("/records/<int:record_id>/content")
def get_content(record_id: int):
    rec = _record_or_404(record_id)
    item = open_content(get_archive(), current_user, rec, "original", channel="api")
    return send_file(item.path, mimetype=item.media_type, as_attachment=True,
                     download_name=item.download_name, max_age=0)


@bp.get("/records/<int:record_id>/stamped")
def get_stamped(record_id: int):
    rec = _record_or_404(record_id)
    item = open_content(get_archive(), current_user, rec, "stamped", channel="api")
    return send_file(item.path, mimetype=item.media_type, download_name=item.download_name, max_age=0)


@bp.get("/matters")
def list_matters():
    return jsonify([{"code": m.code, "name": m.name, "department": m.department.code,
                     "approving_agency": m.approving_agency.code, "transfer_date": iso(m.transfer_date),
                     "time_limit_days": m.time_limit_days} for m in catalogue.matters(g.db)])


@bp.get("/openapi.json")
def openapi():
    return jsonify(spec())


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
