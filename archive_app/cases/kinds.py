"""Event kinds of a case, the side that records each (access.require_case) and the status it
moves the case to.

Approval side (安康办法 第四条: 审批职权 … 包括各类行政许可证照、批文的设立、延续、变更、注销登记):
受理, 特别审查 (第十一条), 决定, 送达, 变更/延续/撤回/撤销/注销 (第九条（五）（六）; 行政许可法第六十九条,
第七十条), and the 重点项目会商 record (未央 三（三）).
Supervision side (第四条 事中事后监管; 第九条（三）（五）（六）): 监督检查, 双随机抽查, 行政处罚, 投诉举报,
变更/撤回/撤销/注销 requests and objections pushed to the approving agency.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..audit import labels as audit_labels


@dataclass(frozen=True)
class Kind:
    label: str
    side: str  # approval | supervision
    to_status: str | None  # the status the event moves the case to, or None
    from_statuses: frozenset[str]  # statuses it may be recorded in


OPEN = frozenset({"received", "special_review"})
LIVE = frozenset({"decided", "served", "pushed", "supervised", "changed"})  # a licence in force
DECIDED = LIVE | {"withdrawn", "revoked", "cancelled"}
ANY = OPEN | DECIDED

KINDS: dict[str, Kind] = {
    "special_review": Kind("特别审查程序", "approval", "special_review", OPEN),
    "decision": Kind("许可决定", "approval", "decided", OPEN),
    "service": Kind("送达", "approval", "served", frozenset({"decided"})),
    "change": Kind("准予变更", "approval", "changed", LIVE),
    "renewal": Kind("准予延续", "approval", None, LIVE),
    "withdrawal": Kind("撤回行政许可", "approval", "withdrawn", LIVE),
    "revocation": Kind("撤销行政许可", "approval", "revoked", LIVE),
    "cancellation": Kind("注销行政许可", "approval", "cancelled", LIVE | {"withdrawn", "revoked"}),
    "consultation": Kind("重点项目会商", "approval", None, ANY),
    "inspection": Kind("监督检查", "supervision", None, DECIDED),
    "random_check": Kind("双随机抽查", "supervision", None, DECIDED),
    "penalty": Kind("行政处罚", "supervision", None, DECIDED),
    "complaint": Kind("投诉举报", "supervision", None, DECIDED),
    "change_request": Kind("变更、撤回、撤销、注销情形推送", "supervision", None, LIVE),
    "objection": Kind("许可决定异议及处理结果", "supervision", None, LIVE),
}

# The decision an approval event may carry, and the one it implies when none is given.
DECISIONS = {"decision": ("准予许可", "不予许可"), "change": ("准予变更",), "renewal": ("准予延续",),
             "withdrawal": ("撤回行政许可",), "revocation": ("撤销行政许可",), "cancellation": ("准予注销",)}

# Labels of derived timeline entries (read from other tables).
DERIVED = {"received": "受理", "record": "归档文件", "letter": "制发公文", "push": "信息推送",
           "push_receipt": "签收推送", "review_start": "特别审查程序启动", "review_conclusion": "特别审查结论",
           "incoming": "收文", "supervision_record": "监管执法档案"}


def label(kind: str) -> str:
    return KINDS[kind].label if kind in KINDS else DERIVED.get(kind, kind)


# The audit page names an event's kind in Chinese (issue 16 item 3).
audit_labels.register_values("kind", {k: v.label for k, v in KINDS.items()})
