"""Two-way information push ledger (安康办法 第九条 (一)–(七); 未央 三(一)(四)(五)).

Each push: flow, sender, receiver, matter/case/records, content, channel (platform, or a 函件
generated from the flow's template and filed), sent and received times, the sender's due date,
status. Directions are data (`FLOW_SENDERS`): （一）（二） go from the approving agency of the matter
to its department, （三）至（七） from the department to the approving agency, and the answers of
（五）（六） (处理结果) go back; a push the other way is refused naming the clause. The receipt of an
approval-result push is the responsibility hand-over of 第六条 ("审批信息推送之前，市行政审批服务局
履行审批职责；市人力资源和社会保障局接收到审批信息后履行监管职责"); on receipt the receiver files
its 收文 (receipts.py). A push that answers a 变更/撤回/撤销/注销 or objection push sends the result
back and carries the letter to the original applicant (第九条(六) "将结果推送…和函告原申请人").

Deadlines are the sender's (第九条（一）「及时」, （四）「在规定时限内」; 未央 三（四） 推送的时间): the due
date counts the agreed working days (else `DEFAULT_SEND_DAYS`) from the event the push reports —
the case's 办结 date for （一）, the day given as `event_on` otherwise — and the conclusion of a
special review is due by the review's own due date. The receiver's signing time is recorded.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from .. import audit, documents
from ..audit import labels as audit_labels
from ..core import citations, errors, localtime, paging
from ..core.context import Archive
from ..core.db import utcnow
from ..core.paging import Page
from ..documents import values as doc_values
from ..intake import Actor
from ..models import (
    CHANNELS,
    FINDINGS,
    FLOWS,
    POLICY_CATEGORIES,
    Agency,
    ApprovalStandard,
    Case,
    IssuedDocument,
    Matter,
    Push,
    PushAgreement,
    Record,
    SpecialReview,
)
from ..models.registers import DEFAULT_SEND_DAYS, FORM_FLOWS
from ..organisation import access
from . import deadlines, receipts

LETTERS = {"approval_result": "approval-result-letter", "review_notice": "joint-review-notice",
           "supervision": "supervision-info-letter", "review_conclusion": "review-conclusion-letter",
           "objection": "license-action-letter", "license_change": "license-action-letter",
           "policy": "policy-transmittal-letter", "standard": "approval-standard-letter"}
# the approving agency's answer to （五）（六）: its 处理结果
# (第九条（五）「依据…提供的处理结果」, （六）「将结果推送」)
REPLY_LETTERS = {"objection": "action-result-letter", "license_change": "action-result-letter"}
NEEDS_APPLICANT_NOTICE = ("license_change", "objection")
CONTENT_MAX = 5_000
# each flow's clause in the citations table (archive_app/core/citations.py), and that of its answer
FLOW_CITATIONS = {"approval_result": "approval_push", "review_notice": "special_review_push",
                  "supervision": "supervision_push", "review_conclusion": "conclusion_push",
                  "objection": "objection", "license_change": "licence_change", "policy": "policy_push",
                  "standard": "standards"}
REPLY_CITATIONS = {"objection": "objection", "license_change": "licence_change_result"}
ROLE_NAMES = {"approving": "审批部门（行政审批服务局）", "department": "监管部门（事项的主管部门）"}


@dataclass
class _Checked:
    flow: str
    sender: Agency
    receiver: Agency
    matter: Matter | None
    case: Case | None
    record_ids: list[int]
    content: str
    channel: str
    limit: int
    reply_to: Push | None
    event_on: date | None = None
    items: dict[str, str] | None = None
    policy_category: str | None = None
    review: SpecialReview | None = None
    template: str | None = None


def agreement(session: Session, matter_id: int | None, flow: str) -> PushAgreement | None:
    if matter_id is None:
        return None
    return session.scalar(select(PushAgreement).where(PushAgreement.matter_id == matter_id,
                                                      PushAgreement.flow == flow))


def roles_of(session: Session, agency: Agency, matter: Matter | None) -> set[str]:
    """The roles an agency plays for the matter (the access policy's rule)."""
    return access.matter_roles(session, agency.id, matter)


def sender_role(flow: str, is_reply: bool) -> str:
    return access.flow_sender_role(flow, is_reply)


def clause_of(flow: str, is_reply: bool = False) -> str:
    """The 办法's 第九条第（N）项 of a flow (or of its answer), from the citations table."""
    return citations.cite(REPLY_CITATIONS[flow] if is_reply else FLOW_CITATIONS[flow])


def direction_problem(session: Session, flow: str, sender: Agency, receiver: Agency, matter: Matter | None,
                      is_reply: bool) -> str | None:
    """Why `sender` may not push `flow` to `receiver`, or None (第九条, directions as data)."""
    want = sender_role(flow, is_reply)
    other = "department" if want == "approving" else "approving"
    label = ("对" + FLOWS[flow] + "的处理结果") if is_reply else FLOWS[flow]
    if not access.may_push(session, sender.id, receiver.id, flow, matter, is_reply):
        where = f"（事项「{matter.name}」）" if matter is not None else ""
        return (f"推送方向不符：按{clause_of(flow, is_reply)}，{label}由{ROLE_NAMES[want]}推送至"
                f"{ROLE_NAMES[other]}{where}，「{sender.name}」不能向「{receiver.name}」推送此类信息")
    return None


def _split_items(text: str) -> list[str]:
    return [x.strip() for x in re.split(r"[、，,；;\n]", text or "") if x.strip()]


def _event_on(data: dict, problems: dict[str, str]) -> date | None:
    raw = str(data.get("event_on") or "").strip()
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems["event_on"] = "事件日期格式应为 YYYY-MM-DD"
        return None


def _check(session: Session, actor: Actor, data: dict, today: date | None = None,
           coming: tuple[str, dict] | None = None) -> _Checked:
    """Every refusal of a push, before anything is numbered. `coming` is (template, values) of a letter
    the caller will issue and attach (reviews.start: the 联办通知单 or 委托书)."""
    today = today or localtime.today()
    problems: dict[str, str] = {}
    flow = str(data.get("flow") or "")
    if flow not in FORM_FLOWS:
        problems["flow"] = "推送类别应为：" + "、".join(f"{k}（{v}）" for k, v in FORM_FLOWS.items())
        if flow == "standard":
            problems["flow"] = (f"审批标准由监管部门登记新版本时随审批标准传递函推送（{clause_of(flow)}），"
                                "请在事项的审批标准页登记")
    sender = session.scalar(select(Agency).where(Agency.code == actor.agency_code))
    reply_to = None
    if data.get("reply_to"):
        reply_to = session.get(Push, int(data["reply_to"])) if str(data["reply_to"]).isdigit() else None
        if reply_to is None or sender is None or reply_to.receiver_id != sender.id:
            problems["reply_to"] = "只能答复推送给本单位的信息"
        elif reply_to.flow not in REPLY_CITATIONS:
            problems["reply_to"] = "只有（五）异议和（六）变更、撤回、撤销、注销需要答复处理结果"
        elif flow in FLOWS and reply_to.flow != flow:
            problems["flow"] = f"答复的推送类别应与原推送相同：{FLOWS[reply_to.flow]}"
        elif reply_to.finding is None:
            problems["reply_to"] = ("请先认定该推送反映的情况是否属实（未央 三（五）「区行政审批服务局认定属实的，"
                                    "应依法办理行政许可撤销手续」），再答复处理结果")
    receiver_code = reply_to.sender.code if reply_to else str(data.get("receiver") or "")
    receiver = session.scalar(select(Agency).where(Agency.code == receiver_code))
    if receiver is None:
        problems["receiver"] = f"接收单位「{receiver_code}」不存在"
    elif sender is not None and receiver.id == sender.id:
        problems["receiver"] = "不能推送给本单位"
    content = str(data.get("content") or "").strip()
    if not content:
        problems["content"] = "请填写推送内容"
    elif len(content) > CONTENT_MAX:
        problems["content"] = f"不能超过 {CONTENT_MAX} 个字符"
    channel = str(data.get("channel") or "platform")
    if channel not in CHANNELS:
        problems["channel"] = "推送途径应为 platform（信息平台）或 letter（函件）"
    matter = case = None
    if data.get("case_no"):
        case = session.scalar(select(Case).where(Case.case_no == str(data["case_no"])))
        if case is None:
            problems["case_no"] = f"办件「{data['case_no']}」不存在"
        else:
            matter = case.matter
    elif reply_to is not None and reply_to.case is not None:
        case, matter = reply_to.case, reply_to.case.matter
    if data.get("matter") and matter is None:
        matter = session.scalar(select(Matter).where(Matter.code == str(data["matter"])))
        if matter is None:
            problems["matter"] = f"事项代码「{data['matter']}」不存在"
    if matter is None and reply_to is not None:
        matter = reply_to.matter
    if flow in FLOWS and sender is not None and receiver is not None and "receiver" not in problems:
        wrong = direction_problem(session, flow, sender, receiver, matter, reply_to is not None)
        if wrong:
            problems["flow"] = wrong
    raw_ids, record_ids = data.get("record_ids") or [], []
    if not isinstance(raw_ids, list) or not all(str(x).isdigit() for x in raw_ids):
        problems["record_ids"] = "请从本单位保管的档案中选择（档号或题名检索）"
    else:
        record_ids = sorted({int(x) for x in raw_ids})
        held = session.scalars(select(Record.id).where(Record.id.in_(record_ids),
                                                       Record.custodian_id == (sender.id if sender else -1))).all()
        if len(held) != len(record_ids):
            problems["record_ids"] = "只能推送本单位保管的档案（所选档案不存在或不由本单位保管）"
    revocations = session.scalars(select(IssuedDocument.doc_no).where(
        IssuedDocument.record_id.in_(record_ids), IssuedDocument.template_id == "revocation-decision")).all() \
        if record_ids else []
    if revocations and (reply_to is None or reply_to.finding != "true"):
        problems["record_ids"] = (f"撤销行政许可决定书（{'、'.join(revocations)}）只能答复经认定属实的异议或撤销推送"
                                  "（未央 三（五））")
    if flow == "license_change" and not reply_to and not record_ids:
        problems["record_ids"] = ("变更、撤回、撤销、注销须附证明材料（已归档的档案）——"
                                  f"{clause_of(flow)}「并提供相关证明材料」")
    policy_category = str(data.get("policy_category") or "").strip() or None
    if flow == "policy":
        if policy_category not in POLICY_CATEGORIES:
            problems["policy_category"] = "请选择信息类别：" + "、".join(POLICY_CATEGORIES)
    else:
        policy_category = None
    review = None
    if flow == "review_conclusion" and data.get("review_id"):
        rid = data["review_id"]
        review = session.get(SpecialReview, int(rid)) if str(rid).isdigit() else None
        if review is None or sender is None or not access.may_take_part(review, sender.id):
            problems["review_id"] = "只能答复本单位参加的特别审查程序"
        elif review.conclusion_push_id is not None:
            problems["review_id"] = "该特别审查程序的审查结论已经推送"
        elif case is not None and case.id != review.case_id:
            problems["review_id"] = "所选特别审查程序不属于该办件"
        else:
            case, matter = review.case, review.case.matter
    event_on = _event_on(data, problems)
    if event_on is not None and event_on > today:
        problems["event_on"] = "事件日期不能晚于今天"
    if flow == "approval_result" and event_on is None and case is not None:
        event_on = case.decided_on
    limit, template, items = DEFAULT_SEND_DAYS, None, None
    agreed = agreement(session, matter.id if matter else None, flow) if flow in FLOWS else None
    if agreed is not None and reply_to is None:
        limit = agreed.time_limit_days
        if channel != agreed.route:
            problems["channel"] = f"按双方约定，该事项此类信息应通过「{CHANNELS[agreed.route]}」推送（未央 三（四））"
        given = data.get("items") if isinstance(data.get("items"), dict) else {}
        items = {k: str(given.get(k) or "").strip()[:1000] for k in _split_items(agreed.content_items)}
        missing = [k for k, v in items.items() if not v]
        if missing:
            problems["items"] = "按双方约定须填写：" + "、".join(missing)
        # the agreed 格式: the structured form carries no letter; a letter template is the push's letter
        has_letter = channel == "letter" or data.get("document_id") not in (None, "") or coming is not None
        chosen = coming[0] if coming is not None else data.get("letter_template")
        if agreed.format == FORM_FORMAT and has_letter:
            problems["format"] = ("按双方约定，该事项此类信息以结构化信息（约定内容项）推送，不附函件"
                                  "（未央 三（四）「推送的时间、内容、格式、途径由双方协商确定」）")
        elif agreed.format in agreement_formats(flow) and agreed.format != FORM_FORMAT:
            template = agreed.format
            title = documents.get(template).title
            if not has_letter:
                problems["document_id"] = (f"按双方约定，该事项此类信息以「{title}」推送，"
                                           "请选择已发出的函件（未央 三（四））")
            elif chosen not in (None, "", template):
                problems["letter_template"] = f"按双方约定，该事项此类信息的格式为「{title}」（未央 三（四））"
    if receiver is not None and coming is not None:  # the letter a caller will issue and attach
        wrong = _addressee_problem(coming[1], receiver)
        if wrong:
            problems["letter"] = wrong
    if problems:
        summary = "；".join(problems.values())
        raise errors.Validation(f"推送信息有误——{summary}。", fields=problems)
    return _Checked(flow, sender, receiver, matter, case, record_ids, content, channel, limit, reply_to,
                    event_on, items, policy_category, review, template)


def check(archive: Archive, actor: Actor, data: dict, today: date | None = None,
          coming: tuple[str, dict] | None = None) -> None:
    """Refuse a push before anything is numbered (used by reviews.start before its notice, `coming`)."""
    with archive.db.session() as s:
        _check(s, actor, data, today, coming)


def _template_for(checked: _Checked, data: dict) -> str:
    if checked.reply_to is not None:
        return REPLY_LETTERS[checked.flow]
    return checked.template or data.get("letter_template") or LETTERS[checked.flow]


def _allowed_templates(checked: _Checked) -> tuple[str, ...]:
    if checked.reply_to is not None:
        return (REPLY_LETTERS[checked.flow],)
    if checked.template:
        return (checked.template,)
    if checked.flow == "review_notice":
        return (LETTERS[checked.flow], "review-entrustment")
    return (LETTERS[checked.flow],)


def _addressee_problem(letter_data: dict | None, receiver: Agency) -> str | None:
    """A letter's 主送机关 must be the push's receiver."""
    addressed = str((letter_data or {}).get("receiver") or "").strip()
    if addressed and addressed != receiver.name:
        return f"函件的主送机关「{addressed}」与推送的接收单位「{receiver.name}」不一致"
    return None


def send(archive: Archive, actor: Actor, data: dict, today: date | None = None) -> int:
    """Record a push (and make its 函件 when sent by letter); returns the push id."""
    today = today or localtime.today()
    with archive.db.session() as s:
        checked = _check(s, actor, data, today)
        needs_notice = checked.reply_to is not None and checked.reply_to.flow in NEEDS_APPLICANT_NOTICE
        receiver_name = checked.receiver.name
        s.expunge_all()
    letter, notice = data.get("letter"), data.get("applicant_letter")
    template = _template_for(checked, data)
    allowed = _allowed_templates(checked)
    existing = _issued(archive, actor, data.get("document_id"), allowed, "document_id", receiver_name)
    existing_notice = _issued(archive, actor, data.get("applicant_document_id"), ("applicant-notice",),
                              "applicant_document_id")
    if existing or existing_notice:  # letters already issued from the 公文 pages
        if checked.channel == "letter" and not existing:
            raise errors.Validation("以函件推送时请选择已发出的函件。", fields={"document_id": "缺少函件"})
        if needs_notice and not existing_notice:
            raise errors.Validation("处理结果须同时函告原申请人，请选择告知函。",
                                    fields={"applicant_document_id": "缺少告知原申请人函"})
        return record(archive, actor, checked, today, existing, existing_notice)
    if checked.channel == "letter" and not isinstance(letter, dict):
        raise errors.Validation("以函件推送时请填写函件内容（letter），或选择已发出的函件。",
                                fields={"letter": "缺少函件内容"})
    if needs_notice and not isinstance(notice, dict):
        raise errors.Validation("处理结果须同时函告原申请人，请填写告知函内容（applicant_letter）。",
                                fields={"applicant_letter": "缺少告知原申请人函"})
    if template not in allowed:
        raise errors.Validation("函件模板与推送类别或双方约定的格式不符。", fields={"letter_template": "模板不符"})
    if checked.channel == "letter":
        wrong = _addressee_problem(letter, checked.receiver)
        if wrong:
            raise errors.Validation(wrong + "。", fields={"letter": wrong})
    # Check both letters' values before numbering either, so a bad one costs no number.
    with archive.db.session() as s:
        if checked.channel == "letter":
            doc_values.check(documents.get(template), letter, s)
        if needs_notice:
            doc_values.check(documents.get("applicant-notice"), notice, s)
    doc_id = documents.issue(archive, template, letter, actor, today).id if checked.channel == "letter" else None
    notice_id = documents.issue(archive, "applicant-notice", notice, actor, today).id if needs_notice else None
    return record(archive, actor, checked, today, doc_id, notice_id)


def _issued(archive: Archive, actor: Actor, doc_id: object, templates: tuple[str, ...], field: str,
            receiver_name: str | None = None) -> int | None:
    """An issued document of the actor's agency made from one of `templates`, or None if not given."""
    if doc_id in (None, ""):
        return None
    with archive.db.session() as s:
        doc = s.get(IssuedDocument, int(doc_id)) if str(doc_id).isdigit() else None
        if doc is None or doc.agency.code != actor.agency_code or doc.status != "issued" \
                or doc.template_id not in templates:
            raise errors.Validation("所选函件不存在、未发出，或与推送类别不符。", fields={field: "函件不符"})
        if receiver_name is not None:
            wrong = _addressee_problem(json.loads(doc.data), _Named(receiver_name))
            if wrong:
                raise errors.Validation(wrong + "。", fields={field: wrong})
        return doc.id


@dataclass
class _Named:
    name: str


def record(archive: Archive, actor: Actor, checked: _Checked, today: date, document_id: int | None = None,
           applicant_document_id: int | None = None) -> int:
    with archive.db.transaction() as s:
        return _write(s, actor, checked, today, document_id, applicant_document_id).id


def push_standard(session: Session, actor: Actor, matter: Matter, standard: ApprovalStandard, today: date) -> Push:
    """Inside the caller's transaction (cases.standards.publish): the push of a new 审批标准 version
    from the matter's department to its approving agency with its 审批标准传递函 and the filed text
    (第三条 按照…提供的审批标准; 未央 三（二）). The receiver signs for it as for any push."""
    sender, receiver = session.get(Agency, matter.department_id), session.get(Agency, matter.approving_agency_id)
    if sender.code != actor.agency_code or not access.may_push(session, sender.id, receiver.id, "standard", matter):
        raise errors.Forbidden(f"审批标准由事项的监管部门提供（{clause_of('standard')}）。")
    until = f"至 {standard.effective_until.isoformat()}" if standard.effective_until else ""
    content = (f"{matter.name}审批标准第 {standard.version} 版：{standard.title}，"
               f"自 {standard.effective_from.isoformat()} 施行{until}")
    checked = _Checked("standard", sender, receiver, matter, None,
                       [standard.record_id] if standard.record_id else [], content[:CONTENT_MAX], "letter",
                       DEFAULT_SEND_DAYS, None, today, None, None, None, None)
    return _write(session, actor, checked, today, standard.document_id)


def _write(s: Session, actor: Actor, checked: _Checked, today: date, document_id: int | None = None,
           applicant_document_id: int | None = None) -> Push:
    event_on = checked.event_on or today
    if checked.review is not None:  # 第九条（四）: the conclusion is due by the review's due date
        limit, due_on, known = checked.review.time_limit_days, checked.review.due_on, \
            checked.review.due_schedule_known
    else:
        d = deadlines.due(s, event_on, checked.limit)
        limit, due_on, known = checked.limit, d.deadline, d.schedule_known
    push = Push(flow=checked.flow, sender_id=checked.sender.id, receiver_id=checked.receiver.id,
                matter_id=checked.matter.id if checked.matter else None,
                case_id=checked.case.id if checked.case else None, record_ids=json.dumps(checked.record_ids),
                content=checked.content, channel=checked.channel, document_id=document_id,
                applicant_document_id=applicant_document_id,
                reply_to_id=checked.reply_to.id if checked.reply_to else None, sent_on=today,
                sent_by=actor.username, time_limit_days=limit, due_on=due_on, due_schedule_known=known,
                event_on=checked.event_on, policy_category=checked.policy_category,
                items=json.dumps(checked.items, ensure_ascii=False) if checked.items else None,
                review_id=checked.review.id if checked.review else None)
    s.add(push)
    s.flush()
    if checked.review is not None:
        review = s.get(SpecialReview, checked.review.id)
        review.conclusion_push_id, review.delivered_on = push.id, today
    audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="push.send",
                 object_type="push", object_id=push.id,
                 detail={"flow": push.flow, "receiver": checked.receiver.code, "channel": push.channel,
                         "document_id": document_id, "due_on": push.due_on.isoformat(),
                         "late": push.sent_on > push.due_on})
    return push


def receive(archive: Archive, actor: Actor, push_id: int) -> list[int]:
    """The receiving agency signs for a push and files what it was sent as its 收文 (receipts.py);
    for an approval result pushed by the approving agency this is the hand-over (第六条). Returns
    the ids of the 收文 records."""

    with archive.db.transaction() as s:
        push = s.get(Push, push_id)
        if push is None or actor.agency_code not in (push.sender.code, push.receiver.code):
            raise errors.NotFound("没有找到该推送。")
        if push.receiver.code != actor.agency_code:
            raise errors.Forbidden(f"该推送的接收单位是「{push.receiver.name}」，只能由接收单位签收。")
        if push.received_at is not None:
            raise errors.Conflict(f"该推送已于 {localtime.cn_datetime(push.received_at)} 由 {push.received_by} 签收。")
        push.received_at, push.received_by = utcnow(), actor.username
        handover = is_handover(push)
        if handover:
            push.handover_at = push.received_at
        received_on = localtime.today()
        filed = receipts.file_received(archive, s, push, actor, received_on)
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="push.receive",
                     object_type="push", object_id=push.id,
                     detail={"flow": push.flow, "handover": handover, "received_records": filed})
        return filed


def is_handover(push: Push) -> bool:
    """第六条: only an approval result the approving agency pushed to the department hands over."""
    if push.flow != "approval_result" or push.reply_to_id is not None:
        return False
    matter = push.matter or (push.case.matter if push.case else None)
    if matter is None:
        return False
    return push.sender_id == matter.approving_agency_id and push.receiver_id == matter.department_id


def find(archive: Archive, actor: Actor, push_id: int, finding: str, reason: str) -> None:
    """未央 三（五）: the approving agency's 认定 of an objection or revocation request — 属实 or 不属实,
    with reasons — before any 撤销 (「区行政审批服务局认定属实的，应依法办理行政许可撤销手续」)."""
    reason = (reason or "").strip()
    problems = {}
    if finding not in FINDINGS:
        problems["finding"] = "请选择认定结果：属实或不属实"
    if not reason:
        problems["finding_reason"] = "请写明认定理由"
    with archive.db.transaction() as s:
        push = s.get(Push, push_id)
        if push is None or actor.agency_code not in (push.sender.code, push.receiver.code):
            raise errors.NotFound("没有找到该推送。")
        if not access.may_find(push, push.receiver_id if push.receiver.code == actor.agency_code else -1):
            raise errors.Forbidden("只有收到异议或变更、撤回、撤销、注销推送的审批部门可以认定。")
        if push.received_at is None:
            problems["push"] = "请先签收该推送"
        if push.finding is not None:
            raise errors.Conflict(f"该推送已于 {localtime.cn_date(push.found_at)} 认定为「{FINDINGS[push.finding]}」。")
        if problems:
            raise errors.Validation("认定有误——" + "；".join(problems.values()) + "。", fields=problems)
        push.finding, push.finding_reason, push.found_at, push.found_by = finding, reason[:2000], utcnow(), \
            actor.username
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="push.finding",
                     object_type="push", object_id=push.id,
                     detail={"finding": FINDINGS[finding], "reason": push.finding_reason})


def visible(session: Session, agency_code: str, push_id: int) -> Push:
    push = session.get(Push, push_id)
    if push is None or agency_code not in (push.sender.code, push.receiver.code):
        raise errors.NotFound("没有找到该推送。")
    return push


def _ledger_query(session: Session, agency_code: str, flow: str | None = None):
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    q = select(Push).where((Push.sender_id == agency.id) | (Push.receiver_id == agency.id))
    return q.where(Push.flow == flow) if flow else q


def ledger(session: Session, agency_code: str, flow: str | None = None) -> list[Push]:
    """Pushes sent or received by the agency, newest first."""
    return list(session.scalars(_ledger_query(session, agency_code, flow)
                                .order_by(Push.sent_at.desc(), Push.id.desc())))


def ledger_page(session: Session, agency_code: str, flow: str | None = None, page: int = 1,
                per_page: int = 50) -> Page[Push]:
    """One page of the ledger, newest first: a count and the page's rows, not the agency's every push."""
    q = _ledger_query(session, agency_code, flow)
    total, page = paging.count_and_clamp(session, q, page, per_page)
    rows = session.scalars(q.options(selectinload(Push.sender), selectinload(Push.receiver),
                                     selectinload(Push.document))
                           .order_by(Push.sent_at.desc(), Push.id.desc())
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(rows), total, page, per_page)


def answerable(session: Session, agency_code: str) -> list[Push]:
    """（五）（六） pushes addressed to the agency that have no answer yet (the push form's 答复 list)."""
    answered = select(Push.reply_to_id).where(Push.reply_to_id.is_not(None))
    return list(session.scalars(select(Push).join(Agency, Push.receiver_id == Agency.id).where(
        Agency.code == agency_code, Push.flow.in_(list(REPLY_LETTERS)), Push.reply_to_id.is_(None),
        Push.id.not_in(answered)).order_by(Push.sent_at.desc(), Push.id.desc())))


def status(push: Push, today: date | None = None) -> str:
    """Signed for or not: the receiver owes no deadline (the 办法 puts time duties on the sender)."""
    return "received" if push.received_at is not None else "sent"


STATUS_LABELS = {"sent": "待签收", "received": "已签收"}


def describe(push: Push, today: date | None = None) -> dict:
    return {"id": push.id, "flow": push.flow, "flow_label": FLOWS[push.flow], "sender": push.sender.code,
            "receiver": push.receiver.code, "matter": push.matter.code if push.matter else None,
            "case_no": push.case.case_no if push.case else None, "record_ids": json.loads(push.record_ids),
            "content": push.content, "channel": push.channel,
            "document": push.document.doc_no if push.document else None,
            "applicant_document": push.applicant_document.doc_no if push.applicant_document else None,
            "reply_to": push.reply_to_id, "sent_on": push.sent_on.isoformat(),
            "sent_at": localtime.iso_local(push.sent_at), "sent_by": push.sent_by,
            "due_on": push.due_on.isoformat(), "schedule_known": push.due_schedule_known,
            "warning": deadlines.warning(push.due_schedule_known),
            "received_at": localtime.iso_local(push.received_at) if push.received_at else None,
            "received_by": push.received_by,
            "handover_at": localtime.iso_local(push.handover_at) if push.handover_at else None,
            "status": status(push, today), "event_on": push.event_on.isoformat() if push.event_on else None,
            "sent_late": push.sent_on > push.due_on, "items": json.loads(push.items) if push.items else {},
            "policy_category": push.policy_category, "review_id": push.review_id,
            "finding": FINDINGS.get(push.finding or ""), "finding_reason": push.finding_reason,
            "clause": clause_of(push.flow, push.reply_to_id is not None)}


FORM_FORMAT = "form"  # the structured form: the agreed content items, no letter


def agreement_formats(flow: str) -> dict[str, str]:
    """What a matter's agreement may name as 推送格式 for a flow (未央 三（四）): the structured form
    or one of the flow's letter templates."""
    ids = (LETTERS[flow], "review-entrustment") if flow == "review_notice" else (LETTERS[flow],)
    return {FORM_FORMAT: "结构化信息（按约定内容项填写）", **{t: f"函件：{documents.get(t).title}" for t in ids}}


def set_agreement(archive: Archive, actor: Actor, matter_code: str, flow: str, time_limit_days: object,
                  content_items: str, format_: str, route: str) -> None:
    """An administrator records what the two agencies agreed for a matter and flow (未央 三（四）
    「推送的时间、内容、格式、途径由双方协商确定」): the sender's working days after the event, the
    content items every push must fill, the format (structured form or letter template), the route."""
    problems = {}
    if flow not in FORM_FLOWS:  # a 审批标准 goes with its version, on no agreement (第三条)
        problems["flow"] = "推送类别不存在"
    elif format_ not in agreement_formats(flow):
        problems["format"] = "格式应为：" + "、".join(f"{k}（{v}）" for k, v in agreement_formats(flow).items())
    if route not in CHANNELS:
        problems["route"] = "途径应为 platform 或 letter"
    days = int(time_limit_days) if str(time_limit_days).isdigit() else 0
    if not 1 <= days <= 60:
        problems["time_limit_days"] = "时限应为 1 至 60 个工作日"
    if not _split_items(content_items):
        problems["content_items"] = "请填写推送内容项（用顿号分隔）"
    if route == "letter" and format_ == FORM_FORMAT:
        problems["format"] = "以函件途径推送时，格式应为函件模板"
    with archive.db.transaction() as s:
        matter = s.scalar(select(Matter).where(Matter.code == matter_code))
        if matter is None:
            problems["matter"] = f"事项代码「{matter_code}」不存在"
        if problems:
            raise errors.Validation("推送约定有误——" + "；".join(problems.values()) + "。", fields=problems)
        row = agreement(s, matter.id, flow) or PushAgreement(matter_id=matter.id, flow=flow)
        row.time_limit_days, row.content_items, row.format, row.route = days, \
            "、".join(_split_items(content_items))[:500], format_, route
        row.updated_by = actor.username
        s.add(row)
        s.flush()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="push.agreement",
                     object_type="matter", object_id=matter.code,
                     detail={"flow": flow, "days": days, "route": route, "format": format_,
                             "items": row.content_items})


def unsigned_count(session: Session, agency_id: int) -> int:
    """Pushes addressed to this agency and not yet 签收 (the header badge of 文秘 and administrators)."""
    return session.scalar(select(func.count()).select_from(Push).where(
        Push.receiver_id == agency_id, Push.received_at.is_(None))) or 0


# The audit page names an agreement's format as the agencies see it (issue 16 item 3).
audit_labels.register_values("format", lambda: {k: v for flow in FORM_FLOWS
                                                for k, v in agreement_formats(flow).items()})
