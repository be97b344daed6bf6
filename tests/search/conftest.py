"""Search fixtures: records written straight into the catalogue (with their outbox jobs), then
indexed through the real single writer."""

from __future__ import annotations

import hashlib
import itertools
from datetime import date

import pytest
from sqlalchemy import select

from archive_app import search
from archive_app.models import Agency, IndexJob, Matter, Record, RecordText
from tests.conftest import PASSWORD

_seq = itertools.count(1)


def add_records(archive, rows: list[dict]) -> list[int]:
    """rows: title, text, custodian (SPJ/RSJ), formed_on, doc_no, applicant, doc_type, matter."""
    ids = []
    with archive.db.transaction() as s:
        agencies = {a.code: a for a in s.scalars(select(Agency))}
        matters = {m.code: m for m in s.scalars(select(Matter))}
        for row in rows:
            n = next(_seq)
            custodian = agencies[row.get("custodian", "SPJ")]
            formed = row.get("formed_on", date(2026, 3, 2))
            rec = Record(archival_code=f"{custodian.fonds_code}-WS·{formed.year}-D30-X-{n:05d}",
                         fonds_code=custodian.fonds_code, year=formed.year, retention=row.get("retention", "D30"),
                         unit_code="X", item_no=n, title=row["title"], doc_no=row.get("doc_no"),
                         responsible=custodian.name, formed_on=formed, doc_type=row.get("doc_type"),
                         applicant=row.get("applicant"), applicant_uscc=row.get("uscc"),
                         original_sha256=hashlib.sha256(f"{n}-{row['title']}".encode()).hexdigest(),
                         custodian_id=custodian.id, matter_id=matters[row.get("matter", "LWPQ")].id,
                         filed_by="test")
            s.add(rec)
            s.flush()
            s.add(RecordText(record_id=rec.id, text=row.get("text", "")))
            s.add(IndexJob(record_id=rec.id))
            ids.append(rec.id)
    search.drain_all(archive)
    return ids


@pytest.fixture
def searcher_for(archive, org, users):
    """search as a named user: searcher_for("spj_officer")(q="…", …) → Results."""
    from archive_app.models import User

    def run(username: str, **params):
        with archive.db.session() as s:
            user = s.scalar(select(User).where(User.username == username))
            return search.search(archive, s, user, search.Params(**params))
    return run


__all__ = ["PASSWORD", "add_records"]
