"""Document generation benchmark: documents per second for .docx only and for .docx + PDF,
single and bulk, on a fresh SQLite (or ARCHIVE_DATABASE_URL) archive with real LibreOffice.

    .venv/bin/python -m bench.documents_bench --docx 300 --single 10 --bulk 500

- docx: render every template with its example values, round robin (no database, no files);
- single: `documents.issue` one at a time (number, .docx, LibreOffice PDF, filing) — what a
  clerk clicking 发文 waits for;
- bulk: one `archive-app generate`-style run of N rows (chunks converted in one LibreOffice run
  each, overlapped with filing). Target: 500 letters with PDFs in under 4 minutes.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

from archive_app import documents
from archive_app.core import schema_upgrade
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from archive_app.documents import bulk, values
from archive_app.documents.render import render_docx
from archive_app.intake import Actor
from bench.intake_bench import percentile
from tests.factories import make_org

ACTOR = Actor("bench", "SPJ", "correspondence")


class _Names:
    def scalar(self, _query: object) -> str:
        return "劳务派遣经营许可"


def bench_docx(n: int) -> list[float]:
    templates = documents.all_templates()
    times = []
    for i in range(n):
        t = templates[i % len(templates)]
        ctx = values.context(t, values.check(t, t.example(), _Names()), _Names())
        ctx.update(agency_name="安康市行政审批服务局", doc_no=f"安行审函〔2026〕{i + 1}号", date_cn="2026年11月22日",
                   print_date_cn="2026年11月22日")
        start = time.perf_counter()
        render_docx(t.path, ctx)
        times.append(time.perf_counter() - start)
    return times


def open_archive(root: Path, url: str | None) -> Archive:
    url = url or f"sqlite:///{root / 'bench.sqlite3'}"
    schema_upgrade.upgrade(url)
    archive = Archive.open(load_settings({"database_url": url, "storage_dir": root / "storage",
                                          "index_dir": root / "indexes", "instance_dir": root / "instance",
                                          "secret_key": "bench", "indexer": "off"}))
    make_org(archive)
    return archive


def letter(i: int) -> dict[str, str]:
    t = documents.get("approval-result-letter")
    return {**t.example(), "applicant": f"安康市第{i}人力资源服务有限公司", "case_no": f"SP-2026-{i:05d}",
            "certificate_no": f"陕安劳派2026{i:04d}"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--docx", type=int, default=300)
    parser.add_argument("--single", type=int, default=10)
    parser.add_argument("--bulk", type=int, default=500)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    print(f"machine: {platform.node()} · {platform.processor() or platform.machine()} · "
          f"python {platform.python_version()}")
    docx = bench_docx(args.docx)
    print(f"docx only: {args.docx} renders, {len(docx) / sum(docx):.1f} docs/s; median "
          f"{statistics.median(docx) * 1000:.1f} ms, p95 {percentile(docx, 0.95) * 1000:.1f} ms, "
          f"p99 {percentile(docx, 0.99) * 1000:.1f} ms")
    with tempfile.TemporaryDirectory(prefix="docbench-") as tmp:
        archive = open_archive(Path(tmp), args.database_url)
        single = []
        for i in range(args.single):
            start = time.perf_counter()
            documents.issue(archive, "approval-result-letter", letter(i), ACTOR, date.today())
            single.append(time.perf_counter() - start)
        print(f"single issue (docx + PDF + filing): {args.single} documents; median "
              f"{statistics.median(single):.2f} s, p95 {percentile(single, 0.95):.2f} s "
              f"(first, LibreOffice cold: {single[0]:.2f} s)")
        rows = [letter(10_000 + i) for i in range(args.bulk)]
        start = time.perf_counter()
        run = bulk.reserve_rows(archive, "approval-result-letter", rows, ACTOR)
        reserved = time.perf_counter() - start
        bulk.complete_rows(archive, run, ACTOR)
        total = time.perf_counter() - start
        print(f"bulk: {args.bulk} letters with PDFs filed in {total:.1f} s ({args.bulk / total:.2f} docs/s; "
              f"numbering {reserved:.1f} s); issued {run.issued}, failed {len(run.failed)}")
        archive.db.dispose()


if __name__ == "__main__":
    main()
