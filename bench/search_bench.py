"""Search benchmark: build rate and query latency on a generated corpus of approval records.

    .venv/bin/python -m bench.search_bench --records 10000 --pages 3
    .venv/bin/python -m bench.search_bench --records 100000 --pages 3 --keep bench/out/100k

The corpus: Chinese approval records with applicants (company names), 统一社会信用代码, matters,
文号 and 1–20 pages (fixed with --pages) of text made from approval-document sentences. Records
go straight into a fresh SQLite catalogue; the index is built with the production `rebuild`
(the same writer code as the outbox). The query mix covers rare names, common matter words,
phrases, filters, date sort, a deep page and a user of the other agency. After the timed mix,
each query type runs three times more with the engine's postings cache emptied first (cold)."""

from __future__ import annotations

import argparse
import hashlib
import platform
import random
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert, select

from archive_app import search
from archive_app.core import schema_upgrade as db_schema
from archive_app.core import uscc
from archive_app.core.config import load_settings
from archive_app.core.context import Archive
from archive_app.models import Agency, Matter, Record, RecordText, User
from archive_app.organisation.users import create_user
from archive_app.search import engine
from tests.factories import make_org

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰海燕文斌辉鹏飞宇浩然晨阳"
PLACES = ["安康", "汉滨", "汉阴", "石泉", "宁陕", "紫阳", "岚皋", "平利", "镇坪", "旬阳", "白河", "秦巴", "汉江", "瀛湖", "金州", "兴安"]
TRADES = ["人力资源", "劳务派遣", "职业培训", "人才服务", "企业管理", "建筑劳务", "物业服务", "家政服务", "技能培训", "信息咨询"]
FORMS = ["有限公司", "有限责任公司", "股份有限公司", "职业培训学校", "服务中心"]
MATTERS = [("LWPQ", "劳务派遣经营许可"), ("RLZY", "人力资源服务许可"), ("MBPX", "民办职业培训学校设立"),
           ("MBBG", "民办职业培训学校变更"), ("TSGS", "企业实行不定时工作制和综合计算工时工作制审批")]
DOC_TYPES = ["决定", "批复", "通知", "申请书", "告知函", "审查意见", "现场核查记录"]
SENTENCES = [
    "经审查，{a}提交的{m}申请材料齐全、符合法定形式。",
    "根据《中华人民共和国行政许可法》第三十八条的规定，决定准予{m}。",
    "{a}法定代表人{p}，统一社会信用代码{u}，住所地{place}市。",
    "我局于{d}组织现场实地核查，核查人员{p}、{p2}参加。",
    "申请人应当自收到本决定之日起十五个工作日内领取许可证。",
    "依据安康市集中审批与监管协调联动实施办法第九条，将审批结果推送监管部门。",
    "许可证编号{c}，有效期三年，期满需要延续的应当在有效期届满六十日前提出申请。",
    "监管部门在日常监管中发现申请人实际情况与承诺内容不符的，应当及时反馈。",
    "本次审查共涉及注册资本、经营场所、管理制度、专业人员等{n}项内容。",
    "对审查结论有异议的，可以自收到本告知书之日起六十日内申请行政复议。",
]


def company(rng: random.Random) -> str:
    return rng.choice(PLACES) + "市" + "".join(rng.sample(GIVEN, 2)) + rng.choice(TRADES) + rng.choice(FORMS)


def person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def code(rng: random.Random) -> str:
    body = "9161" + "".join(rng.choice("0123456789") for _ in range(4)) + "MA" + "".join(
        rng.choice(uscc.CHARSET) for _ in range(7))
    return body + uscc.check_character(body)


def page_text(rng: random.Random, applicant: str, matter: str, chars: int = 600) -> str:
    out, size = [], 0
    while size < chars:
        s = rng.choice(SENTENCES).format(
            a=applicant, m=matter, p=person(rng), p2=person(rng), u=code(rng), place=rng.choice(PLACES),
            d=f"{rng.randint(2019, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
            c=f"{rng.choice(['人社', '行审'])}许字〔{rng.randint(2019, 2026)}〕{rng.randint(1, 999)}号",
            n=rng.randint(3, 12))
        out.append(s)
        size += len(s)
    return "".join(out)


def generate(archive: Archive, n: int, pages: int | None, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    with archive.db.session() as s:
        agencies = {a.code: a.id for a in s.scalars(select(Agency))}
        fonds = {a.id: a.fonds_code for a in s.scalars(select(Agency))}
        matter_ids = {m.code: m.id for m in s.scalars(select(Matter))}
    with archive.db.transaction() as s:
        for mcode, mname in MATTERS:
            if mcode not in matter_ids:
                s.add(Matter(code=mcode, name=mname, department_id=agencies["RSJ"], approving_agency_id=agencies["SPJ"],
                             transfer_date=date(2021, 7, 1)))
    with archive.db.session() as s:
        matter_ids = {m.code: m.id for m in s.scalars(select(Matter))}
    samples, batch_records, batch_texts = [], [], []
    start = date(2016, 1, 1)
    for i in range(1, n + 1):
        applicant = company(rng)
        mcode, mname = rng.choice(MATTERS)
        formed = start + timedelta(days=rng.randint(0, 3900))
        custodian = agencies["RSJ"] if formed < date(2021, 7, 1) else agencies["SPJ"]
        doc_type = rng.choice(DOC_TYPES)
        doc_no = f"{'安人社' if custodian == agencies['RSJ'] else '安行审'}许〔{formed.year}〕{rng.randint(1, 400)}号"
        batch_records.append({
            "id": i, "archival_code": f"{fonds[custodian]}-WS·{formed.year}-D30-B-{i:06d}", "fonds_code": fonds[custodian],
            "year": formed.year, "retention": "D30", "unit_code": "B", "item_no": i,
            "title": f"关于{applicant}{mname}的{doc_type}", "doc_no": doc_no, "responsible": "安康市",
            "formed_on": formed, "doc_type": doc_type, "applicant": applicant, "applicant_uscc": code(rng),
            "original_sha256": hashlib.sha256(str(i).encode()).hexdigest(), "custodian_id": custodian,
            "matter_id": matter_ids[mcode], "filed_by": "bench"})
        n_pages = pages or rng.randint(1, 20)
        batch_texts.append({"record_id": i, "text": "\f".join(page_text(rng, applicant, mname) for _ in range(n_pages))})
        if i % 50 == 0:
            samples.append({"applicant": applicant, "doc_no": doc_no, "custodian": custodian})
        if len(batch_records) == 2000 or i == n:
            with archive.db.transaction() as s:
                s.execute(insert(Record), batch_records)
                s.execute(insert(RecordText), batch_texts)
            batch_records, batch_texts = [], []
    return samples


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def query_mix(samples: list[dict], rng: random.Random) -> list[tuple[str, str, dict]]:
    """(label, username, params) — a fixed mix, repeated."""
    mix = []
    for _ in range(20):
        s = rng.choice(samples)
        mix += [
            ("rare name", "spj_officer", {"q": s["applicant"]}),
            ("common matter word", "spj_officer", {"q": "劳务派遣"}),
            ("phrase", "spj_officer", {"q": '"现场实地核查"'}),
            ("two words", "rsj_officer", {"q": "人力资源 许可证"}),
            ("filters", "spj_officer", {"q": "许可", "custodian": "SPJ", "date_from": "2023-01-01",
                                        "date_to": "2024-12-31"}),
            ("date sort", "spj_officer", {"q": "培训", "sort": "date"}),
            ("deep page", "spj_officer", {"q": "有限公司", "page": 50}),
            ("doc number", "spj_officer", {"q": s["doc_no"]}),
            ("other agency user", "rsj_officer", {"q": "监管部门 反馈"}),
            ("browse by date", "rsj_officer", {"q": "", "sort": "date"}),
        ]
    return mix


def run(records: int, pages: int | None, keep: Path | None, rebuild: bool = False) -> None:
    root = keep or Path(tempfile.mkdtemp(prefix="search-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{root / 'bench.sqlite3'}"
    fresh = not (root / "bench.sqlite3").exists()
    db_schema.upgrade(url)
    archive = Archive.open(load_settings({"database_url": url, "storage_dir": root / "storage",
                                          "index_dir": root / "indexes", "instance_dir": root / "instance",
                                          "secret_key": "bench", "indexer": "off"}))
    if fresh:
        make_org(archive)
        with archive.db.transaction() as s:
            create_user(s, "spj_officer", "SPJ", "officer", "bench-password")
            create_user(s, "rsj_officer", "RSJ", "officer", "bench-password")
        t = time.perf_counter()
        samples = generate(archive, records, pages)
        print(f"corpus: {records} records generated in {time.perf_counter() - t:.0f} s")
        t = time.perf_counter()
        built = search.rebuild(archive)
        took = time.perf_counter() - t
        print(f"build: {built} records in {took:.0f} s = {built / took:.0f} records/s "
              f"(pages per record: {pages or '1-20'})")
        (root / "samples.txt").write_text("\n".join(f"{s['applicant']}\t{s['doc_no']}" for s in samples))
    else:
        if rebuild:
            t = time.perf_counter()
            built = search.rebuild(archive)
            took = time.perf_counter() - t
            print(f"rebuild: {built} records in {took:.0f} s = {built / took:.0f} records/s")
        samples = [dict(zip(("applicant", "doc_no"), line.split("\t"), strict=True))
                   for line in (root / "samples.txt").read_text().splitlines()]
    size = sum(p.stat().st_size for p in (root / "indexes").rglob("*") if p.is_file())
    print(f"index size: {size / 1048576:.0f} MB")
    mix = query_mix(samples, random.Random(5))
    with archive.db.session() as s:
        users = {u.username: u for u in s.scalars(select(User))}
        for _label, username, params in mix[:10]:  # warm up: open the searcher, fill caches
            search.search(archive, s, users[username], search.Params(**params))
        by_label: dict[str, list[float]] = {}
        for label, username, params in mix:
            t = time.perf_counter()
            search.search(archive, s, users[username], search.Params(**params))
            by_label.setdefault(label, []).append((time.perf_counter() - t) * 1000)
        cold: dict[str, list[float]] = {}
        for label, username, params in mix[:30]:  # each type 3 times, no postings cached
            engine.cache.clear(terms_only=True)
            t = time.perf_counter()
            search.search(archive, s, users[username], search.Params(**params))
            cold.setdefault(label, []).append((time.perf_counter() - t) * 1000)
    every = [v for vs in by_label.values() for v in vs]
    print(f"latency over {len(every)} queries: p50 {statistics.median(every):.0f} ms, "
          f"p95 {percentile(every, 0.95):.0f} ms, p99 {percentile(every, 0.99):.0f} ms")
    for label, vs in by_label.items():
        print(f"  {label:<20} p50 {statistics.median(vs):6.0f} ms  p95 {percentile(vs, 0.95):6.0f} ms"
              f"   cold (no postings cached) median {statistics.median(cold[label]):6.0f} ms")
    archive.db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=3, help="pages per record (0: 1-20 at random)")
    parser.add_argument("--keep", type=Path, default=None, help="folder to keep (and reuse) the corpus and index")
    parser.add_argument("--rebuild", action="store_true", help="with --keep: rebuild the index of the kept corpus")
    args = parser.parse_args()
    print(f"machine: {platform.platform()}, {platform.processor() or 'cpu'}, CPython {platform.python_version()}")
    run(args.records, args.pages or None, args.keep, args.rebuild)


if __name__ == "__main__":
    main()
