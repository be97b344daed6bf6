"""Pages for correspondence staff: pick a template, fill the form generated from its schema,
preview, issue, download; the register (发文登记簿) with void and retry; bulk runs from CSV/XLSX
with a progress bar; the two reports."""

from __future__ import annotations

import csv
import io
import threading
from collections import Counter

from flask import (
    Blueprint,
    Flask,
    Response,
    flash,
    g,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_login import current_user, login_required

from .. import documents
from ..core import errors, localtime
from ..documents import bulk
from ..doors.content import send
from ..intake import Actor
from ..organisation.access import Action, policy, require
from ..records import catalogue
from ..records.delivery import open_content
from ..records.reports import REPORTS
from ..rendition import fontmap
from . import get_archive, wake_indexer
from .forms import CsrfForm, check_csrf, run_form_action
from .paging import PER_PAGE, list_args, page_number

bp = Blueprint("documents", __name__, url_prefix="/documents")


def _actor() -> Actor:
    require(current_user, Action.ISSUE_LETTERS)
    return Actor.from_user(current_user)


@bp.route("/")
@login_required
@policy(Action.ISSUE_LETTERS)
def index():
    _actor()
    year = request.args.get("year", type=int)
    status = request.args.get("status") or None
    listed = documents.register_page(get_archive(), current_user.agency.code, year=year,
                                     statuses=[status] if status else None, page=page_number(), per_page=PER_PAGE)
    return render_template("documents.html", rows=listed.items, listed=listed, args=list_args(),
                           templates=documents.all_templates(),
                           labels=documents.STATUS_LABELS, year=year, status=status, reports=REPORTS,
                           stand_ins=fontmap.stand_ins(),
                           this_year=localtime.today().year)


@bp.route("/new/<template_id>", methods=["GET", "POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def new(template_id: str):
    """The form, and issuing from it. Previews go to `preview` (the button's own formaction), so no
    value typed into the form — whatever its field is called — can turn a preview into an issue."""
    actor = _actor()
    template = documents.get(template_id)
    # ?example=1 fills in the examples; other query values prefill fields (e.g. from a lookup).
    values = template.example() if request.args.get("example") else {}
    values.update({f.name: request.args[f.name] for f in template.fields if f.name in request.args})
    if request.method == "POST":
        check_csrf()
        data = {f.name: request.form.get(f.name, "") for f in template.fields}
        values = data
        try:
            issued = documents.issue(get_archive(), template.id, data, actor)
        except errors.ArchiveError as exc:
            if exc.extra.get("document_id"):
                flash(f"未能发文：{exc.message}", "error")
                return redirect(url_for("documents.detail", doc_id=exc.extra["document_id"]))
            return _form(template, values, exc, "未能发文")
        else:
            wake_indexer()
            flash(f"已发文：{issued.doc_no}，并已自动归档。", "success")
            return redirect(url_for("documents.detail", doc_id=issued.id))
    return _form(template, values)


def _form(template: documents.Template, values: dict, error: errors.ArchiveError | None = None,
          failed: str = ""):
    """The form with the values as typed; an error leads with its message, the code after it as a
    small reference (issue 16 item 4)."""
    field_errors = (error.extra.get("fields") or {}) if error else {}
    return render_template("document_new.html", template=template, values=values, field_errors=field_errors,
                           form=CsrfForm(), matters=catalogue.matters(g.db), error=error,
                           failed=failed), error.status if error else 200


@bp.route("/new/<template_id>/preview", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def preview(template_id: str):
    """「预览 PDF」: the PDF as it would be issued, with no number taken, nothing filed or logged
    as issued (documents.preview_pdf stores nothing)."""
    actor = _actor()
    template = documents.get(template_id)
    check_csrf()
    data = {f.name: request.form.get(f.name, "") for f in template.fields}
    try:
        pdf = documents.preview_pdf(get_archive(), template.id, data, actor)
    except errors.ArchiveError as exc:
        return _form(template, data, exc, "未能预览")
    return Response(pdf, mimetype="application/pdf", headers={"Content-Disposition": "inline; filename=preview.pdf"})


@bp.route("/<int:doc_id>")
@login_required
@policy(Action.ISSUE_LETTERS)
def detail(doc_id: int):
    doc = documents.own(g.db, doc_id, _actor())
    fonts: list[str] = []
    original = doc.record.file("original") if doc.record else None
    if original is not None:  # which fonts the kept PDF was made with (stand-ins are said so)
        fonts = fontmap.pdf_fonts(get_archive().store.path_for(original.sha256))
    return render_template("document_detail.html", doc=doc, template=documents.get(doc.template_id),
                           labels=documents.STATUS_LABELS, form=CsrfForm(), pdf_fonts=fonts,
                           font_substitutes=fontmap.substitutes(fonts))


@bp.route("/<int:doc_id>/<any(docx, pdf):kind>")
@login_required
@policy(Action.ISSUE_LETTERS)
def download(doc_id: int, kind: str):
    doc = documents.own(g.db, doc_id, _actor())
    if doc.record is None:
        raise errors.NotFound(f"{doc.doc_no} 尚未生成文件。")
    role = "source" if kind == "docx" else "original"
    return send(open_content(get_archive(), g.db, current_user, doc.record, role, channel="web"), True)


@bp.route("/<int:doc_id>/void", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def void(doc_id: int):
    actor = _actor()
    return run_form_action(lambda: documents.void(get_archive(), doc_id, request.form.get("reason", ""), actor),
                           "已作废。号码保留在登记簿中，不再使用。", url_for("documents.detail", doc_id=doc_id),
                           "未能作废")


@bp.route("/<int:doc_id>/retry", methods=["POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def retry(doc_id: int):
    actor = _actor()
    return run_form_action(lambda: documents.retry(get_archive(), doc_id, actor), "已重新生成并归档。",
                           url_for("documents.detail", doc_id=doc_id), "重试失败")


@bp.route("/sample/<template_id>.csv")
@login_required
@policy(Action.ISSUE_LETTERS)
def sample(template_id: str):
    """A CSV to start a bulk run from: a header row of the fields' Chinese names (read back by
    `bulk.field_names`; the English names work too) and one example row."""
    template = documents.get(template_id)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([f.label for f in template.fields])
    writer.writerow([template.example().get(f.name, "") for f in template.fields])
    return send_file(io.BytesIO(("\ufeff" + out.getvalue()).encode("utf-8")), mimetype="text/csv",
                     as_attachment=True, download_name=f"{template.id}.csv")


@bp.route("/bulk", methods=["GET", "POST"])
@login_required
@policy(Action.ISSUE_LETTERS)
def bulk_new():
    actor = _actor()
    if request.method == "POST":
        check_csrf()
        upload = request.files.get("file")
        try:
            if upload is None or not upload.filename:
                raise errors.Validation("请选择 CSV 或 XLSX 文件。", fields={"file": "未选择文件"})
            rows = bulk.read_rows(upload.read(), upload.filename, get_archive().settings)
            run = bulk.reserve_rows(get_archive(), request.form.get("template", ""), rows, actor)
        except errors.ArchiveError as exc:
            return render_template("document_bulk.html", templates=documents.all_templates(), form=CsrfForm(),
                                   error=exc, failed="未能开始批量生成"), exc.status
        else:
            _start(run, actor)
            return render_template("document_batch.html", batch=run.batch, rejected=run.failed,
                                   total_rows=len(run.rows), labels=documents.STATUS_LABELS,
                                   template=documents.get(run.template), docs=None)
    return render_template("document_bulk.html", templates=documents.all_templates(), form=CsrfForm())


def _start(run: bulk.BulkRun, actor: Actor) -> None:
    """Make and file the numbered rows on a background thread; the page follows the register."""
    archive = get_archive()
    from flask import current_app

    app = current_app._get_current_object()

    def work() -> None:
        with app.app_context():
            bulk.complete_rows(archive, run, actor)
            wake_indexer()

    threading.Thread(target=work, name=f"bulk-{run.batch[:8]}", daemon=True).start()


@bp.route("/batch/<batch>")
@login_required
@policy(Action.ISSUE_LETTERS)
def batch_page(batch: str):
    docs = documents.batch(get_archive(), _actor(), batch)
    return render_template("document_batch.html", batch=batch, rejected=[], total_rows=None, docs=docs,
                           labels=documents.STATUS_LABELS, template=documents.get(docs[0].template_id))


@bp.route("/batch/<batch>/progress")
@login_required
@policy(Action.ISSUE_LETTERS)
def batch_progress(batch: str):
    docs = documents.batch(get_archive(), _actor(), batch)
    counts = Counter(d.status for d in docs)
    return jsonify({"total": len(docs), "counts": counts, "done": len(docs) - counts.get("pending", 0),
                    "items": [{"id": d.id, "doc_no": d.doc_no, "status": d.status, "error": d.error,
                               "title": d.title, "url": url_for("documents.detail", doc_id=d.id)} for d in docs]})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
