"""Agencies, their units (科室) and the licensing matters (事项) — data, not code (DESIGN.md §2.1)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Boolean, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base


class Agency(Base):
    __tablename__ = "agencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)  # RSJ, SPJ …
    name: Mapped[str] = mapped_column(String(100))
    fonds_code: Mapped[str] = mapped_column(String(16), unique=True)  # 全宗号
    doc_prefix: Mapped[str | None] = mapped_column(String(16))  # 机关代字, e.g. 安行审
    # where its liaison filings go (安康办法 第八条: 安康市行政审批制度改革工作领导小组办公室;
    # 未央 三（六）: 区审改办) — data, because each city names its own
    reform_office: Mapped[str | None] = mapped_column(String(100))

    units: Mapped[list[Unit]] = relationship(back_populates="agency", order_by="Unit.code")


class Unit(Base):
    """A 科室; its 机构代码 is the unit part of the 档号 (DA/T 22-2015 §6)."""

    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("agency_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    code: Mapped[str] = mapped_column(String(16))  # 机构代码
    name: Mapped[str] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)

    agency: Mapped[Agency] = relationship(back_populates="units")


class Matter(Base):
    """A licensing matter; `transfer_date` is its 划转移交日期 (None: never transferred)."""

    __tablename__ = "matters"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    department_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    approving_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    transfer_date: Mapped[date | None] = mapped_column(Date)
    time_limit_days: Mapped[int | None] = mapped_column(Integer)  # 承诺时限, working days
    department_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    approving_unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    key_project: Mapped[bool] = mapped_column(Boolean, default=False)  # 重点项目 (未央 三（三）)
    key_project_reason: Mapped[str | None] = mapped_column(String(300))

    department: Mapped[Agency] = relationship(foreign_keys=[department_id])
    approving_agency: Mapped[Agency] = relationship(foreign_keys=[approving_agency_id])
    department_unit: Mapped[Unit | None] = relationship(foreign_keys=[department_unit_id])
    approving_unit: Mapped[Unit | None] = relationship(foreign_keys=[approving_unit_id])
