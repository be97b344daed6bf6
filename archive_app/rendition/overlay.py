"""Drawing a layer onto pages of an existing PDF: the one mechanism behind the 归档章 (page 1)
and the lookup watermark (every page). The layer is drawn at the page's visible size and placed
at its media box (rotation and offset origins taken into account); the input is never changed.
Both copies are for reading: attached files, JavaScript, actions and forms are dropped
(`sanitize.py`), and nothing of them is left in the file as an orphan object.

The layer goes onto a page as a Form XObject: the page's own content streams are wrapped in
``q … Q`` and one drawing of the form is appended, so the page's content is never parsed or
rewritten (pypdf's page merge parses every operator of it, which was most of a 归档章's cost on
a dense text page). A page that inherits its resources from the page tree is merged the old way.
"""

from __future__ import annotations

import io
from collections.abc import Callable

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.generic import (
    ArrayObject,
    DecodedStreamObject,
    DictionaryObject,
    FloatObject,
    NameObject,
    StreamObject,
)
from reportlab.pdfgen import canvas

from .sanitize import strip_active_content

Draw = Callable[[canvas.Canvas, float, float], None]


def _layer(draw: Draw, width: float, height: float) -> PageObject:
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(width, height))
    draw(c, width, height)
    c.showPage()
    c.save()
    return PdfReader(io.BytesIO(buf.getvalue())).pages[0]


def _stream(writer: PdfWriter, data: bytes):
    s = DecodedStreamObject()
    s.set_data(data)
    return writer._add_object(s)


def _place_as_form(writer: PdfWriter, page: PageObject, layer: PageObject, dx: float, dy: float) -> bool:
    """Append `layer` to `page` as a Form XObject drawn at (dx, dy); False when the page's
    resources are not its own (inherited), for the caller to merge instead."""
    resources = page.get("/Resources")
    contents = page.get("/Contents")
    if resources is None or contents is None:
        return False
    resources = resources.get_object()
    form = StreamObject()
    form._data = layer.get_contents().get_data()
    box = layer.mediabox
    form.update({
        NameObject("/Type"): NameObject("/XObject"),
        NameObject("/Subtype"): NameObject("/Form"),
        NameObject("/BBox"): ArrayObject([FloatObject(v) for v in (box.left, box.bottom, box.right, box.top)]),
        NameObject("/Resources"): layer["/Resources"].clone(writer),
    })
    form = form.flate_encode()
    xobjects = resources.get("/XObject")
    if xobjects is None:
        xobjects = DictionaryObject()
        resources[NameObject("/XObject")] = xobjects
    xobjects = xobjects.get_object()
    n = 0
    while f"/ArcLayer{n}" in xobjects:
        n += 1
    name = NameObject(f"/ArcLayer{n}")
    xobjects[name] = writer._add_object(form)
    own = contents.get_object()
    parts = list(own) if isinstance(own, ArrayObject) else [contents]
    page[NameObject("/Contents")] = ArrayObject(
        [_stream(writer, b"q\n"), *parts,
         _stream(writer, f"\nQ\nq 1 0 0 1 {dx:.4f} {dy:.4f} cm {name} Do Q\n".encode())])
    return True


def overlay(pdf: bytes, draw: Draw, first_page_only: bool = False) -> bytes:
    """A copy of `pdf` with `draw(canvas, width, height)` drawn onto page 1 or every page."""
    reader = PdfReader(io.BytesIO(pdf))
    strip_active_content(reader.trailer["/Root"].get_object(), reader.pages)
    writer = PdfWriter(clone_from=reader)
    for page in writer.pages[:1] if first_page_only else writer.pages:
        if page.get("/Rotate"):
            page.transfer_rotation_to_content()
        box = page.mediabox
        width, height = float(box.width), float(box.height)
        layer = _layer(draw, width, height)
        if not _place_as_form(writer, page, layer, float(box.left), float(box.bottom)):
            page.merge_transformed_page(layer, Transformation().translate(float(box.left), float(box.bottom)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
