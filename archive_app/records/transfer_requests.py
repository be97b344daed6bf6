"""Two-person rule for a matter's 划转移交日期 (issue 11 item 3; docs/access-policy.md).

The transfer date decides, by 第十条, which agency keeps each approval record of the matter; moving
it moves records between agencies. So on the web no single administrator changes it: an
administrator of one of the matter's two agencies asks (with a reason and a preview of what would
move), and an administrator of the *other* agency confirms — only then `transfer.apply` runs — or
refuses. The asking agency may withdraw a pending request. Each step is on the audit trail.
(For a matter whose department and approving agency are the same agency, the confirmer is a
different administrator of that agency.) The system operator keeps `archive-app matter
set-transfer-date` on the server's command line, logged as an operator act.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors
from ..core.db import utcnow
from ..models import Matter, TransferDateRequest, User
from ..organisation.access import Action, require
from ..organisation.users import acting_user
from . import transfer

if TYPE_CHECKING:
    from ..core.context import Archive
    from ..organisation.actor import Actor


def _matter(session: Session, code: str) -> Matter:
    matter = session.scalar(select(Matter).where(Matter.code == code))
    if matter is None:
        raise errors.NotFound(f"事项代码「{code}」不存在。")
    return matter


def _party(user: User, matter: Matter) -> None:
    if user.agency_id not in (matter.department_id, matter.approving_agency_id):
        raise errors.Forbidden(f"只有「{matter.department.name}」或「{matter.approving_agency.name}」的系统管理员"
                               "可以处理该事项的划转日期。")


def pending(session: Session, agency_id: int | None = None) -> list[TransferDateRequest]:
    """Pending requests (of matters that concern `agency_id`, if given), oldest first."""
    rows = session.scalars(select(TransferDateRequest).where(TransferDateRequest.status == "pending")
                           .order_by(TransferDateRequest.id)).all()
    return [r for r in rows if agency_id is None
            or agency_id in (r.matter.department_id, r.matter.approving_agency_id)]


def ask(session: Session, user: User, matter_code: str, new_date: date | None, reason: str) -> TransferDateRequest:
    """An administrator of one of the matter's agencies asks for a new date; nothing moves yet."""
    require(user, Action.ADMINISTER)
    matter = _matter(session, matter_code)
    _party(user, matter)
    reason = (reason or "").strip()
    if not reason:
        raise errors.Validation("请填写更正划转日期的理由（如依据的文件）。", fields={"reason": "请填写理由"})
    if new_date == matter.transfer_date:
        raise errors.Validation("新的划转日期与当前日期相同，无需更正。", fields={"date": "与当前相同"})
    if session.scalar(select(TransferDateRequest.id).where(TransferDateRequest.matter_id == matter.id,
                                                          TransferDateRequest.status == "pending")):
        raise errors.Conflict(f"事项 {matter.code} 已有待确认的划转日期更正申请，请先处理该申请。")
    row = TransferDateRequest(matter_id=matter.id, old_date=matter.transfer_date, new_date=new_date,
                              reason=reason[:1000], status="pending", requested_by_id=user.id,
                              requester_agency_id=user.agency_id, requested_at=utcnow())
    session.add(row)
    session.flush()
    moves = transfer.preview(session, matter.code, new_date)
    audit.append(session, actor=user.username, agency_code=user.agency.code, action="matter.transfer_date_request",
                 object_type="matter", object_id=matter.code,
                 detail={"request": row.id, "from": _iso(matter.transfer_date), "to": _iso(new_date),
                         "reason": row.reason, "records_to_move": len(moves)})
    return row


def _pending(session: Session, request_id: int) -> TransferDateRequest:
    row = session.get(TransferDateRequest, request_id)
    if row is None:
        raise errors.NotFound("没有找到该划转日期更正申请。")
    if row.status != "pending":
        raise errors.Conflict("该划转日期更正申请已处理，不能重复处理。")
    return row


def _other_side(user: User, row: TransferDateRequest) -> None:
    """The confirmer is another person, of the matter's other agency (if it has two)."""
    require(user, Action.ADMINISTER)
    matter = row.matter
    _party(user, matter)
    if user.id == row.requested_by_id:
        raise errors.Forbidden("申请人不能确认自己提出的划转日期更正，须由另一方的系统管理员确认。")
    if matter.department_id != matter.approving_agency_id and user.agency_id == row.requester_agency_id:
        raise errors.Forbidden("划转日期的更正须由另一单位的系统管理员确认。")


def confirm(session: Session, user: User, request_id: int, note: str | None = None) -> list[transfer.Move]:
    """The other agency's administrator confirms: the date changes and records move (第十条)."""
    row = _pending(session, request_id)
    _other_side(user, row)
    if row.matter.transfer_date != row.old_date:
        raise errors.Conflict("该事项的划转日期在申请后已被更改，请重新提出申请。")
    row.status, row.decided_by_id, row.decided_at = "confirmed", user.id, utcnow()
    row.decision_note = (note or "").strip() or None
    audit.append(session, actor=user.username, agency_code=user.agency.code, action="matter.transfer_date_confirm",
                 object_type="matter", object_id=row.matter.code,
                 detail={"request": row.id, "requested_by": row.requested_by.username, "to": _iso(row.new_date)})
    moves = transfer.apply(session, row.matter.code, row.new_date, user.username, user.agency.code,
                           via=f"request {row.id}")
    row.records_moved = len(moves)
    return moves


def refuse(session: Session, user: User, request_id: int, note: str | None) -> TransferDateRequest:
    row = _pending(session, request_id)
    _other_side(user, row)
    note = (note or "").strip()
    if not note:
        raise errors.Validation("不同意更正时请说明理由。", fields={"note": "请填写理由"})
    row.status, row.decided_by_id, row.decided_at, row.decision_note = "refused", user.id, utcnow(), note[:1000]
    audit.append(session, actor=user.username, agency_code=user.agency.code, action="matter.transfer_date_refuse",
                 object_type="matter", object_id=row.matter.code, detail={"request": row.id, "note": row.decision_note})
    return row


def withdraw(session: Session, user: User, request_id: int) -> TransferDateRequest:
    row = _pending(session, request_id)
    require(user, Action.ADMINISTER)
    if user.agency_id != row.requester_agency_id:
        raise errors.Forbidden("只有提出申请的单位可以撤回划转日期更正申请。")
    row.status, row.decided_by_id, row.decided_at = "withdrawn", user.id, utcnow()
    audit.append(session, actor=user.username, agency_code=user.agency.code, action="matter.transfer_date_withdraw",
                 object_type="matter", object_id=row.matter.code, detail={"request": row.id})
    return row


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


# --- Services for the admin pages: (archive, actor, …), each step in its own transaction.

def request_change(archive: Archive, actor: Actor, matter_code: str, new_date: date | None, reason: str) -> None:
    """`ask` as the signed-in administrator."""
    with archive.db.transaction() as s:
        ask(s, acting_user(s, actor), matter_code, new_date, reason)


STEPS = ("confirm", "refuse", "withdraw")


def exists(session: Session, request_id: int) -> bool:
    return session.get(TransferDateRequest, request_id) is not None


def decide_change(archive: Archive, actor: Actor, request_id: int, step: str, note: str | None = None) -> None:
    """Confirm or refuse (the other agency's administrator) or withdraw (the asking agency)."""
    if step not in STEPS:
        raise errors.Validation("操作应为 confirm、refuse 或 withdraw。", fields={"step": "、".join(STEPS)})
    with archive.db.transaction() as s:
        user = acting_user(s, actor)
        if step == "confirm":
            confirm(s, user, request_id, note)
        elif step == "refuse":
            refuse(s, user, request_id, note)
        else:
            withdraw(s, user, request_id)
