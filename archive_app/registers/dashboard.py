"""Each agency's dashboard: what waits for it, and the deadlines *it* owes (the 办法 puts time
duties on the sender: 第九条（一） push 「及时」 after 办结, （四） the conclusion 「在规定时限内」 so the
whole chain ends within the matter's 承诺时限).

- to_receive / awaiting_receipt: pushes not yet signed for, with the working days they have waited;
- conclusions_owed: special reviews in which the agency is the partner and has not delivered its
  conclusion (RSJ's dashboard), with the due date;
- reviews_open: reviews it leads still waiting for a conclusion;
- unpushed: its decided cases whose approval result is not yet pushed (第九条（一）), with the
  working days since 办结 and the date it is due (agreement, else the documented default) — the
  definition and the dates of `cases.unpushed`, the same the case board shows;
- overdue / due_soon: the deadlines among those it owes itself, past or within three working days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..cases import unpushed as owed
from ..core import localtime
from ..models import Agency, Case, Push, SpecialReview
from ..workdays import Calendar
from . import liaison

SOON_DAYS = 3


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
    calendar: Calendar  # loaded once for the board; a page showing the case board too passes it on
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
    cases = session.scalars(owed.query(agency.id).options(selectinload(Case.matter))).all()
    due = owed.due(session, calendar, cases, today)
    return [Unpushed(c, c.decided_on, due[c.id].due_on, due[c.id].days_since) for c in cases]


def build(session: Session, agency_code: str, today: date | None = None) -> Dashboard:
    today = today or localtime.today()
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    calendar = Calendar.from_db(session)
    soon = calendar.deadline(today, SOON_DAYS)
    board = Dashboard(agency, today, soon.deadline, soon.schedule_known, calendar)
    open_pushes = session.scalars(select(Push).where(Push.received_at.is_(None),
                                                     (Push.sender_id == agency.id) | (Push.receiver_id == agency.id))
                                  .order_by(Push.sent_on, Push.id)).all()
    for push in open_pushes:
        (board.to_receive if push.receiver_id == agency.id else board.awaiting_receipt).append(push)
        board.waited[push.id] = calendar.between(push.sent_on, today)
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
