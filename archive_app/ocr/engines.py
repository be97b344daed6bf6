"""Recognising one page image: orientation, deskew, then Chinese + English text with boxes.

Two engines, compared on the same generated scans in bench/ocr_bench.py (BENCHMARKS.md):

* ``rapidocr`` — RapidOCR (`rapidocr-onnxruntime`): PP-OCRv4 detection + recognition models
  that ship inside the wheel; nothing is downloaded at run time. The default (chosen by CER).
* ``tesseract`` — Tesseract 5 with Debian's ``chi_sim`` + ``eng`` data (`tesseract-ocr-chi-sim`),
  run as the ``tesseract`` program; its OSD (``osd``) finds the page's orientation.

Both return `Page`: lines of text with their boxes in the *upright* image's pixels, the
rotation (0/90/180/270, counter-clockwise) and the skew (degrees) that were undone to get
there. Runs inside the OCR child (`parse_worker.py`, mode ``ocr``) — it decodes the image.
"""

from __future__ import annotations

import math
import re
import subprocess
import tempfile
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from PIL import Image

ENGINES = ("rapidocr", "tesseract")


@dataclass(frozen=True)
class OcrLine:
    text: str
    x0: float
    y0: float  # top, image pixels (y grows downwards)
    x1: float
    y1: float
    score: float


@dataclass
class Page:
    width: int
    height: int
    rotation: int = 0
    skew: float = 0.0
    lines: list[OcrLine] = field(default_factory=list)

    def text(self) -> str:
        from ..core.textflow import Line, join_pages

        return join_pages([[Line(ln.text, ln.x0, ln.x1, -ln.y1, ln.y1 - ln.y0) for ln in self.lines]])[0]


def upright(image: Image.Image, rotation: int, skew: float) -> Image.Image:
    """The image turned by `rotation` and straightened by `skew` (what the engine recognised)."""
    out = image.convert("L")
    if rotation:
        out = out.rotate(rotation, expand=True)
    if abs(skew) >= 0.2:
        out = out.rotate(skew, resample=Image.BICUBIC, expand=False, fillcolor=255)
    return out


# ---------------------------------------------------------------- RapidOCR

@cache
def _rapid(threads: int):
    from rapidocr_onnxruntime import RapidOCR

    return RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, print_verbose=False)


def _bgr(image: Image.Image):
    import numpy as np

    return np.ascontiguousarray(np.array(image.convert("RGB"))[:, :, ::-1])


def _boxes(engine, image: Image.Image) -> list:
    found, _ = engine(_bgr(image), use_cls=False, use_rec=False)
    return found or []


def _skew(boxes: list) -> float:
    """Median slope of the top edges of wide boxes, in degrees (PIL's sense: counter-clockwise)."""
    angles = []
    for b in boxes:
        (x0, y0), (x1, y1) = b[0], b[1]
        if x1 - x0 > 4 * abs(b[3][1] - b[0][1]):
            angles.append(math.degrees(math.atan2(y1 - y0, x1 - x0)))
    if not angles:
        return 0.0
    angles.sort()
    return angles[len(angles) // 2]


def rapidocr(image: Image.Image, threads: int = 1) -> Page:
    engine = _rapid(threads)
    gray = image.convert("L")
    rotation = 0
    boxes = _boxes(engine, gray)
    tall = sum(1 for b in boxes if (b[3][1] - b[0][1]) > 1.5 * (b[1][0] - b[0][0]))
    if boxes and tall > len(boxes) / 2:  # lines run up or down the page: turned sideways
        rotation = 90
        boxes = _boxes(engine, gray.rotate(90, expand=True))
    if boxes:  # the angle classifier votes on the largest lines: upside down?
        work = gray.rotate(rotation, expand=True) if rotation else gray
        largest = sorted(boxes, key=lambda b: -(b[1][0] - b[0][0]))[:8]
        crops = []
        for b in largest:
            xs, ys = [p[0] for p in b], [p[1] for p in b]
            crops.append(_bgr(work.crop((min(xs), min(ys), max(xs), max(ys)))))
        _, votes, _ = engine.text_cls(crops)
        flipped = sum(1 for label, score in votes if label == "180" and score > 0.8)
        if flipped > len(votes) / 2:
            rotation = (rotation + 180) % 360
            boxes = _boxes(engine, gray.rotate(rotation, expand=True))
    skew = _skew(boxes)
    work = upright(gray, rotation, skew)
    found, _ = engine(_bgr(work), use_cls=False)
    page = Page(work.width, work.height, rotation, skew)
    for box, text, score in found or []:
        xs, ys = [p[0] for p in box], [p[1] for p in box]
        page.lines.append(OcrLine(text, min(xs), min(ys), max(xs), max(ys), float(score)))
    page.lines.sort(key=lambda ln: (ln.y0, ln.x0))
    page.lines = _reading_order(page.lines)
    return page


def _reading_order(lines: list[OcrLine]) -> list[OcrLine]:
    """Columns left to right, each top to bottom: a line belongs to the column whose left edge
    it shares (two-column pages); a single column comes back as it was (top to bottom)."""
    if len(lines) < 4:
        return lines
    heights = sorted(ln.y1 - ln.y0 for ln in lines)
    em = heights[len(heights) // 2] or 1
    columns: list[list[OcrLine]] = []
    for ln in sorted(lines, key=lambda ln: ln.x0):
        for col in columns:
            if abs(col[0].x0 - ln.x0) <= 3 * em and not any(_overlap(ln, o) for o in col):
                col.append(ln)
                break
        else:
            columns.append([ln])
    # columns of running text (a two-column page), not the cells of a table: few columns, each
    # of several lines of ten characters or more
    def running(col: list[OcrLine]) -> bool:
        widths = sorted(len(ln.text) for ln in col)
        return len(col) >= 3 and widths[len(widths) // 2] >= 10

    if 1 < len(columns) <= 3 and all(running(c) for c in columns):
        return [ln for col in sorted(columns, key=lambda c: c[0].x0) for ln in sorted(col, key=lambda ln: ln.y0)]
    rows: list[list[OcrLine]] = []  # lines side by side (table cells) make one row, left to right
    for ln in sorted(lines, key=lambda ln: (ln.y0 + ln.y1) / 2):
        if rows and _overlap(ln, rows[-1][0]):
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return [ln for row in rows for ln in sorted(row, key=lambda ln: ln.x0)]


def _overlap(a: OcrLine, b: OcrLine) -> bool:
    return min(a.y1, b.y1) - max(a.y0, b.y0) > 0.5 * min(a.y1 - a.y0, b.y1 - b.y0)


# ---------------------------------------------------------------- Tesseract

_ROTATE = re.compile(r"Rotate:\s*(\d+)")


def _tesseract(path: Path, *args: str) -> str:
    done = subprocess.run(["tesseract", str(path), "stdout", *args], capture_output=True, text=True,
                          timeout=300, check=False)
    return done.stdout


def tesseract(image: Image.Image, threads: int = 1) -> Page:
    gray = image.convert("L")
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "page.png"
        gray.save(src)
        osd = _tesseract(src, "--psm", "0", "-l", "osd")
        m = _ROTATE.search(osd)
        rotation = (360 - int(m.group(1))) % 360 if m else 0  # Tesseract's Rotate is clockwise
        work = gray.rotate(rotation, expand=True) if rotation else gray
        work.save(src)
        tsv = _tesseract(src, "-l", "chi_sim+eng", "--psm", "3", "tsv")
    page = Page(work.width, work.height, rotation, 0.0)
    current: dict[tuple, list] = {}
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue
        key = (cols[1], cols[2], cols[3], cols[4])  # page, block, paragraph, line
        left, top, width, height, conf = int(cols[6]), int(cols[7]), int(cols[8]), int(cols[9]), float(cols[10])
        current.setdefault(key, []).append((cols[11], left, top, left + width, top + height, conf))
    for words in current.values():
        text = ""
        for w in words:
            if text and not (_cjk(text[-1]) and _cjk(w[0][0])):
                text += " "
            text += w[0]
        page.lines.append(OcrLine(text, min(w[1] for w in words), min(w[2] for w in words),
                                  max(w[3] for w in words), max(w[4] for w in words),
                                  sum(w[5] for w in words) / len(words) / 100))
    return page


def _cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef"


def recognise(image: Image.Image, engine: str = "rapidocr", threads: int = 1) -> Page:
    if engine == "tesseract":
        return tesseract(image, threads)
    return rapidocr(image, threads)
