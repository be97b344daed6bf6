"""Two-way information push ledger (安康办法 第九条 (一)–(七); 未央 三(四)).

Each push: flow, sender, receiver, matter/case/records, content, channel (platform, or a 函件
generated from the flow's template and filed), sent and received times, due date, status. The
receipt of an approval-result push is the responsibility hand-over of 第六条 ("审批信息推送之前，
市行政审批服务局履行审批职责；市人力资源和社会保障局接收到审批信息后履行监管职责"). A push that
answers a 变更/撤回/撤销/注销 or objection push sends the result back and carries the letter to the
original applicant (第九条(六) "将结果推送…和函告原申请人").
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, documents, errors, localtime
from ..context import Archive
from ..db import utcnow
from ..documents import values as doc_values
from ..intake import Actor
from ..models import CHANNELS, FLOWS, Agency, Case, IssuedDocument, Matter, Push, PushAgreement, Record
from . import deadlines

DEFAULT_LIMIT_DAYS = 5  # working days to receive a push when no agreement says otherwise
LETTERS = {"approval_result": "approval-result-letter", "review_notice": "joint-review-notice",
           "supervision": "supervision-info-letter", "review_conclusion": "review-conclusion-letter",
           "objection": "license-action-letter", "license_change": "license-action-letter",
           "policy": "policy-transmittal-letter"}
NEEDS_APPLICANT_NOTICE = ("license_change", "objection")
CONTENT_MAX = 5_000


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


def agreement(session: Session, matter_id: int | None, flow: str) -> PushAgreement | None:
    if matter_id is None:
        return None
    return session.scalar(select(PushAgreement).where(PushAgreement.matter_id == matter_id,
                                                      PushAgreement.flow == flow))


def _check(session: Session, actor: Actor, data: dict) -> _Checked:
    problems: dict[str, str] = {}
    flow = str(data.get("flow") or "")
    if flow not in FLOWS:
        problems["flow"] = "推送类别应为：" + "、".join(f"{k}（{v}）" for k, v in FLOWS.items())
    sender = session.scalar(select(Agency).where(Agency.code == actor.agency_code))
    reply_to = None
    if data.get("reply_to"):
        reply_to = session.get(Push, int(data["reply_to"])) if str(data["reply_to"]).isdigit() else None
        if reply_to is None or sender is None or reply_to.receiver_id != sender.id:
            problems["reply_to"] = "只能答复推送给本单位的信息"
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
    if data.get("matter") and matter is None:
        matter = session.scalar(select(Matter).where(Matter.code == str(data["matter"])))
        if matter is None:
            problems["matter"] = f"事项代码「{data['matter']}」不存在"
    raw_ids, record_ids = data.get("record_ids") or [], []
    if not isinstance(raw_ids, list) or not all(str(x).isdigit() for x in raw_ids):
        problems["record_ids"] = "档案编号应为整数列表"
    else:
        record_ids = sorted({int(x) for x in raw_ids})
        if len(session.scalars(select(Record.id).where(Record.id.in_(record_ids))).all()) != len(record_ids):
            problems["record_ids"] = "有档案编号不存在"
    if flow == "license_change" and not reply_to and not record_ids:
        problems["record_ids"] = "变更、撤回、撤销、注销须附证明材料（已归档的档案）"
    limit = DEFAULT_LIMIT_DAYS
    agreed = agreement(session, matter.id if matter else None, flow) if flow in FLOWS else None
    if agreed is not None:
        limit = agreed.time_limit_days
        if channel != agreed.route:
            problems["channel"] = f"按双方约定，该事项此类信息应通过「{CHANNELS[agreed.route]}」推送"
    if problems:
        summary = "；".join(problems.values())
        raise errors.Validation(f"推送信息有误——{summary}。", fields=problems)
    return _Checked(flow, sender, receiver, matter, case, record_ids, content, channel, limit, reply_to)


def send(archive: Archive, actor: Actor, data: dict, today: date | None = None) -> int:
    """Record a push (and make its 函件 when sent by letter); returns the push id."""
    today = today or date.today()
    with archive.db.session() as s:
        checked = _check(s, actor, data)
        needs_notice = checked.reply_to is not None and checked.reply_to.flow in NEEDS_APPLICANT_NOTICE
        s.expunge_all()
    letter, notice = data.get("letter"), data.get("applicant_letter")
    template = data.get("letter_template") or LETTERS[checked.flow]
    existing = _issued(archive, actor, data.get("document_id"), (template, "review-entrustment"), "document_id")
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
        raise errors.Validation("以函件推送时请填写函件内容（letter）。", fields={"letter": "缺少函件内容"})
    if needs_notice and not isinstance(notice, dict):
        raise errors.Validation("处理结果须同时函告原申请人，请填写告知函内容（applicant_letter）。",
                                fields={"applicant_letter": "缺少告知原申请人函"})
    if template not in (LETTERS[checked.flow], "review-entrustment"):
        raise errors.Validation("函件模板与推送类别不符。", fields={"letter_template": "模板不符"})
    # Check both letters' values before numbering either, so a bad one costs no number.
    with archive.db.session() as s:
        if checked.channel == "letter":
            doc_values.check(documents.get(template), letter, s)
        if needs_notice:
            doc_values.check(documents.get("applicant-notice"), notice, s)
    doc_id = documents.issue(archive, template, letter, actor, today).id if checked.channel == "letter" else None
    notice_id = documents.issue(archive, "applicant-notice", notice, actor, today).id if needs_notice else None
    return record(archive, actor, checked, today, doc_id, notice_id)


def _issued(archive: Archive, actor: Actor, doc_id: object, templates: tuple[str, ...], field: str) -> int | None:
    """An issued document of the actor's agency made from one of `templates`, or None if not given."""
    if doc_id in (None, ""):
        return None
    with archive.db.session() as s:
        doc = s.get(IssuedDocument, int(doc_id)) if str(doc_id).isdigit() else None
        if doc is None or doc.agency.code != actor.agency_code or doc.status != "issued" \
                or doc.template_id not in templates:
            raise errors.Validation("所选函件不存在、未发出，或与推送类别不符。", fields={field: "函件不符"})
        return doc.id


def record(archive: Archive, actor: Actor, checked: _Checked, today: date, document_id: int | None = None,
           applicant_document_id: int | None = None) -> int:
    with archive.db.transaction() as s:
        d = deadlines.due(s, today, checked.limit)
        push = Push(flow=checked.flow, sender_id=checked.sender.id, receiver_id=checked.receiver.id,
                    matter_id=checked.matter.id if checked.matter else None,
                    case_id=checked.case.id if checked.case else None, record_ids=json.dumps(checked.record_ids),
                    content=checked.content, channel=checked.channel, document_id=document_id,
                    applicant_document_id=applicant_document_id,
                    reply_to_id=checked.reply_to.id if checked.reply_to else None, sent_on=today,
                    sent_by=actor.username, time_limit_days=checked.limit, due_on=d.deadline,
                    due_schedule_known=d.schedule_known)
        s.add(push)
        s.flush()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="push.send",
                     object_type="push", object_id=push.id,
                     detail={"flow": push.flow, "receiver": checked.receiver.code, "channel": push.channel,
                             "document_id": document_id, "due_on": push.due_on.isoformat()})
        return push.id


def receive(archive: Archive, actor: Actor, push_id: int) -> None:
    """The receiving agency signs for a push; for approval results this is the hand-over (第六条)."""
    with archive.db.transaction() as s:
        push = s.get(Push, push_id)
        if push is None or actor.agency_code not in (push.sender.code, push.receiver.code):
            raise errors.NotFound("没有找到该推送。")
        if push.receiver.code != actor.agency_code:
            raise errors.Forbidden(f"该推送的接收单位是「{push.receiver.name}」，只能由接收单位签收。")
        if push.received_at is not None:
            raise errors.Conflict(f"该推送已于 {localtime.cn_datetime(push.received_at)} 由 {push.received_by} 签收。")
        push.received_at, push.received_by = utcnow(), actor.username
        if push.flow == "approval_result":
            push.handover_at = push.received_at
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="push.receive",
                     object_type="push", object_id=push.id,
                     detail={"flow": push.flow, "handover": push.flow == "approval_result"})


def visible(session: Session, agency_code: str, push_id: int) -> Push:
    push = session.get(Push, push_id)
    if push is None or agency_code not in (push.sender.code, push.receiver.code):
        raise errors.NotFound("没有找到该推送。")
    return push


def ledger(session: Session, agency_code: str, flow: str | None = None) -> list[Push]:
    """Pushes sent or received by the agency, newest first."""
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    q = select(Push).where((Push.sender_id == agency.id) | (Push.receiver_id == agency.id))
    if flow:
        q = q.where(Push.flow == flow)
    return list(session.scalars(q.order_by(Push.sent_at.desc(), Push.id.desc())))


def status(push: Push, today: date | None = None) -> str:
    if push.received_at is not None:
        return "received"
    return "overdue" if push.due_on < (today or date.today()) else "sent"


STATUS_LABELS = {"sent": "待签收", "received": "已签收", "overdue": "逾期未签收"}


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
            "status": status(push, today)}


def set_agreement(archive: Archive, actor: Actor, matter_code: str, flow: str, time_limit_days: object,
                  content_items: str, format_: str, route: str) -> None:
    """An administrator records what the two agencies agreed for a matter and flow (未央 三(四))."""
    problems = {}
    if flow not in FLOWS:
        problems["flow"] = "推送类别不存在"
    if route not in CHANNELS:
        problems["route"] = "途径应为 platform 或 letter"
    days = int(time_limit_days) if str(time_limit_days).isdigit() else 0
    if not 1 <= days <= 60:
        problems["time_limit_days"] = "时限应为 1 至 60 个工作日"
    if not (content_items or "").strip():
        problems["content_items"] = "请填写推送内容项"
    with archive.db.transaction() as s:
        matter = s.scalar(select(Matter).where(Matter.code == matter_code))
        if matter is None:
            problems["matter"] = f"事项代码「{matter_code}」不存在"
        if problems:
            raise errors.Validation("推送约定有误——" + "；".join(problems.values()) + "。", fields=problems)
        row = agreement(s, matter.id, flow) or PushAgreement(matter_id=matter.id, flow=flow)
        row.time_limit_days, row.content_items, row.format, row.route = days, content_items.strip()[:500], \
            (format_ or "").strip()[:100], route
        row.updated_by = actor.username
        s.add(row)
        s.flush()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="push.agreement",
                     object_type="matter", object_id=matter.code,
                     detail={"flow": flow, "days": days, "route": route})
