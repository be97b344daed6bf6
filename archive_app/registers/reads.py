"""What the register pages and the API show besides the ledgers themselves: the choices of the
push and review forms, agreements, answers, holiday schedules. Reads only (views hold no SQL)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..core.context import Archive
from ..models import (
    Agency,
    CalendarDay,
    IssuedDocument,
    Matter,
    Push,
    PushAgreement,
    Record,
    ReviewProcedure,
    SpecialReview,
)
from . import liaison, procedures, pushes, reviews

RECORD_CHOICES = 20


def issued_letters(session: Session, agency_code: str, limit: int = 200) -> list[IssuedDocument]:
    """The agency's issued documents, newest first (a push may carry one already issued)."""
    return list(session.scalars(select(IssuedDocument).join(Agency).where(
        Agency.code == agency_code, IssuedDocument.status == "issued").order_by(IssuedDocument.id.desc()).limit(limit)))


def other_agencies(session: Session, agency_code: str) -> list[Agency]:
    return [a for a in session.scalars(select(Agency).order_by(Agency.code)) if a.code != agency_code]


def answer_to(session: Session, push_id: int) -> Push | None:
    return session.scalar(select(Push).where(Push.reply_to_id == push_id))


def agreements(session: Session, by_matter: bool = True) -> list[PushAgreement]:
    """Every matter's agreed push time, content, format and route (未央 三（四）): by matter and flow,
    or in the order they were first agreed."""
    order = (PushAgreement.matter_id, PushAgreement.flow) if by_matter else (PushAgreement.id,)
    return list(session.scalars(select(PushAgreement).order_by(*order)))


def own_records_matching(session: Session, agency_id: int, text: str) -> list[Record]:
    """The push form's picker: the agency's records whose 档号 or 题名 contains `text`."""
    like = "%" + text.replace("\\", "").replace("%", "").replace("_", "") + "%"
    return list(session.scalars(select(Record).where(Record.custodian_id == agency_id,
                                                     (Record.archival_code.like(like)) | (Record.title.like(like)))
                                .order_by(Record.id.desc()).limit(RECORD_CHOICES)))


def review_procedures(session: Session) -> list[ReviewProcedure]:
    return list(session.scalars(select(ReviewProcedure).order_by(ReviewProcedure.matter_id, ReviewProcedure.id)))


def organises_reviews(session: Session, agency_id: int) -> bool:
    """The agency approves a matter another department supervises (第十二条: it organises reviews)."""
    return bool(session.scalar(select(Matter.id).where(Matter.approving_agency_id == agency_id,
                                                       Matter.department_id != agency_id).limit(1)))


def decision_records(session: Session, review: SpecialReview) -> list[Record]:
    """The organiser's own records of the review's case: the licensing decision is one of them (第十四条)."""
    return list(session.scalars(select(Record).where(Record.case_id == review.case_id,
                                                     Record.custodian_id == review.lead_id,
                                                     Record.category != "received").order_by(Record.id)))


def loaded_schedules(session: Session) -> list[tuple[int, int, str | None]]:
    """(year, days, loaded by) of each holiday schedule loaded."""
    return [tuple(r) for r in session.execute(
        select(CalendarDay.year, func.count(), func.max(CalendarDay.loaded_by))
        .group_by(CalendarDay.year).order_by(CalendarDay.year))]


# After a write (its own transaction), the doors answer with the row as committed, read in a new session.

def push_as_written(archive: Archive, agency_code: str, push_id: int) -> dict:
    with archive.db.session() as s:
        return pushes.describe(pushes.visible(s, agency_code, push_id))


def review_as_written(archive: Archive, agency_code: str, review_id: int) -> dict:
    with archive.db.session() as s:
        return reviews.describe(reviews.visible(s, agency_code, review_id))


def procedure_as_written(archive: Archive, row_id: int) -> dict:
    with archive.db.session() as s:
        return procedures.describe(s.get(procedures.ReviewProcedure, row_id))


def liaison_as_written(archive: Archive, row_id: int) -> dict:
    with archive.db.session() as s:
        return liaison.describe(s.get(liaison.LiaisonOfficer, row_id))
