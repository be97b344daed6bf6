"""Document generation (DESIGN.md §5): template catalogue → values → rendering (docxtpl,
autoescape) → 发文字号 → PDF through LibreOffice → filed as a record. `issue` is the one door."""

from ..models import DOC_STATUSES as STATUS_LABELS
from .issue import Issued, batch, complete, describe, issue, preview_pdf, register, register_page, reserve, retry, void
from .issue import own_document as own
from .issuers import may_issue
from .template_catalogue import Template, all_templates, get

__all__ = [
    "STATUS_LABELS", "Issued", "Template", "all_templates", "batch", "complete", "describe", "get", "issue",
    "may_issue", "own", "preview_pdf", "register", "register_page", "reserve", "retry", "void",
]
