"""A case's timeline: events entered by hand plus everything other registers hold about the
case — its records (with the agency keeping each: 安康办法 第十条), issued letters, pushes and
their receipt (第九条, 第六条), special reviews (第十一至十四条) — in date order.

Catalogue data of a record is visible to every signed-in user; `accessible` says whether this
user may open its content now (custodian, or an approved 调阅), so the page offers either the
file or 申请调阅. Push and review details are shown to the agencies party to them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, joinedload

from ..core import localtime
from ..core.citations import cite
from ..models import FLOWS, Agency, Case, CaseEvent, IssuedDocument, Push, Record, SpecialReview, User
from ..organisation.access import case_agency_id, granted_record_ids
from .kinds import label


@dataclass
class Entry:
    date: str
    agency: str | None
    agency_name: str | None
    kind: str
    kind_label: str
    summary: str
    accessible: bool
    record_id: int | None = None
    push_id: int | None = None
    document_id: int | None = None
    review_id: int | None = None
    event_id: int | None = None
    record_ids: list[int] = field(default_factory=list)
    archival_code: str | None = None
    participants: str | None = None
    outcome: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def build(session: Session, case: Case, user: User) -> list[Entry]:
    agencies = {a.id: a for a in session.scalars(select(Agency))}
    granted = granted_record_ids(session, user)
    mine = user.agency_id

    def ag(agency_id: int | None) -> tuple[str | None, str | None]:
        a = agencies.get(agency_id) if agency_id else None
        return (a.code, a.name) if a else (None, None)

    entries: list[tuple[date, int, int, Entry]] = []
    if case.received_on:
        approver = case_agency_id(case.matter, case.received_on, "approval")
        entries.append((case.received_on, 0, 0, Entry(case.received_on.isoformat(), *ag(approver), "received",
                                                       label("received"), f"受理 {case.applicant} 的申请", True)))
    records = session.scalars(select(Record).where(Record.case_id == case.id)).all()
    letters = {d.record_id: d for d in session.scalars(
        select(IssuedDocument).where(IssuedDocument.record_id.in_([r.id for r in records]))).all()} if records else {}
    for r in records:
        doc = letters.get(r.id)
        kind = "letter" if doc else {"received": "incoming", "supervision": "supervision_record"}.get(
            getattr(r, "category", "approval"), "record")
        text = r.title + (f"（{r.doc_no}）" if r.doc_no else "")
        entries.append((r.formed_on, 2, r.id, Entry(
            r.formed_on.isoformat(), *ag(r.custodian_id), kind, label(kind), text,
            r.custodian_id == mine or r.id in granted, record_id=r.id, document_id=doc.id if doc else None,
            archival_code=r.archival_code)))
    for p in session.scalars(select(Push).where(Push.case_id == case.id)).all():
        party = mine in (p.sender_id, p.receiver_id)
        text = f"{FLOWS[p.flow]}：{p.content}" if party else FLOWS[p.flow]
        entries.append((p.sent_on, 3, p.id, Entry(p.sent_on.isoformat(), *ag(p.sender_id), "push", label("push"),
                                                  text, party, push_id=p.id, document_id=p.document_id,
                                                  record_ids=json.loads(p.record_ids))))
        if p.received_at is not None:
            note = f"（接收到审批信息后履行监管职责，{cite('boundary')}）" if p.flow == "approval_result" else ""
            received_on = localtime.to_local(p.received_at).date()  # the day in 北京时间, not UTC's
            entries.append((received_on, 4, p.id, Entry(
                received_on.isoformat(), *ag(p.receiver_id), "push_receipt", label("push_receipt"),
                f"签收{FLOWS[p.flow]}{note}", party, push_id=p.id)))
    for rv in session.scalars(select(SpecialReview).where(SpecialReview.case_id == case.id)).all():
        party = mine in (rv.lead_id, rv.partner_id)  # the partner takes part (第八条（三）)
        entries.append((rv.started_on, 1, rv.id, Entry(
            rv.started_on.isoformat(), *ag(rv.lead_id), "review_start", label("review_start"),
            f"{rv.kind}（期限 {localtime.cn_date(rv.due_on)}）", party, review_id=rv.id,
            document_id=rv.notice_document_id)))
        if rv.concluded_on:
            entries.append((rv.concluded_on, 1, rv.id, Entry(
                rv.concluded_on.isoformat(), *ag(rv.lead_id), "review_conclusion", label("review_conclusion"),
                rv.conclusion or "", party, review_id=rv.id, record_id=rv.conclusion_record_id)))
    events = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id)
                             .options(joinedload(CaseEvent.agency))).all()
    linked = {i for ev in events for i in json.loads(ev.record_ids)}
    rows = session.execute(select(Record.id, Record.custodian_id, Record.archival_code)
                           .where(Record.id.in_(linked))).tuples().all() if linked else []
    keeper = {i: custodian for i, custodian, _ in rows}
    codes = {i: code for i, _, code in rows}  # a linked record reads by its 档号, as it was picked
    for ev in events:
        ids = json.loads(ev.record_ids)
        open_ = all(keeper.get(i) == mine or i in granted for i in ids)
        text = ev.summary
        if ev.decision and ev.decision not in text:
            text = f"{ev.decision}。{text}" if text else ev.decision
        if ev.certificate_no:
            text += f"（许可证号 {ev.certificate_no}" + (f"，有效期至 {localtime.cn_date(ev.valid_until)}）"
                                                       if ev.valid_until else "）")
        entries.append((ev.occurred_on, 1, ev.id, Entry(
            ev.occurred_on.isoformat(), ev.agency.code, ev.agency.name, ev.kind, label(ev.kind), text, open_,
            event_id=ev.id, record_ids=ids, record_id=ids[0] if ids else None,
            archival_code=codes.get(ids[0]) if ids else None,
            participants=ev.participants, outcome=ev.outcome)))
    entries.sort(key=lambda e: (e[0], e[1], e[2]))
    return [e[3] for e in entries]
