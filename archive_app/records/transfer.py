"""Correcting a matter's transfer date (划转移交日期) re-evaluates custody (第十条) of every
审批 record of the matter (issued 公文, 收文 and 监管执法 records never move, see records/custody.py):
first a preview of what would move, then the change itself with one
custody-change entry, one audit entry and one index job per moved record.

A moved record keeps its 档号: the identifier under which it was filed (and which its 归档章
shows) does not change; the catalogue's custodian and the custody history say who keeps it now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors
from ..models import Agency, CustodyChange, IndexJob, Matter, Record
from . import lookups
from .custody import CustodyRule, custodian_for, follows_transfer


@dataclass(frozen=True)
class Move:
    record_id: int
    archival_code: str
    title: str
    formed_on: date
    from_code: str
    to_code: str


def _matter(session: Session, code: str) -> Matter:
    matter = session.scalar(select(Matter).where(Matter.code == code))
    if matter is None:
        raise errors.NotFound(f"事项代码「{code}」不存在。")
    return matter


def preview(session: Session, matter_code: str, new_date: date | None) -> list[Move]:
    """Records whose custodian would change if the matter's transfer date were `new_date`."""
    matter = _matter(session, matter_code)
    rule = CustodyRule(matter.department.code, matter.approving_agency.code, new_date)
    moves = []
    for rec in session.scalars(select(Record).where(Record.matter_id == matter.id).order_by(Record.formed_on)):
        if not follows_transfer(rec.category):  # 公文, 收文, 监管执法 stay where they are
            continue
        target = custodian_for(rule, rec.formed_on, rec.category)
        if target != rec.custodian.code:
            moves.append(Move(rec.id, rec.archival_code, rec.title, rec.formed_on, rec.custodian.code, target))
    return moves


def apply(session: Session, matter_code: str, new_date: date | None, actor: str,
          agency_code: str | None = None, via: str = "operator") -> list[Move]:
    """Set the new date and move every affected record, inside the caller's write transaction.
    `via` says on the audit trail how the change was authorised: a confirmed two-person request
    (transfer_requests) or the system operator on the command line. Pending 调阅 requests for a
    moved record are closed: the former custodian must not decide them any more (item 10)."""
    matter = _matter(session, matter_code)
    old_date = matter.transfer_date
    moves = preview(session, matter_code, new_date)
    matter.transfer_date = new_date
    agencies = {a.code: a for a in session.scalars(select(Agency))}
    reason = (f"划转移交日期由 {old_date or '未划转'} 更正为 {new_date or '未划转'}，"
              "按第十条重新确定保管单位（档号不变）")
    audit.append(session, actor=actor, agency_code=agency_code, action="matter.transfer_date",
                 object_type="matter", object_id=matter.code,
                 detail={"from": str(old_date) if old_date else None, "to": str(new_date) if new_date else None,
                         "records_moved": len(moves), "via": via})
    for move in moves:
        rec = session.get(Record, move.record_id)
        rec.custodian_id = agencies[move.to_code].id
        session.add(CustodyChange(record_id=rec.id, from_agency_id=agencies[move.from_code].id,
                                  to_agency_id=agencies[move.to_code].id, reason=reason, changed_by=actor))
        session.add(IndexJob(record_id=rec.id, op="upsert"))
        audit.append(session, actor=actor, agency_code=agency_code, action="record.custody_change",
                     object_type="record", object_id=rec.id,
                     detail={"from": move.from_code, "to": move.to_code, "archival_code": rec.archival_code})
    session.flush()
    lookups.close_for_custody_change(session, [m.record_id for m in moves], actor, agency_code)
    return moves
