"""The running app's archive and background workers, as the composition root (`app.py`) set them up."""

from __future__ import annotations

from flask import current_app, g

from ..core.context import Archive


def get_archive() -> Archive:
    return current_app.extensions["archive"]


def wake_indexer() -> None:
    """Ask the in-process writer to index new outbox jobs now (no-op when it runs elsewhere)."""
    indexer = current_app.extensions.get("indexer")
    if indexer is not None:
        indexer.wake()


def abandon_request_transaction() -> None:
    """After a database error inside a request, its session may hold an aborted transaction
    (PostgreSQL refuses every later statement in it): roll it back, so that the error page, which
    reads from the same session (the header's counts), can still be drawn."""
    db = g.get("db")
    if db is not None:
        db.rollback()
