"""Every template issues through LibreOffice from its example and from a long-body variant, by
the agency its issuer role names (issue 12 "done means")."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from archive_app import documents
from archive_app.core import errors
from archive_app.documents import template_catalogue
from archive_app.models import IssuedDocument, Record
from tests.documents.conftest import RSJ_STAFF, SPJ_STAFF

LONG_LINE = "经核查，该单位经营场所、办公设施及管理制度与申请材料所述一致，相关人员资格证明齐全有效。"


def long_body(t: template_catalogue.Template) -> dict:
    data = dict(t.example())
    for fld in t.fields:
        if fld.type == "text":
            data[fld.name] = "\n".join(f"{i + 1}. {LONG_LINE}" for i in range(24))
    return data


def staff_for(t: template_catalogue.Template):
    return RSJ_STAFF if t.issuer == "department" else SPJ_STAFF


def _pdf_text(archive, record_id: int) -> tuple[str, int]:
    with archive.db.session() as s:
        sha = s.get(Record, record_id).file("original").sha256
    reader = PdfReader(io.BytesIO(archive.store.path_for(sha).read_bytes()))
    return "".join(p.extract_text() for p in reader.pages).replace(" ", "").replace("\n", ""), len(reader.pages)


def test_every_template_issues_from_its_example_and_a_long_body(archive, org, soffice) -> None:
    made: list[tuple[str, str, int]] = []
    for staff in (SPJ_STAFF, RSJ_STAFF):
        ids = []
        for t in template_catalogue.all_templates():
            if staff_for(t) is staff:
                for variant, data in (("example", t.example()), ("long", long_body(t))):
                    ids.append(documents.reserve(archive, t.id, data, staff))
                    made.append((t.id, variant, ids[-1]))
        for outcome in documents.complete(archive, ids, staff):
            assert not isinstance(outcome, str), outcome
    with archive.db.session() as s:
        rows = {d.id: d for d in s.scalars(select(IssuedDocument))}
        for template_id, variant, doc_id in made:
            doc = rows[doc_id]
            assert doc.status == "issued", (template_id, variant, doc.error)
            text, pages = _pdf_text(archive, doc.record_id)
            assert doc.doc_no in text, (template_id, variant)
            assert "安康市集中审批与监管协调联动实施办法" in text or not template_catalogue.get(template_id).cites
            if variant == "long" and any(f.type == "text" for f in template_catalogue.get(template_id).fields):
                assert pages >= 2, (template_id, pages)


@pytest.mark.parametrize("template_id", ["revocation-decision", "license-change-decision", "license-withdrawal-decision",
                                         "license-cancellation-decision", "action-result-letter"])
def test_the_department_may_not_issue_a_decision_of_the_approving_agency(archive, org, template_id: str) -> None:
    t = template_catalogue.get(template_id)
    with pytest.raises(errors.Forbidden) as caught:
        documents.reserve(archive, t.id, t.example(), RSJ_STAFF)
    assert "第三条、第四条" in caught.value.message and "不再行使或者变相行使" in caught.value.message
    with archive.db.session() as s:
        assert s.scalar(select(IssuedDocument.id)) is None  # no number was taken


@pytest.mark.parametrize("template_id", ["supervision-info-letter", "review-conclusion-letter", "approval-standard-letter",
                                         "review-participants-notice", "policy-transmittal-letter"])
def test_the_approving_agency_may_not_issue_what_the_department_sends(archive, org, template_id: str) -> None:
    t = template_catalogue.get(template_id)
    with pytest.raises(errors.Forbidden) as caught:
        documents.reserve(archive, t.id, t.example(), SPJ_STAFF)
    assert "监管部门" in caught.value.message and "《安康市集中审批与监管协调联动实施办法（试行）》" in caught.value.message
