"""Serving the app: one process with threads (waitress, the default) or several worker processes
(gunicorn, Linux) for a larger site.

Why two ways: one process is all `make run` and a small office need — the index writer runs as a
thread beside the web threads. Searches and letter rendering are CPU-bound Python, so a larger
site wants several processes; then the Whoosh index must still have exactly one writer, so the
workers only read it and `archive-app indexer` runs as its own process (`ARCHIVE_INDEXER=external`),
draining the outbox the workers fill in the same transactions as their catalogue changes; the
same process runs the OCR queue (`ARCHIVE_OCR=external`, the default with an external indexer),
so a site has one OCR runner, not one per worker.
Several processes share the catalogue through PostgreSQL: the 件号 and 发文字号 counters are rows
bumped inside the filing transaction, and PostgreSQL's row locks serialise them across processes
(SQLite is refused here: one file for one serving process). docs/architecture.md, "Deployment".
"""

from __future__ import annotations

import os

from .app import create_app
from .core import errors
from .core.config import Settings, load_settings
from .core.context import Archive
from .search import ensure_index
from .web.bodylimit import serve as serve_limited

WORKER_TIMEOUT_S = 300  # a letter's LibreOffice rendering or a 200 MB upload may take minutes


def check_multiprocess(settings: Settings) -> None:
    """Refuse a multi-process start that would break the single-writer or the numbering rules."""
    if settings.indexer == "thread":
        raise errors.Validation("多个工作进程时，索引写入须作为独立进程运行：请设置 ARCHIVE_INDEXER=external，"
                                "并另行运行 archive-app indexer。")
    if settings.ocr == "thread":  # each worker would start its own OCR runner, N at once on 2 cores
        raise errors.Validation("多个工作进程时，文字识别队列须由 archive-app indexer 运行：请设置 ARCHIVE_OCR=external"
                                "（或 off，仅由 archive-app ocr 运行）。")
    if settings.database_url.startswith("sqlite"):
        raise errors.Validation("SQLite 数据库只能由一个进程使用；多个工作进程请使用 PostgreSQL"
                                "（设置 ARCHIVE_DATABASE_URL）。")


def serve_threads(host: str, port: int, threads: int) -> None:
    app = create_app()
    serve_limited(app, host, port, threads, app.config["MAX_CONTENT_LENGTH"], ident="archive-app")


def serve_workers(host: str, port: int, workers: int, threads: int) -> None:
    """gunicorn with `workers` processes of `threads` threads each (gthread workers). Each worker
    builds its own app after the fork (no connection or index reader crosses a fork); the app's
    outermost layer (web/bodylimit.py) refuses oversized bodies as under waitress. Further
    gunicorn settings (access log, TLS, …) come from GUNICORN_CMD_ARGS."""
    settings = load_settings()
    check_multiprocess(settings)
    try:
        from gunicorn.app.base import BaseApplication
    except ImportError as exc:  # not installed on this platform (setup.cfg installs it on Linux)
        raise errors.Unavailable("多进程运行需要 gunicorn（Linux）；请安装，或去掉 --workers 以单进程运行。") from exc

    archive = Archive.open(settings)  # before the fork: the index exists (or is rebuilt) once
    try:
        ensure_index(archive)
    finally:
        archive.db.dispose()

    class _Gunicorn(BaseApplication):
        def load_config(self) -> None:
            for key, value in {"bind": f"{host}:{port}", "workers": workers, "threads": threads,
                               "worker_class": "gthread", "timeout": WORKER_TIMEOUT_S, "graceful_timeout": 30,
                               "proc_name": "archive-app"}.items():
                self.cfg.set(key, value)
            extra = self.cfg.parser().parse_args(self.cfg.get_cmd_args_from_env())
            for key, value in vars(extra).items():
                if value is not None and key in self.cfg.settings and key != "args":
                    self.cfg.set(key.lower(), value)

        def load(self):
            return create_app()

    os.environ.setdefault("SERVER_SOFTWARE", "archive-app")
    _Gunicorn().run()
