"""The 审管联动 registers (DESIGN.md §2 rules 3–7): information pushes and their per-matter
agreements, special review procedures, liaison officers. Due dates are stored with whether the
holiday schedule of every year they cross was known, and recomputed when a schedule is loaded."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base, utcnow
from .cases import Case
from .documents import IssuedDocument
from .org import Agency, Matter
from .records import Record

# 安康办法 第九条 (一)–(七), and the 审批标准 the department provides (第三条, 未央 三（二）): a standard is
# not one of 第九条's flows — 未央 keeps 审批标准制定制度 apart from 政策信息传递制度 (三（一）, our （七）) —
# so its push cites 第三条 and is made only by recording a new version (cases/standards.py).
FLOWS = {
    "approval_result": "（一）审批办结信息",
    "review_notice": "（二）联办通知单、委托书",
    "supervision": "（三）监管和执法信息",
    "review_conclusion": "（四）审查意见和审查结论",
    "objection": "（五）异议处理及撤销",
    "license_change": "（六）变更、撤回、撤销、注销",
    "policy": "（七）法规政策变动",
    "standard": "审批标准（第三条）",
}
# the flows an officer sends from the push form; a standard goes with its version (cases/standards.py)
FORM_FLOWS = {k: v for k, v in FLOWS.items() if k != "standard"}
# 第九条: who sends each flow, as the sender's role for the matter ("approving" = the approving
# agency, "department" = the matter's department); the answers of （五）（六） go back. The access
# policy applies it (access.may_push), so a third department works without code.
FLOW_SENDERS = {
    "approval_result": "approving", "review_notice": "approving", "supervision": "department",
    "review_conclusion": "department", "objection": "department", "license_change": "department",
    "policy": "department", "standard": "department",
}
FLOW_CLAUSES = {"approval_result": "第九条（一）", "review_notice": "第九条（二）", "supervision": "第九条（三）",
                "review_conclusion": "第九条（四）", "objection": "第九条（五）", "license_change": "第九条（六）",
                "policy": "第九条（七）", "standard": "第三条"}
ROLES_OF_AGENCIES = {"approving": "审批部门", "department": "监管部门"}
# What a policy transmittal is about, in the seeds' own words: 安康办法 第九条（七） (the first five)
# and 未央 三（一） 「政策变化、行业发展规范调整」「业务指导」. 审批标准 is not among them: a new
# standard travels as its own flow under 第三条 (未央 三（二）).
POLICY_CATEGORIES = ("行业法律法规变动", "总量控制", "规划限制", "培训学习", "资质、资格考试",
                     "政策变化", "行业发展规范调整", "业务指导")
# 未央 三（五）: the approving agency's 认定 of an objection before any 撤销
FINDINGS = {"true": "属实", "untrue": "不属实"}
CHANNELS = {"platform": "信息平台", "letter": "函件"}
# working days the sender has from the event to the push when the matter has no agreement
# (第九条「及时」; 未央 三（四） 推送的时间由双方协商确定 — this is the default until they agree)
DEFAULT_SEND_DAYS = 5
REVIEW_KINDS = ("现场实地核查", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "考试", "考核", "专家评审",
                "技术审查", "听证", "听取利害关系人意见", "集体审查")  # 第十一条
OTHER_KIND = "其他"  # 第十一条 「主要包括…等」: the list is open; 其他 needs a description
REVIEW_MODES = {"independent": "独立组织实施", "joint": "联合组织实施", "entrusted": "委托组织实施"}  # 第十二条
POSITIONS = {"leader": "分管领导", "liaison": "联络员"}  # 第八条


class PushAgreement(Base):
    """未央 三(四): push time, content, format and route agreed per matter and flow."""

    __tablename__ = "push_agreements"
    # the structured form carries no letter, so it never travels by letter (migration 0015)
    __table_args__ = (UniqueConstraint("matter_id", "flow"),
                      CheckConstraint("NOT (format = 'form' AND route = 'letter')",
                                      name="ck_push_agreements_form_not_letter"))

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    flow: Mapped[str] = mapped_column(String(32))
    time_limit_days: Mapped[int] = mapped_column(Integer)  # working days the sender has after the event
    content_items: Mapped[str] = mapped_column(String(500))
    format: Mapped[str] = mapped_column(String(100))
    route: Mapped[str] = mapped_column(String(16))  # platform | letter
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    matter: Mapped[Matter] = relationship()


class Push(Base):
    __tablename__ = "pushes"

    id: Mapped[int] = mapped_column(primary_key=True)
    flow: Mapped[str] = mapped_column(String(32), index=True)
    sender_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    receiver_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"))
    record_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list of record ids
    content: Mapped[str] = mapped_column(Text)
    channel: Mapped[str] = mapped_column(String(16))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))  # the 函件
    applicant_document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))  # 函告原申请人
    reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("pushes.id"))  # the result sent back
    sent_on: Mapped[date] = mapped_column(Date)
    sent_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    sent_by: Mapped[str] = mapped_column(String(64))
    time_limit_days: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    due_schedule_known: Mapped[bool] = mapped_column(Boolean, default=True)
    received_at: Mapped[datetime | None] = mapped_column(DateTime)
    received_by: Mapped[str | None] = mapped_column(String(64))
    handover_at: Mapped[datetime | None] = mapped_column(DateTime)  # 第六条: supervision starts
    # the sender's due date (due_on) counts from this day: 办结 for （一）, the event reported otherwise
    event_on: Mapped[date | None] = mapped_column(Date)
    items: Mapped[str | None] = mapped_column(Text)  # JSON {agreed content item: value} (未央 三（四）)
    policy_category: Mapped[str | None] = mapped_column(String(32))  # 未央 三（一）
    review_id: Mapped[int | None] = mapped_column(Integer, index=True)  # the review a conclusion answers
    # 未央 三（五）: SPJ's 认定 of an objection (属实/不属实 with reasons) before any 撤销
    finding: Mapped[str | None] = mapped_column(String(8))
    finding_reason: Mapped[str | None] = mapped_column(Text)
    found_at: Mapped[datetime | None] = mapped_column(DateTime)
    found_by: Mapped[str | None] = mapped_column(String(64))

    sender: Mapped[Agency] = relationship(foreign_keys=[sender_id])
    receiver: Mapped[Agency] = relationship(foreign_keys=[receiver_id])
    matter: Mapped[Matter | None] = relationship()
    case: Mapped[Case | None] = relationship()
    document: Mapped[IssuedDocument | None] = relationship(foreign_keys=[document_id])
    applicant_document: Mapped[IssuedDocument | None] = relationship(foreign_keys=[applicant_document_id])


class SpecialReview(Base):
    __tablename__ = "special_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    mode: Mapped[str] = mapped_column(String(16))
    lead_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    partner: Mapped[str | None] = mapped_column(String(200))  # 配合单位 / 受托单位
    partner_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))  # when the partner is an agency
    kind_note: Mapped[str | None] = mapped_column(String(200))  # what 「其他」 is
    participants: Mapped[str | None] = mapped_column(String(500))  # 第八条（三）: named by the partner
    conclusion_push_id: Mapped[int | None] = mapped_column(ForeignKey("pushes.id"))
    delivered_on: Mapped[date | None] = mapped_column(Date)  # the day the conclusion was pushed
    started_on: Mapped[date] = mapped_column(Date)
    time_limit_days: Mapped[int] = mapped_column(Integer)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    due_schedule_known: Mapped[bool] = mapped_column(Boolean, default=True)
    notice_document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))
    push_id: Mapped[int | None] = mapped_column(ForeignKey("pushes.id"))
    conclusion: Mapped[str | None] = mapped_column(String(500))
    conclusion_record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    concluded_on: Mapped[date | None] = mapped_column(Date)
    decision_record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    case: Mapped[Case] = relationship()
    lead: Mapped[Agency] = relationship(foreign_keys=[lead_id])
    partner_agency: Mapped[Agency | None] = relationship(foreign_keys=[partner_id])
    notice_document: Mapped[IssuedDocument | None] = relationship()
    conclusion_record: Mapped[Record | None] = relationship(foreign_keys=[conclusion_record_id])
    decision_record: Mapped[Record | None] = relationship(foreign_keys=[decision_record_id])

    @property
    def status(self) -> str:
        if self.decision_record_id:
            return "decided"
        return "concluded" if self.conclusion_record_id else "open"


class ReviewProcedure(Base):
    """One row of the 「市行政审批服务局行政许可事项特别审查程序汇总表」 (安康办法 附件): per matter,
    a special review procedure, how it is organised (第十二条), its basis, time limit and partner."""

    __tablename__ = "review_procedures"
    __table_args__ = (UniqueConstraint("matter_id", "kind", "kind_note"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    kind_note: Mapped[str] = mapped_column(String(200), default="")
    mode: Mapped[str] = mapped_column(String(16))
    basis: Mapped[str] = mapped_column(String(500))  # 依据
    time_limit_days: Mapped[int] = mapped_column(Integer)  # 时限, working days
    partner: Mapped[str] = mapped_column(String(200), default="")  # 配合单位
    updated_by: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    matter: Mapped[Matter] = relationship()


class LiaisonOfficer(Base):
    """One person in one position for one unit, from `effective_from` until `effective_to`."""

    __tablename__ = "liaison_officers"

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    unit_name: Mapped[str] = mapped_column(String(100))
    position: Mapped[str] = mapped_column(String(16))
    name: Mapped[str] = mapped_column(String(64))
    title: Mapped[str | None] = mapped_column(String(64))
    phone: Mapped[str | None] = mapped_column(String(32))
    mobile: Mapped[str | None] = mapped_column(String(32))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_to: Mapped[date | None] = mapped_column(Date)
    filed_on: Mapped[date] = mapped_column(Date)
    earliest_on: Mapped[date] = mapped_column(Date)  # five working days after filing (第八条)
    schedule_known: Mapped[bool] = mapped_column(Boolean, default=True)
    exception_reason: Mapped[str | None] = mapped_column(String(300))  # the stated special reason of a change
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))
    filed_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
    document: Mapped[IssuedDocument | None] = relationship()
