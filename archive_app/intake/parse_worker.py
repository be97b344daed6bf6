"""`handle` runs in a fresh fork-server child with CPU, memory and wall-clock limits (see
`parsing.py`). Everything that decodes untrusted bytes happens here: parsing (text, pages),
drawing images onto PDF pages, stamping the 归档章 and the lookup watermark. Each call answers
``{"ok": true, …}`` or ``{"ok": false, "code": ..., "message": ...}`` — never an exception.
Nothing here touches the database or the blob store.
"""

from __future__ import annotations

import json
import logging
import math
import warnings
import zipfile
from pathlib import Path, PurePosixPath


class Refuse(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code, self.message = code, message


def _join(parts: list[str], limit: int) -> str:
    out, size = [], 0
    for p in parts:
        if size >= limit:
            break
        out.append(p[: limit - size])
        size += len(out[-1])
    return "\n".join(out)


def parse_pdf(path: Path, limit: int) -> tuple[int | None, str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    from archive_app.core.textflow import join_pages, pdf_page_lines

    with open(path, "rb") as fh:
        fh.seek(max(0, path.stat().st_size - 2048))
        if b"%%EOF" not in fh.read():
            raise Refuse("CORRUPT", "PDF 文件不完整（缺少文件结尾标记），可能是下载或拷贝中断，"
                                    "请取得完整文件后再归档。")
    try:
        reader = PdfReader(str(path), strict=False)
        if reader.is_encrypted:
            raise Refuse("ENCRYPTED", "PDF 文件已加密（设有密码或权限限制），档案中不能保存加密文件，"
                                      "请取得未加密版本。")
        pages = len(reader.pages)
        if pages == 0:
            raise Refuse("CORRUPT", "PDF 文件中没有任何页面。")
        page_lines, size = [], 0
        for page in reader.pages:
            if size < limit:
                lines = pdf_page_lines(page)
                page_lines.append(lines)
                size += sum(len(line.text) for line in lines)
        texts = join_pages(page_lines)
        textless = [n for n, lines in enumerate(page_lines) if not any(ln.text.strip() for ln in lines)]
    except Refuse:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError,
            AssertionError, OSError) as exc:
        raise Refuse("CORRUPT", f"PDF 文件已损坏，无法读取（{type(exc).__name__}）。") from exc
    return pages, _join([t for t in texts if t], limit), textless  # no blank line for an empty page


def _app_pages(path: Path) -> int | None:
    import defusedxml.ElementTree as ET

    with zipfile.ZipFile(path) as zf:
        if "docProps/app.xml" not in zf.namelist():
            return None
        root = ET.fromstring(zf.read("docProps/app.xml"))
    for el in root.iter():
        if el.tag.endswith("}Pages") and (el.text or "").strip().isdigit():
            return int(el.text.strip()) or None
    return None


def parse_docx(path: Path, limit: int) -> tuple[int | None, str]:
    import docx

    document = docx.Document(str(path))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.append("\t".join(cell.text for cell in row.cells))
    return _app_pages(path), _join(parts, limit)


def parse_xlsx(path: Path, limit: int) -> tuple[int | None, str]:
    import openpyxl

    with open(path, "rb") as fh:  # a file object: openpyxl insists on an .xlsx name otherwise
        return _xlsx_text(openpyxl.load_workbook(fh, read_only=True, data_only=True), limit)


def _xlsx_text(wb, limit: int) -> tuple[int | None, str]:
    parts, size = [], 0
    for ws in wb.worksheets:
        parts.append(ws.title)
        for row in ws.iter_rows(values_only=True):
            line = "\t".join("" if v is None else str(v) for v in row).strip()
            if line:
                parts.append(line)
                size += len(line)
            if size > limit:
                break
    wb.close()
    return None, _join(parts, limit)


def parse_ofd(path: Path, limit: int) -> tuple[int | None, str]:
    """OFD (GB/T 33190): OFD.xml → DocRoot (Document.xml) → Pages → each page's Content.xml."""
    import defusedxml.ElementTree as ET

    def local(tag: str) -> str:
        return tag.rsplit("}", 1)[-1]

    with zipfile.ZipFile(path) as zf:
        names = set(zf.namelist())
        root = ET.fromstring(zf.read("OFD.xml"))
        doc_root = next((el.text.strip() for el in root.iter() if local(el.tag) == "DocRoot" and el.text), None)
        if not doc_root:
            raise Refuse("CORRUPT", "OFD 文件缺少文档入口（DocRoot），无法打开。")
        doc_path = PurePosixPath(doc_root.lstrip("/"))
        if str(doc_path) not in names:
            raise Refuse("CORRUPT", "OFD 文件的文档描述缺失，文件不完整。")
        document = ET.fromstring(zf.read(str(doc_path)))
        page_locs = [el.get("BaseLoc") for el in document.iter() if local(el.tag) == "Page"]
        texts: list[str] = []
        for loc in page_locs:
            if not loc:
                continue
            candidate = str(doc_path.parent / loc.lstrip("/")) if not loc.startswith("/") else loc.lstrip("/")
            if candidate in names:
                content = ET.fromstring(zf.read(candidate))
                texts.extend(el.text or "" for el in content.iter() if local(el.tag) == "TextCode")
    if not page_locs:
        raise Refuse("CORRUPT", "OFD 文件中没有任何页面。")
    return len(page_locs), _join(texts, limit)


def parse_image(path: Path, limit: int) -> tuple[int | None, str]:
    from PIL import Image

    warnings.simplefilter("error", Image.DecompressionBombWarning)
    try:
        with Image.open(path) as im:
            frames = getattr(im, "n_frames", 1)
            im.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise Refuse("ARCHIVE_BOMB", "图像的像素尺寸异常巨大（疑似解压炸弹），已拒收。") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise Refuse("CORRUPT", "图像文件已损坏或不完整，无法打开。") from exc
    return frames, ""


def parse_text(path: Path, limit: int) -> tuple[int | None, str]:
    data = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refuse("CORRUPT", "文本文件的编码无法识别（应为 UTF-8 或 GB18030）。")
    # GB/T 9704 page: 22 lines of 28 characters.
    lines = sum(max(1, math.ceil(len(line) / 28)) for line in text.splitlines()) or 1
    return max(1, math.ceil(lines / 22)), text[:limit]


PARSERS = {"pdf": parse_pdf, "docx": parse_docx, "xlsx": parse_xlsx, "ofd": parse_ofd,
           "jpeg": parse_image, "png": parse_image, "tiff": parse_image, "text": parse_text}


def render_image(src: Path, out: Path) -> dict:
    from archive_app.rendition.render import image_to_pdf

    out.write_bytes(image_to_pdf(src))
    return {"ok": True}


def stamp(src: Path, out: Path, fields_json: str) -> dict:
    from archive_app.rendition.stamp import StampFields, stamp_pdf

    out.write_bytes(stamp_pdf(src.read_bytes(), StampFields(**json.loads(fields_json))))
    return {"ok": True}


def watermark(src: Path, out: Path, text: str) -> dict:
    from archive_app.rendition.watermark import watermark_pdf

    out.write_bytes(watermark_pdf(src.read_bytes(), text))
    return {"ok": True}


def refuse_external_references(kind: str, path: Path) -> None:
    """DOCX/XLSX that link to anything outside the file are refused (see intake/references.py)."""
    from archive_app.intake import references

    if kind in ("docx", "xlsx") and (found := references.external_references(path)):
        raise Refuse("EXTERNAL_REFERENCE", references.refusal_message(found))


def refuse_attachments(kind: str, path: Path) -> None:
    """A (readable) PDF that carries attached files is refused (see intake/pdf_checks.py)."""
    from archive_app.intake import pdf_checks

    if kind == "pdf" and (names := pdf_checks.attachment_names(path)):
        raise Refuse("UNSUPPORTED_TYPE", pdf_checks.refusal_message(names))


def handle(argv: list[str]) -> dict:
    """Run one call; every failure becomes a refusal dict (never an exception)."""
    mode = argv[0]
    logging.disable(logging.CRITICAL)
    warnings.simplefilter("ignore")
    try:
        if mode == "parse":
            kind, path, limit = argv[1], Path(argv[2]), int(argv[3])
            refuse_external_references(kind, path)
            pages, text, *rest = PARSERS[kind](path, limit)
            refuse_attachments(kind, path)
            # pages (0-based) with no text layer, to be recognised: a scan
            textless = rest[0] if rest else list(range(pages or 1)) if kind in ("jpeg", "png", "tiff") else []
            return {"ok": True, "pages": pages, "text": text, "textless": textless}
        if mode == "sheet-rows":  # the bulk 公文 sheet (documents/sheet_reader.py)
            from archive_app.documents.sheet_reader import read_sheet

            return read_sheet(Path(argv[2]), argv[1], int(argv[3]))
        if mode == "render-image":
            return render_image(Path(argv[1]), Path(argv[2]))
        if mode == "stamp":
            return stamp(Path(argv[1]), Path(argv[2]), argv[3])
        if mode == "ocr-page":
            from archive_app.ocr.child import ocr_page

            return ocr_page(argv[1], Path(argv[2]), int(argv[3]), argv[4])
        if mode == "ocr-pdf":
            from archive_app.ocr.child import viewing_pdf

            return viewing_pdf(argv[1], Path(argv[2]), argv[3], Path(argv[4]))
        if mode == "watermark":
            return watermark(Path(argv[1]), Path(argv[2]), argv[3])
        raise ValueError(f"unknown mode {mode}")
    except Refuse as r:
        return {"ok": False, "code": r.code, "message": r.message}
    except MemoryError:
        return {"ok": False, "code": "ARCHIVE_BOMB", "message": "文件解析时占用内存超出上限（疑似压缩炸弹），已拒收。"}
    except RecursionError:
        return {"ok": False, "code": "CORRUPT", "message": "文件结构异常（嵌套过深），无法打开。"}
    except Exception as exc:  # any other failure of a third-party parser means "cannot open"
        return {"ok": False, "code": "CORRUPT", "message": f"文件已损坏，无法打开（{type(exc).__name__}）。"}
