"""`archive-app import` throughput on 3-page text PDFs, with the floor measured in the same run.

    .venv/bin/python -m bench.import_bench --files 200 --pages 3 [--database-url URL] [--profile]

Builds a fresh archive (SQLite by default) and a folder of unique 3-page Chinese PDFs laid out
as GB/T 9704 pages (22 lines × 28 characters) with a manifest, then:

1. floor: digest (SHA-256 + SM3) and text extraction (the parser's own `parse_pdf`) of the same
   files in this one process, no isolation, no database;
2. `archive-app import` run as the console script, wall clock from start to exit;

and prints files/s of both and their ratio, with the load average before and after (the
machine is shared: rates move with the other users' load; run it when it is quiet, and repeat). `--profile` runs the import in-process under cProfile instead and prints the top entries.
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

SENTENCES = ["经审查，申请人提交的申请材料齐全，符合法定形式", "根据《中华人民共和国行政许可法》第三十八条的规定",
             "决定准予劳务派遣经营许可", "许可证有效期为三年", "请于收到本决定之日起十个工作日内领取许可证",
             "现场实地核查结论为符合条件", "依法应当听证的事项已经组织听证", "审批办结事项基本信息已推送至人力资源和社会保障局"]


def text_pdf(seed: int, pages: int) -> bytes:
    from archive_app.rendition.fonts import cjk_font

    rng = random.Random(seed)
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    for page in range(pages):
        c.setFont(cjk_font(), 16)
        body = f"编号{seed}-{page}，" + "".join(rng.choice(SENTENCES) + "。" for _ in range(40))
        for row in range(22):
            c.drawString(28 * mm, A4[1] - 37 * mm - row * 28.9, body[row * 28:(row + 1) * 28])
        c.drawCentredString(A4[0] / 2, 20 * mm, f"— {page + 1} —")
        c.showPage()
    c.save()
    return buf.getvalue()


def make_corpus(folder: Path, files: int, pages: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with open(folder / "manifest.csv", "w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "matter", "title", "formed_on", "retention"])
        for i in range(files):
            p = folder / f"f{i:05d}.pdf"
            p.write_bytes(text_pdf(i, pages))
            paths.append(p)
            w.writerow([p.name, "LWPQ", f"劳务派遣经营许可决定书 {i}", "2026-03-02", "D30"])
    return paths


def floor(paths: list[Path]) -> float:
    """Seconds for digest + text extraction of every file in this process."""
    from archive_app.core.digests import digest_file
    from archive_app.intake.parse_worker import parse_pdf

    start = time.perf_counter()
    for p in paths:
        digest_file(p)
        parse_pdf(p, 1_000_000)
    return time.perf_counter() - start  # wall clock of one busy process ≈ its CPU time


def prepare(root: Path, url: str | None) -> dict[str, str]:
    from archive_app.core import schema_upgrade
    from archive_app.core.config import load_settings
    from archive_app.core.context import Archive
    from tests.factories import make_org

    url = url or f"sqlite:///{root / 'bench.sqlite3'}"
    env = {**os.environ, "ARCHIVE_DATABASE_URL": url, "ARCHIVE_STORAGE_DIR": str(root / "storage"),
           "ARCHIVE_INDEX_DIR": str(root / "indexes"), "ARCHIVE_SECRET_KEY": "bench",
           "ARCHIVE_INSTANCE_DIR": str(root / "instance")}
    schema_upgrade.upgrade(url)
    archive = Archive.open(load_settings({"database_url": url, "storage_dir": root / "storage",
                                          "index_dir": root / "indexes", "instance_dir": root / "instance",
                                          "secret_key": "bench"}))
    make_org(archive)
    archive.db.dispose()
    return env


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
          f"{platform.python_implementation()} {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_corpus(root / "in", args.files, args.pages)
        env = prepare(root, args.database_url)
        floor_s = floor(paths)
        if args.profile:
            import cProfile
            import pstats

            os.environ.update(env)
            from archive_app.core.config import load_settings
            from archive_app.core.context import Archive
            from archive_app.intake import Actor
            from archive_app.records.importer import run_import

            archive = Archive.open(load_settings())
            prof = cProfile.Profile()
            start = time.perf_counter()
            prof.enable()
            summary = run_import(archive, root / "in", None, Actor("console", None, "admin"))
            prof.disable()
            wall = time.perf_counter() - start
            pstats.Stats(prof).sort_stats("cumulative").print_stats(35)
            assert len(summary.filed) == args.files, summary.refused[:3]
        else:
            start = time.perf_counter()
            cli = Path(sys.executable).with_name("archive-app")
            done = subprocess.run([str(cli), "import", str(root / "in")], env=env, capture_output=True, text=True)
            wall = time.perf_counter() - start
            if done.returncode != 0:
                sys.exit(f"import failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
            print(done.stdout.strip().splitlines()[-1])
        print(f"files={args.files} pages={args.pages} load-after={os.getloadavg()[0]:.2f}")
        print(f"  floor (digest + text extraction, one process): {args.files / floor_s:.1f} files/s "
              f"({floor_s / args.files * 1000:.1f} ms/file)")
        print(f"  archive-app import: {args.files / wall:.2f} files/s ({wall / args.files * 1000:.0f} ms/file), "
              f"{wall / floor_s:.1f}× the floor")


if __name__ == "__main__":
    main()
