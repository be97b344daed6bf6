"""Append-only, hash-chained audit trail (DESIGN.md §3 security; §5).

Each entry's hash is SHA-256 over the previous entry's hash and its own canonical fields, so
changing, removing or inserting any row breaks the chain from that row on; `verify` names the
first broken entry. The database refuses UPDATE and DELETE on the table (triggers in the
initial migration), and appends are serialised so the chain never forks.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import or_, select, text
from sqlalchemy.orm import Session

from .db import utcnow
from .models import AuditEntry

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, at: str, actor: str, agency_code: str | None, action: str,
               object_type: str | None, object_id: str | None, detail: str) -> str:
    payload = _canonical([prev_hash, at, actor, agency_code, action, object_type, object_id, detail])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(session: Session, *, actor: str, action: str, agency_code: str | None = None,
           object_type: str | None = None, object_id: Any = None,
           detail: dict[str, Any] | None = None) -> AuditEntry:
    """Add an entry inside the caller's write transaction (so it commits with the act itself)."""
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(72263001)"))
    prev = session.scalar(select(AuditEntry.hash).order_by(AuditEntry.id.desc()).limit(1))
    prev = prev or GENESIS
    at = utcnow().isoformat(timespec="microseconds")
    oid = None if object_id is None else str(object_id)
    detail_json = _canonical(detail or {})
    entry = AuditEntry(
        at=at, actor=actor, agency_code=agency_code, action=action, object_type=object_type,
        object_id=oid, detail=detail_json, prev_hash=prev,
        hash=entry_hash(prev, at, actor, agency_code, action, object_type, oid, detail_json),
    )
    session.add(entry)
    session.flush()
    return entry


def search_detail(params: Any, total: int, channel: str) -> dict[str, Any]:
    """What a search asked (query text and every filter set) and how many it found."""
    fields = ("q", "custodian", "matter", "doc_type", "retention", "applicant", "doc_no", "date_from", "date_to",
              "sort", "page")
    asked = {k: getattr(params, k) for k in fields if getattr(params, k, None) not in (None, "")}
    return {**asked, "total": total, "channel": channel}


@dataclass(frozen=True)
class ChainReport:
    entries: int
    first_broken_id: int | None
    problem: str | None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify(session: Session, batch: int = 5000) -> ChainReport:
    """Walk the chain in id order; report the first entry whose hash or link is wrong."""
    prev, count, last_id = GENESIS, 0, 0
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(count, None, None)
        for e in rows:
            if e.prev_hash != prev:
                return ChainReport(count, e.id, "链接断开：前一条记录缺失或被改动")
            expected = entry_hash(e.prev_hash, e.at, e.actor, e.agency_code, e.action,
                                  e.object_type, e.object_id, e.detail)
            if expected != e.hash:
                return ChainReport(count, e.id, "内容与哈希值不符：该条记录被改动")
            prev, count, last_id = e.hash, count + 1, e.id


@dataclass(frozen=True)
class Filters:
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    date_from: str | None = None  # YYYY-MM-DD, inclusive
    date_to: str | None = None
    # An administrator sees their own agency's entries and those of no agency (operator acts,
    # failed log-ins of unknown names) — never the other agency's (issue 11 item 3).
    viewer_agency: str | None = None


def search(session: Session, filters: Filters, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    """Entries matching the filters, newest first (the audit page and its CSV export)."""
    q = select(AuditEntry)
    if filters.viewer_agency:
        q = q.where(or_(AuditEntry.agency_code == filters.viewer_agency, AuditEntry.agency_code.is_(None)))
    if filters.actor:
        q = q.where(AuditEntry.actor == filters.actor)
    if filters.action:
        q = q.where(AuditEntry.action.startswith(filters.action))
    if filters.object_type:
        q = q.where(AuditEntry.object_type == filters.object_type)
    if filters.object_id:
        q = q.where(AuditEntry.object_id == filters.object_id)
    if filters.date_from:
        q = q.where(AuditEntry.at >= filters.date_from)
    if filters.date_to:
        q = q.where(AuditEntry.at < filters.date_to + "T99")  # the whole last day (ISO strings sort)
    return list(session.scalars(q.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)).all())
