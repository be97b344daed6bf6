"""The 件 (DA/T 22-2015) with its DA/T 46 core metadata, its stored files and custody history."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base, utcnow
from .cases import Case
from .org import Agency, Matter

RETENTIONS = {"Y": "永久", "D30": "30年", "D10": "10年"}  # 保管期限 (DA/T 22-2015, codes in the 档号)


class Record(Base):
    __tablename__ = "records"
    __table_args__ = (
        UniqueConstraint("fonds_code", "year", "retention", "unit_code", "item_no",
                         name="uq_records_item"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    archival_code: Mapped[str] = mapped_column(String(64), unique=True)  # 档号
    fonds_code: Mapped[str] = mapped_column(String(16))  # 全宗号
    year: Mapped[int] = mapped_column(Integer)  # 年度
    retention: Mapped[str] = mapped_column(String(4))  # 保管期限 Y / D30 / D10
    unit_code: Mapped[str] = mapped_column(String(16))  # 机构代码
    item_no: Mapped[int] = mapped_column(Integer)  # 件号
    title: Mapped[str] = mapped_column(String(500))  # 题名
    doc_no: Mapped[str | None] = mapped_column(String(100))  # 文号
    responsible: Mapped[str | None] = mapped_column(String(200))  # 责任者
    formed_on: Mapped[date] = mapped_column(Date)  # 形成日期
    doc_type: Mapped[str | None] = mapped_column(String(32))  # 文种
    security_level: Mapped[str | None] = mapped_column(String(8))  # 密级
    pages: Mapped[int | None] = mapped_column(Integer)  # 页数
    remarks: Mapped[str | None] = mapped_column(String(500))  # 备注
    applicant: Mapped[str | None] = mapped_column(String(200))
    applicant_uscc: Mapped[str | None] = mapped_column(String(18))
    # None only for a 收文 record: its files are the sender's blobs, the original is filed there
    original_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    # which custody rule applies (archive_app/records/custody.py CATEGORIES): approval 审批业务档案 (第十条),
    # supervision 监管执法, issued 公文 (kept by the issuer), received 收文 (kept by the receiver)
    category: Mapped[str] = mapped_column(String(16), default="approval", server_default="approval")
    # 收文: the sender's record it copies, the push that brought it and the day it was signed for
    source_record_id: Mapped[int | None] = mapped_column(ForeignKey("records.id"))
    push_id: Mapped[int | None] = mapped_column(Integer, index=True)  # no FK: pushes point at records
    received_on: Mapped[date | None] = mapped_column(Date)
    custodian_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    # None only for an issued 公文 that concerns no single matter (a policy transmittal, minutes …)
    matter_id: Mapped[int | None] = mapped_column(ForeignKey("matters.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id"), index=True)
    filed_by: Mapped[str] = mapped_column(String(64))
    filed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    custodian: Mapped[Agency] = relationship()
    source_record: Mapped[Record | None] = relationship(remote_side="Record.id", foreign_keys=[source_record_id])
    matter: Mapped[Matter | None] = relationship()
    case: Mapped[Case | None] = relationship()
    files: Mapped[list[StoredFile]] = relationship(back_populates="record", order_by="StoredFile.id")
    custody_changes: Mapped[list[CustodyChange]] = relationship(order_by="CustodyChange.id")

    def file(self, role: str) -> StoredFile | None:
        return next((f for f in self.files if f.role == role), None)


class RecordText(Base):
    """Text extracted at intake. Kept in the database because the index is rebuilt from it."""

    __tablename__ = "record_texts"

    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), primary_key=True)
    text: Mapped[str] = mapped_column(Text, default="")


class StoredFile(Base):
    """A blob belonging to a record: the original, or a derived PDF rendition (plain / stamped)."""

    __tablename__ = "stored_files"
    __table_args__ = (UniqueConstraint("record_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"))
    role: Mapped[str] = mapped_column(String(16))  # original | rendition | stamped
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    sm3: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(128))
    extension: Mapped[str] = mapped_column(String(8))
    display_name: Mapped[str | None] = mapped_column(String(255))  # shown only, never a path
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    record: Mapped[Record] = relationship(back_populates="files")


class CustodyChange(Base):
    """Every change of keeper, starting with the first (at filing), per DESIGN.md §2.1."""

    __tablename__ = "custody_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    from_agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    to_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    reason: Mapped[str] = mapped_column(String(300))
    changed_by: Mapped[str] = mapped_column(String(64))
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    from_agency: Mapped[Agency | None] = relationship(foreign_keys=[from_agency_id])
    to_agency: Mapped[Agency] = relationship(foreign_keys=[to_agency_id])


class FilingCounter(Base):
    """Last 件号 used per fonds / year / retention / unit; bumped inside the filing transaction,
    so a refused or rolled-back filing consumes no number."""

    __tablename__ = "filing_counters"

    fonds_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    retention: Mapped[str] = mapped_column(String(4), primary_key=True)
    unit_code: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_no: Mapped[int] = mapped_column(Integer, default=0)


class IndexJob(Base):
    """Outbox row: written in the same transaction as the catalogue change, drained by the one
    index writer, so the search index never misses or invents a record."""

    __tablename__ = "index_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(Integer, index=True)
    op: Mapped[str] = mapped_column(String(8), default="upsert")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

