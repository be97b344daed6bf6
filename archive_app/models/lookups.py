"""调阅申请: a request by staff of one agency to see records the other agency keeps
(安康办法 第十条: 审批和监管过程中需要调取、查阅相关档案时……应相互支持配合)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base, utcnow
from .org import Agency
from .records import Record
from .users import User

MODES = {"view": "在线查阅", "download": "下载复制"}
STATUSES = {"pending": "待审批", "approved": "已批准", "denied": "已拒绝", "returned": "已归还",
            "expired": "已到期", "closed": "已关闭（保管单位变更）"}


class LookupRequest(Base):
    __tablename__ = "lookup_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)  # 调阅单号, e.g. DY2026-0007
    requester_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    requester_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    custodian_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"), index=True)
    purpose: Mapped[str] = mapped_column(Text)
    mode: Mapped[str] = mapped_column(String(8))  # requested: view | download
    days: Mapped[int] = mapped_column(Integer)  # requested
    status: Mapped[str] = mapped_column(String(12), default="pending")
    granted_mode: Mapped[str | None] = mapped_column(String(8))
    granted_days: Mapped[int | None] = mapped_column(Integer)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    requester: Mapped[User] = relationship(foreign_keys=[requester_id])
    requester_agency: Mapped[Agency] = relationship(foreign_keys=[requester_agency_id])
    custodian: Mapped[Agency] = relationship(foreign_keys=[custodian_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
    items: Mapped[list[LookupItem]] = relationship(back_populates="request", order_by="LookupItem.id")

    def state(self, now: datetime) -> str:
        """The status as of `now`: an approved request past its expiry has ended by itself."""
        if self.status == "approved" and self.expires_at is not None and now >= self.expires_at:
            return "expired"
        return self.status

    def is_active(self, now: datetime) -> bool:
        return self.state(now) == "approved"


class LookupItem(Base):
    __tablename__ = "lookup_items"
    __table_args__ = (UniqueConstraint("request_id", "record_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("lookup_requests.id"))
    record_id: Mapped[int] = mapped_column(ForeignKey("records.id"), index=True)

    request: Mapped[LookupRequest] = relationship(back_populates="items")
    record: Mapped[Record] = relationship()
