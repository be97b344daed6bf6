"""Users and API tokens. Passwords are hashed with scrypt (werkzeug); tokens are random
256-bit strings shown once and stored as SHA-256 (a token has enough entropy that a fast hash
is the right one)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from . import audit, errors, login_throttle, user_sessions
from .db import utcnow
from .models import ROLES, Agency, ApiToken, User

TOKEN_TOUCH = timedelta(minutes=5)
TOKEN_PREFIX = "arc_"  # noqa: S105 — a prefix, not a secret
# Checked against when the user does not exist, so a wrong name costs as long as a wrong password.
_DUMMY_HASH = generate_password_hash("not-a-password", method="scrypt")


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_user(session: Session, username: str, agency_code: str, role: str, password: str,
                display_name: str | None = None, actor: str = "system") -> User:
    problems = {}
    if not username or len(username) > 64 or not username.replace("_", "").replace("-", "").replace(".", "").isalnum():
        problems["username"] = "用户名只能包含字母、数字、下划线、连字符和点，最长64个字符"
    if role not in ROLES:
        problems["role"] = "角色应为：" + "、".join(ROLES)
    if len(password) < 8:
        problems["password"] = "密码至少8个字符"  # noqa: S105
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    if agency is None:
        problems["agency"] = f"单位代码「{agency_code}」不存在"
    if session.scalar(select(User).where(User.username == username)) is not None:
        problems["username"] = f"用户名「{username}」已存在"
    if problems:
        raise errors.Validation("；".join(problems.values()), fields=problems)
    user = User(username=username, agency_id=agency.id, role=role, display_name=display_name,
                password_hash=generate_password_hash(password, method="scrypt"))
    session.add(user)
    session.flush()
    audit.append(session, actor=actor, action="user.create", object_type="user",
                 object_id=user.id, detail={"username": username, "agency": agency_code, "role": role})
    return user


@dataclass(frozen=True)
class LoginOutcome:
    user: User | None
    wait_seconds: int = 0  # > 0: this name from this address must wait (nothing was checked)


def authenticate(session: Session, username: str, password: str, address: str | None = None) -> LoginOutcome:
    """Check a password, throttled per (name, address) — the same way for names that do not exist,
    so neither the answer nor the throttle tells which names exist (login_throttle). Every failure
    is on the audit trail, unknown names included."""
    wait = login_throttle.wait_seconds(session, username, address)
    user = session.scalar(select(User).where(User.username == username))
    if wait:
        audit.append(session, actor=username[:64], agency_code=user.agency.code if user else None,
                     action="auth.login_throttled", object_type="user", object_id=user.id if user else None,
                     detail={"address": address, "wait_seconds": wait})
        return LoginOutcome(None, wait)
    if user is None or not user.password_hash:
        check_password_hash(_DUMMY_HASH, password)
        ok, reason = False, "unknown_user"
    else:
        ok = check_password_hash(user.password_hash, password)
        reason = "wrong_password" if not ok else ("disabled" if not user.active else None)
    if not ok or reason:
        login_throttle.record_failure(session, username, address)
        audit.append(session, actor=username[:64], agency_code=user.agency.code if user else None,
                     action="auth.login_failed", object_type="user", object_id=user.id if user else None,
                     detail={"address": address, "reason": reason})
        return LoginOutcome(None)
    login_throttle.clear(session, username, address)
    audit.append(session, actor=username, agency_code=user.agency.code, action="auth.login",
                 object_type="user", object_id=user.id, detail={"address": address})
    return LoginOutcome(user)


def create_token(session: Session, username: str, actor: str = "system") -> str:
    """Make a token for `username`; the plain token is returned once and never stored."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise errors.NotFound(f"用户「{username}」不存在。")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, token_hash=hash_token(token))
    session.add(row)
    session.flush()
    audit.append(session, actor=actor, action="token.create", object_type="user", object_id=user.id,
                 detail={"token_id": row.id})
    return token


def user_for_token(session: Session, token: str, db=None) -> User | None:
    """The active user a token belongs to; records its use (at most every few minutes)."""
    row = session.scalar(select(ApiToken).where(ApiToken.token_hash == hash_token(token)))
    if row is None or row.revoked_at is not None or not row.user.active:
        return None
    now = utcnow()
    if db is not None and (row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH):
        with db.transaction() as s:
            s.get(ApiToken, row.id).last_used_at = now
    return row.user


def revoke_tokens(session: Session, username: str, actor: str, token_id: int | None = None) -> int:
    """Revoke all (or one) of a user's tokens; returns how many."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise errors.NotFound(f"用户「{username}」不存在。")
    q = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if token_id is not None:
        q = q.where(ApiToken.id == token_id)
    rows = session.scalars(q).all()
    for row in rows:
        row.revoked_at = utcnow()
    audit.append(session, actor=actor, action="token.revoke", object_type="user", object_id=user.id,
                 detail={"tokens": [r.id for r in rows]})
    return len(rows)


def set_active(session: Session, username: str, active: bool, actor: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise errors.NotFound(f"用户「{username}」不存在。")
    user.active = active
    if not active:
        revoke_tokens(session, username, actor)
        user_sessions.end_all(session, user.id, "disabled", actor)
    audit.append(session, actor=actor, action="user.enable" if active else "user.disable", object_type="user",
                 object_id=user.id, detail={"username": username})
    return user


def set_password(session: Session, username: str, password: str, actor: str,
                 keep_session_id: int | None = None) -> None:
    """Set a new password and end the user's sessions (all but `keep_session_id`, the session of a
    user changing their own password), so a copied cookie stops working."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise errors.NotFound(f"用户「{username}」不存在。")
    if len(password) < 8:
        raise errors.Validation("密码至少8个字符。", fields={"password": "至少8个字符"})
    user.password_hash = generate_password_hash(password, method="scrypt")
    audit.append(session, actor=actor, agency_code=user.agency.code, action="user.password", object_type="user",
                 object_id=user.id)
    user_sessions.end_all(session, user.id, "password", actor, keep_id=keep_session_id)


def set_role(session: Session, username: str, role: str, actor: str) -> User:
    """Change a user's role; their sessions end, so the new role applies from the next sign-in."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise errors.NotFound(f"用户「{username}」不存在。")
    if role not in ROLES:
        raise errors.Validation("角色应为：" + "、".join(ROLES) + "。", fields={"role": "角色不存在"})
    if role == user.role:
        return user
    old, user.role = user.role, role
    audit.append(session, actor=actor, agency_code=user.agency.code, action="user.role", object_type="user",
                 object_id=user.id, detail={"username": username, "from": old, "to": role})
    user_sessions.end_all(session, user.id, "role", actor)
    return user
