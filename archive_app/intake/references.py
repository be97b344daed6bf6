"""Find what in an office file would make a reader fetch something from outside the file.

A DOCX/XLSX can point at an image, OLE object, template, sub-document or workbook by URL or by
path (a relationship with TargetMode="External"), pull content in through a field
(INCLUDEPICTURE, INCLUDETEXT, LINK, DDE, IMPORT), a DDE/OLE link, a data connection or a
WEBSERVICE formula; an OpenDocument file (also one dressed up as a DOCX) does the same through
`xlink:href`. LibreOffice follows these while it makes the PDF rendition: it sends requests to
any address (also inside our network) and puts local files of the server into the stamped copy.

The intake REFUSES such a file (EXTERNAL_REFERENCE, naming the link) rather than stripping the
links: the archive keeps the original exactly as received — its digest is the record's identity
and fixity evidence — so it must not be edited, and a record whose content depends on something
outside it is not complete. The clerk embeds the picture (or removes the link) and uploads
again. Hyperlinks a reader clicks (w:hyperlink, text:a) fetch nothing and are allowed.

Runs in the limited parse child (`parse_worker`), streaming every XML part of the container.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import ParseError

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# ODF elements whose xlink:href is a link a reader clicks, not content loaded with the file.
_CLICK_ONLY = {"a"}
_FIELDS = re.compile(r"\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDEAUTO|DDE|IMPORT)\b\s*(\"[^\"]*\"|\S+)?",
                     re.IGNORECASE)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]*:")
# Elements that link to another program's data (DDE, OLE links, data connections).
_LINK_ELEMENTS = {"ddeLink": "DDE 链接", "oleLink": "OLE 链接", "connection": "外部数据连接",
                  "dde-connection-decl": "DDE 链接", "dde-link": "DDE 链接", "dde-source": "DDE 链接"}
_MAX_FOUND = 3


@dataclass(frozen=True)
class Reference:
    target: str
    what: str  # in Chinese, for the message


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _outside_package(href: str) -> bool:
    """An ODF href that leaves the package: a scheme, an absolute path or a climb out."""
    href = href.strip()
    if not href or href.startswith("#"):
        return False
    if _SCHEME.match(href) or href.startswith(("/", "\\")):
        return True
    return ".." in re.split(r"[/\\]", href)


def _scan_part(zf: zipfile.ZipFile, name: str, found: list[Reference]) -> None:
    import defusedxml.ElementTree as ET

    instructions: list[str] = []
    open_fields: list[list[str]] = []  # a field's instruction is often split over several runs
    with zf.open(name) as fh:
        for _event, el in ET.iterparse(fh, events=("end",)):
            tag = el.tag if isinstance(el.tag, str) else ""
            local = _local(tag)
            if tag == _PKG_REL:
                if (el.get("TargetMode") or "").lower() == "external" and \
                        not (el.get("Type") or "").endswith("/hyperlink"):
                    kind = (el.get("Type") or "").rsplit("/", 1)[-1]
                    found.append(Reference(el.get("Target") or "", f"外部{_REL_WORDS.get(kind, '关联部件')}"))
            elif tag == f"{_W}fldChar":
                kind = el.get(f"{_W}fldCharType")
                if kind == "begin":
                    open_fields.append([])
                elif kind == "end" and open_fields:
                    instructions.append("".join(open_fields.pop()))
            elif tag == f"{_W}instrText":
                (open_fields[-1] if open_fields else instructions).append(el.text or "")
            elif tag == f"{_W}fldSimple":
                instructions.append(el.get(f"{_W}instr") or "")
            elif local in _LINK_ELEMENTS and (local != "connection" or name.endswith("connections.xml")):
                target = next((v for k, v in el.attrib.items() if _local(k) in (
                    "ddeService", "href", "progId", "connection", "name", "id")), "")
                found.append(Reference(target or local, _LINK_ELEMENTS[local]))
            if tag and local not in _CLICK_ONLY and _outside_package(el.get(_XLINK_HREF) or ""):
                found.append(Reference(el.get(_XLINK_HREF), "链接的外部内容"))
            formula = (el.text or "") if local == "f" else el.get(
                "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}formula") or ""
            if "WEBSERVICE" in formula.upper():
                found.append(Reference(formula[:120], "联网取数公式（WEBSERVICE）"))
            el.clear()
            if len(found) >= _MAX_FOUND:
                return
    instructions += ["".join(parts) for parts in open_fields]  # a field never closed
    for match in _FIELDS.finditer(" ".join(instructions)):
        found.append(Reference((match.group(2) or "").strip('"'), f"{match.group(1).upper()} 域"))


_REL_WORDS = {"image": "图片", "oleObject": "OLE 对象", "attachedTemplate": "模板",
              "externalLinkPath": "工作簿", "subDocument": "子文档", "frame": "框架网页",
              "package": "嵌入包", "audio": "音频", "video": "视频", "media": "媒体"}


def _is_xml(zf: zipfile.ZipFile, name: str) -> bool:
    """An XML part, whatever its name: a package may call its main part `word/x.dat`."""
    if name.lower().endswith((".xml", ".rels")):
        return True
    with zf.open(name) as fh:
        head = fh.read(64)
    return head.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")) or head.lstrip().startswith(b"<")


def external_references(path: Path) -> list[Reference]:
    """Every external reference found (at most a few), in part order; [] for a clean file."""
    found: list[Reference] = []
    with zipfile.ZipFile(path) as zf:
        for info in zf.infolist():
            name = info.filename
            if info.is_dir() or not _is_xml(zf, name):
                continue
            try:
                _scan_part(zf, name, found)
            except ParseError:
                if name.lower().endswith((".xml", ".rels")):
                    raise
                # not XML after all (an embedded text file): no reader parses it as a part
            if len(found) >= _MAX_FOUND:
                break
    return found[:_MAX_FOUND]


def _shown(target: str) -> str:
    clean = "".join(c for c in target if c.isprintable())
    return clean if len(clean) <= 120 else clean[:117] + "…"


def refusal_message(found: list[Reference]) -> str:
    """The Chinese message naming the links (EXTERNAL_REFERENCE)."""
    links = "；".join(f"{r.what}「{_shown(r.target)}」" for r in found)
    return (f"文件中含有指向文件以外的链接：{links}。打开或转换这样的文件会访问外部网址或本机文件，"
            "且档案内容不完整，已拒收。请在 Office 中把链接的内容嵌入文件（或删除该链接）后重新上传。")
