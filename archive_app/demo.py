"""`archive-app demo-data`: the two Ankang agencies, their units, the HR licences that moved to
the approval bureau on the transfer date, one that did not, demo users, and sample records on
both sides of the date — filed through the real intake pipeline."""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas
from sqlalchemy import select

from . import audit
from .core import localtime, uscc
from .core.context import Archive
from .core.digests import digest_file
from .intake import Actor, Metadata, file_record
from .models import Agency, LiaisonOfficer, Matter, Record, Unit, User
from .organisation.users import create_user
from .registers import liaison, pushes, reviews
from .rendition.fonts import cjk_font

TRANSFER_DATE = date(2021, 7, 1)
DEMO_PASSWORD = "demo-2026-pass"  # noqa: S105 — printed for newcomers; demo data only

AGENCIES = [
    ("SPJ", "安康市行政审批服务局", "J001", "安行审",
     [("SWK", "社会事务审批科", True), ("BGS", "办公室", False)]),
    ("RSJ", "安康市人力资源和社会保障局", "J002", "安人社",
     [("BGS", "办公室", True), ("LGK", "劳动关系科", False), ("RLK", "人力资源流动管理科", False),
      ("ZJK", "职业能力建设科", False)]),
]
# (code, name, department, unit there, approving agency, unit there, transfer date, limit)
MATTERS = [
    ("LWPQ", "劳务派遣经营许可", "RSJ", "LGK", "SPJ", "SWK", TRANSFER_DATE, 20),
    ("RLZYFW", "人力资源服务许可", "RSJ", "RLK", "SPJ", "SWK", TRANSFER_DATE, 20),
    ("MBPX-SL", "民办职业培训学校设立", "RSJ", "ZJK", "SPJ", "SWK", TRANSFER_DATE, 20),
    ("MBPX-BG", "民办职业培训学校变更", "RSJ", "ZJK", "SPJ", "SWK", TRANSFER_DATE, 15),
    ("MBPX-ZZ", "民办职业培训学校终止", "RSJ", "ZJK", "SPJ", "SWK", TRANSFER_DATE, 15),
    ("TSGS", "企业实行不定时工作制和综合计算工时工作制审批", "RSJ", "LGK", "RSJ", "LGK", None, 20),
]
# The demo staff: (username, agency, role, 姓名) — the header and the registers show the 姓名 (fictitious people).
USERS = [("spj_clerk", "spj", "clerk", "王敏"), ("spj_officer", "spj", "officer", "李卫东"),
         ("spj_correspondence", "spj", "correspondence", "张晓琳"), ("spj_admin", "spj", "admin", "刘建军"),
         ("rsj_clerk", "rsj", "clerk", "陈静"), ("rsj_officer", "rsj", "officer", "杨帆"),
         ("rsj_correspondence", "rsj", "correspondence", "赵雪梅"), ("rsj_admin", "rsj", "admin", "周涛")]


def demo_uscc(seed: str) -> str:
    body = ("91610900" + seed.upper().rjust(9, "0"))[:17]
    return body + uscc.check_character(body)


# (matter, title, formed_on, retention, doc_no, applicant, uscc seed, case_no, doc_type)
SAMPLES = [
    ("LWPQ", "关于安康市汉江人力资源有限公司劳务派遣经营许可申请的受理通知书", date(2021, 3, 15), "D30",
     "安人社许受〔2021〕8号", "安康市汉江人力资源有限公司", "MA6YHJ001", "LWPQ-2021-0003", "通知"),
    ("LWPQ", "安康市汉江人力资源有限公司劳务派遣经营许可决定书", date(2021, 4, 2), "D30",
     "安人社许〔2021〕12号", "安康市汉江人力资源有限公司", "MA6YHJ001", "LWPQ-2021-0003", "决定"),
    ("LWPQ", "安康市秦巴劳务派遣有限公司劳务派遣经营许可申请材料", date(2021, 6, 28), "D30",
     None, "安康市秦巴劳务派遣有限公司", "MA6YQB002", "LWPQ-2021-0011", "申请书"),
    ("LWPQ", "安康市秦巴劳务派遣有限公司劳务派遣经营许可决定书", date(2021, 7, 6), "D30",
     "安行审许〔2021〕3号", "安康市秦巴劳务派遣有限公司", "MA6YQB002", "LWPQ-2021-0011", "决定"),
    ("RLZYFW", "陕西瀛湖人才服务有限公司人力资源服务许可证核发材料", date(2023, 5, 18), "D30",
     "安行审许〔2023〕41号", "陕西瀛湖人才服务有限公司", "MA6YYH003", "RLZYFW-2023-0007", "决定"),
    ("MBPX-SL", "安康市金州职业培训学校设立审批材料", date(2020, 11, 9), "Y",
     "安人社发〔2020〕66号", "安康市金州职业培训学校", "MA6YJK004", "MBPX-2020-0002", "批复"),
    ("MBPX-BG", "安康市金州职业培训学校变更办学地址的批复", date(2024, 9, 3), "Y",
     "安行审发〔2024〕19号", "安康市金州职业培训学校", "MA6YJK004", "MBPX-2024-0005", "批复"),
    ("TSGS", "关于同意安康市电力工程公司实行综合计算工时工作制的批复", date(2024, 3, 21), "D10",
     "安人社函〔2024〕27号", "安康市电力工程公司", "MA6YDL005", "TSGS-2024-0001", "批复"),
]


def sample_pdf(title: str, doc_no: str | None, applicant: str, formed_on: date) -> bytes:
    font = cjk_font()
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4, invariant=1)  # same bytes every run
    width, height = A4
    c.setFont(font, 18)
    c.drawCentredString(width / 2, height - 60 * mm, title[:26])
    if len(title) > 26:
        c.drawCentredString(width / 2, height - 70 * mm, title[26:])
    c.setFont(font, 14)
    if doc_no:
        c.drawCentredString(width / 2, height - 85 * mm, doc_no)
    y = height - 105 * mm
    for line in (f"申请人：{applicant}", "经审查，申请材料齐全、符合法定形式，依法作出本文件。",
                 "（演示数据，仅供系统试用。）",
                 f"{formed_on.year}年{formed_on.month}月{formed_on.day}日"):
        c.drawString(28 * mm, y, line)
        y -= 12 * mm
    c.showPage()
    c.save()
    return buf.getvalue()


def load(archive: Archive, echo=print) -> bool:
    """Load the demo data; safe to re-run (finishes an interrupted load, adds nothing twice).
    Returns False when everything was already there."""
    loaded_org = _load_organisation(archive)
    named = _name_users(archive)
    added = 0
    with tempfile.TemporaryDirectory() as tmp:
        for matter, title, formed_on, retention, doc_no, applicant, seed, case_no, doc_type in SAMPLES:
            path = Path(tmp) / "sample.pdf"
            path.write_bytes(sample_pdf(title, doc_no, applicant, formed_on))
            with archive.db.session() as s:
                if s.scalar(select(Record.id).where(Record.original_sha256 == digest_file(path).sha256)):
                    continue
            meta = Metadata(matter=matter, title=title, formed_on=formed_on.isoformat(),
                            retention=retention, doc_no=doc_no, applicant=applicant,
                            applicant_uscc=demo_uscc(seed), case_no=case_no, doc_type=doc_type)
            filed = file_record(archive, path, f"{case_no}.pdf", meta, Actor.console(name="demo-data"))
            echo(f"  {filed.archival_code}  {filed.custodian}  {title}")
            added += 1
    return _load_registers(archive) or loaded_org or named or added > 0


def _name_users(archive: Archive) -> bool:
    """Give the demo users of an older demo load (made before they had names) their 姓名."""
    names = {username: name for username, _, _, name in USERS}
    with archive.db.transaction() as s:
        unnamed = list(s.scalars(select(User).where(User.username.in_(names), User.display_name.is_(None))))
        for user in unnamed:
            user.display_name = names[user.username]
    return bool(unnamed)


def _load_registers(archive: Archive) -> bool:
    """A few register entries so the 审管联动 dashboard shows something on first look (no letters:
    those need LibreOffice and are made from the pages)."""

    with archive.db.session() as s:
        if s.scalar(select(LiaisonOfficer.id).limit(1)):
            return False
    spj, rsj = Actor.console("SPJ", "demo-data"), Actor.console("RSJ", "demo-data")
    today = localtime.today().isoformat()
    people = ((spj, "社会事务审批科", "张建国", "李娜"), (rsj, "劳动关系科", "陈志刚", "王晓敏"))
    for actor, unit, leader, officer in people:
        liaison.file_change(archive, actor, {"unit_name": unit, "position": "leader", "name": leader,
                                             "title": "副局长", "effective_from": today, "letter": False})
        liaison.file_change(archive, actor, {"unit_name": unit, "position": "liaison", "name": officer,
                                             "phone": "0915-3210000", "effective_from": today, "letter": False})
    pushes.send(archive, spj, {"flow": "approval_result", "receiver": "RSJ", "case_no": "LWPQ-2021-0011",
                               "content": "安康市秦巴劳务派遣有限公司劳务派遣经营许可：准予许可",
                               "channel": "platform"})
    pushes.send(archive, rsj, {"flow": "supervision", "receiver": "SPJ", "matter": "LWPQ",
                               "content": "双随机检查：安康市汉江人力资源有限公司未公示许可证，已责令整改",
                               "channel": "platform"})
    reviews.start(archive, spj, {"case_no": "RLZYFW-2023-0007", "kind": "现场实地核查", "mode": "independent",
                                 "time_limit_days": 10})
    return True


def _load_organisation(archive: Archive) -> bool:
    with archive.db.transaction() as s:
        if s.scalar(select(Agency).where(Agency.code == "SPJ")) is not None:
            return False
        units: dict[tuple[str, str], Unit] = {}
        agencies: dict[str, Agency] = {}
        for code, name, fonds, prefix, unit_list in AGENCIES:
            agency = Agency(code=code, name=name, fonds_code=fonds, doc_prefix=prefix,
                            reform_office="安康市行政审批制度改革工作领导小组办公室")  # 安康办法 第八条
            s.add(agency)
            s.flush()
            agencies[code] = agency
            for ucode, uname, default in unit_list:
                unit = Unit(agency_id=agency.id, code=ucode, name=uname, is_default=default)
                s.add(unit)
                units[(code, ucode)] = unit
        s.flush()
        for code, name, dep, dep_unit, appr, appr_unit, transfer, limit in MATTERS:
            s.add(Matter(code=code, name=name, department_id=agencies[dep].id,
                         approving_agency_id=agencies[appr].id, transfer_date=transfer,
                         time_limit_days=limit, department_unit_id=units[(dep, dep_unit)].id,
                         approving_unit_id=units[(appr, appr_unit)].id))
        for username, agency_code, role, name in USERS:
            create_user(s, username, agency_code.upper(), role, DEMO_PASSWORD, display_name=name, actor="demo-data")
        audit.append(s, actor="demo-data", action="demo.load", detail={"transfer_date": str(TRANSFER_DATE)})
    return True
