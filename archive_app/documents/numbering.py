"""发文字号: the one allocator. Per 机关代字 + series and year (`安行审函〔2026〕12号`), taken by an
atomic counter-row UPDATE … RETURNING inside the caller's transaction, so simultaneous requests
get distinct consecutive numbers and a rolled-back request consumes none. The year is the
document's 成文日期 year, so numbering starts again at 1 on the first document of a new year."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from ..core import errors
from ..models import Agency, DocNumberCounter


@dataclass(frozen=True)
class DocNumber:
    prefix: str  # 机关代字 + series: 安行审函
    year: int
    seq: int

    def __str__(self) -> str:
        # GB/T 9704 7.2.4: 六角括号, no leading zeros, no 第.
        return f"{self.prefix}〔{self.year}〕{self.seq}号"


def prefix_for(agency: Agency, series: str) -> str:
    if not agency.doc_prefix:
        raise errors.Validation(f"「{agency.name}」尚未设置机关代字，请管理员先设置后再发文。",
                                fields={"agency": "缺少机关代字"})
    return agency.doc_prefix + series


def allocate(session: Session, prefix: str, year: int) -> DocNumber:
    """Take the next number inside the caller's write transaction."""
    insert = pg_insert if session.bind.dialect.name == "postgresql" else sqlite_insert
    session.execute(insert(DocNumberCounter).values(prefix=prefix, year=year, last_no=0).on_conflict_do_nothing())
    seq = session.execute(
        update(DocNumberCounter)
        .where(DocNumberCounter.prefix == prefix, DocNumberCounter.year == year)
        .values(last_no=DocNumberCounter.last_no + 1)
        .returning(DocNumberCounter.last_no)
    ).scalar_one()
    return DocNumber(prefix, year, seq)
