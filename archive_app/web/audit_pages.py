"""The audit page in Chinese (issue 16 item 3): labels for actions and objects, details as fields
with links, filters by pickers, paging, and a CSV export with Chinese headers (UTF-8 with BOM, so
Excel opens it) and 北京时间."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time, timedelta

from flask import Blueprint, Flask, Response, g, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy import func, or_, select
from werkzeug.routing import BuildError

from .. import audit, audit_labels, errors, localtime
from ..access import Action, policy, require
from ..models import Agency, AuditEntry, User
from ..spreadsheet_cells import SafeCsvWriter
from .paging import list_args

bp = Blueprint("audit", __name__, url_prefix="/audit")
PER_PAGE = 100
CSV_COLUMNS = ["序号", "时间", "操作人", "单位", "操作", "对象", "对象编号", "详情", "操作代码", "哈希值"]

# the page each kind of object is shown on, and which detail fields name another object
OBJECT_PAGES = {"record": ("pages.record", "record_id"), "lookup": ("lookups.detail", "request_id"),
                "push": ("registers.push_detail", "push_id"), "document": ("documents.detail", "doc_id"),
                "special_review": ("registers.review_detail", "review_id")}
DETAIL_OBJECTS = {"record_id": "record", "records": "record", "document_id": "document"}


def _utc_bound(day: str | None, end: bool) -> str | None:
    """A local (北京时间) calendar day as the stored UTC ISO bound: start of the day, or its last instant."""
    if not day:
        return None
    try:
        start = datetime.combine(date.fromisoformat(day), time.min, localtime.zone())
    except ValueError as exc:
        raise errors.Validation("日期应为 YYYY-MM-DD 格式。", fields={"date": "YYYY-MM-DD"}) from exc
    bound = start + timedelta(days=1, microseconds=-1) if end else start
    return bound.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _filters(for_query: bool = True) -> audit.Filters:
    a = request.args
    date_from, date_to = a.get("date_from") or None, a.get("date_to") or None
    if for_query:
        date_from, date_to = _utc_bound(date_from, False), _utc_bound(date_to, True)
    return audit.Filters(actor=a.get("actor") or None, action=a.get("action") or None,
                         object_type=a.get("object_type") or None, object_id=a.get("object_id") or None,
                         date_from=date_from, date_to=date_to,
                         viewer_agency=current_user.agency.code)  # own agency only (access policy)


def _count(filters: audit.Filters) -> int:
    """How many entries match (for 第 N / M 页); the same conditions as `audit.search`."""
    q = select(func.count()).select_from(AuditEntry)
    if filters.viewer_agency:
        q = q.where(or_(AuditEntry.agency_code == filters.viewer_agency, AuditEntry.agency_code.is_(None)))
    if filters.actor:
        q = q.where(AuditEntry.actor == filters.actor)
    if filters.action:
        q = q.where(AuditEntry.action.startswith(filters.action))
    if filters.object_type:
        q = q.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        q = q.where(AuditEntry.object_id == filters.object_id)
    if filters.date_from:
        q = q.where(AuditEntry.at >= filters.date_from)
    if filters.date_to:
        q = q.where(AuditEntry.at < filters.date_to + "T99")
    return g.db.scalar(q) or 0


def object_url(object_type: str | None, object_id: str | None) -> str | None:
    """The page of the object an entry is about, if it has one."""
    target = OBJECT_PAGES.get(object_type or "")
    if not target or not object_id or not str(object_id).isdigit():
        return None
    try:
        return url_for(target[0], **{target[1]: int(object_id)})
    except BuildError:
        return None


def detail_rows(entry: AuditEntry) -> list[dict]:
    """Detail fields with Chinese names; ids of records and documents become links."""
    rows = []
    for key, label, value in audit_labels.detail_fields(entry.detail):
        links = []
        kind = DETAIL_OBJECTS.get(key)
        if kind:
            for part in value.split("、"):
                links.append((part, object_url(kind, part)))
        elif key == "archival_code" and value != "—":
            links.append((value, url_for("pages.lookup", code=value)))
        rows.append({"key": key, "label": label, "value": value, "links": links})
    return rows


def group_label(group: str) -> str:
    """A filter group's Chinese name; a group without one borrows its first action's label."""
    if group in audit_labels.ACTION_GROUPS:
        return audit_labels.ACTION_GROUPS[group]
    return next((label for code, label in audit_labels.ACTION_LABELS.items() if code.split(".")[0] == group), group)


def _pickers() -> dict:
    users = g.db.execute(select(User.username, User.display_name).where(User.agency_id == current_user.agency_id)
                         .order_by(User.username)).all()
    actors = [(u.username, f"{u.display_name}（{u.username}）" if u.display_name else u.username) for u in users]
    known = {a for a, _ in actors}
    actors += [(a, a) for a in ("console", "demo-data") if a not in known]
    groups: dict[str, list[tuple[str, str]]] = {}
    for code, label in audit_labels.ACTION_LABELS.items():
        groups.setdefault(code.split(".")[0], []).append((code, label))
    return {"actors": actors, "action_groups": groups, "group_labels": {k: group_label(k) for k in groups},
            "objects": audit_labels.OBJECT_LABELS}


@bp.route("/")
@login_required
@policy(Action.VIEW_AUDIT)
def index():
    require(current_user, Action.VIEW_AUDIT)
    filters = _filters()
    total = _count(filters)
    pages = max(1, -(-total // PER_PAGE))
    page = min(max(1, request.args.get("page", 1, type=int) or 1), pages)
    entries = audit.search(g.db, filters, limit=PER_PAGE, offset=(page - 1) * PER_PAGE)
    agencies = dict(g.db.execute(select(Agency.code, Agency.name)).all())
    names = dict(g.db.execute(select(User.username, User.display_name)).all())
    return render_template("audit.html", entries=entries, filters=_filters(for_query=False), page=page,
                           pages=pages, total=total, args=list_args(), agencies=agencies, names=names,
                           detail_rows=detail_rows, object_url=object_url, **_pickers())


@bp.route("/export.csv")
@login_required
@policy(Action.VIEW_AUDIT)
def export():
    require(current_user, Action.VIEW_AUDIT)
    agencies = dict(g.db.execute(select(Agency.code, Agency.name)).all())
    out = io.StringIO()
    writer = SafeCsvWriter(out)  # no formula from an actor name or a detail (OWASP)
    header = list(CSV_COLUMNS)
    header[1] = f"时间（{localtime.zone_label()}）"
    writer.writerow(header)
    for e in audit.search(g.db, _filters(), limit=100_000):
        writer.writerow([e.id, localtime.export_datetime(e.at), e.actor,
                         agencies.get(e.agency_code or "", e.agency_code or ""),
                         audit_labels.action_label(e.action), audit_labels.object_label(e.object_type)
                         if e.object_type else "", e.object_id or "", audit_labels.detail_text(e.detail),
                         e.action, e.hash])
    name = "attachment; filename=audit.csv; filename*=UTF-8''%E5%AE%A1%E8%AE%A1%E6%97%A5%E5%BF%97.csv"
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": name})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
