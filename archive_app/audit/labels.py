"""Chinese names for what the audit log records: actions, objects and detail fields.

The log stores stable English codes (`record.view`, `push.send`) because they are hashed into the
chain and queried by tools; people read the Chinese names here. Every action passed to
`audit.append` anywhere in the package must have a label: tests/test_audit_labels.py scans the
source and fails for an action without one. Whoever adds an audit action adds its label here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from ..core import localtime
from ..models import CASE_STATUSES, CHANNELS, FINDINGS, FLOWS, POSITIONS, REVIEW_MODES
from ..models import MODES as LOOKUP_MODES
from ..models.records import RETENTIONS
from ..models.users import ROLE_LABELS

ACTION_LABELS: dict[str, str] = {
    # 登录与账户
    "auth.login": "登录",
    "auth.login_failed": "登录失败",
    "auth.logout": "退出登录",
    "auth.login_throttled": "登录过于频繁被暂缓",
    "session.end": "结束登录会话",
    "session.end_all": "结束全部登录会话",
    "user.role": "变更用户角色",
    "user.create": "新建用户",
    "user.enable": "启用用户",
    "user.disable": "停用用户",
    "user.password": "修改密码",
    "user.password_refused": "修改密码被拒（当前密码不正确）",
    "token.create": "创建接口令牌",
    "token.revoke": "吊销接口令牌",
    # 机构与事项
    "agency.create": "新建机构",
    "unit.create": "新建内设机构",
    "matter.create": "新建审批事项",
    "matter.transfer_date": "设定划转日期",
    "matter.transfer_date_request": "申请更正划转日期",
    "matter.transfer_date_confirm": "确认更正划转日期",
    "matter.transfer_date_refuse": "不同意更正划转日期",
    "matter.transfer_date_withdraw": "撤回划转日期更正申请",
    "calendar.load": "载入节假日安排",
    "demo.load": "载入演示数据",
    # 档案
    "record.file": "归档",
    "record.ocr": "文字识别",
    "record.ocr_request": "重新文字识别",
    "record.text_correct": "更正识别文字",
    "record.view": "查看档案",
    "catalogue.list": "查询档案目录",
    "search.query": "检索",
    "case.search": "检索办件",
    "record.view_content": "查看档案内容",
    "record.download": "下载档案",
    "record.content_damaged": "档案文件校验不符，拒绝提供",
    "record.custody_change": "变更保管单位",
    "report.export": "导出报表",
    "catalogue.arrange": "整理件号",
    # 调阅
    "lookup.request": "申请调阅",
    "lookup.approve": "批准调阅",
    "lookup.deny": "拒绝调阅",
    "lookup.return": "提前归还调阅",
    "lookup.close": "保管单位变更，关闭调阅申请",
    # 公文
    "document.reserve": "预留文号",
    "document.issue": "印发公文",
    "document.fail": "公文生成失败",
    "document.void": "作废公文",
    # 审管联动
    "push.send": "推送信息",
    "push.receive": "签收推送",
    "push.agreement": "登记推送约定",
    "push.finding": "认定异议或撤销情形（属实/不属实）",
    "review.start": "启动特别审查程序",
    "review.conclude": "反馈审查结论",
    "review.decide": "作出审批决定",
    "review.participants": "确定特别审查程序参加人员",
    "review_procedure.save": "维护特别审查程序汇总表",
    "review_procedure.delete": "删除特别审查程序汇总表条目",
    "liaison.file": "联络员备案",
    "liaison.reform_office": "设置联络员备案机关",
    # 办件 (docs/cases.md)
    "case.receive": "受理办件",
    "case.event": "登记办件事件",
    "case.key_project": "标记重点项目",
    "matter.key_project": "标记重点项目事项",
    "case.import": "导入办件登记簿",
    "case.export": "导出办件全程记录",
    "standard.add": "登记审批标准",
}

# Filter groups on the audit page: the part of the code before the dot.
ACTION_GROUPS: dict[str, str] = {
    "auth": "登录", "user": "用户", "token": "接口令牌", "agency": "机构", "unit": "机构", "matter": "审批事项",
    "calendar": "节假日", "demo": "演示数据", "record": "档案", "report": "报表", "catalogue": "归档文件目录",
    "lookup": "调阅", "document": "公文", "push": "推送", "review": "特别审查", "liaison": "联络员",
    "case": "审批案件", "standard": "审批标准", "session": "会话", "audit": "审计", "search": "检索",
}

OBJECT_LABELS: dict[str, str] = {
    "record": "档案",
    "lookup": "调阅申请",
    "user": "用户",
    "agency": "机构",
    "unit": "内设机构",
    "matter": "审批事项",
    "calendar": "节假日安排",
    "report": "报表",
    "document": "公文",
    "push": "推送",
    "special_review": "特别审查",
    "liaison": "联络员",
    "case": "办件",
    "case_import": "办件导入",
    "catalogue": "归档文件目录",
    "session": "会话",
}

# Detail fields as written by the actions above. tests/test_audit_labels.py reads every
# `detail={...}` passed to audit.append and fails for a key without a label here.
DETAIL_LABELS: dict[str, str] = {
    "username": "用户名", "agency": "机构", "role": "角色", "token_id": "令牌编号", "tokens": "令牌",
    "days": "天数", "holidays": "节假日天数", "workdays": "调休上班天数", "format": "格式", "rows": "行数",
    "kind": "类型", "mode": "方式", "due_on": "期限", "record_id": "档案", "records": "档案", "late": "逾期",
    "unit": "内设机构", "position": "职务", "name": "名称", "effective_from": "生效日期",
    "flow": "推送类型", "receiver": "接收单位", "channel": "渠道", "handover": "责任移交", "route": "方向",
    "transfer_date": "划转日期", "fonds": "全宗号", "department": "主管部门", "approving": "审批部门",
    "from": "原", "to": "新", "archival_code": "档号", "number": "单号", "note": "意见", "sha256": "SHA-256",
    "doc_no": "文号", "template": "模板", "reason": "原因", "year": "年度", "retention": "保管期限",
    "renumbered": "重排件数", "frozen": "已冻结", "report": "报表", "count": "件数", "document_id": "公文",
    # 登录与会话
    "address": "IP 地址", "wait_seconds": "暂缓秒数", "session": "会话", "sessions": "会话数",
    # 归档与检索
    "custodian": "保管单位", "category": "来源", "media_type": "文件格式", "size": "大小", "sm3": "SM3",
    "source_record_id": "来源档案", "source_archival_code": "来源档号", "q": "检索词", "matter": "事项",
    "doc_type": "文种", "applicant": "申请人", "date_from": "起始日期", "date_to": "截止日期", "sort": "排序",
    "page": "页码", "per_page": "每页条数", "total": "结果数", "lookup": "调阅单号", "moves": "件号调整",
    # 文字识别
    "engine": "识别引擎", "pages": "页", "failed_pages": "未识别的页", "rotation": "旋转（页：角度）",
    "chars": "字数", "job": "识别任务", "version": "版本",
    # 划转与保管
    "request": "申请编号", "requested_by": "申请人", "records_moved": "变更保管的档案数",
    "records_to_move": "将变更保管的档案数", "via": "途径",
    # 审管联动
    "finding": "认定结果", "items": "约定内容项", "notice": "通知单/委托书", "partner": "配合/受托单位",
    "participants": "参加人员", "received_records": "收文档案", "push_id": "推送", "replaces": "接替的备案",
    "matter_id": "事项", "time_limit_days": "时限（工作日）", "deadlines_recomputed": "重算期限数",
    # 办件
    "date": "日期", "event_id": "事件编号", "status": "状态", "decision": "决定", "received_on": "受理日期",
    "key_project": "重点项目", "uscc": "统一社会信用代码", "certificate_no": "许可证号", "case_no": "办件编号",
    "decided_from": "决定日期起", "decided_to": "决定日期止", "overdue": "已超期", "due_within": "距期限（工作日）",
    "unpushed": "办结未推送", "file": "文件", "imported": "导入件数", "unchanged": "未变件数",
    "refused": "拒收行数", "title": "标题",
}

ROLE_VALUES = {"original": "原件", "stamped": "加盖归档章副本", "rendition": "版式副本", "source": "源文件"}
BOOL_VALUES = {True: "是", False: "否"}
SORT_VALUES = {"relevance": "按相关度", "date": "按日期（新→旧）", "date_asc": "按日期（旧→新）"}
CHANNEL_VALUES = {**CHANNELS, "web": "网页", "api": "接口", "cli": "命令行"}
MEDIA_VALUES = {"application/pdf": "PDF", "image/jpeg": "JPEG 图像", "image/png": "PNG 图像", "image/tiff": "TIFF 图像",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word 文档（DOCX）",
                "application/vnd.ms-excel": "Excel 表格（XLS）",
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel 表格（XLSX）",
                "application/ofd": "OFD"}
CATEGORY_VALUES = {"received": "收文", "approval": "审批业务档案", "supervision": "监管执法档案"}
# Coded values people read by name (codes that are not Chinese already). A layer above `audit`
# adds its own with `register_values` (the 办件 event kinds).
VALUE_LABELS: dict[str, dict] = {
    "flow": dict(FLOWS), "mode": {**REVIEW_MODES, **LOOKUP_MODES}, "channel": CHANNEL_VALUES,
    "position": dict(POSITIONS), "finding": dict(FINDINGS), "retention": dict(RETENTIONS), "sort": SORT_VALUES,
    "media_type": MEDIA_VALUES, "category": CATEGORY_VALUES, "status": {**CASE_STATUSES},
    "route": CHANNEL_VALUES,
}
# Names a layer above reads from its own data when they are needed (template titles).
VALUE_SOURCES: dict[str, Callable[[], dict[str, str]]] = {}
AGENCY_KEYS = ("agency", "custodian", "receiver", "department", "approving", "from", "to")
DIGEST_KEYS = ("sha256", "sm3")
_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def register_values(key: str, labels: dict[str, str] | Callable[[], dict[str, str]]) -> None:
    """Names for the coded values of a detail field, from a layer above this one: a table, or a
    function that reads them when needed."""
    if callable(labels):
        VALUE_SOURCES[key] = labels
    else:
        VALUE_LABELS.setdefault(key, {}).update(labels)


def value_names(key: str) -> dict[str, str]:
    names = dict(VALUE_LABELS.get(key, {}))
    if key in VALUE_SOURCES:
        names.update(VALUE_SOURCES[key]())
    return names


def action_label(action: str | None) -> str:
    """The Chinese name of an action; an unknown code is shown as it is (the test prevents that)."""
    if not action:
        return "—"
    return ACTION_LABELS.get(action, action)


def object_label(object_type: str | None) -> str:
    if not object_type:
        return "—"
    return OBJECT_LABELS.get(object_type, object_type)


def detail_label(key: str) -> str:
    return DETAIL_LABELS.get(key, key)


def _size(n: int) -> str:
    return f"{n} 字节" if n < 1024 else f"{n / 1024:.1f} KB" if n < 1024 * 1024 else f"{n / 1024 / 1024:.1f} MB"


def _value_text(key: str, value: Any, agencies: dict[str, str] | None = None) -> str:
    if isinstance(value, bool):
        return BOOL_VALUES[value]
    if value is None or value == "":
        return "—"
    if isinstance(value, list):
        return "、".join(_value_text(key, v, agencies) for v in value)
    if isinstance(value, dict):
        if set(value) == {"from", "to"}:  # a move: 原 → 新
            return f"{_value_text('from', value['from'], agencies)} → {_value_text('to', value['to'], agencies)}"
        return "；".join(f"{detail_label(k)}：{_value_text(k, v, agencies)}" for k, v in value.items())
    if key == "role" and value in ROLE_VALUES:
        return ROLE_VALUES[value]
    if key in ("role", "from", "to") and value in ROLE_LABELS:
        return ROLE_LABELS[value]
    if key == "size" and isinstance(value, int):
        return _size(value)
    if agencies and key in AGENCY_KEYS and value in agencies:
        return agencies[value]
    if isinstance(value, str) and (key in VALUE_LABELS or key in VALUE_SOURCES):
        names = value_names(key)
        if value in names:
            return str(names[value])
    if isinstance(value, str) and _ISO_DAY.match(value):
        return localtime.cn_date(value)
    return str(value)


def detail_fields(detail: str | dict | None, agencies: dict[str, str] | None = None) -> list[tuple[str, str, str]]:
    """(key, Chinese label, readable value) for each detail field, in the order written; with
    `agencies` (code → name) agency codes read as names."""
    if not detail:
        return []
    if isinstance(detail, str):
        try:
            data = json.loads(detail)
        except ValueError:
            return [("detail", "详情", detail)]
    else:
        data = detail
    if not isinstance(data, dict):
        return [("detail", "详情", str(data))]
    return [(k, detail_label(k), _value_text(k, v, agencies)) for k, v in data.items()]


def detail_text(detail: str | dict | None, agencies: dict[str, str] | None = None) -> str:
    """Details as one readable line (CSV export): 「档号：…；文号：…」."""
    return "；".join(f"{label}：{value}" for _k, label, value in detail_fields(detail, agencies))
