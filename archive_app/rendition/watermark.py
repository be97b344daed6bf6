"""A visible watermark on every page of a PDF handed out under a lookup request (调阅):
who asked, for which agency, when, and the request number — so a copy that leaves the
system says where it came from."""

from __future__ import annotations

from reportlab.lib.colors import Color
from reportlab.pdfgen import canvas

from .fonts import cjk_font
from .overlay import overlay


def watermark_pdf(pdf: bytes, text: str) -> bytes:
    def draw(c: canvas.Canvas, width: float, height: float) -> None:
        c.setFillColor(Color(0.75, 0.1, 0.1, alpha=0.28))
        c.setFont(cjk_font(), 12)
        c.translate(width / 2, height / 2)
        c.rotate(35)
        for dy in (-0.22 * height, 0, 0.22 * height):
            c.drawCentredString(0, dy, text)
    return overlay(pdf, draw)
