"""Intake benchmark: time to file one record through the whole pipeline, serially and with
parallel writers, on a fresh SQLite (or ARCHIVE_DATABASE_URL) archive.

    .venv/bin/python -m bench.intake_bench --records 200 --pages 3 --workers 1 2 4

Reports per-filing latency (median, p95, p99) and records per second, plus where the time of
one filing goes (stage by stage)."""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from archive_app.core import schema_upgrade
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from archive_app.intake import Actor, Metadata, pipeline
from tests.factories import make_org, pdf_bytes


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def open_archive(root: Path, url: str | None) -> Archive:
    url = url or f"sqlite:///{root / 'bench.sqlite3'}"
    schema_upgrade.upgrade(url)
    archive = Archive.open(load_settings({"database_url": url, "storage_dir": root / "storage",
                                          "index_dir": root / "indexes", "instance_dir": root / "instance",
                                          "secret_key": "bench"}))
    make_org(archive)
    return archive


def stage_profile(archive: Archive, folder: Path, pages: int) -> dict[str, float]:
    """Seconds spent in each stage for one filing."""
    src = folder / "profile.pdf"
    src.write_bytes(pdf_bytes("阶段计时", pages=pages))
    meta = Metadata.from_mapping({"matter": "LWPQ", "title": "计时", "formed_on": "2026-03-02", "retention": "D30"})
    it = pipeline.Intake(archive, src, "profile.pdf", meta, Actor("bench", None, "admin"),
                         date.today(), Path(tempfile.mkdtemp(dir=archive.store.tmp)))
    out = {}
    for stage in pipeline.STAGES:
        t = time.perf_counter()
        stage(it)
        out[stage.__name__] = time.perf_counter() - t
    t = time.perf_counter()
    pipeline.commit(it)
    out["commit"] = time.perf_counter() - t
    return out


def run(records: int, pages: int, workers: int, url: str | None) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        archive = open_archive(root, url)
        folder = root / "in"
        folder.mkdir()
        files = []
        for i in range(records):
            p = folder / f"{i}.pdf"
            p.write_bytes(pdf_bytes(f"基准测试文件 {i}", pages=pages))
            files.append(p)
        latencies: list[float] = []

        def file_one(p: Path) -> None:
            meta = Metadata.from_mapping({"matter": "LWPQ", "title": f"基准 {p.stem}", "formed_on": "2026-03-02",
                                          "retention": "D30"})
            t = time.perf_counter()
            pipeline.file_record(archive, p, p.name, meta, Actor("bench", None, "admin"))
            latencies.append(time.perf_counter() - t)

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=workers) as pool:
            list(pool.map(file_one, files))
        wall = time.perf_counter() - start
        profile = stage_profile(archive, folder, pages)
        archive.db.dispose()
    return {"records": records, "pages": pages, "workers": workers, "rate": records / wall,
            "p50": statistics.median(latencies), "p95": percentile(latencies, 0.95),
            "p99": percentile(latencies, 0.99), "profile": profile}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=200)
    parser.add_argument("--pages", type=int, default=3)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {platform.python_implementation()} {platform.python_version()}")
    for w in args.workers:
        r = run(args.records, args.pages, w, args.database_url)
        print(f"workers={w} records={r['records']} pages={r['pages']}: {r['rate']:.2f} records/s, "
              f"latency p50 {r['p50'] * 1000:.0f} ms, p95 {r['p95'] * 1000:.0f} ms, p99 {r['p99'] * 1000:.0f} ms")
        print("  one filing, by stage (ms): " + ", ".join(f"{k} {v * 1000:.0f}" for k, v in r["profile"].items()))


if __name__ == "__main__":
    main()
