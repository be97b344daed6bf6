"""The search page: query box, filters, facets, highlighted snippets, paging, links."""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template, request
from flask_login import current_user, login_required

from .. import search
from ..cases import search as case_search
from ..core import errors
from ..organisation.access import Action, policy
from ..records import catalogue
from . import get_archive

bp = Blueprint("search", __name__)
FILTERS = ("custodian", "matter", "doc_type", "retention", "applicant", "doc_no", "date_from", "date_to", "sort")


@bp.route("/search")
@login_required
@policy(Action.READ_CATALOGUE)
def index():
    a = request.args
    params = search.Params(q=a.get("q", ""), page=a.get("page", 1, type=int),
                           **{k: (a.get(k) or None) for k in FILTERS if k != "sort"},
                           sort=a.get("sort") or "relevance")
    results, problem, cases = None, None, ([], 0)
    if a:
        try:
            results = search.find(get_archive(), g.db, current_user, params, channel="web")  # on the trail
            if params.q.strip():  # 办件 are a result type of their own (archive_app/cases/search.py)
                cases = case_search.hits(get_archive(), g.db, current_user, params.q)
        except errors.Validation as exc:
            problem = exc.message
    return render_template("search.html", params=params, results=results, problem=problem, cases=cases,
                           labels=search.facet_labels(g.db), matters=catalogue.matters(g.db),
                           args={k: v for k, v in a.items() if k != "page"})


def init_app(app: Flask) -> None:
    app.register_blueprint(bp)
