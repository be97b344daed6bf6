"""Bulk import (`archive-app import PATH --manifest CSV`): every row goes through the same
intake pipeline as an upload. Resumable: a file whose bytes are already filed is skipped, so a
re-run after a crash finishes the rest and files nothing twice."""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from . import errors
from .context import Archive
from .digests import digest_file
from .intake import Actor, Metadata, file_record
from .models import Record

MANIFEST_NAME = "manifest.csv"
COLUMNS = ("file", "matter", "title", "formed_on", "retention", "doc_no", "responsible",
           "applicant", "applicant_uscc", "case_no", "doc_type", "security_level", "remarks")


@dataclass
class ImportSummary:
    filed: list[tuple[str, str]] = field(default_factory=list)  # (file, 档号)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file, existing 档号)
    refused: list[tuple[str, str, str]] = field(default_factory=list)  # (file, code, message)


def read_manifest(path: Path) -> list[dict[str, str]]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise errors.Validation(f"清单文件无法读取：{exc}") from exc
    if rows and "file" not in rows[0]:
        raise errors.Validation("清单缺少 file 列。需要的列：" + ", ".join(COLUMNS))
    return rows


def resolve_manifest(path: Path, manifest: Path | None) -> tuple[Path, Path]:
    """(base directory for relative file names, manifest path)."""
    if manifest is not None:
        return (path if path.is_dir() else path.parent), manifest
    if path.is_dir() and (path / MANIFEST_NAME).is_file():
        return path, path / MANIFEST_NAME
    if path.is_file() and path.suffix.lower() == ".csv":
        return path.parent, path
    raise errors.Validation(f"没有找到清单：请用 --manifest 指定，或在目录中放置 {MANIFEST_NAME}。")


def run_import(archive: Archive, path: Path, manifest: Path | None, actor: Actor,
               progress: Callable[[str], None] | None = None) -> ImportSummary:
    base, manifest_path = resolve_manifest(path, manifest)
    rows = read_manifest(manifest_path)
    summary = ImportSummary()
    base = base.resolve()
    for row in rows:
        name = (row.get("file") or "").strip()
        try:
            source = (base / name).resolve()
            if not name or base not in source.parents or not source.is_file():
                raise errors.Validation(f"清单中的文件「{name}」不存在（或不在导入目录内）。")
            sha = digest_file(source).sha256
            with archive.db.session() as s:
                existing = s.scalar(select(Record.archival_code).where(Record.original_sha256 == sha))
            if existing:
                summary.skipped.append((name, existing))
            else:
                filed = file_record(archive, source, source.name, Metadata.from_mapping(row), actor)
                summary.filed.append((name, filed.archival_code))
        except errors.ArchiveError as exc:
            summary.refused.append((name, exc.code, exc.message))
        if progress:
            progress(name)
    return summary
