"""Issue 11 item 5: the bulk 公文 sheet is read in the limited parse child, streamed, and refused
past ARCHIVE_BULK_MAX_ROWS (default 2,000) with a clear error; a sheet declaring the full
16,384 columns is read by its first columns only."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from openpyxl import Workbook

from archive_app.core import errors
from archive_app.core.config import load_settings
from archive_app.documents import bulk


def _xlsx(rows: list[list[object]]) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def test_more_rows_than_the_limit_are_refused(overrides) -> None:
    settings = load_settings(overrides)
    assert settings.bulk_max_rows == 2_000
    data = _xlsx([["topic", "meeting_date"], *[[f"议题{i}", "2026-12-03"] for i in range(2_001)]])
    with pytest.raises(errors.Validation, match="一次最多 2000 行"):
        bulk.read_rows(data, "rows.xlsx", settings)
    csv_data = ("topic\n" + "".join(f"议题{i}\n" for i in range(2_001))).encode()
    with pytest.raises(errors.Validation, match="一次最多 2000 行"):
        bulk.read_rows(csv_data, "rows.csv", settings)
    assert len(bulk.read_rows(csv_data, "rows.csv", load_settings({**overrides, "bulk_max_rows": 2_001}))) == 2_001


def test_the_environment_sets_the_row_limit(overrides, monkeypatch) -> None:
    monkeypatch.setenv("ARCHIVE_BULK_MAX_ROWS", "3")
    with pytest.raises(errors.Validation, match="一次最多 3 行"):
        bulk.read_rows(b"topic\na\nb\nc\nd\n", "rows.csv", load_settings(overrides))


def test_the_sheet_is_read_under_the_childs_limits(overrides) -> None:
    """With a memory limit too small for any reader, the sheet is refused, not read in the web
    process."""
    settings = load_settings({**overrides, "parse_memory_bytes": 32 * 1024 * 1024})
    with pytest.raises(errors.ArchiveError) as caught:
        bulk.read_rows(_xlsx([["topic"], ["议题"]]), "rows.xlsx", settings)
    assert caught.value.code in {"ARCHIVE_BOMB", "CORRUPT"}


def test_a_sheet_declaring_every_column_is_read_by_its_first_columns(overrides) -> None:
    data = _xlsx([["topic", "meeting_date"], ["议题", "2026-12-03"]])
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            part = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                text = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', part.decode())
                far = "".join(f'<row r="{i}"><c r="XFD{i}" t="inlineStr"><is><t>x</t></is></c></row>'
                              for i in range(3, 3_000))
                part = text.replace("</sheetData>", far + "</sheetData>").encode()
            dst.writestr(info, part)
    rows = bulk.read_rows(out.getvalue(), "wide.xlsx", load_settings(overrides))
    assert rows == [{"topic": "议题", "meeting_date": "2026-12-03"}]
