"""Issue 11 item 1, first depth: the intake refuses an office file that links to anything outside
itself (EXTERNAL_REFERENCE, 422, naming the link) before anything renders it; an ordinary
clickable hyperlink is still accepted. With LibreOffice on, the listener sees no request."""

from __future__ import annotations

import pytest

from archive_app.core import errors
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from tests import factories as f
from tests.security import hostile

CASES = {
    "docx linked image": (lambda url: hostile.docx_external_image(url), "a.docx"),
    "xlsx linked image": (lambda url: hostile.xlsx_external_image(url), "a.xlsx"),
    "odt in disguise": (lambda url: hostile.odt_linked_image(url, disguise=True), "a.docx"),
    "INCLUDEPICTURE field": (lambda url: hostile.docx_field(f'INCLUDEPICTURE "{url}" \\d'), "a.docx"),
    "INCLUDETEXT field": (lambda url: hostile.docx_field(f'INCLUDETEXT "{url}"'), "a.docx"),
    "INCLUDEPICTURE split over runs": (lambda url: hostile.docx_split_field(url), "a.docx"),
    "field in a main part not named .xml": (
        lambda url: hostile.main_part_renamed(hostile.docx_field(f'INCLUDEPICTURE "{url}"')), "a.docx"),
    "remote template": (lambda url: hostile.docx(rels=(("rIdT", "attachedTemplate", url, True),)), "a.docx"),
    "OLE link": (lambda url: hostile.docx(rels=(("rIdO", "oleObject", url, True),)), "a.docx"),
}


@pytest.mark.parametrize("label", list(CASES))
def test_a_file_with_an_external_reference_is_refused(overrides, org, listener, tmp_path, label) -> None:
    archive = Archive.open(load_settings({**overrides, "render_office": True}))
    try:
        f.file_bytes(archive, tmp_path, f.pdf_bytes(), "first.pdf")
        before = f.counts(archive)
        maker, name = CASES[label]
        url = f"{listener.url}/{label.replace(' ', '-')}.png"
        with pytest.raises(errors.ArchiveError) as caught:
            f.file_bytes(archive, tmp_path, maker(url), name)
        assert (caught.value.code, caught.value.status) == ("EXTERNAL_REFERENCE", 422)
        assert url in caught.value.message and "已拒收" in caught.value.message
        assert f.counts(archive) == before
        assert listener.requests == []
    finally:
        archive.db.dispose()


@pytest.mark.parametrize("label", ["docx linked image", "xlsx linked image", "odt in disguise"])
def test_a_file_target_is_named_too(archive, org, tmp_path, label) -> None:
    maker, name = CASES[label]
    with pytest.raises(errors.ExternalReference, match="file:///etc/passwd"):
        f.file_bytes(archive, tmp_path, maker("file:///etc/passwd"), name)


def test_a_relative_path_out_of_an_odf_package_is_external(archive, org, tmp_path) -> None:
    with pytest.raises(errors.ExternalReference, match=r"\.\./\.\./secret\.png"):
        f.file_bytes(archive, tmp_path, hostile.odt_linked_image("../../secret.png", disguise=True), "a.docx")


def test_a_clickable_hyperlink_is_accepted(archive, org, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, hostile.docx_hyperlink("https://www.gov.cn/"), "a.docx")
    assert filed.record_id


def test_the_refusal_reaches_the_api_as_422(client, users, tmp_path) -> None:
    from tests.helpers import bearer, upload_form

    resp = client.post("/api/v1/records", headers=bearer(users["spj_clerk"]),
                       data=upload_form(hostile.docx_external_image("http://169.254.169.254/latest"), "a.docx"),
                       content_type="multipart/form-data")
    body = resp.get_json()
    assert resp.status_code == 422 and body["error"]["code"] == "EXTERNAL_REFERENCE"
    assert "http://169.254.169.254/latest" in body["error"]["message"]
