"""The running app's archive and background workers, as the composition root (`app.py`) set them up."""

from __future__ import annotations

from flask import current_app

from ..core.context import Archive


def get_archive() -> Archive:
    return current_app.extensions["archive"]


def wake_indexer() -> None:
    """Ask the in-process writer to index new outbox jobs now (no-op when it runs elsewhere)."""
    indexer = current_app.extensions.get("indexer")
    if indexer is not None:
        indexer.wake()
