"""Settings, read once from the environment (DESIGN.md §4).

Everything has a working default so that `make run` needs no configuration: the SQLite
catalogue lives in the instance folder, blobs under `storage/`, the index under `indexes/`.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

MB = 1024 * 1024


@dataclass(frozen=True)
class Settings:
    database_url: str
    storage_dir: Path
    index_dir: Path
    instance_dir: Path
    secret_key: str
    max_upload_bytes: int = 200 * MB
    # Zip containers (OOXML, OFD): refused before anything decompresses them.
    zip_max_entries: int = 5_000
    zip_max_total_bytes: int = 512 * MB
    zip_max_ratio: int = 200
    # The child process that parses untrusted files.
    parse_timeout_s: float = 60
    parse_memory_bytes: int = 1024 * MB
    max_text_chars: int = 2_000_000
    bulk_max_rows: int = 2_000  # rows of one bulk 公文 sheet (ARCHIVE_BULK_MAX_ROWS)
    # OCR of scans (issue 15): engine, per-page child limits, and who drains the queue
    # (thread: the web process in the background; external: `archive-app indexer`, the default
    # when the index writer is external, i.e. several web workers; off: only `archive-app ocr`).
    ocr_engine: str = "rapidocr"
    ocr_page_timeout_s: float = 300
    ocr_memory_bytes: int = 3072 * MB
    ocr: str = "thread"
    # LibreOffice for PDF renditions of office files.
    soffice_timeout_s: int = 120
    render_office: bool = True
    secure_cookies: bool = False  # set behind HTTPS
    audit_key_file: Path | None = None  # ARCHIVE_AUDIT_KEY_FILE, default <instance>/audit.key
    session_idle_min: int = 30  # a signed-in session unused this long ends (ARCHIVE_SESSION_IDLE_MIN)
    indexer: str = "thread"  # thread: in-process writer; external: `archive-app indexer`; off: tests
    timezone: str = "Asia/Shanghai"  # ARCHIVE_TIMEZONE: the zone people read times in (stored UTC)
    # ARCHIVE_SEARCH_EXECUTOR: numpy = the vectorised engine while the start-up canary agrees with
    # Whoosh (search/canary.py); whoosh = Whoosh's own execution (slower, same answers).
    search_executor: str = "numpy"


def _env_path(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default.resolve()


def _secret_key(instance_dir: Path) -> str:
    """Use ARCHIVE_SECRET_KEY, else a random key kept (mode 0600) in the instance folder."""
    key = os.environ.get("ARCHIVE_SECRET_KEY")
    if key:
        return key
    path = instance_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    instance_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def load_settings(overrides: dict | None = None) -> Settings:
    """Build settings from the environment, then apply explicit overrides (tests use these)."""
    overrides = dict(overrides or {})
    instance_dir = Path(overrides.pop("instance_dir", None) or _env_path("ARCHIVE_INSTANCE_DIR", Path("instance")))
    values: dict = {
        "instance_dir": instance_dir,
        "storage_dir": _env_path("ARCHIVE_STORAGE_DIR", Path("storage")),
        "index_dir": _env_path("ARCHIVE_INDEX_DIR", Path("indexes")),
        "database_url": os.environ.get("ARCHIVE_DATABASE_URL")
        or f"sqlite:///{(instance_dir / 'archive.sqlite3').resolve()}",
    }
    if "ARCHIVE_MAX_UPLOAD_MB" in os.environ:
        values["max_upload_bytes"] = int(os.environ["ARCHIVE_MAX_UPLOAD_MB"]) * MB
    if os.environ.get("ARCHIVE_BULK_MAX_ROWS"):
        values["bulk_max_rows"] = int(os.environ["ARCHIVE_BULK_MAX_ROWS"])
    if os.environ.get("ARCHIVE_INDEXER"):
        values["indexer"] = os.environ["ARCHIVE_INDEXER"]
    if os.environ.get("ARCHIVE_OCR"):
        values["ocr"] = os.environ["ARCHIVE_OCR"]
    if os.environ.get("ARCHIVE_OCR_ENGINE"):
        values["ocr_engine"] = os.environ["ARCHIVE_OCR_ENGINE"]
    if os.environ.get("ARCHIVE_TIMEZONE"):
        values["timezone"] = os.environ["ARCHIVE_TIMEZONE"]
    if os.environ.get("ARCHIVE_SESSION_IDLE_MIN"):
        values["session_idle_min"] = int(os.environ["ARCHIVE_SESSION_IDLE_MIN"])
    if os.environ.get("ARCHIVE_SEARCH_EXECUTOR"):
        values["search_executor"] = os.environ["ARCHIVE_SEARCH_EXECUTOR"]
    if os.environ.get("ARCHIVE_SECURE_COOKIES") == "1":
        values["secure_cookies"] = True
    if os.environ.get("ARCHIVE_RENDER_OFFICE", "1") == "0":
        values["render_office"] = False
    if os.environ.get("ARCHIVE_AUDIT_KEY_FILE"):
        values["audit_key_file"] = _env_path("ARCHIVE_AUDIT_KEY_FILE", instance_dir / "audit.key")
    values.update(overrides)
    values["audit_key_file"] = Path(values.get("audit_key_file") or instance_dir / "audit.key")
    if "secret_key" not in values:
        values["secret_key"] = _secret_key(instance_dir)
    for key in ("storage_dir", "index_dir", "instance_dir"):
        values[key] = Path(values[key])
    if "ocr" not in values and values.get("indexer") == "external":
        values["ocr"] = "external"  # several web workers: the queue runs beside the one index writer
    if values.get("ocr", "thread") not in ("thread", "external", "off"):
        raise ValueError(f"ARCHIVE_OCR must be thread, external or off, not {values['ocr']!r}")
    if values.get("search_executor", "numpy") not in ("numpy", "whoosh"):
        raise ValueError(f"ARCHIVE_SEARCH_EXECUTOR must be numpy or whoosh, not {values['search_executor']!r}")
    return Settings(**values)


# Settings read at the moment they are used rather than carried in `Settings`: they must hold in
# the parse/render child processes and in module-level caches that never see a Settings object.
# They are read here, and only here, so every environment variable the app obeys is in this file
# (tests/test_settings_in_config.py).


def lookup_max_days() -> int:
    """Longest 调阅 an applicant may ask for (ARCHIVE_LOOKUP_MAX_DAYS, default 30)."""
    return int(os.environ.get("ARCHIVE_LOOKUP_MAX_DAYS", "30"))


def timezone_name() -> str | None:
    """ARCHIVE_TIMEZONE, for a process that has not configured `localtime` from its settings."""
    return os.environ.get("ARCHIVE_TIMEZONE") or None


def templates_dir() -> Path | None:
    """ARCHIVE_TEMPLATES_DIR: a site's own letter templates instead of doc_templates/."""
    configured = os.environ.get("ARCHIVE_TEMPLATES_DIR")
    return Path(configured).resolve() if configured else None


def cjk_font_file() -> str | None:
    """ARCHIVE_CJK_FONT: the CJK font file reportlab uses, tried before the system candidates."""
    return os.environ.get("ARCHIVE_CJK_FONT") or None


def fonts_dir() -> Path | None:
    """ARCHIVE_FONTS_DIR: a folder with the site's licensed letter fonts."""
    configured = os.environ.get("ARCHIVE_FONTS_DIR")
    return Path(configured).resolve() if configured else None


def soffice_binary() -> str | None:
    """ARCHIVE_SOFFICE: the LibreOffice binary to use instead of the one on PATH."""
    return os.environ.get("ARCHIVE_SOFFICE") or None


def soffice_sandbox() -> str:
    """ARCHIVE_SOFFICE_SANDBOX: `bwrap` (the default) or `off`."""
    return "off" if os.environ.get("ARCHIVE_SOFFICE_SANDBOX", "bwrap").strip().lower() == "off" else "bwrap"
