"""Issuing staff of both agencies (the `soffice` fixture is in tests/conftest.py)."""

from __future__ import annotations

from archive_app.intake import Actor

SPJ_STAFF = Actor("spj_correspondence", "SPJ", "correspondence")
RSJ_STAFF = Actor("rsj_correspondence", "RSJ", "correspondence")
