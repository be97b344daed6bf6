"""The audit page: filters, per record and per user, and CSV export."""

from __future__ import annotations

import io

from flask import Blueprint, Flask, Response, g, render_template, request
from flask_login import current_user, login_required

from .. import audit
from ..access import Action, policy, require
from ..spreadsheet_cells import SafeCsvWriter

bp = Blueprint("audit", __name__, url_prefix="/audit")
COLUMNS = ["id", "at", "actor", "agency_code", "action", "object_type", "object_id", "detail", "hash"]


def _filters() -> audit.Filters:
    a = request.args
    return audit.Filters(actor=a.get("actor") or None, action=a.get("action") or None,
                         object_type=a.get("object_type") or None, object_id=a.get("object_id") or None,
                         date_from=a.get("date_from") or None, date_to=a.get("date_to") or None,
                         viewer_agency=current_user.agency.code)  # own agency only (access policy)


@bp.route("/")
@login_required
@policy(Action.VIEW_AUDIT)
def index():
    require(current_user, Action.VIEW_AUDIT)
    page = max(1, request.args.get("page", 1, type=int))
    entries = audit.search(g.db, _filters(), limit=100, offset=(page - 1) * 100)
    return render_template("audit.html", entries=entries, filters=_filters(), page=page, args=request.args)


@bp.route("/export.csv")
@login_required
@policy(Action.VIEW_AUDIT)
def export():
    require(current_user, Action.VIEW_AUDIT)
    out = io.StringIO()
    writer = SafeCsvWriter(out)  # no formula from an actor name or a detail (OWASP)
    writer.writerow(COLUMNS)
    for e in audit.search(g.db, _filters(), limit=100_000):
        writer.writerow([getattr(e, c) for c in COLUMNS])
    return Response("\ufeff" + out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": "attachment; filename=audit.csv"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
