"""The running archive: settings, catalogue database and blob store, shared by web and CLI."""

from __future__ import annotations

from dataclasses import dataclass

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
        return cls(settings, Database(settings.database_url), BlobStore(settings.storage_dir))
