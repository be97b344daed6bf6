"""The audit page in Chinese (issue 16 item 3): labels for actions and objects, details as fields
with links, filters by pickers, paging, and a CSV export with Chinese headers (UTF-8 with BOM, so
Excel opens it) and 北京时间. The filters, listing and export are `audit`'s; this module links."""

from __future__ import annotations

from flask import Blueprint, Flask, Response, g, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.routing import BuildError

from .. import audit
from ..audit import labels as audit_labels
from ..models import AuditEntry
from ..organisation.access import Action, policy, require
from .paging import list_args

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 100

# the page each kind of object is shown on, and which detail fields name another object
OBJECT_PAGES = {"record": ("pages.record", "record_id"), "lookup": ("lookups.detail", "request_id"),
                "push": ("registers.push_detail", "push_id"), "document": ("documents.detail", "doc_id"),
                "special_review": ("registers.review_detail", "review_id")}
DETAIL_OBJECTS = {"record_id": "record", "records": "record", "document_id": "document"}


def _filters(local_days: bool = True) -> audit.Filters:
    """What was asked, limited to the own agency's entries (access policy)."""
    return audit.Filters.from_args(request.args, current_user.agency.code, local_days=local_days)


def object_url(object_type: str | None, object_id: str | None) -> str | None:
    """The page of the object an entry is about, if it has one."""
    target = OBJECT_PAGES.get(object_type or "")
    if not target or not object_id or not str(object_id).isdigit():
        return None
    try:
        return url_for(target[0], **{target[1]: int(object_id)})
    except BuildError:
        return None


def detail_rows(entry: AuditEntry, agencies: dict[str, str] | None = None) -> list[dict]:
    """Detail fields with Chinese names; ids of records and documents become links; a digest shows
    its first 12 characters (the whole value in the tooltip and the CSV)."""
    rows = []
    for key, label, value in audit_labels.detail_fields(entry.detail, agencies):
        if key in audit_labels.DIGEST_KEYS and len(value) > 16:
            rows.append({"key": key, "label": label, "value": value[:12] + "…", "title": value, "links": []})
            continue
        links = []
        kind = DETAIL_OBJECTS.get(key)
        if kind:
            for part in value.split("、"):
                links.append((part, object_url(kind, part)))
        elif key == "archival_code" and value != "—":
            links.append((value, url_for("pages.lookup", code=value)))
        rows.append({"key": key, "label": label, "value": value, "title": "", "links": links})
    return rows


def group_label(group: str) -> str:
    """A filter group's Chinese name; a group without one borrows its first action's label."""
    if group in audit_labels.ACTION_GROUPS:
        return audit_labels.ACTION_GROUPS[group]
    return next((label for code, label in audit_labels.ACTION_LABELS.items() if code.split(".")[0] == group), group)


def _pickers() -> dict:
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in audit_labels.ACTION_LABELS.items():
        groups.setdefault(code.split(".")[0], []).append((code, label))
    return {"actors": audit.actors_of(g.db, current_user.agency_id), "action_groups": groups,
            "group_labels": {k: group_label(k) for k in groups}, "objects": audit_labels.OBJECT_LABELS}


@bp.route("/")
@login_required
@policy(Action.VIEW_AUDIT)
def index():
    require(current_user, Action.VIEW_AUDIT)
    found = audit.listing(g.db, _filters(), request.args.get("page", 1, type=int) or 1, PER_PAGE)
    return render_template("audit.html", entries=found.entries, filters=_filters(local_days=False), page=found.page,
                           pages=found.pages, total=found.total, args=list_args(), agencies=found.agencies,
                           names=found.names, detail_rows=detail_rows, object_url=object_url, **_pickers())


@bp.route("/export.csv")
@login_required
@policy(Action.VIEW_AUDIT)
def export():
    require(current_user, Action.VIEW_AUDIT)
    name = "attachment; filename=audit.csv; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.csv"
    return Response(audit.export_csv(g.db, _filters()), mimetype="text/csv", headers={"Content-Disposition": name})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
