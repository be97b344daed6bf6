"""Each agency's dashboard: what waits for it, what is overdue or due within three working days."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Agency, Push, SpecialReview
from ..workdays import Calendar
from . import liaison

SOON_DAYS = 3


@dataclass
class Dashboard:
    agency: Agency
    today: date
    soon_until: date
    schedule_known: bool
    to_receive: list[Push] = field(default_factory=list)  # pushed to us, not yet signed for
    awaiting_receipt: list[Push] = field(default_factory=list)  # we pushed, they have not signed
    overdue: list[Push | SpecialReview] = field(default_factory=list)
    due_soon: list[Push | SpecialReview] = field(default_factory=list)
    reviews_open: list[SpecialReview] = field(default_factory=list)  # awaiting their conclusion
    liaison_pending: list = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {k: len(getattr(self, k)) for k in ("to_receive", "awaiting_receipt", "overdue", "due_soon",
                                                   "reviews_open", "liaison_pending")}


def build(session: Session, agency_code: str, today: date | None = None) -> Dashboard:
    today = today or date.today()
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    soon = Calendar.from_db(session).deadline(today, SOON_DAYS)
    board = Dashboard(agency, today, soon.deadline, soon.schedule_known)
    open_pushes = session.scalars(select(Push).where(Push.received_at.is_(None),
                                                     (Push.sender_id == agency.id) | (Push.receiver_id == agency.id))
                                  .order_by(Push.due_on)).all()
    for push in open_pushes:
        (board.to_receive if push.receiver_id == agency.id else board.awaiting_receipt).append(push)
    board.reviews_open = list(session.scalars(
        select(SpecialReview).where(SpecialReview.lead_id == agency.id, SpecialReview.conclusion_record_id.is_(None))
        .order_by(SpecialReview.due_on)))
    for item in [*open_pushes, *board.reviews_open]:
        if item.due_on < today:
            board.overdue.append(item)
        elif item.due_on <= soon.deadline:
            board.due_soon.append(item)
    board.liaison_pending = liaison.pending(session, agency_code, today)
    return board
