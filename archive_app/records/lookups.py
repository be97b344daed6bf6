"""The 调阅 workflow (安康办法 第十条; DESIGN.md §2.2): a user asks for records the other agency
keeps; the custodian's clerks approve (optionally narrowing mode or days) or deny; access then
exists only while approved and unexpired, ends by itself, and the requester may return early.
Every step is on the audit trail."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from .. import audit
from ..core import config, errors, localtime
from ..core.db import utcnow
from ..models import MODES, LookupItem, LookupRequest, Record, User
from ..organisation.access import Action, require
from ..organisation.users import acting_user

if TYPE_CHECKING:
    from ..core.context import Archive
    from ..organisation.actor import Actor

MAX_RECORDS = 200


def max_days() -> int:
    """Longest lookup an applicant may ask for (ARCHIVE_LOOKUP_MAX_DAYS, default 30)."""
    return config.lookup_max_days()


def _int(value: object, name: str, problems: dict) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        problems[name] = "应为整数"
        return None


def create(session: Session, user: User, record_ids: list, purpose: str, mode: str, days: object) -> LookupRequest:
    require(user, Action.REQUEST_LOOKUP)
    problems: dict[str, str] = {}
    ids = []
    for value in record_ids or []:
        n = _int(value, "record_ids", problems)
        if n is not None and n not in ids:
            ids.append(n)
    if not ids:
        problems["record_ids"] = "请选择要调阅的档案"
    elif len(ids) > MAX_RECORDS:
        problems["record_ids"] = f"一次最多调阅 {MAX_RECORDS} 件"
    purpose = (purpose or "").strip()
    if not purpose:
        problems["purpose"] = "请填写调阅目的"
    elif len(purpose) > 1000:
        problems["purpose"] = "不能超过 1000 个字符"
    if mode not in MODES:
        problems["mode"] = "调阅方式应为 view（在线查阅）或 download（下载复制）"
    n_days = _int(days, "days", problems)
    if n_days is not None and not 1 <= n_days <= max_days():
        problems["days"] = f"调阅期限应为 1 至 {max_days()} 天"
    records = session.scalars(select(Record).where(Record.id.in_(ids))).all() if ids else []
    if ids and len(records) != len(ids):
        missing = sorted(set(ids) - {r.id for r in records})
        problems["record_ids"] = f"档案不存在：{', '.join(map(str, missing))}"
    keepers = {r.custodian_id for r in records}
    if user.agency_id in keepers:
        problems["record_ids"] = "本单位保管的档案无需调阅"
    elif len(keepers) > 1:
        problems["record_ids"] = "一份调阅申请只能针对同一个保管单位的档案"
    if problems:
        raise errors.Validation("调阅申请填写有误——" + "；".join(problems.values()) + "。", fields=problems)
    request = LookupRequest(number=f"pending-{user.id}-{utcnow().timestamp()}", requester_id=user.id,
                            requester_agency_id=user.agency_id, custodian_id=keepers.pop(), purpose=purpose,
                            mode=mode, days=n_days, status="pending")
    session.add(request)
    session.flush()
    request.number = f"DY{utcnow().year}-{request.id:05d}"
    session.add_all(LookupItem(request_id=request.id, record_id=r.id) for r in records)
    session.flush()
    audit.append(session, actor=user.username, agency_code=user.agency.code, action="lookup.request",
                 object_type="lookup", object_id=request.id,
                 detail={"number": request.number, "records": ids, "mode": mode, "days": n_days})
    return request


def get(session: Session, request_id: int) -> LookupRequest:
    request = session.get(LookupRequest, request_id, options=[selectinload(LookupRequest.items)])
    if request is None:
        raise errors.NotFound("没有找到该调阅申请。")
    return request


def visible_to(user: User, request: LookupRequest) -> bool:
    """Both sides see the history: the requester's agency and the custodian."""
    return user.agency_id in (request.requester_agency_id, request.custodian_id)


def decide(session: Session, user: User, request_id: int, decision: str, note: str | None = None,
           mode: str | None = None, days: object = None) -> LookupRequest:
    require(user, Action.DECIDE_LOOKUP)
    request = get(session, request_id)
    if request.custodian_id != user.agency_id:
        raise errors.Forbidden("只有保管单位的档案管理员可以审批该调阅申请。")
    if request.status != "pending":
        raise errors.Conflict(f"调阅申请 {request.number} 已处理（{request.status}），不能重复审批。")
    if any(item.record.custodian_id != request.custodian_id for item in request.items):
        # the record's *current* custodian decides (a corrected transfer date may have moved it)
        raise errors.Forbidden("申请中的档案已改由其他单位保管，本单位不能再审批该调阅申请。")
    note = (note or "").strip() or None
    now = utcnow()
    if decision == "deny":
        if not note:
            raise errors.Validation("拒绝调阅时请说明理由。", fields={"note": "请填写理由"})
        request.status = "denied"
    elif decision == "approve":
        granted_mode = mode or request.mode
        if granted_mode not in MODES or (request.mode == "view" and granted_mode == "download"):
            raise errors.Validation("批准的调阅方式不能超出申请的方式。", fields={"mode": "只能保持或收窄"})
        problems: dict[str, str] = {}
        granted_days = request.days if days in (None, "") else _int(days, "days", problems)
        if granted_days is None or not 1 <= granted_days <= request.days:
            raise errors.Validation(f"批准的期限应为 1 至 {request.days} 天。", fields={"days": "只能保持或缩短"})
        request.status, request.granted_mode, request.granted_days = "approved", granted_mode, granted_days
        request.expires_at = now + timedelta(days=granted_days)
    else:
        raise errors.Validation("审批结果应为 approve（批准）或 deny（拒绝）。", fields={"decision": "approve 或 deny"})
    request.decided_by_id, request.decided_at, request.decision_note = user.id, now, note
    audit.append(session, actor=user.username, agency_code=user.agency.code,
                 action="lookup.approve" if decision == "approve" else "lookup.deny",
                 object_type="lookup", object_id=request.id,
                 detail={"number": request.number, "mode": request.granted_mode, "days": request.granted_days,
                         "note": note})
    return request


CLOSED_NOTE = "档案的保管单位已变更（划转日期更正），申请已自动关闭；如仍需调阅，请向现保管单位重新申请。"


def close_for_custody_change(session: Session, record_ids: list[int], actor: str,
                             agency_code: str | None) -> list[int]:
    """Close the pending requests covering records that changed custodian (第十条: the keeper
    decides; the former keeper no longer may). Approved grants need no closing: `access` honours
    a grant only while the record is still kept by the agency that gave it."""
    if not record_ids:
        return []
    rows = session.scalars(select(LookupRequest).join(LookupItem).where(
        LookupItem.record_id.in_(record_ids), LookupRequest.status == "pending").distinct()).all()
    now = utcnow()
    for row in rows:
        row.status, row.decided_at, row.decision_note = "closed", now, CLOSED_NOTE
        audit.append(session, actor=actor, agency_code=agency_code, action="lookup.close", object_type="lookup",
                     object_id=row.id, detail={"number": row.number, "reason": "custody_change"})
    return [r.id for r in rows]


def return_early(session: Session, user: User, request_id: int) -> LookupRequest:
    request = get(session, request_id)
    if request.requester_id != user.id:
        raise errors.Forbidden("只有申请人可以提前归还。")
    if not request.is_active(utcnow()):
        raise errors.Conflict(f"调阅申请 {request.number} 当前不在有效期内，无需归还。")
    request.status, request.returned_at = "returned", utcnow()
    audit.append(session, actor=user.username, agency_code=user.agency.code, action="lookup.return",
                 object_type="lookup", object_id=request.id, detail={"number": request.number})
    return request


def listing(session: Session, user: User) -> dict[str, list[LookupRequest]]:
    """Mine, the queue to decide (custodian clerks/admins), and all others my agency can see."""
    q = select(LookupRequest).options(selectinload(LookupRequest.items)).order_by(LookupRequest.id.desc())
    mine = session.scalars(q.where(LookupRequest.requester_id == user.id)).all()
    queue = session.scalars(q.where(LookupRequest.custodian_id == user.agency_id,
                                    LookupRequest.status == "pending")).all() \
        if user.role in ("clerk", "admin") else []
    history = session.scalars(q.where(or_(LookupRequest.custodian_id == user.agency_id,
                                          LookupRequest.requester_agency_id == user.agency_id)).limit(200)).all()
    return {"mine": list(mine), "queue": list(queue), "history": list(history)}


def describe(request: LookupRequest) -> dict:
    """What the API returns for a request (and what the pages need after a write)."""
    now = utcnow()
    return {"id": request.id, "number": request.number, "status": request.state(now),
            "requester": request.requester.username, "requester_agency": request.requester_agency.code,
            "custodian": request.custodian.code, "purpose": request.purpose, "mode": request.mode,
            "days": request.days, "granted_mode": request.granted_mode, "granted_days": request.granted_days,
            "expires_at": localtime.iso_local(request.expires_at),
            "decision_note": request.decision_note, "record_ids": [i.record_id for i in request.items],
            "created_at": localtime.iso_local(request.created_at)}


# --- Services for the doors (pages, API): (archive, actor, …), one transaction each.

def submit(archive: Archive, actor: Actor, record_ids: list, purpose: str, mode: str, days: object) -> dict:
    """Ask for records the other agency keeps (`create`); returns `describe` of the new request."""
    with archive.db.transaction() as s:
        return describe(create(s, acting_user(s, actor), record_ids, purpose, mode, days))


def rule(archive: Archive, actor: Actor, request_id: int, decision: str, note: str | None = None,
         mode: str | None = None, days: object = None) -> dict:
    """The custodian approves or denies (`decide`); returns `describe` of the request."""
    with archive.db.transaction() as s:
        return describe(decide(s, acting_user(s, actor), request_id, decision, note, mode, days))


def give_back(archive: Archive, actor: Actor, request_id: int) -> dict:
    """The requester ends an approved lookup early (`return_early`)."""
    with archive.db.transaction() as s:
        return describe(return_early(s, acting_user(s, actor), request_id))


def records(session: Session, record_ids: list[int]) -> list[Record]:
    """The records a new request names (the form lists them)."""
    return list(session.scalars(select(Record).where(Record.id.in_(record_ids)))) if record_ids else []


def waiting(session: Session, user: User) -> int:
    """Requests waiting for this user's decision (custodian clerks and administrators)."""
    if user.role not in ("clerk", "admin"):
        return 0
    return session.scalar(select(func.count()).select_from(LookupRequest).where(
        LookupRequest.custodian_id == user.agency_id, LookupRequest.status == "pending")) or 0
