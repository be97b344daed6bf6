"""重点项目 of a matter (未央 三（三） 重点项目会商制度: 对于审批程序复杂，专业要求高的事项，区行政审批服务局要先和
监管部门对接，认真听取监管部门意见). The clause tells the approving agency which matters to consult on,
so an administrator of the matter's approving agency flags it, with the reason; every case of a
flagged matter takes 会商 (consultation) events. Audited as `matter.key_project`."""

from __future__ import annotations

from sqlalchemy import select

from .. import audit
from ..core import errors
from ..core.citations import cite
from ..core.context import Archive
from ..models import Matter, User
from ..organisation.access import Action, can
from ..organisation.actor import Actor
from .standards import matter_or_404


def may_flag(user: User | None, matter: Matter) -> bool:
    """Administrators of the approving agency (the addressee of 未央 三（三）)."""
    return can(user, Action.ADMINISTER) and user is not None and user.agency_id == matter.approving_agency_id


def set_matter(archive: Archive, actor: Actor, code: str, flag: bool, reason: str) -> dict:
    """Flag or unflag a matter as 重点项目; returns `{matter, key_project, key_project_reason}`."""
    reason = (reason or "").strip()
    with archive.db.transaction() as s:
        matter = matter_or_404(s, code)
        user = s.scalar(select(User).where(User.username == actor.username))
        if not may_flag(user, matter):
            raise errors.Forbidden(f"重点项目事项由审批机关（{matter.approving_agency.name}）的系统管理员标记"
                                   f"（{cite('wy_key_projects')}：区行政审批服务局要先和监管部门对接）。")
        if flag and not reason:
            raise errors.Validation("请说明列为重点项目的理由（如审批程序复杂、专业要求高，或涉及国家安全、环境保护、"
                                    "安全生产、重大公共利益）。", fields={"reason": "请填写理由"})
        if len(reason) > 300:
            raise errors.Validation("理由不能超过 300 个字符。", fields={"reason": "不能超过 300 个字符"})
        matter.key_project, matter.key_project_reason = flag, (reason if flag else None)
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="matter.key_project",
                     object_type="matter", object_id=matter.code,
                     detail={"key_project": flag, "reason": matter.key_project_reason})
        return describe(matter)


def describe(matter: Matter) -> dict:
    return {"matter": matter.code, "key_project": bool(matter.key_project),
            "key_project_reason": matter.key_project_reason}


def get(archive: Archive, code: str) -> dict:
    with archive.db.session() as s:
        return describe(matter_or_404(s, code))
