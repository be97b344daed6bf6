"""Read-side queries of the catalogue for pages and the API (no SQL in views), and the reads that
are on the audit trail (a record viewed, the catalogue listed), so each door logs the same entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..core import errors, localtime
from ..core.paging import Page
from ..models import Agency, Matter, Record, User
from ..organisation.access import Action, can, require
from . import archival_code

if TYPE_CHECKING:
    from ..core.context import Archive


def browse(session: Session, *, custodian: str | None = None, year: int | None = None,
           matter: str | None = None, page: int = 1, per_page: int = 50) -> Page:
    """Catalogue entries, newest first, filtered by agency / year / matter."""
    q = select(Record)
    if custodian:
        q = q.join(Agency, Record.custodian_id == Agency.id).where(Agency.code == custodian)
    if year:
        q = q.where(Record.year == year)
    if matter:
        q = q.join(Matter, Record.matter_id == Matter.id).where(Matter.code == matter)
    total = session.scalar(select(func.count()).select_from(q.subquery())) or 0
    page, per_page = max(1, page), max(1, min(per_page, 200))
    items = session.scalars(
        q.options(selectinload(Record.custodian), selectinload(Record.matter))
        .order_by(Record.formed_on.desc(), Record.id.desc())
        .offset((page - 1) * per_page).limit(per_page)
    ).all()
    return Page(list(items), total, page, per_page)


def facets(session: Session) -> dict[str, list]:
    """Values to browse by: agencies, years and matters present in the catalogue."""
    return {
        "agencies": session.scalars(select(Agency).order_by(Agency.code)).all(),
        "years": [y for (y,) in session.execute(
            select(Record.year).distinct().order_by(Record.year.desc())).all()],
        "matters": session.scalars(select(Matter).order_by(Matter.code)).all(),
    }


def get(session: Session, record_id: int) -> Record | None:
    return session.get(Record, record_id, options=[selectinload(Record.files),
                                                    selectinload(Record.custody_changes)])


def by_archival_code(session: Session, code: str) -> Record | None:
    parsed = archival_code.parse(code)
    if parsed is None:
        return None
    return session.scalar(select(Record).where(Record.archival_code == str(parsed)))


def matters(session: Session) -> list[Matter]:
    return list(session.scalars(select(Matter).order_by(Matter.code)).all())


def record_summary(record: Record) -> dict:
    """Catalogue data (visible to both agencies)."""
    return {
        "id": record.id, "archival_code": record.archival_code, "title": record.title,
        "doc_no": record.doc_no, "responsible": record.responsible,
        "formed_on": record.formed_on.isoformat(), "retention": record.retention,
        "doc_type": record.doc_type, "security_level": record.security_level,
        "pages": record.pages, "custodian": record.custodian.code,
        "custodian_name": record.custodian.name, "matter": record.matter.code if record.matter else None,
        "applicant": record.applicant, "applicant_uscc": record.applicant_uscc,
        "case_no": record.case.case_no if record.case else None, "category": record.category,
        "source_record_id": record.source_record_id, "push_id": record.push_id,
        "received_on": record.received_on.isoformat() if record.received_on else None,
        "filed_at": localtime.iso_local(record.filed_at),
    }


def iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


@dataclass(frozen=True)
class RecordView:
    record: Record
    content_ok: bool  # the viewer may read the content (own custody or an approved 调阅)
    download_ok: bool  # … and download the original


def view_record(archive: Archive, session: Session, user: User, record_id: int, channel: str) -> RecordView:
    """A record's catalogue entry for `user`, put on the audit trail (record.view) whichever door
    asked — the record page ("web") or the API ("api")."""
    record = get(session, record_id)
    if record is None:
        raise errors.NotFound(f"没有编号为 {record_id} 的档案。")
    require(user, Action.READ_CATALOGUE, record)
    with archive.db.transaction() as s:
        audit.append(s, actor=user.username, agency_code=user.agency.code, action="record.view",
                     object_type="record", object_id=record.id, detail={"channel": channel})
    return RecordView(record, can(user, Action.READ_CONTENT, record, session=session),
                      can(user, Action.DOWNLOAD, record, session=session))


def _number(value: str | None, default: int) -> int:
    return int(value) if value and value.isdigit() else default


def list_records(archive: Archive, session: Session, user: User, asked: Mapping[str, str], channel: str) -> Page:
    """The catalogue listing of the API (one 档号, or `browse` filters), on the audit trail with what
    was asked and how many matched (issue 11 item 14)."""
    code = asked.get("archival_code")
    if code:
        record = by_archival_code(session, code)
        result = Page([record] if record else [], 1 if record else 0, 1, 1)
    else:
        result = browse(session, custodian=asked.get("custodian") or None,
                        year=_number(asked.get("year"), 0) or None, matter=asked.get("matter") or None,
                        page=_number(asked.get("page"), 1), per_page=_number(asked.get("per_page"), 50))
    with archive.db.transaction() as s:
        audit.append(s, actor=user.username, agency_code=user.agency.code, action="catalogue.list",
                     object_type="record",
                     detail={**{k: v for k, v in asked.items() if v}, "total": result.total, "channel": channel})
    return result
