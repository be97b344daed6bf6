"""Page-break rules GB/T 9704 can only check once the page breaks are known: a measuring pass
on LibreOffice's PDF, and a second rendering only for the letters that need it.

7.4.1 / 7.5: the 版记 is kept together on the last page, its last line on the bottom edge of the
版心; when the body fills the last page, the 版记 goes to a page of its own, and that page carries
no page number. The templates keep the 版记 together (frames fixed to the foot of the 版心), so
the only case left is the 版记-only page: it is found in the PDF, and the letter is made again
with the 版记 in a section of its own whose footer is empty. A letter whose last page holds body
text is converted once, as before.

7.3.5.4: 发文机关署名 and 成文日期 never stand on a page without body text. The signature, the date
and the last body paragraph are "keep with next" (render.keep_body_with_signature), which holds
unless that paragraph is split across pages: LibreOffice does not move part of a split paragraph to
honour it. The PDF shows where its lines broke, so the paragraph is cut before its last two lines
on the page above and those lines go with the signature (`tail_with_signature`).
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from pathlib import Path

from pypdf import PdfReader

from ..rendition import office

_BANJI_PARA = re.compile(r'<w:p>(?:(?!</w:p>).)*?<w:pStyle w:val="版记"/>.*?</w:p>', re.S)
_TEXT = re.compile(r"<w:t(?: [^>]*)?>([^<]*)</w:t>")
_PAGE_NUMBER = re.compile(r"—\d+—")
_SIGNATURE = '<w:pStyle w:val="发文机关署名"/>'
_DATE = '<w:pStyle w:val="成文日期"/>'
_PARA = re.compile(r"<w:p(?:/>|>.*?</w:p>|\s[^>]*>.*?</w:p>)", re.S)
_HAS_TEXT = re.compile(r"<w:t(?: [^>]*)?>[^<]*\S[^<]*</w:t>")
_RUN_TEXT = re.compile(r"(<w:t(?: [^>]*)?>)([^<]*)(</w:t>)")
PASSES = 3  # the first conversion and at most two corrections
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
    return _SPACE.sub("", html.unescape("".join("".join(_TEXT.findall(p)) for p in _BANJI_PARA.findall(xml))))


def banji_alone(pages: _Pages, banji: str) -> bool:
    """True when the PDF's last page holds the 版记 and nothing else (besides its page number)."""
    if not banji or pages.count < 2:
        return False
    last = "".join(pages.lines(pages.count - 1))
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


def _lines(reader: PdfReader, page: int) -> list[str]:
    """The text lines of a page, without spaces, page numbers or empty lines."""
    out = []
    for line in (reader.pages[page].extract_text() or "").splitlines():
        flat = _SPACE.sub("", line)
        if flat and not _PAGE_NUMBER.fullmatch(flat):
            out.append(flat)
    return out


def _paragraph_text(para: str) -> str:
    return html.unescape("".join(_TEXT.findall(para)))


def _closing(xml: str) -> tuple[str, str, re.Match | None]:
    """The signature's and the date's text, and the last paragraph with text before them."""
    paras = list(_PARA.finditer(xml))
    sig = next((i for i, m in enumerate(paras) if _SIGNATURE in m.group(0)), None)
    if sig is None:
        return "", "", None
    date = next((m for m in paras[sig:] if _DATE in m.group(0)), None)
    body = next((m for m in reversed(paras[:sig]) if _HAS_TEXT.search(m.group(0))), None)
    return (_SPACE.sub("", _paragraph_text(paras[sig].group(0))),
            _SPACE.sub("", _paragraph_text(date.group(0))) if date else "", body)


class _Pages:
    """The PDF's page texts, each read (pypdf, the slow part) only when asked for."""

    def __init__(self, reader: PdfReader) -> None:
        self.reader, self.count, self._lines = reader, len(reader.pages), {}

    def lines(self, page: int) -> list[str]:
        if page not in self._lines:
            self._lines[page] = _lines(self.reader, page)
        return self._lines[page]


def stranded_tail(pages: _Pages, signature: str, date: str, banji: str) -> str:
    """When the 成文日期 stands on a page with no body text above it (7.3.5.4): the last two
    lines of body text on the page before, which must go with it; else "". The date is on the
    last page or, when the 版记 stands alone, the one before: at most three pages are read."""
    if not signature or not date or pages.count < 2:
        return ""
    on = next((i for i in (pages.count - 1, pages.count - 2) if date in pages.lines(i)), None)
    if not on:
        return ""
    here = pages.lines(on)[:pages.lines(on).index(date)]
    if here and here[-1] == signature:
        here = here[:-1]
    if [line for line in here if line not in banji]:
        return ""  # body text above the signature: as it should be
    above = pages.lines(on - 1)
    if signature in above:
        above = above[:above.index(signature)]
    above = [line for line in above if line not in banji]
    return "".join(above[-2:]) if len(above) >= 2 else ""


def _cut(para: str, at: int) -> tuple[str, str]:
    """A paragraph cut after `at` non-space characters of its text: (head, tail), each whole."""
    pieces = list(_RUN_TEXT.finditer(para))
    seen = 0
    for k, m in enumerate(pieces):
        text = html.unescape(m.group(2))
        for j, ch in enumerate(text):
            if seen == at:
                return _split_run(para, pieces, k, text, j)
            if not ch.isspace():
                seen += 1
    raise ValueError("cut past the paragraph's end")


def _split_run(para: str, pieces: list[re.Match], k: int, text: str, j: int) -> tuple[str, str]:
    def esc(t: str) -> str:
        return html.escape(t, quote=False)

    m = pieces[k]
    run_start = max(para.rfind("<w:r>", 0, m.start()), para.rfind("<w:r ", 0, m.start()))
    run_end = para.index("</w:r>", m.end()) + len("</w:r>")
    run = para[run_start:run_end]
    at_t = m.start() - run_start
    t_len = m.end() - m.start()
    first_run = run[:at_t] + m.group(1) + esc(text[:j]) + m.group(3) + run[at_t + t_len:]
    second_run = run[:at_t] + m.group(1) + esc(text[j:]) + m.group(3) + run[at_t + t_len:]
    ppr_end = para.find("</w:pPr>")
    head_open = para[:ppr_end + len("</w:pPr>")] if ppr_end >= 0 else para[:para.index(">") + 1]
    head = para[:run_start] + first_run + "</w:p>"
    head = head.replace("<w:keepNext/>", "", 1)
    tail_open = re.sub(r"<w:ind [^>]*/>", "", head_open)
    if "<w:pPr>" in tail_open:
        tail_open = tail_open.replace("</w:pPr>", "").rstrip() + '<w:keepLines/><w:ind w:firstLine="0"/></w:pPr>'
        if "<w:keepNext/>" not in tail_open:
            tail_open = tail_open.replace("<w:keepLines/>", "<w:keepNext/><w:keepLines/>", 1)
    else:
        tail_open += '<w:pPr><w:keepNext/><w:keepLines/><w:ind w:firstLine="0"/></w:pPr>'
    tail = tail_open + second_run + para[run_end:]
    return head, tail


def tail_with_signature(docx: bytes, tail: str) -> bytes | None:
    """The letter with its last body paragraph cut before `tail` (its last lines as the PDF
    showed them), the tail a paragraph of its own, unindented, kept whole and with the signature.
    None when the paragraph does not end with those lines (nothing safe to do)."""
    with zipfile.ZipFile(io.BytesIO(docx)) as src:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
    xml = parts["word/document.xml"].decode()
    _sig, _date, body = _closing(xml)
    if body is None:
        return None
    text = _SPACE.sub("", _paragraph_text(body.group(0)))
    if not tail or not text.endswith(tail) or len(text) == len(tail):
        return None
    head, rest = _cut(body.group(0), len(text) - len(tail))
    parts["word/document.xml"] = (xml[:body.start()] + head + rest + xml[body.end():]).encode()
    return _zip(parts)


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, data in parts.items():
            dst.writestr(name, data)
    return out.getvalue()


def correction(docx: bytes, pdf: Path) -> bytes | None:
    """The .docx made again for what the PDF shows (a stranded signature first, then a 版记 alone
    on the last page), or None when the PDF keeps the rules. Single-page letters are not read."""
    pages = _Pages(PdfReader(pdf))
    if pages.count < 2:
        return None
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        xml = z.read("word/document.xml").decode()
    banji = banji_text(docx)
    signature, date, _body = _closing(xml)
    tail = stranded_tail(pages, signature, date, banji)
    if tail:
        return tail_with_signature(docx, tail)
    if _BLANK_ID not in xml and banji_alone(pages, banji):  # not yet on a page of its own
        return banji_on_own_page(docx)
    return None


def convert(sources: list[Path], workdir: Path, timeout_s: float) -> list[Path | None]:
    """The PDFs of rendered letters, in order (None where LibreOffice failed): one LibreOffice run,
    then further runs only for the letters the PDF shows need a correction (at most PASSES in all).
    A corrected letter's .docx is rewritten in place, so the filed source matches its PDF; if
    LibreOffice fails on a correction, the previous PDF and .docx are kept."""
    pdfs = office.convert_many(sources, "docx", workdir, timeout_s)
    todo = list(range(len(sources)))
    for _ in range(PASSES - 1):
        again: list[tuple[int, bytes]] = []
        for i in todo:
            if pdfs[i] is None:
                continue
            data = sources[i].read_bytes()
            fixed = correction(data, pdfs[i])
            if fixed is not None:
                sources[i].write_bytes(fixed)
                again.append((i, data))
        if not again:
            break
        redone = office.convert_many([sources[i] for i, _ in again], "docx", workdir, timeout_s)
        for (i, before), pdf in zip(again, redone, strict=True):
            if pdf is not None:
                pdfs[i] = pdf
            else:
                sources[i].write_bytes(before)
        todo = [i for (i, _), pdf in zip(again, redone, strict=True) if pdf is not None]
    return pdfs
