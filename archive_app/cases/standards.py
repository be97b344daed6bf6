"""审批标准 versions per matter (安康办法 第三条: 市行政审批服务局负责按照市人力资源和社会保障局提供的审批标准
对划转事项行使审批职权; 未央 三（二） 审批标准制定制度).

The department (监管部门) provides a version — title, effective from/until, the filed record holding
the text. Providing it means sending it: `publish` issues the 审批标准传递函 (template
`approval-standard-letter`, numbered, filed, in the 发文登记簿) from the department to the approving
agency, or takes one the department already issued, and records the version and its push
(flow `standard`, cited as 第三条 — not one of 第九条's seven flows: 未央 keeps 审批标准制定制度 apart
from 政策信息传递制度) in one transaction; the receiver signs for it and files the letter as 收文.
A new version ends the one before it the day before it takes effect. A case shows the version in
force on its 受理 date (`register.standard_in_force`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from .. import audit, documents
from ..core import errors, localtime
from ..core.citations import cite
from ..core.context import Archive
from ..documents import values as doc_values
from ..models import Agency, ApprovalStandard, IssuedDocument, Matter, Record, User
from ..organisation.access import Action, require
from ..organisation.actor import Actor
from ..registers import pushes
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


def unused_letters(session: Session, matter: Matter) -> list[IssuedDocument]:
    """The department's issued 审批标准传递函 not yet tied to a version: the form's choices for
    「已发出的传递函」 (picked from a list, never typed as an internal id)."""
    used = select(ApprovalStandard.document_id).where(ApprovalStandard.document_id.is_not(None))
    return list(session.scalars(select(IssuedDocument).where(
        IssuedDocument.template_id == LETTER_TEMPLATE, IssuedDocument.status == "issued",
        IssuedDocument.agency_id == matter.department_id, IssuedDocument.id.not_in(used))
        .order_by(IssuedDocument.id.desc())))


def require_provider(user: User, matter: Matter) -> None:
    """Only administrators of the matter's department provide its standard (第三条)."""
    require(user, Action.ADMINISTER)
    if user.agency_id != matter.department_id:
        raise errors.Forbidden(f"审批标准由监管部门提供，审批机关按标准实施（{cite('standards')}："
                               "按照市人力资源和社会保障局提供的审批标准对划转事项行使审批职权）；"
                               "只有监管部门的系统管理员可以登记新版本。")


@dataclass(frozen=True)
class _Version:
    """A checked new version, before anything is written."""

    matter_id: int
    title: str
    effective_from: date
    effective_until: date | None
    record_id: int | None
    document_id: int | None


def _check(session: Session, user: User, matter: Matter, data: dict[str, Any]) -> _Version:
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
        elif session.scalar(select(ApprovalStandard.id).where(ApprovalStandard.document_id == doc.id)):
            problems["document_id"] = f"审批标准传递函 {doc.doc_no} 已用于另一版本"
    if problems:
        raise errors.Validation("审批标准信息有误——" + "；".join(problems.values()) + "。", fields=problems)
    assert start is not None
    previous = versions(session, matter)
    if previous and start <= previous[-1].effective_from:
        raise errors.Conflict(f"新版本的施行日期应晚于第 {previous[-1].version} 版的施行日期 "
                              f"{previous[-1].effective_from.isoformat()}。")
    return _Version(matter.id, title, start, until, int(record_id) if record_id not in (None, "") else None,
                    int(document_id) if document_id not in (None, "") else None)


def letter_values(matter: Matter, version: _Version, letter: object) -> dict[str, Any]:
    """The 审批标准传递函's fields: 主送 the approving agency, the matter and 执行日期 from the version;
    content, changes, contact … as the provider wrote them."""
    given = letter if isinstance(letter, dict) else {}
    values = {k: v for k, v in given.items() if k not in ("receiver", "matter", "effective_on")}
    values.setdefault("content", version.title)
    return {**values, "receiver": matter.approving_agency.name, "matter": matter.code,
            "effective_on": version.effective_from.isoformat()}


def _user(session: Session, actor: Actor) -> User:
    user = session.scalar(select(User).where(User.username == actor.username))
    if user is None:
        raise errors.Unauthenticated()
    return user


def publish(archive: Archive, actor: Actor, code: str, data: dict[str, Any], today: date | None = None) -> dict:
    """A new version, provided by an administrator of the matter's department and sent to the
    approving agency (第三条; 未央 三（二）). Everything is checked first; the letter is issued
    (unless `document_id` names one already issued); then the version and its push are written in
    one transaction. A letter that cannot be made leaves no version and no push (its number stays
    in the 发文登记簿 as 未能生成, as every failed issue does). Returns the version as `describe`
    does, with `push_id`."""
    today = today or localtime.today()
    with archive.db.session() as s:
        matter = matter_or_404(s, code)
        version = _check(s, _user(s, actor), matter, data)
        letter = letter_values(matter, version, data.get("letter")) if version.document_id is None else None
        if letter is not None:
            doc_values.check(documents.get(LETTER_TEMPLATE), letter, s)
    document_id = version.document_id
    if document_id is None:
        document_id = documents.issue(archive, LETTER_TEMPLATE, letter, actor, today).id
    with archive.db.transaction() as s:
        matter = matter_or_404(s, code)
        user = _user(s, actor)
        version = _check(s, user, matter, {**data, "document_id": document_id})
        row = _write(s, user, matter, version)
        push = pushes.push_standard(s, actor, matter, row, today)
        out = describe(row)
        out["push_id"] = push.id
        return out


def _write(session: Session, user: User, matter: Matter, v: _Version) -> ApprovalStandard:
    previous = versions(session, matter)
    if previous and (previous[-1].effective_until is None or previous[-1].effective_until >= v.effective_from):
        previous[-1].effective_until = v.effective_from - timedelta(days=1)
    number = (session.scalar(select(func.max(ApprovalStandard.version))
                             .where(ApprovalStandard.matter_id == matter.id)) or 0) + 1
    row = ApprovalStandard(matter_id=matter.id, version=number, title=v.title, effective_from=v.effective_from,
                           effective_until=v.effective_until, record_id=v.record_id, provided_by_id=user.agency_id,
                           document_id=v.document_id, created_by=user.username)
    session.add(row)
    session.flush()
    agency = session.get(Agency, user.agency_id)
    audit.append(session, actor=user.username, agency_code=agency.code if agency else None,
                 action="standard.add", object_type="matter", object_id=matter.code,
                 detail={"version": number, "title": v.title, "effective_from": v.effective_from.isoformat(),
                         "document_id": v.document_id})
    return row


def listing(archive: Archive, code: str) -> dict:
    """A matter's versions, who provides and who applies them (a read: any signed-in user)."""
    with archive.db.session() as s:
        matter = matter_or_404(s, code)
        return {"matter": matter.code, "provider": matter.department.code, "applier": matter.approving_agency.code,
                "items": [describe(v) for v in versions(s, matter)]}


def describe(s: ApprovalStandard | None) -> dict[str, Any] | None:
    if s is None:
        return None
    return {"version": s.version, "title": s.title, "effective_from": s.effective_from.isoformat(),
            "effective_until": s.effective_until.isoformat() if s.effective_until else None,
            "record_id": s.record_id, "provided_by": s.provided_by.code, "document_id": s.document_id,
            "doc_no": s.document.doc_no if s.document else None}
