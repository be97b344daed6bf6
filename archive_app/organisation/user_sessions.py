"""Server-side sign-in sessions (issue 11 item 4; docs/security.md).

The signed Flask cookie alone cannot be taken back: a copy made before log-out kept working. So
the cookie carries only a random session id; the table `user_sessions` holds its SHA-256, and
every request checks that its row is open, belongs to the cookie's user, has been used within the
idle timeout (`ARCHIVE_SESSION_IDLE_MIN`, default 30) and is younger than `MAX_AGE`.

Ending a session closes its row: log-out ends one; a password change or reset, a role change and
disabling a user end all of that user's sessions (`end_all`); the user can list and end their own
sessions on 我的账户.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core.db import utcnow
from ..models import User, UserSession

if TYPE_CHECKING:
    from ..core.context import Archive
    from .actor import Actor

MAX_AGE = timedelta(hours=10)  # a working day, then sign in again whatever the activity
TOUCH = timedelta(seconds=60)  # last_seen_at is written at most this often
END_REASONS = {"logout": "退出登录", "idle": "长时间未操作", "max_age": "超过最长登录时间",
               "password": "密码已更改或重设", "role": "角色已变更", "disabled": "账户已停用",
               "ended_by_user": "本人结束"}


def hash_sid(sid: str) -> str:
    return hashlib.sha256(sid.encode("utf-8")).hexdigest()


def start(session: Session, user: User, address: str | None, user_agent: str | None) -> str:
    """Open a session for `user`; returns the id for the cookie (only its hash is stored)."""
    sid = secrets.token_urlsafe(32)
    now = utcnow()
    row = UserSession(sid_hash=hash_sid(sid), user_id=user.id, created_at=now, last_seen_at=now,
                      address=(address or "")[:64] or None, user_agent=(user_agent or "")[:200] or None)
    session.add(row)
    session.flush()
    return sid


@dataclass(frozen=True)
class Check:
    row: UserSession | None
    ended_reason: str | None  # why an existing row no longer counts (idle, max_age); None if fine
    touch: bool  # last_seen_at is due to be written
    expired_id: int | None = None  # the row that timed out, to be closed


def check(session: Session, sid: str | None, user_id: int, idle: timedelta,
          now: datetime | None = None) -> Check:
    """Is the cookie's session still open for `user_id`? (Read only; the caller writes.)"""
    if not sid:
        return Check(None, None, False)
    row = session.scalar(select(UserSession).where(UserSession.sid_hash == hash_sid(sid)))
    if row is None or row.user_id != user_id or row.ended_at is not None:
        return Check(None, None, False)
    now = now or utcnow()
    if now - row.last_seen_at > idle:
        return Check(None, "idle", False, row.id)
    if now - row.created_at > MAX_AGE:
        return Check(None, "max_age", False, row.id)
    return Check(row, None, now - row.last_seen_at > TOUCH)


def touch(session: Session, session_id: int) -> None:
    row = session.get(UserSession, session_id)
    if row is not None and row.ended_at is None:
        row.last_seen_at = utcnow()


def end(session: Session, session_id: int, reason: str, actor: str) -> bool:
    """Close one session (idempotent); audited except for the timeouts the system notices."""
    row = session.get(UserSession, session_id)
    if row is None or row.ended_at is not None:
        return False
    row.ended_at, row.end_reason = utcnow(), reason
    if reason not in ("idle", "max_age"):
        audit.append(session, actor=actor, agency_code=row.user.agency.code, action="session.end",
                     object_type="user", object_id=row.user_id, detail={"session": row.id, "reason": reason})
    return True


def end_all(session: Session, user_id: int, reason: str, actor: str, keep_id: int | None = None) -> int:
    """Close every open session of a user (all but `keep_id`); returns how many."""
    rows = session.scalars(select(UserSession).where(UserSession.user_id == user_id,
                                                     UserSession.ended_at.is_(None))).all()
    now, ended = utcnow(), []
    for row in rows:
        if row.id != keep_id:
            row.ended_at, row.end_reason = now, reason
            ended.append(row.id)
    if ended:
        user = session.get(User, user_id)
        audit.append(session, actor=actor, agency_code=user.agency.code if user else None,
                     action="session.end_all", object_type="user", object_id=user_id,
                     detail={"sessions": ended, "reason": reason})
    return len(ended)


def open_sessions(session: Session, user_id: int, idle: timedelta) -> list[UserSession]:
    """The user's sessions that still count, newest first (for 我的账户)."""
    now = utcnow()
    rows = session.scalars(select(UserSession).where(UserSession.user_id == user_id,
                                                     UserSession.ended_at.is_(None))
                           .order_by(UserSession.last_seen_at.desc())).all()
    return [r for r in rows if now - r.last_seen_at <= idle and now - r.created_at <= MAX_AGE]


# --- Services for the doors: each owns its transaction.

def resume(archive: Archive, session: Session, sid: str | None, user_id: int) -> int | None:
    """The id of the cookie's open session for `user_id`, or None. A timeout noticed here closes
    its row (so it is not listed as open); a session in use is touched at most every `TOUCH`."""
    idle = timedelta(minutes=archive.settings.session_idle_min)
    state = check(session, sid, user_id, idle)
    if state.row is None:
        if state.expired_id is not None:
            with archive.db.transaction() as s:
                end(s, state.expired_id, state.ended_reason or "idle", "system")
        return None
    if state.touch:
        with archive.db.transaction() as s:
            touch(s, state.row.id)
    return state.row.id


def is_open(archive: Archive, session: Session, sid: str | None, user_id: int) -> bool:
    """Does the cookie's session still count (read only; for the body-size limit, web/bodylimit)?"""
    return check(session, sid, user_id, timedelta(minutes=archive.settings.session_idle_min)).row is not None


def sign_out(archive: Archive, actor: Actor, session_id: int) -> None:
    """Log-out: close the actor's current session."""
    with archive.db.transaction() as s:
        end(s, session_id, "logout", actor.username)


def end_own(archive: Archive, actor: Actor, session_id: int) -> bool:
    """End one of the actor's own sessions; another user's id is simply not found (False)."""
    with archive.db.transaction() as s:
        row = s.get(UserSession, session_id)
        return row is not None and row.user.username == actor.username and \
            end(s, session_id, "ended_by_user", actor.username)


def end_others(archive: Archive, actor: Actor, keep_id: int | None) -> int:
    """End all of the actor's sessions but the current one; returns how many."""
    with archive.db.transaction() as s:
        user = s.scalar(select(User).where(User.username == actor.username))
        return end_all(s, user.id, "ended_by_user", actor.username, keep_id=keep_id) if user else 0


def mine(archive: Archive, session: Session, user_id: int) -> list[UserSession]:
    """The user's sessions that still count under the configured idle timeout (我的账户)."""
    return open_sessions(session, user_id, timedelta(minutes=archive.settings.session_idle_min))
