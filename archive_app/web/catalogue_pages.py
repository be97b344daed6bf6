"""归档文件目录 for clerks (issue 16 item 6; DA/T 22-2015): year and 保管期限 pickers, grouped by
保管期限 and 机构 with the class in the heading, 件号 order, paging, and the 整理 step."""

from __future__ import annotations

from flask import Blueprint, Flask, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..core import errors, localtime
from ..organisation.access import Action, policy, require
from ..organisation.actor import Actor
from ..records import arrangement
from ..records.archival_code import RETENTIONS
from . import get_archive
from .forms import CsrfForm, check_csrf, run_form_action
from .paging import paginate_list

bp = Blueprint("catalogue", __name__, url_prefix="/catalogue")
PER_PAGE = 100


@bp.route("/")
@login_required
@policy(Action.FILE)
def index():
    require(current_user, Action.FILE)
    agency = current_user.agency
    years = arrangement.years(g.db, agency)
    year = request.args.get("year", type=int) or (years[0] if years else localtime.today().year)
    retention = request.args.get("retention") or None
    if retention and retention not in RETENTIONS:
        raise errors.Validation("保管期限应为 Y、D30 或 D10。", fields={"retention": "Y、D30 或 D10"})
    rows = arrangement.records(g.db, agency, year, retention)
    page = paginate_list(rows, PER_PAGE)
    first = (page.page - 1) * PER_PAGE  # 序号 continues across pages
    groups = arrangement.group(g.db, agency, page.items)
    moved = arrangement.out_of_order(arrangement.records(g.db, agency, year)) if rows else []
    return render_template("catalogue.html", agency=agency, years=years or [year], year=year, retention=retention,
                           retentions=RETENTIONS, groups=groups, page=page, first=first, moved=moved,
                           frozen=arrangement.frozen(g.db, agency, year), form=CsrfForm(),
                           args={k: v for k, v in request.args.items() if k != "page"})


@bp.route("/arrange", methods=["POST"])
@login_required
@policy(Action.FILE)
def arrange():
    """整理: renumber the year's 件号 in time order, then freeze the year."""
    require(current_user, Action.FILE)
    check_csrf()
    year = request.form.get("year", type=int)
    back = url_for("catalogue.index", year=year)
    if request.form.get("confirm") != "yes":
        flash("请勾选确认后再整理：整理后该年度的件号将固定，不能再次整理。", "error")
        return redirect(back)
    return run_form_action(lambda: arrangement.arrange(get_archive(), Actor.from_user(current_user), year or 0),
                           lambda n: f"{year}年度已整理：{n} 件的件号按时间顺序重新编排，件号现已固定。", back,
                           "未能整理")


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
