"""Case register benchmark (issue 14): the 办件 list with each filter, the timeline page of a case
with 50 events, and a 10,000-row register import, at 100,000 cases and 300,000 records.

    .venv/bin/python -m bench.cases_bench --cases 100000 --records 300000
    .venv/bin/python -m bench.cases_bench --url postgresql+psycopg://postgres@127.0.0.1:5432/NAME

Cases and records come from the search bench's generator (company names, 统一社会信用代码, matters,
approval-document sentences); each record belongs to a case, as filed records with a 办件编号 do.
Requests go through the Flask app (routing, access policy, JSON/HTML), timed per request."""

from __future__ import annotations

import argparse
import hashlib
import json
import platform
import random
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, insert, select, text

from archive_app.cases import importer
from archive_app.cases import search as case_search
from archive_app.core import schema_upgrade as db_schema
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from archive_app.models import Agency, Case, CaseEvent, CaseIndexJob, Matter, Push, Record, RecordText, User
from archive_app.organisation.users import create_token, create_user
from archive_app.workdays import Calendar
from bench.search_bench import MATTERS, code, company, page_text, percentile
from tests.factories import make_org

TRANSFER = date(2021, 7, 1)
STATUSES = ["received"] * 3 + ["special_review", "decided", "served", "pushed"] + ["supervised"] * 8 + [
    "changed", "withdrawn", "revoked", "cancelled"]


def generate(archive: Archive, n_cases: int, n_records: int, seed: int = 1) -> dict:
    """Cases and their records straight into the catalogue; returns samples for the queries."""
    rng = random.Random(seed)
    with archive.db.session() as s:
        agencies = {a.code: a.id for a in s.scalars(select(Agency))}
        fonds = {a.id: a.fonds_code for a in s.scalars(select(Agency))}
    with archive.db.transaction() as s:
        known = set(s.scalars(select(Matter.code)))
        for mcode, mname in MATTERS:
            if mcode not in known:
                s.add(Matter(code=mcode, name=mname, department_id=agencies["RSJ"], approving_agency_id=agencies["SPJ"],
                             transfer_date=TRANSFER, time_limit_days=20))
    with archive.db.session() as s:
        matters = {m.code: (m.id, m.name) for m in s.scalars(select(Matter))}
    calendar = Calendar.from_db(archive.db.session())
    start, today = date(2016, 1, 1), date.today()
    samples: dict[str, list[str]] = {"applicant": [], "uscc": [], "certificate_no": [], "case_no": []}
    cases, batch = [], []
    for i in range(1, n_cases + 1):
        mcode, _ = rng.choice(MATTERS)
        received = start + timedelta(days=rng.randint(0, (today - start).days))
        # a case older than two months has been decided; only recent ones are still open
        status = rng.choice([s for s in STATUSES if s not in ("received", "special_review")]) \
            if received < today - timedelta(days=60) else rng.choice(["received", "received", "special_review", "decided"])
        decided = received + timedelta(days=rng.randint(5, 30)) if status not in ("received", "special_review") else None
        due = calendar.deadline(received, 20)
        applicant, uscc_ = company(rng), code(rng)
        cert = f"陕{mcode}{received.year}{i:06d}" if decided else None
        row = {"id": i, "case_no": f"{mcode}-{received.year}-{i:06d}", "matter_id": matters[mcode][0],
               "applicant": applicant, "applicant_uscc": uscc_, "received_on": received, "decided_on": decided,
               "decision": "准予许可" if decided else None, "certificate_no": cert,
               "valid_until": decided + timedelta(days=365 * 3) if decided else None, "status": status,
               "due_on": due.deadline, "due_schedule_known": due.schedule_known, "key_project": False,
               "supervising_agency_id": agencies["RSJ"] if status == "supervised" else None}
        batch.append(row)
        cases.append((i, received, applicant, matters[mcode]))
        if i % 200 == 0:
            samples["applicant"].append(applicant[3:7])
            samples["uscc"].append(uscc_)
            samples["case_no"].append(row["case_no"])
            if cert:
                samples["certificate_no"].append(cert)
        if len(batch) == 5000 or i == n_cases:
            with archive.db.transaction() as s:
                s.execute(insert(Case), batch)
            batch = []
    records, texts = [], []
    for i in range(1, n_records + 1):
        cid, received, applicant, (mid, mname) = cases[(i - 1) % n_cases]
        formed = received + timedelta(days=rng.randint(0, 40))
        custodian = agencies["RSJ"] if formed < TRANSFER else agencies["SPJ"]
        records.append({
            "id": i, "archival_code": f"{fonds[custodian]}-WS·{formed.year}-D30-B-{i:07d}",
            "fonds_code": fonds[custodian], "year": formed.year, "retention": "D30", "unit_code": "B", "item_no": i,
            "title": f"关于{applicant}{mname}的材料{i % 7 + 1}", "doc_no": None, "responsible": "安康市",
            "formed_on": formed, "doc_type": "决定", "applicant": applicant, "applicant_uscc": None,
            "original_sha256": hashlib.sha256(f"r{i}".encode()).hexdigest(), "custodian_id": custodian,
            "matter_id": mid, "case_id": cid, "filed_by": "bench"})
        texts.append({"record_id": i, "text": page_text(rng, applicant, mname, 200)})
        if len(records) == 5000 or i == n_records:
            with archive.db.transaction() as s:
                s.execute(insert(Record), records)
                s.execute(insert(RecordText), texts)
            records, texts = [], []
    with archive.db.transaction() as s:  # the generator bypassed the session hook: index every case
        s.execute(insert(CaseIndexJob).from_select(["case_id"], select(Case.id)))
    return samples


def busy_case(archive: Archive, case_no: str) -> None:
    """One case with 50 timeline entries: records of both agencies, events, pushes."""
    with archive.db.transaction() as s:
        case = s.scalar(select(Case).where(Case.case_no == case_no))
        spj, rsj = (s.scalar(select(Agency.id).where(Agency.code == c)) for c in ("SPJ", "RSJ"))
        have = s.scalar(select(func.count()).select_from(Record).where(Record.case_id == case.id))
        for n in range(20):
            s.add(CaseEvent(case_id=case.id, kind="inspection", occurred_on=case.received_on + timedelta(days=60 + n),
                            agency_id=rsj, summary=f"第{n + 1}次日常监督检查，未发现问题", created_by="bench"))
        for n in range(50 - 20 - have - 1 - 10):
            s.add(CaseEvent(case_id=case.id, kind="complaint", occurred_on=case.received_on + timedelta(days=90 + n),
                            agency_id=rsj, summary=f"投诉举报{n + 1}：核查不属实", created_by="bench"))
        for n in range(5):
            s.add(Push(flow="supervision", sender_id=rsj, receiver_id=spj, matter_id=case.matter_id, case_id=case.id,
                       content=f"监管信息{n + 1}", channel="platform", sent_on=case.received_on + timedelta(days=100 + n),
                       sent_by="bench", time_limit_days=5, due_on=case.received_on + timedelta(days=107 + n),
                       received_at=None))
        for _ in range(5):
            s.add(Push(flow="approval_result", sender_id=spj, receiver_id=rsj, matter_id=case.matter_id,
                       case_id=case.id, content="审批办结信息", channel="platform",
                       sent_on=case.received_on + timedelta(days=30), sent_by="bench", time_limit_days=5,
                       due_on=case.received_on + timedelta(days=37), received_at=None))


def timed(client, url: str, headers: dict, n: int) -> list[float]:
    client.get(url, headers=headers)  # warm
    out = []
    for _ in range(n):
        t = time.perf_counter()
        resp = client.get(url, headers=headers)
        out.append((time.perf_counter() - t) * 1000)
        assert resp.status_code == 200, (url, resp.status_code, resp.get_data(as_text=True)[:300])
    return out


def import_file(rows: int, seed: int = 7, tag: str = "IMP") -> bytes:
    rng = random.Random(seed)
    lines = ["办件编号,事项,申请人,统一社会信用代码,受理日期,决定日期,决定,许可证号,有效期至"]
    for i in range(rows):
        received = date(2022, 1, 1) + timedelta(days=rng.randint(0, 1200))
        mcode = rng.choice([m for m, _ in MATTERS if m != "TSGS"])  # TSGS is RSJ's own: not SPJ's to import
        if rng.random() < 0.7:
            decided = received + timedelta(days=rng.randint(3, 25))
            tail = f"{decided},准予许可,陕IMP{i:07d},{decided + timedelta(days=1095)}"
        else:
            tail = ",,,"
        lines.append(f"{tag}-{mcode}-{i:07d},{mcode},{company(rng)},{code(rng)},{received},{tail}")
    return "\n".join(lines).encode("gb18030")


def run(n_cases: int, n_records: int, url: str | None, keep: Path | None, reps: int, reuse: bool = False,
        list_only: bool = False) -> None:
    root = keep or Path(tempfile.mkdtemp(prefix="cases-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    url = url or f"sqlite:///{root / 'bench.sqlite3'}"
    if reuse and (root / "samples.json").exists():  # the corpus of an earlier run with --keep
        db_schema.upgrade(url)
        settings = {"database_url": url, "storage_dir": root / "storage", "index_dir": root / "indexes",
                    "instance_dir": root / "instance", "secret_key": "bench", "indexer": "off",
                    "render_office": False}
        saved = json.loads((root / "samples.json").read_text())
        measure(Archive.open(load_settings(settings)), settings, saved["samples"], saved["token"], saved["busy"],
                reps, url, list_only)
        return
    if url.startswith("postgresql"):
        from sqlalchemy import create_engine

        engine = create_engine(url)
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    elif (root / "bench.sqlite3").exists():
        (root / "bench.sqlite3").unlink()
    db_schema.upgrade(url)
    settings = {"database_url": url, "storage_dir": root / "storage", "index_dir": root / "indexes",
                "instance_dir": root / "instance", "secret_key": "bench", "indexer": "off", "render_office": False}
    archive = Archive.open(load_settings(settings))
    make_org(archive)
    with archive.db.transaction() as s:
        create_user(s, "spj_officer", "SPJ", "officer", "bench-password")
        token = create_token(s, "spj_officer")
    t = time.perf_counter()
    samples = generate(archive, n_cases, n_records)
    print(f"corpus: {n_cases} cases, {n_records} records in {time.perf_counter() - t:.0f} s ({url.split(':')[0]})")
    with archive.db.transaction() as s:  # planner statistics (PostgreSQL's autovacuum keeps them)
        s.execute(text("ANALYZE"))
    if not list_only:  # the cases index serves only the full-text filters (≈ 220 cases/s to build)
        t = time.perf_counter()
        case_search.rebuild(archive)
        print(f"cases index (rebuild): {n_cases} cases in {time.perf_counter() - t:.0f} s")
    busy = samples["case_no"][len(samples["case_no"]) // 2]
    busy_case(archive, busy)
    (root / "samples.json").write_text(json.dumps({"samples": samples, "token": token, "busy": busy}))
    measure(archive, settings, samples, token, busy, reps, url, list_only)


def measure(archive: Archive, settings: dict, samples: dict, token: str, busy: str, reps: int, url: str,
            list_only: bool = False) -> None:
    from archive_app.app import create_app

    if url.startswith("postgresql"):  # the generator wrote ids itself: move the sequences past them
        with archive.db.transaction() as s:
            for table in ("cases", "records"):
                s.execute(text(f"SELECT setval('{table}_id_seq', (SELECT max(id) FROM {table}))"))

    app = create_app(settings)
    client = app.test_client()
    auth = {"Authorization": f"Bearer {token}"}
    rng = random.Random(3)
    queries = {
        "no filter": lambda: "",
        "matter": lambda: "matter=LWPQ",
        "status": lambda: "status=supervised",
        "applicant (substring)": lambda: f"applicant={rng.choice(samples['applicant'])}",
        "uscc": lambda: f"uscc={rng.choice(samples['uscc'])}",
        "certificate_no": lambda: f"certificate_no={rng.choice(samples['certificate_no'])}",
        "decision date range": lambda: "decided_from=2023-01-01&decided_to=2023-06-30",
        "overdue": lambda: "overdue=1",
        "due within 3": lambda: "due_within=3",
        "decided not pushed": lambda: "unpushed=1",
        "full text q (applicant words)": lambda: f"q={rng.choice(samples['applicant'])}",
        "full text q + matter": lambda: "q=劳务 人力资源&matter=RLZY",
        "matter + status, page 40": lambda: "matter=LWPQ&status=supervised&page=40",
    }
    if list_only:
        queries = {k: v for k, v in queries.items() if not k.startswith("full text")}
    print(f"\ncase list GET /api/v1/cases, {reps} requests each (ms)")
    print(f"{'filter':34} {'p50':>7} {'p95':>7} {'max':>7}")
    allv = []
    for label, make in queries.items():
        values = [timed(client, f"/api/v1/cases?{make()}", auth, 1)[0] for _ in range(reps)]
        allv += values
        print(f"{label:34} {percentile(values, .5):7.1f} {percentile(values, .95):7.1f} {max(values):7.1f}")
    print(f"{'all filters':34} {percentile(allv, .5):7.1f} {percentile(allv, .95):7.1f} {max(allv):7.1f}")
    if list_only:
        return
    timeline = client.get(f"/api/v1/cases/{busy}", headers=auth).get_json()["timeline"]
    page = timed(client, f"/cases/{busy}", auth, reps)
    api = timed(client, f"/api/v1/cases/{busy}", auth, reps)
    print(f"\ntimeline of {busy} with {len(timeline)} entries (ms): page p50 {percentile(page, .5):.1f} "
          f"p95 {percentile(page, .95):.1f}; API p50 {percentile(api, .5):.1f} p95 {percentile(api, .95):.1f}")
    data = import_file(10_000, tag=f"IMP{int(time.time())}")  # a new register each run
    with archive.db.session() as s:
        user = s.scalar(select(User).where(User.username == "spj_officer"))
        s.expunge(user)
    t = time.perf_counter()
    report = importer.run(archive, user, data, "bench.csv")
    took = time.perf_counter() - t
    print(f"\nimport: {report.total_rows} rows (GB18030 CSV) in {took:.1f} s = {report.total_rows / took:.0f} rows/s; "
          f"imported {report.imported}, refused {len(report.refused)}")
    print(f"\nmachine: {platform.processor() or platform.machine()}, python {platform.python_version()}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=100_000)
    p.add_argument("--records", type=int, default=300_000)
    p.add_argument("--url", default=None, help="database URL (default: a fresh SQLite file)")
    p.add_argument("--keep", type=Path, default=None, help="folder for the database and index")
    p.add_argument("--reps", type=int, default=40)
    p.add_argument("--reuse", action="store_true", help="measure again on the corpus kept in --keep")
    p.add_argument("--list-only", action="store_true",
                   help="only the list filters without full text: no cases index, timeline or import")
    a = p.parse_args()
    run(a.cases, a.records, a.url, a.keep, a.reps, a.reuse, a.list_only)


if __name__ == "__main__":
    main()
