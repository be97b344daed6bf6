"""Who may do what — the one access policy, used by pages, API routes, downloads and search.

安康办法 第十条 makes each agency keep its own part of the records and obliges both to help the
other reach them (相互支持配合). So (DESIGN.md §2.2, docs/access-policy.md):

* catalogue data (题名, 档号, 文号, dates, custodian) is visible to every signed-in user;
* content (files, extracted text, snippets) to staff of the record's custodian, or to a user
  holding an approved, unexpired lookup request (调阅) covering the record — mode 在线查阅 gives
  READ_CONTENT, 下载复制 also DOWNLOAD;
* filing: clerks and administrators (for their own agency — the intake custody stage);
* deciding lookups: clerks and administrators of the custodian;
* issuing letters: correspondence staff and administrators;
* administration and the audit trail: administrators, each within their own agency
  (`require_admin_of`); a change of a matter's transfer date, which moves custody between two
  agencies, needs an administrator of each (requested by one, confirmed by the other);
* listings (reports, registers) follow the rule of the objects they list (`Listing`): a report
  of catalogue data may be built for either agency, a report of an agency's own registers (e.g.
  its special reviews) only for the viewer's agency — the same rule as the object's own page.
* the case register (docs/cases.md): any signed-in user reads cases and their timelines; officers,
  clerks and administrators record events — approval events (受理, 决定, 送达, 变更 …) only the
  agency approving the case, supervision events (监督检查, 双随机, 行政处罚 …) only the department
  (安康办法 第三条 谁审批谁负责、谁主管谁监管; 第四条). Before the matter's transfer date the
  department was also the approver, so approval events dated before it are its own to record.
* the 审管联动 registers (docs/registers.md), by the agency's role for the matter (`matter_roles`):
  a push goes the way 第九条 says (`may_push`: （一）（二） approving agency → department, （三）至（七）
  department → approving agency, the answers of （五）（六） back); only the approving agency organises
  special reviews (第十二条), links conclusions and licensing decisions to them (第十四条) and makes
  the 认定 of an objection (未央 三（五）); only a review's partner names its participants (第八条
  （三）) and pushes its conclusion. Routes declare the role gate (ISSUE_LETTERS); the services load
  the object and ask these functions.

Every view function declares its rule with `@policy(...)`; a test walks the URL map and fails
for any route without one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import errors, localtime
from ..core.citations import cite
from ..core.db import utcnow
from ..models import FLOW_SENDERS, Case, LookupItem, LookupRequest, Matter, Push, Record, SpecialReview, User


class Action(StrEnum):
    READ_CATALOGUE = "read_catalogue"
    READ_CONTENT = "read_content"
    DOWNLOAD = "download"
    FILE = "file"
    REQUEST_LOOKUP = "request_lookup"
    DECIDE_LOOKUP = "decide_lookup"
    ISSUE_LETTERS = "issue_letters"
    ADMINISTER = "administer"
    VIEW_AUDIT = "view_audit"
    RECORD_CASE = "record_case"


ROLE_ACTIONS: dict[str, set[Action]] = {
    "clerk": {Action.READ_CATALOGUE, Action.FILE, Action.REQUEST_LOOKUP, Action.DECIDE_LOOKUP,
              Action.RECORD_CASE},
    "officer": {Action.READ_CATALOGUE, Action.REQUEST_LOOKUP, Action.RECORD_CASE},
    "correspondence": {Action.READ_CATALOGUE, Action.REQUEST_LOOKUP, Action.ISSUE_LETTERS},
    "admin": {Action.READ_CATALOGUE, Action.FILE, Action.REQUEST_LOOKUP, Action.DECIDE_LOOKUP,
              Action.ISSUE_LETTERS, Action.ADMINISTER, Action.VIEW_AUDIT, Action.RECORD_CASE},
}
CONTENT_ACTIONS = {Action.READ_CONTENT, Action.DOWNLOAD}

# Route rules besides the actions: no sign-in needed / any signed-in user / object-level rules
# checked by the service once the object is loaded (only the requester returns a lookup early;
# only clerks and administrators of the custodian decide one).
PUBLIC = "public"
SIGNED_IN = "signed-in"
LOOKUP_REQUESTER = "lookup-requester"
LOOKUP_CUSTODIAN = "lookup-custodian"
STANDARD_PROVIDER = "standard-provider"  # administrators of the matter's department (第三条)
# administrators of the matter's approving agency flag it 重点项目 (未央 三（三）: 区行政审批服务局要先和监管部门对接)
KEY_PROJECT_FLAGGER = "key-project-flagger"
F = TypeVar("F", bound=Callable)


class Listing(StrEnum):
    """What a report or register lists, and so who may see it (the objects' own rule)."""
    CATALOGUE = "catalogue"  # catalogue data of records: every signed-in user, either agency (第十条)
    OWN_REGISTER = "own-register"  # an agency's own register (special reviews …): its staff only


def require_listing(user: User | None, listing: Listing, agency_id: int) -> None:
    """Raise unless `user` may see a listing of `listing` objects of agency `agency_id`."""
    if not _signed_in(user):
        raise errors.Unauthenticated()
    require(user, Action.READ_CATALOGUE)
    if listing is Listing.OWN_REGISTER and agency_id != user.agency_id:
        raise errors.Forbidden("该报表列出的是其他单位的登记簿，只有该单位人员可以查看。")


def require_admin_of(user: User | None, agency_id: int | None) -> None:
    """An administrator acts only within their own agency: its users, units, tokens and audit
    entries. Acts that concern two agencies (a matter's 划转移交日期) need both (transfer_requests)."""
    require(user, Action.ADMINISTER)
    if agency_id != user.agency_id:  # type: ignore[union-attr]
        raise errors.Forbidden("系统管理员只能管理本单位的用户、科室、令牌和审计记录。")


def policy(rule: Action | str) -> Callable[[F], F]:
    """Declare the access rule of a view (checked by the route-matrix test)."""
    def mark(view: F) -> F:
        view.access_rule = rule  # type: ignore[attr-defined]
        return view
    return mark


def _signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.active


def active_grant(session: Session, user: User, record_id: int, now: datetime | None = None) -> LookupRequest | None:
    """The approved, unexpired lookup request of `user` covering `record_id` (widest mode first)."""
    now = now or utcnow()
    rows = session.scalars(
        select(LookupRequest).join(LookupItem).join(Record, Record.id == LookupItem.record_id).where(
            LookupRequest.requester_id == user.id, LookupItem.record_id == record_id,
            LookupRequest.status == "approved", LookupRequest.expires_at > now,
            Record.custodian_id == LookupRequest.custodian_id)  # given by the record's current keeper
    ).all()
    return max(rows, key=lambda r: (r.granted_mode == "download", r.expires_at), default=None)


def granted_record_ids(session: Session, user: User, now: datetime | None = None) -> set[int]:
    """Records of other agencies whose content `user` may read now (for search)."""
    now = now or utcnow()
    return set(session.scalars(
        select(LookupItem.record_id).join(LookupRequest).join(Record, Record.id == LookupItem.record_id).where(
            LookupRequest.requester_id == user.id, LookupRequest.status == "approved",
            LookupRequest.expires_at > now, Record.custodian_id == LookupRequest.custodian_id)
    ).all())


def can(user: User | None, action: Action, record: Record | None = None, *,
        session: Session | None = None) -> bool:
    if not _signed_in(user):
        return False
    if action in CONTENT_ACTIONS:
        if record is None:
            return False
        if record.custodian_id == user.agency_id:
            return True
        if session is None:
            return False
        grant = active_grant(session, user, record.id)
        return grant is not None and (action is Action.READ_CONTENT or grant.granted_mode == "download")
    return action in ROLE_ACTIONS.get(user.role, set())


def require(user: User | None, action: Action, record: Record | None = None, *,
            session: Session | None = None) -> None:
    """Raise UNAUTHENTICATED or FORBIDDEN unless `can` says yes."""
    if not _signed_in(user):
        raise errors.Unauthenticated()
    if can(user, action, record, session=session):
        return
    if action in CONTENT_ACTIONS and record is not None:
        grant = session is not None and active_grant(session, user, record.id)
        if grant and action is Action.DOWNLOAD:
            raise errors.Forbidden(f"调阅单 {grant.number} 只批准在线查阅，不能下载原件。")
        raise errors.Forbidden(
            f"该档案由「{record.custodian.name}」保管，您所在单位只能查看目录信息。"
            "如需查阅内容，请向保管单位提出调阅申请。")
    messages = {Action.FILE: "只有档案管理员可以归档文件。",
                Action.DECIDE_LOOKUP: "只有保管单位的档案管理员可以审批调阅申请。",
                Action.ADMINISTER: "只有系统管理员可以进行该操作。",
                Action.VIEW_AUDIT: "只有系统管理员可以查看审计日志。",
                Action.ISSUE_LETTERS: "只有文秘人员可以制发公文。",
                Action.RECORD_CASE: "只有审批/监管科员、档案管理员或系统管理员可以登记办件。"}
    raise errors.Forbidden(messages.get(action))


CASE_SIDES = {"approval": "审批", "supervision": "监管"}


def case_agency_id(matter: Matter, on: object, side: str) -> int:
    """The agency that holds `side` ("approval" | "supervision") of a case of `matter` on the day
    `on`: supervision is the department's; approval is the approving agency's from the matter's
    transfer date, the department's before it (第四条 不再行使划转事项的审批职权 — from the transfer;
    第十条 正式移交前 … 由市人力资源和社会保障局负责). `on` None means today."""
    from datetime import date as _date

    if side == "supervision":
        return matter.department_id
    day = on if isinstance(on, _date) else localtime.today()
    if matter.transfer_date is not None and day < matter.transfer_date:
        return matter.department_id
    return matter.approving_agency_id


def can_record_case(user: User | None, matter: Matter, on: object, side: str) -> bool:
    return can(user, Action.RECORD_CASE) and user.agency_id == case_agency_id(matter, on, side)


def require_case(user: User | None, case: Case | None, side: str, *, on: object = None,
                 matter: Matter | None = None) -> None:
    """Raise unless `user` may record a `side` event dated `on` on `case` (or a new case of `matter`)."""
    if not _signed_in(user):
        raise errors.Unauthenticated()
    require(user, Action.RECORD_CASE)
    matter = case.matter if case is not None else matter
    if not can_record_case(user, matter, on, side):
        holder = "审批机关" if side == "approval" else "监管部门"
        raise errors.Forbidden(f"该办件的{CASE_SIDES[side]}事项只能由{holder}登记"
                               f"（{cite('who_approves')}：谁审批谁负责、谁主管谁监管）。")


# --- 审管联动 registers: who may act, by the agency's role for the matter ------------------------

def matter_roles(session: Session, agency_id: int, matter: Matter | None) -> set[str]:
    """The roles an agency plays ("approving", "department"): for the matter if one is named, else
    for any matter (a push of （七） concerns no single matter)."""
    if matter is not None:
        return ({"approving"} if matter.approving_agency_id == agency_id else set()) \
            | ({"department"} if matter.department_id == agency_id else set())
    roles = set()
    if session.scalar(select(Matter.id).where(Matter.approving_agency_id == agency_id).limit(1)):
        roles.add("approving")
    if session.scalar(select(Matter.id).where(Matter.department_id == agency_id).limit(1)):
        roles.add("department")
    return roles


def flow_sender_role(flow: str, is_reply: bool = False) -> str:
    """Who sends `flow` (第九条); the answer to （五）（六） goes the other way."""
    role = FLOW_SENDERS[flow]
    return ({"approving": "department", "department": "approving"}[role]) if is_reply else role


def may_push(session: Session, sender_id: int, receiver_id: int, flow: str, matter: Matter | None,
             is_reply: bool = False) -> bool:
    want = flow_sender_role(flow, is_reply)
    other = "department" if want == "approving" else "approving"
    return want in matter_roles(session, sender_id, matter) and other in matter_roles(session, receiver_id, matter)


def may_organise_review(matter: Matter, agency_id: int) -> bool:
    """第十二条: the approving agency organises independent, joint and entrusted reviews."""
    return matter.approving_agency_id == agency_id


def may_lead_review(review: SpecialReview, agency_id: int) -> bool:
    """Conclusions and licensing decisions are linked by the review's organiser (第十四条)."""
    return review.lead_id == agency_id


def may_take_part(review: SpecialReview, agency_id: int) -> bool:
    """The partner names its participants (第八条（三）) and pushes its conclusion (第九条（四）)."""
    return review.partner_id is not None and review.partner_id == agency_id


def may_find(push: Push, agency_id: int) -> bool:
    """未央 三（五）: the approving agency that received an objection or revocation request finds on it."""
    return push.receiver_id == agency_id and push.flow in ("objection", "license_change") \
        and push.reply_to_id is None
