"""The PDF 办件全程记录: the case's fields, the standard it was decided on and its timeline, A4
portrait (reportlab with the CJK font the stamps use). Only what the timeline shows this user is
printed — catalogue data of the other agency's records, never their content."""

from __future__ import annotations

import io
from datetime import date

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from ..core import localtime
from ..rendition.fonts import cjk_font
from .timeline import Entry

TITLE = "办件全程记录"


def _esc(value: object) -> str:
    from xml.sax.saxutils import escape

    return escape(str(value if value not in (None, "") else "—"))


def to_pdf(fields: list[tuple[str, str]], entries: list[Entry], printed_by: str, today: date) -> bytes:
    font = cjk_font()
    cell = ParagraphStyle("cell", fontName=font, fontSize=9.5, leading=13, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, alignment=1)
    title = ParagraphStyle("title", fontName=font, fontSize=20, leading=28, alignment=1)
    sub = ParagraphStyle("sub", fontName=font, fontSize=10, leading=14, alignment=1)
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, leftMargin=18 * mm, rightMargin=18 * mm, topMargin=18 * mm,
                            bottomMargin=18 * mm, title=TITLE)
    grid = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]
    pairs = [[Paragraph(_esc(k), cell), Paragraph(_esc(v), cell)] for k, v in fields]
    info = Table(pairs, colWidths=[32 * mm, 142 * mm])
    info.setStyle(TableStyle([*grid, ("BACKGROUND", (0, 0), (0, -1), colors.HexColor("#f0f0f0"))]))
    rows = [[Paragraph(h, head) for h in ("日期", "单位", "事项", "内容", "档号")]]
    for e in entries:
        text = e.summary
        if e.participants:
            text += f"（听取意见：{e.participants}）"
        if e.record_id and not e.accessible:
            text += "（对方单位保管，内容须申请调阅）"
        rows.append([Paragraph(_esc(v), cell) for v in (localtime.cn_date(e.date), e.agency_name, e.kind_label, text,
                                                               e.archival_code)])
    if len(rows) == 1:
        rows.append([Paragraph("（无记录）", cell), "", "", "", ""])
    events = Table(rows, colWidths=[25 * mm, 30 * mm, 22 * mm, 63 * mm, 34 * mm], repeatRows=1)
    events.setStyle(TableStyle([*grid, ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))

    def page_number(canvas, doc_) -> None:
        canvas.setFont(font, 9)
        canvas.drawCentredString(A4[0] / 2, 10 * mm, f"— {doc_.page} —")

    doc.build([Paragraph(TITLE, title), Spacer(1, 2 * mm),
               Paragraph(_esc(f"{printed_by} 于 {localtime.cn_date(today)} 打印"), sub), Spacer(1, 5 * mm), info,
               Spacer(1, 6 * mm), events], onFirstPage=page_number, onLaterPages=page_number)
    return out.getvalue()
