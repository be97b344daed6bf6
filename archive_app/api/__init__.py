"""HTTP API under /api/v1 (DESIGN.md §4): one blueprint (`common.bp`) carrying the routes of
routes.py (records, 调阅, documents, reports, search), cases.py (办件) and registers.py (台账)."""

from . import cases, registers, routes  # noqa: F401 — each module adds its routes to the blueprint
from .common import bp

__all__ = ["bp"]
