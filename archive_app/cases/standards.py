"""审批标准 versions per matter (安康办法 第三条: 市行政审批服务局负责按照市人力资源和社会保障局提供的审批标准
对划转事项行使审批职权; 未央 三（二） 审批标准制定制度).

The department (监管部门) provides a version — title, effective from/until, the filed record holding
the text — and may link the 审批标准传递函 (template `approval-standard-letter`) it issued to send it.
A new version ends the one before it the day before it takes effect. A case shows the version in
force on its 受理 date (`register.standard_in_force`)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit, errors
from ..access import Action, require
from ..citations import cite
from ..models import Agency, ApprovalStandard, IssuedDocument, Matter, Record, User
from .register import parse_date

LETTER_TEMPLATE = "approval-standard-letter"


def matter_or_404(session: Session, code: str) -> Matter:
    matter = session.scalar(select(Matter).where(Matter.code == code))
    if matter is None:
        raise errors.NotFound(f"事项代码「{code}」不存在。")
    return matter


def versions(session: Session, matter: Matter) -> list[ApprovalStandard]:
    return list(session.scalars(select(ApprovalStandard).where(ApprovalStandard.matter_id == matter.id)
                                .order_by(ApprovalStandard.version)))


def require_provider(user: User, matter: Matter) -> None:
    """Only administrators of the matter's department provide its standard (第三条)."""
    require(user, Action.ADMINISTER)
    if user.agency_id != matter.department_id:
        raise errors.Forbidden(f"审批标准由监管部门提供，审批机关按标准实施（{cite('standards')}："
                               "按照市人力资源和社会保障局提供的审批标准对划转事项行使审批职权）；"
                               "只有监管部门的系统管理员可以登记新版本。")


def add(session: Session, user: User, matter: Matter, data: dict[str, Any]) -> ApprovalStandard:
    """A new version, by an administrator of the department that provides the standard."""
    require_provider(user, matter)
    problems: dict[str, str] = {}
    title = str(data.get("title") or "").strip()
    if not title:
        problems["title"] = "请填写审批标准名称"
    elif len(title) > 300:
        problems["title"] = "名称不能超过 300 个字符"
    start = parse_date(data.get("effective_from"), "effective_from", "施行日期", problems)
    until = parse_date(data.get("effective_until"), "effective_until", "废止日期", problems, required=False)
    if start and until and until < start:
        problems["effective_until"] = "废止日期不能早于施行日期"
    record_id = data.get("record_id")
    if record_id not in (None, ""):
        record = session.get(Record, int(record_id)) if str(record_id).isdigit() else None
        if record is None or record.custodian_id != matter.department_id:
            problems["record_id"] = "标准文本须是监管部门已归档的档案"
    document_id = data.get("document_id")
    if document_id not in (None, ""):
        doc = session.get(IssuedDocument, int(document_id)) if str(document_id).isdigit() else None
        if doc is None or doc.template_id != LETTER_TEMPLATE or doc.status != "issued" \
                or doc.agency_id != matter.department_id:
            problems["document_id"] = "须是监管部门已发出的审批标准传递函"
    if problems:
        raise errors.Validation("审批标准信息有误——" + "；".join(problems.values()) + "。", fields=problems)
    assert start is not None
    previous = versions(session, matter)
    if previous and start <= previous[-1].effective_from:
        raise errors.Conflict(f"新版本的施行日期应晚于第 {previous[-1].version} 版的施行日期 "
                              f"{previous[-1].effective_from.isoformat()}。")
    if previous and (previous[-1].effective_until is None or previous[-1].effective_until >= start):
        previous[-1].effective_until = start - timedelta(days=1)
    version = (session.scalar(select(func.max(ApprovalStandard.version))
                              .where(ApprovalStandard.matter_id == matter.id)) or 0) + 1
    row = ApprovalStandard(matter_id=matter.id, version=version, title=title, effective_from=start,
                           effective_until=until, record_id=int(record_id) if record_id not in (None, "") else None,
                           provided_by_id=user.agency_id,
                           document_id=int(document_id) if document_id not in (None, "") else None,
                           created_by=user.username)
    session.add(row)
    session.flush()
    agency = session.get(Agency, user.agency_id)
    audit.append(session, actor=user.username, agency_code=agency.code if agency else None,
                 action="standard.add", object_type="matter", object_id=matter.code,
                 detail={"version": version, "title": title, "effective_from": start.isoformat()})
    return row


def describe(s: ApprovalStandard | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"version": s.version, "title": s.title, "effective_from": s.effective_from.isoformat(),
            "effective_until": s.effective_until.isoformat() if s.effective_until else None,
            "record_id": s.record_id, "provided_by": s.provided_by.code, "document_id": s.document_id}
