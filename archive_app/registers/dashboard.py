"""Each agency's dashboard: what waits for it, and the deadlines *it* owes (the 办法 puts time
duties on the sender: 第九条（一） push 「及时」 after 办结, （四） the conclusion 「在规定时限内」 so the
whole chain ends within the matter's 承诺时限).

- to_receive / awaiting_receipt: pushes not yet signed for, with the working days they have waited;
- conclusions_owed: special reviews in which the agency is the partner and has not delivered its
  conclusion (RSJ's dashboard), with the due date;
- reviews_open: reviews it leads still waiting for a conclusion;
- unpushed: its decided cases whose approval result is not yet pushed (第九条（一）), with the
  working days since 办结 and the date it is due (agreement, else the documented default);
- overdue / due_soon: the deadlines among those it owes itself, past or within three working days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import exists, select
from sqlalchemy.orm import Session

from ..core import localtime
from ..models import Agency, Case, Matter, Push, SpecialReview
from ..workdays import Calendar
from . import liaison, pushes

SOON_DAYS = 3


def working_days_between(calendar: Calendar, start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when end <= start)."""
    return calendar.between(start, end)


@dataclass
class Unpushed:
    """A decided case of ours whose approval result has not been pushed yet."""

    case: Case
    decided_on: date
    due_on: date
    days_since: int  # working days since 办结


@dataclass
class Dashboard:
    agency: Agency
    today: date
    soon_until: date
    schedule_known: bool
    to_receive: list[Push] = field(default_factory=list)  # pushed to us, not yet signed for
    awaiting_receipt: list[Push] = field(default_factory=list)  # we pushed, they have not signed
    overdue: list[SpecialReview | Unpushed] = field(default_factory=list)
    due_soon: list[SpecialReview | Unpushed] = field(default_factory=list)
    reviews_open: list[SpecialReview] = field(default_factory=list)  # we lead, awaiting a conclusion
    conclusions_owed: list[SpecialReview] = field(default_factory=list)  # we are the partner
    unpushed: list[Unpushed] = field(default_factory=list)
    liaison_pending: list = field(default_factory=list)
    waited: dict[int, int] = field(default_factory=dict)  # push id → working days since sent

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("to_receive", "awaiting_receipt", "overdue", "due_soon",
                                                   "reviews_open", "conclusions_owed", "unpushed",
                                                   "liaison_pending")}


def _unpushed(session: Session, calendar: Calendar, agency: Agency, today: date) -> list[Unpushed]:
    pushed = exists().where(Push.case_id == Case.id, Push.flow == "approval_result")
    cases = session.scalars(select(Case).join(Matter).where(
        Matter.approving_agency_id == agency.id, Matter.department_id != agency.id,
        Case.decided_on.is_not(None), ~pushed).order_by(Case.decided_on)).all()
    out = []
    for case in cases:
        agreed = pushes.agreement(session, case.matter_id, "approval_result")
        days = agreed.time_limit_days if agreed is not None else pushes.DEFAULT_SEND_DAYS
        out.append(Unpushed(case, case.decided_on, calendar.deadline(case.decided_on, days).deadline,
                            working_days_between(calendar, case.decided_on, today)))
    return out


def build(session: Session, agency_code: str, today: date | None = None) -> Dashboard:
    today = today or localtime.today()
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    calendar = Calendar.from_db(session)
    soon = calendar.deadline(today, SOON_DAYS)
    board = Dashboard(agency, today, soon.deadline, soon.schedule_known)
    open_pushes = session.scalars(select(Push).where(Push.received_at.is_(None),
                                                     (Push.sender_id == agency.id) | (Push.receiver_id == agency.id))
                                  .order_by(Push.sent_on, Push.id)).all()
    for push in open_pushes:
        (board.to_receive if push.receiver_id == agency.id else board.awaiting_receipt).append(push)
        board.waited[push.id] = working_days_between(calendar, push.sent_on, today)
    board.reviews_open = list(session.scalars(
        select(SpecialReview).where(SpecialReview.lead_id == agency.id, SpecialReview.conclusion_record_id.is_(None))
        .order_by(SpecialReview.due_on)))
    board.conclusions_owed = list(session.scalars(
        select(SpecialReview).where(SpecialReview.partner_id == agency.id, SpecialReview.conclusion_push_id.is_(None))
        .order_by(SpecialReview.due_on)))
    board.unpushed = _unpushed(session, calendar, agency, today)
    owed_by_us = [r for r in board.reviews_open if r.partner_id is None]  # independent / outside partner
    for item in [*board.conclusions_owed, *owed_by_us, *board.unpushed]:
        if item.due_on < today:
            board.overdue.append(item)
        elif item.due_on <= soon.deadline:
            board.due_soon.append(item)
    board.liaison_pending = liaison.pending(session, agency_code, today)
    return board
