"""Pages of the 调阅 workflow: ask, decide, return, and both sides' history."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..core import errors
from ..core.db import utcnow
from ..models import MODES, STATUSES
from ..organisation.access import LOOKUP_CUSTODIAN, LOOKUP_REQUESTER, SIGNED_IN, Action, policy, require
from ..organisation.actor import Actor
from ..records import lookups
from . import get_archive
from .forms import CsrfForm, check_csrf, flash_error
from .paging import list_args, paginate_list

bp = Blueprint("lookups", __name__, url_prefix="/lookups")



def _ids(raw: str) -> list[int]:
    return [int(x) for x in raw.replace("，", ",").split(",") if x.strip().isdigit()]


@bp.route("/")
@login_required
@policy(SIGNED_IN)
def index():
    lists = lookups.listing(g.db, current_user)
    return render_template("lookups.html", lists=lists, now=utcnow(), modes=MODES, statuses=STATUSES,
                           history=paginate_list(lists["history"], 50), args=list_args())


@bp.route("/new", methods=["GET", "POST"])
@login_required
@policy(Action.REQUEST_LOOKUP)
def new():
    require(current_user, Action.REQUEST_LOOKUP)
    form, status, field_errors = CsrfForm(), 200, {}
    ids = _ids(request.values.get("records", ""))
    if request.method == "POST":
        check_csrf()
        try:
            req = lookups.submit(get_archive(), Actor.from_user(current_user), ids, request.form.get("purpose", ""),
                                 request.form.get("mode", ""), request.form.get("days", ""))
        except errors.ArchiveError as exc:
            flash_error(exc, "未能提交")
            field_errors, status = exc.extra.get("fields", {}), exc.status
        else:
            flash(f"调阅申请 {req['number']} 已提交，等待保管单位审批。", "success")
            return redirect(url_for("lookups.detail", request_id=req["id"]))
    return render_template("lookup_new.html", form=form, records=lookups.records(g.db, ids),
                           ids=",".join(map(str, ids)), modes=MODES, max_days=lookups.max_days(), values=request.form,
                           field_errors=field_errors), status


@bp.route("/<int:request_id>")
@login_required
@policy(SIGNED_IN)
def detail(request_id: int):
    req = lookups.get(g.db, request_id)
    if not lookups.visible_to(current_user, req):
        raise errors.NotFound("没有找到该调阅申请。")
    can_decide = (req.status == "pending" and req.custodian_id == current_user.agency_id
                  and current_user.role in ("clerk", "admin"))
    return render_template("lookup_detail.html", req=req, now=utcnow(), modes=MODES, statuses=STATUSES,
                           can_decide=can_decide, form=CsrfForm())


@bp.route("/<int:request_id>/decision", methods=["POST"])
@login_required
@policy(LOOKUP_CUSTODIAN)
def decision(request_id: int):
    check_csrf()
    req = lookups.rule(get_archive(), Actor.from_user(current_user), request_id, request.form.get("decision", ""),
                       request.form.get("note"), request.form.get("mode") or None, request.form.get("days"))
    flash(f"调阅申请 {req['number']} 已{'批准' if req['status'] == 'approved' else '拒绝'}。", "success")
    return redirect(url_for("lookups.detail", request_id=request_id))


@bp.route("/<int:request_id>/return", methods=["POST"])
@login_required
@policy(LOOKUP_REQUESTER)
def give_back(request_id: int):
    check_csrf()
    req = lookups.give_back(get_archive(), Actor.from_user(current_user), request_id)
    flash(f"调阅申请 {req['number']} 已归还，访问权限已结束。", "success")
    return redirect(url_for("lookups.detail", request_id=request_id))


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
