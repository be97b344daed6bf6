"""Finding cases: filters of the 办件 list (issue 14) as one indexed query, newest 受理 first.

逾期 / 临期 apply to cases still being decided (受理中, 特别审查中) against their 承诺时限 due date;
临期 means due within N working days (the working-day Calendar, start day not counted).
已决定未推送 is 安康办法 第九条（一）: a decided case whose 审批办结信息 has not been pushed yet."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from ..core import errors, localtime, uscc
from ..core.paging import Page
from ..models import CASE_STATUSES, Case, Matter
from ..workdays import Calendar
from . import unpushed as owed
from .kinds import LIVE

OPEN = ("received", "special_review")
LABEL_TO_KEY = {v: k for k, v in CASE_STATUSES.items()}


@dataclass(frozen=True)
class Filters:
    matter: str | None = None
    status: str | None = None
    applicant: str | None = None
    uscc: str | None = None
    certificate_no: str | None = None
    case_no: str | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    overdue: bool = False
    due_within: int | None = None
    unpushed: bool = False
    key_project: bool = False
    q: str = ""  # full text (search package query language) over 申请人 and the case fields

    @property
    def text_only(self) -> bool:
        """Nothing to narrow beyond what the full-text index already applied (q and matter)."""
        from dataclasses import fields, replace

        bare = replace(self, q="", matter=None)
        return all(getattr(bare, f.name) == f.default for f in fields(self))

    def asked(self) -> dict[str, Any]:
        """The words and filters set (for the audit trail), dates as ISO days."""
        from dataclasses import fields

        return {f.name: v.isoformat() if isinstance(v, date) else v
                for f in fields(self) if (v := getattr(self, f.name)) != f.default}

    @classmethod
    def from_args(cls, args: Any) -> Filters:
        """From query arguments; bad values are a VALIDATION error naming the parameter."""
        problems: dict[str, str] = {}

        def day(name: str) -> date | None:
            raw = (args.get(name) or "").strip()
            if not raw:
                return None
            try:
                return date.fromisoformat(raw)
            except ValueError:
                problems[name] = "日期应为 YYYY-MM-DD"
                return None

        status = (args.get("status") or "").strip() or None
        if status:
            status = LABEL_TO_KEY.get(status, status)
            if status not in CASE_STATUSES:
                problems["status"] = "状态应为：" + "、".join(f"{k}（{v}）" for k, v in CASE_STATUSES.items())
        due_within = None
        raw = (args.get("due_within") or "").strip()
        if raw:
            if not raw.isdigit() or not 0 < int(raw) <= 60:
                problems["due_within"] = "临期天数应为 1 至 60 个工作日"
            else:
                due_within = int(raw)
        f = cls(matter=(args.get("matter") or "").strip() or None, status=status,
                applicant=(args.get("applicant") or "").strip() or None,
                uscc=uscc.normalize(args.get("uscc") or "") or None,
                certificate_no=(args.get("certificate_no") or "").strip() or None,
                case_no=(args.get("case_no") or "").strip() or None,
                decided_from=day("decided_from"), decided_to=day("decided_to"),
                overdue=args.get("overdue") in ("1", "true", "on"), due_within=due_within,
                unpushed=args.get("unpushed") in ("1", "true", "on"),
                key_project=args.get("key_project") in ("1", "true", "on"),
                q=(args.get("q") or "").strip())
        if problems:
            raise errors.Validation("筛选条件有误——" + "；".join(problems.values()) + "。", fields=problems)
        return f


def query(session: Session, f: Filters, today: date | None = None, calendar: Calendar | None = None,
          applicant_ids: list[int] | None = None):
    today = today or localtime.today()
    q = select(Case)
    if f.matter:
        # codes are unique: one id, so the planner can walk the (matter, status, 受理日期) index in order
        q = q.where(Case.matter_id == select(Matter.id).where(Matter.code == f.matter).scalar_subquery())
    if f.status == "expired":
        q = q.where(Case.status.in_(LIVE), Case.valid_until < today)
    elif f.status in LIVE:
        q = q.where(Case.status == f.status, (Case.valid_until.is_(None)) | (Case.valid_until >= today))
    elif f.status:
        q = q.where(Case.status == f.status)
    if f.applicant and applicant_ids is not None:
        q = q.where(Case.id.in_(applicant_ids))
    elif f.applicant:
        escaped = f.applicant.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        q = q.where(Case.applicant.like(f"%{escaped}%", escape="\\"))
    if f.uscc:
        q = q.where(Case.applicant_uscc == f.uscc)
    if f.certificate_no:
        q = q.where(Case.certificate_no == f.certificate_no)
    if f.case_no:
        q = q.where(Case.case_no == f.case_no)
    if f.decided_from:
        q = q.where(Case.decided_on >= f.decided_from)
    if f.decided_to:
        q = q.where(Case.decided_on <= f.decided_to)
    if f.overdue:
        q = q.where(Case.status.in_(OPEN), Case.due_on < today)
    if f.due_within:
        until = (calendar or Calendar.from_db(session)).deadline(today, f.due_within).deadline
        q = q.where(Case.status.in_(OPEN), Case.due_on >= today, Case.due_on <= until)
    if f.unpushed:
        q = q.where(owed.not_pushed())  # 第九条（一）: one definition with the dashboards
    if f.key_project:
        q = q.where((Case.key_project.is_(True)) | Case.matter_id.in_(select(Matter.id).where(Matter.key_project)))
    return q


def order(f: Filters) -> tuple:
    """Newest first: by 决定日期 when a 决定日期 range is asked for (read from ix_cases_decided_on_id:
    a page is the first rows of the range), else by 受理日期."""
    if f.decided_from or f.decided_to:
        return Case.decided_on.desc(), Case.id.desc()
    return Case.received_on.desc(), Case.id.desc()


def search(session: Session, f: Filters, page: int = 1, per_page: int = 50, today: date | None = None,
           ranked: list[int] | None = None, ranked_total: int | None = None,
           applicant_ids: list[int] | None = None) -> Page[Case]:
    """One page of cases. With `ranked` (case ids from the full-text index, best first) only those
    cases are listed, in that order; with `applicant_ids` (the index's 申请人 matches) the applicant
    substring filter is that list instead of a LIKE over every row."""
    q = query(session, f, today, applicant_ids=applicant_ids)
    page, per_page = max(1, page), max(1, min(per_page, 200))
    if ranked is not None:
        if f.text_only:  # the index applied every filter there is: its order and count stand
            ids = ranked[(page - 1) * per_page:page * per_page]
            total = ranked_total if ranked_total is not None else len(ranked)
        else:
            allowed = set(session.scalars(q.with_only_columns(Case.id).where(Case.id.in_(ranked)))) if ranked else set()
            ordered = [i for i in ranked if i in allowed]
            ids, total = ordered[(page - 1) * per_page:page * per_page], len(ordered)
        rows = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)).options(
            selectinload(Case.matter), selectinload(Case.supervising_agency)))} if ids else {}
        return Page([rows[i] for i in ids if i in rows], total, page, per_page)
    total = session.scalar(select(func.count()).select_from(q.order_by(None).subquery())) or 0
    # the page's ids first (an index-only walk of the filter's index, however deep the page), then
    # those rows: a deep OFFSET then skips index entries, not table rows
    ids = list(session.scalars(q.with_only_columns(Case.id).order_by(*order(f))
                               .offset((page - 1) * per_page).limit(per_page)))
    rows = {c.id: c for c in session.scalars(select(Case).where(Case.id.in_(ids)).options(
        selectinload(Case.matter), selectinload(Case.supervising_agency)))} if ids else {}
    return Page([rows[i] for i in ids], total, page, per_page)
