"""Special review procedures (安康办法 第十一至十四条).

Per case: one of the 14 kinds (第十一条), a mode (第十二条: independent; joint, led by the approving
agency with a partner; entrusted to a department or a third party). Joint and entrusted reviews
produce their 联办通知单 or 委托书 (第十三条) and, when the partner is an agency in the system, push
it (第九条(二)). The conclusion must be filed as a record of the case and is linked before the
decision (第十四条 "依据特别审查程序审查结论…作出行政许可决定"); a conclusion after the due date is
shown as late."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, documents, errors
from ..context import Archive
from ..documents import values as doc_values
from ..intake import Actor
from ..models import REVIEW_KINDS, REVIEW_MODES, Agency, Case, Record, SpecialReview
from . import deadlines, pushes

TEMPLATES = {"joint": "joint-review-notice", "entrusted": "review-entrustment"}


def start(archive: Archive, actor: Actor, data: dict, today: date | None = None) -> int:
    """Open a special review; returns its id."""
    today = today or date.today()
    problems: dict[str, str] = {}
    kind, mode = str(data.get("kind") or ""), str(data.get("mode") or "")
    if kind not in REVIEW_KINDS:
        problems["kind"] = "审查程序应为：" + "、".join(REVIEW_KINDS)
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
        partner_agency = None
        if partner_agency_code:
            partner_agency = s.scalar(select(Agency).where(Agency.code == partner_agency_code))
            if partner_agency is None or partner_agency_code == actor.agency_code:
                problems["partner_agency"] = "配合或受托单位应为另一单位的代码"
            else:
                partner = partner or partner_agency.name
        if mode in TEMPLATES and not partner:
            problems["partner"] = "联合或委托实施须填写配合单位或受托单位"
        if problems:
            raise errors.Validation("特别审查程序信息有误——" + "；".join(problems.values()) + "。", fields=problems)
        due = deadlines.due(s, today, days)
        letter = None
        if mode in TEMPLATES:
            letter = {"receiver": partner, "matter": case.matter.code, "case_no": case.case_no,
                      "applicant": case.applicant, "review_kind": kind, "content": data.get("content") or "",
                      "due_date": due.deadline.isoformat(), "contact": data.get("contact") or "",
                      "phone": data.get("phone") or ""}
            if mode == "joint":
                letter.update(mode=REVIEW_MODES["joint"], partners=partner)
            doc_values.check(documents.get(TEMPLATES[mode]), letter, s)  # refuse before any number
        case_id, matter_code = case.id, case.matter.code
    doc = documents.issue(archive, TEMPLATES[mode], letter, actor, today) if letter else None
    push_id = None
    if partner_agency is not None and doc is not None:
        push_id = pushes.send(archive, actor, {
            "flow": "review_notice", "receiver": partner_agency.code, "case_no": data.get("case_no"),
            "matter": matter_code, "record_ids": [doc.record_id], "channel": "platform",
            "content": f"{REVIEW_MODES[mode]}{kind}：{doc.title}（{doc.doc_no}），"
                       f"请于{due.deadline:%Y年%m月%d日}前反馈审查结论。"},
            today)
    with archive.db.transaction() as s:
        lead = s.scalar(select(Agency).where(Agency.code == actor.agency_code))
        review = SpecialReview(case_id=case_id, kind=kind, mode=mode, lead_id=lead.id, partner=partner or None,
                               started_on=today, time_limit_days=days, due_on=due.deadline,
                               due_schedule_known=due.schedule_known, notice_document_id=doc.id if doc else None,
                               push_id=push_id, created_by=actor.username)
        s.add(review)
        s.flush()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="review.start",
                     object_type="special_review", object_id=review.id,
                     detail={"kind": kind, "mode": mode, "due_on": due.deadline.isoformat(),
                             "notice": doc.doc_no if doc else None})
        return review.id


def own(session: Session, agency_code: str | None, review_id: int) -> SpecialReview:
    """A review led by `agency_code`, or NOT_FOUND (others' reviews are not shown at all)."""
    review = session.get(SpecialReview, review_id)
    if review is None or review.lead.code != agency_code:
        raise errors.NotFound("没有找到该特别审查程序。")
    return review


def _case_record(session: Session, review: SpecialReview, record_id: object, label: str) -> Record:
    record = session.get(Record, int(record_id)) if str(record_id).isdigit() else None
    if record is None or record.case_id != review.case_id:
        raise errors.Validation(f"{label}须先作为本办件（{review.case.case_no}）的档案归档，再登记。",
                                fields={"record_id": f"不是本办件的{label}档案"})
    return record


def conclude(archive: Archive, actor: Actor, review_id: int, record_id: object, conclusion: str,
             today: date | None = None) -> None:
    """Link the filed 审查结论 (第九条(四), 第十四条)."""
    conclusion = (conclusion or "").strip()
    with archive.db.transaction() as s:
        review = own(s, actor.agency_code, review_id)
        if review.conclusion_record_id:
            raise errors.Conflict("该审查程序已登记审查结论。")
        if not conclusion:
            raise errors.Validation("请填写审查结论。", fields={"conclusion": "请填写审查结论"})
        record = _case_record(s, review, record_id, "审查结论")
        review.conclusion, review.conclusion_record_id = conclusion[:500], record.id
        review.concluded_on = today or date.today()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="review.conclude",
                     object_type="special_review", object_id=review.id,
                     detail={"record_id": record.id, "late": review.concluded_on > review.due_on})


def decide(archive: Archive, actor: Actor, review_id: int, record_id: object) -> None:
    """Link the licensing decision, which rests on the conclusion (第十四条)."""
    with archive.db.transaction() as s:
        review = own(s, actor.agency_code, review_id)
        if not review.conclusion_record_id:
            raise errors.Conflict("尚未登记审查结论，不能关联许可决定（第十四条：依据审查结论作出决定）。")
        if review.decision_record_id:
            raise errors.Conflict("该审查程序已关联许可决定。")
        record = _case_record(s, review, record_id, "许可决定")
        review.decision_record_id = record.id
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="review.decide",
                     object_type="special_review", object_id=review.id, detail={"record_id": record.id})


STATUS_LABELS = {"open": "待审查结论", "concluded": "已有结论，待决定", "decided": "已决定"}


def register(session: Session, agency_code: str, year: int | None = None) -> list[SpecialReview]:
    q = select(SpecialReview).join(Agency, SpecialReview.lead_id == Agency.id).where(Agency.code == agency_code)
    rows = list(session.scalars(q.order_by(SpecialReview.started_on.desc(), SpecialReview.id.desc())))
    return [r for r in rows if year is None or r.started_on.year == year]


def describe(review: SpecialReview) -> dict:
    return {"id": review.id, "case_no": review.case.case_no, "applicant": review.case.applicant,
            "matter": review.case.matter.code, "kind": review.kind, "mode": review.mode,
            "mode_label": REVIEW_MODES[review.mode], "lead": review.lead.code, "partner": review.partner,
            "started_on": review.started_on.isoformat(), "time_limit_days": review.time_limit_days,
            "due_on": review.due_on.isoformat(), "schedule_known": review.due_schedule_known,
            "warning": deadlines.warning(review.due_schedule_known),
            "notice": review.notice_document.doc_no if review.notice_document else None,
            "push_id": review.push_id, "conclusion": review.conclusion,
            "conclusion_record_id": review.conclusion_record_id,
            "concluded_on": review.concluded_on.isoformat() if review.concluded_on else None,
            "late": bool(review.concluded_on and review.concluded_on > review.due_on),
            "decision_record_id": review.decision_record_id, "status": review.status}
