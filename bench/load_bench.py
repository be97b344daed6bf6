"""Load run: 50 concurrent users for 5 minutes against the multi-worker deployment on PostgreSQL.

    .venv/bin/python -m bench.load_bench --database-url postgresql+psycopg://postgres@127.0.0.1:5432/bench_load \\
        --users 50 --minutes 5 --workers 2 --threads 8 --records 10000

Sets up a fresh catalogue in the given PostgreSQL database (its schema is dropped first): the
search benchmark's generated corpus (approval records with 3 pages of text each), 50 clerks of
both agencies with API tokens, and 40 PDFs filed through the API per agency to download. Then
starts `archive-app indexer` and `archive-app serve --workers N` as an operator would
(ARCHIVE_INDEXER=external) and runs the users: each repeats search (45%), a record page (30%,
the HTML page /records/<id>), a download of one of its agency's originals (15%) and a filing of a
new PDF (10%), with a think time of 1-5 s between actions (a person reading). Every answer other
than 2xx, and every failed connection, is an error. Prints per-kind p50/p95/p99, throughput, the
machine's load average while it ran, then waits for the indexer to catch up and runs
`reindex --check`. Results go in BENCHMARKS.md ("Load"); not a test.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import create_engine, select, text

from archive_app import search
from archive_app.core import schema_upgrade as db_schema
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from archive_app.models import Record
from archive_app.organisation.users import create_token, create_user
from bench.search_bench import generate, query_mix
from tests.factories import make_org, pdf_bytes

BIN = Path(sys.executable).parent / "archive-app"
MIX = (("search", 45), ("record page", 30), ("download", 15), ("filing", 10))


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else float("nan")


class Client:
    """One user's HTTP calls (urllib: one connection per call, as a browser's short requests)."""

    def __init__(self, base: str, token: str) -> None:
        self.base, self.token = base, token

    def call(self, method: str, path: str, body: bytes | None = None, ctype: str | None = None) -> tuple[int, bytes]:
        headers = {"Authorization": f"Bearer {self.token}"}
        if ctype:
            headers["Content-Type"] = ctype
        req = urllib.request.Request(self.base + path, data=body, method=method, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=120) as resp:
                return resp.status, resp.read()
        except urllib.error.HTTPError as err:
            return err.code, err.read()


def multipart(fields: dict[str, str], data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for key, value in fields.items():
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode())
    out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="decision.pdf"\r\n'
              f"Content-Type: application/pdf\r\n\r\n".encode() + data + b"\r\n" + f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def filing_form(agency: str, n: int) -> dict[str, str]:
    matter = "LWPQ" if agency == "SPJ" else "TSGS"  # SPJ keeps LWPQ after the transfer; TSGS never moved
    return {"matter": matter, "title": f"负载测试归档第{n}件决定书", "formed_on": "2026-03-02", "retention": "D30"}


def set_up(url: str, root: Path, records: int, users: int) -> tuple[dict, list[dict], dict]:
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    engine.dispose()
    db_schema.upgrade(url)
    settings = {"database_url": url, "storage_dir": root / "storage", "index_dir": root / "indexes",
                "instance_dir": root / "instance", "secret_key": "bench-load", "indexer": "off",
                "render_office": False}
    archive = Archive.open(load_settings(settings))
    make_org(archive)
    t = time.perf_counter()
    samples = generate(archive, records, 3)
    with archive.db.transaction() as s:  # the corpus was inserted with explicit ids
        s.execute(text("SELECT setval(pg_get_serial_sequence('records', 'id'), (SELECT max(id) FROM records))"))
    print(f"corpus: {records} records in {time.perf_counter() - t:.0f} s", flush=True)
    t = time.perf_counter()
    search.rebuild(archive)
    print(f"index: built in {time.perf_counter() - t:.0f} s", flush=True)
    tokens = {}
    with archive.db.transaction() as s:
        for i in range(users):
            name = f"load_clerk_{i:02d}"
            create_user(s, name, "SPJ" if i % 2 == 0 else "RSJ", "clerk", "load-bench-password")
            tokens[name] = create_token(s, name)
    with archive.db.session() as s:
        corpus_ids = s.scalars(select(Record.id)).all()
    archive.db.dispose()
    return settings, samples, {"tokens": tokens, "corpus_ids": corpus_ids}


def start(settings: dict, workers: int, threads: int, root: Path) -> tuple[str, list[subprocess.Popen]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "ARCHIVE_DATABASE_URL": settings["database_url"],
           "ARCHIVE_STORAGE_DIR": str(settings["storage_dir"]), "ARCHIVE_INDEX_DIR": str(settings["index_dir"]),
           "ARCHIVE_INSTANCE_DIR": str(settings["instance_dir"]), "ARCHIVE_SECRET_KEY": settings["secret_key"],
           "ARCHIVE_INDEXER": "external", "ARCHIVE_RENDER_OFFICE": "0"}
    with (root / "indexer.log").open("w") as ilog, (root / "server.log").open("w") as slog:
        procs = [subprocess.Popen([str(BIN), "indexer", "--interval", "1"], env=env, stdout=ilog, stderr=ilog),
                 subprocess.Popen([str(BIN), "serve", "--workers", str(workers), "--threads", str(threads),
                                   "--port", str(port)], env=env, stdout=slog, stderr=slog)]
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if Client(base, "none").call("GET", "/api/v1/openapi.json")[0] == 200:
                return base, procs
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start: see " + str(root / "server.log"))


def run(args: argparse.Namespace) -> None:
    root = Path(tempfile.mkdtemp(prefix="load-bench-"))
    settings, samples, data = set_up(args.database_url, root, args.records, args.users)
    tokens, corpus_ids = data["tokens"], data["corpus_ids"]
    base, procs = start(settings, args.workers, args.threads, root)
    try:
        names = sorted(tokens)
        agency_of = {n: "SPJ" if i % 2 == 0 else "RSJ" for i, n in enumerate(names)}
        downloads: dict[str, list[int]] = {"SPJ": [], "RSJ": []}
        print("filing 40 PDFs per agency to download …", flush=True)
        for agency, who in (("SPJ", names[0]), ("RSJ", names[1])):
            for n in range(40):
                body, ctype = multipart(filing_form(agency, n), pdf_bytes(f"下载样本 {agency} {n}"))
                status, out = Client(base + "/api/v1", tokens[who]).call("POST", "/records", body, ctype)
                assert status == 201, out
                downloads[agency].append(json.loads(out)["id"])
        pdfs = [pdf_bytes(f"负载测试 {i}") for i in range(int(args.users * args.minutes * 4))]
        print(f"{len(pdfs)} distinct PDFs ready; running {args.users} users for {args.minutes} min", flush=True)
        searches = [params for _label, _user, params in query_mix(samples, random.Random(11))]
        results: list[tuple[str, float, bool, str]] = []
        lock, stop_at = threading.Lock(), time.monotonic() + args.minutes * 60
        pdf_iter = iter(pdfs)
        loads: list[tuple[float, float, float]] = []

        def user(name: str, seed: int) -> None:
            rng = random.Random(seed)
            api, web = Client(base + "/api/v1", tokens[name]), Client(base, tokens[name])
            agency = agency_of[name]
            time.sleep(rng.uniform(0, args.think_max))  # users arrive over the first seconds
            while time.monotonic() < stop_at:
                kind = rng.choices([k for k, _ in MIX], [w for _, w in MIX])[0]
                t = time.perf_counter()
                try:
                    if kind == "search":
                        status, _ = api.call("GET", "/search?" + urllib.parse.urlencode(rng.choice(searches)))
                    elif kind == "record page":
                        status, _ = web.call("GET", f"/records/{rng.choice(corpus_ids)}")
                    elif kind == "download":
                        status, _ = api.call("GET", f"/records/{rng.choice(downloads[agency])}/content")
                    else:
                        with lock:
                            data = next(pdf_iter, None)
                        data = data or pdf_bytes(f"负载测试 {uuid.uuid4().hex}")
                        body, ctype = multipart(filing_form(agency, rng.randint(1, 10**6)), data)
                        status, _ = api.call("POST", "/records", body, ctype)
                    ok, detail = 200 <= status < 300, str(status)
                except OSError as exc:
                    ok, detail = False, type(exc).__name__
                with lock:
                    results.append((kind, (time.perf_counter() - t) * 1000, ok, detail))
                time.sleep(rng.uniform(args.think_min, args.think_max))

        def sample_load() -> None:
            while time.monotonic() < stop_at:
                loads.append(os.getloadavg())
                time.sleep(10)

        started = time.monotonic()
        threads = [threading.Thread(target=user, args=(n, i)) for i, n in enumerate(names)]
        threads.append(threading.Thread(target=sample_load, daemon=True))
        for th in threads:
            th.start()
        for th in threads[:-1]:
            th.join()
        elapsed = time.monotonic() - started
        report(results, elapsed, loads)
        catch_up(base, tokens[names[0]], root, settings)
    finally:
        for proc in procs:
            proc.send_signal(signal.SIGTERM)
        for proc in procs:
            proc.wait(timeout=60)


def report(results: list[tuple[str, float, bool, str]], elapsed: float, loads: list) -> None:
    errors = [r for r in results if not r[2]]
    print(f"\n{len(results)} requests in {elapsed:.0f} s = {len(results) / elapsed:.1f} req/s; errors: {len(errors)}")
    if errors:
        print("  errors by kind/status:", {f"{k} {d}": sum(1 for e in errors if (e[0], e[3]) == (k, d))
                                           for k, _, _, d in errors})
    print("| kind | requests | errors | p50 | p95 | p99 |")
    print("|---|---|---|---|---|---|")
    for kind, _ in MIX:
        ms = [r[1] for r in results if r[0] == kind]
        bad = sum(1 for r in results if r[0] == kind and not r[2])
        print(f"| {kind} | {len(ms)} | {bad} | {statistics.median(ms):.0f} ms | {percentile(ms, 0.95):.0f} ms "
              f"| {percentile(ms, 0.99):.0f} ms |")
    one = [x[0] for x in loads]
    if one:
        print(f"load average (1 min) while running: min {min(one):.1f}, median {statistics.median(one):.1f}, "
              f"max {max(one):.1f} on {os.cpu_count()} cores")


def catch_up(base: str, token: str, root: Path, settings: dict) -> None:
    env = {**os.environ, "ARCHIVE_DATABASE_URL": settings["database_url"],
           "ARCHIVE_INDEX_DIR": str(settings["index_dir"]), "ARCHIVE_STORAGE_DIR": str(settings["storage_dir"]),
           "ARCHIVE_INSTANCE_DIR": str(settings["instance_dir"]), "ARCHIVE_SECRET_KEY": settings["secret_key"],
           "ARCHIVE_INDEXER": "external"}
    engine = create_engine(settings["database_url"])
    t = time.monotonic()
    while True:
        with engine.connect() as conn:
            pending = conn.execute(text("SELECT count(*) FROM index_jobs")).scalar()
        if not pending or time.monotonic() - t > 300:
            break
        time.sleep(1)
    engine.dispose()
    print(f"outbox empty {time.monotonic() - t:.0f} s after the run (pending jobs: {pending})")
    check = subprocess.run([str(BIN), "reindex", "--check"], env=env, capture_output=True, text=True)
    print("reindex --check:", check.stdout.strip().splitlines()[-1], f"(exit {check.returncode})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", required=True, help="a PostgreSQL database the run may wipe")
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--minutes", type=float, default=5)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--think-min", type=float, default=1.0)
    parser.add_argument("--think-max", type=float, default=5.0)
    args = parser.parse_args()
    if not args.database_url.startswith("postgresql"):
        raise SystemExit("several workers need PostgreSQL: --database-url postgresql+psycopg://…")
    run(args)


if __name__ == "__main__":
    main()
