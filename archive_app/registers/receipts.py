"""收文: what a push brought, filed by the receiver in its own custody when it signs for the push.

第九条（二） 「将特别审查程序联办通知单、委托书及相关材料推送市人力资源和社会保障局」, （六） 「并提供相关
证明材料」 and 第十四条 (the approving agency decides on the department's conclusion) need the
receiver to read what it was sent. As Chinese archive practice does with incoming documents, the
receiver registers each pushed letter, notice or piece of evidence as a 收文 record of its own fonds:
its own 档号, custodian = receiver, 收文日期 = the day it signed, a link to the sender's record and
to the push, category ``received`` (records/custody.py: never moved by a transfer-date correction).

Copied, not granted: the 收文 record is the receiver's own archive item (it keeps it even if the
sender's record later moves), while the bytes are not duplicated — the content-addressed blob
store holds each file once and both records point at it. The sender's record, its custody and
its 档号 do not change. Only the issued files travel (original, PDF copies), not a letter's
editable .docx draft.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core.context import Archive
from ..intake import Actor
from ..intake.pipeline import _unit_for
from ..models import Agency, CustodyChange, IndexJob, Push, Record, RecordText, StoredFile
from ..models.registers import FLOW_CLAUSES
from ..records import archival_code

TRAVELLING_ROLES = ("original", "rendition", "stamped")


def pushed_records(session: Session, push: Push) -> list[Record]:
    """The sender's records a push carries: its letter first, then the chosen records."""
    ids = ([push.document.record_id] if push.document and push.document.record_id else []) \
        + json.loads(push.record_ids or "[]")
    seen, out = set(), []
    for rid in ids:
        if rid in seen:
            continue
        seen.add(rid)
        rec = session.get(Record, rid)
        if rec is not None:
            out.append(rec)
    return out


def file_received(archive: Archive, session: Session, push: Push, actor: Actor, received_on: date) -> list[int]:
    """Inside the caller's transaction: one 收文 record per pushed record; returns their ids."""
    receiver = session.get(Agency, push.receiver_id)
    filed: list[int] = []
    for source in pushed_records(session, push):
        if source.custodian_id == receiver.id:
            continue  # already ours
        existing = session.scalar(select(Record).where(Record.source_record_id == source.id,
                                                       Record.custodian_id == receiver.id))
        if existing is not None:
            filed.append(existing.id)
            continue
        unit = _unit_for(session, source.matter, receiver)
        code = archival_code.allocate(session, receiver.fonds_code, received_on.year, source.retention, unit.code)
        files = [StoredFile(role=f.role, sha256=f.sha256, sm3=f.sm3, size=f.size, media_type=f.media_type,
                            extension=f.extension, display_name=f.display_name)
                 for f in source.files if f.role in TRAVELLING_ROLES]
        record = Record(
            archival_code=str(code), fonds_code=code.fonds, year=code.year, retention=code.retention,
            unit_code=code.unit, item_no=code.item, title=source.title, doc_no=source.doc_no,
            responsible=source.responsible or source.custodian.name, formed_on=source.formed_on,
            doc_type=source.doc_type, security_level=source.security_level, pages=source.pages,
            remarks=f"收文：{source.custodian.name} {source.archival_code}，{FLOW_CLAUSES[push.flow]}推送",
            applicant=source.applicant, applicant_uscc=source.applicant_uscc, original_sha256=None,
            custodian_id=receiver.id, matter_id=source.matter_id, case_id=source.case_id, category="received",
            source_record_id=source.id, push_id=push.id, received_on=received_on,
            filed_by=actor.username, files=files)
        session.add(record)
        session.flush()
        text = session.get(RecordText, source.id)
        session.add(RecordText(record_id=record.id, text=text.text if text else ""))
        session.add(CustodyChange(record_id=record.id, from_agency_id=None, to_agency_id=receiver.id,
                                  reason=f"收文：签收「{push.sender.name}」推送的 {source.archival_code}",
                                  changed_by=actor.username))
        session.add(IndexJob(record_id=record.id, op="upsert"))
        audit.append(session, actor=actor.username, agency_code=actor.agency_code, action="record.file",
                     object_type="record", object_id=record.id,
                     detail={"archival_code": str(code), "custodian": receiver.code, "category": "received",
                             "source_record_id": source.id, "source_archival_code": source.archival_code,
                             "push_id": push.id})
        filed.append(record.id)
    return filed


def received_copies(session: Session, push: Push) -> list[Record]:
    """The receiver's 收文 records of a push."""
    return list(session.scalars(select(Record).where(Record.push_id == push.id).order_by(Record.id)))
