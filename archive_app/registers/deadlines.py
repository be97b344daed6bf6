"""Deadlines of register items: computed from the working-day calendar when an item is created,
stored with whether every year on the way had a known holiday schedule, and recomputed for open
items when an administrator loads a schedule (so a warning disappears once it is no longer true)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.context import Archive
from ..core.workdays import Calendar, Deadline
from ..models import Push, SpecialReview
from ..organisation.actor import Actor


def due(session: Session, start: date, days: int) -> Deadline:
    return Calendar.from_db(session).deadline(start, days)


def warning(known: bool) -> str | None:
    return None if known else "期限途经的年份尚未载入节假日安排，按周一至周五计算，可能不准确。"


def recompute(session: Session) -> int:
    """Recompute the due dates of every open push (the sender's, from its event) and of every
    special review whose conclusion is not delivered; returns how many changed."""
    calendar, changed = Calendar.from_db(session), 0
    open_items = [*session.scalars(select(Push).where(Push.received_at.is_(None), Push.review_id.is_(None))),
                  *session.scalars(select(SpecialReview).where(SpecialReview.delivered_on.is_(None)))]
    for item in open_items:
        start = (item.event_on or item.sent_on) if isinstance(item, Push) else item.started_on
        d = calendar.deadline(start, item.time_limit_days)
        if (d.deadline, d.schedule_known) != (item.due_on, item.due_schedule_known):
            item.due_on, item.due_schedule_known, changed = d.deadline, d.schedule_known, changed + 1
    return changed


def load_schedule(archive: Archive, actor: Actor, year: str, data: bytes | None) -> int:
    """An administrator loads a year's holiday schedule (page or API); every open due date is
    recomputed and the load audited in the same transaction (workdays.load_schedule)."""
    from ..core.workdays import load_uploaded_schedule

    with archive.db.transaction() as s:
        return load_uploaded_schedule(s, year, data, actor.username)
