"""Forms ask people for what they know (issue 16 item 4): examples are never placeholder text
(a placeholder looks like a filled value, then the form complains 「请填写」) — they are a visible
hint or a 「填入示例」 button; records are picked by 档号/题名 and letters from a list, never typed
as internal row ids. Checked in the template sources and in the rendered pages of every form."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from archive_app.organisation.users import create_user
from tests.conftest import PASSWORD
from tests.helpers import bearer, login

WEB = Path(__file__).resolve().parents[2] / "archive_app" / "web"
# Placeholders that are instructions (what to type, or a rule), not example values.
INSTRUCTIONS = {
    "按档号查找",  # header quick search
    "输入档号或题名中的字词",  # the record picker
    "申请人、事项、办件编号、许可证号、统一社会信用代码中的任意词句",  # 办件 search
    "申请人、企业名称、统一社会信用代码、许可证号、文号、事项或正文中的任意词句",  # 档案 search
    "新密码（至少8位）",  # admin's password reset: the rule
    "不同意的理由",  # refusing a transfer-date correction
}
# What an example value looks like: 「如 …」/「例…」, a year or date, 〔2024〕 文号 brackets, 「12,15」
# id lists, 「第19号」, codes such as J003 or SCJ.
EXAMPLE = re.compile(r"^\s*(如|例|比如|e\.g)|\d{4}|〔|\d+\s*[,，、]\s*\d+|\d+号|\b[A-Z]{2,}\d*\b|多个用")
# Inputs a person types into (not hidden, not pickers of dates/files/choices).
TYPED = re.compile(r'<input\b(?![^>]*type="(?:hidden|date|file|checkbox|radio|submit|password)")[^>]*>', re.S)
NAME = re.compile(r'\sname="([^"]+)"')
# The one typed id left: the audit trail's filter by the 对象编号 its own table shows (records,
# pushes, lookups are numbered there) — a search of the log, not a link made between objects.
TYPED_IDS_ALLOWED = {"object_id"}


def _placeholders(text: str) -> list[str]:
    return re.findall(r'placeholder\s*=\s*"([^"]*)"', text) + re.findall(r"\.placeholder\s*=\s*['\"]([^'\"]*)", text)


def _sources() -> list[Path]:
    return sorted([*WEB.glob("templates/*.html"), *WEB.glob("static/*.js"), *WEB.glob("*.py")])


def test_the_instruction_list_holds_no_example() -> None:
    assert not [p for p in INSTRUCTIONS if EXAMPLE.search(p)]


def test_no_template_or_generated_form_uses_an_example_as_placeholder() -> None:
    found = {(path.name, p) for path in _sources() for p in _placeholders(path.read_text(encoding="utf-8"))}
    assert found, "the scan found no placeholder at all: is it reading the templates?"
    assert {(name, p) for name, p in found if p not in INSTRUCTIONS or EXAMPLE.search(p)} == set()


def test_no_template_asks_for_an_internal_id() -> None:
    asked = []
    for path in WEB.glob("templates/*.html"):
        text = path.read_text(encoding="utf-8")
        for tag in TYPED.findall(text):
            name = NAME.search(tag)
            if name and re.search(r"(^|_)ids?$", name.group(1)) and name.group(1) not in TYPED_IDS_ALLOWED:
                asked.append((path.name, tag))
        asked += [(path.name, hint) for hint in re.findall(r"如\s*\d+\s*[,，、]\s*\d+|档案编号|公文编号|推送编号", text)]
    assert asked == []


@pytest.fixture
def staff(archive, users):
    with archive.db.transaction() as s:
        for agency in ("SPJ", "RSJ"):
            for role in ("correspondence", "admin"):
                create_user(s, f"{agency.lower()}_{role}", agency, role, PASSWORD)
    return users


class _Nesting(HTMLParser):
    """Form controls opened while a <span> is still open: a label's text span left unclosed."""

    def __init__(self) -> None:
        super().__init__()
        self.open_spans, self.inside = 0, []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "span":
            self.open_spans += 1
        elif tag in ("input", "select", "textarea") and self.open_spans:
            self.inside.append(f"<{tag} name={dict(attrs).get('name')}> inside a <span>")

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.open_spans = max(0, self.open_spans - 1)


def _controls_inside_text(html: str) -> list[str]:
    parser = _Nesting()
    parser.feed(html)
    return parser.inside


def _html_pages(app) -> list[str]:
    """Every page without path arguments, and the forms behind arguments (办件, 审批标准, 公文)."""
    urls = [r.rule for r in app.url_map.iter_rules()
            if "GET" in r.methods and not r.arguments and not r.rule.startswith(("/api/", "/static"))
            ]
    from archive_app.documents import template_catalogue

    urls += [f"/documents/new/{t.id}" for t in template_catalogue.all_templates()]
    return [*urls, "/cases/LWPQ-2026-0300", "/cases/matters/LWPQ/standards"]


def test_rendered_forms_use_instructions_as_placeholders_and_no_typed_ids(app, client, staff) -> None:
    assert client.post("/api/v1/cases", headers=bearer(staff["spj_officer"]), json={
        "case_no": "LWPQ-2026-0300", "matter": "LWPQ", "applicant": "安康市汉江人力资源有限公司",
        "received_on": "2026-03-02"}).status_code == 201
    seen, bad, forms = set(), [], 0
    for username in ("spj_clerk", "spj_officer", "spj_correspondence", "spj_admin", "rsj_admin"):
        browser = app.test_client()
        login(browser, username)
        for url in _html_pages(app):
            resp = browser.get(url)
            if resp.status_code != 200 or resp.mimetype != "text/html":
                resp.close()
                continue
            html = resp.get_data(as_text=True)
            forms += html.count("<form")
            for p in _placeholders(html):
                seen.add(p)
                if p not in INSTRUCTIONS or EXAMPLE.search(p):
                    bad.append((username, url, p))
            for tag in TYPED.findall(html):
                name = NAME.search(tag)
                if name and re.search(r"(^|_)ids?$", name.group(1)) and name.group(1) not in TYPED_IDS_ALLOWED:
                    bad.append((username, url, tag))
            bad += [(username, url, control) for control in _controls_inside_text(html)]
    assert bad == []
    browser = app.test_client()
    login(browser, "rsj_admin")  # the department's administrator provides the 审批标准 (第三条)
    standards = browser.get("/cases/matters/LWPQ/standards").get_data(as_text=True)
    assert 'data-name="record_id" data-single' in standards and '<select name="document_id"' in standards
    assert forms > 40 and "输入档号或题名中的字词" in seen  # the pages were read, the picker among them
