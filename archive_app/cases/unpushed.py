"""Decided cases whose 审批办结信息 is not pushed yet, and when the push is due (安康办法 第九条（一）
「推送审批办结事项基本信息」; 未央 三（四） 「审批业务办结后…及时推送」) — the one definition behind the case
dashboard (/cases/), the registers dashboard (/registers/, /api/v1/registers/dashboard) and the
已决定未推送 filter of the case list.

* Not yet pushed: the case is 已决定 or 已送达. The approval-result push moves it on in the same
  transaction however it is written (models/case_hooks.py), and a decision recorded after its push
  takes the push's state (cases.register.catch_up_push), so the status is the push's trace, read
  from the status indexes rather than by probing the push table row by row.
* Owed by: the matter's approving agency for a decision on or after the transfer date (the one the
  access policy lets push （一）, access.may_push), unless it is also the department. A case the
  department decided before the transfer stays with it (第四条, 第十条): nobody owes a push for it.
* Due: the agreed working days after 办结 for the matter (未央 三（四）), else DEFAULT_SEND_DAYS;
  the wait is the working days since 办结, counted the way the deadline is.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import NamedTuple

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from ..models import DEFAULT_SEND_DAYS, Case, Matter, PushAgreement
from ..workdays import Calendar

STATUSES = ("decided", "served")  # decided, and the approval-result push not written yet


def not_pushed():
    """SQL condition on Case: decided and its 审批办结信息 not pushed (any agency's)."""
    return Case.status.in_(STATUSES)


def owed_by(agency_id: int):
    """SQL condition on Case joined with Matter: decided, not pushed, and `agency_id` owes the push."""
    return and_(not_pushed(), Matter.approving_agency_id == agency_id, Matter.department_id != agency_id,
                or_(Matter.transfer_date.is_(None), Matter.transfer_date <= Case.decided_on))


def query(agency_id: int) -> Select:
    """The cases `agency_id` owes a push for, longest-waiting first."""
    return (select(Case).join(Matter, Case.matter_id == Matter.id).where(owed_by(agency_id))
            .order_by(Case.decided_on, Case.id))


class Owed(NamedTuple):
    due_on: date  # the sender's deadline for the push
    days_since: int  # working days since 办结


def due(session: Session, calendar: Calendar, cases: Iterable[Case], today: date) -> dict[int, Owed]:
    """Case id → when its push is due and how long it has waited, for decided cases."""
    cases = list(cases)
    if not cases:
        return {}
    agreed = dict(session.execute(select(PushAgreement.matter_id, PushAgreement.time_limit_days).where(
        PushAgreement.flow == "approval_result", PushAgreement.matter_id.in_({c.matter_id for c in cases}))).all())
    return {c.id: Owed(calendar.deadline(c.decided_on, agreed.get(c.matter_id, DEFAULT_SEND_DAYS)).deadline,
                       calendar.between(c.decided_on, today)) for c in cases}
