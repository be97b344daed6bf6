"""办件: one application for a matter. Its records may straddle the transfer date; the case links
both parts (DESIGN.md §2.1)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..db import Base, utcnow
from .org import Matter


class Case(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_no: Mapped[str] = mapped_column(String(64), unique=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"))
    applicant: Mapped[str] = mapped_column(String(200))
    applicant_uscc: Mapped[str | None] = mapped_column(String(18))  # 统一社会信用代码
    received_on: Mapped[date | None] = mapped_column(Date)  # 受理
    decided_on: Mapped[date | None] = mapped_column(Date)  # 决定
    decision: Mapped[str | None] = mapped_column(String(32))  # 准予/不予/撤销 …
    certificate_no: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    matter: Mapped[Matter] = relationship()
