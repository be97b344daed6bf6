"""Server-side sign-in sessions, log-in throttles and two-person transfer-date changes
(issue 11 items 3, 4, 15; docs/security.md)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..core.db import Base, utcnow
from .org import Agency, Matter
from .users import User


class UserSession(Base):
    """One signed-in browser. The cookie holds a random id; only its SHA-256 is stored, and every
    request checks that the row is still open and not idle (so log-out, a password change … end it)."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    sid_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)
    end_reason: Mapped[str | None] = mapped_column(String(32))
    address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(200))

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed log-ins of one user name from one address; backs off that pair only, so a stranger
    cannot lock a user out, and unknown names are throttled exactly like known ones."""

    __tablename__ = "login_throttles"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)  # SHA-256 of "name|address"
    failures: Mapped[int] = mapped_column(Integer, default=0)
    blocked_until: Mapped[datetime | None] = mapped_column(DateTime)
    last_failure_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


TRANSFER_REQUEST_STATUSES = {"pending": "待对方确认", "confirmed": "已确认并执行", "refused": "对方未同意",
                             "withdrawn": "已撤回"}


class TransferDateRequest(Base):
    """A change of a matter's 划转移交日期 asked by one agency's administrator, applied only when an
    administrator of the matter's other agency confirms it (two-person rule; custody moves, 第十条)."""

    __tablename__ = "transfer_date_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    matter_id: Mapped[int] = mapped_column(ForeignKey("matters.id"), index=True)
    old_date: Mapped[date | None] = mapped_column(Date)
    new_date: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")
    requested_by_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    requester_agency_id: Mapped[int] = mapped_column(ForeignKey("agencies.id"))
    requested_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    records_moved: Mapped[int | None] = mapped_column(Integer)

    matter: Mapped[Matter] = relationship()
    requested_by: Mapped[User] = relationship(foreign_keys=[requested_by_id])
    requester_agency: Mapped[Agency] = relationship()
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])
