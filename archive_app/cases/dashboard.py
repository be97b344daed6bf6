"""What each agency owes on its cases (the dashboard's case sections):

* cases it is deciding that are past, or within three working days of, their 承诺时限
  (行政许可法第四十二条; 第九条（四） 确保在承诺时限内完成全链条审批工作);
* decided cases whose 审批办结信息 it has not pushed yet (安康办法 第九条（一）).

An agency is the approver per `access.case_agency_id`: open cases are owed by whoever approves
the matter today. Which decided cases wait for a push, who owes it and when it is due is
`cases.unpushed` (shared with the registers dashboard)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..core import localtime
from ..models import Case, Matter
from ..workdays import Calendar
from . import unpushed as owed
from .listing import OPEN

SOON_DAYS = 3
LIMIT = 50


@dataclass
class CaseBoard:
    today: date
    soon_until: date
    overdue: list[Case] = field(default_factory=list)
    due_soon: list[Case] = field(default_factory=list)
    unpushed: list[Case] = field(default_factory=list)
    totals: dict[str, int] = field(default_factory=dict)  # all of them; the lists hold the first LIMIT
    # case id → (the date the 审批办结信息 is due, working days since 办结), for the unpushed ones:
    # the sender's deadline (第九条（一）「及时」; 未央 三（四） the agreed time, else DEFAULT_SEND_DAYS)
    unpushed_due: dict[int, owed.Owed] = field(default_factory=dict)


def approver_on(agency_id: int, on):
    """SQL condition on Case joined with Matter: `agency_id` approves the matter's cases on the day
    `on` (a date or a date column) — the department before the transfer date (access.case_agency_id)."""
    return or_(
        and_(Matter.approving_agency_id == agency_id, or_(Matter.transfer_date.is_(None), Matter.transfer_date <= on)),
        and_(Matter.department_id == agency_id, Matter.transfer_date.is_not(None), Matter.transfer_date > on))


def build(session: Session, agency_id: int, today: date | None = None, calendar: Calendar | None = None) -> CaseBoard:
    """`calendar`: the caller's, when it has loaded one already (one CalendarDay scan per page)."""
    today = today or localtime.today()
    calendar = calendar or Calendar.from_db(session)
    soon = calendar.deadline(today, SOON_DAYS).deadline
    board = CaseBoard(today, soon)
    base = select(Case).join(Matter, Case.matter_id == Matter.id)
    deciding = base.where(approver_on(agency_id, today), Case.status.in_(OPEN))  # it decides them now
    parts = {"overdue": (deciding.where(Case.due_on < today), Case.due_on),
             "due_soon": (deciding.where(Case.due_on >= today, Case.due_on <= soon), Case.due_on),
             "unpushed": (base.where(owed.owed_by(agency_id)), Case.decided_on)}
    for name, (q, order) in parts.items():
        setattr(board, name, list(session.scalars(q.options(selectinload(Case.matter))
                                                  .order_by(order, Case.id).limit(LIMIT))))
        board.totals[name] = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    board.unpushed_due = owed.due(session, calendar, board.unpushed, today)
    return board
