"""Drawing a layer onto pages of an existing PDF: the one mechanism behind the 归档章 (page 1)
and the lookup watermark (every page). The layer is drawn at the page's visible size and placed
at its media box (rotation and offset origins taken into account); the input is never changed.
Both copies are for reading: attached files, JavaScript, actions and forms are dropped
(`sanitize.py`), and nothing of them is left in the file as an orphan object."""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PdfReader, PdfWriter, Transformation
from reportlab.pdfgen import canvas

from .sanitize import strip_active_content

Draw = Callable[[canvas.Canvas, float, float], None]


def overlay(pdf: bytes, draw: Draw, first_page_only: bool = False) -> bytes:
    """A copy of `pdf` with `draw(canvas, width, height)` merged onto page 1 or every page."""
    reader = PdfReader(io.BytesIO(pdf))
    strip_active_content(reader.trailer["/Root"].get_object(), reader.pages)
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages[:1] if first_page_only else writer.pages:
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        buf = io.BytesIO()
        c = canvas.Canvas(buf, pagesize=(width, height))
        draw(c, width, height)
        c.showPage()
        c.save()
        layer = PdfReader(io.BytesIO(buf.getvalue())).pages[0]
        page.merge_transformed_page(layer, Transformation().translate(float(box.left), float(box.bottom)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
