"""The search schema and the one place that opens or creates the index.

Content goes into one field per custodian (content_spj, content_rsj, …: agencies are data, so the
field is a glob). Term statistics of a content field therefore come only from that custodian's
records, and ranking a user's own records cannot reveal anything about the other agency's text.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from whoosh import index
from whoosh.fields import ID, KEYWORD, NUMERIC, TEXT, Schema
from whoosh.filedb.filestore import FileStorage

from .analysis import CJKTokenizer
from .formats import RawPositions

# 2: positions stored raw (formats.RawPositions) for the vectorised engine.
SCHEMA_VERSION = 2
INDEX_NAME = "records"


def content_field(agency_code: str) -> str:
    return f"content_{agency_code.lower()}"


def build_schema() -> Schema:
    analyzer = CJKTokenizer()

    def text() -> TEXT:
        field = TEXT(analyzer=analyzer, phrase=True)
        field.format = RawPositions(field_boost=field.format.field_boost)
        return field

    schema = Schema(
        id=ID(stored=True, unique=True),
        fp=ID(stored=True),  # fingerprint of what was indexed, for `reindex --check`
        custodian=ID(sortable=True),
        matter=ID(sortable=True),
        doc_type=ID(sortable=True),
        retention=ID(sortable=True),
        year=ID(sortable=True),
        formed=NUMERIC(int, bits=32, signed=False, sortable=True),  # yyyymmdd
        title=text(), title_exact=ID(), doc_no=text(), applicant=text(), applicant_exact=ID(),
        catalogue=text(),
        codes=KEYWORD(lowercase=True),
    )
    schema.add("content_*", text(), glob=True)
    return schema


def index_path(index_dir: Path, name: str = INDEX_NAME) -> Path:
    """The folder of an index: `records`, or `cases` (the 办件 result type, archive_app/cases/search.py)."""
    return Path(index_dir) / name


def _version_file(index_dir: Path, name: str = INDEX_NAME) -> Path:
    return Path(index_dir) / f"{name}.schema-version"


def stored_version(index_dir: Path, name: str = INDEX_NAME) -> int | None:
    path = _version_file(index_dir, name)
    return int(path.read_text().strip()) if path.is_file() else None


def create(path: Path, index_dir: Path, name: str = INDEX_NAME) -> index.Index:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    ix = index.create_in(str(path), build_schema())
    _version_file(index_dir, name).write_text(str(SCHEMA_VERSION))
    return ix


def is_current(index_dir: Path, name: str = INDEX_NAME) -> bool:
    return index.exists_in(str(index_path(index_dir, name))) and stored_version(index_dir, name) == SCHEMA_VERSION


def open_index(index_dir: Path, name: str = INDEX_NAME) -> index.Index:
    """The index; created empty when missing. A stale schema must be rebuilt (`reindex`).

    Opened without mmap: Whoosh wraps each memory-mapped segment file in a `BytesIO`, which
    copies it — every reader (one per thread) held a private copy of the whole index (1.1 GB at
    100k records) and took 0.8 s to open. Plain file reads go through the page cache instead."""
    path = index_path(index_dir, name)
    if not index.exists_in(str(path)):
        return create(path, index_dir, name)
    return FileStorage(str(path), supports_mmap=False).open_index()
