"""The running archive: settings, catalogue database and blob store, shared by web and CLI."""

from __future__ import annotations

from dataclasses import dataclass

import click

from . import audit_key, localtime
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


def command_archive(ctx: click.Context) -> Archive:
    """The archive for this CLI invocation, opened once and closed when the command ends (every
    command group, `cli.py` and those it registers, shares it through the root context)."""
    root = ctx.find_root()
    if root.obj is None:
        root.obj = Archive.open()
        root.call_on_close(root.obj.db.dispose)
    return root.obj
