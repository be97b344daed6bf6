"""Pages for people: browse, upload (file a record), record detail, downloads, 档号 look-up."""

from __future__ import annotations

from flask import (
    Blueprint,
    Flask,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from flask_wtf import FlaskForm

from ..core import errors, localtime
from ..doors.content import send
from ..doors.uploads import spool
from ..intake import Metadata, file_record
from ..intake.metadata import SECURITY_LEVELS, validate
from ..organisation.access import Action, policy, require
from ..organisation.actor import Actor
from ..records import catalogue
from ..records.archival_code import RETENTIONS
from ..records.delivery import open_content
from . import get_archive, wake_indexer
from .forms import check_csrf, flash_error
from .paging import list_args

bp = Blueprint("pages", __name__)


class UploadForm(FlaskForm):
    """CSRF only: the metadata is validated by the intake pipeline, the one place for it."""


FIELDS = [  # (name, label, required, hint)
    ("matter", "事项", True, None), ("category", "档案类别", True, "监管执法档案由监管部门保存，不论形成日期"),
    ("title", "题名", True, None),
    ("formed_on", "形成日期", True, "格式 YYYY-MM-DD"), ("retention", "保管期限", True, None),
    ("doc_no", "文号", False, "如 安行审函〔2026〕12号"), ("responsible", "责任者", False, "默认为保管单位"),
    ("doc_type", "文种", False, "如 决定、批复、通知"), ("security_level", "密级", False, None),
    ("applicant", "申请人", False, None), ("applicant_uscc", "统一社会信用代码", False, "18位，含校验位"),
    ("case_no", "办件编号", False, "同一办件的文件用同一编号关联"), ("remarks", "备注", False, None),
]


FIELD_LABELS = {"file": "文件", **{name: label for name, label, _r, _h in FIELDS}}


def _int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None


@bp.route("/")
@login_required
@policy(Action.READ_CATALOGUE)
def index():
    custodian = request.args.get("custodian") or None
    matter = request.args.get("matter") or None
    result = catalogue.browse(g.db, custodian=custodian, year=_int_arg("year"), matter=matter,
                              page=_int_arg("page") or 1)
    return render_template("browse.html", result=result, facets=catalogue.facets(g.db), args=list_args(),
                           selected={"custodian": custodian, "year": _int_arg("year"), "matter": matter})


@bp.route("/lookup")
@login_required
@policy(Action.READ_CATALOGUE)
def lookup():
    code = request.args.get("code", "").strip()
    record = catalogue.by_archival_code(g.db, code) if code else None
    if record is None:
        flash(f"没有找到档号为「{code}」的档案。请检查档号格式，例如 J001-WS·2026-D30-SWK-0001。", "error")
        return redirect(url_for("pages.index"))
    return redirect(url_for("pages.record", record_id=record.id))


@bp.route("/records/new", methods=["GET", "POST"])
@login_required
@policy(Action.FILE)
def upload():
    require(current_user, Action.FILE)
    form = UploadForm()
    field_errors: dict[str, str] = {}
    status, lost_file = 200, None
    if request.method == "POST":
        check_csrf()
        archive = get_archive()
        upload_ = request.files.get("file")
        chosen = upload_.filename if upload_ is not None and upload_.filename else None
        meta = Metadata.from_mapping({k: request.form.get(k) for k in Metadata.__dataclass_fields__})
        try:
            _check_all_fields(meta, chosen)  # every missing or wrong field in one answer, before the file
            path, filename = spool(archive, upload_)
            try:
                filed = file_record(archive, path, filename, meta,
                                    Actor.from_user(current_user))
            finally:
                path.unlink(missing_ok=True)
        except errors.ArchiveError as exc:
            field_errors = exc.extra.get("fields", {}) if isinstance(exc.extra.get("fields"), dict) else {}
            flash_error(exc, "未能归档")
            status, lost_file = exc.status, chosen
        else:
            wake_indexer()
            flash(f"已归档，档号 {filed.archival_code}。", "success")
            return redirect(url_for("pages.record", record_id=filed.record_id))
    return render_template("upload.html", form=form, field_errors=field_errors, fields=FIELDS,
                           values=request.form, matters=catalogue.matters(g.db), retentions=RETENTIONS,
                           security_levels=SECURITY_LEVELS, lost_file=lost_file), status


def _check_all_fields(meta: Metadata, chosen_file: str | None) -> None:
    """Validate the metadata and the file choice together, so a clerk sees every problem at once
    (issue 16 item 4); the intake pipeline validates again when it files (the one rule book)."""
    problems: dict[str, str] = {}
    if not chosen_file:
        problems["file"] = "请选择文件"
    try:
        validate(g.db, meta, localtime.today())
    except errors.Validation as exc:
        fields = exc.extra.get("fields")
        problems.update(fields if isinstance(fields, dict) else {})
        if not problems:
            raise
    if problems:
        raise errors.Validation("以下 " + str(len(problems)) + " 项需要补充或更正：" + "；".join(
            f"{FIELD_LABELS.get(k, k)}：{v}" for k, v in problems.items()) + "。", fields=problems)


@bp.route("/records/<int:record_id>")
@login_required
@policy(Action.READ_CATALOGUE)
def record(record_id: int):
    seen = catalogue.view_record(get_archive(), g.db, current_user, record_id, channel="web")  # on the trail
    rec = seen.record
    return render_template("record.html", record=rec, content_ok=seen.content_ok,
                           retention_label=RETENTIONS[rec.retention], own=rec.custodian_id == current_user.agency_id,
                           grant_download=seen.download_ok)


@bp.route("/records/<int:record_id>/<any(original, stamped, rendition, source):role>")
@login_required
@policy(Action.READ_CONTENT)
def content(record_id: int, role: str):
    rec = catalogue.get(g.db, record_id)
    if rec is None:
        raise errors.NotFound("没有找到该档案。")
    item = open_content(get_archive(), g.db, current_user, rec, role, channel="web")
    return send(item, as_attachment=role in ("original", "source"))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
