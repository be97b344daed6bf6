"""Real files made by real libraries (reportlab, python-docx, openpyxl, Pillow, pypdf), and the
organisation every test starts from. Each file carries a unique marker so that no two are the
same bytes unless a test wants a duplicate."""

from __future__ import annotations

import io
import struct
import uuid
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from archive_app.core.context import Archive
from archive_app.intake import Actor, Metadata, file_record
from archive_app.models import (
    Agency,
    AuditEntry,
    FilingCounter,
    IndexJob,
    Matter,
    Record,
    RecordText,
    StoredFile,
    Unit,
)
from archive_app.rendition.fonts import cjk_font

TRANSFER = date(2021, 7, 1)
CONSOLE = Actor("console", None, "admin")


def marker() -> str:
    return uuid.uuid4().hex[:12]


def pdf_bytes(text: str = "劳务派遣经营许可决定书", pages: int = 1) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for n in range(pages):
        c.setFont(cjk_font(), 14)
        c.drawString(80, 700, f"{text} 第{n + 1}页 {marker()}")
        c.showPage()
    c.save()
    return buf.getvalue()


def docx_bytes(text: str = "关于变更劳务派遣经营许可的函") -> bytes:
    import docx

    d = docx.Document()
    d.add_paragraph(text)
    d.add_paragraph(marker())
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "申请人"
    table.rows[0].cells[1].text = "安康市汉江人力资源有限公司"
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def xlsx_bytes(text: str = "特别审查程序汇总表") -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([text, marker()])
    ws.append(["现场实地核查", 3])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def image_bytes(fmt: str, frames: int = 1) -> bytes:
    buf = io.BytesIO()
    images = [Image.new("RGB", (200, 120), (int(marker()[:2], 16), 30 * i % 255, 90)) for i in range(frames)]
    if frames > 1:
        images[0].save(buf, fmt, save_all=True, append_images=images[1:])
    else:
        images[0].save(buf, fmt)
    return buf.getvalue()


def text_bytes(text: str = "人力资源服务许可证核发记录") -> bytes:
    return f"{text}\n{marker()}\n".encode()


def ofd_bytes(pages: int = 2, text: str = "OFD 电子证照") -> bytes:
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("OFD.xml", f'<ofd:OFD {ns} Version="1.0"><ofd:DocBody><ofd:DocRoot>Doc_0/Document.xml'
                              f'</ofd:DocRoot></ofd:DocBody></ofd:OFD>')
        page_refs = "".join(f'<ofd:Page ID="{i + 1}" BaseLoc="Pages/Page_{i}/Content.xml"/>' for i in range(pages))
        z.writestr("Doc_0/Document.xml", f"<ofd:Document {ns}><ofd:Pages>{page_refs}</ofd:Pages></ofd:Document>")
        for i in range(pages):
            z.writestr(f"Doc_0/Pages/Page_{i}/Content.xml",
                       f"<ofd:Page {ns}><ofd:Content><ofd:Layer><ofd:TextObject><ofd:TextCode>{text} {i} {marker()}"
                       f"</ofd:TextCode></ofd:TextObject></ofd:Layer></ofd:Content></ofd:Page>")
    return buf.getvalue()


def encrypted_pdf_bytes() -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes())))
    writer.encrypt(user_password="", owner_password="secret")  # opens without a password, still encrypted
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def encrypted_docx_bytes() -> bytes:
    import msoffcrypto.format.ooxml as ooxml

    out = io.BytesIO()
    ooxml.OOXMLFile(io.BytesIO(docx_bytes())).encrypt("secret", out)
    return out.getvalue()


def zip_with(entries: dict[str, bytes], base: bytes | None = None) -> bytes:
    """A DOCX (a real one, or `base`) with extra entries added."""
    buf = io.BytesIO(base or docx_bytes())
    with zipfile.ZipFile(buf, "a", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries.items():
            z.writestr(name, data)
    return buf.getvalue()


def overlapping_zip_bytes() -> bytes:
    """A DOCX whose central directory points two entries at the same local data (zip bomb trick)."""
    raw = bytearray(docx_bytes())
    with zipfile.ZipFile(io.BytesIO(bytes(raw))) as z:
        infos = z.infolist()
    target = infos[1].header_offset
    eocd = raw.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack("<I", raw[eocd + 16:eocd + 20])[0]
    pos, n = cd_offset, 0
    while raw[pos:pos + 4] == b"PK\x01\x02":
        name_len, extra_len, comment_len = struct.unpack("<HHH", raw[pos + 28:pos + 34])
        if n == 2:
            raw[pos + 42:pos + 46] = struct.pack("<I", target)
        pos += 46 + name_len + extra_len + comment_len
        n += 1
    return bytes(raw)


def pe_executable_bytes() -> bytes:
    stub = bytearray(1024)
    stub[0:2] = b"MZ"
    stub[0x3C:0x40] = struct.pack("<I", 0x80)
    stub[0x80:0x84] = b"PE\x00\x00"
    return bytes(stub)


@dataclass
class Org:
    spj: Agency
    rsj: Agency


def make_org(archive: Archive) -> Org:
    """SPJ and RSJ with units, LWPQ (moved on TRANSFER) and TSGS (never moved)."""
    with archive.db.transaction() as s:
        office = "安康市行政审批制度改革工作领导小组办公室"  # 安康办法 第八条
        spj = Agency(code="SPJ", name="安康市行政审批服务局", fonds_code="J001", doc_prefix="安行审", reform_office=office)
        rsj = Agency(code="RSJ", name="安康市人力资源和社会保障局", fonds_code="J002", doc_prefix="安人社",
                     reform_office=office)
        s.add_all([spj, rsj])
        s.flush()
        swk = Unit(agency_id=spj.id, code="SWK", name="社会事务审批科", is_default=True)
        lgk = Unit(agency_id=rsj.id, code="LGK", name="劳动关系科", is_default=True)
        s.add_all([swk, lgk])
        s.flush()
        s.add(Matter(code="LWPQ", name="劳务派遣经营许可", department_id=rsj.id, approving_agency_id=spj.id,
                     transfer_date=TRANSFER, time_limit_days=20, department_unit_id=lgk.id,
                     approving_unit_id=swk.id))
        s.add(Matter(code="TSGS", name="企业实行不定时工作制和综合计算工时工作制审批", department_id=rsj.id,
                     approving_agency_id=rsj.id, transfer_date=None))
    return Org(spj, rsj)


def meta(**overrides: str) -> Metadata:
    values = {"matter": "LWPQ", "title": "劳务派遣经营许可决定书", "formed_on": "2026-03-02", "retention": "D30"}
    values.update(overrides)
    return Metadata.from_mapping(values)


def file_bytes(archive: Archive, tmp: Path, data: bytes, name: str = "decision.pdf",
               actor: Actor = CONSOLE, **overrides: str):
    path = tmp / f"upload-{marker()}"
    path.write_bytes(data)
    try:
        return file_record(archive, path, name, meta(**overrides), actor)
    finally:
        path.unlink(missing_ok=True)


def counts(archive: Archive) -> dict[str, int]:
    """Everything a refused filing must leave untouched."""
    with archive.db.session() as s:
        def n(model) -> int:
            return s.scalar(select(func.count()).select_from(model)) or 0
        return {
            "records": n(Record), "texts": n(RecordText), "files": n(StoredFile), "jobs": n(IndexJob),
            "audit": n(AuditEntry),
            "item_numbers": s.scalar(select(func.coalesce(func.sum(FilingCounter.last_no), 0))) or 0,
            "blobs": sum(1 for _ in archive.store.iter_digests()),
            "tmp": sum(1 for _ in archive.store.tmp.iterdir()),
        }
