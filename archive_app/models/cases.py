"""办件: one application for a matter, from 受理 to the end of its licence. Its records may
straddle the transfer date; the case links both parts (DESIGN.md §2.1). Events, approval
standards (安康办法 第三条, 未央 三（二）) and register imports live here too (docs/cases.md)."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base, utcnow
from .org import Agency, Matter

if TYPE_CHECKING:
    from .documents import IssuedDocument

# status key → label (issue 14). 已过期 is not stored: a licence past 有效期 shows it when read.
CASE_STATUSES = {"received": "受理中", "special_review": "特别审查中", "decided": "已决定", "served": "已送达",
                 "pushed": "已推送", "supervised": "监管中", "changed": "已变更", "withdrawn": "已撤回",
                 "revoked": "已撤销", "cancelled": "已注销", "expired": "已过期"}


class Case(Base):
    __tablename__ = "cases"
    __table_args__ = (Index("ix_cases_received_on_id", "received_on", "id"),
                      Index("ix_cases_status_due_on", "status", "due_on"),
                      Index("ix_cases_status_received", "status", "received_on", "id", "valid_until"),
                      Index("ix_cases_decided_on_id", "decided_on", "id"),
                      Index("ix_cases_matter_status_received", "matter_id", "status", "received_on", "id",
                            "valid_until"))

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(64), unique=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    applicant: Mapped[str] = mapped_column(String(200))
    applicant_uscc: Mapped[str | None] = mapped_column(String(18), index=True)  # 统一社会信用代码
    received_on: Mapped[date | None] = mapped_column(Date)  # 受理
    decided_on: Mapped[date | None] = mapped_column(Date)  # 决定 (indexed with id: ix_cases_decided_on_id)
    decision: Mapped[str | None] = mapped_column(String(32))  # 准予许可 / 不予许可 …
    certificate_no: Mapped[str | None] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    status: Mapped[str] = mapped_column(String(16), default="received", index=True)
    due_on: Mapped[date | None] = mapped_column(Date, index=True)  # 承诺时限 due date
    due_schedule_known: Mapped[bool] = mapped_column(Boolean, default=True)
    valid_until: Mapped[date | None] = mapped_column(Date)  # 有效期至
    served_on: Mapped[date | None] = mapped_column(Date)  # 送达
    supervising_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))  # after 第六条 hand-over
    key_project: Mapped[bool] = mapped_column(Boolean, default=False)  # 重点项目 (未央 三（三）)
    key_project_reason: Mapped[str | None] = mapped_column(String(300))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)

    matter: Mapped[Matter] = relationship()
    supervising_agency: Mapped[Agency | None] = relationship()


class CaseEvent(Base):
    """An event entered by hand, through the API or an import (derived events — records, pushes,
    letters, reviews — are read from their own tables and never copied here)."""

    __tablename__ = "case_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    occurred_on: Mapped[date] = mapped_column(Date)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    summary: Mapped[str] = mapped_column(Text)
    decision: Mapped[str | None] = mapped_column(String(32))
    certificate_no: Mapped[str | None] = mapped_column(String(64))
    valid_until: Mapped[date | None] = mapped_column(Date)
    record_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list
    participants: Mapped[str | None] = mapped_column(String(500))  # 会商: who was heard
    outcome: Mapped[str | None] = mapped_column(Text)  # 会商 outcome
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    agency: Mapped[Agency] = relationship()


class ApprovalStandard(Base):
    """A version of a matter's 审批标准: the department provides it, the approving agency applies it
    (安康办法 第三条 按照市人力资源和社会保障局提供的审批标准)."""

    __tablename__ = "approval_standards"
    __table_args__ = (UniqueConstraint("matter_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(300))
    effective_from: Mapped[date] = mapped_column(Date)
    effective_until: Mapped[date | None] = mapped_column(Date)
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))  # the text, filed
    provided_by_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    document_id: Mapped[int | None] = mapped_column(ForeignKey("issued_documents.id"))  # 审批标准传递函
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    matter: Mapped[Matter] = relationship()
    provided_by: Mapped[Agency] = relationship()
    document: Mapped[IssuedDocument | None] = relationship("IssuedDocument")


class CaseImport(Base):
    """One register import, by file digest: a rerun of the same file resumes after `done_rows`."""

    __tablename__ = "case_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    filename: Mapped[str] = mapped_column(String(255))
    total_rows: Mapped[int] = mapped_column(Integer, default=0)
    done_rows: Mapped[int] = mapped_column(Integer, default=0)
    imported: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[str] = mapped_column(Text, default="[]")  # JSON [{row, case_no, reason}]
    finished: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CaseIndexJob(Base):
    """Outbox of the cases search index, written in the transaction that changed the case (by the
    session hook in models/case_hooks.py), drained by cases/search.py."""

    __tablename__ = "case_index_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(Integer, index=True)
