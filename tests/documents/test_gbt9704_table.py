"""The 「市行政审批服务局行政许可事项特别审查程序汇总表」 (安康办法 附件) as a PDF in the GB/T 9704-2012
横排表格 layout (issue 17 item 6), read back with pdfplumber in mm from the page's top-left:

- 5.2.1 页边与版心尺寸: 天头 37 mm, 订口 28 mm, 版心 156 mm × 225 mm — the table stays inside it, turned;
- 8 公文中的横排表格: 「A4纸型的表格横排时，页码位置与公文其他页码保持一致，单页码表头在订口一边，双页码
  表头在切口一边。」 The head is at the page's left edge on every page: the 订口 of an odd (recto) page,
  the 切口 of an even (verso) one;
- 7.5 页码: 「一般用4号半角宋体阿拉伯数字，编排在公文版心下边缘之下，数字左右各放一条一字线；一字线上距
  版心下边缘7 mm。单页码居右空一字，双页码居左空一字。」 — compared with a letter's own page numbers."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest

from archive_app.intake import Actor
from archive_app.models import REVIEW_KINDS
from archive_app.records import reports
from archive_app.registers import procedures

MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 28.0, 28.0 + 156.0, 37.0, 37.0 + 225.0  # the 版心 on the portrait page
EM = 14 / MM  # one 4号 character
HEADER = ["序号", "事项", "特别审查程序", "实施方式", "依据", "时限", "配合单位"]
SEED = Path(__file__).resolve().parents[2] / "docs" / "sources" / "000_7ca8ce5e20c91e0e.txt"
BASIS = "《劳务派遣行政许可实施办法》第八条、第九条；《中华人民共和国劳动合同法》第五十七条"


def _attachment_name() -> str:
    """The name the seed gives its attachment: 「附件：…」."""
    line = next(line for line in SEED.read_text(encoding="utf-8").splitlines() if line.startswith("附件："))
    return line.removeprefix("附件：").strip()


@pytest.fixture
def pdf(archive, org) -> bytes:
    """The report as the API and the command line make it, from a 汇总表 of 30 rows (the 14 procedures
    of 第十一条 and 16 「其他」) — enough for three pages and more."""
    rows = [f"LWPQ,{kind},,联合,{BASIS},10,安康市人力资源和社会保障局" for kind in REVIEW_KINDS]
    rows += [f"LWPQ,其他,经营方案论证第{i}项,独立,{BASIS},5," for i in range(1, 17)]
    data = ("事项代码,特别审查程序,程序说明,实施方式,依据,时限,配合单位\n" + "\n".join(rows) + "\n").encode()
    assert procedures.import_csv(archive, Actor("spj_admin", "SPJ", "admin"), data) == 30
    out = reports.export_report(archive, Actor("operator", "SPJ", "admin"), "special-review-summary", "SPJ", None,
                                "pdf", operator=True)
    assert out.media_type == "application/pdf" and out.rows == 30
    return out.data


def _pages(data: bytes) -> list[dict]:
    """Per page: its size, the turned characters, the upright ones, the rules (all in mm)."""
    out = []
    with pdfplumber.open(io.BytesIO(data)) as doc:
        for page in doc.pages:
            chars = [{"text": c["text"], "x0": c["x0"] / MM, "x1": c["x1"] / MM, "top": c["top"] / MM,
                      "bottom": c["bottom"] / MM, "size": c["size"], "upright": c["upright"]} for c in page.chars]
            rules = [(e["x0"] / MM, e["x1"] / MM, e["top"] / MM, e["bottom"] / MM) for e in page.lines + page.rects]
            out.append({"width": page.width / MM, "height": page.height / MM, "rules": rules,
                        "turned": [c for c in chars if not c["upright"]],
                        "upright": [c for c in chars if c["upright"]]})
    return out


def _columns(chars: list[dict]) -> list[tuple[float, str]]:
    """Turned text as lines: characters of one x band, read from the page's foot upwards (the table is
    turned counter-clockwise, so its lines run bottom to top); (band's left edge, text), left to right."""
    bands: dict[int, list[dict]] = {}
    for c in chars:
        bands.setdefault(round(c["x0"] * 2), []).append(c)
    return sorted((min(c["x0"] for c in cs), "".join(c["text"] for c in sorted(cs, key=lambda c: -c["top"])))
                  for cs in bands.values())


def test_the_summary_is_portrait_with_the_table_turned_inside_the_type_area(pdf) -> None:
    pages = _pages(pdf)
    assert len(pages) >= 3
    for n, page in enumerate(pages, 1):
        assert abs(page["width"] - 210) <= 0.5 and abs(page["height"] - 297) <= 0.5, n  # A4 portrait
        turned = page["turned"]
        assert turned, n
        assert LEFT - 1 <= min(c["x0"] for c in turned) and max(c["x1"] for c in turned) <= RIGHT + 1, n
        assert TOP - 1 <= min(c["top"] for c in turned) and max(c["bottom"] for c in turned) <= BOTTOM + 1, n
        for x0, x1, top, bottom in page["rules"]:  # the grid too
            assert LEFT - 1 <= x0 and x1 <= RIGHT + 1 and TOP - 1 <= top and bottom <= BOTTOM + 1, n
        # the table uses the 版心's length: its grid runs from one end to the other
        assert abs(min(r[2] for r in page["rules"]) - TOP) <= 1 and abs(max(r[3] for r in page["rules"]) - BOTTOM) <= 1
        # nothing of the table is upright: only the page number is
        assert re.fullmatch(r"— \d+ —", "".join(c["text"] for c in page["upright"])), n


def test_the_head_is_on_the_binding_side_of_odd_pages_and_the_outer_side_of_even_ones(pdf) -> None:
    """Odd (recto) pages are bound on the left, even (verso) ones on the right: the head is at the left
    edge on both, so every page reads the same way once the document is turned clockwise."""
    pages = _pages(pdf)
    for n, page in enumerate(pages, 1):
        lines = _columns(page["turned"])
        head = [x for x, text in lines if text == "".join(HEADER)]
        assert len(head) == 1, (n, lines[:4])  # the header row, repeated on every page
        body = [x for x, text in lines if text != "".join(HEADER)]
        assert head[0] < 105, n  # the left half: odd page 订口, even page 切口
        if n == 1:  # under the title and the agency line
            assert all(x < head[0] for x, text in lines if text in (_attachment_name(), "审批部门：安康市行政审批服务局"))
            assert all(x > head[0] for x, text in lines if "劳务派遣" in text)
        else:  # the first thing in the 版心 on the binding/outer side
            assert head[0] - LEFT <= 6 and all(x > head[0] for x in body), n
        # read along the page's length: 序号 at the foot of the page, 配合单位 at its top
        seq = [c for c in page["turned"] if c["text"] == "序"]
        unit = [c for c in page["turned"] if c["text"] == "配"]
        assert max(c["top"] for c in seq) > BOTTOM - 12 and min(c["top"] for c in unit) < TOP + 40, n


def test_page_numbers_stand_where_the_letters_have_them(pdf) -> None:
    for n, page in enumerate(_pages(pdf), 1):
        number = page["upright"]
        assert "".join(c["text"] for c in number) == f"— {n} —", n
        assert all(abs(c["size"] - 14) < 0.1 for c in number), n  # 4号
        top = min(c["top"] for c in number)
        assert abs(top - (BOTTOM + 7)) <= 1.5, (n, top)  # under the 版心, 7 mm
        if n % 2:  # 单页码居右空一字
            assert abs(max(c["x1"] for c in number) - (RIGHT - EM)) <= 1, n
        else:  # 双页码居左空一字
            assert abs(min(c["x0"] for c in number) - (LEFT + EM)) <= 1, n


def test_the_page_numbers_match_a_letters(pdf, tmp_path, soffice) -> None:
    """「页码位置与公文其他页码保持一致」: against a three-page letter made by the templates (LibreOffice)."""
    from archive_app.documents import template_catalogue
    from tests.documents.pdf_layout import is_page_number, read
    from tests.documents.test_gbt9704_pdf import _convert, _variant

    t = template_catalogue.get("supervision-info-letter")
    letter = _convert(tmp_path, {"long": (t.id, _variant(t, 30))})["long"]
    rows, _rules, count = read(letter)
    assert count >= 3
    ours = _pages(pdf)
    for n in (2, 3):
        theirs = next(r for r in rows if r.page == n and is_page_number(r))
        number = ours[n - 1]["upright"]
        assert abs(min(c["top"] for c in number) - theirs.top) <= 0.5, n
        if n % 2:
            assert abs(max(c["x1"] for c in number) - theirs.x1) <= 0.5, n
        else:
            assert abs(min(c["x0"] for c in number) - theirs.x0) <= 0.5, n


def test_the_title_is_the_seeds_attachment_name(pdf) -> None:
    name = _attachment_name()
    assert name == "市行政审批服务局行政许可事项特别审查程序汇总表"
    first = _pages(pdf)[0]
    title = [c for c in first["turned"] if c["size"] > 20]  # 2号 (22 pt)
    assert _columns(title) and [text for _, text in _columns(title)] == [name]
    assert not any(c["size"] > 20 for page in _pages(pdf)[1:] for c in page["turned"])  # once, on page 1


def test_the_registers_stay_landscape(archive, org) -> None:
    """The 归档文件目录 (DA/T 22) and the 登记簿 are registers, not a 公文's attachment."""
    with archive.db.session() as s:
        for report_id in ("filing-catalogue", "special-review-register"):
            data, _, _ = reports.export(reports.build(s, report_id, "SPJ", viewer=None), "pdf")
            with pdfplumber.open(io.BytesIO(data)) as doc:
                page = doc.pages[0]
                assert round(page.width / MM) == 297 and round(page.height / MM) == 210, report_id


def test_a_closing_book_title_mark_never_starts_a_line() -> None:
    """「》」 stays with the title it closes when a narrow cell wraps (reportlab's CJK breaking
    lacks it among the characters that may not start a line; rendition/fonts.py adds it)."""
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph

    from archive_app.rendition.fonts import cjk_font

    style = ParagraphStyle("cell", fontName=cjk_font(), fontSize=9, leading=12, wordWrap="CJK")
    for width in range(40, 160):
        p = Paragraph("依据《中华人民共和国行政许可法》第三十八条", style)
        p.wrap(width, 1000)
        lines = ["".join(line[1]) if isinstance(line, tuple) else "".join(w.text for w in line.words)
                 for line in p.blPara.lines]
        assert not any(line.startswith("》") for line in lines), (width, lines)
