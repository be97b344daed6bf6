"""Who keeps a record: 安康办法 第十条.

    审批事项正式移交前产生的业务档案由市人力资源和社会保障局负责保存，
    正式移交后产生的业务档案由市行政审批服务局负责保存。

The rule is one pure function of the matter and the record's 形成日期:

* no transfer date            → the department keeps it (the matter never moved);
* formed before the date      → the department (e.g. RSJ);
* formed on or after the date → the approving agency (e.g. SPJ). The transfer date itself
  belongs to "after": from that day the approval bureau grants the licence.

A case whose records straddle the date is split: each record goes to its own custodian and the
case links both parts. A corrected transfer date re-evaluates every record of the matter; each
record whose keeper changes gets a CustodyChange entry (see `services.custody_changes`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class CustodyRule:
    """The part of a matter the rule looks at (agency codes, not rows: keeps the rule pure)."""

    department: str
    approving: str
    transfer_date: date | None


def custodian_for(rule: CustodyRule, formed_on: date) -> str:
    """Agency code of the keeper of a record formed on `formed_on` (第十条)."""
    if rule.transfer_date is None or formed_on < rule.transfer_date:
        return rule.department
    return rule.approving


def custody_reason(rule: CustodyRule, formed_on: date) -> str:
    """A clerk-readable sentence explaining `custodian_for` for this record."""
    day = f"{formed_on.year}年{formed_on.month}月{formed_on.day}日"
    if rule.transfer_date is None:
        return f"该事项未划转，形成于{day}的文件由原主管部门保管"
    t = rule.transfer_date
    tday = f"{t.year}年{t.month}月{t.day}日"
    if formed_on < t:
        return f"文件形成于{day}，早于划转移交日期{tday}，由原主管部门保管（第十条）"
    return f"文件形成于{day}，在划转移交日期{tday}当日或之后，由行政审批服务局保管（第十条）"
