"""Generated test scans, reproducible from a seed: Chinese text from the seed 办法 drawn in
several fonts at 200 and 300 dpi, with the damage real scans have (slight skew, speckle, blur,
JPEG), a page scanned upside down or sideways, a two-column page and a table. Each scan comes
with its ground truth (the text in reading order). Used by tests/ocr and bench/ocr_bench.py;
nothing is stored but this code."""

from __future__ import annotations

import io
import random
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter, ImageFont

SEED_TEXT = Path("/work/shared/seeds/000_7ca8ce5e20c91e0e.txt")
FONTS = {
    "黑体": ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
    "宋体": ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),  # Noto Serif CJK SC
    "楷体": ("/usr/share/fonts/truetype/arphic/ukai.ttc", 0),
}
# When the seeds are not at hand (a fresh checkout elsewhere), 第十条 of the 办法, quoted.
FALLBACK = ("第十条 审批事项正式划转前，原职能部门形成的审批业务档案由原职能部门负责保管；"
            "审批事项划转后，市行政审批服务局形成的审批业务档案由市行政审批服务局负责保管。"
            "双方因工作需要查阅对方保管的档案资料的，对方应当予以支持配合。")


@dataclass(frozen=True)
class Scan:
    name: str  # condition, e.g. "300dpi 宋体"
    image: Image.Image
    truth: str  # the text in reading order, lines joined by "\n"
    dpi: int
    rotation: int = 0  # degrees (counter-clockwise) that turn the scan upright again


@cache
def sentences() -> list[str]:
    text = SEED_TEXT.read_text(encoding="utf-8") if SEED_TEXT.is_file() else FALLBACK
    parts = re.split(r"(?<=[。；：])", re.sub(r"\s+", "", text))
    return [p for p in parts if 12 <= len(p) <= 120 and re.search(r"[\u4e00-\u9fff]{6}", p)]


def font(name: str, px: int) -> ImageFont.FreeTypeFont:
    path, index = FONTS[name]
    return ImageFont.truetype(path, px, index=index)


def body(rng: random.Random, chars: int) -> str:
    out = ""
    pool = sentences()
    start = rng.randrange(len(pool))
    i = start
    while len(out) < chars:
        out += pool[i % len(pool)]
        i += 1
    return out[:chars]


def _page(dpi: int, width_mm: float = 210, height_mm: float = 110) -> Image.Image:
    return Image.new("L", (round(width_mm / 25.4 * dpi), round(height_mm / 25.4 * dpi)), 255)


def text_page(seed: int, dpi: int, face: str, lines: int = 7, per_line: int = 28) -> tuple[Image.Image, str]:
    """A GB/T 9704-like block: 3号 (16 pt) characters, 28 a line, 1.8 line pitch."""
    rng = random.Random(seed)
    text = body(rng, lines * per_line)
    rows = [text[i * per_line:(i + 1) * per_line] for i in range(lines)]
    img = _page(dpi)
    px = round(16 / 72 * dpi)
    f = font(face, px)
    d = ImageDraw.Draw(img)
    left, top = round(28 / 25.4 * dpi), round(12 / 25.4 * dpi)
    for r, row in enumerate(rows):
        d.text((left, top + r * px * 1.8), row, font=f, fill=0)
    return img, "\n".join(rows)


def two_columns(seed: int, dpi: int) -> tuple[Image.Image, str]:
    rng = random.Random(seed)
    per, lines = 13, 7
    cols = [body(rng, per * lines) for _ in range(2)]
    img = _page(dpi)
    px = round(16 / 72 * dpi)
    f = font("宋体", px)
    d = ImageDraw.Draw(img)
    top = round(12 / 25.4 * dpi)
    truth = []
    for c, text in enumerate(cols):
        x = round((28 + c * 82) / 25.4 * dpi)
        rows = [text[i * per:(i + 1) * per] for i in range(lines)]
        for r, row in enumerate(rows):
            d.text((x, top + r * px * 1.8), row, font=f, fill=0)
        truth.extend(rows)
    return img, "\n".join(truth)


TABLE = [["事项名称", "特别程序", "实施方式", "时限"],
         ["劳务派遣经营许可", "现场实地核查", "联合实施", "五个工作日"],
         ["人力资源服务许可", "专家评审", "委托实施", "十个工作日"],
         ["职业技能培训机构设立", "集体审查", "独立组织实施", "三个工作日"]]


def table(dpi: int) -> tuple[Image.Image, str]:
    img = _page(dpi)
    px = round(12 / 72 * dpi)
    f = font("黑体", px)
    d = ImageDraw.Draw(img)
    widths_mm = [60, 40, 40, 30]
    x0, y0, row_h = round(20 / 25.4 * dpi), round(15 / 25.4 * dpi), round(14 / 25.4 * dpi)
    xs = [x0]
    for w in widths_mm:
        xs.append(xs[-1] + round(w / 25.4 * dpi))
    for r, row in enumerate(TABLE):
        y = y0 + r * row_h
        for c, cell in enumerate(row):
            d.rectangle([xs[c], y, xs[c + 1], y + row_h], outline=0, width=max(2, dpi // 100))
            d.text((xs[c] + px // 2, y + (row_h - px) // 2), cell, font=f, fill=0)
    return img, "\n".join("".join(row) for row in TABLE)


def damage(img: Image.Image, seed: int, skew: float, speckle: float, blur: float, jpeg: int | None) -> Image.Image:
    """Skew by `skew` degrees, salt-and-pepper on a `speckle` fraction of pixels, Gaussian blur."""
    rng = random.Random(seed)
    out = img.rotate(skew, resample=Image.BICUBIC, expand=True, fillcolor=255) if skew else img.copy()
    if speckle:
        px = out.load()
        w, h = out.size
        for _ in range(int(w * h * speckle)):
            px[rng.randrange(w), rng.randrange(h)] = rng.choice((0, 255))
    if blur:
        out = out.filter(ImageFilter.GaussianBlur(blur))
    if jpeg:
        buf = io.BytesIO()
        out.save(buf, "JPEG", quality=jpeg)
        out = Image.open(io.BytesIO(buf.getvalue())).convert("L")
    return out


def corpus(pages_per_condition: int = 1) -> list[Scan]:
    """Every condition of BENCHMARKS.md's CER table, `pages_per_condition` pages each."""
    scans = []
    for n in range(pages_per_condition):
        for face in FONTS:
            for dpi in (300, 200):
                img, truth = text_page(100 * n + len(scans), dpi, face)
                scans.append(Scan(f"{dpi}dpi 清晰 {face}", img, truth, dpi))
        for dpi in (200, 300):
            img, truth = text_page(500 + n, dpi, "宋体")
            skew = 1.5 if n % 2 == 0 else -1.5
            scans.append(Scan(f"{dpi}dpi 倾斜1.5°+噪点+模糊 宋体",
                              damage(img, n, skew, 0.004, 0.8, 75), truth, dpi))
        img, truth = text_page(700 + n, 300, "宋体")
        scans.append(Scan("300dpi 倒置(180°)", img.rotate(180, expand=True), truth, 300, rotation=180))
        scans.append(Scan("300dpi 横置(90°)", img.rotate(90, expand=True), truth, 300, rotation=270))
        img, truth = two_columns(800 + n, 300)
        scans.append(Scan("300dpi 双栏", img, truth, 300))
        img, truth = table(300)
        scans.append(Scan("300dpi 表格", img, truth, 300))
    return scans


def save(scan: Scan, path: Path, fmt: str) -> Path:
    """The scan as a TIFF (CCITT G4, bilevel — the size archives keep), PNG or JPEG file."""
    if fmt == "TIFF":
        scan.image.convert("1").save(path, "TIFF", compression="group4", dpi=(scan.dpi, scan.dpi))
    elif fmt == "JPEG":
        scan.image.save(path, "JPEG", quality=80, dpi=(scan.dpi, scan.dpi))
    else:
        scan.image.save(path, fmt, dpi=(scan.dpi, scan.dpi))
    return path
