"""Log-in throttling per user name *and* address, with backoff (issue 11 item 15).

A hard lock on the account told an attacker which names exist (only those got "locked") and let
anyone lock a known user out from anywhere. Instead failures are counted per (name, address) pair
— for unknown names exactly as for known ones — and after `FREE_FAILURES` the pair must wait,
30 s doubling per further failure up to `MAX_WAIT`. The user signing in from their own desk is not
affected by someone guessing from elsewhere. A success clears the pair; a quiet hour forgets it.
Only the SHA-256 of the pair is stored.
"""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core.db import utcnow
from ..models import LoginThrottle

FREE_FAILURES = 5
FIRST_WAIT = timedelta(seconds=30)
MAX_WAIT = timedelta(minutes=15)
FORGET_AFTER = timedelta(hours=1)


def _key(username: str, address: str | None) -> str:
    return hashlib.sha256(f"{username.strip().lower()}|{address or '-'}".encode()).hexdigest()


def wait_seconds(session: Session, username: str, address: str | None, now: datetime | None = None) -> int:
    """Seconds this name must wait from this address before the next attempt (0: may try now)."""
    now = now or utcnow()
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == _key(username, address)))
    if row is None or row.blocked_until is None or row.blocked_until <= now:
        return 0
    return max(1, int((row.blocked_until - now).total_seconds() + 0.999))


def record_failure(session: Session, username: str, address: str | None, now: datetime | None = None) -> None:
    now = now or utcnow()
    key = _key(username, address)
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == key))
    if row is None:
        row = LoginThrottle(key=key, failures=0, last_failure_at=now)
        session.add(row)
    elif now - row.last_failure_at > FORGET_AFTER:
        row.failures, row.blocked_until = 0, None
    row.failures += 1
    row.last_failure_at = now
    if row.failures >= FREE_FAILURES:
        wait = min(FIRST_WAIT * 2 ** (row.failures - FREE_FAILURES), MAX_WAIT)
        row.blocked_until = now + wait
    session.flush()


def clear(session: Session, username: str, address: str | None) -> None:
    row = session.scalar(select(LoginThrottle).where(LoginThrottle.key == _key(username, address)))
    if row is not None:
        session.delete(row)
