"""「预览 PDF」 from the page takes no 发文字号, files nothing and logs no issue, for every template
(issue 12 item 2: a field called `action` once collided with the form's button, so previews of
applicant-notice and license-action-letter were issued)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from archive_app import documents
from archive_app.documents import template_catalogue
from archive_app.models import AuditEntry, DocNumberCounter, FilingCounter, IssuedDocument, Record
from archive_app.organisation.users import create_user
from tests.conftest import PASSWORD
from tests.helpers import csrf_from, login

_NAME = re.compile(r'<(?:input|select|textarea|button)\b[^>]*\bname="([^"]+)"')
_PREVIEW = re.compile(r'formaction="([^"]+)"[^>]*data-testid="preview"')


@pytest.fixture
def correspondents(archive, org, users) -> None:
    with archive.db.transaction() as s:
        for name, agency in (("spj_corr", "SPJ"), ("rsj_corr", "RSJ")):
            create_user(s, name, agency, "correspondence", PASSWORD)


def _counts(archive) -> tuple[int, ...]:
    with archive.db.session() as s:
        return (s.scalar(select(func.count()).select_from(IssuedDocument)),
                s.scalar(select(func.count()).select_from(Record)),
                s.scalar(select(func.coalesce(func.sum(DocNumberCounter.last_no), 0))),
                s.scalar(select(func.count()).select_from(FilingCounter)),
                s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action.like("document.%"))))


def test_no_field_shares_a_name_with_a_form_control(client, correspondents) -> None:
    login(client, "spj_corr")
    for t in template_catalogue.all_templates():
        page = client.get(f"/documents/new/{t.id}").get_data(as_text=True)
        form = page[page.index('data-testid="document-form"'):]
        names = _NAME.findall(form[:form.index("</form>")])
        fields = {f.name for f in t.fields}
        controls = [n for n in names if n not in fields]
        assert controls == ["csrf_token"], f"{t.id}: controls {controls}"
        assert not fields & template_catalogue.RESERVED_NAMES and not any(n.endswith("_cn") for n in fields)
        assert sorted(n for n in names if n in fields) == sorted(fields)


def test_a_schema_with_a_reserved_field_name_is_refused(tmp_path: Path) -> None:
    source = template_catalogue.DEFAULT_DIR
    spec = json.loads((source / "approval-result-letter.schema.json").read_text(encoding="utf-8"))
    spec["fields"][0]["name"] = "csrf_token"
    (tmp_path / "approval-result-letter.schema.json").write_text(json.dumps(spec, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "approval-result-letter.docx").write_bytes((source / "approval-result-letter.docx").read_bytes())
    with pytest.raises(ValueError, match="reserved"):
        template_catalogue._load(tmp_path)


NAMES = {"spj_corr": "安康市行政审批服务局", "rsj_corr": "安康市人力资源和社会保障局"}


def test_previewing_every_template_from_the_page_changes_no_register(app, client, archive, correspondents,
                                                                      soffice) -> None:
    before = _counts(archive)
    for agency_user in ("spj_corr", "rsj_corr"):
        login(client, agency_user)
        for t in template_catalogue.all_templates():
            with archive.db.session() as s:
                if not documents.may_issue(s, t, agency_user[:3].upper(), t.example().get("matter")):
                    continue
            page = client.get(f"/documents/new/{t.id}?example=1").get_data(as_text=True)
            target = _PREVIEW.search(page)
            assert target, f"{t.id}: no preview button"
            form = {k: str(v) for k, v in t.example().items()}
            if form.get("receiver") == NAMES[agency_user]:  # a letter goes to another organ, never its issuer
                form["receiver"] = NAMES["spj_corr" if agency_user == "rsj_corr" else "rsj_corr"]
            form["csrf_token"] = csrf_from(page)
            res = client.post(target.group(1), data=form)
            assert res.status_code == 200 and res.mimetype == "application/pdf", (t.id, agency_user, res.status_code)
            assert res.data[:5] == b"%PDF-"
    assert _counts(archive) == before
    register = client.get("/documents/").get_data(as_text=True)
    assert "（发文时自动编号）" not in register


def test_a_preview_with_bad_values_shows_the_form_and_takes_nothing(client, archive, correspondents) -> None:
    login(client, "spj_corr")
    t = template_catalogue.get("applicant-notice")
    page = client.get(f"/documents/new/{t.id}?example=1").get_data(as_text=True)
    before = _counts(archive)
    res = client.post(_PREVIEW.search(page).group(1),
                      data={**t.example(), "action": "", "csrf_token": csrf_from(page)})
    html = res.get_data(as_text=True)
    assert res.status_code == 400 and "未能预览：" in html and "请选择" in html
    assert html.index("公文内容有误") < html.index("错误代码 VALIDATION")  # the message leads, the code follows
    assert _counts(archive) == before
