"""Cases: 受理 (create), events and the status transitions they make, 重点项目 flag.

Who may record what is decided by the access policy (`access.require_case`); which transitions
an event may make is `kinds.KINDS`. A refused event changes nothing (one transaction)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors, localtime, uscc
from ..core.citations import cite
from ..models import CASE_STATUSES, Agency, ApprovalStandard, Case, CaseEvent, Matter, Push, Record, SpecialReview
from ..organisation.access import Action, require, require_case
from ..workdays import Calendar
from .kinds import DECISIONS, KINDS, LIVE

CASE_NO_MAX = 64
SUMMARY_MAX = 2000


class Person(Protocol):
    """A signed-in user, or the console acting for an agency (imports)."""

    username: str
    agency_id: int
    role: str
    active: bool
    is_authenticated: bool


def parse_date(value: object, field: str, label: str, problems: dict[str, str], required: bool = True) -> date | None:
    if isinstance(value, date):
        return value
    text = str(value or "").strip()
    if not text:
        if required:
            problems[field] = f"请填写{label}"
        return None
    try:
        return date.fromisoformat(text.replace("/", "-").replace(".", "-"))
    except ValueError:
        problems[field] = f"{label}应为 YYYY-MM-DD 格式的日期"
        return None


def _refuse(what: str, problems: dict[str, str]) -> None:
    if problems:
        raise errors.Validation(f"{what}有误——" + "；".join(problems.values()) + "。", fields=problems)


def get(session: Session, case_no: str) -> Case:
    case = session.scalar(select(Case).where(Case.case_no == case_no))
    if case is None:
        raise errors.NotFound(f"没有办件编号为「{case_no}」的办件。")
    return case


def check_identity(data: dict[str, Any], problems: dict[str, str]) -> tuple[str, str, str | None]:
    """办件编号, 申请人 and 统一社会信用代码 (GB 32100-2015 check character)."""
    case_no = str(data.get("case_no") or "").strip()
    if not case_no:
        problems["case_no"] = "请填写办件编号"
    elif len(case_no) > CASE_NO_MAX or any(not c.isprintable() or c.isspace() for c in case_no):
        problems["case_no"] = f"办件编号不能含空白或控制字符，且不超过 {CASE_NO_MAX} 个字符"
    applicant = str(data.get("applicant") or "").strip()
    if not applicant:
        problems["applicant"] = "请填写申请人"
    elif len(applicant) > 200:
        problems["applicant"] = "申请人不能超过 200 个字符"
    code = uscc.normalize(str(data.get("applicant_uscc") or "")) or None
    if code and not uscc.is_valid(code):
        problems["applicant_uscc"] = "统一社会信用代码无效（应为18位，且校验位正确）"
    return case_no, applicant, code


def set_deadline(case: Case, calendar: Calendar) -> None:
    """承诺时限 in working days from 受理, the start day not counted (行政许可法第八十二条)."""
    days = case.matter.time_limit_days
    if case.received_on is None or not days:
        case.due_on, case.due_schedule_known = None, True
        return
    d = calendar.deadline(case.received_on, days)
    case.due_on, case.due_schedule_known = d.deadline, d.schedule_known


def recompute_deadlines(session: Session) -> int:
    """Due dates of the cases still being decided, after a holiday schedule was loaded (so a
    weekdays-only warning goes exactly when it stops being true); returns how many changed."""
    calendar, changed = Calendar.from_db(session), 0
    for case in session.scalars(select(Case).where(Case.status.in_(("received", "special_review")),
                                                   Case.received_on.is_not(None))):
        before = (case.due_on, case.due_schedule_known)
        set_deadline(case, calendar)
        changed += (case.due_on, case.due_schedule_known) != before
    return changed


def create(session: Session, user: Person, data: dict[str, Any], calendar: Calendar | None = None) -> Case:
    """受理: a new case of a matter (approval side)."""
    problems: dict[str, str] = {}
    case_no, applicant, code = check_identity(data, problems)
    matter = session.scalar(select(Matter).where(Matter.code == str(data.get("matter") or "")))
    if matter is None:
        problems["matter"] = f"事项代码「{data.get('matter') or ''}」不存在"
    received_on = parse_date(data.get("received_on"), "received_on", "受理日期", problems)
    if case_no and session.scalar(select(Case.id).where(Case.case_no == case_no)):
        raise errors.Conflict(f"办件编号「{case_no}」已经登记，不能重复受理。", fields={"case_no": "已存在"})
    _refuse("受理信息", problems)
    require_case(user, None, "approval", matter=matter, on=received_on)
    case = Case(case_no=case_no, matter=matter, matter_id=matter.id, applicant=applicant, applicant_uscc=code,
                received_on=received_on, status="received")
    set_deadline(case, calendar or Calendar.from_db(session))
    session.add(case)
    session.flush()
    audit.append(session, actor=user.username, agency_code=_agency_code(session, user), action="case.receive",
                 object_type="case", object_id=case.case_no,
                 detail={"matter": matter.code, "received_on": received_on.isoformat(),
                         "due_on": case.due_on.isoformat() if case.due_on else None})
    return case


def _agency_code(session: Session, user: Person) -> str | None:
    agency = session.get(Agency, user.agency_id)
    return agency.code if agency else None


@dataclass
class EventInput:
    kind: str
    occurred_on: date
    summary: str
    decision: str | None
    certificate_no: str | None
    valid_until: date | None
    record_ids: list[int]
    participants: str | None
    outcome: str | None


def check_event(session: Session, case: Case, data: dict[str, Any], agency_id: int) -> EventInput:
    """Validate an event (recorded by agency `agency_id`) against the case's state; raises
    VALIDATION or CONFLICT."""
    problems: dict[str, str] = {}
    kind = str(data.get("kind") or "")
    if kind not in KINDS:
        raise errors.Validation("事件类别应为：" + "、".join(f"{k}（{v.label}）" for k, v in KINDS.items()) + "。",
                                fields={"kind": "类别不存在"})
    spec = KINDS[kind]
    on = parse_date(data.get("date"), "date", "日期", problems)
    summary = str(data.get("summary") or "").strip()
    if len(summary) > SUMMARY_MAX:
        problems["summary"] = f"摘要不能超过 {SUMMARY_MAX} 个字符"
    decision = str(data.get("decision") or "").strip() or None
    allowed = DECISIONS.get(kind)
    if allowed:
        decision = decision or (allowed[0] if len(allowed) == 1 else None)
        if decision not in allowed:
            problems["decision"] = "决定应为：" + "、".join(allowed)
    elif decision:
        problems["decision"] = f"「{spec.label}」不带许可决定"
    certificate_no = str(data.get("certificate_no") or "").strip() or None
    if certificate_no and len(certificate_no) > 64:
        problems["certificate_no"] = "许可证号不能超过 64 个字符"
    valid_until = parse_date(data.get("valid_until"), "valid_until", "有效期至", problems, required=False)
    if kind == "decision" and decision == "准予许可" and not certificate_no:
        problems["certificate_no"] = "准予许可须填写许可证号"
    if kind == "decision" and decision == "不予许可" and (certificate_no or valid_until):
        problems["certificate_no"] = "不予许可的决定不颁发许可证"
    if kind == "renewal" and not valid_until:
        problems["valid_until"] = "准予延续须填写新的有效期至"
    if on and case.received_on and on < case.received_on:
        problems["date"] = f"日期不能早于受理日期 {case.received_on.isoformat()}"
    if on and valid_until and valid_until <= on:
        problems["valid_until"] = "有效期至应晚于决定日期"
    if kind == "renewal" and valid_until and case.valid_until and valid_until <= case.valid_until:
        problems["valid_until"] = f"延续后的有效期应晚于原有效期 {localtime.cn_date(case.valid_until)}"
    participants = str(data.get("participants") or "").strip() or None
    outcome = str(data.get("outcome") or "").strip() or None
    if kind == "consultation":
        if not participants:
            problems["participants"] = "请填写会商听取意见的单位和人员"
        if not outcome:
            problems["outcome"] = "请填写会商结果"
    if not summary and kind != "consultation":
        problems["summary"] = "请填写事件摘要"
    record_ids = _record_ids(session, data.get("record_ids"), agency_id, problems)
    _refuse(f"「{spec.label}」事件", problems)
    assert on is not None
    return EventInput(kind, on, summary or (outcome or ""), decision, certificate_no, valid_until, record_ids,
                      participants, outcome)


def _record_ids(session: Session, raw: object, agency_id: int, problems: dict[str, str]) -> list[int]:
    """The records an event links: only records the recording agency keeps (its own part of the
    records, 第十条) — the ones the record picker offers; another agency's record is reached by 调阅."""
    if raw in (None, "", []):
        return []
    if not isinstance(raw, list) or not all(str(x).isdigit() for x in raw):
        problems["record_ids"] = "请按档号或题名检索选择关联档案"
        return []
    ids = sorted({int(x) for x in raw})
    held = set(session.scalars(select(Record.id).where(Record.id.in_(ids), Record.custodian_id == agency_id)).all())
    if held != set(ids):
        problems["record_ids"] = "只能关联本单位保管的档案（所选档案不存在或不由本单位保管），请按档号或题名检索选择"
    return ids


def _check_transition(session: Session, case: Case, ev: EventInput) -> None:
    spec = KINDS[ev.kind]
    status = case.status
    if status not in spec.from_statuses:
        raise errors.Conflict(f"办件当前状态为「{CASE_STATUSES[status]}」，不能登记「{spec.label}」。",
                              status=status, kind=ev.kind)
    if spec.side == "supervision" and not (case.decision or "").startswith("准予"):
        raise errors.Conflict("该办件未准予许可，没有需要监管的许可证。")
    if ev.kind in ("change", "renewal", "withdrawal", "revocation", "cancellation") and not case.certificate_no:
        raise errors.Conflict("该办件没有颁发许可证，不能变更、延续、撤回、撤销或注销。")
    if ev.kind == "consultation" and not (case.key_project or case.matter.key_project):
        raise errors.Conflict("会商记录用于重点项目：请先将办件或事项标记为重点项目"
                              f"（{cite('wy_key_projects')} 重点项目会商制度）。")
    if ev.kind == "decision":
        open_review = session.scalar(select(SpecialReview.id).where(
            SpecialReview.case_id == case.id, SpecialReview.conclusion_record_id.is_(None)))
        if open_review:
            raise errors.Conflict("特别审查程序尚未登记审查结论，不能作出许可决定"
                                  f"（{cite('decision_on_conclusion')}：依据特别审查程序审查结论和其他法定条件作出行政许可决定）。")


def apply(case: Case, ev: EventInput) -> None:
    """What an event changes on the case (status and licence fields)."""
    spec = KINDS[ev.kind]
    if spec.to_status:
        case.status = spec.to_status
    if ev.kind == "decision":
        case.decision, case.decided_on = ev.decision, ev.occurred_on
        case.certificate_no, case.valid_until = ev.certificate_no, ev.valid_until
    elif ev.kind == "service":
        case.served_on = ev.occurred_on
    elif ev.kind in ("change", "renewal"):
        case.decision = ev.decision
        case.certificate_no = ev.certificate_no or case.certificate_no
        case.valid_until = ev.valid_until or case.valid_until
    elif ev.kind in ("withdrawal", "revocation", "cancellation"):
        case.decision = ev.decision


def catch_up_push(session: Session, case: Case) -> None:
    """A decision recorded after its 审批办结信息 was already pushed (or signed for) takes the state
    the push gave it (第六条), as the push hook would have done had the decision come first."""
    push = session.scalar(select(Push).where(Push.case_id == case.id, Push.flow == "approval_result")
                          .order_by(Push.received_at.is_(None), Push.id.desc()).limit(1))
    if push is None:
        return
    if push.received_at is not None and (case.decision or "").startswith("准予"):
        case.status, case.supervising_agency_id = "supervised", push.receiver_id
    else:
        case.status = "pushed"


def record_event(session: Session, user: Person, case: Case, data: dict[str, Any]) -> CaseEvent:
    """Add an event by hand (page, API, import): access first, then the values, then the transition."""
    kind = str(data.get("kind") or "")
    require(user, Action.RECORD_CASE)
    ev = check_event(session, case, data, user.agency_id)  # the date decides which agency may record it
    require_case(user, case, KINDS[kind].side, on=ev.occurred_on)
    _check_transition(session, case, ev)
    before = case.status
    apply(case, ev)
    if ev.kind in ("decision", "service"):
        catch_up_push(session, case)
    row = CaseEvent(case_id=case.id, kind=ev.kind, occurred_on=ev.occurred_on, agency_id=user.agency_id,
                    summary=ev.summary, decision=ev.decision, certificate_no=ev.certificate_no,
                    valid_until=ev.valid_until, record_ids=json.dumps(ev.record_ids),
                    participants=ev.participants, outcome=ev.outcome, created_by=user.username)
    session.add(row)
    session.flush()
    audit.append(session, actor=user.username, agency_code=_agency_code(session, user), action="case.event",
                 object_type="case", object_id=case.case_no,
                 detail={"kind": ev.kind, "date": ev.occurred_on.isoformat(), "event_id": row.id,
                         "status": [before, case.status], "decision": ev.decision})
    return row


def set_key_project(session: Session, user: Person, case: Case, flag: bool, reason: str) -> None:
    """重点项目 (未央 三（三）): the approving agency flags a case whose review needs 会商."""
    require_case(user, case, "approval", on=localtime.today())
    reason = (reason or "").strip()
    if flag and not reason:
        raise errors.Validation("请说明列为重点项目的理由（如涉及国家安全、环境保护、安全生产、重大公共利益）。",
                                fields={"reason": "请填写理由"})
    case.key_project, case.key_project_reason = flag, (reason[:300] if flag else None)
    audit.append(session, actor=user.username, agency_code=_agency_code(session, user),
                 action="case.key_project", object_type="case", object_id=case.case_no,
                 detail={"key_project": flag, "reason": case.key_project_reason})


def shown_status(case: Case, today: date | None = None) -> str:
    """The stored status, or 已过期 for a licence in force past its 有效期至."""
    today = today or localtime.today()
    if case.status in LIVE and case.valid_until is not None and case.valid_until < today:
        return "expired"
    return case.status


def standard_in_force(session: Session, case: Case) -> ApprovalStandard | None:
    """The 审批标准 version in force on the case's 受理 date (未央 三（二）), or on its decision date
    for a case whose 受理 date is not known (a case first met through a filed record)."""
    on = case.received_on or case.decided_on
    if on is None:
        return None
    return session.scalar(select(ApprovalStandard).where(
        ApprovalStandard.matter_id == case.matter_id, ApprovalStandard.effective_from <= on,
        (ApprovalStandard.effective_until.is_(None)) | (ApprovalStandard.effective_until >= on))
        .order_by(ApprovalStandard.version.desc()).limit(1))


def deadline_state(case: Case, today: date, soon_until: date) -> str | None:
    """overdue / due_soon / None — only while the case is still being decided."""
    if case.status not in ("received", "special_review") or case.due_on is None:
        return None
    if case.due_on < today:
        return "overdue"
    return "due_soon" if case.due_on <= soon_until else None


def summary(case: Case, today: date | None = None) -> dict[str, Any]:
    """The list fields of the API (issue 14 Interface)."""
    status = shown_status(case, today)
    return {"case_no": case.case_no, "matter": case.matter.code, "matter_name": case.matter.name,
            "applicant": case.applicant, "applicant_uscc": case.applicant_uscc, "status": status,
            "status_label": CASE_STATUSES[status],
            "received_on": _iso(case.received_on), "due_on": _iso(case.due_on),
            "schedule_known": case.due_schedule_known, "decided_on": _iso(case.decided_on),
            "decision": case.decision, "certificate_no": case.certificate_no,
            "valid_until": _iso(case.valid_until), "served_on": _iso(case.served_on),
            "supervising_agency": case.supervising_agency.code if case.supervising_agency else None,
            "key_project": case.key_project or case.matter.key_project,
            "key_project_reason": case.key_project_reason}


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None
