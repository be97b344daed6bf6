"""Typed SQLAlchemy 2.0 mappings. Schema changes go through Alembic (`migrations/`)."""

from ..core.db import Base
from .audit import AuditEntry
from .calendar import CalendarDay
from .cases import CASE_STATUSES, ApprovalStandard, Case, CaseEvent, CaseImport, CaseIndexJob
from .catalogue import CatalogueYear
from .documents import DOC_STATUSES, DocNumberCounter, IssuedDocument
from .lookups import MODES, STATUSES, LookupItem, LookupRequest
from .ocr import OCR_STATUSES, OcrJob, RecordTextVersion
from .org import Agency, Matter, Unit
from .records import CustodyChange, FilingCounter, IndexJob, Record, RecordText, StoredFile
from .registers import (
    CHANNELS,
    DEFAULT_SEND_DAYS,
    FINDINGS,
    FLOW_CLAUSES,
    FLOW_SENDERS,
    FLOWS,
    OTHER_KIND,
    POLICY_CATEGORIES,
    POSITIONS,
    REVIEW_KINDS,
    REVIEW_MODES,
    LiaisonOfficer,
    Push,
    PushAgreement,
    ReviewProcedure,
    SpecialReview,
)
from .security import TRANSFER_REQUEST_STATUSES, LoginThrottle, TransferDateRequest, UserSession
from .users import ROLE_LABELS, ROLES, ApiToken, User

__all__ = [
    "CASE_STATUSES",
    "CHANNELS",
    "DEFAULT_SEND_DAYS",
    "DOC_STATUSES",
    "FINDINGS",
    "FLOWS",
    "FLOW_CLAUSES",
    "FLOW_SENDERS",
    "MODES",
    "OCR_STATUSES",
    "OTHER_KIND",
    "POLICY_CATEGORIES",
    "POSITIONS",
    "REVIEW_KINDS",
    "REVIEW_MODES",
    "ROLES",
    "ROLE_LABELS",
    "STATUSES",
    "TRANSFER_REQUEST_STATUSES",
    "Agency",
    "ApiToken",
    "ApprovalStandard",
    "AuditEntry",
    "Base",
    "CalendarDay",
    "Case",
    "CaseEvent",
    "CaseImport",
    "CaseIndexJob",
    "CatalogueYear",
    "CustodyChange",
    "DocNumberCounter",
    "FilingCounter",
    "IndexJob",
    "IssuedDocument",
    "LiaisonOfficer",
    "LoginThrottle",
    "LookupItem",
    "LookupRequest",
    "Matter",
    "OcrJob",
    "Push",
    "PushAgreement",
    "Record",
    "RecordText",
    "RecordTextVersion",
    "ReviewProcedure",
    "SpecialReview",
    "StoredFile",
    "TransferDateRequest",
    "Unit",
    "User",
    "UserSession",
]

from . import case_hooks as _case_hooks  # noqa: F401 — registers the push → case session hooks
