"""What the OCR child does (called from `parse_worker.handle`, so it runs in a limited child
process like every other decoder of untrusted bytes):

* ``ocr-page KIND PATH N ENGINE`` — decode page N (a frame of a TIFF/PNG/JPEG, or the image of a
  scanned PDF page), recognise it; answer its lines, boxes, rotation and skew;
* ``ocr-pdf KIND PATH PAGES_JSON OUT`` — write the viewing copy: each recognised page drawn
  upright (the detected rotation and skew applied) with its text as an invisible layer (PDF text
  render mode 3: selectable and copyable, not visible); the other pages of a PDF as they were.

The child lowers its own priority (nice 10) before recognising, so that the queue does not
starve web requests."""

from __future__ import annotations

import io
import json
import os
import warnings
from pathlib import Path

from PIL import Image

_niced = False


def _nice() -> None:
    global _niced
    if not _niced:
        os.nice(10)
        _niced = True


def page_image(kind: str, path: Path, index: int) -> Image.Image:
    """Page `index` (0-based) as an image: a frame of an image file, or the largest image drawn
    on a PDF page (a scanned page is one picture)."""
    warnings.simplefilter("error", Image.DecompressionBombWarning)
    if kind == "pdf":
        from pypdf import PdfReader

        page = PdfReader(str(path)).pages[index]
        images = list(page.images)
        if not images:
            raise ValueError("no image on the page")
        best = max(images, key=lambda im: im.image.width * im.image.height)
        image = best.image
        rotate = int(page.get("/Rotate", 0) or 0) % 360
        return image.rotate(-rotate, expand=True) if rotate else image
    im = Image.open(path)
    im.seek(index)
    im.load()
    return im.copy()


def ocr_page(kind: str, path: Path, index: int, engine: str) -> dict:
    from .engines import recognise

    _nice()
    image = page_image(kind, path, index)
    page = recognise(image, engine)
    dpi = image.info.get("dpi") or (0, 0)
    return {"ok": True, "width": page.width, "height": page.height, "rotation": page.rotation,
            "skew": float(page.skew), "text": page.text(),
            "lines": [[ln.text, float(ln.x0), float(ln.y0), float(ln.x1), float(ln.y1), float(ln.score)]
                      for ln in page.lines],
            "dpi": float(dpi[0]) if isinstance(dpi, tuple) else float(dpi)}


def _draw_page(c, image: Image.Image, result: dict) -> None:
    """One upright page: the image, then its lines in invisible text fitted to their boxes."""
    from reportlab.lib.utils import ImageReader

    from ..rendition.fonts import cjk_font
    from .engines import upright

    work = upright(image, result["rotation"], result["skew"])
    dpi = result.get("dpi") or 300
    dpi = dpi if 72 <= dpi <= 1200 else 300
    scale = 72 / dpi
    width, height = work.width * scale, work.height * scale
    c.setPageSize((width, height))
    buf = io.BytesIO()
    work.convert("L").save(buf, "JPEG", quality=80)
    buf.seek(0)
    c.drawImage(ImageReader(buf), 0, 0, width, height)
    font = cjk_font()
    for text, x0, y0, x1, y1, _score in result["lines"]:
        if not text.strip():
            continue
        size = max(1.0, (y1 - y0) * scale * 0.85)
        natural = c.stringWidth(text, font, size) or 1.0
        t = c.beginText()
        t.setTextRenderMode(3)  # invisible
        t.setFont(font, size)
        t.setHorizScale(100.0 * (x1 - x0) * scale / natural)
        t.setTextOrigin(x0 * scale, height - y1 * scale + (y1 - y0) * scale * 0.15)
        t.textOut(text)
        c.drawText(t)
    c.showPage()


def viewing_pdf(kind: str, path: Path, pages_json: str, out: Path) -> dict:
    """The viewing copy with the invisible text layer (see module docstring)."""
    from reportlab.pdfgen import canvas

    results = {int(k): v for k, v in json.loads(pages_json).items()}
    if kind == "pdf":
        from pypdf import PdfReader, PdfWriter

        reader = PdfReader(str(path))
        count = len(reader.pages)
    else:
        with Image.open(path) as im:
            count = getattr(im, "n_frames", 1)
    layer = io.BytesIO()
    c = canvas.Canvas(layer)
    drawn = []
    for index in range(count):
        if index in results:
            _draw_page(c, page_image(kind, path, index), results[index])
            drawn.append(index)
        elif kind != "pdf":  # an image page that could not be read: drawn as it is
            _draw_page(c, page_image(kind, path, index), {"rotation": 0, "skew": 0.0, "lines": [], "dpi": 0})
            drawn.append(index)
    c.save()
    if kind != "pdf":
        out.write_bytes(layer.getvalue())
        return {"ok": True, "pages": count}
    from pypdf import PdfReader as Reader

    ocr_pages = Reader(io.BytesIO(layer.getvalue())).pages if drawn else []
    writer = PdfWriter()
    for index in range(count):
        writer.add_page(ocr_pages[drawn.index(index)] if index in drawn else reader.pages[index])
    with open(out, "wb") as fh:
        writer.write(fh)
    return {"ok": True, "pages": count}
