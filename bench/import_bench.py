"""`archive-app import` throughput on 3-page text PDFs, with the floor measured in the same run.

    .venv/bin/python -m bench.import_bench --files 200 --pages 3 [--database-url URL] [--profile]

Builds a fresh archive (SQLite by default) and a folder of unique 3-page Chinese PDFs laid out
as GB/T 9704 pages (22 lines × 28 characters) with a manifest, then:

1. floor: digest (SHA-256 + SM3) and text extraction (the parser's own `parse_pdf`) of the same
   files in this one process, no isolation, no database;
2. `archive-app import` run as the console script, wall clock from start to exit;

and prints files/s of both and their ratio, with the load average before and after (the
machine is shared: rates move with the other users' load; run it when it is quiet, and repeat). `--profile` runs the import in-process under cProfile instead and prints the top entries.

As root on a cgroup-v1 machine the bench runs in its own cpu,cpuacct group, so the CPU time of
every process the import starts (the CLI, the fork server, the parse and stamp children) is
counted: CPU per file does not move with other users' load the way wall time does. `--shares N`
gives that group N cpu.shares (other processes share 1024) — on a shared machine the floor and
the import then get the cores about as they would on a quiet one; say so when you quote a run.
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


class CpuGroup:
    """A cgroup-v1 cpu,cpuacct group for one command and its descendants (root only)."""

    BASE = Path("/sys/fs/cgroup")

    def __init__(self, shares: int | None) -> None:
        name = f"archive-import-bench-{os.getpid()}"
        self.acct, self.cpu = self.BASE / "cpuacct" / name, self.BASE / "cpu" / name
        self.acct.mkdir()
        if shares:
            self.cpu.mkdir(exist_ok=True)
            (self.cpu / "cpu.shares").write_text(str(shares))
        self.shares = shares

    @classmethod
    def available(cls) -> bool:
        return os.geteuid() == 0 and (cls.BASE / "cpuacct" / "cpuacct.usage").exists()

    def enter(self) -> None:
        """Move this process (all its threads) into the group(s); what it starts stays there."""
        for group in (self.acct, self.cpu if self.shares else None):
            if group is not None:
                (group / "cgroup.procs").write_text(str(os.getpid()))

    def leave(self) -> None:
        for name in ("cpuacct", "cpu"):
            (self.BASE / name / "cgroup.procs").write_text(str(os.getpid()))

    def cpu_seconds(self) -> float:
        return int((self.acct / "cpuacct.usage").read_text()) / 1e9

    def remove(self) -> None:
        for group in (self.acct, self.cpu):
            for _ in range(50):  # the fork server may take a moment to exit after the CLI
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.1)


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
    parser.add_argument("--shares", type=int, default=None,
                        help="cpu.shares of the import's cgroup (root, cgroup v1); default: not set")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}, "
          f"{platform.python_implementation()} {platform.python_version()}")
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        paths = make_corpus(root / "in", args.files, args.pages)
        env = prepare(root, args.database_url)
        group = CpuGroup(args.shares) if CpuGroup.available() and not args.profile else None
        if group:
            group.enter()
        cpu0 = time.process_time()
        floor_s = floor(paths)
        floor_cpu = time.process_time() - cpu0
        import_cpu = None
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
            try:
                before = group.cpu_seconds() if group else 0.0
                done = subprocess.run([str(cli), "import", str(root / "in")], env=env, capture_output=True, text=True)
                wall = time.perf_counter() - start
                if group:
                    time.sleep(0.5)  # let the fork server and its children exit and be counted
                    import_cpu = group.cpu_seconds() - before  # this process only waited
            finally:
                if group:
                    group.leave()
                    group.remove()
            if done.returncode != 0:
                sys.exit(f"import failed: {done.stdout[-2000:]} {done.stderr[-2000:]}")
            print(done.stdout.strip().splitlines()[-1])
        print(f"files={args.files} pages={args.pages} load-after={os.getloadavg()[0]:.2f}")
        print(f"  floor (digest + text extraction, one process): {args.files / floor_s:.1f} files/s "
              f"({floor_s / args.files * 1000:.1f} ms/file)")
        print(f"  archive-app import: {args.files / wall:.2f} files/s ({wall / args.files * 1000:.0f} ms/file), "
              f"{wall / floor_s:.1f}× the floor" + (f" (cpu.shares {args.shares})" if args.shares else ""))
        if import_cpu is not None:
            print(f"  CPU per file (every process): import {import_cpu / args.files * 1000:.1f} ms, "
                  f"floor {floor_cpu / args.files * 1000:.1f} ms, {import_cpu / floor_cpu:.1f}×; "
                  f"on {os.cpu_count()} free cores at best {os.cpu_count() * args.files / import_cpu:.1f} files/s")


if __name__ == "__main__":
    main()
