"""A bulk import killed with SIGKILL loses nothing: fixity passes, 件号 have no gaps, and a
re-run files exactly the rest."""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time

from sqlalchemy import func, select

from archive_app import audit
from archive_app.models import Record
from archive_app.records import fixity
from tests import factories as f

N = 14


def test_sigkill_during_import_then_resume(env, archive, org, tmp_path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "matter", "title", "formed_on", "retention"])
        for i in range(N):
            (folder / f"{i:02d}.pdf").write_bytes(f.pdf_bytes(f"中断导入 {i}", pages=2))
            w.writerow([f"{i:02d}.pdf", "LWPQ", f"文件{i}", "2026-02-01", "D30"])
    cli = [sys.executable, "-m", "archive_app.cli_entry", "import", str(folder)]
    proc = subprocess.Popen(cli, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def filed() -> int:
        with archive.db.session() as s:
            return s.scalar(select(func.count(Record.id))) or 0

    deadline = time.monotonic() + 120
    while filed() < 3 and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    done = filed()
    assert 3 <= done < N, "the import should have been killed part-way"
    assert fixity.check(archive).ok
    with archive.db.session() as s:
        assert sorted(s.scalars(select(Record.item_no)).all()) == list(range(1, done + 1))
        assert audit.verify(s).ok
    rerun = subprocess.run(cli, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr
    assert f"已归档 {N - done} 件，已存在跳过 {done} 件" in rerun.stdout
    with archive.db.session() as s:
        assert sorted(s.scalars(select(Record.item_no)).all()) == list(range(1, N + 1))
    report = fixity.check(archive)
    assert report.ok and report.checked == 2 * N
