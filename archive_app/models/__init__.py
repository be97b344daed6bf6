"""Typed SQLAlchemy 2.0 mappings. Schema changes go through Alembic (`migrations/`)."""

from ..db import Base
from .audit import AuditEntry
from .calendar import CalendarDay
from .cases import Case
from .documents import DOC_STATUSES, DocNumberCounter, IssuedDocument
from .lookups import MODES, STATUSES, LookupItem, LookupRequest
from .org import Agency, Matter, Unit
from .records import CustodyChange, FilingCounter, IndexJob, Record, RecordText, StoredFile
from .users import ROLE_LABELS, ROLES, ApiToken, User

__all__ = [
    "DOC_STATUSES",
    "MODES",
    "ROLES",
    "ROLE_LABELS",
    "STATUSES",
    "Agency",
    "ApiToken",
    "AuditEntry",
    "Base",
    "CalendarDay",
    "Case",
    "CustodyChange",
    "DocNumberCounter",
    "FilingCounter",
    "IndexJob",
    "IssuedDocument",
    "LookupItem",
    "LookupRequest",
    "Matter",
    "Record",
    "RecordText",
    "StoredFile",
    "Unit",
    "User",
]
