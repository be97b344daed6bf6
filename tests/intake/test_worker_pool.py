"""Limited children serve several files (issue 15, intake speed) without weakening isolation:
a child that dies, overruns or refuses a file fails that file only and is never used again."""

from __future__ import annotations

import csv
import os
import signal
import time

import pytest

from archive_app.core import errors
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from archive_app.intake import parsing
from archive_app.records.importer import run_import
from tests import factories as f
from tests.factories import CONSOLE


@pytest.fixture(autouse=True)
def fresh_pool():
    parsing._pool.close()
    yield
    parsing._pool.close()


def _idle_pids() -> list[int]:
    return [c.proc.pid for c in parsing._pool._idle]


def _parse(archive, tmp_path, data: bytes, kind: str = "pdf") -> parsing.Parsed:
    path = tmp_path / f"p-{f.marker()}"
    path.write_bytes(data)
    return parsing.parse_file(path, kind, archive.settings)


def test_one_child_serves_several_files_one_at_a_time(archive, tmp_path) -> None:
    first = _parse(archive, tmp_path, f.pdf_bytes("第一件"))
    [pid] = _idle_pids()
    second = _parse(archive, tmp_path, f.pdf_bytes("第二件"))
    assert _idle_pids() == [pid]
    assert "第一件" in first.text and "第二件" in second.text and "第一件" not in second.text


def test_a_child_that_refused_a_file_is_not_used_again(archive, tmp_path) -> None:
    _parse(archive, tmp_path, f.pdf_bytes())
    [pid] = _idle_pids()
    with pytest.raises(errors.Corrupt):
        _parse(archive, tmp_path, f.pdf_bytes()[:300])
    assert _idle_pids() == []
    _parse(archive, tmp_path, f.pdf_bytes())
    assert _idle_pids() and _idle_pids() != [pid]


def test_a_child_that_died_while_idle_is_replaced(archive, tmp_path) -> None:
    _parse(archive, tmp_path, f.pdf_bytes())
    [pid] = _idle_pids()
    os.kill(pid, signal.SIGKILL)
    time.sleep(0.1)
    assert "劳务派遣" in _parse(archive, tmp_path, f.pdf_bytes()).text


def test_a_child_retires_after_its_calls(archive, tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(parsing, "MAX_CALLS", 2)
    _parse(archive, tmp_path, f.pdf_bytes())
    [pid] = _idle_pids()
    _parse(archive, tmp_path, f.pdf_bytes())
    assert _idle_pids() == []  # retired after its second call
    _parse(archive, tmp_path, f.pdf_bytes())
    assert _idle_pids() != [pid]


def test_the_cpu_allowance_is_per_call(overrides, tmp_path) -> None:
    """A child that has used more CPU in total than one call's allowance still serves the next."""
    archive = Archive.open(load_settings({**overrides, "parse_timeout_s": 1}))
    big = f.pdf_bytes("长文件", pages=60)
    for _ in range(6):
        _parse(archive, tmp_path, big)
    assert len(_idle_pids()) == 1
    archive.db.dispose()


def test_a_bulk_import_refuses_only_the_bad_file_and_keeps_manifest_order(archive, org, tmp_path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    good = [f.pdf_bytes(f"批量 {i}") for i in range(6)]
    rows = []
    for i, data in enumerate(good):
        (folder / f"{i}.pdf").write_bytes(data)
        rows.append([f"{i}.pdf", "LWPQ", f"文件{i}", "2026-02-01", "D30"])
    (folder / "bad.pdf").write_bytes(good[0][:400])
    (folder / "again.pdf").write_bytes(good[2])  # the same bytes twice in one manifest
    rows[3:3] = [["bad.pdf", "LWPQ", "坏文件", "2026-02-01", "D30"], ["again.pdf", "LWPQ", "重复", "2026-02-01", "D30"]]
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "matter", "title", "formed_on", "retention"])
        w.writerows(rows)
    summary = run_import(archive, folder, None, CONSOLE, parallel=3)
    assert [r[0] for r in summary.refused] == ["bad.pdf"] and summary.refused[0][1] == "CORRUPT"
    assert [name for name, _ in summary.filed] == [f"{i}.pdf" for i in range(6)]
    assert [code[-4:] for _, code in summary.filed] == [f"{n:04d}" for n in range(1, 7)]
    assert summary.skipped == [("again.pdf", summary.filed[2][1])]
    assert f.counts(archive)["records"] == 6
    assert not list(archive.store.tmp.glob("intake-*"))  # every prepared work folder removed
    assert set(archive.store.iter_digests()) == _referenced(archive)  # no blob stored ahead is left over


def _referenced(archive) -> set[str]:
    from sqlalchemy import select

    from archive_app.models import StoredFile

    with archive.db.session() as s:
        return set(s.scalars(select(StoredFile.sha256)))


def _batch(tmp_path, n: int):
    folder = tmp_path / "stamps"
    folder.mkdir()
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "matter", "title", "formed_on", "retention"])
        for i in range(n):
            (folder / f"{i}.pdf").write_bytes(f.pdf_bytes(f"归档章 {i}"))
            w.writerow([f"{i}.pdf", "LWPQ", f"文件{i}", "2026-02-01", "D30"])
    return folder


def _stamped_items(archive) -> list[tuple[int, str]]:
    from pypdf import PdfReader
    from sqlalchemy import select

    from archive_app.models import Record

    out = []
    with archive.db.session() as s:
        for rec in s.scalars(select(Record).order_by(Record.item_no)):
            page = PdfReader(archive.store.path_for(rec.file("stamped").sha256)).pages[0].extract_text()
            out.append((rec.item_no, page))
    return out


@pytest.mark.parametrize("wrong_guess", [False, True])
def test_stamps_drawn_ahead_are_used_only_when_the_number_is_right(archive, org, tmp_path, monkeypatch,
                                                                   wrong_guess) -> None:
    from archive_app.intake import pipeline

    calls = []
    real = parsing.stamp
    monkeypatch.setattr(parsing, "stamp", lambda *a, **k: calls.append(a[2].item) or real(*a, **k))
    if wrong_guess:  # another door filed meanwhile: every prediction is off
        monkeypatch.setattr(pipeline, "last_item", lambda archive, cells: 40)
    summary = run_import(archive, _batch(tmp_path, 5), None, CONSOLE, parallel=2)
    assert [code[-4:] for _, code in summary.filed] == ["0001", "0002", "0003", "0004", "0005"]
    assert len(calls) == (10 if wrong_guess else 5)  # drawn again in the transaction when wrong
    for item, text in _stamped_items(archive):
        assert f"{item:04d}" in text and "J001" in text
    assert set(archive.store.iter_digests()) == _referenced(archive)  # unused stamps drawn ahead are gone
