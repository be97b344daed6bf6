"""OCR engines compared on the generated scans of tests/ocr/scans.py: character error rate per
condition and seconds per page, one thread; then pages/s of the chosen engine on both cores.

    .venv/bin/python -m bench.ocr_bench [--pages-per-condition 2] [--engines rapidocr tesseract]

CER = edit distance / length of the truth, both NFKC-folded with all white space removed.
"""

from __future__ import annotations

import argparse
import os
import platform
import time
import unicodedata
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor

from archive_app.ocr.engines import recognise
from tests.ocr.scans import corpus


def fold(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def edit_distance(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def cer(truth: str, found: str) -> float:
    t, f = fold(truth), fold(found)
    return edit_distance(t, f) / max(1, len(t))


def _one(args: tuple) -> float:
    image, engine = args
    start = time.perf_counter()
    recognise(image, engine, threads=1)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pages-per-condition", type=int, default=1)
    parser.add_argument("--engines", nargs="+", default=["rapidocr", "tesseract"])
    parser.add_argument("--throughput-pages", type=int, default=8)
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, load {os.getloadavg()[0]:.2f}")
    scans = corpus(args.pages_per_condition)
    for engine in args.engines:
        by: dict[str, list[tuple[float, float]]] = defaultdict(list)
        recognise(scans[0].image, engine)  # load the models once
        for scan in scans:
            start = time.perf_counter()
            page = recognise(scan.image, engine)
            took = time.perf_counter() - start
            by[scan.name].append((cer(scan.truth, page.text()), took))
            if page.rotation != scan.rotation:
                print(f"  {engine}: {scan.name}: rotation found {page.rotation}, was {scan.rotation}")
        print(f"\n{engine} (one thread), load {os.getloadavg()[0]:.2f}")
        print("| condition | pages | CER | s/page |\n|---|---|---|---|")
        for name, values in by.items():
            print(f"| {name} | {len(values)} | {sum(v[0] for v in values) / len(values) * 100:.1f} % | "
                  f"{sum(v[1] for v in values) / len(values):.2f} |")
    engine = args.engines[0]
    pages = [(scans[i % len(scans)].image, engine) for i in range(args.throughput_pages)]
    with ProcessPoolExecutor(max_workers=2) as pool:
        list(pool.map(_one, pages[:2]))
        start = time.perf_counter()
        list(pool.map(_one, pages))
        wall = time.perf_counter() - start
    print(f"\n{engine}, two processes × one thread: {len(pages) / wall:.2f} pages/s "
          f"(load {os.getloadavg()[0]:.2f})")


if __name__ == "__main__":
    main()
