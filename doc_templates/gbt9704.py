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
from docx.enum.style import WD_STYLE_TYPE
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
# Named paragraph styles (issue 12 item 6): staff amending a letter in WPS/Word reapply these.
STYLES = ("发文机关标志", "发文字号", "标题", "主送机关", "正文", "一级标题", "发文机关署名", "成文日期", "附注",
          "版记", "表格")
# 信函格式 (GB/T 9704 §10.1): measured on LibreOffice's PDF, tested within ±1 mm.
LETTER_MARK_TOP_MM = 30  # 发文机关标志 上边缘至上页边
LETTER_LINE_MM = 170  # both red double lines, centred on the 156 mm 版心
LETTER_FOOT_LINE_MM = 20  # lower double line above the page foot
FILE_MARK_TOP_MM = 35  # 文件格式: 发文机关标志 上边缘至版心上边缘 (7.2.1)


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


_AFTER_PBDR = ("w:shd", "w:tabs", "w:suppressAutoHyphens", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
               "w:topLinePunct", "w:autoSpaceDE", "w:autoSpaceDN", "w:bidi", "w:adjustRightInd", "w:snapToGrid",
               "w:spacing", "w:ind", "w:contextualSpacing", "w:mirrorIndents", "w:suppressOverlap", "w:jc",
               "w:textDirection", "w:textAlignment", "w:textboxTightWrap", "w:outlineLvl", "w:divId",
               "w:cnfStyle", "w:rPr", "w:sectPr", "w:pPrChange")


def _border(paragraph, edge: str, style: str = "single", size_eighths: int = 12,
            color: str = "FF0000", space: int = 4) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.find(qn("w:pBdr"))
    if borders is None:
        borders = OxmlElement("w:pBdr")
        ppr.insert_element_before(borders, *_AFTER_PBDR)
    el = OxmlElement(f"w:{edge}")
    for key, value in (("w:val", style), ("w:sz", str(size_eighths)), ("w:space", str(space)),
                       ("w:color", color)):
        el.set(qn(key), value)
    borders.append(el)


MARK_PT = 28  # 发文机关标志
BANJI_LINE_MM = 9.0  # one 版记 line (4号 with its rules)
BANJI_LIFT_MM = 1.9  # measured correction so the last line's rule meets the 版心's bottom edge
FOOTER_MM = 18.5  # footer distance; the 信函 rule needs its footer this low
LETTER_MARK_SHIFT_MM = 0.8
FILE_MARK_SHIFT_MM = 4.8  # LibreOffice sets the 28 pt glyph box this far above the header line
LETTER_RULE_GAP_MM = 1.8  # from the masthead line box to the rule, so the rule is 4 mm under the glyphs
LETTER_FOOT_SPACER_MM = 1.5  # under the lower rule: lifts it to 20 mm above the page foot
LETTER_NO_GAP_MM = 1.9  # above the 发文字号: 3号 7/8 (4.9 mm) under the rule


def _flat(paragraph, height_pt: float = 1) -> None:
    """A paragraph of a fixed small height (for rules and spacers)."""
    pf = paragraph.paragraph_format
    pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(height_pt)
    pf.space_before = pf.space_after = Pt(0)
    rpr = OxmlElement("w:rPr")
    sz = OxmlElement("w:sz")
    sz.set(qn("w:val"), "2")
    rpr.append(sz)
    paragraph._p.get_or_add_pPr().append(rpr)


def _widen(paragraph, length_mm: float) -> None:
    """Negative indents so a border is `length_mm` long, centred on the 156 mm 版心."""
    out = Mm((length_mm - 156) / 2)
    paragraph.paragraph_format.left_indent = paragraph.paragraph_format.right_indent = -out


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
        self.heading_pattern: str | None = None
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
        sec.header_distance, sec.footer_distance = Mm(15), Mm(FOOTER_MM)
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
        for name in STYLES:
            style = self.doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = normal
            style.quick_style = True
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
            _flat(footer.add_paragraph(), Mm(21 - FOOTER_MM).pt)  # the number stays 21 mm up
        # Headers of the pages after the first stay empty and flat (a 1 pt line), so the header
        # distance the 信函 masthead needs does not push their body down.
        for header in (sec.header, sec.even_page_header):
            header.is_linked_to_previous = False
            _flat(header.paragraphs[0])
        if self.kind == "letter":
            self._letter_first_page()

    def _letter_first_page(self) -> None:
        """信函格式 (§10.1): the masthead 30 mm from the page top, a red double line 4 mm under it
        (上粗下细) and one 20 mm above the page foot (上细下粗), both 170 mm long and centred; no page
        number on the first page. They live in the first page's header and footer, which may reach
        outside the 版心 (the masthead sits above the 37 mm top margin)."""
        sec = self.doc.sections[0]
        sec.different_first_page_header_footer = True
        sec.header_distance = Mm(LETTER_MARK_TOP_MM + LETTER_MARK_SHIFT_MM)
        header = sec.first_page_header
        mark = header.paragraphs[0]
        mark.alignment = WD_ALIGN_PARAGRAPH.CENTER
        mark.style = self.doc.styles["发文机关标志"]
        mark.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        mark.paragraph_format.line_spacing = Pt(MARK_PT * 1.15)
        _fonts(mark.add_run("{{ agency_name }}"), XIAOBIAOSONG, MARK_PT, color=RED)
        line = header.add_paragraph()
        _flat(line)
        _widen(line, LETTER_LINE_MM)
        line.paragraph_format.space_before = Mm(LETTER_RULE_GAP_MM)
        _border(line, "top", style="thinThickSmallGap", size_eighths=24, space=0)  # drawn 上粗下细
        foot = sec.first_page_footer.paragraphs[0]
        _flat(foot)
        _widen(foot, LETTER_LINE_MM)
        _border(foot, "bottom", style="thinThickSmallGap", size_eighths=24, space=0)
        spacer = sec.first_page_footer.add_paragraph()
        _flat(spacer, Mm(LETTER_FOOT_SPACER_MM).pt)

    # ---- blocks ----------------------------------------------------------------------------
    def paragraph(self, text: str = "", *, font: str = FANGSONG, size: float = BODY_PT,
                  align: WD_ALIGN_PARAGRAPH | None = None, indent_chars: float = 0,
                  right_chars: float = 0, bold: bool = False, color: RGBColor | None = None,
                  exact: bool = True, style: str | None = None):
        p = self.doc.add_paragraph(style=style)
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
            # 7.2: the masthead's top edge 35 mm below the top of the 版心; the 发文字号 two lines
            # under it, centred; the red rule 4 mm under the 发文字号, as wide as the 版心.
            mark = "{{ agency_name }}文件" if self.kind == "file" else "审管协商会议纪要"
            p = self.paragraph(mark, font=XIAOBIAOSONG, size=MARK_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                               color=RED, style="发文机关标志")
            p.paragraph_format.line_spacing = Pt(MARK_PT * 1.15)
            p.paragraph_format.space_before = Mm(FILE_MARK_TOP_MM - FILE_MARK_SHIFT_MM)
            self.blank(1)
            p = self.paragraph("{{ doc_no }}", align=WD_ALIGN_PARAGRAPH.CENTER, style="发文字号")
            _border(p, "bottom", size_eighths=12, space=4)
            self.blank(1)
        elif self.kind == "letter":
            # masthead and rules are in the first page's header; the 发文字号 flush with the right
            # edge of the 版心, 3号 7/8 below the rule (§10.1).
            p = self.paragraph("{{ doc_no }}", align=WD_ALIGN_PARAGRAPH.RIGHT, style="发文字号")
            p.paragraph_format.space_before = Mm(LETTER_NO_GAP_MM)
            self.blank(1)
        elif self.kind == "decision":
            self.paragraph("{{ agency_name }}", font=XIAOBIAOSONG, size=MARK_PT,
                           align=WD_ALIGN_PARAGRAPH.CENTER, color=RED, exact=False, style="发文机关标志")
            self.blank(1)

    def centred(self, text: str) -> None:
        self.paragraph(text, align=WD_ALIGN_PARAGRAPH.CENTER)

    def title(self, pattern: str) -> None:
        """2号小标宋, centred. The .docx holds `{{ title_text }}`; the pattern goes to the schema
        (`heading`) and documents/titles.py breaks the filled-in title between words (7.3.1)."""
        self.heading_pattern = pattern
        self.paragraph("{{ title_text }}", font=XIAOBIAOSONG, size=TITLE_PT, align=WD_ALIGN_PARAGRAPH.CENTER,
                       exact=False, style="标题")
        self.blank(1)

    def addressee(self, field: str = "receiver") -> None:
        self.paragraph("{{ " + field + " }}：", style="主送机关")

    def text(self, field: str) -> None:
        """A multi-line field: one paragraph per line as typed, first line indented two characters."""
        self.tag(f"for line in {field}")
        self.paragraph("{{ line }}", indent_chars=2, style="正文")
        self.tag("endfor")

    def body(self, text: str) -> None:
        self.paragraph(text, indent_chars=2, style="正文")

    def heading(self, text: str) -> None:
        """一级标题 in 黑体."""
        p = self.paragraph(indent_chars=0, style="一级标题")
        p.paragraph_format.keep_with_next = True  # a heading never ends a page
        p.paragraph_format.first_line_indent = Pt(BODY_PT * 2)
        _fonts(p.add_run(text), HEITI, BODY_PT)

    def optional(self, field: str, text: str) -> None:
        self.tag(f"if {field}")
        self.body(text)
        self.tag("endif")

    def signature(self, signer: str = "{{ agency_name }}") -> None:
        """发文机关署名 over 成文日期, 成文日期 右空四字."""
        self.blank(2)
        sig = self.paragraph(signer, align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4, style="发文机关署名")
        date = self.paragraph("{{ date_cn }}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_chars=4, style="成文日期")
        # 7.3.5.4: signature and date never start a page without body text — they stay with the
        # last lines of the body (render.keep_body_with_signature marks those at render time).
        sig.paragraph_format.keep_with_next = True
        date.paragraph_format.keep_with_next = True

    def contact(self) -> None:
        """附注: 居左空二字加圆括号."""
        self.tag("if contact")
        self.paragraph("（联系人：{{ contact }}{% if phone %}，联系电话：{{ phone }}{% endif %}）", indent_chars=2,
                       style="附注")
        self.tag("endif")

    def banji(self) -> None:
        """版记 (7.4): 4号仿宋 lines, each in a frame fixed to the foot of the 版心, so the last line
        sits on the bottom edge of the 版心 of the last page (7.4.1) and the 版记 is never split.
        文件/决定/纪要: 抄送 and 印发机关/印发日期 between rules, the first and last 0.35 mm, the middle
        0.25 mm. 信函格式 (§10.1): only 抄送, no 印发 line and no rules."""
        _flat(self.doc.add_paragraph())  # the frames' anchor, on the page of the last body text
        if self.kind == "letter":
            self.tag("if cc")
            self._banji_line("抄送：{{ cc }}。", None, from_bottom=1)
            self.tag("endif")
        else:
            self.tag("if cc")
            cc = self._banji_line("抄送：{{ cc }}。", None, from_bottom=2)
            _border(cc, "top", size_eighths=8, space=1, color="000000")
            _flat(self.doc.add_paragraph())  # each frame needs a plain paragraph to hang on
            self.tag("endif")
            issued = self._banji_line("{{ agency_name }}", "{{ print_date_cn }}印发", from_bottom=1)
            _border(issued, "top", size_eighths=6, space=1, color="000000")
            _border(issued, "bottom", size_eighths=8, space=1, color="000000")

    def _banji_line(self, left: str, right: str | None, from_bottom: int):
        p = self.doc.add_paragraph(style="版记")
        pf = p.paragraph_format
        pf.left_indent = pf.right_indent = Pt(BANJI_PT)
        pf.line_spacing_rule, pf.line_spacing = WD_LINE_SPACING.EXACTLY, Mm(BANJI_LINE_MM)
        _fonts(p.add_run(left), FANGSONG, BANJI_PT)
        if right:
            pf.tab_stops.add_tab_stop(Mm(156) - Pt(2 * BANJI_PT), alignment=2)
            _fonts(p.add_run("\t" + right), FANGSONG, BANJI_PT)
        frame = OxmlElement("w:framePr")
        lift = 0 if self.kind == "letter" else BANJI_LIFT_MM
        # from the page's top: the 信函's first page header pushes its body area down
        top = Mm(297 - 35 - from_bottom * BANJI_LINE_MM - lift)
        for key, value in (("w:w", str(round(Mm(156).pt * 20))), ("w:wrap", "notBeside"), ("w:vAnchor", "page"),
                           ("w:hAnchor", "margin"), ("w:xAlign", "center"), ("w:y", str(round(top.pt * 20)))):
            frame.set(qn(key), value)
        ppr = p._p.get_or_add_pPr()
        ppr.insert_element_before(frame, "w:widowControl", "w:numPr", "w:suppressLineNumbers", "w:pBdr", *_AFTER_PBDR)
        return p

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
        parts = [self.doc.element]
        for sec in self.doc.sections:
            parts += [hf._element for hf in (sec.footer, sec.even_page_footer, sec.first_page_footer, sec.header,
                                              sec.even_page_header, sec.first_page_header)]
        xml = "".join(el.xml for el in parts)
        used = set(re.findall(r'w:(?:pStyle|rStyle|tblStyle) w:val="([^"]+)"', xml)) | set(STYLES)
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

