"""发文字号: one allocator, atomic, gapless, never reused; bad values take no number."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date

import pytest
from sqlalchemy import func, select

from archive_app import documents
from archive_app.core import errors
from archive_app.documents.numbering import DocNumber
from archive_app.models import AuditEntry, DocNumberCounter, IssuedDocument
from tests.documents.conftest import RSJ_STAFF, SPJ_STAFF

LETTER = "archive-lookup-letter"


def _example(template_id: str = LETTER) -> dict:
    return documents.get(template_id).example()


def _numbers(archive) -> list[str]:
    with archive.db.session() as s:
        return list(s.scalars(select(IssuedDocument.doc_no).order_by(IssuedDocument.id)))


def test_number_format_has_hexagonal_brackets_and_no_leading_zeros() -> None:
    assert str(DocNumber("安行审函", 2026, 12)) == "安行审函〔2026〕12号"
    assert str(DocNumber("安人社函", 2026, 3)) == "安人社函〔2026〕3号"


def test_twenty_simultaneous_requests_get_distinct_consecutive_numbers(archive, org) -> None:
    def reserve(_i: int) -> int:
        return documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2026, 11, 22))

    with ThreadPoolExecutor(max_workers=20) as pool:
        ids = list(pool.map(reserve, range(20)))
    assert len(set(ids)) == 20
    with archive.db.session() as s:
        seqs = sorted(s.scalars(select(IssuedDocument.seq)))
        last = s.scalar(select(DocNumberCounter.last_no).where(DocNumberCounter.prefix == "安行审函"))
    assert seqs == list(range(1, 21)) and last == 20


def test_each_agency_and_series_counts_on_its_own(archive, org) -> None:
    day = date(2026, 11, 22)
    documents.reserve(archive, LETTER, _example(), SPJ_STAFF, day)
    documents.reserve(archive, LETTER, {**_example(), "receiver": "安康市行政审批服务局"}, RSJ_STAFF, day)
    documents.reserve(archive, LETTER, _example(), SPJ_STAFF, day)
    documents.reserve(archive, "consultation-minutes", _example("consultation-minutes"), SPJ_STAFF, day)
    assert _numbers(archive) == ["安行审函〔2026〕1号", "安人社函〔2026〕1号", "安行审函〔2026〕2号", "安行审纪〔2026〕1号"]


def test_the_year_rolls_over_by_itself(archive, org) -> None:
    documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2026, 12, 31))
    documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2026, 12, 31))
    documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2027, 1, 4))
    assert _numbers(archive) == ["安行审函〔2026〕1号", "安行审函〔2026〕2号", "安行审函〔2027〕1号"]


def test_bad_values_take_no_number_and_leave_nothing(archive, org) -> None:
    documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2026, 11, 22))
    with archive.db.session() as s:
        audits = s.scalar(select(func.count()).select_from(AuditEntry))
    for bad in ({**_example(), "mode": "偷看"}, {**_example(), "extra": "x"}, "not an object"):
        with pytest.raises(errors.Validation):
            documents.reserve(archive, LETTER, bad, SPJ_STAFF, date(2026, 11, 22))
    # a filing check (invalid 统一社会信用代码) is also made before the number is taken
    with pytest.raises(errors.Validation) as caught:
        documents.reserve(archive, "approval-result-letter",
                          {**_example("approval-result-letter"), "applicant_uscc": "91610900MA70BK3Q2C"},
                          SPJ_STAFF, date(2026, 11, 22))
    assert "applicant_uscc" in caught.value.extra["fields"]
    documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2026, 11, 22))
    assert _numbers(archive) == ["安行审函〔2026〕1号", "安行审函〔2026〕2号"]
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(AuditEntry)) == audits + 1


def test_a_voided_number_stays_in_the_register_and_is_not_reused(archive, org) -> None:
    first = documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2026, 11, 22))
    documents.void(archive, first, "内容有误，重新发文", SPJ_STAFF)
    documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2026, 11, 22))
    register = documents.register(archive, "SPJ")
    assert [(d.doc_no, d.status) for d in register] == [("安行审函〔2026〕2号", "pending"),
                                                        ("安行审函〔2026〕1号", "voided")]
    assert register[1].void_reason == "内容有误，重新发文"
    with pytest.raises(errors.Validation):
        documents.void(archive, first, "", SPJ_STAFF)
    with pytest.raises(errors.Conflict):
        documents.void(archive, first, "再次作废", SPJ_STAFF)


def test_another_agency_cannot_void_or_see_a_document(archive, org) -> None:
    doc_id = documents.reserve(archive, LETTER, _example(), SPJ_STAFF, date(2026, 11, 22))
    with pytest.raises(errors.NotFound):
        documents.void(archive, doc_id, "越权", RSJ_STAFF)
    assert documents.register(archive, "RSJ") == []
