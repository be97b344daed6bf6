"""A visible watermark on every page of a PDF handed out under a lookup request (调阅):
who asked, for which agency, when, and the request number — so a copy that leaves the
system says where it came from."""

from __future__ import annotations

import io

from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas

from .fonts import cjk_font


def _overlay(width: float, height: float, text: str) -> PdfReader:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    c.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.28))
    c.setFont(cjk_font(), 12)
    c.translate(width / 2, height / 2)
    c.rotate(35)
    for dy in (-0.22 * height, 0, 0.22 * height):
        c.drawCentredString(0, dy, text)
    c.showPage()
    c.save()
    buf.seek(0)
    return PdfReader(buf)


def watermark_pdf(pdf: bytes, text: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    for page in writer.pages:
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        box = page.mediabox
        page.merge_page(_overlay(float(box.width), float(box.height), text).pages[0])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
