"""Rendering a template with docxtpl, autoescape on, strict about undefined names.

docxtpl post-processes the rendered XML: `{_{`-style escapes are turned back into braces, which
would alter a value that happens to contain them. Our templates never use those escapes, so that
step is left out and every value comes out exactly as typed.
"""

from __future__ import annotations

import io
import re
from functools import cache, lru_cache
from pathlib import Path

from docxtpl import DocxTemplate
from jinja2 import Environment, StrictUndefined, TemplateError
from jinja2 import Template as JinjaTemplate

from ..core import errors

_ENV = Environment(autoescape=True, undefined=StrictUndefined)
_PARAGRAPH = re.compile(r"<w:p([ >])")
_MARKED_PARAGRAPH = re.compile(r"\n<w:p([ >])")


@lru_cache(maxsize=256)
def _compiled(src_xml: str) -> JinjaTemplate:
    """Each part of each template is compiled once per process (a third of the render time)."""
    return _ENV.from_string(src_xml)


_SIGNATURE = '<w:pStyle w:val="发文机关署名"/>'
_PARA_START = re.compile(r"<w:p[ >/]")


def keep_body_with_signature(xml: str) -> str:
    """GB/T 9704 7.3.5.4: 发文机关署名 and 成文日期 never stand on a page without body text. The
    last paragraph with text before the signature (and the blank lines between) is kept with
    the next paragraph, so a page break falls inside the body, never between it and the signature."""
    at = xml.find(_SIGNATURE)
    if at < 0:
        return xml
    starts = [m.start() for m in _PARA_START.finditer(xml, 0, at)]
    starts.pop()  # the signature's own paragraph
    out = xml
    for start in reversed(starts):
        if out.startswith("<w:p/>", start):
            out = out[:start] + "<w:p><w:pPr><w:keepNext/></w:pPr></w:p>" + out[start + len("<w:p/>"):]
            continue
        end = out.find("</w:p>", start)
        para = out[start:end]
        if "</w:tc>" in para or "<w:tbl" in para:
            break
        if "<w:keepNext/>" not in para:
            if "<w:pPr>" in para:
                tag = re.search(r'<w:pStyle w:val="[^"]*"/>', para)
                pos = start + (tag.end() if tag else para.index("<w:pPr>") + len("<w:pPr>"))
                out = out[:pos] + "<w:keepNext/>" + out[pos:]
            else:
                pos = start + para.index(">") + 1
                out = out[:pos] + "<w:pPr><w:keepNext/></w:pPr>" + out[pos:]
        if re.search(r"<w:t(?: [^>]*)?>[^<]+</w:t>", para):
            break
    return out


@lru_cache(maxsize=256)
def _patched(src_xml: str) -> str:
    """docxtpl's tag clean-up of a part, a pure function of the part's XML: once per part."""
    return DocxTemplate.patch_xml(None, src_xml)


class _ExactTemplate(DocxTemplate):
    def patch_xml(self, src_xml):
        return _patched(src_xml)

    def render_xml_part(self, src_xml, part, context, jinja_env=None):
        self.current_rendering_part = part
        dst_xml = _compiled(_PARAGRAPH.sub(r"\n<w:p\1", src_xml)).render(context)
        dst_xml = _MARKED_PARAGRAPH.sub(r"<w:p\1", dst_xml)
        return self.resolve_listing(keep_body_with_signature(dst_xml))

    def render_properties(self, context, jinja_env=None):
        """Core properties (题名, 作者 …) are rendered only when they hold a tag, through the same
        compile cache: docxtpl ≥ 0.17 compiles each of them as a new template on every render,
        a fifth of a render's time for properties that are plain text."""
        props = self.docx.core_properties
        for prop in ("author", "comments", "identifier", "language", "subject", "title"):
            value = getattr(props, prop)
            if value and ("{{" in value or "{%" in value):
                setattr(props, prop, _compiled(value).render(context))


@cache
def _template_bytes(path: Path, mtime_ns: int) -> bytes:
    return path.read_bytes()


def render_docx(path: Path, context: dict[str, object]) -> bytes:
    """The filled-in .docx as bytes."""
    tpl = _ExactTemplate(io.BytesIO(_template_bytes(path, path.stat().st_mtime_ns)))
    try:
        tpl.render(context, jinja_env=_ENV, autoescape=True)
    except TemplateError as exc:  # a template that does not match its schema: our bug, say so
        raise errors.Unavailable(f"公文模板「{path.stem}」有误，无法生成：{exc}") from exc
    out = io.BytesIO()
    tpl.save(out)
    return out.getvalue()
