"""The running archive: settings, catalogue database and blob store, shared by web and CLI."""

from __future__ import annotations

from dataclasses import dataclass

from ..audit import key as audit_key
from . import localtime
from .blobstore import BlobStore
from .config import Settings, load_settings
from .db import Database


@dataclass
class Archive:
    settings: Settings
    db: Database
    store: BlobStore

    @classmethod
    def open(cls, settings: Settings | None = None) -> Archive:
        settings = settings or load_settings()
        localtime.configure(settings.timezone)
        settings.instance_dir.mkdir(parents=True, exist_ok=True)
        settings.index_dir.mkdir(parents=True, exist_ok=True)
        key = audit_key.load_or_create(settings.audit_key_file) if settings.audit_key_file else None
        return cls(settings, Database(settings.database_url, audit_key=key), BlobStore(settings.storage_dir))
