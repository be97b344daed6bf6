"""Official holiday and 调休 schedules loaded by an administrator for years that chinesecalendar
does not cover (or to correct it). A year counts as loaded when it has any row here."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from ..core.db import Base, utcnow


class CalendarDay(Base):
    __tablename__ = "calendar_days"

    day: Mapped[date] = mapped_column(Date, primary_key=True)
    year: Mapped[int] = mapped_column(Integer, index=True)
    kind: Mapped[str] = mapped_column(String(8))  # holiday (放假) | workday (调休上班)
    name: Mapped[str | None] = mapped_column(String(32))  # 春节, 国庆节 …
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
