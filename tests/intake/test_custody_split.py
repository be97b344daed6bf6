"""第十条 at intake: records of one case on both sides of the transfer date are split between
the custodians and stay linked through the case."""

from __future__ import annotations

from sqlalchemy import select

from archive_app.intake import Actor
from archive_app.models import Case, Record
from tests import factories as f


def test_a_case_straddling_the_transfer_date_is_split_and_linked(archive, org, tmp_path) -> None:
    case = {"case_no": "LWPQ-2021-0011", "applicant": "安康市秦巴劳务派遣有限公司"}
    application = f.file_bytes(archive, tmp_path, f.pdf_bytes("申请材料"), "a.pdf", formed_on="2021-06-28",
                               actor=Actor("rsj_clerk", "RSJ"), **case)
    decision = f.file_bytes(archive, tmp_path, f.pdf_bytes("许可决定书"), "b.pdf", formed_on="2021-07-01",
                            actor=Actor("spj_clerk", "SPJ"), **case)
    assert (application.custodian, decision.custodian) == ("RSJ", "SPJ")
    assert application.archival_code == "J002-WS·2021-D30-LGK-0001"
    assert decision.archival_code == "J001-WS·2021-D30-SWK-0001"
    with archive.db.session() as s:
        the_case = s.scalar(select(Case).where(Case.case_no == "LWPQ-2021-0011"))
        linked = s.scalars(select(Record).where(Record.case_id == the_case.id).order_by(Record.formed_on)).all()
        assert [r.custodian.code for r in linked] == ["RSJ", "SPJ"]


def test_a_matter_that_never_moved_stays_with_the_department(archive, org, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf", matter="TSGS", formed_on="2026-01-05")
    assert filed.custodian == "RSJ"


def test_a_case_of_another_matter_is_refused(archive, org, tmp_path) -> None:
    import pytest

    from archive_app.core import errors

    f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf", case_no="C-1", applicant="甲公司")
    with pytest.raises(errors.Validation, match="属于其他事项"):
        f.file_bytes(archive, tmp_path, f.pdf_bytes(), "b.pdf", case_no="C-1", matter="TSGS")
