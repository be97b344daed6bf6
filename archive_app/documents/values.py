"""Checking what staff typed against a template's variable schema, and turning it into the
rendering context. Refusals are one VALIDATION error listing every bad or unknown field."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import errors
from ..models import Matter
from . import titles
from .template_catalogue import Template

STRING_MAX = 2_000
TEXT_MAX = 20_000
# XML 1.0 cannot carry these, and docxtpl gives \a and \f a meaning of their own (new paragraph,
# page break): refused rather than silently changed.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def date_cn(day: date) -> str:
    """成文日期 as GB/T 9704 writes it: 2026年11月22日 (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise TypeError
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


def check(template: Template, data: object, session: Session) -> dict[str, str]:
    """The values as typed (line breaks normalised, outer blanks trimmed), or VALIDATION."""
    if not isinstance(data, dict):
        raise errors.Validation("公文内容（data）应为“字段名: 值”的对象。", fields={})
    problems: dict[str, str] = {}
    for key in data:
        if template.field(str(key)) is None:
            problems[str(key)] = "模板中没有这个字段"
    clean: dict[str, str] = {}
    for fld in template.fields:
        try:
            value = _text(data.get(fld.name))
        except TypeError:
            problems[fld.name] = "应为文字"
            continue
        value = value.rstrip("\n ") if fld.type == "text" else value.strip()
        if not value.strip() and fld.default:
            value = fld.default
        if not value.strip():
            if fld.required:
                problems[fld.name] = f"请填写「{fld.label}」"
            continue
        limit = fld.max_length or (TEXT_MAX if fld.type == "text" else STRING_MAX)
        if _FORBIDDEN.search(value):
            problems[fld.name] = "含有不可见的控制字符"
        elif len(value) > limit:
            problems[fld.name] = f"不能超过 {limit} 个字符（现有 {len(value)} 个）"
        elif fld.type == "date" and not _is_date(value):
            problems[fld.name] = "日期格式应为 YYYY-MM-DD，例如 2026-11-22"
        elif fld.type == "integer" and not (value.isascii() and value.isdigit() and 0 < int(value) <= 100_000):
            problems[fld.name] = "应为 1 至 100000 之间的整数"
        elif fld.type == "choice" and value not in fld.allowed:
            problems[fld.name] = "应为以下之一：" + "、".join(fld.allowed)
        elif fld.type == "matter" and session.scalar(select(Matter.id).where(Matter.code == value)) is None:
            problems[fld.name] = f"事项代码「{value}」不存在"
        clean[fld.name] = value
    if problems:
        labels = {f.name: f.label for f in template.fields}
        summary = "；".join(f"{labels.get(k, k)}：{v}" for k, v in problems.items())
        raise errors.Validation(f"公文内容有误——{summary}。", fields=problems)
    return clean


def _is_date(value: str) -> bool:
    try:
        date.fromisoformat(value)
    except ValueError:
        return False
    return len(value) == 10


def context(template: Template, values: dict[str, str], session: Session) -> dict[str, object]:
    """What the .docx placeholders see: text fields as lists of lines, dates also in Chinese,
    a matter also by name. Optional fields left empty are present as empty strings."""
    ctx: dict[str, object] = {}
    for fld in template.fields:
        value = values.get(fld.name, "")
        if fld.type == "text":
            ctx[fld.name] = value.split("\n") if value else []
        else:
            ctx[fld.name] = value
        if fld.type == "date":
            ctx[f"{fld.name}_cn"] = date_cn(date.fromisoformat(value)) if value else ""
        if fld.type == "matter":
            name = session.scalar(select(Matter.name).where(Matter.code == value)) if value else None
            ctx["matter_name"] = name or ""
    ctx.setdefault("matter_name", "")
    ctx["matter_licence"] = licence_name(str(ctx["matter_name"]))
    name = str(ctx["matter_name"])
    ctx["matter_approval"] = name if not name or name.endswith("审批") else name + "审批"
    ids = [f"{label}：{values[name]}" for name, label in (("certificate_no", "许可证编号"), ("case_no", "办件编号"))
           if values.get(name)]
    ctx["licence_ids"] = f"（{'，'.join(ids)}）" if ids else ""  # one bracket, never an empty 「（办件编号：）」
    if template.heading:
        ctx["title_text"] = titles.title_text(template.heading, ctx)
    return ctx


def licence_name(matter_name: str) -> str:
    """The licence a matter grants, without doubling words: 「劳务派遣经营许可」 stays as it is (not
    「劳务派遣经营许可行政许可」), 「…工作制审批」 too; any other name gets 「行政许可」."""
    if not matter_name or matter_name.endswith(("许可", "审批", "许可证")):
        return matter_name
    return matter_name + "行政许可"


def record_title(template: Template, ctx: dict[str, object]) -> str:
    """The 题名 of the filed record: the template's pattern with each `{{ name }}` replaced by the
    value as typed. Plain text (the catalogue, not XML), so nothing is escaped; an unknown name is
    a template bug and raises KeyError."""
    def value(match: re.Match[str]) -> str:
        v = ctx[match.group(1)]
        return " ".join(v) if isinstance(v, list) else str(v)

    title = " ".join(_PLACEHOLDER.sub(value, template.record_title).split())
    return title[:500] or template.title
