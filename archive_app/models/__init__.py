"""Typed SQLAlchemy 2.0 mappings. Schema changes go through Alembic (`migrations/`)."""

from ..db import Base
from .audit import AuditEntry
from .calendar import CalendarDay
from .cases import Case
from .lookups import MODES, STATUSES, LookupItem, LookupRequest
from .org import Agency, Matter, Unit
from .records import CustodyChange, FilingCounter, IndexJob, Record, RecordText, StoredFile
from .users import ROLE_LABELS, ROLES, ApiToken, User

__all__ = [
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
    "FilingCounter",
    "IndexJob",
    "LookupItem",
    "LookupRequest",
    "Matter",
    "Record",
    "RecordText",
    "StoredFile",
    "Unit",
    "User",
]
