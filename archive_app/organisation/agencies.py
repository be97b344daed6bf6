"""Agencies, units and matters: data, not code (DESIGN.md §2.1). One door for the CLI and the
admin pages; every change is on the audit trail."""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors
from ..models import Agency, Matter, Unit
from .access import Action, require, require_admin_of
from .users import acting_user

if TYPE_CHECKING:
    from ..core.context import Archive
    from .actor import Actor

CODE = re.compile(r"^[A-Z0-9][A-Z0-9-]{0,15}$")


def _code(value: str, label: str, problems: dict, key: str) -> str:
    value = (value or "").strip().upper()
    if not CODE.match(value):
        problems[key] = f"{label}只能由大写字母、数字和连字符组成（最长16位）"
    return value


def _agency(session: Session, code: str) -> Agency:
    agency = session.scalar(select(Agency).where(Agency.code == code))
    if agency is None:
        raise errors.Validation(f"单位代码「{code}」不存在。", fields={"agency": "不存在"})
    return agency


def add_agency(session: Session, code: str, name: str, fonds: str, prefix: str | None, actor: str) -> Agency:
    problems: dict[str, str] = {}
    code, fonds = _code(code, "单位代码", problems, "code"), _code(fonds, "全宗号", problems, "fonds")
    if not (name or "").strip():
        problems["name"] = "请填写单位名称"
    if session.scalar(select(Agency).where((Agency.code == code) | (Agency.fonds_code == fonds))):
        problems["code"] = f"单位代码 {code} 或全宗号 {fonds} 已存在"
    if problems:
        raise errors.Validation("；".join(problems.values()) + "。", fields=problems)
    agency = Agency(code=code, name=name.strip(), fonds_code=fonds, doc_prefix=(prefix or "").strip() or None)
    session.add(agency)
    session.flush()
    audit.append(session, actor=actor, action="agency.create", object_type="agency", object_id=code,
                 detail={"name": agency.name, "fonds": fonds})
    return agency


def add_unit(session: Session, agency_code: str, code: str, name: str, is_default: bool, actor: str) -> Unit:
    agency = _agency(session, agency_code)
    problems: dict[str, str] = {}
    code = _code(code, "机构代码", problems, "code")
    if not (name or "").strip():
        problems["name"] = "请填写科室名称"
    if session.scalar(select(Unit).where(Unit.agency_id == agency.id, Unit.code == code)):
        problems["code"] = f"{agency.code} 已有机构代码 {code}"
    if problems:
        raise errors.Validation("；".join(problems.values()) + "。", fields=problems)
    unit = Unit(agency_id=agency.id, code=code, name=name.strip(), is_default=is_default)
    session.add(unit)
    session.flush()
    audit.append(session, actor=actor, action="unit.create", object_type="unit", object_id=f"{agency.code}/{code}",
                 detail={"name": unit.name})
    return unit


def parse_date(value: str | None, label: str = "日期", field: str = "date") -> date | None:
    """An ISO date typed by a person, or a VALIDATION naming what was asked for."""
    if not value:
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError as exc:
        raise errors.Validation(f"{label}格式应为 YYYY-MM-DD。", fields={field: "格式 YYYY-MM-DD"}) from exc


def parse_transfer_date(value: str | None) -> date | None:
    return parse_date(value, "划转日期", "transfer_date")


def add_matter(session: Session, code: str, name: str, department: str, approving: str, transfer_date: date | None,
               time_limit: int | None, actor: str, department_unit: str | None = None,
               approving_unit: str | None = None) -> Matter:
    problems: dict[str, str] = {}
    code = _code(code, "事项代码", problems, "code")
    if not (name or "").strip():
        problems["name"] = "请填写事项名称"
    if session.scalar(select(Matter).where(Matter.code == code)):
        problems["code"] = f"事项代码 {code} 已存在"
    if time_limit is not None and not 1 <= time_limit <= 365:
        problems["time_limit"] = "承诺时限应为 1 至 365 个工作日"
    if problems:
        raise errors.Validation("；".join(problems.values()) + "。", fields=problems)
    dep, appr = _agency(session, department), _agency(session, approving)

    def unit_id(agency: Agency, unit_code: str | None) -> int | None:
        if not unit_code:
            return None
        unit = session.scalar(select(Unit).where(Unit.agency_id == agency.id, Unit.code == unit_code.upper()))
        if unit is None:
            raise errors.Validation(f"{agency.code} 没有机构代码为 {unit_code} 的科室。")
        return unit.id

    matter = Matter(code=code, name=name.strip(), department_id=dep.id, approving_agency_id=appr.id,
                    transfer_date=transfer_date, time_limit_days=time_limit,
                    department_unit_id=unit_id(dep, department_unit), approving_unit_id=unit_id(appr, approving_unit))
    session.add(matter)
    session.flush()
    audit.append(session, actor=actor, action="matter.create", object_type="matter", object_id=code,
                 detail={"name": matter.name, "department": dep.code, "approving": appr.code,
                         "transfer_date": str(transfer_date) if transfer_date else None})
    return matter


# --- Reads and services for the admin pages: each service takes (archive, actor, …), checks the
# access policy, owns its transaction and writes its audit entry (through the steps above).

def agencies(session: Session) -> list[Agency]:
    return list(session.scalars(select(Agency).order_by(Agency.code)).all())


def agency_id(session: Session, code: str) -> int | None:
    """The id of the agency with this code, or None."""
    return session.scalar(select(Agency.id).where(Agency.code == code))


def matter(session: Session, code: str) -> Matter:
    """The matter with this code, or NOT_FOUND."""
    found = session.scalar(select(Matter).where(Matter.code == code))
    if found is None:
        raise errors.NotFound(f"事项代码「{code}」不存在。")
    return found


def _admin(session: Session, actor: Actor):
    user = acting_user(session, actor)
    require(user, Action.ADMINISTER)
    return user


def new_agency(archive: Archive, actor: Actor, code: str, name: str, fonds: str, prefix: str | None) -> None:
    with archive.db.transaction() as s:
        _admin(s, actor)
        add_agency(s, code, name, fonds, prefix, actor=actor.username)


def new_unit(archive: Archive, actor: Actor, agency_code: str, code: str, name: str, is_default: bool) -> None:
    """A unit of the administrator's own agency."""
    with archive.db.transaction() as s:
        admin = _admin(s, actor)
        target = agency_id(s, agency_code)
        if target is not None:  # an unknown code is a VALIDATION error of add_unit
            require_admin_of(admin, target)
        add_unit(s, agency_code, code, name, is_default, actor=actor.username)


def new_matter(archive: Archive, actor: Actor, code: str, name: str, department: str, approving: str,
               transfer_date: date | None, time_limit: int | None) -> None:
    """A matter of which the administrator's agency is the department or the approving agency."""
    if actor.agency_code not in (department, approving):
        raise errors.Forbidden("只能添加本单位作为原主管部门或审批单位的事项。")
    with archive.db.transaction() as s:
        _admin(s, actor)
        add_matter(s, code, name, department, approving, transfer_date, time_limit, actor.username)
