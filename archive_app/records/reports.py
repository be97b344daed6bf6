"""Reports generated from the database, as XLSX (openpyxl) and PDF (reportlab): registers on A4
landscape, a 公文 attachment (the 汇总表) in the GB/T 9704-2012 横排表格 layout (`_attachment_pdf`).

- `filing-catalogue` 归档文件目录 (DA/T 22-2015 §9): 序号 档号 文号 责任者 题名 日期 密级 页数 备注,
  one agency's 件 in 档号 order. Catalogue data only, which both agencies may see (第十条).
- `special-review-summary` 「市行政审批服务局行政许可事项特别审查程序汇总表」 (the 安康办法's
  attachment): per matter of the approving agency, each special review procedure — 事项, 特别审查程序,
  实施方式 (独立/联合/委托, 第十二条), 依据, 时限, 配合单位 — from the data kept in registers/procedures.py.
- `special-review-register` 特别审查程序登记簿: the per-case log of the reviews an agency organises or
  takes part in — kind, mode, partner, notice, due date, delivery of the conclusion, conclusion.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    PageTemplate,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import audit
from ..core import errors, localtime
from ..core.spreadsheet_cells import set_xlsx_value
from ..models import REVIEW_MODES, Agency, Record, User
from ..organisation.access import Listing, require_listing
from ..organisation.actor import Actor
from ..organisation.users import acting_user
from ..registers import procedures, reviews
from ..rendition.fonts import cjk_font

if TYPE_CHECKING:
    from ..core.context import Archive


SUMMARY_TITLE = "市行政审批服务局行政许可事项特别审查程序汇总表"  # 安康办法 附件, as named there
REPORTS = {"filing-catalogue": "归档文件目录", "special-review-summary": SUMMARY_TITLE,
           "special-review-register": "特别审查程序登记簿"}
# What each report lists, so that it follows the access rule of those objects (access.Listing).
LISTS = {"filing-catalogue": Listing.CATALOGUE, "special-review-summary": Listing.CATALOGUE,
         "special-review-register": Listing.OWN_REGISTER}
FORMATS = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "pdf": "application/pdf"}


@dataclass
class Report:
    id: str
    title: str
    subtitle: str
    columns: list[tuple[str, float]]  # label, width in mm (landscape A4 leaves 267 mm, an attachment 225)
    rows: list[list[object]] = field(default_factory=list)
    year: int | None = None


def build(session: Session, report_id: str, agency_code: str, year: int | None = None, *,
          viewer: User | None) -> Report:
    """The report of `agency_code`; with a `viewer` (every web/API call) only if the access policy
    lets that user see what the report lists. The command line (an operator) passes no viewer."""
    if report_id not in REPORTS:
        raise errors.NotFound(f"没有名为「{report_id}」的报表。可用：" + "、".join(REPORTS))
    agency = session.scalar(select(Agency).where(Agency.code == agency_code))
    if agency is None:
        raise errors.Validation(f"单位代码「{agency_code}」不存在。", fields={"agency": "单位不存在"})
    if viewer is not None:
        require_listing(viewer, LISTS[report_id], agency.id)
    if report_id == "filing-catalogue":
        return _filing_catalogue(session, agency, year)
    if report_id == "special-review-summary":
        return _procedures(session, agency)
    if report_id == "special-review-register":
        return _special_reviews(session, agency, year)
    raise errors.NotFound(f"没有名为「{report_id}」的报表。可用：" + "、".join(REPORTS))


def _filing_catalogue(session: Session, agency: Agency, year: int | None) -> Report:
    q = (select(Record).where(Record.custodian_id == agency.id)
         .order_by(Record.year, Record.retention, Record.unit_code, Record.item_no))
    if year:
        q = q.where(Record.year == year)
    report = Report("filing-catalogue", "归档文件目录",
                    f"全宗单位：{agency.name}（{agency.fonds_code}）" + (f"　年度：{year}" if year else ""),
                    [("序号", 12), ("档号", 52), ("文号", 38), ("责任者", 34), ("题名", 75), ("日期", 20),
                     ("密级", 12), ("页数", 12), ("备注", 12)], year=year)
    for n, r in enumerate(session.scalars(q), start=1):
        report.rows.append([n, r.archival_code, r.doc_no or "", r.responsible or "", r.title,
                            r.formed_on.strftime("%Y%m%d"), r.security_level or "", r.pages or "", r.remarks or ""])
    return report


def _procedures(session: Session, agency: Agency) -> Report:
    report = Report("special-review-summary", SUMMARY_TITLE, f"审批部门：{agency.name}",
                    [("序号", 12), ("事项", 42), ("特别审查程序", 30), ("实施方式", 18), ("依据", 61),
                     ("时限", 24), ("配合单位", 38)])  # 225 mm: the 版心 turned (GB/T 9704-2012 8)
    for n, row in enumerate(procedures.listing(session, agency.code), start=1):
        kind = reviews.kind_label(row.kind, row.kind_note)
        report.rows.append([n, f"{row.matter.name}（{row.matter.code}）", kind, REVIEW_MODES[row.mode][:2],
                            row.basis, f"{row.time_limit_days}个工作日", row.partner or "—"])
    return report


def _special_reviews(session: Session, agency: Agency, year: int | None) -> Report:
    report = Report("special-review-register", "特别审查程序登记簿",
                    f"单位：{agency.name}（组织或参加）" + (f"　年度：{year}" if year else ""),
                    [("序号", 10), ("办件编号", 26), ("申请人", 38), ("审批事项", 30), ("特别审查程序", 24),
                     ("组织方式", 20), ("配合/受托单位", 32), ("通知单/委托书", 36), ("完成时限", 20),
                     ("审查结论", 31)], year=year)
    today = localtime.today()
    for n, r in enumerate(reversed(reviews.register(session, agency.code, year)), start=1):
        if r.conclusion_record_id:
            late = "（逾期送达）" if reviews.is_late(r, today) else ""
            result = f"{r.conclusion}{late}"
        elif r.delivered_on:
            result = f"{localtime.cn_date(r.delivered_on)} 已推送" + ("（逾期）" if r.delivered_on > r.due_on else "")
        else:
            result = "逾期未反馈" if r.due_on < today else "待反馈"
        notice = f"{r.notice_document.doc_no}" if r.notice_document else "—"
        due = localtime.cn_date(r.due_on) + ("" if r.due_schedule_known else "（未载入节假日安排）")
        report.rows.append([n, r.case.case_no, r.case.applicant, r.case.matter.name,
                            reviews.kind_label(r.kind, r.kind_note), REVIEW_MODES[r.mode], r.partner or "—", notice,
                            due, result])
    return report


def export(report: Report, fmt: str) -> tuple[bytes, str, str]:
    """(bytes, media type, download name) of the report in `fmt` (xlsx or pdf)."""
    if fmt not in FORMATS:
        raise errors.Validation("格式应为 xlsx 或 pdf。", fields={"format": "xlsx 或 pdf"})
    data = to_xlsx(report) if fmt == "xlsx" else to_pdf(report)
    return data, FORMATS[fmt], f"{report.id}-{report.year or 'all'}.{fmt}"


def to_xlsx(report: Report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = report.title
    ncol = len(report.columns)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    set_xlsx_value(ws.cell(row=1, column=1), report.title)  # every cell as text, never a formula
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=ncol)
    ws["A1"].font, ws["A1"].alignment = Font(name="黑体", size=16, bold=True), Alignment(horizontal="center")
    set_xlsx_value(ws.cell(row=2, column=1), report.subtitle)  # agency names are data too
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=ncol)
    for i, (_, width) in enumerate(report.columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = width / 2.2  # mm → character widths
        cell = ws.cell(row=3, column=i)
        set_xlsx_value(cell, report.columns[i - 1][0])
        cell.font, cell.border = Font(name="黑体", bold=True), box
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(report.rows, start=4):
        for i in range(1, ncol + 1):
            cell = ws.cell(row=r, column=i)
            set_xlsx_value(cell, row[i - 1] if i <= len(row) else "")  # never a formula (OWASP)
            cell.border = box
            cell.alignment = Alignment(vertical="center", wrap_text=True)
    ws.page_setup.orientation, ws.page_setup.paperSize = "landscape", ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "3:3"
    ws.freeze_panes = "A4"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


TOKEN_COLUMNS = {"序号", "档号", "文号", "日期", "密级", "页数", "办件编号", "通知单/委托书"}
CELL_PADDING = 6  # reportlab's default left + right cell padding is 6 pt each side

# Reports that are a 公文's attachment (the 汇总表 is the 安康办法's 附件) are printed as GB/T 9704-2012
# lays out a table in a letter: portrait A4 with the letters' 版心 (5.2.1: 天头 37 mm, 订口 28 mm,
# 156 mm × 225 mm), the table turned 90° inside it (8 「公文中的横排表格」), page numbers where the
# letters have them (7.5). The 归档文件目录 (DA/T 22) and the 登记簿 are registers, not attachments:
# they stay landscape.
ATTACHMENTS = {"special-review-summary"}
TYPE_LEFT_MM, TYPE_TOP_MM, TYPE_WIDTH_MM, TYPE_HEIGHT_MM = 28, 37, 156, 225  # the 版心 on the portrait page
PAGE_NUMBER_PT = 14  # 4号
# The glyph box of `— N —` starts 7 mm under the 版心 (7.5 「一字线上距版心下边缘7 mm」); the letters'
# LibreOffice footers put it at 269.7 mm from the page top (measured), and so do we.
PAGE_NUMBER_TOP_MM = TYPE_TOP_MM + TYPE_HEIGHT_MM + 7.7


def to_pdf(report: Report) -> bytes:
    return _attachment_pdf(report) if report.id in ATTACHMENTS else _landscape_pdf(report)


class _Styles:
    def __init__(self, font: str, title_pt: float) -> None:
        self.font = font
        self.cell = ParagraphStyle("cell", fontName=font, fontSize=9, leading=12, wordWrap="CJK")
        self.head = ParagraphStyle("head", parent=self.cell, alignment=1)
        self.title = ParagraphStyle("title", fontName=font, fontSize=title_pt, leading=title_pt * 4 / 3,
                                    alignment=1, wordWrap="CJK")
        self.sub = ParagraphStyle("sub", fontName=font, fontSize=10, leading=14)


def _para(value: object, style: ParagraphStyle) -> Paragraph:
    text = str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return Paragraph(text, style)


def _table(report: Report, st: _Styles, widths_mm: list[float]) -> Table:
    """The report's rows under a header row that is repeated on every page."""
    def fitted(value: object, label: str, width_mm: float) -> Paragraph:
        """A date, 档号 or 文号 never breaks inside (issue 16 item 7): a long one gets a smaller font."""
        if label not in TOKEN_COLUMNS:
            return _para(value, st.cell)
        text = str(value)
        room = width_mm * mm - 2 * CELL_PADDING - 1
        size = st.cell.fontSize
        while size > 5.5 and pdfmetrics.stringWidth(text, st.font, size) > room:
            size -= 0.5
        return _para(value, ParagraphStyle(f"fit{size}", parent=st.cell, fontSize=size, leading=max(size + 3, 9)))

    labels = [label for label, _ in report.columns]
    data = [[_para(label, st.head) for label in labels]]
    empty = [[_para("（无记录）", st.cell)] + [""] * (len(labels) - 1)]
    data += [[fitted(v, label, w) for v, label, w in zip(row, labels, widths_mm, strict=False)]
             for row in report.rows] or empty
    table = Table(data, colWidths=[w * mm for w in widths_mm], repeatRows=1)
    style = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
             ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]
    if not report.rows:
        style.append(("SPAN", (0, 1), (-1, 1)))  # "（无记录）" across the whole row
    table.setStyle(TableStyle(style))
    return table


def _landscape_pdf(report: Report) -> bytes:
    st = _Styles(cjk_font(), 18)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=15 * mm, rightMargin=15 * mm,
                            topMargin=15 * mm, bottomMargin=15 * mm, title=report.title)
    table = _table(report, st, [w for _, w in report.columns])

    def page_number(canvas, doc_) -> None:
        canvas.setFont(st.font, 9)
        canvas.drawCentredString(landscape(A4)[0] / 2, 8 * mm, f"— {doc_.page} —")

    doc.build([_para(report.title, st.title), Spacer(1, 4 * mm), _para(report.subtitle, st.sub), Spacer(1, 3 * mm),
               table], onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()


def _attachment_pdf(report: Report) -> bytes:
    """GB/T 9704-2012 8 「A4纸型的表格横排时，页码位置与公文其他页码保持一致，单页码表头在订口一边，双页码
    表头在切口一边。」 Portrait pages, the table laid out on a 225 × 156 mm frame (the 版心 turned) and
    drawn turned 90° counter-clockwise, its head at the page's left edge: that is the 订口 of an odd
    (recto) page and the 切口 of an even (verso) one, so a reader turns every page the same way.
    The page number stays upright where the letters have it (7.5 「单页码居右空一字，双页码居左空一字」)."""
    st = _Styles(cjk_font(), 22)  # title in 2号, as a letter's
    out = io.BytesIO()
    page_h = A4[1]
    doc = BaseDocTemplate(out, pagesize=A4, title=report.title, leftMargin=0, rightMargin=0, topMargin=0,
                          bottomMargin=0)
    # The frame in the table's own orientation: 225 mm wide, 156 mm high.
    frame = Frame(0, 0, TYPE_HEIGHT_MM * mm, TYPE_WIDTH_MM * mm, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="turned")

    def turn(canvas, _doc) -> None:
        """The table's lower-left corner on the 版心's lower right; its top towards the page's left."""
        canvas.saveState()
        canvas.translate((TYPE_LEFT_MM + TYPE_WIDTH_MM) * mm, page_h - (TYPE_TOP_MM + TYPE_HEIGHT_MM) * mm)
        canvas.rotate(90)

    def page_number(canvas, doc_) -> None:
        canvas.restoreState()
        canvas.setFont(st.font, PAGE_NUMBER_PT)
        text, em = f"— {doc_.page} —", PAGE_NUMBER_PT  # one character = one 4号 em
        baseline = page_h - PAGE_NUMBER_TOP_MM * mm - PAGE_NUMBER_PT - pdfmetrics.getDescent(st.font, PAGE_NUMBER_PT)
        if doc_.page % 2:
            canvas.drawRightString((TYPE_LEFT_MM + TYPE_WIDTH_MM) * mm - em, baseline, text)
        else:
            canvas.drawString(TYPE_LEFT_MM * mm + em, baseline, text)

    doc.addPageTemplates([PageTemplate("turned", frames=[frame], onPage=turn, onPageEnd=page_number,
                                       pagesize=A4)])
    total = sum(w for _, w in report.columns)
    widths = [w * min(1.0, TYPE_HEIGHT_MM / total) for _, w in report.columns]  # never wider than the 版心
    doc.build([_para(report.title, st.title), Spacer(1, 3 * mm), _para(report.subtitle, st.sub),
               Spacer(1, 3 * mm), _table(report, st, widths)])
    return out.getvalue()


@dataclass(frozen=True)
class Exported:
    title: str
    rows: int
    data: bytes
    media_type: str
    filename: str


def export_report(archive: Archive, actor: Actor, report_id: str, agency_code: str, year: int | None,
                  fmt: str, *, operator: bool = False) -> Exported:
    """Build and export a report, and put the export on the audit trail (report.export) — the one
    call of the API and the command line. A signed-in actor sees only what the access policy lets
    them list; `operator` (the server's command line) lists any agency's."""
    with archive.db.session() as s:
        report = build(s, report_id, agency_code, year, viewer=None if operator else acting_user(s, actor))
    data, media_type, name = export(report, fmt)
    with archive.db.transaction() as s:
        audit.append(s, actor=actor.username, agency_code=actor.agency_code, action="report.export",
                     object_type="report", object_id=report_id,
                     detail={"format": fmt, "rows": len(report.rows), "agency": agency_code})
    return Exported(report.title, len(report.rows), data, media_type, name)
