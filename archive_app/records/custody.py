"""Who keeps a record: one pure function of the record's category, its matter and its 形成日期.

安康办法 第十条 governs **审批业务档案** only:

    审批事项正式移交前产生的业务档案由市人力资源和社会保障局负责保存，
    正式移交后产生的业务档案由市行政审批服务局负责保存。

The other categories follow from the other articles:

* ``approval`` 审批 (第十条): no transfer date → the department keeps it (the matter never moved);
  formed before the date → the department (e.g. RSJ); formed on or after it → the approving agency
  (e.g. SPJ) — from the transfer date itself the approval bureau grants the licence.
* ``supervision`` 监管执法 (第三条 「谁主管谁监管」, 第四条 事中事后监管): inspections, 双随机
  results, penalties, complaints are the department's own work and stay with it whatever their date.
* ``issued`` 公文: kept by the agency that issued it; a transfer-date correction never moves it.
* ``received`` 收文: kept by the agency that received it (its copy of a pushed letter, notice or
  evidence, 第九条), whatever the matter's transfer date.

Only ``approval`` records are re-evaluated when a transfer date is corrected (`follows_transfer`).
A case whose approval records straddle the date is split: each record goes to its own custodian and
the case links both parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

CATEGORIES = {"approval": "审批", "supervision": "监管执法", "issued": "公文", "received": "收文"}
# what a clerk may choose when filing; 公文 and 收文 are filed by the system (issuing, receiving)
FILED_BY_CLERKS = ("approval", "supervision")


@dataclass(frozen=True)
class CustodyRule:
    """The part of a matter the rule looks at (agency codes, not rows: keeps the rule pure)."""

    department: str
    approving: str
    transfer_date: date | None


def custodian_for(rule: CustodyRule | None, formed_on: date, category: str = "approval",
                  holder: str | None = None) -> str:
    """Agency code of the keeper of a record. `holder` is the issuer of a 公文 or the receiver of a
    收文; `rule` may be None for those (a 公文 need not concern one matter)."""
    if category in ("issued", "received"):
        if not holder:
            raise ValueError(f"a {category} record needs the agency that holds it")
        return holder
    if rule is None:
        raise ValueError(f"a {category} record needs its matter")
    if category == "supervision":
        return rule.department
    if category != "approval":
        raise ValueError(f"unknown record category {category!r}")
    if rule.transfer_date is None or formed_on < rule.transfer_date:
        return rule.department
    return rule.approving


def follows_transfer(category: str) -> bool:
    """Whether a correction of the matter's transfer date can move a record of this category."""
    return category == "approval"


def custody_reason(rule: CustodyRule | None, formed_on: date, category: str = "approval") -> str:
    """A clerk-readable sentence explaining `custodian_for` for this record."""
    day = f"{formed_on.year}年{formed_on.month}月{formed_on.day}日"
    if category == "issued":
        return "本机关发文，由发文机关保存"
    if category == "received":
        return "收文，由收文机关保存"
    if category == "supervision":
        return "事中事后监管档案，由监管部门保存（第三条“谁主管谁监管”、第四条）"
    if rule is None or rule.transfer_date is None:
        return f"该事项未划转，形成于{day}的文件由原主管部门保管"
    t = rule.transfer_date
    tday = f"{t.year}年{t.month}月{t.day}日"
    if formed_on < t:
        return f"文件形成于{day}，早于划转移交日期{tday}，由原主管部门保管（第十条）"
    return f"文件形成于{day}，在划转移交日期{tday}当日或之后，由行政审批服务局保管（第十条）"
