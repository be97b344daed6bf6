"""Liaison officers (安康办法 第八条; 未央 三(六)): per agency and unit (科室) a 分管领导 and a
联络员, filed with the agency's reform office — data (`Agency.reform_office`: Ankang's
安康市行政审批制度改革工作领导小组办公室, Weiyang's 区审改办), not a constant.

「联络员原则上不允许随意调换，如有特殊原因确需变动更换的，所在单位须提前五个工作日报…备案」: a change
needs its stated special reason and is filed at least five working days before it takes effect —
there is no waiver; a late filing is refused naming the earliest allowed date. A 分管领导 change is
filed as such (the letter says 分管领导). History is kept: a change ends the predecessor's term the
day before the successor's begins."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit, documents
from ..core import errors, localtime
from ..core.context import Archive
from ..documents import values as doc_values
from ..intake import Actor
from ..models import POSITIONS, Agency, LiaisonOfficer
from ..workdays import Calendar

NOTICE_DAYS = 5


def reform_office(agency: Agency) -> str:
    """Where the agency files its liaison officers; refused until an administrator has set it."""
    if not agency.reform_office:
        raise errors.Validation(f"「{agency.name}」尚未设置备案机关（审改办），请管理员先在联络员页面设置。",
                                fields={"reform_office": "未设置备案机关"})
    return agency.reform_office


def set_reform_office(archive: Archive, actor: Actor, name: str) -> None:
    """An administrator names the reform office its agency files with (第八条; 未央 三（六）)."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise errors.Validation("请填写备案机关名称（不超过 100 字）。", fields={"reform_office": "请填写备案机关"})
    with archive.db.transaction() as s:
        agency = s.scalar(select(Agency).where(Agency.code == actor.agency_code))
        old, agency.reform_office = agency.reform_office, name
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="liaison.reform_office",
                     object_type="agency", object_id=agency.code, detail={"from": old, "to": name})


def _active_or_pending(session: Session, agency_id: int, unit: str, position: str, on: date) -> LiaisonOfficer | None:
    """The holder whose term covers `on` or starts later (the one a new filing replaces)."""
    q = (select(LiaisonOfficer).where(LiaisonOfficer.agency_id == agency_id, LiaisonOfficer.unit_name == unit,
                                      LiaisonOfficer.position == position)
         .where((LiaisonOfficer.effective_to.is_(None)) | (LiaisonOfficer.effective_to >= on))
         .order_by(LiaisonOfficer.effective_from.desc()))
    return session.scalars(q).first()


def file_change(archive: Archive, actor: Actor, data: dict, today: date | None = None) -> int:
    """File a 分管领导 or 联络员 (first filing or change); returns the new row's id."""
    today = today or localtime.today()
    problems: dict[str, str] = {}
    unit = str(data.get("unit_name") or "").strip()
    position = str(data.get("position") or "")
    name = str(data.get("name") or "").strip()
    if not unit or len(unit) > 100:
        problems["unit_name"] = "请填写科室（不超过 100 字）"
    if position not in POSITIONS:
        problems["position"] = "职务应为 leader（分管领导）或 liaison（联络员）"
    if not name or len(name) > 64:
        problems["name"] = "请填写姓名"
    try:
        effective = date.fromisoformat(str(data.get("effective_from") or ""))
    except ValueError:
        effective = None
        problems["effective_from"] = "生效日期格式应为 YYYY-MM-DD"
    reason = str(data.get("reason") or "").strip()[:300] or None  # the special reason of a change
    contact = {k: (str(data.get(k) or "").strip()[:64] or None) for k in ("title", "phone", "mobile")}
    with archive.db.session() as s:
        agency = s.scalar(select(Agency).where(Agency.code == actor.agency_code))
        earliest = Calendar.from_db(s).deadline(today, NOTICE_DAYS)
        previous = None
        if effective is not None and not problems:
            previous = _active_or_pending(s, agency.id, unit, position, effective)
            if effective < today:
                problems["effective_from"] = "生效日期不能早于今天"
            elif previous is not None and previous.effective_from >= effective:
                problems["effective_from"] = f"生效日期须晚于现任（{previous.name}，{previous.effective_from} 起）"
            elif previous is not None and effective < earliest.deadline:
                problems["effective_from"] = (
                    f"变更须提前{NOTICE_DAYS}个工作日报备（第八条）："
                    f"今天报备，最早 {earliest.deadline:%Y年%m月%d日} 生效"
                    + ("（该年节假日安排未载入，按周一至周五计算）" if not earliest.schedule_known else ""))
        if previous is not None and not reason:
            problems["reason"] = "请说明确需变动更换的特殊原因（第八条「如有特殊原因确需变动更换的」）"
        if problems:
            raise errors.Validation("联络员备案有误——" + "；".join(problems.values()) + "。", fields=problems)
        letter = None
        if previous is not None and data.get("letter", True):
            letter = {"receiver": reform_office(agency), "role": POSITIONS[position], "unit_name": unit,
                      "old_name": previous.name, "new_name": name,
                      "new_title": contact["title"] or POSITIONS[position],
                      "new_phone": contact["phone"] or contact["mobile"] or "—",
                      "effective_on": effective.isoformat(), "reason": reason}
            doc_values.check(documents.get("liaison-change-letter"), letter, s)
        agency_id, previous_id = agency.id, previous.id if previous else None
    doc = documents.issue(archive, "liaison-change-letter", letter, actor, today) if letter else None
    with archive.db.transaction() as s:
        if previous_id is not None:
            s.get(LiaisonOfficer, previous_id).effective_to = effective - timedelta(days=1)
        row = LiaisonOfficer(agency_id=agency_id, unit_name=unit, position=position, name=name, **contact,
                             effective_from=effective, filed_on=today, earliest_on=earliest.deadline,
                             schedule_known=earliest.schedule_known,
                             exception_reason=reason,
                             document_id=doc.id if doc else None, filed_by=actor.username)
        s.add(row)
        s.flush()
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="liaison.file",
                     object_type="liaison", object_id=row.id,
                     detail={"unit": unit, "position": position, "name": name, "effective_from": effective.isoformat(),
                             "replaces": previous_id, "reason": row.exception_reason})
        return row.id


def current(session: Session, agency_code: str | None = None, on: date | None = None) -> list[LiaisonOfficer]:
    """Who holds each position on `on` (today by default), both agencies unless one is named."""
    on = on or localtime.today()
    q = select(LiaisonOfficer).join(Agency).where(
        LiaisonOfficer.effective_from <= on,
        (LiaisonOfficer.effective_to.is_(None)) | (LiaisonOfficer.effective_to >= on))
    if agency_code:
        q = q.where(Agency.code == agency_code)
    return list(session.scalars(q.order_by(Agency.code, LiaisonOfficer.unit_name, LiaisonOfficer.position)))


def pending(session: Session, agency_code: str, on: date | None = None) -> list[LiaisonOfficer]:
    on = on or localtime.today()
    q = select(LiaisonOfficer).join(Agency).where(Agency.code == agency_code, LiaisonOfficer.effective_from > on)
    return list(session.scalars(q.order_by(LiaisonOfficer.effective_from)))


def history(session: Session, agency_code: str) -> list[LiaisonOfficer]:
    q = select(LiaisonOfficer).join(Agency).where(Agency.code == agency_code)
    return list(session.scalars(q.order_by(LiaisonOfficer.unit_name, LiaisonOfficer.position,
                                           LiaisonOfficer.effective_from.desc())))


def describe(row: LiaisonOfficer) -> dict:
    return {"id": row.id, "agency": row.agency.code, "unit_name": row.unit_name, "position": row.position,
            "position_label": POSITIONS[row.position], "name": row.name, "title": row.title, "phone": row.phone,
            "mobile": row.mobile, "effective_from": row.effective_from.isoformat(),
            "effective_to": row.effective_to.isoformat() if row.effective_to else None,
            "filed_on": row.filed_on.isoformat(), "earliest_on": row.earliest_on.isoformat(),
            "schedule_known": row.schedule_known, "reason": row.exception_reason,
            "document": row.document.doc_no if row.document else None}


def filing_form(archive: Archive, actor: Actor, unit_name: str, today: date | None = None) -> int:
    """Issue the 联络员备案表 of one unit from its current (or next) 分管领导 and 联络员; returns the
    document id. Both positions must be on file."""
    today = today or localtime.today()
    with archive.db.session() as s:
        agency = s.scalar(select(Agency).where(Agency.code == actor.agency_code))
        holders = {p: _active_or_pending(s, agency.id, unit_name, p, today) for p in POSITIONS}
        missing = [POSITIONS[p] for p, row in holders.items() if row is None]
        if missing:
            raise errors.Validation(f"「{unit_name}」尚未备案{'、'.join(missing)}，无法生成备案表。",
                                    fields={"unit_name": "缺少" + "、".join(missing)})
        leader, officer = holders["leader"], holders["liaison"]
        data = {"receiver": reform_office(agency), "unit_name": unit_name, "leader_name": leader.name,
                "leader_title": leader.title or "分管领导", "leader_phone": leader.phone or leader.mobile or "—",
                "liaison_name": officer.name, "liaison_title": officer.title or "联络员",
                "liaison_phone": officer.phone or "—", "liaison_mobile": officer.mobile or "—",
                "effective_on": max(leader.effective_from, officer.effective_from).isoformat()}
    return documents.issue(archive, "liaison-filing-form", data, actor, today).id
