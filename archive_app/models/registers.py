"""The 审管联动 registers (DESIGN.md §2 rules 3–7): information pushes and their per-matter
agreements, special review procedures, liaison officers. Due dates are stored with whether the
holiday schedule of every year they cross was known, and recomputed when a schedule is loaded."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, utcnow
from .cases import Case
from .documents import IssuedDocument
from .org import Agency, Matter
from .records import Record

# 安康办法 第九条 (一)–(七)
FLOWS = {
    "approval_result": "（一）审批办结信息",
    "review_notice": "（二）联办通知单、委托书",
    "supervision": "（三）监管和执法信息",
    "review_conclusion": "（四）审查意见和审查结论",
    "objection": "（五）异议处理及撤销",
    "license_change": "（六）变更、撤回、撤销、注销",
    "policy": "（七）法规政策变动",
}
CHANNELS = {"platform": "信息平台", "letter": "函件"}
REVIEW_KINDS = ("现场实地核查", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "考试", "考核", "专家评审",
                "技术审查", "听证", "听取利害关系人意见", "集体审查")  # 第十一条
REVIEW_MODES = {"independent": "独立组织实施", "joint": "联合组织实施", "entrusted": "委托组织实施"}  # 第十二条
POSITIONS = {"leader": "分管领导", "liaison": "联络员"}  # 第八条


class PushAgreement(Base):
    """未央 三(四): push time, content, format and route agreed per matter and flow."""

    __tablename__ = "push_agreements"
    __table_args__ = (UniqueConstraint("matter_id", "flow"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    flow: Mapped[str] = mapped_column(String(32))
    time_limit_days: Mapped[int] = mapped_column(Integer)  # working days from sending to receipt
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
    lead: Mapped[Agency] = relationship()
    notice_document: Mapped[IssuedDocument | None] = relationship()
    conclusion_record: Mapped[Record | None] = relationship(foreign_keys=[conclusion_record_id])
    decision_record: Mapped[Record | None] = relationship(foreign_keys=[decision_record_id])

    @property
    def status(self) -> str:
        if self.decision_record_id:
            return "decided"
        return "concluded" if self.conclusion_record_id else "open"


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
    exception_reason: Mapped[str | None] = mapped_column(String(300))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))
    filed_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()
    document: Mapped[IssuedDocument | None] = relationship()
