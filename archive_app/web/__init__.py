"""The pages (Flask, server-rendered, 简体中文). Each module has an `init_app(app)` that the
composition root (`archive_app/app.py`) calls; the pages call services, never the API."""

from ..doors.current import get_archive, wake_indexer

__all__ = ["get_archive", "wake_indexer"]
