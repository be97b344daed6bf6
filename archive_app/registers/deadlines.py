"""Deadlines of register items: computed from the working-day calendar when an item is created,
stored with whether every year on the way had a known holiday schedule, and recomputed for open
items when an administrator loads a schedule (so a warning disappears once it is no longer true)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from .. import audit
from ..cases.register import recompute_deadlines
from ..core import errors
from ..core.context import Archive
from ..models import CalendarDay, Push, SpecialReview
from ..organisation.actor import Actor
from ..workdays import Calendar, Deadline, parse_schedule


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


def replace_schedule(session: Session, year: int, text: str, actor: str) -> int:
    """Replace the loaded schedule of `year` (CSV, `workdays.parse_schedule`), recompute every open
    due date — register items and the 承诺时限 of cases still being decided — and audit the load;
    returns the number of days loaded."""
    rows = parse_schedule(text, year)
    session.execute(delete(CalendarDay).where(CalendarDay.year == year))
    session.add_all(CalendarDay(day=d, year=year, kind=k, name=nm, loaded_by=actor) for d, k, nm in rows)
    session.flush()
    changed = recompute(session)  # open register items get the dates the new schedule gives
    changed += recompute_deadlines(session)  # and so do the 承诺时限 of cases still being decided
    audit.append(session, actor=actor, action="calendar.load", object_type="calendar", object_id=year,
                 detail={"days": len(rows), "holidays": sum(k == "holiday" for _, k, _ in rows),
                         "deadlines_recomputed": changed})
    return len(rows)


def load_schedule(archive: Archive, actor: Actor, year: str, data: bytes | None) -> int:
    """An administrator loads a year's holiday schedule sent from a page or the API: checks the
    year and the encoding, then `replace_schedule` in one transaction."""
    if data is None or not year.isdigit() or not 2000 <= int(year) <= 2100:
        raise errors.Validation("请上传节假日安排 CSV 并填写年份（2000–2100）。",
                                fields={"file": "CSV：date,kind[,name]", "year": "年份"})
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise errors.Validation("文件应为 UTF-8 编码的 CSV。", fields={"file": "编码不是 UTF-8"}) from exc
    with archive.db.transaction() as s:
        return replace_schedule(s, int(year), text, actor.username)
