"""One OCR runner per site (issue 15): with several web workers the queue runs in
`archive-app indexer` (ARCHIVE_OCR=external, the default once the index writer is external), never
in each worker; a multi-worker start with an in-worker runner is refused; the single-process
default (a thread in the web process) is unchanged."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from archive_app.cli import main
from archive_app.core import errors
from archive_app.core.config import load_settings
from archive_app.models import OcrJob
from archive_app.ocr import queue
from archive_app.serving import check_multiprocess
from tests import factories as f
from tests.ocr.scans import Scan, save, text_page

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _ocr_threads() -> int:
    return sum(1 for t in threading.enumerate() if t.name == queue.BackgroundOcr.name and t.is_alive())


def _without_runners(overrides: dict) -> dict:
    return {k: v for k, v in overrides.items() if k not in ("indexer", "ocr")}


def test_the_ocr_runner_follows_the_index_writer(overrides, monkeypatch) -> None:
    overrides = _without_runners(overrides)
    monkeypatch.delenv("ARCHIVE_OCR", raising=False)
    monkeypatch.delenv("ARCHIVE_INDEXER", raising=False)
    assert load_settings(overrides).ocr == "thread"  # one process: a thread beside the web threads
    monkeypatch.setenv("ARCHIVE_INDEXER", "external")
    assert load_settings(overrides).ocr == "external"
    monkeypatch.setenv("ARCHIVE_OCR", "off")
    assert load_settings(overrides).ocr == "off"  # an explicit choice stays
    monkeypatch.setenv("ARCHIVE_OCR", "everywhere")
    with pytest.raises(ValueError, match="ARCHIVE_OCR"):
        load_settings(overrides)


def test_several_workers_refuse_an_ocr_runner_in_each_worker(overrides) -> None:
    pg = {**_without_runners(overrides), "database_url": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    with pytest.raises(errors.Validation, match="ARCHIVE_OCR=external"):
        check_multiprocess(load_settings({**pg, "indexer": "external", "ocr": "thread"}))
    check_multiprocess(load_settings({**pg, "indexer": "external"}))  # the default: the indexer runs it


def test_a_web_app_starts_an_ocr_thread_only_when_it_is_the_runner(overrides, org) -> None:
    from archive_app.app import create_app

    before = _ocr_threads()
    worker = create_app({**overrides, "indexer": "external", "ocr": "external"})
    assert "ocr" not in worker.extensions and _ocr_threads() == before
    single = create_app({**overrides, "ocr": "thread"})
    try:
        assert _ocr_threads() == before + 1 and single.extensions["ocr"] is not None
    finally:
        single.extensions["ocr"].stop()
    assert _ocr_threads() == before


def test_the_indexer_works_the_ocr_queue(env, archive, org, users, searcher_for, tmp_path, monkeypatch) -> None:
    img, truth = text_page(21, 200, "宋体", lines=3)
    path = save(Scan("t", img, truth, 200), tmp_path / "scan.png", "PNG")
    filed = f.file_bytes(archive, tmp_path, path.read_bytes(), "scan.png")
    monkeypatch.setenv("ARCHIVE_INDEXER", "external")
    monkeypatch.delenv("ARCHIVE_OCR")
    result = CliRunner().invoke(main, ["indexer", "--once"], catch_exceptions=False)
    assert result.exit_code == 0 and "文字识别 1 件" in result.output, result.output
    with archive.db.session() as s:
        assert s.scalar(select(OcrJob.status).where(OcrJob.record_id == filed.record_id)) == "done"
    phrase = truth.replace("\n", "")[6:11]
    assert filed.record_id in {h.id for h in searcher_for("spj_officer", q=f'"{phrase}"').hits}
    monkeypatch.setenv("ARCHIVE_OCR", "off")  # an indexer told not to run OCR leaves the queue alone
    queue.request(archive, [filed.record_id], "spj_clerk")
    assert "文字识别" not in CliRunner().invoke(main, ["indexer", "--once"], catch_exceptions=False).output
    with archive.db.session() as s:
        assert queue.state(s, filed.record_id).status == "pending"
