"""Who may do what — the one access policy, used by pages, API routes, downloads and search.

安康办法 第十条 makes each agency keep its own part of the records and obliges both to help the
other reach them. So (DESIGN.md §2.2):

* catalogue data (题名, 档号, 文号, dates, custodian) is visible to every signed-in user of
  either agency;
* content (files, extracted text, snippets) only to staff of the record's custodian — the
  lookup-request workflow (调阅) will add time-limited grants for the other agency;
* filing: clerks and administrators, for their own agency (the intake custody stage);
* administration: administrators.
"""

from __future__ import annotations

from enum import StrEnum

from . import errors
from .models import Record, User


class Action(StrEnum):
    READ_CATALOGUE = "read_catalogue"
    READ_CONTENT = "read_content"
    DOWNLOAD = "download"
    FILE = "file"
    ADMINISTER = "administer"


FILING_ROLES = {"clerk", "admin"}


def can(user: User | None, action: Action, record: Record | None = None) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.active:
        return False
    if action is Action.READ_CATALOGUE:
        return True
    if action in (Action.READ_CONTENT, Action.DOWNLOAD):
        return record is not None and record.custodian_id == user.agency_id
    if action is Action.FILE:
        return user.role in FILING_ROLES
    if action is Action.ADMINISTER:
        return user.role == "admin"
    return False


def require(user: User | None, action: Action, record: Record | None = None) -> None:
    """Raise UNAUTHENTICATED or FORBIDDEN unless `can` says yes."""
    if user is None or not getattr(user, "is_authenticated", False):
        raise errors.Unauthenticated()
    if not can(user, action, record):
        if action in (Action.READ_CONTENT, Action.DOWNLOAD) and record is not None:
            raise errors.Forbidden(
                f"该档案由「{record.custodian.name}」保管，您所在单位只能查看目录信息。"
                "如需查阅内容，请向保管单位提出调阅申请。")
        if action is Action.FILE:
            raise errors.Forbidden("只有档案管理员可以归档文件。")
        raise errors.Forbidden()
