"""PDF reports never break a 档号, 文号 or date inside (issue 16 item 7)."""

from __future__ import annotations

import io

from pypdf import PdfReader

from archive_app.records.reports import Report, to_pdf

LONG_NO = "安行审许〔2026〕10245号"


def _lines(report: Report) -> list[str]:
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(to_pdf(report))).pages)
    return [line.strip() for line in text.splitlines()]


def test_a_long_doc_no_stays_on_one_line() -> None:
    report = Report("filing-catalogue", "归档文件目录", "全宗单位：测试",
                    [("序号", 12), ("档号", 52), ("文号", 38), ("责任者", 34), ("题名", 75), ("日期", 20),
                     ("密级", 12), ("页数", 12), ("备注", 12)])
    report.rows.append([1, "J001-WS·2026-D30-SWK-0001", LONG_NO, "安康市行政审批服务局",
                        "关于安康市汉江人力资源有限公司劳务派遣经营许可变更的决定", "20260903", "", 12, ""])
    lines = _lines(report)
    assert any(LONG_NO in line for line in lines), lines
    assert any("J001-WS·2026-D30-SWK-0001" in line for line in lines), lines
