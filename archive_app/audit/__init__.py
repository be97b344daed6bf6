"""Append-only, hash-chained audit trail (DESIGN.md §3 security; §5; docs/security.md).

Each entry's hash covers the previous entry's hash and its own canonical fields, so changing,
removing or inserting any row breaks the chain from that row on; `verify` names the first broken
entry. The database refuses UPDATE and DELETE on the table (triggers in the initial migration),
and appends are serialised so the chain never forks.

Keyed chain (issue 11 item 16): a plain SHA-256 chain can be recomputed by whoever can write the
table. So entries are hashed with HMAC-SHA-256 under a key kept *outside* the database
(`audit_key`, a file beside — better: away from — the database). Installations that began
without a key keep verifying: their early entries stay plain SHA-256, and from the first entry
written with the key (entry N) every entry must verify under the key — a keyed chain never
falls back. Cutting entries off the end, or recomputing the whole tail, is caught by comparing
with a checkpoint the operator keeps elsewhere (`checkpoint` / `verify_checkpoint`).
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, func, or_, select, text
from sqlalchemy.orm import Session

from ..core import errors, localtime
from ..core.db import utcnow
from ..core.spreadsheet_cells import SafeCsvWriter
from ..models import Agency, AuditEntry, User
from . import labels as audit_labels

GENESIS = "0" * 64


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)


def entry_hash(prev_hash: str, at: str, actor: str, agency_code: str | None, action: str,
               object_type: str | None, object_id: str | None, detail: str, key: bytes | None = None) -> str:
    """HMAC-SHA-256 under `key`; plain SHA-256 (entries of the time before the key) without."""
    payload = _canonical([prev_hash, at, actor, agency_code, action, object_type, object_id, detail]).encode("utf-8")
    if key is not None:
        return hmac.new(key, payload, hashlib.sha256).hexdigest()
    return hashlib.sha256(payload).hexdigest()


def session_key(session: Session) -> bytes | None:
    """The audit key the archive's sessions carry (db.Database sets it from the key file)."""
    return session.info.get("audit_key")


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
        hash=entry_hash(prev, at, actor, agency_code, action, object_type, oid, detail_json, session_key(session)),
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
    keyed_from: int | None = None  # id of the first entry hashed with the key (None: none is)
    head_id: int | None = None
    head_hash: str | None = None

    @property
    def ok(self) -> bool:
        return self.first_broken_id is None


def verify(session: Session, batch: int = 5000, key: bytes | None = None) -> ChainReport:
    """Walk the chain in id order; report the first entry whose hash or link is wrong. Entries
    before the first keyed one may be plain SHA-256; from it on, each must verify under the key."""
    key = key if key is not None else session_key(session)
    prev, count, last_id, keyed_from = GENESIS, 0, 0, None
    while True:
        rows = session.scalars(
            select(AuditEntry).where(AuditEntry.id > last_id).order_by(AuditEntry.id).limit(batch)
        ).all()
        if not rows:
            return ChainReport(count, None, None, keyed_from, last_id or None, None if prev == GENESIS else prev)
        for e in rows:
            if e.prev_hash != prev:
                return ChainReport(count, e.id, "链接断开：前一条记录缺失或被改动", keyed_from)
            fields = (e.prev_hash, e.at, e.actor, e.agency_code, e.action, e.object_type, e.object_id, e.detail)
            if key is not None and hmac.compare_digest(entry_hash(*fields, key=key), e.hash):
                keyed_from = keyed_from or e.id
            elif entry_hash(*fields) == e.hash and keyed_from is None:
                pass  # an entry of the time before the key
            elif keyed_from is not None and entry_hash(*fields) == e.hash:
                return ChainReport(count, e.id, "该条记录未用审计密钥计算（此前的记录已使用密钥）："
                                   "疑被删改后重新计算哈希", keyed_from)
            else:
                return ChainReport(count, e.id, "内容与哈希值不符：该条记录被改动，或所用审计密钥不是建链时的密钥",
                                   keyed_from)
            prev, count, last_id = e.hash, count + 1, e.id


def checkpoint(session: Session) -> dict[str, Any]:
    """The chain's head now — keep it away from the database (print it, mail it, write it to
    another machine). A later `verify_checkpoint` finds any truncation or recomputation since."""
    report = verify(session)
    if not report.ok:
        raise ValueError(f"审计日志第 {report.first_broken_id} 条有问题：{report.problem}")
    body = {"entries": report.entries, "head_id": report.head_id, "head_hash": report.head_hash,
            "made_at": utcnow().isoformat(timespec="seconds") + "Z"}
    key = session_key(session)
    if key is not None:
        body["mac"] = hmac.new(key, _canonical(body).encode("utf-8"), hashlib.sha256).hexdigest()
    return body


def verify_checkpoint(session: Session, point: dict[str, Any], report: ChainReport | None = None) -> str | None:
    """None if the chain still contains the checkpoint's head unchanged, else what is wrong."""
    report = report or verify(session)
    if not report.ok:
        return f"第 {report.first_broken_id} 条：{report.problem}"
    key = session_key(session)
    if "mac" in point and key is not None:
        body = {k: v for k, v in point.items() if k != "mac"}
        if not hmac.compare_digest(hmac.new(key, _canonical(body).encode("utf-8"), hashlib.sha256).hexdigest(),
                                   str(point["mac"])):
            return "检查点文件本身被改动（校验码不符）"
    if not point.get("head_id"):
        return None  # a checkpoint of an empty chain: anything since is fine
    head = session.get(AuditEntry, int(point["head_id"]))
    if head is None:
        return f"检查点记录的第 {point['head_id']} 条已不存在：审计日志被截断"
    if head.hash != point.get("head_hash"):
        return f"第 {point['head_id']} 条的哈希值与检查点不符：审计日志被删改后重新计算"
    upto = session.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.id <= head.id))
    if upto != point.get("entries"):
        return f"检查点时有 {point.get('entries')} 条记录，现在同一范围内有 {upto} 条：有记录被删除或插入"
    return None


@dataclass(frozen=True)
class Filters:
    actor: str | None = None
    action: str | None = None
    object_type: str | None = None
    object_id: str | None = None
    date_from: str | None = None  # stored-UTC ISO bound (or YYYY-MM-DD), inclusive
    date_to: str | None = None
    # An administrator sees their own agency's entries and those of no agency (operator acts,
    # failed log-ins of unknown names) — never the other agency's (issue 11 item 3).
    viewer_agency: str | None = None

    @classmethod
    def from_args(cls, args: Mapping[str, str], viewer_agency: str | None, *, local_days: bool = True) -> Filters:
        """The filters a person typed (the audit page and its CSV export). With `local_days` the
        dates are calendar days in the configured zone (北京时间), turned into stored UTC bounds;
        without, they are kept as typed (to show them back in the form)."""
        date_from, date_to = args.get("date_from") or None, args.get("date_to") or None
        if local_days:
            date_from, date_to = _utc_bound(date_from, False), _utc_bound(date_to, True)
        return cls(actor=args.get("actor") or None, action=args.get("action") or None,
                   object_type=args.get("object_type") or None, object_id=args.get("object_id") or None,
                   date_from=date_from, date_to=date_to, viewer_agency=viewer_agency)


def _utc_bound(day: str | None, end: bool) -> str | None:
    """A local calendar day as the stored UTC ISO bound: start of the day, or its last instant."""
    if not day:
        return None
    try:
        start = datetime.combine(date.fromisoformat(day), time.min, localtime.zone())
    except ValueError as exc:
        raise errors.Validation("日期应为 YYYY-MM-DD 格式。", fields={"date": "YYYY-MM-DD"}) from exc
    bound = start + timedelta(days=1, microseconds=-1) if end else start
    return bound.astimezone(UTC).replace(tzinfo=None).isoformat(timespec="microseconds")


def _where(q: Select, filters: Filters) -> Select:
    """The conditions of `filters`, the one place both the listing and its count use."""
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
    return q


def search(session: Session, filters: Filters, limit: int = 200, offset: int = 0) -> list[AuditEntry]:
    """Entries matching the filters, newest first (the audit page and its CSV export)."""
    q = _where(select(AuditEntry), filters)
    return list(session.scalars(q.order_by(AuditEntry.id.desc()).offset(offset).limit(limit)).all())


def count(session: Session, filters: Filters) -> int:
    """How many entries match (for 第 N / M 页)."""
    return session.scalar(_where(select(func.count()).select_from(AuditEntry), filters)) or 0


@dataclass(frozen=True)
class Listing:
    entries: list[AuditEntry]
    page: int
    pages: int
    total: int
    agencies: dict[str, str]  # code → name, to show an entry's agency
    names: dict[str, str | None]  # username → display name


def listing(session: Session, filters: Filters, page: int, per_page: int = 100) -> Listing:
    """One page of matching entries, newest first, with the names the page shows beside them."""
    total = count(session, filters)
    pages = max(1, -(-total // per_page))
    page = min(max(1, page), pages)
    return Listing(search(session, filters, limit=per_page, offset=(page - 1) * per_page), page, pages, total,
                   _agency_names(session), dict(session.execute(select(User.username, User.display_name)).all()))


def _agency_names(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Agency.code, Agency.name)).all())


def actors_of(session: Session, agency_id: int) -> list[tuple[str, str]]:
    """(username, label) of the agency's users for the actor picker, plus the console's names."""
    users = session.execute(select(User.username, User.display_name).where(User.agency_id == agency_id)
                            .order_by(User.username)).all()
    actors = [(u.username, f"{u.display_name}（{u.username}）" if u.display_name else u.username) for u in users]
    known = {a for a, _ in actors}
    return actors + [(a, a) for a in ("console", "demo-data") if a not in known]


CSV_COLUMNS = ["序号", "时间", "操作人", "单位", "操作", "对象", "对象编号", "详情", "操作代码", "哈希值"]
CSV_LIMIT = 100_000


def export_csv(session: Session, filters: Filters) -> str:
    """The matching entries as CSV with Chinese headers, UTF-8 with BOM (Excel opens it), local times,
    and no formula from an actor name or a detail (OWASP)."""
    agencies = _agency_names(session)
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    header = list(CSV_COLUMNS)
    header[1] = f"时间（{localtime.zone_label()}）"
    writer.writerow(header)
    for e in search(session, filters, limit=CSV_LIMIT):
        writer.writerow([e.id, localtime.export_datetime(e.at), e.actor,
                         agencies.get(e.agency_code or "", e.agency_code or ""),
                         audit_labels.action_label(e.action), audit_labels.object_label(e.object_type)
                         if e.object_type else "", e.object_id or "", audit_labels.detail_text(e.detail, agencies),
                         e.action, e.hash])
    return "\ufeff" + out.getvalue()
