"""OCR on the record page (issue 15): the state of recognition, the text versions, and for the
custodian's clerks a form to correct the recognised text (a new version, the file untouched) or
to have the scan read again."""

from __future__ import annotations

from flask import Blueprint, Flask, current_app, g, request, url_for
from flask_login import current_user

from ..core import errors
from ..ocr import queue, status
from ..organisation.access import Action, can, policy, require
from ..records import catalogue
from . import get_archive
from .forms import CsrfForm, run_form_action

bp = Blueprint("ocr_pages", __name__)
VERSION_LABELS = {"ocr": "机器识别", "corrected": "人工更正", "extracted": "文字层"}


def _own_clerk(record) -> None:
    require(current_user, Action.FILE)
    require(current_user, Action.READ_CONTENT, record, session=g.db)
    if record.custodian_id != current_user.agency_id:
        raise errors.Forbidden("只有保管单位的档案管理员可以更正识别文字。")


def ocr_panel(record) -> dict | None:
    """What the record page shows about OCR; None when the record never needed it."""
    content = can(current_user, Action.READ_CONTENT, record, session=g.db)
    editable = content and record.custodian_id == current_user.agency_id and can(current_user, Action.FILE)
    found = status.panel(g.db, record.id, with_text=editable)
    if found is None:
        return None
    return {"job": found.job, "label": found.label, "versions": found.versions, "labels": VERSION_LABELS,
            "editable": editable, "text": found.text, "form": CsrfForm()}


def _record(record_id: int):
    """The record, if this user is a clerk of its custodian (refusals are flashed on the page)."""
    rec = catalogue.get(g.db, record_id)
    if rec is None:
        raise errors.NotFound("没有找到该档案。")
    _own_clerk(rec)
    return rec


@bp.route("/records/<int:record_id>/text", methods=["POST"])
@policy(Action.FILE)
def correct(record_id: int):
    back = url_for("pages.record", record_id=record_id)
    return run_form_action(
        lambda: queue.correct(get_archive(), _record(record_id).id, request.form.get("text", ""),
                              current_user.username, current_user.agency.code),
        "已保存更正后的文字，检索将使用新文字。", back)


@bp.route("/records/<int:record_id>/ocr", methods=["POST"])
@policy(Action.FILE)
def rerun(record_id: int):
    back = url_for("pages.record", record_id=record_id)

    def run() -> None:
        rec = _record(record_id)
        if not queue.request(get_archive(), [rec.id], current_user.username):
            raise errors.Validation("该档案的原件不是扫描件（PDF 或图像），无需文字识别。")
        ocr = current_app.extensions.get("ocr")
        if ocr is not None:
            ocr.wake()

    return run_form_action(run, "已重新排队进行文字识别。", back)


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
    app.jinja_env.globals["ocr_panel"] = ocr_panel
