"""Page-break rules GB/T 9704 can only check once the page breaks are known: a measuring pass
on LibreOffice's PDF, and a second rendering only for the letters that need it.

7.4.1 / 7.5: the 版记 is kept together on the last page, its last line on the bottom edge of the
版心; when the body fills the last page, the 版记 goes to a page of its own, and that page carries
no page number. The templates keep the 版记 together (frames fixed to the foot of the 版心), so
the only case left is the 版记-only page: it is found in the PDF, and the letter is made again
with the 版记 in a section of its own whose footer is empty. A letter whose last page holds body
text is converted once, as before.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from pypdf import PdfReader

from ..rendition import office

_BANJI_PARA = re.compile(r'<w:p>(?:(?!</w:p>).)*?<w:pStyle w:val="版记"/>.*?</w:p>', re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_PAGE_NUMBER = re.compile(r"—\d+—")
_SPACE = re.compile(r"\s+")
_BODY_SECT = re.compile(r"<w:sectPr[ >].*?</w:sectPr>(?=</w:body>)", re.S)
_FOOTER_REFS = re.compile(r'<w:(?:footer|header)Reference w:type="first" r:id="[^"]*"/>|'
                          r'<w:footerReference w:type="(?:default|even)" r:id="[^"]*"/>|<w:titlePg/>')
_BLANK_ID = "rIdBanjiOwnPage"
_BLANK_PART = "word/footer-banji.xml"
_BLANK_FOOTER = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<w:ftr xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:p><w:pPr>'
                 '<w:spacing w:line="20" w:lineRule="exact" w:before="0" w:after="0"/></w:pPr></w:p></w:ftr>')
_FOOTER_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml"
_FOOTER_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footer"


def banji_text(docx: bytes) -> str:
    """The words of the 版记 paragraphs, without spaces ("" when the letter has no 版记)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode()
    return "".join("".join(_TEXT.findall(p)) for p in _BANJI_PARA.findall(xml)).replace(" ", "")


def banji_alone(pdf: Path, banji: str) -> bool:
    """True when the PDF's last page holds the 版记 and nothing else (besides its page number)."""
    if not banji:
        return False
    reader = PdfReader(pdf)
    if len(reader.pages) < 2:
        return False
    last = _PAGE_NUMBER.sub("", _SPACE.sub("", reader.pages[-1].extract_text() or ""))
    return bool(last) and sorted(last) == sorted(banji)


def banji_on_own_page(docx: bytes) -> bytes:
    """The same letter with the 版记 in a section of its own, whose footer is empty (no page
    number) and which has no first-page masthead. The body's section ends on the last paragraph
    before the 版记's anchor, so the body's pages are laid out exactly as before."""
    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    xml = parts["word/document.xml"].decode()
    first = _BANJI_PARA.search(xml)
    body_sect = _BODY_SECT.search(xml)
    if first is None or body_sect is None:
        return docx
    anchor = xml.rfind("<w:p>", 0, first.start())  # the flat paragraph the frames hang on
    last = xml.rfind("<w:p>", 0, anchor)  # the body's last paragraph (成文日期 or 附注)
    if anchor < 0 or last < 0:
        return docx
    end_body = body_sect.group(0)
    own = _FOOTER_REFS.sub("", end_body).replace(
        "<w:pgSz", f'<w:footerReference w:type="default" r:id="{_BLANK_ID}"/>'
                   f'<w:footerReference w:type="even" r:id="{_BLANK_ID}"/><w:pgSz', 1)
    para = xml[last:anchor]
    if para.startswith("<w:p><w:pPr>"):
        close = para.index("</w:pPr>")
        para = para[:close] + end_body + para[close:]
    else:
        para = "<w:p><w:pPr>" + end_body + "</w:pPr>" + para[len("<w:p>"):]
    xml = xml[:last] + para + xml[anchor:body_sect.start()] + own + xml[body_sect.end():]
    parts["word/document.xml"] = xml.encode()
    parts[_BLANK_PART] = _BLANK_FOOTER.encode()
    rels = parts["word/_rels/document.xml.rels"].decode()
    parts["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>", f'<Relationship Id="{_BLANK_ID}" Type="{_FOOTER_REL}" Target="footer-banji.xml"/>'
                            "</Relationships>").encode()
    types = parts["[Content_Types].xml"].decode()
    parts["[Content_Types].xml"] = types.replace(
        "</Types>", f'<Override PartName="/{_BLANK_PART}" ContentType="{_FOOTER_TYPE}"/></Types>').encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


def convert(sources: list[Path], workdir: Path, timeout_s: float) -> list[Path | None]:
    """The PDFs of rendered letters (one LibreOffice run), then a second run only for those whose
    版记 fell alone on the last page; their .docx is rewritten in place, so the filed source has
    the same layout as the PDF."""
    pdfs = office.convert_many(sources, "docx", workdir, timeout_s)
    again: list[int] = []
    for i, (source, pdf) in enumerate(zip(sources, pdfs, strict=True)):
        if pdf is not None:
            data = source.read_bytes()
            if banji_alone(pdf, banji_text(data)):
                source.write_bytes(banji_on_own_page(data))
                again.append(i)
    if again:
        for i, pdf in zip(again, office.convert_many([sources[i] for i in again], "docx", workdir, timeout_s),
                          strict=True):
            pdfs[i] = pdf
    return pdfs
