"""Scans filed at once and made searchable by the OCR queue (issue 15): phrases of a scanned
page found (also across lines), the viewing copy upright with a text layer, the original byte
for byte; failures marked and not retried forever; a crash loses nothing and runs nothing twice;
a clerk's correction searchable and kept beside the machine's text."""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
import random
import signal
import subprocess
import sys
import time

import pytest
from PIL import Image, ImageChops, ImageStat
from pypdf import PdfReader
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen import canvas
from sqlalchemy import func, select

from archive_app import search
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from archive_app.models import AuditEntry, OcrJob, Record, RecordText, RecordTextVersion
from archive_app.ocr import queue
from tests import factories as f
from tests.helpers import csrf_from, login
from tests.ocr.scans import Scan, damage, save, text_page

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def _scan_file(tmp_path, fmt: str, seed: int = 3, dpi: int = 200, rotate: int = 0) -> tuple[bytes, str]:
    img, truth = text_page(seed, dpi, "宋体", lines=4)
    if rotate:
        img = img.rotate(rotate, expand=True)
    path = save(Scan("t", img, truth, dpi), tmp_path / f"scan-{f.marker()}.{fmt.lower()}", fmt)
    return path.read_bytes(), truth


def _page_picture(pdf_path) -> Image.Image:
    """The picture of a viewing copy's first page (the scan as it is shown)."""
    images = list(PdfReader(pdf_path).pages[0].images)
    return max(images, key=lambda im: im.image.width * im.image.height).image.convert("L")


def _likeness(a: Image.Image, b: Image.Image) -> float:
    """1 − mean absolute difference of the two pictures scaled to one small size (1: equal)."""
    size = (120, 60)
    diff = ImageChops.difference(a.convert("L").resize(size), b.convert("L").resize(size))
    return 1 - ImageStat.Stat(diff).mean[0] / 255 * 4  # ×4: pages are mostly white


def _row_contrast(img: Image.Image) -> float:
    """How sharply the page's rows alternate between text and gap: high when lines are level."""
    narrow = img.convert("L").resize((1, img.height))
    return ImageStat.Stat(narrow).stddev[0]


def _found(searcher_for, q: str) -> set[int]:
    return {h.id for h in searcher_for("spj_officer", q=f'"{q}"', per_page=50).hits}


def test_a_scan_is_filed_at_once_then_recognised_and_its_phrases_found(archive, org, users, searcher_for,
                                                                       tmp_path) -> None:
    data, truth = _scan_file(tmp_path, "TIFF", rotate=180)  # scanned upside down
    filed = f.file_bytes(archive, tmp_path, data, "扫描件.tif")
    assert filed.archival_code and filed.ocr_pending
    with archive.db.session() as s:
        assert queue.state(s, filed.record_id).status == "pending"
        assert s.get(RecordText, filed.record_id).text == ""
    search.drain_all(archive)
    phrase = truth[30:35]
    assert filed.record_id not in _found(searcher_for, phrase)

    [outcome] = queue.drain(archive)
    assert outcome.status == "done"
    search.drain_all(archive)
    rng = random.Random(1)
    lines = truth.split("\n")
    phrases = []
    for i, line in enumerate(lines[:-1]):  # across every line break
        phrases.append(line[-2:] + lines[i + 1][:2])
    body = truth.replace("\n", "")
    while len(phrases) < 40:
        n = rng.randint(4, 6)
        at = rng.randrange(len(body) - n)
        q = body[at:at + n]
        if not any(ch in "，。、；：（）《》“”" for ch in q):
            phrases.append(q)
    hit = sum(filed.record_id in _found(searcher_for, q) for q in phrases)
    assert hit >= 0.9 * len(phrases), (hit, len(phrases))
    across = phrases[:len(lines) - 1]  # 宋体 at 200 dpi reads without error (BENCHMARKS.md): all of them
    assert [q for q in across if filed.record_id not in _found(searcher_for, q)] == []
    with archive.db.session() as s:
        record = s.get(Record, filed.record_id)
        assert queue.state(s, record.id).status == "done"
        original = archive.store.path_for(record.file("original").sha256).read_bytes()
        assert hashlib.sha256(original).hexdigest() == filed.sha256 and original == data
        stamped_path = archive.store.path_for(record.file("stamped").sha256)
        viewing = PdfReader(stamped_path)
        layer = viewing.pages[0].extract_text()
        assert truth.split("\n")[0][:8] in layer.replace(" ", "")  # selectable, upright reading order
        copied = subprocess.run(["pdftotext", str(stamped_path), "-"], capture_output=True, text=True,
                                check=True).stdout  # what a reader's select-and-copy gets
        assert all(line[:10] in copied.replace(" ", "") for line in lines)
        shown = _page_picture(archive.store.path_for(record.file("rendition").sha256))
        upright_img, _ = text_page(3, 200, "宋体", lines=4)
        assert _likeness(shown, upright_img) > _likeness(shown, upright_img.rotate(180)) + 0.1  # turned back
        [version] = s.scalars(select(RecordTextVersion).where(RecordTextVersion.record_id == record.id))
        assert version.kind == "ocr"
        audit_actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(record.id))))
        assert audit_actions.count("record.ocr") == 1


def _image_pdf(images: list[Image.Image | str]) -> bytes:
    """A PDF whose pages are scanned images, or text where a string is given."""
    from archive_app.rendition.fonts import cjk_font

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(595, 842))
    for item in images:
        if isinstance(item, str):
            c.setFont(cjk_font(), 14)
            c.drawString(72, 700, item)
        else:
            c.drawImage(ImageReader(item), 0, 842 - 595 * item.height / item.width, 595, 595 * item.height / item.width)
        c.showPage()
    c.save()
    return buf.getvalue()


def test_only_the_pages_of_a_pdf_without_text_are_recognised(archive, org, users, searcher_for, tmp_path) -> None:
    img, truth = text_page(9, 200, "黑体", lines=3)
    filed = f.file_bytes(archive, tmp_path, _image_pdf(["劳务派遣经营许可决定书 第一页文字层", img]), "mixed.pdf")
    with archive.db.session() as s:
        assert queue.state(s, filed.record_id).pages == "2"
    assert [o.status for o in queue.drain(archive)] == ["done"]
    search.drain_all(archive)
    assert filed.record_id in _found(searcher_for, "第一页文字层")  # the text layer is kept
    assert filed.record_id in _found(searcher_for, truth[3:8])  # and the scan page is read
    with archive.db.session() as s:
        rec = s.get(Record, filed.record_id)
        pdf = PdfReader(archive.store.path_for(rec.file("rendition").sha256))
        assert len(pdf.pages) == 2 and "第一页文字层" in pdf.pages[0].extract_text()


def test_a_text_pdf_needs_no_recognition(archive, org, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    assert not filed.ocr_pending
    with archive.db.session() as s:
        assert queue.state(s, filed.record_id) is None


def test_a_page_that_cannot_be_read_is_marked_and_not_retried(overrides, org, tmp_path) -> None:
    archive = Archive.open(load_settings({**overrides, "ocr_page_timeout_s": 0.05}))
    data, _ = _scan_file(tmp_path, "PNG")
    filed = f.file_bytes(archive, tmp_path, data, "scan.png")
    [outcome] = queue.drain(archive)
    assert outcome.status == "failed" and outcome.failed_pages == (1,)
    with archive.db.session() as s:
        job = queue.state(s, filed.record_id)
        assert job.status == "failed" and "第 1 页无法识别" in job.error and job.attempts == 1
        assert s.get(Record, filed.record_id) is not None  # the record stays filed
    assert queue.drain(archive) == []  # never retried by itself
    archive.db.dispose()


def test_a_page_is_read_under_the_ocr_memory_limit(overrides, org, tmp_path) -> None:
    """The OCR child gets `ocr_memory_bytes` of address space: too little, and the page fails
    (the recogniser cannot even load) — marked, the record kept, not retried."""
    archive = Archive.open(load_settings({**overrides, "ocr_memory_bytes": 64 * 2**20}))
    data, _ = _scan_file(tmp_path, "PNG", seed=16)
    filed = f.file_bytes(archive, tmp_path, data, "scan.png")
    [outcome] = queue.drain(archive)
    assert outcome.status == "failed" and outcome.failed_pages == (1,)
    with archive.db.session() as s:
        job = queue.state(s, filed.record_id)
        assert "第 1 页无法识别" in job.error and s.get(Record, filed.record_id).archival_code
    assert queue.drain(archive) == []
    archive.db.dispose()


def test_a_crash_mid_job_loses_nothing_and_runs_nothing_twice(archive, org, users, searcher_for, tmp_path) -> None:
    data, _ = _scan_file(tmp_path, "JPEG", seed=4)
    filed = f.file_bytes(archive, tmp_path, data, "scan.jpg")
    claimed = queue._claim(archive)  # a drainer claims the job and dies before filing the result
    assert claimed is not None and queue._claim(archive) is None  # nobody else can claim it
    [outcome] = queue.drain(archive)  # the next drainer puts it back and finishes it
    assert outcome.status == "done"
    assert queue.drain(archive) == []
    with archive.db.session() as s:
        job = queue.state(s, filed.record_id)
        assert job.status == "done" and job.attempts == 2
        n = s.scalar(select(func.count()).select_from(RecordTextVersion)
                     .where(RecordTextVersion.record_id == filed.record_id))
        assert n == 1


def test_a_job_that_keeps_crashing_ends_failed(archive, org, tmp_path) -> None:
    data, _ = _scan_file(tmp_path, "PNG", seed=5)
    filed = f.file_bytes(archive, tmp_path, data, "scan.png")
    for _ in range(queue.MAX_ATTEMPTS):
        assert queue._claim(archive) is not None
        queue.recover(archive)
    with archive.db.session() as s:
        job = queue.state(s, filed.record_id)
        assert job.status == "failed" and "不再自动重试" in job.error
    assert queue.drain(archive) == []


def test_a_corrected_text_is_searched_and_the_machine_text_kept(archive, org, users, searcher_for, tmp_path) -> None:
    data, _ = _scan_file(tmp_path, "PNG", seed=6)
    filed = f.file_bytes(archive, tmp_path, data, "scan.png")
    queue.drain(archive)
    queue.correct(archive, filed.record_id, "更正后的文字：秦巴劳务派遣有限公司", "spj_clerk", "SPJ")
    search.drain_all(archive)
    assert filed.record_id in _found(searcher_for, "秦巴劳务派遣")
    with archive.db.session() as s:
        kinds = list(s.scalars(select(RecordTextVersion.kind).where(RecordTextVersion.record_id == filed.record_id)
                               .order_by(RecordTextVersion.id)))
        assert kinds == ["ocr", "corrected"]
        rec = s.get(Record, filed.record_id)
        assert archive.store.path_for(rec.file("original").sha256).read_bytes() == data


def test_rerun_of_one_record_from_the_command_line(env, archive, org, tmp_path) -> None:
    from click.testing import CliRunner

    from archive_app.cli import main

    data, _ = _scan_file(tmp_path, "PNG", seed=7)
    filed = f.file_bytes(archive, tmp_path, data, "scan.png")
    first = CliRunner().invoke(main, ["ocr", "--pending"], catch_exceptions=False)
    assert first.exit_code == 0 and "文字识别完成 1 件" in first.output
    again = CliRunner().invoke(main, ["ocr", "--record", str(filed.record_id)], catch_exceptions=False)
    assert again.exit_code == 0 and f"记录 {filed.record_id}：已识别" in again.output
    missing = CliRunner().invoke(main, ["ocr", "--record", "999999"], catch_exceptions=False)
    assert missing.exit_code == 1 and "不存在" in missing.output
    text_pdf = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")  # has its text layer: never read
    every = CliRunner().invoke(main, ["ocr", "--all"], catch_exceptions=False)
    assert every.exit_code == 0 and "已排队 1 件" in every.output and "文字识别完成 1 件" in every.output
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(OcrJob).where(OcrJob.record_id == filed.record_id)) == 3
        assert queue.state(s, text_pdf.record_id) is None


def test_the_record_page_shows_the_state_and_a_clerk_corrects_the_text(app, archive, org, users, searcher_for,
                                                                        tmp_path) -> None:
    data, _ = _scan_file(tmp_path, "PNG", seed=8)
    filed = f.file_bytes(archive, tmp_path, data, "scan.png")
    clerk = app.test_client()
    assert login(clerk, "spj_clerk").status_code == 302
    page = clerk.get(f"/records/{filed.record_id}").get_data(as_text=True)
    assert "文字识别中" in page and 'data-testid="ocr-correct"' in page
    queue.drain(archive)
    page = clerk.get(f"/records/{filed.record_id}").get_data(as_text=True)
    assert "已识别" in page and "机器识别" in page
    resp = clerk.post(f"/records/{filed.record_id}/text",
                      data={"text": "人工更正：汉滨区劳务派遣", "csrf_token": csrf_from(page)})
    assert resp.status_code == 302
    search.drain_all(archive)
    assert filed.record_id in _found(searcher_for, "汉滨区劳务派遣")
    assert "人工更正" in clerk.get(f"/records/{filed.record_id}").get_data(as_text=True)
    other = app.test_client()  # the other agency's clerk sees the state, not the text, and cannot correct
    assert login(other, "rsj_clerk").status_code == 302
    page = other.get(f"/records/{filed.record_id}").get_data(as_text=True)
    assert "已识别" in page and "汉滨区劳务派遣" not in page and 'data-testid="ocr-correct"' not in page
    other.post(f"/records/{filed.record_id}/text", data={"text": "篡改", "csrf_token": csrf_from(page)})
    search.drain_all(archive)
    assert filed.record_id not in _found(searcher_for, "篡改")


def test_the_viewing_copy_of_a_sideways_skewed_scan_is_turned_and_straightened(archive, org, tmp_path) -> None:
    img, truth = text_page(10, 200, "宋体", lines=4)
    scan = damage(img, 2, 1.5, 0.0, 0.0, None).rotate(90, expand=True)  # skewed, then fed in sideways
    path = save(Scan("t", scan, truth, 200), tmp_path / "sideways.jpg", "JPEG")
    filed = f.file_bytes(archive, tmp_path, path.read_bytes(), "sideways.jpg")
    [outcome] = queue.drain(archive)
    assert outcome.status == "done"
    with archive.db.session() as s:
        rec = s.get(Record, filed.record_id)
        shown = _page_picture(archive.store.path_for(rec.file("rendition").sha256))
        stamped = archive.store.path_for(rec.file("stamped").sha256)
        assert archive.store.path_for(rec.file("original").sha256).read_bytes() == path.read_bytes()
    assert shown.width > shown.height  # the page is wider than tall, as written (the scan was tall)
    assert _row_contrast(shown) > 1.1 * _row_contrast(scan.rotate(-90, expand=True))  # skew undone
    copied = subprocess.run(["pdftotext", str(stamped), "-"], capture_output=True, text=True, check=True).stdout
    assert truth.split("\n")[1][:10] in copied.replace(" ", "")


def _scan_pdf(pages: list[Image.Image]) -> bytes:
    """A PDF of scanned pages as a scanner writes it: one JPEG (DCTDecode, bytes as they are) a page."""
    buf = io.BytesIO()
    pages[0].save(buf, "PDF", save_all=True, append_images=pages[1:], resolution=200.0)
    return buf.getvalue()


def test_a_page_whose_image_cannot_be_decoded_is_marked_and_the_rest_is_read(archive, org, users, searcher_for,
                                                                              tmp_path) -> None:
    img, truth = text_page(12, 200, "黑体", lines=3)
    data = _scan_pdf([img, text_page(13, 200, "黑体", lines=3)[0]])
    # the second page's JPEG: its start-of-frame marker overwritten (the PDF itself stays intact)
    at = data.rindex(b"\xff\xd8\xff")
    sof = data.index(b"\xff\xc0", at)
    data = data[:sof] + b"\x00\x00" + data[sof + 2:]
    filed = f.file_bytes(archive, tmp_path, data, "两页扫描.pdf")
    assert filed.archival_code and filed.ocr_pending  # filed at once, like any scan
    [outcome] = queue.drain(archive)
    assert outcome.status == "done" and outcome.failed_pages == (2,)
    with archive.db.session() as s:
        job = queue.state(s, filed.record_id)
        assert job.failed_pages == "2" and "第 2 页无法识别" in job.error and job.attempts == 1
        rec = s.get(Record, filed.record_id)
        assert archive.store.path_for(rec.file("original").sha256).read_bytes() == data
        assert len(PdfReader(archive.store.path_for(rec.file("stamped").sha256)).pages) == 2
    search.drain_all(archive)
    assert filed.record_id in _found(searcher_for, truth.replace("\n", "")[10:15])  # page 1 was read
    assert queue.drain(archive) == []  # the failed page is not tried again by itself


def test_a_second_runner_leaves_a_job_in_hand_alone(archive, org, tmp_path) -> None:
    """While another process holds the runner lock (the indexer, say), a drain — here the web
    thread's or a second `archive-app ocr` — neither takes the job back nor runs it."""
    data, _ = _scan_file(tmp_path, "PNG", seed=14)
    filed = f.file_bytes(archive, tmp_path, data, "scan.png")
    claimed = queue._claim(archive)  # the other runner is reading it
    fd = os.open(archive.store.root / queue.LOCK_NAME, os.O_RDWR | os.O_CREAT)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        assert queue.drain(archive) == []
        with archive.db.session() as s:
            job = queue.state(s, filed.record_id)
            assert (job.status, job.attempts) == ("running", 1)
    finally:
        os.close(fd)
    # a result filed late by a runner whose job was meanwhile taken back is refused
    queue.recover(archive)
    second = queue._claim(archive)
    assert second.attempts == 2
    with pytest.raises(queue.Superseded):
        queue.run_job(archive, claimed)
    queue._finish(archive, claimed, "failed", "stale runner")  # nor may it end the newer attempt
    with archive.db.session() as s:
        assert queue.state(s, filed.record_id).status == "running"
    assert queue.run_job(archive, second).status == "done"
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(RecordTextVersion)
                        .where(RecordTextVersion.record_id == filed.record_id)) == 1
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(filed.record_id))))
        assert actions.count("record.ocr") == 1


def test_a_runner_killed_mid_page_loses_nothing_and_does_nothing_twice(env, archive, org, users, searcher_for,
                                                                        tmp_path) -> None:
    """`archive-app ocr` is killed (SIGKILL, children too) while it reads a page; the next run
    takes the job back and files it once."""
    data, truth = _scan_file(tmp_path, "TIFF", seed=15)
    filed = f.file_bytes(archive, tmp_path, data, "scan.tif")
    runner = subprocess.Popen([sys.executable, "-m", "archive_app.cli_entry", "ocr", "--pending"],
                              env={**os.environ, "PYTHONPATH": os.getcwd()}, start_new_session=True,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            with archive.db.session() as s:
                if queue.state(s, filed.record_id).status == "running":
                    break
            assert runner.poll() is None, "the runner ended before it was killed"
            time.sleep(0.05)
        else:
            pytest.fail("the runner never claimed the job")
    finally:
        os.killpg(runner.pid, signal.SIGKILL)
        runner.wait()
    with archive.db.session() as s:
        job = queue.state(s, filed.record_id)
        assert (job.status, job.attempts) == ("running", 1)  # left behind by the dead runner
    [outcome] = queue.drain(archive)  # the lock died with the runner: the job is taken back
    assert outcome.status == "done"
    assert queue.drain(archive) == []
    with archive.db.session() as s:
        job = queue.state(s, filed.record_id)
        assert (job.status, job.attempts) == ("done", 2)
        assert s.scalar(select(func.count()).select_from(RecordTextVersion)
                        .where(RecordTextVersion.record_id == filed.record_id)) == 1
        actions = list(s.scalars(select(AuditEntry.action).where(AuditEntry.object_id == str(filed.record_id))))
        assert actions.count("record.ocr") == 1
    search.drain_all(archive)
    assert filed.record_id in _found(searcher_for, truth.replace("\n", "")[40:45])
