"""A fonds' year after 整理: its 件号 follow time order and are frozen (DA/T 22-2015)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, utcnow


class CatalogueYear(Base):
    __tablename__ = "catalogue_years"
    __table_args__ = (UniqueConstraint("fonds_code", "year", name="uq_catalogue_years"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fonds_code: Mapped[str] = mapped_column(String(16))
    year: Mapped[int] = mapped_column(Integer)
    arranged_by: Mapped[str] = mapped_column(String(64))
    arranged_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    renumbered: Mapped[int] = mapped_column(Integer, default=0)
