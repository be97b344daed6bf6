"""The header menu: one table of entries per role, the current page, and badges for work waiting.

The header must fit on one row at 1280 px for every role (issue 16 item 2), so rarely used
entries of administrators sit in one group (管理 ▾) and the user's agency and role are in the user menu.
Badges count work the user can act on: 调阅 applications to decide (custodian clerks and
administrators) and pushes addressed to the user's agency not yet 签收 (文秘 and administrators,
who sign for the agency; 《安康市集中审批与监管协调联动实施办法（试行）》第六条).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask import Flask, g, request, url_for
from flask_login import current_user

from ..models.users import ROLE_LABELS
from ..records import lookups
from ..registers import pushes

PRODUCT = "审管联动档案与公文系统"
ALL = ("clerk", "officer", "correspondence", "admin")


@dataclass(frozen=True)
class Entry:
    label: str
    endpoint: str
    roles: tuple[str, ...] = ALL
    blueprints: tuple[str, ...] = ()  # other pages that belong to this entry
    endpoints: tuple[str, ...] = ()
    badge: str | None = None


@dataclass(frozen=True)
class Group:
    label: str
    entries: tuple[Entry, ...]
    roles: tuple[str, ...] = ALL


@dataclass
class Item:
    label: str
    url: str = ""
    current: bool = False
    badge: int = 0
    badge_title: str = ""
    children: list[Item] = field(default_factory=list)


MENU: tuple[Entry | Group, ...] = (
    Entry("档案检索", "search.index", blueprints=("search",)),
    Entry("档案浏览", "pages.index", endpoints=("pages.index", "pages.record", "pages.lookup")),
    Entry("归档文件", "pages.upload", ("clerk", "admin"), endpoints=("pages.upload",)),
    Entry("归档文件目录", "catalogue.index", ("clerk",), blueprints=("catalogue",)),
    Entry("档案调阅", "lookups.index", blueprints=("lookups",), badge="lookups"),
    Entry("办件", "cases.index", blueprints=("cases",)),
    Entry("审管联动", "registers.index", blueprints=("registers",), badge="pushes"),
    Entry("公文", "documents.index", ("correspondence", "admin"), blueprints=("documents",)),
    Group("管理", (
        Entry("归档文件目录", "catalogue.index", ("admin",), blueprints=("catalogue",)),
        Entry("系统管理", "admin.index", ("admin",), blueprints=("admin",)),
        Entry("审计日志", "audit.index", ("admin",), blueprints=("audit",)),
    ), roles=("admin",)),
)

BADGE_TITLES = {"lookups": "待我审批的调阅申请", "pushes": "本单位待签收的推送"}


def waiting_counts(session, user) -> dict[str, int]:
    """How many items wait for this user: 调阅 to decide and pushes to sign."""
    signs = user.role in ("correspondence", "admin")
    return {"lookups": lookups.waiting(session, user),
            "pushes": pushes.unsigned_count(session, user.agency_id) if signs else 0}


def _is_current(entry: Entry) -> bool:
    endpoint = request.endpoint or ""
    if endpoint == entry.endpoint or endpoint in entry.endpoints:
        return True
    return (request.blueprint or "") in entry.blueprints


def _item(entry: Entry, counts: dict[str, int]) -> Item | None:
    try:
        url = url_for(entry.endpoint)
    except Exception:  # an entry whose page is not registered in this build
        return None
    n = counts.get(entry.badge or "", 0)
    return Item(entry.label, url, _is_current(entry), n, BADGE_TITLES.get(entry.badge or "", ""))


def menu_for(user) -> list[Item]:
    """The header entries this user sees, with the current one and badges filled in."""
    counts = waiting_counts(g.db, user)
    items: list[Item] = []
    for node in MENU:
        if user.role not in node.roles:
            continue
        if isinstance(node, Group):
            children = [c for c in (_item(e, counts) for e in node.entries if user.role in e.roles) if c]
            if children:
                items.append(Item(node.label, current=any(c.current for c in children),
                                  badge=sum(c.badge for c in children), children=children))
        else:
            item = _item(node, counts)
            if item:
                items.append(item)
    return items


def init_app(app: Flask) -> None:
    app.jinja_env.globals["PRODUCT"] = PRODUCT
    app.jinja_env.globals["ROLE_LABELS"] = ROLE_LABELS

    @app.context_processor
    def _menu() -> dict:
        if getattr(current_user, "is_authenticated", False) and "db" in g:
            return {"menu": menu_for(current_user)}
        return {"menu": []}
