"""档号 and 件号 per DA/T 22-2015 §6 and §7.

档号 = 全宗号-WS·年度-保管期限-机构代码-件号, e.g. ``J001-WS·2026-D30-SPB-0001``.
件号 is a 4-digit sequence per fonds / year / retention / unit with no gaps and no duplicates.

The counter row is bumped inside the filing transaction: the row lock (PostgreSQL) or the
write lock (SQLite, BEGIN IMMEDIATE) serialises concurrent filings, and a filing that is refused
or rolled back gives its number back because the bump rolls back with it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..models import FilingCounter
from ..models.records import RETENTIONS as RETENTIONS  # re-exported for the pages and arrangement

CATEGORY = "WS"  # 文书 — DA/T 22 档号 carries the 门类代码
_PATTERN = re.compile(
    r"^(?P<fonds>[A-Z0-9]{1,16})-WS·(?P<year>\d{4})-(?P<retention>Y|D30|D10)"
    r"-(?P<unit>[A-Z0-9]{1,16})-(?P<item>\d{4,})$"
)


@dataclass(frozen=True)
class ArchivalCode:
    fonds: str
    year: int
    retention: str
    unit: str
    item: int

    def __str__(self) -> str:
        return f"{self.fonds}-{CATEGORY}·{self.year}-{self.retention}-{self.unit}-{self.item:04d}"


def parse(code: str) -> ArchivalCode | None:
    """Parse a 档号 (also accepting the middle dot typed as '.', '•', '-' or a space); None when malformed."""
    code = code.strip().upper().replace("WS.", "WS·").replace("WS•", "WS·").replace("WS・", "WS·")
    code = code.replace("WS-", "WS·").replace("WS－", "WS·").replace("WS ", "WS·")  # a hyphen or space for ·
    m = _PATTERN.match(code)
    if not m:
        return None
    return ArchivalCode(m["fonds"], int(m["year"]), m["retention"], m["unit"], int(m["item"]))


def allocate(session: Session, fonds: str, year: int, retention: str, unit: str) -> ArchivalCode:
    """Take the next 件号 inside the caller's write transaction."""
    key = {"fonds_code": fonds, "year": year, "retention": retention, "unit_code": unit}
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(FilingCounter).values(**key, last_no=0).on_conflict_do_nothing())
    item = session.execute(
        update(FilingCounter)
        .where(*(getattr(FilingCounter, k) == v for k, v in key.items()))
        .values(last_no=FilingCounter.last_no + 1)
        .returning(FilingCounter.last_no)
    ).scalar_one()
    return ArchivalCode(fonds, year, retention, unit, item)
