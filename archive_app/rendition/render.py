"""A PDF rendition for any archivable kind, on which the 归档章 is stamped.

PDF: the original's bytes. Images and text: drawn with reportlab. DOCX / XLSX: LibreOffice.
OFD: no rendition yet (LibreOffice cannot read OFD) — the record keeps its OFD original only.
"""

from __future__ import annotations

import io
import logging
from pathlib import Path

from PIL import Image
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas

from ..core import errors
from .fonts import cjk_font
from .office import convert_to_pdf

log = logging.getLogger(__name__)

# GB/T 9704 margins: top 37, bottom 35, left 28, right 26 mm.
TOP, BOTTOM, LEFT, RIGHT = 37 * mm, 35 * mm, 28 * mm, 26 * mm


def text_to_pdf(text: str) -> bytes:
    font = cjk_font()
    size, leading = 12, 20
    width, height = A4
    usable = width - LEFT - RIGHT
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    y = height - TOP

    def emit(line: str) -> None:
        nonlocal y
        if y < BOTTOM:
            c.showPage()
            y = height - TOP
        c.setFont(font, size)
        c.drawString(LEFT, y, line)
        y -= leading

    for paragraph in text.splitlines() or [""]:
        line = ""
        for ch in paragraph:
            if c.stringWidth(line + ch, font, size) > usable:
                emit(line)
                line = ""
            line += ch
        emit(line)
    c.showPage()
    c.save()
    return buf.getvalue()


def image_to_pdf(path: Path) -> bytes:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    width, height = A4
    with Image.open(path) as im:
        for index in range(getattr(im, "n_frames", 1)):
            im.seek(index)
            frame = im.convert("RGB")
            scale = min((width - 20 * mm) / frame.width, (height - 30 * mm) / frame.height, 1.0)
            w, h = frame.width * scale, frame.height * scale
            c.drawImage(ImageReader(frame), (width - w) / 2, (height - h) / 2 - 5 * mm, w, h)
            c.showPage()
    c.save()
    return buf.getvalue()


def render_pdf(kind: str, path: Path, text: str, workdir: Path, *, office: bool = True,
               timeout_s: int = 120) -> bytes | None:
    """The PDF rendition's bytes, or None when this kind has none (or the converter failed —
    the record is still filed; the rendition can be made later)."""
    if kind == "pdf":
        return path.read_bytes()
    if kind in ("jpeg", "png", "tiff"):
        return image_to_pdf(path)
    if kind == "text":
        return text_to_pdf(text)
    if kind in ("docx", "xlsx") and office:
        try:
            return convert_to_pdf(path, kind, workdir, timeout_s).read_bytes()
        except errors.Unavailable as exc:
            log.warning("no PDF rendition: %s", exc.message)
    return None
