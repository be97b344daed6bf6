"""Legacy register import: CSV in UTF-8 and GB18030, XLSX, Chinese and English column names; bad
rows refused with row number and reason, nothing half-written; a rerun resumes."""

from __future__ import annotations

import io

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from archive_app.cases import importer
from archive_app.cli import main
from archive_app.core.uscc import check_character
from archive_app.models import Case, CaseEvent, CaseImport, User
from tests.helpers import bearer

GOOD_USCC = "91610900MA70000A1" + check_character("91610900MA70000A1")
HEADER_CN = "办件编号,事项,申请人,统一社会信用代码,受理日期,决定日期,决定,许可证号,有效期至"
ROWS = [
    f"LWPQ-2024-0001,LWPQ,安康市汉江人力资源有限公司,{GOOD_USCC},2024-03-01,2024-03-20,准予许可,陕劳派2024001,2027-03-19",
    "LWPQ-2024-0002,劳务派遣经营许可,安康市秦巴劳务派遣有限公司,,2024-04-01,,,,",
    "LWPQ-2024-0003,NOPE,甲公司,,2024-04-01,,,,",  # unknown matter
    "LWPQ-2024-0004,LWPQ,乙公司,91610900MA70000A10,2024-04-01,,,,",  # bad check character
    "LWPQ-2024-0005,LWPQ,丙公司,,2024-05-01,2024-04-01,准予许可,X5,2027-01-01",  # decided before received
    "LWPQ-2024-0001,LWPQ,另一家公司,,2024-03-01,,,,",  # duplicate 办件编号 with different data
    "LWPQ-2020-0009,LWPQ,丁公司,,2020-05-01,,,,",  # before the transfer: RSJ approved it, not SPJ
]


def _user(archive, name: str) -> User:
    with archive.db.session() as s:
        user = s.scalar(select(User).where(User.username == name))
        s.expunge(user)
        return user


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gb18030"])
def test_good_and_bad_rows_in_both_encodings(archive, people, encoding) -> None:
    data = "\n".join([HEADER_CN, *ROWS]).encode(encoding)
    report = importer.run(archive, _user(archive, "spj_officer"), data, "登记簿.csv")
    assert report.finished and report.imported == 2 and report.total_rows == 7
    assert [(r["row"], r["case_no"]) for r in report.refused] == [
        (4, "LWPQ-2024-0003"), (5, "LWPQ-2024-0004"), (6, "LWPQ-2024-0005"), (7, "LWPQ-2024-0001"),
        (8, "LWPQ-2020-0009")]
    reasons = [r["reason"] for r in report.refused]
    assert "事项「NOPE」不存在" in reasons[0] and "统一社会信用代码" in reasons[1]
    assert "早于受理日期" in reasons[2] and "内容与本行不同" in reasons[3] and "其他单位审批" in reasons[4]
    with archive.db.session() as s:
        cases = {c.case_no: c for c in s.scalars(select(Case))}
        assert set(cases) == {"LWPQ-2024-0001", "LWPQ-2024-0002"}
        first = cases["LWPQ-2024-0001"]
        assert (first.status, first.decision, first.certificate_no, first.applicant) == (
            "decided", "准予许可", "陕劳派2024001", "安康市汉江人力资源有限公司")
        assert cases["LWPQ-2024-0002"].status == "received" and cases["LWPQ-2024-0002"].due_on is not None
        assert s.scalar(select(func.count()).select_from(CaseEvent)) == 1
    again = importer.run(archive, _user(archive, "spj_officer"), data, "登记簿.csv")
    assert again.resumed_from == 7 and again.imported == 2  # the finished file is not read twice


def test_xlsx_with_english_headers_and_an_existing_identical_case(archive, people) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["case_no", "matter", "applicant", "applicant_uscc", "received_on", "decided_on", "decision",
               "certificate_no", "valid_until"])
    from datetime import datetime
    ws.append(["LWPQ-2025-0001", "LWPQ", "安康市汉江人力资源有限公司", GOOD_USCC, datetime(2025, 1, 6),
               datetime(2025, 1, 20), "准予许可", "C-1", datetime(2028, 1, 19)])
    ws.append(["LWPQ-2025-0002", "LWPQ", "乙公司", None, "2025-01-07", None, None, None, None])
    buf = io.BytesIO()
    wb.save(buf)
    user = _user(archive, "spj_clerk")
    first = importer.run(archive, user, buf.getvalue(), "a.xlsx")
    assert first.imported == 2 and first.refused == []
    # the same rows in another file: identical cases are recognised, not refused or doubled
    csv_data = ("case_no,matter,applicant,applicant_uscc,received_on,decided_on,decision,certificate_no,valid_until\n"
                f"LWPQ-2025-0001,LWPQ,安康市汉江人力资源有限公司,{GOOD_USCC},2025-01-06,2025-01-20,准予许可,C-1,"
                "2028-01-19\n").encode()
    second = importer.run(archive, user, csv_data, "b.csv")
    assert (second.imported, second.skipped_existing, second.refused) == (0, 1, [])


def test_a_missing_column_or_a_bad_encoding_is_refused_whole(archive, people) -> None:
    from archive_app.core import errors

    user = _user(archive, "spj_officer")
    with pytest.raises(errors.Validation, match="受理日期"):
        importer.run(archive, user, "办件编号,事项,申请人\nA,LWPQ,甲\n".encode(), "x.csv")
    with pytest.raises(errors.Validation, match="编码"):
        importer.run(archive, user, b"\xff\xfe\x00\x00\x81\x30\xff" * 3, "x.csv")
    with pytest.raises(errors.Forbidden):
        importer.run(archive, _user(archive, "spj_correspondence"), "\n".join([HEADER_CN, ROWS[1]]).encode(), "x")
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 0


def test_an_interrupted_import_resumes_after_the_last_batch(archive, people, monkeypatch) -> None:
    monkeypatch.setattr(importer, "BATCH", 2)
    rows = [f"LWPQ-2026-{n:04d},LWPQ,公司{n},,2026-03-02,,,," for n in range(1, 8)]
    data = "\n".join([HEADER_CN, *rows]).encode()
    calls = {"n": 0}
    real_write = importer._write

    def crash_on_fifth(session, rows, user, calendar):
        calls["n"] += 1
        real_write(session, rows, user, calendar)  # written, flushed — and then the power goes
        if any(row.case_no == "LWPQ-2026-0005" for row in rows):
            raise RuntimeError("power cut")

    monkeypatch.setattr(importer, "_write", crash_on_fifth)
    with pytest.raises(RuntimeError):
        importer.run(archive, _user(archive, "spj_officer"), data, "r.csv")
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 4  # batches 1–2; batch 3 rolled back whole
        assert s.scalar(select(CaseImport.done_rows)) == 4
    monkeypatch.setattr(importer, "_write", real_write)
    report = importer.run(archive, _user(archive, "spj_officer"), data, "r.csv")
    assert report.resumed_from == 4 and report.finished and report.imported == 7
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Case)) == 7


def test_the_command_line_and_the_api(archive, people, env, client, tmp_path) -> None:
    path = tmp_path / "登记簿.csv"
    path.write_bytes("\n".join([HEADER_CN, ROWS[0], ROWS[2]]).encode("gb18030"))
    result = CliRunner().invoke(main, ["cases", "import", str(path), "--user", "spj_officer"])
    assert result.exit_code == 2, result.output
    assert "导入 1 件" in result.output and "第 3 行（LWPQ-2024-0003）：事项「NOPE」不存在" in result.output
    upload = {"file": (io.BytesIO("\n".join([HEADER_CN, ROWS[1]]).encode()), "b.csv")}
    resp = client.post("/api/v1/cases/import", data=upload, headers=bearer(people["spj_officer"]),
                       content_type="multipart/form-data")
    assert resp.status_code == 200 and resp.get_json()["imported"] == 1
    denied = client.post("/api/v1/cases/import", data={"file": (io.BytesIO(b"x"), "c.csv")},
                         headers=bearer(people["rsj_correspondence"]), content_type="multipart/form-data")
    assert denied.status_code == 403
