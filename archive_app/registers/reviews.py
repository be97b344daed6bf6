"""Special review procedures (安康办法 第十一至十四条).

Per case: one of the kinds of 第十一条 (its 14, or 「其他」 with a description — the list says
「主要包括…等」), a mode (第十二条). The approving agency organises all three modes: independent;
joint, led by it with a partner; entrusted to a department or a third party — so only the approving
agency of the case's matter opens a review. Joint and entrusted reviews produce their 联办通知单 or
委托书 (第十三条) and, when the partner is an agency in the system, push it by the agreed route
(第九条（二）). The partner sees the reviews it takes part in, names its participants (第八条（三）
「及时告知本部门确定的人员参加…特别审查程序」) and pushes its conclusion against the review
(第九条（四）); the conclusion is due by the review's due date and is late by the day it was
*delivered*. Only the partner's conclusion (or, for an independent review or an outside partner,
the approving agency's own record of the case) counts as the 审查结论, and a case is decided only
when all its reviews are concluded (第十四条 "依据特别审查程序审查结论…作出行政许可决定")."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from .. import audit, documents
from ..core import errors, localtime, paging
from ..core.context import Archive
from ..core.paging import Page
from ..documents import values as doc_values
from ..intake import Actor
from ..models import (
    OTHER_KIND,
    REVIEW_KINDS,
    REVIEW_MODES,
    Agency,
    Case,
    Push,
    Record,
    ReviewProcedure,
    SpecialReview,
)
from ..organisation import access
from . import deadlines, pushes, receipts

TEMPLATES = {"joint": "joint-review-notice", "entrusted": "review-entrustment"}
KINDS = (*REVIEW_KINDS, OTHER_KIND)


def _agency_id(session: Session, actor: Actor) -> int:
    return session.scalar(select(Agency.id).where(Agency.code == actor.agency_code)) or -1


def kind_label(kind: str, note: str | None) -> str:
    return f"{OTHER_KIND}（{note}）" if kind == OTHER_KIND and note else kind


def _prefill(session: Session, data: dict) -> dict:
    """Values of a row of the matter's 汇总表 (`procedure_id`) under what the form gave."""
    pid = str(data.get("procedure_id") or "")
    row = session.get(ReviewProcedure, int(pid)) if pid.isdigit() else None
    if row is None:
        return data
    base = {"kind": row.kind, "kind_note": row.kind_note or "", "mode": row.mode,
            "time_limit_days": row.time_limit_days, "partner": row.partner}
    return {**base, **{k: v for k, v in data.items() if v not in (None, "")}}


def start(archive: Archive, actor: Actor, data: dict, today: date | None = None) -> int:
    """Open a special review (the approving agency of the case's matter only); returns its id."""
    today = today or localtime.today()
    with archive.db.session() as s:
        data = _prefill(s, data)
    problems: dict[str, str] = {}
    kind, mode = str(data.get("kind") or ""), str(data.get("mode") or "")
    kind_note = str(data.get("kind_note") or "").strip()[:200] or None
    if kind not in KINDS:
        problems["kind"] = "审查程序应为：" + "、".join(KINDS)
    elif kind == OTHER_KIND and not kind_note:
        problems["kind_note"] = "选择「其他」时请写明审查程序名称（第十一条「主要包括…等」）"
    if kind != OTHER_KIND:
        kind_note = None
    if mode not in REVIEW_MODES:
        problems["mode"] = "组织方式应为 independent（独立）、joint（联合）或 entrusted（委托）"
    days = int(data["time_limit_days"]) if str(data.get("time_limit_days", "")).isdigit() else 0
    if not 1 <= days <= 365:
        problems["time_limit_days"] = "时限应为 1 至 365 个工作日"
    partner = str(data.get("partner") or "").strip()
    partner_agency_code = str(data.get("partner_agency") or "").strip() or None
    with archive.db.session() as s:
        case = s.scalar(select(Case).where(Case.case_no == str(data.get("case_no") or "")))
        if case is None:
            problems["case_no"] = f"办件「{data.get('case_no') or ''}」不存在"
        elif not access.may_organise_review(case.matter, _agency_id(s, actor)):
            raise errors.Forbidden(
                f"特别审查程序由审批部门「{case.matter.approving_agency.name}」组织实施（第十二条），"
                "本单位不能为该办件登记特别审查程序。")
        partner_agency = None
        if partner_agency_code:
            partner_agency = s.scalar(select(Agency).where(Agency.code == partner_agency_code))
            if partner_agency is None or partner_agency_code == actor.agency_code:
                problems["partner_agency"] = "配合或受托单位应为另一单位的代码"
            else:
                partner = partner or partner_agency.name
        if mode in TEMPLATES and not partner:
            problems["partner"] = "联合或委托实施须填写配合单位或受托单位"
        if mode == "independent":
            partner, partner_agency = "", None
        if problems:
            raise errors.Validation("特别审查程序信息有误——" + "；".join(problems.values()) + "。", fields=problems)
        due = deadlines.due(s, today, days)
        label = kind_label(kind, kind_note)
        letter = channel = None
        as_material = False
        if mode in TEMPLATES:
            letter = {"receiver": partner, "matter": case.matter.code, "case_no": case.case_no,
                      "applicant": case.applicant, "review_kind": label, "content": data.get("content") or "",
                      "due_date": due.deadline.isoformat(), "contact": data.get("contact") or "",
                      "phone": data.get("phone") or ""}
            if mode == "joint":
                letter.update(mode=REVIEW_MODES["joint"], partners=partner)
            doc_values.check(documents.get(TEMPLATES[mode]), letter, s)  # refuse before any number
            agreed = pushes.agreement(s, case.matter_id, "review_notice")
            channel = agreed.route if agreed is not None else "platform"
            # 未央 三（四） 格式: the notice is the push's letter, unless the agreed format is the
            # structured form — then it goes as one of the 相关材料 (第九条（二）)
            as_material = agreed is not None and agreed.format == pushes.FORM_FORMAT
        case_id, matter_code, case_no = case.id, case.matter.code, case.case_no
        partner_id = partner_agency.id if partner_agency else None
    push = None
    if partner_agency is not None and letter is not None:
        push = {"flow": "review_notice", "receiver": partner_agency.code, "case_no": case_no,
                "matter": matter_code, "channel": channel, "items": data.get("items"),
                "content": f"{REVIEW_MODES[mode]}{label}，请于{due.deadline:%Y年%m月%d日}前反馈审查结论。"}
        # refuse a push the agreement would refuse before the notice takes a number; the notice is
        # the push's letter on either route (or one of its materials under an agreed structured form)
        pushes.check(archive, actor, push, today, coming=None if as_material else (TEMPLATES[mode], letter))
    doc = documents.issue(archive, TEMPLATES[mode], letter, actor, today) if letter else None
    push_id = None
    if push is not None and doc is not None:
        push["content"] = f"{doc.title}（{doc.doc_no}）：" + push["content"]
        push_id = pushes.send(archive, actor, {**push, "record_ids": [doc.record_id]} if as_material
                              else {**push, "document_id": doc.id}, today)
    with archive.db.transaction() as s:
        lead = s.scalar(select(Agency).where(Agency.code == actor.agency_code))
        review = SpecialReview(case_id=case_id, kind=kind, kind_note=kind_note, mode=mode, lead_id=lead.id,
                               partner=partner or None, partner_id=partner_id, started_on=today,
                               time_limit_days=days, due_on=due.deadline, due_schedule_known=due.schedule_known,
                               notice_document_id=doc.id if doc else None, push_id=push_id,
                               created_by=actor.username)
        s.add(review)
        s.flush()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="review.start",
                     object_type="special_review", object_id=review.id,
                     detail={"kind": label, "mode": mode, "due_on": due.deadline.isoformat(),
                             "notice": doc.doc_no if doc else None, "partner": partner or None})
        return review.id


def visible(session: Session, agency_code: str | None, review_id: int) -> SpecialReview:
    """A review led by `agency_code` or in which it is the partner, or NOT_FOUND."""
    review = session.get(SpecialReview, review_id)
    if review is None or agency_code not in (review.lead.code, review.partner_agency.code
                                             if review.partner_agency else None):
        raise errors.NotFound("没有找到该特别审查程序。")
    return review


def own(session: Session, agency_code: str | None, review_id: int) -> SpecialReview:
    """A review led by `agency_code` (the approving agency), for its steps."""
    review = visible(session, agency_code, review_id)
    if not access.may_lead_review(review, review.lead_id if review.lead.code == agency_code else -1):
        raise errors.Forbidden(f"该特别审查程序由「{review.lead.name}」组织实施，"
                               "只有组织单位可以登记审查结论和许可决定。")
    return review


def assign_participants(archive: Archive, actor: Actor, review_id: int, participants: str) -> None:
    """第八条（三）: the partner's liaison names the people who take part."""
    names = (participants or "").strip()
    with archive.db.transaction() as s:
        review = visible(s, actor.agency_code, review_id)
        if not access.may_take_part(review, _agency_id(s, actor)):
            raise errors.Forbidden("参加人员由配合或受托单位确定（第八条第（三）项）。")
        if not names:
            raise errors.Validation("请填写参加人员（姓名、职务）。", fields={"participants": "请填写参加人员"})
        if review.conclusion_push_id is not None:
            raise errors.Conflict("审查结论已经推送，不能再更改参加人员。")
        review.participants = names[:500]
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="review.participants",
                     object_type="special_review", object_id=review.id, detail={"participants": review.participants})


def conclusion_records(session: Session, review: SpecialReview) -> list[Record]:
    """The records that may be this review's 审查结论: what the partner pushed against it (and the
    lead's 收文 copies of those); for an independent review or an outside partner, the lead's own
    records of the case formed since the review was opened — a conclusion comes out of the review, so
    the case's 申请书 or earlier papers are not one."""
    if review.partner_id is not None:
        push = session.get(Push, review.conclusion_push_id) if review.conclusion_push_id else None
        if push is None:
            return []
        # the lead's own 收文 copies first: those it can open and keep
        return receipts.received_copies(session, push) + receipts.pushed_records(session, push)
    return list(session.scalars(select(Record).where(Record.case_id == review.case_id,
                                                     Record.custodian_id == review.lead_id,
                                                     Record.category != "received",
                                                     Record.formed_on >= review.started_on)
                                .order_by(Record.id)))


def conclude(archive: Archive, actor: Actor, review_id: int, record_id: object, conclusion: str,
             today: date | None = None) -> None:
    """Link the 审查结论 (第九条(四), 第十四条): the partner's conclusion, not any record of the case."""
    conclusion = (conclusion or "").strip()
    with archive.db.transaction() as s:
        review = own(s, actor.agency_code, review_id)
        if review.conclusion_record_id:
            raise errors.Conflict("该审查程序已登记审查结论。")
        if not conclusion:
            raise errors.Validation("请填写审查结论。", fields={"conclusion": "请填写审查结论"})
        if review.partner_id is not None and review.conclusion_push_id is None:
            raise errors.Conflict(f"「{review.partner}」尚未推送审查结论（第九条第（四）项），不能登记。")
        allowed = {r.id: r for r in conclusion_records(s, review)}
        rid = int(record_id) if str(record_id).isdigit() else None
        if rid not in allowed:
            who = f"「{review.partner}」推送的审查结论" if review.partner_id \
                else (f"本单位归档的本办件（{review.case.case_no}）、形成于审查开始"
                      f"（{review.started_on:%Y年%m月%d日}）之后的文件")
            raise errors.Validation(f"审查结论须为{who}，请从列出的档案中选择。",
                                    fields={"record_id": f"不是{who}"})
        review.conclusion, review.conclusion_record_id = conclusion[:500], rid
        review.concluded_on = today or localtime.today()
        if review.delivered_on is None:  # independent or outside partner: concluded when linked
            review.delivered_on = review.concluded_on
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="review.conclude",
                     object_type="special_review", object_id=review.id,
                     detail={"record_id": rid, "late": review.delivered_on > review.due_on})


def decide(archive: Archive, actor: Actor, review_id: int, record_id: object) -> None:
    """Link the licensing decision, which rests on all the case's conclusions (第十四条)."""
    with archive.db.transaction() as s:
        review = own(s, actor.agency_code, review_id)
        open_ones = [r for r in s.scalars(select(SpecialReview).where(SpecialReview.case_id == review.case_id))
                     if not r.conclusion_record_id]
        if open_ones:
            names = "、".join(kind_label(r.kind, r.kind_note) for r in open_ones)
            raise errors.Conflict(f"本办件尚有特别审查程序未登记审查结论（{names}），不能关联许可决定"
                                  "（第十四条「依据特别审查程序审查结论和其他法定条件作出行政许可决定」）。")
        if review.decision_record_id:
            raise errors.Conflict("该审查程序已关联许可决定。")
        record = s.get(Record, int(record_id)) if str(record_id).isdigit() else None
        if record is None or record.case_id != review.case_id or record.custodian_id != review.lead_id \
                or record.category == "received":
            raise errors.Validation(f"许可决定须为本单位归档的本办件（{review.case.case_no}）文件。",
                                    fields={"record_id": "不是本办件的许可决定档案"})
        review.decision_record_id = record.id
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="review.decide",
                     object_type="special_review", object_id=review.id, detail={"record_id": record.id})


STATUS_LABELS = {"open": "待审查结论", "concluded": "已有结论，待决定", "decided": "已决定"}


def register(session: Session, agency_code: str, year: int | None = None) -> list[SpecialReview]:
    """The reviews an agency leads or takes part in, newest first (特别审查程序登记簿)."""
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    if agency is None:
        return []
    q = select(SpecialReview).where((SpecialReview.lead_id == agency.id) | (SpecialReview.partner_id == agency.id))
    rows = list(session.scalars(q.order_by(SpecialReview.started_on.desc(), SpecialReview.id.desc())))
    return [r for r in rows if year is None or r.started_on.year == year]


def register_page(session: Session, agency_code: str, page: int = 1, per_page: int = 50) -> Page[SpecialReview]:
    """One page of the register, newest first: a count and the page's rows."""
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    if agency is None:
        return Page([], 0, 1, per_page)
    q = select(SpecialReview).where((SpecialReview.lead_id == agency.id) | (SpecialReview.partner_id == agency.id))
    total, page = paging.count_and_clamp(session, q, page, per_page)
    rows = session.scalars(q.options(selectinload(SpecialReview.case), selectinload(SpecialReview.partner_agency))
                           .order_by(SpecialReview.started_on.desc(), SpecialReview.id.desc())
                           .offset((page - 1) * per_page).limit(per_page)).all()
    return Page(list(rows), total, page, per_page)


def conclusions_owed(session: Session, agency_code: str) -> list[SpecialReview]:
    """Reviews in which the agency is the partner and has not pushed its conclusion (第九条（四）)."""
    return list(session.scalars(select(SpecialReview).join(Agency, SpecialReview.partner_id == Agency.id).where(
        Agency.code == agency_code, SpecialReview.conclusion_push_id.is_(None))
        .order_by(SpecialReview.started_on.desc(), SpecialReview.id.desc())))


def led(session: Session, agency_code: str, year: int | None = None) -> list[SpecialReview]:
    return [r for r in register(session, agency_code, year) if r.lead.code == agency_code]


def is_late(review: SpecialReview, today: date | None = None) -> bool:
    """Late by the day the conclusion was delivered (pushed), or still undelivered after the due date."""
    if review.delivered_on is not None:
        return review.delivered_on > review.due_on
    return (today or localtime.today()) > review.due_on


def describe(review: SpecialReview) -> dict:
    return {"id": review.id, "case_no": review.case.case_no, "applicant": review.case.applicant,
            "matter": review.case.matter.code, "kind": review.kind, "kind_note": review.kind_note,
            "kind_label": kind_label(review.kind, review.kind_note), "mode": review.mode,
            "mode_label": REVIEW_MODES[review.mode], "lead": review.lead.code, "partner": review.partner,
            "partner_agency": review.partner_agency.code if review.partner_agency else None,
            "participants": review.participants,
            "started_on": review.started_on.isoformat(), "time_limit_days": review.time_limit_days,
            "due_on": review.due_on.isoformat(), "schedule_known": review.due_schedule_known,
            "warning": deadlines.warning(review.due_schedule_known),
            "notice": review.notice_document.doc_no if review.notice_document else None,
            "push_id": review.push_id, "conclusion_push_id": review.conclusion_push_id,
            "delivered_on": review.delivered_on.isoformat() if review.delivered_on else None,
            "conclusion": review.conclusion, "conclusion_record_id": review.conclusion_record_id,
            "concluded_on": review.concluded_on.isoformat() if review.concluded_on else None,
            "late": bool(review.delivered_on and review.delivered_on > review.due_on),
            "decision_record_id": review.decision_record_id, "status": review.status}
