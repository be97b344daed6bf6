"""Serving with several workers on PostgreSQL (issue 13 item 6): `archive-app serve --workers 2`
(gunicorn) and `archive-app indexer` as its own process, started as an operator would. Clerks of
both agencies file records, correspondence staff issue letters (real LibreOffice) and officers
search, all at once, through both workers: every request succeeds, 件号 and 发文字号 run without a
duplicate or a gap, the index catches up with every filing, and `reindex --check` is clean."""

from __future__ import annotations

import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy import select

from archive_app import documents
from archive_app.core import localtime
from archive_app.models import IssuedDocument, Record
from archive_app.organisation.users import create_token, create_user
from tests import factories as f
from tests.conftest import PASSWORD, PG_URL

needs_postgresql = pytest.mark.skipif(not (PG_URL or "").startswith("postgresql"),
                                reason="several workers share the catalogue through PostgreSQL: "
                                       "run with ARCHIVE_TEST_DATABASE_URL=postgresql+psycopg://… (make test-pg)")
BIN = Path(sys.executable).parent / "archive-app"
FILINGS_PER_AGENCY, LETTERS_PER_AGENCY, SEARCHES = 12, 3, 40


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _call(base: str, token: str, method: str, path: str, body: bytes | None = None,
          content_type: str | None = None) -> tuple[int, dict]:
    headers = {"Authorization": f"Bearer {token}"}
    if content_type:
        headers["Content-Type"] = content_type
    req = urllib.request.Request(base + path, data=body, method=method, headers=headers)  # noqa: S310 — http://127.0.0.1
    try:
        with urllib.request.urlopen(req, timeout=300) as resp:  # noqa: S310
            return resp.status, json.loads(resp.read() or b"{}")
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"{}")


def _multipart(fields: dict[str, str], data: bytes, name: str, media: str = "application/pdf") -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
              f"Content-Type: {media}\r\n\r\n".encode() + data + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


@pytest.fixture
def site(env, archive, org, users, tmp_path, soffice):
    """The indexer and two gunicorn workers over the test database; yields (base URL, tokens, log)."""
    tokens = dict(users)
    with archive.db.transaction() as s:
        for name, agency in (("spj_corr", "SPJ"), ("rsj_corr", "RSJ")):
            create_user(s, name, agency, "correspondence", PASSWORD)
            tokens[name] = create_token(s, name)
    port, log = _free_port(), tmp_path / "access.log"
    run_env = {**{k: v for k, v in os.environ.items() if k != "ARCHIVE_OCR"},  # the default: OCR in the indexer
               "ARCHIVE_INDEXER": "external", "ARCHIVE_RENDER_OFFICE": "0",
               "GUNICORN_CMD_ARGS": f"--access-logfile {log} --access-logformat '%(p)s %(m)s %(U)s %(s)s'"}
    with tmp_path.joinpath("indexer.err").open("w") as indexer_err, \
            tmp_path.joinpath("server.err").open("w") as server_err:
        indexer = subprocess.Popen([str(BIN), "indexer", "--interval", "0.5"], env=run_env,
                                   stdout=subprocess.DEVNULL, stderr=indexer_err)
        server = subprocess.Popen([str(BIN), "serve", "--workers", "2", "--threads", "4", "--port", str(port)],
                                  env=run_env, stdout=subprocess.DEVNULL, stderr=server_err)
    base = f"http://127.0.0.1:{port}/api/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if _call(base, tokens["spj_clerk"], "GET", "/matters")[0] == 200:
                    break
            except OSError:
                pass
            assert server.poll() is None, tmp_path.joinpath("server.err").read_text()
            assert indexer.poll() is None, tmp_path.joinpath("indexer.err").read_text()
            assert time.monotonic() < deadline, "the workers did not start"
            time.sleep(0.5)
        yield base, tokens, log
    finally:
        for proc in (server, indexer):
            proc.send_signal(signal.SIGTERM)
        for proc in (server, indexer):
            try:
                proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@needs_postgresql
def test_two_workers_and_the_indexer_file_issue_and_search_at_once(site, archive, env) -> None:
    base, tokens, log = site
    marker = f"并发归档{uuid.uuid4().hex[:6]}"

    def file(i: int) -> tuple[int, dict]:
        who = "spj_clerk" if i % 2 else "rsj_clerk"
        matter = "LWPQ" if i % 2 else "TSGS"
        fields = {"matter": matter, "title": f"{marker}决定书第{i}件", "formed_on": "2026-03-02", "retention": "D30"}
        body, ctype = _multipart(fields, f.pdf_bytes(f"{marker} {i}"), f"decision-{i}.pdf")
        return _call(base, tokens[who], "POST", "/records", body, ctype)

    def issue(i: int) -> tuple[int, dict]:
        who, template = ("spj_corr", "approval-result-letter") if i % 2 else ("rsj_corr", "archive-lookup-letter")
        data = documents.get(template).example()
        if who == "rsj_corr":  # the lookup letter goes to the other agency, never to its issuer
            data["receiver"] = "安康市行政审批服务局"
        payload = json.dumps({"template": template, "data": data}).encode()
        return _call(base, tokens[who], "POST", "/documents", payload, "application/json")

    def find(i: int) -> tuple[int, dict]:
        who = "spj_officer" if i % 2 else "rsj_officer"
        q = urllib.parse.quote(marker if i % 3 else "决定书")
        return _call(base, tokens[who], "GET", f"/search?q={q}&per_page=50")

    jobs = ([(file, i) for i in range(2 * FILINGS_PER_AGENCY)] + [(issue, i) for i in range(2 * LETTERS_PER_AGENCY)]
            + [(find, i) for i in range(SEARCHES)])
    jobs.sort(key=lambda job: (job[1] * 7919) % 97)  # interleaved: filings, letters and searches at once
    with ThreadPoolExecutor(max_workers=12) as pool:
        answers = list(pool.map(lambda job: (job[0].__name__, *job[0](job[1])), jobs))
    failed = [(kind, status, body) for kind, status, body in answers if status >= 300]
    assert failed == []

    pids = Counter(line.split()[0] for line in log.read_text().splitlines() if "/api/v1/" in line)
    assert len(pids) == 2, f"requests were not served by both workers: {pids}"

    with archive.db.session() as s:  # 件号: per agency, year, retention and unit, 1..n
        records = s.execute(select(Record.fonds_code, Record.year, Record.retention, Record.unit_code,
                                   Record.item_no)).all()
        letters = s.execute(select(IssuedDocument.prefix, IssuedDocument.year, IssuedDocument.seq,
                                   IssuedDocument.doc_no, IssuedDocument.status)).all()
    series: dict[tuple, list[int]] = {}
    for fonds, year, retention, unit, item in records:
        series.setdefault((fonds, year, retention, unit), []).append(item)
    for key, numbers in series.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
    assert len(records) == 2 * FILINGS_PER_AGENCY + 2 * LETTERS_PER_AGENCY  # each letter is filed too
    numbering: dict[tuple, list[int]] = {}
    for prefix, year, seq, doc_no, status in letters:
        assert status == "issued" and doc_no == f"{prefix}〔{year}〕{seq}号"
        numbering.setdefault((prefix, year), []).append(seq)
    assert sum(map(len, numbering.values())) == 2 * LETTERS_PER_AGENCY
    for key, numbers in numbering.items():  # 发文字号: per 机关代字 and year, 1..n
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), key
    assert {year for _, year in numbering} == {localtime.today().year}

    q = urllib.parse.quote(marker)
    deadline = time.monotonic() + 120
    while True:  # the separate indexer catches up with every filing, seen from either worker
        totals = {who: _call(base, tokens[who], "GET", f"/search?q={q}")[1].get("total")
                  for who in ("spj_officer", "rsj_officer")}
        if totals == {"spj_officer": 2 * FILINGS_PER_AGENCY, "rsj_officer": 2 * FILINGS_PER_AGENCY}:
            break
        assert time.monotonic() < deadline, f"the index did not catch up: {totals}"
        time.sleep(1)
    check = subprocess.run([str(BIN), "reindex", "--check"], env={**os.environ, "ARCHIVE_INDEXER": "external"},
                           capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stdout + check.stderr
    assert re.search(r"索引缺少 0 件，内容过期 0 件，多余 0 件", check.stdout)
    assert "索引与数据库一致" in check.stdout


@needs_postgresql
def test_a_scan_filed_through_a_worker_is_recognised_by_the_one_runner(site, archive, env, tmp_path) -> None:
    """The workers run no OCR (ARCHIVE_OCR defaults to external beside the external indexer); the
    indexer process recognises the scan and indexes its text, seen through either worker."""
    from tests.ocr.scans import Scan, save, text_page

    base, tokens, _log = site
    img, truth = text_page(31, 200, "宋体", lines=3)
    data = save(Scan("t", img, truth, 200), tmp_path / "scan.png", "PNG").read_bytes()
    fields = {"matter": "LWPQ", "title": "扫描件决定书", "formed_on": "2026-03-02", "retention": "D30"}
    status, filed = _call(base, tokens["spj_clerk"], "POST", "/records", *_multipart(fields, data, "scan.png",
                                                                                     "image/png"))
    assert status == 201, filed
    deadline = time.monotonic() + 600
    while True:
        ocr = _call(base, tokens["spj_clerk"], "GET", f"/records/{filed['id']}")[1]["ocr"]
        if ocr["state"] != "pending":
            break
        assert time.monotonic() < deadline, "the indexer did not recognise the scan"
        time.sleep(1)
    assert ocr["state"] == "done" and ocr["failed_pages"] == [], ocr
    phrase = urllib.parse.quote(f'"{truth.replace(chr(10), "")[4:9]}"')
    deadline = time.monotonic() + 120
    while filed["id"] not in {h["id"] for h in _call(base, tokens["spj_officer"], "GET",
                                                     f"/search?q={phrase}")[1].get("hits", [])}:
        assert time.monotonic() < deadline, "the recognised text was not indexed"
        time.sleep(1)
    with archive.db.session() as s:
        from archive_app.models import OcrJob

        assert s.scalar(select(OcrJob.attempts).where(OcrJob.record_id == filed["id"])) == 1  # run once


def test_several_workers_need_the_external_indexer_and_postgresql(env, archive, monkeypatch) -> None:
    from click.testing import CliRunner

    from archive_app.cli import main

    monkeypatch.setenv("ARCHIVE_INDEXER", "thread")
    result = CliRunner().invoke(main, ["serve", "--workers", "2"])
    assert result.exit_code == 1 and "ARCHIVE_INDEXER=external" in result.stderr
    monkeypatch.setenv("ARCHIVE_INDEXER", "external")
    monkeypatch.setenv("ARCHIVE_DATABASE_URL", "sqlite:////tmp/never-created.sqlite3")
    result = CliRunner().invoke(main, ["serve", "--workers", "2"])
    assert result.exit_code == 1 and "PostgreSQL" in result.stderr
    monkeypatch.setenv("ARCHIVE_OCR", "thread")  # an OCR runner in every worker
    result = CliRunner().invoke(main, ["serve", "--workers", "2"])
    assert result.exit_code == 1 and "ARCHIVE_OCR=external" in result.stderr
