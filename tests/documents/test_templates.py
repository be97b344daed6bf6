"""The template catalogue: every id of DESIGN.md §4, reproducible from build.py, GB/T 9704 layout,
and rendering that keeps hostile values exactly as typed."""

from __future__ import annotations

import importlib.util
import io
import json
import zipfile
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Mm

from archive_app.core import errors
from archive_app.documents import template_catalogue, values
from archive_app.documents.render import render_docx

TEMPLATE_IDS = {
    "joint-review-notice", "review-entrustment", "approval-result-letter", "supervision-info-letter",
    "review-conclusion-letter", "license-action-letter", "revocation-decision", "applicant-notice",
    "policy-transmittal-letter", "liaison-filing-form", "liaison-change-letter", "archive-lookup-letter",
    "consultation-notice", "consultation-minutes", "action-result-letter", "license-change-decision",
    "license-withdrawal-decision", "license-cancellation-decision", "coordination-request-letter",
    "approval-standard-letter", "review-participants-notice", "liaison-meeting-notice",
}
HOSTILE = "A&B <tag> \"quoted\" 'single' 〔2026〕 {{ not_a_field }} {% raw %} ]]> 第一行"


class _NoMatters:
    """Stands in for a session: every matter code exists, named 劳务派遣经营许可."""

    def scalar(self, _query):
        return "劳务派遣经营许可"


def _context(template: template_catalogue.Template, data: dict) -> dict:
    clean = values.check(template, data, _NoMatters())
    ctx = values.context(template, clean, _NoMatters())
    ctx.update(agency_name="安康市行政审批服务局", doc_no="安行审函〔2026〕12号", date_cn="2026年11月22日",
               print_date_cn="2026年11月22日")
    return ctx


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    parts = [p.text for p in doc.paragraphs]
    parts += [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join(parts)


def test_every_template_id_of_the_design_is_in_the_catalogue() -> None:
    found = {t.id: t for t in template_catalogue.all_templates()}
    assert set(found) == TEMPLATE_IDS
    for t in found.values():
        assert t.path.is_file() and t.title and t.retention in ("Y", "D30", "D10")
        for f in t.fields:
            assert f.label and f.type in template_catalogue.FIELD_TYPES
            if f.required:
                assert f.example not in (None, ""), f"{t.id}.{f.name} needs an example"
            if f.type == "choice":
                assert f.allowed and f.example in f.allowed


def test_templates_are_exactly_what_build_py_writes(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("doc_templates_build", template_catalogue.DEFAULT_DIR / "build.py")
    build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(build)
    build.build(tmp_path)
    for template_id in TEMPLATE_IDS:
        for suffix in (".docx", ".schema.json"):
            fresh, committed = tmp_path / f"{template_id}{suffix}", template_catalogue.DEFAULT_DIR / f"{template_id}{suffix}"
            assert fresh.read_bytes() == committed.read_bytes(), f"re-run doc_templates/build.py: {committed.name}"


@pytest.mark.parametrize("template_id", sorted(TEMPLATE_IDS))
def test_layout_follows_gbt_9704(template_id: str) -> None:
    t = template_catalogue.get(template_id)
    doc = Document(str(t.path))
    sec = doc.sections[0]
    assert (round(sec.page_width.mm), round(sec.page_height.mm)) == (210, 297)
    assert [round(x.mm) for x in (sec.top_margin, sec.left_margin, sec.right_margin, sec.bottom_margin)] == [37, 28, 26, 35]
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16 and normal.font.name == "仿宋_GB2312"
    xml = zipfile.ZipFile(t.path).read("word/document.xml").decode()
    assert 'w:linePitch="579"' in xml  # 22 lines in the 225 mm type area
    assert ("方正小标宋简体" in xml and 'w:sz w:val="44"' in xml) or t.format == "minutes"  # 2号 title
    footers = "".join(zipfile.ZipFile(t.path).read(n).decode() for n in zipfile.ZipFile(t.path).namelist()
                      if n.startswith("word/footer"))
    assert "PAGE" in footers and "— " in footers and " —" in footers
    headers = "".join(zipfile.ZipFile(t.path).read(n).decode() for n in zipfile.ZipFile(t.path).namelist()
                      if n.startswith("word/header"))
    if t.format in ("file", "letter", "decision", "minutes"):
        # red 发文机关标志 / 纪要标志 (the 信函's is in its first page's header, 30 mm from the top)
        assert 'w:color w:val="FF0000"' in (headers if t.format == "letter" else xml)
    if t.format == "letter":
        assert sec.different_first_page_header_footer  # 信函格式: no page number on page 1
    assert doc.settings.odd_and_even_pages_header_footer
    width = sec.page_width - sec.left_margin - sec.right_margin
    assert abs(width - Mm(156)) < Mm(1)


@pytest.mark.parametrize("template_id", sorted(TEMPLATE_IDS))
def test_each_template_renders_its_example(template_id: str) -> None:
    t = template_catalogue.get(template_id)
    ctx = _context(t, t.example())
    text = _text(render_docx(t.path, ctx))
    assert "{{" not in text and "{%" not in text
    for f in t.fields:
        if f.example not in (None, "") and f.type in ("string", "choice"):
            assert str(f.example) in text, f"{f.name} missing from {template_id}"
    assert "安行审函〔2026〕12号" in text


def test_hostile_values_come_out_exactly_as_typed() -> None:
    t = template_catalogue.get("supervision-info-letter")
    long_value = ("长" * 1990) + "&<>\"'〔〕"
    data = {**t.example(), "subject": HOSTILE, "content": "第一段 & <b>不是标签</b>\n\n第三段 〔2026〕\n" + long_value,
            "contact": long_value}
    rendered = render_docx(t.path, _context(t, data))
    doc = Document(io.BytesIO(rendered))
    paragraphs = [p.text for p in doc.paragraphs]
    assert HOSTILE in "\n".join(paragraphs)
    start = paragraphs.index("第一段 & <b>不是标签</b>")
    assert paragraphs[start:start + 4] == ["第一段 & <b>不是标签</b>", "", "第三段 〔2026〕", long_value]
    assert any(long_value in p for p in paragraphs)
    # the package is still a well-formed document LibreOffice and Word open
    with zipfile.ZipFile(io.BytesIO(rendered)) as z:
        assert z.testzip() is None


def test_line_breaks_in_a_one_line_field_are_kept() -> None:
    t = template_catalogue.get("approval-result-letter")
    data = {**t.example(), "receiver": "甲单位\n乙单位"}
    doc = Document(io.BytesIO(render_docx(t.path, _context(t, data))))
    assert any("甲单位\n乙单位" in p.text for p in doc.paragraphs)


@pytest.mark.parametrize(("change", "field"), [
    ({"receiver": ""}, "receiver"),
    ({"unknown_field": "x"}, "unknown_field"),
    ({"decided_on": "2026-13-01"}, "decided_on"),
    ({"decision": "随便"}, "decision"),
    ({"contact": "响铃\x07"}, "contact"),
    ({"remarks": "分页\x0c"}, "remarks"),
    ({"applicant": "长" * 2001}, "applicant"),
    ({"receiver": ["列表"]}, "receiver"),
])
def test_bad_values_are_refused_naming_the_field(change: dict, field: str) -> None:
    t = template_catalogue.get("approval-result-letter")
    with pytest.raises(errors.Validation) as caught:
        values.check(t, {**t.example(), **change}, _NoMatters())
    assert field in caught.value.extra["fields"]


def test_missing_required_values_are_all_listed() -> None:
    t = template_catalogue.get("joint-review-notice")
    with pytest.raises(errors.Validation) as caught:
        values.check(t, {}, _NoMatters())
    required = {f.name for f in t.fields if f.required}
    assert set(caught.value.extra["fields"]) == required


def test_dates_are_written_the_gbt_9704_way() -> None:
    assert values.date_cn(date(2026, 1, 5)) == "2026年1月5日"


def test_schemas_are_valid_json_with_the_public_shape() -> None:
    for t in template_catalogue.all_templates():
        spec = json.loads(t.path.with_name(f"{t.id}.schema.json").read_text(encoding="utf-8"))
        assert {"id", "title", "fields"} <= set(spec) and spec["id"] == t.id


def test_the_record_title_keeps_markup_characters_as_typed() -> None:
    t = template_catalogue.get("approval-result-letter")
    ctx = _context(t, {**t.example(), "applicant": "A&B <公司> \"甲\" {{ x }}"})
    assert values.record_title(t, ctx) == "关于A&B <公司> \"甲\" {{ x }}劳务派遣经营许可审批办结信息的告知函"
    for template in template_catalogue.all_templates():  # every pattern names only fields the context has
        assert values.record_title(template, _context(template, template.example()))
