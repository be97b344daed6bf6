"""归档章 (DA/T 22-2015 §8.2 and appendix A): 45 mm × 16 mm, two rows of three cells —
全宗号 年度 件号 / 机构（问题） 保管期限 页数 — in red at the top right of page 1.

The stamp is drawn on a PDF *rendition*; the original file is never modified.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from .fonts import cjk_font
from .overlay import Draw, overlay

RED = Color(0.85, 0.05, 0.05)
WIDTH, HEIGHT = 45 * mm, 16 * mm
MARGIN = 8 * mm  # from the top and right edges of the page


@dataclass(frozen=True)
class StampFields:
    fonds: str
    year: int
    item: int
    unit: str
    retention_label: str  # 永久 / 30年 / 10年
    pages: int | None

    def cells(self) -> list[list[str]]:
        return [[self.fonds, str(self.year), f"{self.item:04d}"],
                [self.unit, self.retention_label, "" if self.pages is None else str(self.pages)]]


def _draw_stamp(fields: StampFields) -> Draw:
    def draw(c: canvas.Canvas, width: float, height: float) -> None:
        font = cjk_font()
        x0, y0 = width - MARGIN - WIDTH, height - MARGIN - HEIGHT
        c.setStrokeColor(RED)
        c.setFillColor(RED)
        c.setLineWidth(0.8)
        c.rect(x0, y0, WIDTH, HEIGHT)
        c.line(x0, y0 + HEIGHT / 2, x0 + WIDTH, y0 + HEIGHT / 2)
        for i in (1, 2):
            c.line(x0 + i * WIDTH / 3, y0, x0 + i * WIDTH / 3, y0 + HEIGHT)
        for row, values in enumerate(fields.cells()):
            for col, value in enumerate(values):
                size = 9.0
                while size > 5 and c.stringWidth(value, font, size) > WIDTH / 3 - 2 * mm:
                    size -= 0.5
                c.setFont(font, size)
                cx = x0 + (col + 0.5) * WIDTH / 3
                cy = y0 + HEIGHT - (row + 0.5) * HEIGHT / 2 - size * 0.35
                c.drawCentredString(cx, cy, value)
    return draw


def stamp_pdf(pdf: bytes, fields: StampFields) -> bytes:
    """Return a copy of `pdf` with the 归档章 drawn onto page 1 (as a layer: overlay.py)."""
    return overlay(pdf, _draw_stamp(fields), first_page_only=True)
