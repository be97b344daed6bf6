"""What a file really is: libmagic on the content, checked against an allow-list and against
the extension the user gave. Zip-based formats (DOCX, XLSX, OFD) are told apart by their
central directory, which `zipguard` has already checked."""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path

import magic

from ..core import errors


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    media_type: str
    extensions: tuple[str, ...]


KINDS: dict[str, Kind] = {k.key: k for k in (
    Kind("pdf", "PDF", "application/pdf", ("pdf",)),
    Kind("docx", "Word 文档（DOCX）",
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document", ("docx",)),
    Kind("xlsx", "Excel 表格（XLSX）",
         "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ("xlsx",)),
    Kind("ofd", "OFD 版式文件", "application/ofd", ("ofd",)),
    Kind("jpeg", "JPEG 图像", "image/jpeg", ("jpg", "jpeg")),
    Kind("png", "PNG 图像", "image/png", ("png",)),
    Kind("tiff", "TIFF 图像", "image/tiff", ("tif", "tiff")),
    Kind("text", "纯文本", "text/plain", ("txt",)),
)}
ZIP_KINDS = {"docx", "xlsx", "ofd"}
_BY_EXT = {ext: k for k in KINDS.values() for ext in k.extensions}
_BY_MIME = {k.media_type: k for k in KINDS.values()}
_ZIP_MIMES = {"application/zip", "application/x-zip-compressed", "application/octet-stream",
              "application/ofd"}
ALLOWED_LABELS = "PDF、DOCX、XLSX、OFD、JPEG、PNG、TIFF、TXT"
_MIME_WORDS = {
    "application/x-dosexec": "Windows 可执行程序", "application/x-executable": "可执行程序",
    "application/x-sharedlib": "程序库文件", "text/html": "网页（HTML）",
    "application/x-msi": "安装程序", "text/x-shellscript": "脚本文件",
    "application/msword": "旧版 Word 文档（DOC）", "application/vnd.ms-excel": "旧版 Excel 表格（XLS）",
    "application/x-rar": "RAR 压缩包", "application/zip": "ZIP 压缩包",
    "application/gzip": "GZIP 压缩包", "image/gif": "GIF 图像",
}


def extension_of(filename: str) -> str:
    """Lower-case extension of a user-supplied name, used for comparison only."""
    name = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _describe(mime: str) -> str:
    return _MIME_WORDS.get(mime, mime)


def _zip_kind(path: Path) -> str | None:
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    if "[Content_Types].xml" in names and "word/document.xml" in names:
        return "docx"
    if "[Content_Types].xml" in names and "xl/workbook.xml" in names:
        return "xlsx"
    if "OFD.xml" in names:
        return "ofd"
    return None


def detect(path: Path, filename: str) -> Kind:
    """Return the file's kind, or refuse with UNSUPPORTED_TYPE / TYPE_MISMATCH / ENCRYPTED."""
    ext = extension_of(filename)
    mime = magic.from_file(str(path), mime=True)
    description = magic.from_file(str(path))
    if "encrypted" in description.lower() and ext in ("docx", "xlsx"):
        # An encrypted OOXML file is an OLE container holding the encrypted package.
        raise errors.Encrypted("该 Office 文件设有打开密码（已加密），档案中不能保存加密文件，请解除密码后重新上传。")
    kind_key: str | None = None
    if mime in _BY_MIME:
        kind_key = _BY_MIME[mime].key
    if (kind_key is None or kind_key in ZIP_KINDS) and (mime in _ZIP_MIMES or kind_key in ZIP_KINDS):
        with open(path, "rb") as fh:
            is_zip = fh.read(4) == b"PK\x03\x04"
        if is_zip:
            kind_key = _zip_kind(path)
            if kind_key is None:
                raise errors.UnsupportedType(
                    f"文件内容是一个普通的压缩包，不是可归档格式。可归档格式：{ALLOWED_LABELS}。")
    if kind_key is None and mime.startswith("text/") and mime not in ("text/html", "text/xml"):
        kind_key = "text" if mime in ("text/plain", "text/csv") else None
    if kind_key is None:
        raise errors.UnsupportedType(
            f"文件内容是「{_describe(mime)}」，不属于可归档格式。可归档格式：{ALLOWED_LABELS}。",
            detected=mime)
    kind = KINDS[kind_key]
    if ext not in _BY_EXT:
        raise errors.UnsupportedType(
            f"文件扩展名「.{ext}」不是可归档格式。可归档格式：{ALLOWED_LABELS}。" if ext
            else f"文件名没有扩展名，无法确认格式。可归档格式：{ALLOWED_LABELS}。")
    if _BY_EXT[ext].key != kind.key:
        raise errors.TypeMismatch(
            f"文件扩展名是「.{ext}」，但文件实际内容是{kind.label}。请确认文件是否被改名。",
            detected=kind.media_type)
    return kind
