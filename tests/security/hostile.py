"""Builders of hostile office files: an image (or other part) that LibreOffice would fetch from
an external target — `http://` to a listener, `file://` to a file of the server — as DOCX, XLSX
and an OpenDocument text in disguise (named .docx). Made from raw parts so each test says
exactly what the file contains."""

from __future__ import annotations

import io
import zipfile

REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_CT = "http://schemas.openxmlformats.org/package/2006/content-types"


def _zip(parts: dict[str, str | bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return buf.getvalue()


def _rels(*rels: tuple[str, str, str, bool]) -> str:
    mode = ' TargetMode="External"'
    items = "".join(f'<Relationship Id="{rid}" Type="{REL}/{kind}" Target="{target}"'
                    f'{mode if external else ""}/>' for rid, kind, target, external in rels)
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG_REL}">{items}</Relationships>'


def _picture(rel_attr: str) -> str:
    return ('<pic:pic xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            '<pic:nvPicPr><pic:cNvPr id="0" name="x.png"/><pic:cNvPicPr/></pic:nvPicPr>'
            f'<pic:blipFill><a:blip {rel_attr}/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
            '<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="1828800"/></a:xfrm>'
            '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic>')


def docx(body: str = "", rels: tuple = (), text: str = "外部链接测试") -> bytes:
    """A minimal valid DOCX; `body` is extra WordprocessingML, `rels` extra relationships."""
    document = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
        f'xmlns:r="{REL}" '
        'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
        'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><w:body>'
        f'<w:p><w:r><w:t>{text}</w:t></w:r></w:p>{body}</w:body></w:document>')
    return _zip({
        "[Content_Types].xml":
            f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_CT}">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
            'officedocument.wordprocessingml.document.main+xml"/></Types>',
        "_rels/.rels": _rels(("rId1", "officeDocument", "word/document.xml", False)),
        "word/document.xml": document,
        "word/_rels/document.xml.rels": _rels(*rels),
    })


def docx_external_image(url: str) -> bytes:
    """word/document.xml: `<a:blip r:link=…>`; its relationship is TargetMode="External"."""
    body = ('<w:p><w:r><w:drawing><wp:inline><wp:extent cx="1828800" cy="1828800"/>'
            '<wp:docPr id="1" name="Picture 1"/><a:graphic><a:graphicData '
            'uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
            + _picture('r:link="rIdX1"') +
            '</a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>')
    return docx(body, (("rIdX1", "image", url, True),))


def docx_field(instruction: str) -> bytes:
    """A field such as INCLUDEPICTURE "http://…" in a complex field's instruction text."""
    body = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            f'<w:r><w:instrText xml:space="preserve"> {instruction} </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    return docx(body)


def docx_split_field(url: str) -> bytes:
    """INCLUDEPICTURE with its instruction split over runs, as Word writes it after editing."""
    body = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            '<w:r><w:instrText xml:space="preserve"> INCLUDEPIC</w:instrText></w:r>'
            f'<w:r><w:instrText xml:space="preserve">TURE "{url}" \\d </w:instrText></w:r>'
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r><w:r><w:t>x</w:t></w:r>'
            '<w:r><w:fldChar w:fldCharType="end"/></w:r></w:p>')
    return docx(body)


def main_part_renamed(data: bytes, new_name: str = "word/main.dat") -> bytes:
    """The same DOCX with its main part under a name not ending in .xml (the package's
    relationships say where the main part is, its name is free), and a harmless
    word/document.xml left beside it as a decoy."""
    src = zipfile.ZipFile(io.BytesIO(data))
    parts: dict[str, str | bytes] = {}
    for name in src.namelist():
        content = src.read(name).replace(b"word/document.xml", new_name.encode())
        if name == "word/document.xml":
            name = new_name
        elif name == "word/_rels/document.xml.rels":
            name = f"word/_rels/{new_name.rsplit('/', 1)[-1]}.rels"
        parts[name] = content
    parts["word/document.xml"] = src.read("word/document.xml").split(b"<w:body>")[0] + \
        b"<w:body><w:p><w:r><w:t>decoy</w:t></w:r></w:p></w:body></w:document>"
    return _zip(parts)


def docx_hyperlink(url: str) -> bytes:
    """An ordinary clickable hyperlink: nothing fetches it, so it is allowed."""
    body = (f'<w:p><w:hyperlink r:id="rIdH1"><w:r><w:t>{url}</w:t></w:r></w:hyperlink></w:p>')
    return docx(body, (("rIdH1", "hyperlink", url, True),))


def xlsx_external_image(url: str) -> bytes:
    """A sheet whose drawing shows a picture linked (not embedded) to `url`."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    ct = (f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{_CT}">'
          '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
          '<Default Extension="xml" ContentType="application/xml"/>'
          '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.sheet.main+xml"/>'
          '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.spreadsheetml.worksheet+xml"/>'
          '<Override PartName="/xl/drawings/drawing1.xml" ContentType="application/vnd.openxmlformats-'
          'officedocument.drawing+xml"/></Types>')
    drawing = (
        '<?xml version="1.0" encoding="UTF-8"?><xdr:wsDr '
        'xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        f'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="{REL}">'
        '<xdr:oneCellAnchor><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1</xdr:row>'
        '<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:ext cx="1828800" cy="1828800"/>'
        '<xdr:pic><xdr:nvPicPr><xdr:cNvPr id="2" name="Picture 1"/><xdr:cNvPicPr/></xdr:nvPicPr>'
        '<xdr:blipFill><a:blip r:link="rIdX1"/><a:stretch><a:fillRect/></a:stretch></xdr:blipFill>'
        '<xdr:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1828800" cy="1828800"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></xdr:spPr></xdr:pic><xdr:clientData/>'
        '</xdr:oneCellAnchor></xdr:wsDr>')
    return _zip({
        "[Content_Types].xml": ct,
        "_rels/.rels": _rels(("rId1", "officeDocument", "xl/workbook.xml", False)),
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{REL}">'
                           '<sheets><sheet name="表1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": _rels(("rId1", "worksheet", "worksheets/sheet1.xml", False)),
        "xl/worksheets/sheet1.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}" xmlns:r="{REL}"><sheetData>'
            '<row r="1"><c r="A1" t="inlineStr"><is><t>外部图片</t></is></c></row></sheetData>'
            '<drawing r:id="rId1"/></worksheet>',
        "xl/worksheets/_rels/sheet1.xml.rels": _rels(("rId1", "drawing", "../drawings/drawing1.xml", False)),
        "xl/drawings/drawing1.xml": drawing,
        "xl/drawings/_rels/drawing1.xml.rels": _rels(("rIdX1", "image", url, True)),
    })


def odt_linked_image(url: str, *, disguise: bool = False) -> bytes:
    """An OpenDocument text whose image is `xlink:href` to `url`. With `disguise` it also
    carries the two part names a DOCX has, and the `mimetype` entry is compressed, so that
    content sniffing takes it for a DOCX."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
        'xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0" '
        'xmlns:xlink="http://www.w3.org/1999/xlink" '
        'xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">'
        '<office:body><office:text><text:p>外部图片<draw:frame draw:name="i1" text:anchor-type="as-char" '
        'svg:width="5cm" svg:height="5cm">'
        f'<draw:image xlink:href="{url}" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>'
        '</draw:frame></text:p></office:text></office:body></office:document-content>')
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.text"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        '</manifest:manifest>')
    parts: dict[str, str | bytes] = {"mimetype": "application/vnd.oasis.opendocument.text",
                                     "META-INF/manifest.xml": manifest, "content.xml": content}
    if disguise:
        parts["[Content_Types].xml"] = f'<?xml version="1.0"?><Types xmlns="{_CT}"/>'
        parts["word/document.xml"] = "<x/>"
    return _zip(parts)
