"""Which agency may issue which template (issue 12 item 8).

A template's schema declares `"issuer"`: "approving" (the 行政审批服务局 of the matter — 撤销、变更、
撤回、注销 decisions, approval results, 联办通知单), "department" (the 监管部门 — supervision
information, review conclusions, approval standards) or "any". The roles come from the matters
(a matter names its department and its approving agency), not from agency codes.

Why: 第三、四条 — after the transfer the department 「不再行使或者变相行使划转事项的审批职权」, so it
may not issue, say, a 撤销行政许可决定书; the approving agency 「不行使事中事后监管职权」.
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from ..core import citations, errors
from ..models import Agency, Matter
from .template_catalogue import Template

ROLES = ("approving", "department", "any")
ROLE_NAMES = {"approving": "审批机关（行政审批服务局）", "department": "监管部门（人力资源和社会保障局）"}


def _holds(session: Session, agency: Agency, role: str, matter_code: str | None) -> bool:
    column = Matter.approving_agency_id if role == "approving" else Matter.department_id
    q = select(Matter.id).where(column == agency.id)
    if matter_code:
        q = q.where(Matter.code == matter_code)
    return session.scalar(q.limit(1)) is not None


def problem(session: Session, template: Template, agency: Agency, matter_code: str | None = None) -> str | None:
    """Why `agency` may not issue `template` (for that matter), in words a clerk understands, or None."""
    role = template.issuer
    if role == "any" or _holds(session, agency, role, matter_code):
        return None
    if role == "approving":
        why = (f"依据{citations.cite('standards', 'no_approval_by_department')}，划转事项由市行政审批服务局"
               "行使审批职权，监管部门不再行使或者变相行使划转事项的审批职权")
    else:
        keys = [k for k in template.cites if citations.CLAUSES[k].regulation is citations.BANFA] or ["standards"]
        why = (f"依据{citations.cite(*keys)}，该文书由监管部门制发；市行政审批服务局不行使事中事后监管职权"
               f"（{citations.ref('standards')}）")
    scope = "该事项的" if matter_code else ""
    return f"「{template.title}」只能由{scope}{ROLE_NAMES[role]}制发：{why}。"


def check(session: Session, template: Template, agency: Agency, matter_code: str | None = None) -> None:
    """FORBIDDEN, citing the article, when the agency does not hold the template's issuer role."""
    reason = problem(session, template, agency, matter_code)
    if reason:
        raise errors.Forbidden(reason, issuer=template.issuer)


def check_addressee(agency: Agency, clean: dict) -> None:
    """VALIDATION when a letter's 主送机关 is the issuing agency itself: a 公文 goes to another organ
    (a push's letter goes to the push's receiver, registers/pushes.py)."""
    if str(clean.get("receiver") or "").strip() == agency.name:
        raise errors.Validation(f"主送机关不能是发文机关本身（「{agency.name}」），请填写收文单位。",
                                fields={"receiver": "主送机关不能是本机关"})


def may_issue(session: Session, template: Template, agency_code: str, matter_code: str | None = None) -> bool:
    """For menus: whether the agency holds the role (for that matter, or for at least one)."""
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    return agency is not None and problem(session, template, agency, matter_code) is None


def agencies_holding(session: Session, role: str) -> list[str]:
    if role == "any":
        return list(session.scalars(select(Agency.code)))
    column = Matter.approving_agency_id if role == "approving" else Matter.department_id
    return list(session.scalars(select(Agency.code).join(Matter, or_(column == Agency.id)).distinct()))
