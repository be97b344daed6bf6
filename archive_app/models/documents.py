"""Issued documents (公文) and their 发文字号 counters (DESIGN.md §4, issue 5)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base, utcnow
from .org import Agency
from .records import Record

# pending: number taken, files being made · issued: filed as a record · failed: making the files
# failed (the number stays with it; retry or void) · voided: withdrawn, number kept and shown.
DOC_STATUSES = {"pending": "生成中", "issued": "已发文", "failed": "生成失败", "voided": "已作废"}


class DocNumberCounter(Base):
    """Last number used per 机关代字 + series and year; bumped inside the reserving transaction."""

    __tablename__ = "doc_number_counters"

    prefix: Mapped[str] = mapped_column(String(32), primary_key=True)  # 安行审函
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer, default=0)


class IssuedDocument(Base):
    __tablename__ = "issued_documents"
    __table_args__ = (UniqueConstraint("prefix", "year", "seq", name="uq_issued_documents_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    template_id: Mapped[str] = mapped_column(String(64), index=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    prefix: Mapped[str] = mapped_column(String(32))
    year: Mapped[int] = mapped_column(Integer)
    seq: Mapped[int] = mapped_column(Integer)
    doc_no: Mapped[str] = mapped_column(String(64), unique=True)  # 发文字号
    title: Mapped[str] = mapped_column(String(500))
    issued_on: Mapped[date] = mapped_column(Date)  # 成文日期
    data: Mapped[str] = mapped_column(Text)  # the typed values, JSON
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    error: Mapped[str | None] = mapped_column(String(500))
    record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    docx_sha256: Mapped[str | None] = mapped_column(String(64))
    batch: Mapped[str | None] = mapped_column(String(36), index=True)
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    void_reason: Mapped[str | None] = mapped_column(String(300))
    voided_by: Mapped[str | None] = mapped_column(String(64))
    voided_at: Mapped[datetime | None] = mapped_column(DateTime)

    agency: Mapped[Agency] = relationship()
    record: Mapped[Record | None] = relationship()
