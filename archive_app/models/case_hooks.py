"""The approval-result push moves its case (安康办法 第六条: 审批与监管责任以相应证照颁发和信息推送为界划分。
审批信息推送之前，市行政审批服务局履行审批职责；市人力资源和社会保障局接收到审批信息后履行监管职责).

A session hook rather than a call in the push register: every way a push is written (page, API,
demo data, a future import) moves the case the same way, in the same transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, insert
from sqlalchemy.orm import Session

from .cases import Case, CaseIndexJob
from .registers import Push


@event.listens_for(Session, "before_flush")
def _push_moves_case(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in [*session.new, *session.dirty]:
        if not isinstance(obj, Push) or obj.flow != "approval_result" or obj.case_id is None:
            continue
        case = session.get(Case, obj.case_id)
        if case is None:
            continue
        if obj.received_at is not None and case.status in ("decided", "served", "pushed"):
            if (case.decision or "").startswith("准予"):
                case.status, case.supervising_agency_id = "supervised", obj.receiver_id
            else:
                case.status = "pushed"
        elif case.status in ("decided", "served"):
            case.status = "pushed"


@event.listens_for(Session, "after_flush")
def _case_index_jobs(session: Session, _ctx: Any) -> None:
    """Every written case gets an outbox row in the same transaction (cases/search.py drains it),
    so the cases index never misses a change however the case was written (page, API, import,
    a filing that opened the case, a push that moved it)."""
    ids = {obj.id for obj in [*session.new, *session.dirty, *session.deleted] if isinstance(obj, Case)}
    if ids:
        session.connection().execute(insert(CaseIndexJob), [{"case_id": i} for i in sorted(ids)])
