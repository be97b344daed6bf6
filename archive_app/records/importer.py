"""Bulk import (`archive-app import PATH --manifest CSV`): every row goes through the same
intake pipeline as an upload. Resumable: a file whose bytes are already filed is skipped, so a
re-run after a crash finishes the rest and files nothing twice.

Both cores work: up to `parallel` rows ahead are prepared at once (sniffing, parsing in limited
children, digests, custody — nothing written), while this thread commits them one at a time in
manifest order (档号, 归档章, blobs, catalogue row: the single writer), so 件号 follow the manifest."""

from __future__ import annotations

import csv
import logging
import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from ..core import errors
from ..core.context import Archive
from ..core.digests import digest_file
from ..intake import Actor, Metadata, pipeline
from ..models import Record

log = logging.getLogger(__name__)
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


def _prepare_row(archive: Archive, base: Path, row: dict[str, str], actor: Actor) -> pipeline.Intake | str:
    """The prepared intake of a row, or the 档号 of the record that already holds its bytes."""
    name = (row.get("file") or "").strip()
    source = (base / name).resolve()
    if not name or base not in source.parents or not source.is_file():
        raise errors.Validation(f"清单中的文件「{name}」不存在（或不在导入目录内）。")
    sha = digest_file(source).sha256
    with archive.db.session() as s:
        existing = s.scalar(select(Record.archival_code).where(Record.original_sha256 == sha))
    if existing:
        return existing
    it = pipeline.prepare(archive, source, source.name, Metadata.from_mapping(row), actor)
    try:
        pipeline.store_ahead(it, it.source, it.digests)
    except BaseException:
        pipeline.discard(it)
        raise
    return it


def _internal(name: str, exc: Exception) -> errors.ArchiveError:
    """An unexpected failure of one row (a bug, a database error): logged, refused as INTERNAL."""
    log.error("import: unexpected error on %s", name, exc_info=exc)
    return errors.Internal(f"系统内部错误，该文件未归档（{type(exc).__name__}），"
                           "其余文件继续导入。请把日志交给管理员。")


def run_import(archive: Archive, path: Path, manifest: Path | None, actor: Actor,
               progress: Callable[[str], None] | None = None, parallel: int | None = None) -> ImportSummary:
    base, manifest_path = resolve_manifest(path, manifest)
    rows = read_manifest(manifest_path)
    summary = ImportSummary()
    base = base.resolve()
    ahead = max(1, parallel or os.cpu_count() or 1)
    pending: deque[tuple[str, Future]] = deque()
    queue = iter(rows)
    next_item: dict[tuple, int] = {}  # predicted next 件号 per (全宗号, 年度, 保管期限, 机构代码)
    units: dict[tuple, tuple[str, str]] = {}  # (全宗号, 机构代码) per (matter, custodian), for predictions
    ready: tuple[str, pipeline.Intake, tuple | None, Future | None] | None = None  # its stamp being drawn
    with ThreadPoolExecutor(max_workers=ahead, thread_name_prefix="import") as pool, \
            ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-stamp") as stamper:

        def refill() -> None:
            while len(pending) < ahead + 1:
                row = next(queue, None)
                if row is None:
                    return
                pending.append(((row.get("file") or "").strip(), pool.submit(_prepare_row, archive, base, row, actor)))

        def commit(name: str, it: pipeline.Intake, cells: tuple | None, stamp: Future | None) -> None:
            filed = False
            try:
                if stamp is not None:
                    stamp.exception()  # a failed pre-stamp only means commit stamps again
                summary.filed.append((name, pipeline.commit(it).archival_code))
                filed = True
            except errors.Duplicate as dup:  # the same bytes twice in one manifest
                summary.skipped.append((name, dup.extra["existing_archival_code"]))
            except errors.ArchiveError as exc:
                summary.refused.append((name, exc.code, exc.message))
            except Exception as exc:  # one row's unexpected failure is that row's refusal
                internal = _internal(name, exc)
                summary.refused.append((name, internal.code, internal.message))
            finally:
                pipeline.discard(it)
                if not filed and cells is not None:
                    next_item[cells] -= 1  # its number was not used: the rows after it move up
            if progress:
                progress(name)

        def predict(it: pipeline.Intake) -> tuple[tuple | None, Future | None]:
            cells = pipeline.stamp_cells(it, units)
            if cells is None:
                return None, None
            item = next_item.get(cells) or pipeline.last_item(archive, cells) + 1
            next_item[cells] = item + 1
            return cells, stamper.submit(pipeline.prestamp, it, cells, item)

        try:
            refill()
            while pending:
                name, future = pending.popleft()
                refill()
                try:
                    prepared = future.result()
                except errors.ArchiveError as exc:
                    prepared = exc
                except Exception as exc:  # one row's unexpected failure is that row's refusal
                    prepared = _internal(name, exc)
                if isinstance(prepared, pipeline.Intake):
                    current = (name, prepared, *predict(prepared))
                    if ready is not None:
                        commit(*ready)  # while this row's stamp is drawn
                    ready = current
                    continue
                if ready is not None:  # keep manifest order in the summary
                    commit(*ready)
                    ready = None
                if isinstance(prepared, str):
                    summary.skipped.append((name, prepared))
                else:
                    summary.refused.append((name, prepared.code, prepared.message))
                if progress:
                    progress(name)
            if ready is not None:
                commit(*ready)
                ready = None
        finally:
            if ready is not None:
                pipeline.discard(ready[1])
            for _, future in pending:  # interrupted: drop what was prepared and not filed
                if not future.cancel() and future.exception() is None and not isinstance(future.result(), str):
                    pipeline.discard(future.result())
    return summary
