"""OCR of scanned records (issue 15): the queue of recognition jobs and the text versions.

A record's searchable text stays in `RecordText` (the index is rebuilt from it); every text that
recognition or a clerk produced is also kept as a `RecordTextVersion`, newest last, so a
correction never overwrites what the machine read and the original file is never touched."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, utcnow

OCR_STATUSES = {"pending": "文字识别中", "running": "文字识别中", "done": "已识别", "failed": "识别失败"}


class OcrJob(Base):
    """One record's recognition: pending → running → done | failed. Claimed by one drainer at a
    time; a job left `running` by a crash goes back to pending (at most `MAX_ATTEMPTS` starts)."""

    __tablename__ = "ocr_jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    pages: Mapped[str] = mapped_column(String(2000), default="")  # page numbers (1-based) to read, "," separated
    failed_pages: Mapped[str] = mapped_column(String(2000), default="")
    engine: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class RecordTextVersion(Base):
    """A text of a record: `extracted` (text layer), `ocr` (recognised) or `corrected` (a clerk)."""

    __tablename__ = "record_text_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
