"""Validation of the catalogue metadata a clerk supplies with a file (DA/T 22 / DA/T 46)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import errors, uscc
from ..models import Case, Matter
from ..records.archival_code import RETENTIONS
from ..records.custody import CATEGORIES, FILED_BY_CLERKS

SECURITY_LEVELS = ("非密", "内部", "秘密", "机密")
LIMITS = {"title": 500, "doc_no": 100, "responsible": 200, "applicant": 200, "case_no": 64,
          "doc_type": 32, "remarks": 500}
LABELS = {"matter": "事项", "title": "题名", "formed_on": "形成日期", "retention": "保管期限",
          "doc_no": "文号", "responsible": "责任者", "applicant": "申请人",
          "applicant_uscc": "统一社会信用代码", "case_no": "办件编号", "doc_type": "文种",
          "security_level": "密级", "remarks": "备注", "file": "文件", "category": "档案类别"}


@dataclass
class Metadata:
    """What the doors collect besides the file. Strings as typed; `validate` checks them."""

    matter: str = ""
    title: str = ""
    formed_on: str = ""
    retention: str = ""
    doc_no: str | None = None
    responsible: str | None = None
    applicant: str | None = None
    applicant_uscc: str | None = None
    case_no: str | None = None
    doc_type: str | None = None
    security_level: str | None = None
    remarks: str | None = None
    category: str | None = None  # custody.CATEGORIES; 审批 unless said otherwise

    @classmethod
    def from_mapping(cls, data: dict) -> Metadata:
        fields = cls.__dataclass_fields__
        values = {k: (str(v).strip() if v is not None else None) for k, v in data.items() if k in fields}
        values = {k: (v if v != "" or k in ("matter", "title", "formed_on", "retention") else None)
                  for k, v in values.items()}
        return cls(**values)


@dataclass(frozen=True)
class Checked:
    matter: Matter | None  # None only for an issued 公文 that concerns no single matter
    formed_on: date
    case: Case | None
    new_case: bool


def parse_date(value: str) -> date | None:
    try:
        return date.fromisoformat(value.strip())
    except (ValueError, AttributeError):
        return None


def validate(session: Session, meta: Metadata, today: date, matter_optional: bool = False) -> Checked:
    """Refuse with VALIDATION listing every bad field, or return the resolved references."""
    problems: dict[str, str] = {}
    matter = session.scalar(select(Matter).where(Matter.code == meta.matter)) if meta.matter else None
    if not meta.matter:
        if not matter_optional:
            problems["matter"] = "请选择事项"
    elif matter is None:
        problems["matter"] = f"事项代码「{meta.matter}」不存在"
    if not meta.title:
        problems["title"] = "请填写题名"
    formed_on = parse_date(meta.formed_on or "")
    if not meta.formed_on:
        problems["formed_on"] = "请填写形成日期"
    elif formed_on is None:
        problems["formed_on"] = "日期格式应为 YYYY-MM-DD，例如 2026-11-22"
    elif formed_on > today:
        problems["formed_on"] = "形成日期不能晚于今天"
    elif formed_on.year < 1949:
        problems["formed_on"] = "形成日期不合理"
    if meta.retention not in RETENTIONS:
        problems["retention"] = "保管期限应为 Y（永久）、D30（30年）或 D10（10年）"
    for name, limit in LIMITS.items():
        value = getattr(meta, name)
        if value and len(value) > limit:
            problems[name] = f"不能超过 {limit} 个字符"
        if value and any(ord(c) < 32 for c in value):
            problems[name] = "含有不可见的控制字符"
    if meta.applicant_uscc:
        meta.applicant_uscc = uscc.normalize(meta.applicant_uscc)
        if not uscc.is_valid(meta.applicant_uscc):
            problems["applicant_uscc"] = "统一社会信用代码无效（应为18位，且校验位正确）"
    if meta.category and meta.category not in FILED_BY_CLERKS and not matter_optional:
        problems["category"] = "档案类别应为：" + "、".join(f"{k}（{CATEGORIES[k]}）" for k in FILED_BY_CLERKS)
    if meta.security_level and meta.security_level not in SECURITY_LEVELS:
        problems["security_level"] = "密级应为：" + "、".join(SECURITY_LEVELS)
    case, new_case = None, False
    if meta.case_no and matter is not None:
        case = session.scalar(select(Case).where(Case.case_no == meta.case_no))
        if case is None:
            if not meta.applicant:
                problems["applicant"] = "新的办件需要填写申请人"
            new_case = True
        elif case.matter_id != matter.id:
            problems["case_no"] = f"办件「{meta.case_no}」属于其他事项"
    if problems:
        summary = "；".join(f"{LABELS.get(k, k)}：{v}" for k, v in problems.items())
        raise errors.Validation(f"填写的信息有误——{summary}。", fields=problems)
    assert formed_on is not None and (matter is not None or matter_optional)
    return Checked(matter, formed_on, case, new_case)
