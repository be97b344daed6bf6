"""Wording of the letters (issue 12 items 5 and 7, issue 16 item 4): titles without doubled words
for every matter, no empty 「（办件编号：）」, each typed line its own paragraph, a conclusion letter
that answers a 委托书 as such, 配合单位 in the 联办通知单, a 分管领导 change worded as one."""

from __future__ import annotations

import io
import re
import zipfile

import pytest
from docx import Document

from archive_app.demo import MATTERS
from archive_app.documents import template_catalogue, values
from archive_app.documents.render import render_docx

EMPTY = re.compile(r"（）|（[^（）]{1,12}：）|：，|：。|：；|None")
DOUBLED = re.compile(r"(许可|审批)行政许可|(..+)\2")


class _Matter:
    def __init__(self, name: str) -> None:
        self.name = name

    def scalar(self, _query):
        return self.name


def _render(t: template_catalogue.Template, data: dict, matter_name: str = "劳务派遣经营许可") -> tuple[str, str]:
    session = _Matter(matter_name)
    clean = values.check(t, data, session)
    ctx = values.context(t, clean, session)
    ctx.update(agency_name="安康市行政审批服务局", doc_no="安行审函〔2026〕12号", date_cn="2026年11月22日",
               print_date_cn="2026年11月22日")
    docx = render_docx(t.path, ctx)
    doc = Document(io.BytesIO(docx))
    text = "\n".join([p.text for p in doc.paragraphs] + [c.text for tb in doc.tables for r in tb.rows for c in r.cells])
    return text, values.record_title(t, ctx)


@pytest.mark.parametrize("matter_name", sorted({m[1] for m in MATTERS}))
def test_titles_do_not_double_words_for_any_matter(matter_name: str) -> None:
    for t in template_catalogue.all_templates():
        text, record_title = _render(t, t.example(), matter_name)
        assert not DOUBLED.search(record_title), (t.id, record_title)
        assert not re.search(r"(许可|审批)行政许可", text), t.id


@pytest.mark.parametrize("template_id", sorted(t.id for t in template_catalogue.all_templates()))
def test_blank_optional_fields_leave_no_empty_brackets(template_id: str) -> None:
    t = template_catalogue.get(template_id)
    required = {f.name: v for f in t.fields if f.required for v in [t.example()[f.name]]}
    text, _ = _render(t, required)
    assert not EMPTY.search(text), (template_id, EMPTY.search(text).group(0))


def test_each_line_of_a_text_field_is_its_own_paragraph() -> None:
    for t in template_catalogue.all_templates():
        data = {**t.example(), **{f.name: "第一行内容\n第二行内容" for f in t.fields if f.type == "text"}}
        session = _Matter("劳务派遣经营许可")
        ctx = values.context(t, values.check(t, data, session), session)
        ctx.update(agency_name="甲", doc_no="1号", date_cn="2026年1月1日", print_date_cn="2026年1月1日")
        docx = render_docx(t.path, ctx)
        xml = zipfile.ZipFile(io.BytesIO(docx)).read("word/document.xml").decode()
        body = re.sub(r'<w:p><w:pPr><w:pStyle w:val="标题"/>.*?</w:p>', "", xml)  # a title breaks by line
        assert "<w:br/>" not in body, t.id
        doc = Document(io.BytesIO(docx))
        paragraphs = [p.text for p in doc.paragraphs] + [p.text for tb in doc.tables for r in tb.rows
                                                         for c in r.cells for p in c.paragraphs]
        if any(f.type == "text" for f in t.fields):
            assert "第一行内容" in paragraphs and "第二行内容" in paragraphs, t.id


def test_the_conclusion_letter_answers_an_entrustment_as_such() -> None:
    t = template_catalogue.get("review-conclusion-letter")
    text, _ = _render(t, {**t.example(), "basis_form": "委托书", "notice_no": "安行审委〔2026〕2号"})
    assert "贵局《委托书》（安行审委〔2026〕2号）收悉" in text and "联办通知单" not in text
    text, _ = _render(t, {k: v for k, v in t.example().items() if k != "basis_form"})
    assert "贵局《特别审查程序联办通知单》" in text


def test_the_joint_review_notice_names_the_partner_as_配合单位() -> None:
    t = template_catalogue.get("joint-review-notice")
    doc = Document(io.BytesIO(render_docx(t.path, {**values.context(t, values.check(t, t.example(), _Matter("劳务派遣经营许可")), _Matter("劳务派遣经营许可")),
                                                   "agency_name": "安康市行政审批服务局", "doc_no": "1号",
                                                   "date_cn": "", "print_date_cn": ""})))
    rows = {r.cells[0].text: r.cells[1].text for r in doc.tables[0].rows}
    assert "承办单位" not in rows and rows["牵头单位"] == "安康市行政审批服务局"
    assert rows["配合单位"].startswith("安康市人力资源和社会保障局")


def test_a_leader_change_is_not_worded_as_a_liaison_change() -> None:
    t = template_catalogue.get("liaison-change-letter")
    text, title = _render(t, {**t.example(), "role": "分管领导", "reason": "工作调动", "old_name": "陈志刚", "new_name": "刘强",
                              "new_title": "副局长"})
    assert "审管联动分管领导自" in text and "联络员" not in text and "分管领导" in title
    assert "第八条" in text
    text, _ = _render(t, t.example())
    assert "审管联动联络员自" in text
