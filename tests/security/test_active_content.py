"""Issue 11 item 8: copies we hand out are for reading. Under a 调阅 grant only the watermarked
PDF leaves (never an original DOCX/image or a letter's .docx); the 归档章 and watermarked copies
drop attached files, JavaScript, actions and forms; a PDF with attached files is refused."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from archive_app.core import errors
from archive_app.rendition.stamp import StampFields, stamp_pdf
from archive_app.rendition.watermark import watermark_pdf
from tests import factories as f
from tests.helpers import bearer

SMUGGLED = b"MZ-smuggled-executable-payload-7f3a"


def _active_pdf(*, attachment: bool = True) -> bytes:
    """A real PDF with JavaScript, an open action, a form and (optionally) an attached file."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(f.pdf_bytes("劳务派遣经营许可决定书"))))
    if attachment:
        writer.add_attachment("tool.exe", SMUGGLED)
    js = writer._add_object(DictionaryObject({NameObject("/S"): NameObject("/JavaScript"),
                                              NameObject("/JS"): TextStringObject("app.alert('x');")}))
    names = writer.root_object.setdefault(NameObject("/Names"), DictionaryObject()).get_object()
    names[NameObject("/JavaScript")] = DictionaryObject(
        {NameObject("/Names"): ArrayObject([TextStringObject("js1"), js])})
    writer.root_object[NameObject("/OpenAction")] = DictionaryObject({
        NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")})
    writer.root_object[NameObject("/AcroForm")] = DictionaryObject({NameObject("/Fields"): writer._add_object(
        DictionaryObject())})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _assert_inert(data: bytes) -> None:
    reader = PdfReader(io.BytesIO(data))
    root = reader.trailer["/Root"]
    assert reader.attachments == {}
    assert "/OpenAction" not in root and "/AcroForm" not in root
    assert "/JavaScript" not in (root.get("/Names") or {})
    assert SMUGGLED not in data and b"app.alert" not in data and b"/JavaScript" not in data
    assert "劳务派遣" in reader.pages[0].extract_text()


@pytest.mark.parametrize("make", [
    lambda pdf: stamp_pdf(pdf, StampFields("X001", 2026, 1, "SP", "30年", 1)),
    lambda pdf: watermark_pdf(pdf, "调阅 DY2026-0001"),
], ids=["stamped", "watermarked"])
def test_copies_drop_attachments_javascript_actions_and_forms(make) -> None:
    source = _active_pdf()
    assert SMUGGLED in source and PdfReader(io.BytesIO(source)).attachments  # the test file is real
    _assert_inert(make(source))


def test_a_pdf_with_an_attached_file_is_refused(archive, org, tmp_path) -> None:
    with pytest.raises(errors.UnsupportedType, match=r"tool\.exe"):
        f.file_bytes(archive, tmp_path, _active_pdf(), "a.pdf")


def test_the_stamped_copy_of_a_pdf_with_javascript_is_inert(archive, org, tmp_path) -> None:
    data = _active_pdf(attachment=False)
    filed = f.file_bytes(archive, tmp_path, data, "a.pdf")
    with archive.db.session() as s:
        from archive_app.models import Record
        stamped = s.get(Record, filed.record_id).file("stamped")
        original = s.get(Record, filed.record_id).file("original")
    assert archive.store.path_for(original.sha256).read_bytes() == data  # the original is kept as is
    _assert_inert(archive.store.path_for(stamped.sha256).read_bytes())


def _grant(client, users, record_id: int, mode: str = "download") -> str:
    req = client.post("/api/v1/lookup-requests", headers=bearer(users["rsj_officer"]),
                      json={"record_ids": [record_id], "purpose": "监管执法核查", "mode": mode, "days": 7}).get_json()
    client.post(f"/api/v1/lookup-requests/{req['id']}/decision", headers=bearer(users["spj_clerk"]),
                json={"decision": "approve"})
    return req["number"]


def test_under_a_download_grant_an_image_original_comes_as_the_watermarked_pdf(client, users, archive, tmp_path):
    png = f.image_bytes("PNG")
    filed = f.file_bytes(archive, tmp_path, png, "scan.png")
    number = _grant(client, users, filed.record_id)
    resp = client.get(f"/api/v1/records/{filed.record_id}/content", headers=bearer(users["rsj_officer"]))
    assert resp.status_code == 200 and resp.mimetype == "application/pdf" and resp.data != png
    assert number in PdfReader(io.BytesIO(resp.data)).pages[0].extract_text()
    resp.close()


def test_under_a_download_grant_a_docx_without_pdf_copy_is_not_handed_out(client, users, archive, tmp_path):
    filed = f.file_bytes(archive, tmp_path, f.docx_bytes(), "letter.docx")  # no LibreOffice: no PDF copy
    _grant(client, users, filed.record_id)
    resp = client.get(f"/api/v1/records/{filed.record_id}/content", headers=bearer(users["rsj_officer"]))
    assert resp.status_code == 403 and "水印" in resp.get_json()["error"]["message"]
    # the custodian's own staff still get the original
    own = client.get(f"/api/v1/records/{filed.record_id}/content", headers=bearer(users["spj_officer"]))
    assert own.status_code == 200 and own.data == archive.store.path_for(filed.sha256).read_bytes()
    own.close()


def test_under_a_download_grant_an_issued_letter_comes_only_as_the_watermarked_pdf(client, users, archive, soffice):
    """A real letter (docxtpl + LibreOffice) filed with its .docx beside the PDF: under RSJ's
    download grant neither the .docx nor the unwatermarked PDF leaves SPJ (issue 11 item 8)."""
    from archive_app import documents
    from archive_app.intake import Actor

    t = documents.get("approval-result-letter")
    issued = documents.issue(archive, t.id, {**t.example(), "matter": "LWPQ"},
                             Actor("spj_correspondence", "SPJ", "correspondence"))
    with archive.db.session() as s:
        from archive_app.models import Record

        rec = s.get(Record, issued.record_id)
        docx = archive.store.path_for(rec.file("source").sha256).read_bytes()
        pdf = archive.store.path_for(rec.file("original").sha256).read_bytes()
    number = _grant(client, users, issued.record_id)
    h = bearer(users["rsj_officer"])
    for url in (f"/records/{issued.record_id}/source", f"/records/{issued.record_id}/original",
                f"/api/v1/records/{issued.record_id}/content"):
        resp = client.get(url, headers=h)
        assert resp.status_code == 200 and resp.mimetype == "application/pdf", url
        assert resp.data not in (docx, pdf) and number in PdfReader(io.BytesIO(resp.data)).pages[0].extract_text()
        resp.close()
    # the letter's own routes are the issuer's: the other agency gets nothing there
    assert client.get(f"/api/v1/documents/{issued.id}/docx", headers=h).status_code in (403, 404)
