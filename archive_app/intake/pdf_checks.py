"""PDFs that carry other files. A PDF can hold attachments (the EmbeddedFiles name tree, or
file-attachment annotations on a page); their format is whatever the sender chose, so they would
carry an unchecked format past the allow-list into the archive. Rule: the intake refuses such a
PDF (UNSUPPORTED_TYPE, naming the attachments) and the clerk files each attachment as its own
record, where it passes every check. Runs in the limited parse child."""

from __future__ import annotations

from pathlib import Path


def attachment_names(path: Path, limit: int = 5) -> list[str]:
    """Names of the files attached to the PDF at `path` (at most `limit`); [] when none."""
    from pypdf import PdfReader

    reader = PdfReader(str(path), strict=False)
    if reader.is_encrypted:
        return []  # refused as ENCRYPTED by the parser
    names: list[str] = []
    catalog_names = reader.trailer["/Root"].get("/Names")
    if catalog_names is not None and "/EmbeddedFiles" in catalog_names.get_object():
        names.extend(reader.attachments.keys() or ["（未命名附件）"])
    for page in reader.pages:
        for ref in page.get("/Annots") or []:
            annot = ref.get_object()
            if annot.get("/Subtype") == "/FileAttachment":
                spec = annot.get("/FS")
                spec = spec.get_object() if spec is not None else {}
                names.append(str(spec.get("/UF") or spec.get("/F") or "（未命名附件）"))
        if len(names) >= limit:
            break
    return names[:limit]


def refusal_message(names: list[str]) -> str:
    shown = "、".join(f"「{''.join(c for c in n if c.isprintable())[:80]}」" for n in names)
    return (f"PDF 文件中夹带了附件 {shown}。附件的格式无法核验，已拒收。"
            "请取出附件，把 PDF 和每个附件分别作为单独的文件归档。")
