"""Users and API tokens. Passwords are hashed with scrypt (werkzeug); tokens are random
256-bit strings shown once and stored as SHA-256 (a token has enough entropy that a fast hash
is the right one)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from .. import audit
from ..core import errors
from ..core.db import utcnow
from ..models import ROLES, Agency, ApiToken, User
from . import login_throttle, user_sessions
from .access import Action, require, require_admin_of
from .actor import Actor

if TYPE_CHECKING:
    from ..core.context import Archive

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


# --- Services for the doors (pages, API): each takes (archive, actor, …) and owns its transaction.

PASSWORD_RULES = ("至少 8 个字符", "不能与用户名相同", "不能与当前密码相同", "两次输入的新密码一致")


def acting_user(session: Session, actor: Actor) -> User:
    """The `User` row of a signed-in actor, loaded in the service's own session."""
    user = session.scalar(select(User).where(User.username == actor.username))
    if user is None or not user.active:
        raise errors.Unauthenticated()
    return user


def active_user(session: Session, user_id: int) -> User | None:
    """The user behind a sign-in cookie, if the account is still active."""
    user = session.get(User, user_id)
    return user if user is not None and user.active else None


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise errors.NotFound(f"用户「{username}」不存在。")
    return user


def tokens_of(session: Session, actor: Actor) -> list[ApiToken]:
    """The actor's own API tokens (revoked ones included), oldest first."""
    return list(session.scalars(select(ApiToken).join(User).where(User.username == actor.username)
                                .order_by(ApiToken.id)).all())


def agency_users(session: Session, agency_id: int) -> list[User]:
    """The users an administrator manages: those of their own agency."""
    return list(session.scalars(select(User).where(User.agency_id == agency_id).order_by(User.username)).all())


def password_problems(user: User, current: str, new: str, repeat: str) -> dict[str, str]:
    """Every problem with a password change at once (the rules the page shows)."""
    problems: dict[str, str] = {}
    if not current or not check_password_hash(user.password_hash, current):
        problems["current_password"] = "当前密码不正确"  # noqa: S105
    if len(new) < 8:
        problems["new_password"] = "新密码至少 8 个字符"  # noqa: S105
    elif new.casefold() == user.username.casefold():
        problems["new_password"] = "新密码不能与用户名相同"  # noqa: S105
    elif current and new == current:
        problems["new_password"] = "新密码不能与当前密码相同"  # noqa: S105
    if new != repeat:
        problems["repeat_password"] = "两次输入的新密码不一致"  # noqa: S105
    return problems


def change_own_password(archive: Archive, actor: Actor, current: str, new: str, repeat: str,
                        keep_session_id: int | None = None) -> None:
    """A user changes their own password; other sessions end, this one stays. Raises VALIDATION
    with every problem at once; a wrong current password is worth a trace on the audit trail."""
    with archive.db.transaction() as s:
        user = acting_user(s, actor)
        problems = password_problems(user, current, new, repeat)
        if not problems:
            set_password(s, user.username, new, actor=actor.username, keep_session_id=keep_session_id)
            return
        if "current_password" in problems:
            audit.append(s, actor=actor.username, agency_code=user.agency.code,
                         action="user.password_refused", object_type="user", object_id=user.id)
    raise errors.Validation("密码没有修改：" + "；".join(problems.values()) + "。", fields=problems)


def new_own_token(archive: Archive, actor: Actor) -> str:
    """A new API token for the actor; the plain token is returned once."""
    with archive.db.transaction() as s:
        return create_token(s, acting_user(s, actor).username, actor=actor.username)


def revoke_own_token(archive: Archive, actor: Actor, token_id: int) -> int:
    """Revoke one of the actor's own tokens; 0 if it is not theirs or already revoked."""
    with archive.db.transaction() as s:
        return revoke_tokens(s, acting_user(s, actor).username, actor=actor.username, token_id=token_id)


def admin_add_user(archive: Archive, actor: Actor, username: str, agency_code: str, role: str, password: str,
                   display_name: str | None = None) -> None:
    """An administrator adds a user to their own agency."""
    with archive.db.transaction() as s:
        admin = acting_user(s, actor)
        agency_id = s.scalar(select(Agency.id).where(Agency.code == agency_code))
        if agency_id is not None:  # an unknown code is a VALIDATION error of create_user
            require_admin_of(admin, agency_id)
        else:
            require(admin, Action.ADMINISTER)
        create_user(s, username, agency_code, role, password, display_name, actor=actor.username)


def check_manages(session: Session, admin: User, username: str) -> User:
    """The user `username` if `admin` may manage them (own agency): NOT_FOUND or FORBIDDEN otherwise.
    Pages call it before the form action, so a refusal is a 403 page, not a banner."""
    require(admin, Action.ADMINISTER)
    user = _user(session, username)
    require_admin_of(admin, user.agency_id)
    return user


def _managed(s: Session, actor: Actor, username: str, not_self: str | None = None) -> User:
    admin = acting_user(s, actor)
    user = check_manages(s, admin, username)
    if not_self and user.id == admin.id:
        raise errors.Forbidden(not_self)
    return user


def admin_set_active(archive: Archive, actor: Actor, username: str, active: bool) -> None:
    """An administrator enables or disables a user of their agency (not themself)."""
    with archive.db.transaction() as s:
        _managed(s, actor, username, "不能停用自己的账户。")
        set_active(s, username, active, actor=actor.username)


def admin_reset_password(archive: Archive, actor: Actor, username: str, password: str) -> None:
    """An administrator sets a new password for a user of their agency; that user's sessions end."""
    with archive.db.transaction() as s:
        _managed(s, actor, username)
        set_password(s, username, password, actor=actor.username)


def admin_set_role(archive: Archive, actor: Actor, username: str, role: str) -> None:
    """An administrator changes the role of a user of their agency (not their own)."""
    with archive.db.transaction() as s:
        _managed(s, actor, username, "不能更改自己的角色。")
        set_role(s, username, role, actor=actor.username)


@dataclass(frozen=True)
class SignIn:
    user_id: int | None
    sid: str | None  # the cookie's session id (only its hash is stored)
    wait_seconds: int = 0


def sign_in(archive: Archive, username: str, password: str, address: str | None,
            user_agent: str | None) -> SignIn:
    """Check the password (throttled, audited) and open a server-side session on success."""
    with archive.db.transaction() as s:
        outcome = authenticate(s, username, password, address)
        if outcome.user is None:
            return SignIn(None, None, outcome.wait_seconds)
        return SignIn(outcome.user.id, user_sessions.start(s, outcome.user, address, user_agent))
