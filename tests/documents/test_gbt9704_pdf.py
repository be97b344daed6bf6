"""The letters' PDFs read back against GB/T 9704-2012 (issue 12 items 3, 4, 5, 6): 信函格式
geometry (§10.1), the 文件格式 masthead (7.2.1), the 版记 (7.4.1), page breaks (7.3.5.4), titles
broken between words (7.3.1) and the fonts used. Positions in mm, ±1 mm."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest

from archive_app.demo import MATTERS
from archive_app.documents import layout, template_catalogue, titles
from archive_app.documents.render import render_docx
from archive_app.rendition import fontmap, office
from tests.documents.pdf_layout import (
    LAST_LINE_BOTTOM,
    TYPE_BOTTOM,
    banji_alone,
    is_banji,
    is_page_number,
    page_break_problems,
    read,
)
from tests.documents.test_templates import _context

LINE = "经核查，该单位经营场所、办公设施与申请材料所述一致。"


def _convert(tmp_path: Path, docs: dict[str, tuple[str, dict]]) -> dict[str, Path]:
    paths = []
    for name, (template_id, data) in docs.items():
        t = template_catalogue.get(template_id)
        path = tmp_path / f"{name}.docx"
        path.write_bytes(render_docx(t.path, _context(t, data)))
        paths.append(path)
    pdfs = layout.convert(paths, tmp_path, 300)  # as issuing does: the measuring pass included
    out = {}
    for name, pdf in zip(docs, pdfs, strict=True):
        assert pdf is not None, name
        out[name] = tmp_path / f"{name}.pdf"
        shutil.copyfile(pdf, out[name])
    return out


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory) -> dict[str, Path]:
    if not office.soffice_binary():
        pytest.fail("LibreOffice (soffice) is not installed: apt-get install libreoffice-writer-nogui")
    long = {"content": "\n".join(LINE for _ in range(30))}
    return _convert(tmp_path_factory.mktemp("gbt9704"), {
        "letter": ("supervision-info-letter", template_catalogue.get("supervision-info-letter").example()),
        "letter-long": ("supervision-info-letter", {**template_catalogue.get("supervision-info-letter").example(), **long}),
        "file": ("consultation-notice", template_catalogue.get("consultation-notice").example()),
        "minutes": ("consultation-minutes", template_catalogue.get("consultation-minutes").example()),
        "decision": ("revocation-decision", template_catalogue.get("revocation-decision").example()),
    })


def test_the_letter_format_geometry(pdfs) -> None:
    rows, rules, _pages = read(pdfs["letter"])
    mark = next(r for r in rows if r.red)
    assert mark.page == 1 and abs(mark.top - 30) <= 1, mark.top  # 上边缘至上页边 30 mm
    assert abs((mark.x0 + mark.x1) / 2 - 106) <= 1  # centred on the 版心
    red = [r for r in rules if r.red and r.page == 1]
    upper, lower = [r for r in red if r.y < 100], [r for r in red if r.y > 200]
    for pair in (upper, lower):
        assert len(pair) == 2 and all(abs(r.length - 170) <= 1 and abs(r.x0 - 21) <= 1 for r in pair)
    thick_first = lambda pair: max(pair, key=lambda r: r.width).y < min(pair, key=lambda r: r.width).y  # noqa: E731
    assert thick_first(upper) and not thick_first(lower)  # 上粗下细 / 上细下粗
    upper_top = min(r.y - r.width / 2 for r in upper)
    assert abs(upper_top - mark.bottom - 4) <= 1, upper_top - mark.bottom  # 4 mm under the masthead
    lower_bottom = max(r.y + r.width / 2 for r in lower)
    assert abs(297 - lower_bottom - 20) <= 1, lower_bottom  # 20 mm above the page foot
    number = next(r for r in rows if "〔" in r.text and r.page == 1)
    assert abs(number.x1 - 184) <= 1  # flush with the right edge of the 版心
    assert abs(number.top - max(r.y + r.width / 2 for r in upper) - 16 * 7 / 8 * 25.4 / 72) <= 1
    assert not any(is_page_number(r) for r in rows if r.page == 1)  # no number on page 1
    text = "".join(r.text for r in rows)
    assert "印发" not in text and "抄送" in text  # no 印发 line in a 函's 版记
    assert not [r for r in rules if not r.red]  # and no rules
    date, note = (next(r for r in rows if r.text.replace(" ", "").startswith(s)) for s in ("2026年11月22日", "（联系人"))
    assert note.top > date.top  # 附注 under the 成文日期


def test_later_pages_of_a_letter_are_numbered_and_carry_no_masthead(pdfs) -> None:
    rows, rules, pages = read(pdfs["letter-long"])
    assert pages >= 2
    for page in range(2, pages + 1):
        assert any(is_page_number(r) for r in rows if r.page == page)
        assert not any(r.red for r in rows if r.page == page) and not any(r.red for r in rules if r.page == page)


@pytest.mark.parametrize("name", ["file", "minutes"])
def test_the_file_format_masthead_is_35_mm_below_the_type_area(pdfs, name: str) -> None:
    rows, rules, _ = read(pdfs[name])
    mark = next(r for r in rows if r.red)
    assert abs(mark.top - (37 + 35)) <= 1, mark.top
    red = next(r for r in rules if r.red)
    number = next(r for r in rows if "〔" in r.text)
    assert abs(red.length - 156) <= 1 and abs(red.y - number.bottom - 4) <= 1.5


@pytest.mark.parametrize("name", ["file", "decision"])
def test_the_banji_rules_and_its_place_at_the_foot(pdfs, name: str) -> None:
    _rows, rules, pages = read(pdfs[name])
    black = [r for r in rules if not r.red and r.page == pages]
    assert len(black) == 3
    assert [round(r.width, 2) for r in black] == pytest.approx([0.35, 0.25, 0.35], abs=0.05)
    assert abs(black[-1].y - TYPE_BOTTOM) <= 1  # the last rule on the 版心's bottom edge
    assert all(abs(r.length - 156) <= 1 for r in black)


def test_the_pdf_is_made_with_the_fandol_and_noto_stand_ins(pdfs) -> None:
    fonts = fontmap.pdf_fonts(pdfs["letter"])
    assert any(f.startswith("FandolFang") for f in fonts), fonts  # 仿宋_GB2312
    assert any("NotoSerifCJK" in f and "Bold" in f for f in fonts), fonts  # 方正小标宋简体
    assert fontmap.substitutes(fonts) == fonts  # none of them is a standard font: the register says so


def _body(n: int) -> str:
    return "\n".join(f"第{i}行：{LINE}" for i in range(n))


def _variant(t: template_catalogue.Template, n: int) -> dict:
    """The example with its last text field n lines long (a template without one: its last
    one-line field that many sentences long)."""
    texts = [f.name for f in t.fields if f.type == "text"]
    if texts:
        return {**t.example(), texts[-1]: _body(n)}
    strings = [f.name for f in t.fields if f.type == "string" and f.name not in ("contact", "phone", "cc")]
    return {**t.example(), strings[-1]: "".join(f"第{i}句：{LINE}" for i in range(n))}


def test_page_breaks_follow_gbt_9704_for_short_and_long_bodies(tmp_path: Path, soffice) -> None:
    """Every template, from its example and from bodies of 1 to 21 lines (or sentences, for the
    two without a text field): 7.3.5.4 (signature and date with body text), 7.4.1 (版记 together,
    on the last page, at the 版心's foot) and 7.5 (a 版记-only page unnumbered)."""
    docs = {}
    for t in template_catalogue.all_templates():
        docs[f"{t.id}.example"] = (t.id, t.example())
        for n in (1, 4, 9, 13, 17, 21):
            docs[f"{t.id}.{n}"] = (t.id, _variant(t, n))
    problems = {}
    for name, pdf in _convert(tmp_path, docs).items():
        rows, rules, pages = read(pdf)
        found = page_break_problems(rows, pages, "安康市行政审批服务局", rules)
        if found:
            problems[name] = found
    assert problems == {}


# A last body paragraph split across pages: LibreOffice does not honour "keep with next" for it,
# and without the measuring pass these lengths left the 成文日期 (16) or the signature and date
# (17-19) on a page without body text (found by rendering).
SPLIT_LAST_PARAGRAPH = range(16, 20)


def test_a_split_last_paragraph_leaves_its_last_lines_with_the_signature(tmp_path: Path, soffice) -> None:
    """7.3.5.4: the measuring pass cuts the paragraph before the last two lines the PDF shows above
    the stranded signature; those lines go with it, and no word of the letter is lost."""
    t = template_catalogue.get("liaison-change-letter")
    docs = {f"split.{n}": (t.id, _variant(t, n)) for n in SPLIT_LAST_PARAGRAPH}
    for name, pdf in _convert(tmp_path, docs).items():
        rows, rules, pages = read(pdf)
        assert page_break_problems(rows, pages, "安康市行政审批服务局", rules) == [], name
        sig = next(r for r in rows if r.text.replace(" ", "") == "安康市行政审批服务局" and r.top > 100)
        above = [r for r in rows if r.page == sig.page and r.top < sig.top and not is_page_number(r)]
        assert any("一致" in r.text for r in above), name  # body text, not only the heading, above it
        reason = "".join(r.text for r in rows).replace(" ", "")
        n = int(name.split(".")[1])
        assert all(f"第{i}句：{LINE}" in reason for i in range(n)), name  # the cut keeps every word
        source = (tmp_path / f"{name}.docx").read_bytes()
        assert b"<w:keepLines/>" in zipfile.ZipFile(io.BytesIO(source)).read("word/document.xml"), name


def test_cutting_a_paragraph_keeps_its_runs_and_escapes(tmp_path: Path) -> None:
    """The cut works on the rendered XML: text with & < > survives, the tail is unindented and
    kept with the signature, the head loses its keep-with-next."""
    t = template_catalogue.get("liaison-change-letter")
    value = "A&B<C>" + "".join(f"第{i}句：{LINE}" for i in range(3))
    docx = render_docx(t.path, _context(t, {**t.example(), "exception_reason": value}))
    tail = f"第2句：{LINE}".replace(" ", "")
    cut = layout.tail_with_signature(docx, tail)
    assert cut is not None
    xml = zipfile.ZipFile(io.BytesIO(cut)).read("word/document.xml").decode()
    paras = re.findall(r"<w:p>.*?</w:p>", xml)
    texts = ["".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", p)) for p in paras]
    at = next(i for i, text in enumerate(texts) if text.endswith(LINE) and "A&amp;B&lt;C&gt;" in text)
    assert texts[at + 1] == tail and "<w:keepNext/>" not in paras[at]
    assert all(x in paras[at + 1] for x in ("<w:keepNext/>", "<w:keepLines/>", '<w:ind w:firstLine="0"/>'))
    assert layout.tail_with_signature(docx, "不在这封信里") is None  # lines that are not its end: no change


# Bodies that fill the last page exactly, so the 版记 falls on a page of its own (found by
# rendering; if a layout change moves the break, the first assertion says to pick new lengths).
BANJI_ALONE = {"supervision-info-letter": 13, "consultation-notice": 20, "revocation-decision": 22}


def test_a_page_holding_only_the_banji_carries_no_page_number(tmp_path: Path, soffice) -> None:
    docs = {tid: (tid, _variant(template_catalogue.get(tid), n)) for tid, n in BANJI_ALONE.items()}
    for name, pdf in _convert(tmp_path, docs).items():
        rows, rules, pages = read(pdf)
        assert banji_alone(rows, pages), f"{name}: the 版记 no longer falls alone; pick a new body length"
        assert not any(is_page_number(r) for r in rows if r.page == pages), name  # 7.5
        assert all(any(is_page_number(r) for r in rows if r.page == p) for p in range(2, pages)), name
        assert not any(r.red for r in rows if r.page == pages), name  # no 信函 masthead on it
        assert page_break_problems(rows, pages, "安康市行政审批服务局", rules) == [], name
        # the body before it is laid out as before: the signature ends the page above
        assert any(r.text.replace(" ", "") == "安康市行政审批服务局" for r in rows if r.page == pages - 1), name
        if name == "supervision-info-letter":  # that page is full: its last line is where a 函's
            above = [r for r in rows if r.page == pages - 1 and not is_page_number(r)]  # rule-less 版记 sits
            assert abs(max(r.bottom for r in above) - LAST_LINE_BOTTOM) <= 0.5, name
        assert TYPE_BOTTOM - LAST_LINE_BOTTOM < 3  # within the 版心's last line
        assert any(is_banji(r) for r in rows if r.page == pages)


def test_a_letter_whose_last_page_has_body_text_is_converted_once(tmp_path: Path, soffice, monkeypatch) -> None:
    """The measuring pass costs no second LibreOffice run for the letters that need no change."""
    runs = []
    real = office.convert_many

    def counting(sources, *args, **kwargs):
        runs.append(len(sources))
        return real(sources, *args, **kwargs)

    monkeypatch.setattr(office, "convert_many", counting)
    t = template_catalogue.get("supervision-info-letter")
    docs = {"short": (t.id, t.example()), "long": (t.id, _variant(t, 14)),
            "alone": (t.id, _variant(t, BANJI_ALONE[t.id]))}
    _convert(tmp_path, docs)
    assert runs == [3, 1]  # all three, then only the one whose 版记 fell alone
    source = (tmp_path / "long.docx").read_bytes()
    assert layout.banji_text(source) == "抄送：安康市行政审批制度改革工作领导小组办公室。"
    assert b"footer-banji" not in source and b"footer-banji" in (tmp_path / "alone.docx").read_bytes()


@pytest.mark.parametrize("matter_name", sorted({m[1] for m in MATTERS}))
def test_titles_break_only_between_words(matter_name: str) -> None:
    for t in template_catalogue.all_templates():
        if not t.heading:
            continue
        ctx = _context(t, t.example())
        ctx.update(matter_name=matter_name, matter_licence=matter_name, matter_approval=matter_name)
        lines = titles.title_text(t.heading, ctx).split("\n")
        assert all(titles.width(line) <= titles.LINE_CHARS for line in lines), lines
        joined = "".join(lines)
        for word in ("劳务派遣", "人力资源", "有限公司", "经营许可", "工作制", "告知函", "决定书"):
            at = joined.find(word)
            if at >= 0:  # the word lies on one line
                assert any(word in line for line in lines), (t.id, lines)
        assert not any(line.endswith(("《", "的")) or line.startswith(("》", "）")) for line in lines)
        widths = [titles.width(line) for line in lines]
        assert max(widths) - min(widths) <= 8 or len(lines) == 1, lines  # 梯形/菱形, not one word alone


@pytest.mark.parametrize(("kind", "verb"), [("培训", "举办"), ("会议", "召开")])
def test_title_conditions_see_the_value_typed(kind: str, verb: str) -> None:
    """The liaison notice's title chooses its verb from the kind (「举办…培训」, 「召开…会议」): the
    condition must see the value, not the value wrapped for line breaking."""
    t = template_catalogue.get("liaison-meeting-notice")
    ctx = _context(t, {**t.example(), "kind": kind})
    assert "".join(titles.title_text(t.heading, ctx).split("\n")) == f"关于{verb}审管联动联络员{kind}的通知"


def test_title_keeps_what_was_typed() -> None:
    """The title is plain text: characters special in XML or HTML come out as typed (docxtpl
    escapes them later, once)."""
    typed = 'A&B<C>"D"&amp;公司'
    assert "".join(titles.title_text("关于{{ applicant }}的函", {"applicant": typed}).split("\n")) == f"关于{typed}的函"
