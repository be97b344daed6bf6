"""归档文件目录 and the 整理 step (DA/T 22-2015 归档文件整理规则).

DA/T 22 files by the 件 and numbers 件 within a class (年度 · 保管期限 · 机构) so that the 件号
follows time order; the 归档文件目录 lists them in 件号 order, grouped by 保管期限 and 机构. Intake
gives the next 件号 as files arrive, so a letter formed in March but filed in May comes after May's
files. Before a year is closed a clerk runs 整理: within each class of the year the 件号 are
reassigned 1…n by 形成日期 (then filing time), without gaps or duplicates; 档号, the 归档章 on the
stamped copy and the search index follow; the year is then frozen (no second 整理) and the act is
logged (`catalogue.arrange`). The original files are never touched.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors
from ..core.context import Archive
from ..core.db import utcnow
from ..core.digests import digest_file
from ..intake import parsing
from ..models import Agency, CatalogueYear, IndexJob, Record, Unit
from ..organisation.access import Action, require
from ..organisation.actor import Actor
from ..organisation.users import acting_user
from ..rendition.stamp import StampFields
from .archival_code import RETENTIONS, ArchivalCode

RETENTION_ORDER = ("Y", "D30", "D10")


@dataclass
class Group:
    """One class of a year: 保管期限 and 机构, its records in 件号 order."""

    retention: str
    unit_code: str
    unit_name: str
    records: list[Record] = field(default_factory=list)

    @property
    def heading(self) -> str:
        period = RETENTIONS.get(self.retention, self.retention)
        return f"{period}（{self.retention}）· {self.unit_name}（{self.unit_code}）"


def time_order(rec: Record) -> tuple:
    """The order 整理 gives within a class: 形成日期, then the moment of filing, then the row id."""
    return (rec.formed_on, rec.filed_at, rec.id)


def years(session: Session, agency: Agency) -> list[int]:
    return list(session.scalars(select(Record.year).where(Record.fonds_code == agency.fonds_code)
                                .distinct().order_by(Record.year.desc())))


def frozen(session: Session, agency: Agency, year: int) -> CatalogueYear | None:
    return session.scalar(select(CatalogueYear).where(CatalogueYear.fonds_code == agency.fonds_code,
                                                      CatalogueYear.year == year))


def records(session: Session, agency: Agency, year: int, retention: str | None = None) -> list[Record]:
    """The fonds' records of a year in catalogue order (保管期限, 机构, 件号)."""
    q = select(Record).where(Record.fonds_code == agency.fonds_code, Record.year == year)
    if retention:
        q = q.where(Record.retention == retention)
    rows = list(session.scalars(q))
    rows.sort(key=lambda r: (RETENTION_ORDER.index(r.retention) if r.retention in RETENTION_ORDER else 9,
                             r.unit_code, r.item_no))
    return rows


def group(session: Session, agency: Agency, rows: list[Record]) -> list[Group]:
    """Consecutive rows of one class under one heading (rows already in catalogue order)."""
    names = dict(session.execute(select(Unit.code, Unit.name).where(Unit.agency_id == agency.id)).all())
    groups: list[Group] = []
    for r in rows:
        if not groups or (groups[-1].retention, groups[-1].unit_code) != (r.retention, r.unit_code):
            groups.append(Group(r.retention, r.unit_code, names.get(r.unit_code, r.unit_code)))
        groups[-1].records.append(r)
    return groups


def out_of_order(rows: list[Record]) -> list[Record]:
    """Records whose 件号 would change under 整理."""
    moved: list[Record] = []
    by_class: dict[tuple[str, str], list[Record]] = {}
    for r in rows:
        by_class.setdefault((r.retention, r.unit_code), []).append(r)
    for members in by_class.values():
        for n, r in enumerate(sorted(members, key=time_order), start=1):
            if r.item_no != n:
                moved.append(r)
    return moved


def arrange(archive: Archive, actor: Actor, year: int) -> int:
    """整理 a year of the actor's agency: renumber its 件号 in time order within each class, then
    freeze it. Returns how many records got a new 件号 (and 档号). Refused (CONFLICT) for a year
    already frozen."""
    username, agency_code = actor.username, actor.agency_code
    with archive.db.transaction() as s:
        require(acting_user(s, actor), Action.FILE)
        agency = s.scalar(select(Agency).where(Agency.code == agency_code))
        if agency is None:
            raise errors.NotFound(f"单位代码「{agency_code}」不存在。")
        if s.bind.dialect.name == "postgresql":  # one 整理 or filing of this fonds at a time
            s.execute(select(Agency.id).where(Agency.id == agency.id).with_for_update())
        done = frozen(s, agency, year)
        if done is not None:
            raise errors.Conflict(f"{year}年度的件号已于整理后固定，不能再次整理。")
        rows = records(s, agency, year)
        if not rows:
            raise errors.Validation(f"{year}年度没有归档文件，无需整理。", fields={"year": "该年度没有档案"})
        plan: dict[int, int] = {}
        by_class: dict[tuple[str, str], list[Record]] = {}
        for r in rows:
            by_class.setdefault((r.retention, r.unit_code), []).append(r)
        for members in by_class.values():
            for n, r in enumerate(sorted(members, key=time_order), start=1):
                if r.item_no != n:
                    plan[r.id] = n
        moves = []
        # two steps so the unique 档号 and (全宗, 年度, 期限, 机构, 件号) never see a duplicate mid-way
        olds = {r.id: r.archival_code for r in rows}
        for rid in plan:
            s.execute(update(Record).where(Record.id == rid).values(item_no=-rid, archival_code=f"~arranging-{rid}"))
        s.flush()
        with tempfile.TemporaryDirectory(prefix="arrange-") as tmp:
            for r in rows:
                if r.id not in plan:
                    continue
                s.refresh(r)
                old = olds[r.id]
                code = ArchivalCode(r.fonds_code, r.year, r.retention, r.unit_code, plan[r.id])
                r.item_no, r.archival_code = code.item, str(code)
                _restamp(archive, s, r, Path(tmp))
                s.add(IndexJob(record_id=r.id, op="upsert"))
                moves.append({"from": old, "to": r.archival_code})
        s.add(CatalogueYear(fonds_code=agency.fonds_code, year=year, arranged_by=username,
                            arranged_at=utcnow(), renumbered=len(plan)))
        audit.append(s, actor=username, agency_code=agency.code, action="catalogue.arrange",
                     object_type="catalogue", object_id=f"{agency.fonds_code}/{year}",
                     detail={"year": year, "count": len(rows), "renumbered": len(plan), "frozen": True,
                             "moves": moves[:200]})
    return len(plan)


def _restamp(archive: Archive, s: Session, rec: Record, tmp: Path) -> None:
    """Draw the 归档章 again with the new 件号 on the unstamped rendition (the original is untouched)."""
    stamped = rec.file("stamped")
    source = rec.file("rendition") or rec.file("original")
    if stamped is None or source is None or source.extension != "pdf":
        return
    out = tmp / f"{rec.id}.pdf"
    fields = StampFields(rec.fonds_code, rec.year, rec.item_no, rec.unit_code,
                         RETENTIONS[rec.retention], rec.pages)
    parsing.stamp(archive.store.path_for(source.sha256), out, fields, archive.settings)
    d = digest_file(out)
    sha, _new = archive.store.put_file(out, d.sha256)
    stamped.sha256, stamped.sm3, stamped.size = sha, d.sm3, d.size
