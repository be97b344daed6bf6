"""The 「市行政审批服务局行政许可事项特别审查程序汇总表」 (安康办法 附件) as data: per matter, each
special review procedure with how it is organised (第十二条: 独立 / 联合 / 委托组织实施), its basis
(依据), time limit (时限) and partner (配合单位). 第十三条 「特别审查程序联办通知单、委托书由市行政审批
服务局会同相关职能部门根据法律法规和行业标准分项制定」: the approving agency's administrators keep it
(pages, API, CLI import of a CSV); new reviews are prefilled from it (reviews.start `procedure_id`)
and it is printed as the report of that name (records/reports.py `special-review-summary`)."""

from __future__ import annotations

import csv
import io

from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors
from ..core.context import Archive
from ..intake import Actor
from ..models import OTHER_KIND, REVIEW_KINDS, REVIEW_MODES, Agency, Matter, ReviewProcedure

KINDS = (*REVIEW_KINDS, OTHER_KIND)
MODE_WORDS = {"independent": "independent", "独立": "independent", "独立组织实施": "independent",
              "joint": "joint", "联合": "joint", "联合组织实施": "joint",
              "entrusted": "entrusted", "委托": "entrusted", "委托组织实施": "entrusted"}
COLUMNS = {"matter": ("matter", "事项代码", "事项"), "kind": ("kind", "特别审查程序", "审查程序"),
           "kind_note": ("kind_note", "程序说明", "其他程序名称"), "mode": ("mode", "实施方式", "组织方式"),
           "basis": ("basis", "依据"), "time_limit_days": ("time_limit_days", "时限", "时限（工作日）"),
           "partner": ("partner", "配合单位")}


def _clean(session: Session, actor: Actor, data: dict) -> tuple[dict, dict[str, str]]:
    problems: dict[str, str] = {}
    code = str(data.get("matter") or "").strip()
    matter = session.scalar(select(Matter).where((Matter.code == code) | (Matter.name == code))) if code else None
    if matter is None:
        problems["matter"] = f"事项「{code}」不存在" if code else "请选择事项"
    elif matter.approving_agency.code != actor.agency_code:
        problems["matter"] = f"「{matter.name}」由「{matter.approving_agency.name}」审批，汇总表由审批部门维护"
    kind = str(data.get("kind") or "").strip()
    note = str(data.get("kind_note") or "").strip()[:200]
    if kind not in KINDS:
        problems["kind"] = "特别审查程序应为：" + "、".join(KINDS)
    elif kind == OTHER_KIND and not note:
        problems["kind_note"] = "「其他」须写明程序名称（第十一条「主要包括…等」）"
    mode = MODE_WORDS.get(str(data.get("mode") or "").strip())
    if mode is None:
        problems["mode"] = "实施方式应为独立、联合或委托（第十二条）"
    basis = str(data.get("basis") or "").strip()
    if not basis or len(basis) > 500:
        problems["basis"] = "请填写依据（法律、法规、规章或行业标准，不超过 500 字）"
    raw = str(data.get("time_limit_days") or "").strip().removesuffix("个工作日").strip()
    days = int(raw) if raw.isdigit() else 0
    if not 1 <= days <= 365:
        problems["time_limit_days"] = "时限应为 1 至 365 个工作日"
    partner = str(data.get("partner") or "").strip()[:200]
    if mode in ("joint", "entrusted") and not partner:
        problems["partner"] = "联合或委托实施须填写配合单位"
    return ({"matter_id": matter.id if matter else None, "kind": kind, "kind_note": note if kind == OTHER_KIND else "",
             "mode": mode, "basis": basis, "time_limit_days": days, "partner": partner}, problems)


def _save(session: Session, actor: Actor, clean: dict) -> ReviewProcedure:
    row = session.scalar(select(ReviewProcedure).where(ReviewProcedure.matter_id == clean["matter_id"],
                                                       ReviewProcedure.kind == clean["kind"],
                                                       ReviewProcedure.kind_note == clean["kind_note"]))
    row = row or ReviewProcedure(matter_id=clean["matter_id"], kind=clean["kind"], kind_note=clean["kind_note"])
    row.mode, row.basis, row.time_limit_days, row.partner = clean["mode"], clean["basis"], \
        clean["time_limit_days"], clean["partner"]
    row.updated_by = actor.username
    session.add(row)
    session.flush()
    audit.append(session, actor=actor.username, agency_code=actor.agency_code, action="review_procedure.save",
                 object_type="review_procedure", object_id=row.id,
                 detail={"matter_id": row.matter_id, "kind": row.kind, "mode": row.mode,
                         "time_limit_days": row.time_limit_days})
    return row


def save(archive: Archive, actor: Actor, data: dict) -> int:
    """Add or replace one row (same matter and procedure); returns its id."""
    with archive.db.transaction() as s:
        clean, problems = _clean(s, actor, data)
        if problems:
            raise errors.Validation("汇总表内容有误——" + "；".join(problems.values()) + "。", fields=problems)
        return _save(s, actor, clean).id


def delete(archive: Archive, actor: Actor, row_id: int) -> None:
    with archive.db.transaction() as s:
        row = s.get(ReviewProcedure, row_id)
        if row is None or row.matter.approving_agency.code != actor.agency_code:
            raise errors.NotFound("没有找到该汇总表条目。")
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="review_procedure.delete",
                     object_type="review_procedure", object_id=row.id,
                     detail={"matter": row.matter.code, "kind": row.kind})
        s.delete(row)


def _column(header: list[str], key: str) -> int | None:
    names = COLUMNS[key]
    return next((i for i, h in enumerate(header) if h.strip().lstrip("\ufeff") in names), None)


def import_csv(archive: Archive, actor: Actor, data: bytes) -> int:
    """All rows or none: a CSV (UTF-8, BOM allowed; Chinese or English headers) of the 汇总表;
    returns how many rows were saved."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise errors.Validation("文件应为 UTF-8 编码的 CSV。", fields={"file": "编码不是 UTF-8"}) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise errors.Validation("文件是空的。", fields={"file": "空文件"})
    header = rows[0]
    where = {k: _column(header, k) for k in COLUMNS}
    missing = [COLUMNS[k][1] for k in ("matter", "kind", "mode", "basis", "time_limit_days") if where[k] is None]
    if missing:
        raise errors.Validation("缺少列：" + "、".join(missing) + "。", fields={"file": "缺少列"})
    with archive.db.transaction() as s:
        problems: dict[str, str] = {}
        cleaned = []
        for n, row in enumerate(rows[1:], start=2):
            if not any(c.strip() for c in row):
                continue
            values = {k: (row[i] if i is not None and i < len(row) else "") for k, i in where.items()}
            clean, bad = _clean(s, actor, values)
            if bad:
                problems[f"row{n}"] = f"第 {n} 行：" + "；".join(bad.values())
            cleaned.append(clean)
        if problems:
            raise errors.Validation("汇总表未导入——" + "；".join(list(problems.values())[:20]) + "。", fields=problems)
        for clean in cleaned:
            _save(s, actor, clean)
        return len(cleaned)


def listing(session: Session, agency_code: str | None = None) -> list[ReviewProcedure]:
    """The 汇总表 rows, by matter; of the matters an agency approves when one is named."""
    q = select(ReviewProcedure).join(Matter)
    if agency_code:
        q = q.join(Agency, Matter.approving_agency_id == Agency.id).where(Agency.code == agency_code)
    return list(session.scalars(q.order_by(Matter.code, ReviewProcedure.id)))


def describe(row: ReviewProcedure) -> dict:
    return {"id": row.id, "matter": row.matter.code, "matter_name": row.matter.name, "kind": row.kind,
            "kind_note": row.kind_note or None, "mode": row.mode, "mode_label": REVIEW_MODES[row.mode],
            "basis": row.basis, "time_limit_days": row.time_limit_days, "partner": row.partner or None}
