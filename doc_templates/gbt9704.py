"""GB/T 9704-2012 党政机关公文格式, as python-docx building blocks for the template script.

Only `build.py` uses this; the application reads the .docx files it writes. Measures are the
standard's: A4, margins 37/28/26/35 mm, 22 lines × 28 characters, 3号 (16 pt) 仿宋 body,
2号 (22 pt) 小标宋 title, red 发文机关标志 and separator, `— 1 —` page numbers (odd pages right,
even pages left, one character in), 版记 in 4号 with 抄送 and 印发 lines.
Placeholders are Jinja (docxtpl): `{{ field }}` inline, `{%p … %}` as whole paragraphs.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

FANGSONG = "仿宋_GB2312"
XIAOBIAOSONG = "方正小标宋简体"
HEITI = "黑体"
KAITI = "楷体_GB2312"
SONGTI = "宋体"
RED = RGBColor(0xFF, 0x00, 0x00)
BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
BANJI_PT = 14  # 4号
LINE_PITCH_PT = 28.95  # 225 mm 版心 / 22 lines
FIXED_TIME = datetime(2026, 1, 1)  # reproducible core properties and zip entries


def _fonts(run, name: str, size: float, bold: bool = False, color: RGBColor | None = None) -> None:
    run.font.name = name
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), name)
    if color is not None:
        run.font.color.rgb = color


def _border(paragraph, edge: str, style: str = "single", size_eighths: int = 12,
            color: str = "FF0000", space: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.append(borders)
    el = OxmlElement(f"w:{edge}")
    for key, value in (("w:val", style), ("w:sz", str(size_eighths)), ("w:space", str(space)),
                       ("w:color", color)):
        el.set(qn(key), value)
    borders.append(el)


def _page_field(paragraph, size: float) -> None:
    """`— N —`: the PAGE field between two 一字线, 4号 半角宋体 digits."""
    def text(value: str) -> None:
        _fonts(paragraph.add_run(value), SONGTI, size)

    text("— ")
    for kind, instr in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        run = paragraph.add_run()
        _fonts(run, SONGTI, size)
        if kind:
            fld = OxmlElement("w:fldChar")
            fld.set(qn("w:fldCharType"), kind)
            run._element.append(fld)
        elif instr.strip() == "PAGE":
            it = OxmlElement("w:instrText")
            it.set(qn("xml:space"), "preserve")
            it.text = instr
            run._element.append(it)
        else:
            run.text = instr
    text(" —")


class Letter:
    """One template under construction. `kind`: "file" (文件格式), "letter" (信函格式), "decision"
    (决定书: red agency name, number under the title), "minutes" (纪要格式) or "form" (通知单、表)."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.doc = Document()
        self._page()
        self._styles()
        self._footers()

    # ---- page, styles, page numbers ------------------------------------------------------
    def _page(self) -> None:
        sec = self.doc.sections[0]
        sec.page_width, sec.page_height = Mm(210), Mm(297)
        sec.top_margin, sec.bottom_margin = Mm(37), Mm(35)
        sec.left_margin, sec.right_margin = Mm(28), Mm(26)
        sec.header_distance, sec.footer_distance = Mm(15), Mm(21)
        grid = sec._sectPr.find(qn("w:docGrid"))
        if grid is None:
            grid = OxmlElement("w:docGrid")
            sec._sectPr.append(grid)
        # 22 lines a page; the 28 characters a line come from the body's character spacing.
        grid.set(qn("w:type"), "lines")
        grid.set(qn("w:linePitch"), str(round(LINE_PITCH_PT * 20)))

    def _styles(self) -> None:
        normal = self.doc.styles["Normal"]
        normal.font.name, normal.font.size = FANGSONG, Pt(BODY_PT)
        fonts = normal.element.get_or_add_rPr().get_or_add_rFonts()
        for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
            fonts.set(qn(attr), FANGSONG)
        # 28 characters in the 156 mm line: 16 pt glyphs closed up by 0.25 pt each.
        spacing = OxmlElement("w:spacing")
        spacing.set(qn("w:val"), str(round((Mm(156).pt / 28 - BODY_PT) * 20) - 1))
        normal.element.get_or_add_rPr().append(spacing)
        pf = normal.paragraph_format
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(LINE_PITCH_PT)
        pf.space_before = pf.space_after = Pt(0)
        pf.widow_control = False
        core = self.doc.core_properties
        core.author = core.last_modified_by = "archive-app doc_templates/build.py"
        core.created = core.modified = FIXED_TIME
        core.revision = 1

    def _footers(self) -> None:
        self.doc.settings.odd_and_even_pages_header_footer = True
        sec = self.doc.sections[0]
        for footer, align, indent in ((sec.footer, WD_ALIGN_PARAGRAPH.RIGHT, "right"),
                                      (sec.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT, "left")):
            footer.is_linked_to_previous = False
            p = footer.paragraphs[0]
            p.alignment = align
            setattr(p.paragraph_format, f"{indent}_indent", Pt(BANJI_PT))
            _page_field(p, BANJI_PT)
        if self.kind == "letter":
            # 信函格式: no number on the first page; its foot carries the red double line.
            sec.different_first_page_header_footer = True
            p = sec.first_page_footer.paragraphs[0]
            _border(p, "top", style="thinThickSmallGap", size_eighths=24)

    # ---- blocks ----------------------------------------------------------------------------
    def paragraph(self, text: str = "", *, font: str = FANGSONG, size: float = BODY_PT,
                  align: WD_ALIGN_PARAGRAPH | None = None, indent_chars: float = 0,
                  right_chars: float = 0, bold: bool = False, color: RGBColor | None = None,
                  exact: bool = True):
        p = self.doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent_chars:
            p.paragraph_format.first_line_indent = Pt(size * indent_chars)
        if right_chars:
            p.paragraph_format.right_indent = Pt(size * right_chars)
        if not exact:
            p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
        if text:
            _fonts(p.add_run(text), font, size, bold, color)
        return p

    def tag(self, statement: str) -> None:
        """A docxtpl paragraph tag (`{%p if x %}` …): the whole paragraph is replaced."""
        self.paragraph("{%p " + statement + " %}")

    def blank(self, n: int = 1) -> None:
        for _ in range(n):
            self.paragraph()

    def masthead(self) -> None:
        """发文机关标志 in red 小标宋, the 发文字号 and the red separator line, per format."""
        if self.kind in ("file", "minutes"):
            mark = "{{ agency_name }}文件" if self.kind == "file" else "审管协商会议纪要"
            self.blank(1)
            self.paragraph(mark, font=XIAOBIAOSONG, size=28, align=WD_ALIGN_PARAGRAPH.CENTER,
                           color=RED, exact=False)
            self.blank(1)
            p = self.paragraph("{{ doc_no }}", align=WD_ALIGN_PARAGRAPH.CENTER)
            _border(p, "bottom", size_eighths=12, space=12)
            self.blank(1)
        elif self.kind == "letter":
            p = self.paragraph("{{ agency_name }}", font=XIAOBIAOSONG, size=28,
                               align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, exact=False)
            _border(p, "bottom", style="thickThinSmallGap", size_eighths=24, space=6)
            self.paragraph("{{ doc_no }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=1)
            self.blank(1)
        elif self.kind == "decision":
            self.paragraph("{{ agency_name }}", font=XIAOBIAOSONG, size=28,
                           align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, exact=False)
            self.blank(1)

    def centred(self, text: str) -> None:
        self.paragraph(text, align=WD_ALIGN_PARAGRAPH.CENTER)

    def title(self, text: str) -> None:
        self.paragraph(text, font=XIAOBIAOSONG, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                       exact=False)
        self.blank(1)

    def addressee(self, field: str = "receiver") -> None:
        self.paragraph("{{ " + field + " }}：")

    def text(self, field: str) -> None:
        """A multi-line field: one paragraph per line as typed, first line indented two characters."""
        self.tag(f"for line in {field}")
        self.paragraph("{{ line }}", indent_chars=2)
        self.tag("endfor")

    def body(self, text: str) -> None:
        self.paragraph(text, indent_chars=2)

    def heading(self, text: str) -> None:
        """一级标题 in 黑体."""
        p = self.paragraph(indent_chars=0)
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        _fonts(p.add_run(text), HEITI, BODY_PT)

    def optional(self, field: str, text: str) -> None:
        self.tag(f"if {field}")
        self.body(text)
        self.tag("endif")

    def signature(self, signer: str = "{{ agency_name }}") -> None:
        """发文机关署名 over 成文日期, 成文日期 右空四字."""
        self.blank(2)
        self.paragraph(signer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)
        self.paragraph("{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4)

    def contact(self) -> None:
        """附注: 居左空二字加圆括号."""
        self.tag("if contact")
        self.paragraph("（联系人：{{ contact }}{% if phone %}，联系电话：{{ phone }}{% endif %}）", indent_chars=2)
        self.tag("endif")

    def banji(self) -> None:
        """版记: 抄送 and 印发机关/印发日期 between thick-thin-thick lines, 4号仿宋."""
        self.blank(1)
        table = self.doc.add_table(rows=2, cols=1)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        rows = (("{% if cc %}抄送：{{ cc }}。{% endif %}", None),
                ("{{ agency_name }}", "{{ print_date_cn }}印发"))
        for row, (left, right) in zip(table.rows, rows, strict=True):
            cell = row.cells[0]
            p = cell.paragraphs[0]
            p.paragraph_format.left_indent = p.paragraph_format.right_indent = Pt(BANJI_PT)
            _fonts(p.add_run(left), FANGSONG, BANJI_PT)
            if right:
                p.paragraph_format.tab_stops.add_tab_stop(Mm(156) - Pt(2 * BANJI_PT), alignment=2)
                _fonts(p.add_run("\t" + right), FANGSONG, BANJI_PT)
        self._table_borders(table, {"top": 8, "bottom": 8, "insideH": 4})

    @staticmethod
    def _table_borders(table, edges: dict[str, int], color: str = "000000") -> None:
        tbl_pr = table._tbl.tblPr
        borders = OxmlElement("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            el = OxmlElement(f"w:{edge}")
            size = edges.get(edge)
            el.set(qn("w:val"), "single" if size else "nil")
            if size:
                el.set(qn("w:sz"), str(size))
                el.set(qn("w:space"), "0")
                el.set(qn("w:color"), color)
            borders.append(el)
        tbl_pr.append(borders)

    def form(self, rows: list[tuple[str, str]]) -> None:
        """A bordered two-column form (通知单、备案表): label in 黑体, value as typed."""
        table = self.doc.add_table(rows=0, cols=2)
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        table.autofit = False
        table.columns[0].width, table.columns[1].width = Mm(40), Mm(116)
        for label, value in rows:
            cells = table.add_row().cells
            cells[0].width, cells[1].width = Mm(40), Mm(116)
            lp = cells[0].paragraphs[0]
            lp.alignment = WD_ALIGN_PARAGRAPH.CENTER
            lp.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            _fonts(lp.add_run(label), HEITI, BANJI_PT)
            vp = cells[1].paragraphs[0]
            vp.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
            if value.startswith("@lines:"):  # a text field: one paragraph per typed line, not <w:br/>
                name = value.removeprefix("@lines:")
                vp.add_run("{%p for line in " + name + " %}")
                line = cells[1].add_paragraph()
                line.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE
                _fonts(line.add_run("{{ line }}"), FANGSONG, BANJI_PT)
                cells[1].add_paragraph().add_run("{%p endfor %}")
            else:
                _fonts(vp.add_run(value), FANGSONG, BANJI_PT)
        self._table_borders(table, {e: 6 for e in ("top", "left", "bottom", "right", "insideH", "insideV")})

    def form_number(self) -> None:
        self.paragraph("编号：{{ doc_no }}", align=WD_ALIGN_PARAGRAPH.RIGHT, size=BANJI_PT)

    def _strip_styles(self) -> None:
        """Keep only the styles the template uses: python-docx's default styles.xml is 350 kB of
        latent and unused styles, which every render would parse and compress again."""
        root = self.doc.styles.element
        xml = "".join(el.xml for el in (self.doc.element, *(s.footer._element for s in self.doc.sections),
                                         *(s.even_page_footer._element for s in self.doc.sections),
                                         *(s.first_page_footer._element for s in self.doc.sections)))
        used = set(re.findall(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml))
        by_id = {el.get(qn("w:styleId")): el for el in root.findall(qn("w:style"))}
        keep = {sid for sid, el in by_id.items() if el.get(qn("w:default")) == "1"} | used
        todo = list(keep)
        while todo:  # follow basedOn / link / next chains
            el = by_id.get(todo.pop())
            for tag in ("w:basedOn", "w:link", "w:next"):
                ref = el.find(qn(tag)) if el is not None else None
                if ref is not None and ref.get(qn("w:val")) not in keep:
                    keep.add(ref.get(qn("w:val")))
                    todo.append(ref.get(qn("w:val")))
        for sid, el in by_id.items():
            if sid not in keep:
                root.remove(el)
        latent = root.find(qn("w:latentStyles"))
        if latent is not None:
            root.remove(latent)
        # Word 2010's 430 kB copy of the styles, and the stock thumbnail: neither is needed.
        rels = self.doc.part.rels
        for rid in [rid for rid, rel in rels.items() if rel.reltype.endswith("/stylesWithEffects")]:
            del rels[rid]
        pkg_rels = self.doc.part.package.rels
        for rid in [rid for rid, rel in pkg_rels.items() if rel.reltype.endswith("/thumbnail")]:
            del pkg_rels[rid]

    def save(self, path: Path) -> None:
        """Write with fixed zip timestamps so the same script run gives the same bytes."""
        self._strip_styles()
        buf = io.BytesIO()
        self.doc.save(buf)
        buf.seek(0)
        out = io.BytesIO()
        with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
            for info in sorted(src.infolist(), key=lambda i: (i.filename != "[Content_Types].xml", i.filename)):
                entry = zipfile.ZipInfo(info.filename, date_time=FIXED_TIME.timetuple()[:6])
                entry.compress_type = zipfile.ZIP_DEFLATED
                dst.writestr(entry, src.read(info.filename))
        path.write_bytes(out.getvalue())

