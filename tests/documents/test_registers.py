"""The 审管联动 registers as staff would use them: a joint special review from notice to conclusion to
decision to the approval-result push and its receipt; an objection leading to 撤销 and the
applicant notice; deadlines across years without a schedule; liaison changes on both sides of the
five-working-day rule."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from archive_app import documents
from archive_app.core import errors
from archive_app.intake import Actor
from archive_app.models import IssuedDocument, LiaisonOfficer, Push, SpecialReview
from archive_app.registers import dashboard, liaison, pushes, reviews
from archive_app.registers.deadlines import replace_schedule
from archive_app.workdays import Calendar
from tests import factories as f
from tests.documents.conftest import RSJ_STAFF, SPJ_STAFF

CASE = "SP-2026-0001"
APPLICANT = "安康市汉江人力资源服务有限公司"


@pytest.fixture
def case(archive, org, tmp_path) -> int:
    """An application for LWPQ after the transfer, with its 申请书 filed by SPJ."""
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes("劳务派遣经营许可申请书"), "apply.pdf",
                         formed_on="2026-11-02", case_no=CASE, applicant=APPLICANT, title="劳务派遣经营许可申请书")
    return filed.record_id


def _numbers(archive) -> int:
    with archive.db.session() as s:
        return s.scalar(select(func.count()).select_from(IssuedDocument))


def test_a_joint_special_review_from_notice_to_the_approval_result_receipt(archive, case, tmp_path, soffice) -> None:
    day = date(2026, 11, 23)
    review_id = reviews.start(archive, SPJ_STAFF, {
        "case_no": CASE, "kind": "专家评审", "mode": "joint", "partner_agency": "RSJ", "time_limit_days": 10,
        "content": "组织专家评审经营方案", "contact": "王晓敏", "phone": "0915-3210000"}, day)
    with archive.db.session() as s:
        review = s.get(SpecialReview, review_id)
        assert review.due_on == Calendar.from_db(s).deadline(day, 10).deadline and review.status == "open"
        assert review.notice_document.template_id == "joint-review-notice" and review.notice_document.status == "issued"
        notice_no = review.notice_document.doc_no
        push = s.get(Push, review.push_id)
        assert (push.flow, push.sender.code, push.receiver.code) == ("review_notice", "SPJ", "RSJ")
    # the partner signs for the notice; the lead cannot sign for it
    with pytest.raises(errors.Forbidden):
        pushes.receive(archive, SPJ_STAFF, review.push_id)
    pushes.receive(archive, RSJ_STAFF, review.push_id)
    # RSJ issues its conclusion letter (filed under the case) and pushes it back (第九条(四))
    letter = documents.get("review-conclusion-letter")
    conclusion = documents.issue(archive, letter.id, {**letter.example(), "notice_no": notice_no,
                                                      "review_kind": "专家评审"}, RSJ_STAFF, day)
    back = pushes.send(archive, RSJ_STAFF, {"flow": "review_conclusion", "receiver": "SPJ", "case_no": CASE,
                                            "record_ids": [conclusion.record_id], "content": "专家评审结论：符合条件",
                                            "channel": "platform", "review_id": review_id}, day)
    pushes.receive(archive, SPJ_STAFF, back)
    # no decision before the conclusion (第十四条)
    decision = f.file_bytes(archive, tmp_path, f.pdf_bytes("准予劳务派遣经营许可决定书"), "decision.pdf",
                            formed_on="2026-11-20", case_no=CASE, title="准予劳务派遣经营许可决定书")
    with pytest.raises(errors.Conflict):
        reviews.decide(archive, SPJ_STAFF, review_id, decision.record_id)
    with pytest.raises(errors.Validation):  # a record of another case is not this case's conclusion
        reviews.conclude(archive, SPJ_STAFF, review_id, 999999, "符合条件")
    reviews.conclude(archive, SPJ_STAFF, review_id, conclusion.record_id, "符合条件", day)
    reviews.decide(archive, SPJ_STAFF, review_id, decision.record_id)
    with archive.db.session() as s:
        assert reviews.describe(s.get(SpecialReview, review_id))["status"] == "decided"
    # the approval result goes to RSJ; its receipt is the responsibility hand-over (第六条)
    result_id = pushes.send(archive, SPJ_STAFF, {"flow": "approval_result", "receiver": "RSJ", "case_no": CASE,
                                                 "record_ids": [decision.record_id], "content": "准予许可",
                                                 "channel": "letter",
                                                 "letter": documents.get("approval-result-letter").example()}, day)
    with archive.db.session() as s:
        result = s.get(Push, result_id)
        assert result.document.doc_no.startswith("安行审函") and result.handover_at is None
    pushes.receive(archive, RSJ_STAFF, result_id)
    with pytest.raises(errors.Conflict):
        pushes.receive(archive, RSJ_STAFF, result_id)
    with archive.db.session() as s:
        result = s.get(Push, result_id)
        assert result.received_by == "rsj_correspondence" and result.handover_at == result.received_at
        from archive_app.records import reports

        summary = reports.build(s, "special-review-register", "SPJ", viewer=None)
    assert summary.rows[0][1:8] == [CASE, APPLICANT, "劳务派遣经营许可", "专家评审", "联合组织实施",
                                    "安康市人力资源和社会保障局", notice_no]
    assert summary.rows[0][9] == "符合条件"


def test_an_objection_leads_to_revocation_and_the_applicant_is_told(archive, case, soffice) -> None:
    day = date(2026, 11, 23)
    objection = pushes.send(archive, RSJ_STAFF, {
        "flow": "objection", "receiver": "SPJ", "case_no": CASE, "channel": "letter",
        "content": "发现申请人以欺骗手段取得许可", "letter": documents.get("license-action-letter").example()}, day)
    before = _numbers(archive)
    reply = {"flow": "objection", "reply_to": objection, "case_no": CASE, "channel": "letter",
             "content": "已撤销许可", "letter": documents.get("action-result-letter").example(),
             "applicant_letter": documents.get("applicant-notice").example()}
    # 未央 三（五）: 「区行政审批服务局认定属实的，应依法办理行政许可撤销手续」 — no answer before the 认定
    with pytest.raises(errors.Validation, match="认定"):
        pushes.send(archive, SPJ_STAFF, reply, day)
    with pytest.raises(errors.Validation, match="签收"):
        pushes.find(archive, SPJ_STAFF, objection, "true", "经核查，申请人提交虚假材料属实")
    pushes.receive(archive, SPJ_STAFF, objection)
    with pytest.raises(errors.Forbidden):  # the 认定 is the approving agency's
        pushes.find(archive, RSJ_STAFF, objection, "true", "属实")
    with pytest.raises(errors.Validation, match="理由"):
        pushes.find(archive, SPJ_STAFF, objection, "true", " ")
    pushes.find(archive, SPJ_STAFF, objection, "true", "经核查，申请人提交虚假材料属实")
    reply.pop("applicant_letter")
    with pytest.raises(errors.Validation) as caught:  # the applicant must be told as well
        pushes.send(archive, SPJ_STAFF, reply, day)
    assert "applicant_letter" in caught.value.extra["fields"] and _numbers(archive) == before
    with pytest.raises(errors.Validation):  # only the receiver answers a push
        pushes.send(archive, RSJ_STAFF, {**reply, "applicant_letter": documents.get("applicant-notice").example()}, day)
    answer = pushes.send(archive, SPJ_STAFF, {**reply, "applicant_letter": documents.get("applicant-notice").example()},
                         day)
    with archive.db.session() as s:
        push = s.get(Push, answer)
        assert push.receiver.code == "RSJ" and push.reply_to_id == objection
        assert push.applicant_document.template_id == "applicant-notice"
        assert push.applicant_document.record.custodian.code == "SPJ"
        assert push.document.template_id == "action-result-letter"  # SPJ's 处理结果 (第九条（五）)


def test_license_changes_need_evidence_and_agreements_bind_the_route(archive, case) -> None:
    with pytest.raises(errors.Validation) as caught:
        pushes.send(archive, RSJ_STAFF, {"flow": "license_change", "receiver": "SPJ", "case_no": CASE,
                                         "content": "许可证持有人已注销", "channel": "platform"})
    assert "record_ids" in caught.value.extra["fields"]
    pushes.set_agreement(archive, SPJ_STAFF, "LWPQ", "supervision", 3, "检查结果、处罚决定",
                         "supervision-info-letter", "letter")
    with pytest.raises(errors.Validation, match="函件") as caught:
        pushes.send(archive, RSJ_STAFF, {"flow": "supervision", "receiver": "SPJ", "matter": "LWPQ",
                                         "content": "检查结果", "channel": "platform"})
    assert "处罚决定" in caught.value.extra["fields"]["items"]  # 未央 三（四）: the agreed content is required
    push_id = pushes.send(archive, RSJ_STAFF, {"flow": "supervision", "receiver": "SPJ",
                                               "content": "检查结果", "channel": "platform"}, date(2026, 11, 23))
    with archive.db.session() as s:
        assert s.get(Push, push_id).time_limit_days == pushes.DEFAULT_SEND_DAYS


def test_deadlines_into_an_unloaded_year_warn_and_are_recomputed_when_it_is_loaded(archive, case) -> None:
    push_id = pushes.send(archive, RSJ_STAFF, {"flow": "policy", "receiver": "SPJ", "content": "政策变动",
                                               "policy_category": "政策变化", "channel": "platform"},
                          date(2026, 12, 28))
    with archive.db.session() as s:
        push = s.get(Push, push_id)
        # 12-29, 12-30, 12-31, then 2027 on weekdays only: 01-01 (Fri), 01-04 (Mon)
        assert (push.due_on, push.due_schedule_known) == (date(2027, 1, 4), False)
        assert "尚未载入节假日安排" in pushes.describe(push)["warning"]
    with archive.db.transaction() as s:
        replace_schedule(s, 2027, "date,kind,name\n2027-01-01,holiday,元旦\n", actor="admin")
    with archive.db.session() as s:
        push = s.get(Push, push_id)
        assert (push.due_on, push.due_schedule_known) == (date(2027, 1, 5), True)
        assert pushes.describe(push)["warning"] is None


def test_liaison_changes_respect_the_five_working_day_rule(archive, org, soffice) -> None:
    """第八条 「如有特殊原因确需变动更换的，所在单位须提前五个工作日报…备案」: a stated reason, five working
    days ahead, no waiver; a 分管领导 change is filed as such."""
    today = date(2026, 9, 28)  # a Monday before 国庆: the holiday stretches the five days
    first = liaison.file_change(archive, RSJ_STAFF, {"unit_name": "劳动关系科", "position": "liaison", "name": "王晓敏",
                                                     "phone": "0915-3210002", "effective_from": "2026-09-28"}, today)
    with archive.db.session() as s:
        earliest = Calendar.from_db(s).deadline(today, 5).deadline
    # 国庆节：10月1日至7日放假；9月20日（周日）、10月10日（周六）上班 → 9-29, 9-30, 10-8, 10-9, 10-10
    assert earliest == date(2026, 10, 10)
    change = {"unit_name": "劳动关系科", "position": "liaison", "name": "赵磊", "title": "科员",
              "phone": "0915-3210003", "effective_from": "2026-10-08", "reason": "原联络员岗位调整"}
    if date(2026, 10, 8) >= earliest:
        pytest.fail(f"the test assumes 10-08 is too early; earliest is {earliest}")
    with pytest.raises(errors.Validation, match="最早 2026年10月10日 生效"):
        liaison.file_change(archive, RSJ_STAFF, change, today)
    with pytest.raises(errors.Validation, match="特殊原因"):  # a change needs its reason
        liaison.file_change(archive, RSJ_STAFF, {**change, "reason": "", "effective_from": "2026-10-12"}, today)
    late = liaison.file_change(archive, RSJ_STAFF, {**change, "effective_from": earliest.isoformat()}, today)
    with archive.db.session() as s:
        assert s.get(LiaisonOfficer, first).effective_to == date.fromordinal(earliest.toordinal() - 1)
        row = s.get(LiaisonOfficer, late)
        assert row.document.template_id == "liaison-change-letter" and row.exception_reason == "原联络员岗位调整"
        assert '"role": "联络员"' in row.document.data and "安康市行政审批制度改革工作领导小组办公室" in row.document.data
        assert [r.name for r in liaison.pending(s, "RSJ", today)] == ["赵磊"]
        assert [r.name for r in liaison.current(s, "RSJ", today)] == ["王晓敏"]
        assert [r.name for r in liaison.current(s, "RSJ", earliest)] == ["赵磊"]
    leader = {"unit_name": "劳动关系科", "position": "leader", "name": "陈志刚", "title": "副局长",
              "effective_from": "2026-09-28"}
    liaison.file_change(archive, RSJ_STAFF, leader, today)
    urgent = {**leader, "name": "刘强", "effective_from": "2026-09-30", "reason": "原分管领导调离",
              "exception_reason": "原分管领导突发调离"}
    with pytest.raises(errors.Validation, match="提前5个工作日"):  # no waiver, whatever the form says
        liaison.file_change(archive, RSJ_STAFF, urgent, today)
    # the reform office is data: Weiyang files with its 区审改办 (未央 三（六）)
    liaison.set_reform_office(archive, Actor("rsj_admin", "RSJ", "admin"), "未央区行政审批制度改革工作领导小组办公室")
    moved = liaison.file_change(archive, RSJ_STAFF, {**urgent, "effective_from": "2026-10-12"}, today)
    with archive.db.session() as s:
        doc = s.get(LiaisonOfficer, moved).document
        assert '"role": "分管领导"' in doc.data and "未央区行政审批制度改革工作领导小组办公室" in doc.data
        assert "分管领导" in doc.title


def test_the_dashboard_counts_what_waits_for_each_agency(archive, case) -> None:
    """第九条（一）（四）: deadlines are the sender's; pushes to sign show how long they have waited."""
    day = date(2026, 11, 23)
    pushes.send(archive, RSJ_STAFF, {"flow": "policy", "receiver": "SPJ", "content": "a", "channel": "platform",
                                     "policy_category": "政策变化"}, date(2026, 11, 2))
    pushes.send(archive, RSJ_STAFF, {"flow": "policy", "receiver": "SPJ", "content": "b", "channel": "platform",
                                     "policy_category": "业务指导"}, date(2026, 11, 19))
    reviews.start(archive, SPJ_STAFF, {"case_no": CASE, "kind": "现场实地核查", "mode": "independent",
                                       "time_limit_days": 20}, date(2026, 10, 19))  # due 11-16: overdue
    with archive.db.session() as s:
        spj, rsj = dashboard.build(s, "SPJ", day), dashboard.build(s, "RSJ", day)
    assert spj.counts() == {"to_receive": 2, "awaiting_receipt": 0, "overdue": 1, "due_soon": 0, "reviews_open": 1,
                            "conclusions_owed": 0, "unpushed": 0, "liaison_pending": 0}
    assert rsj.counts()["awaiting_receipt"] == 2 and rsj.counts()["overdue"] == 0
    # 11-02 (Mon) → 11-23 (Mon): 15 working days waiting; the receiver owes no signing deadline
    assert sorted(spj.waited.values()) == [2, 15]


def test_deadlines_follow_the_spring_festival_and_its_make_up_days(archive, case) -> None:
    # 2026 春节: 2月15日至23日放假；2月14日（周六）、2月28日（周六）上班 (国办发明电〔2025〕7号)
    push_id = pushes.send(archive, RSJ_STAFF, {"flow": "policy", "receiver": "SPJ", "content": "节前推送",
                                               "policy_category": "业务指导", "channel": "platform",
                                               "event_on": "2026-02-12"}, date(2026, 2, 12))
    review_id = reviews.start(archive, SPJ_STAFF, {"case_no": CASE, "kind": "集体审查", "mode": "independent",
                                                   "time_limit_days": 8}, date(2026, 2, 12))
    with archive.db.session() as s:
        # 2-13, 2-14 (Saturday, worked), 2-24, 2-25, 2-26
        assert (s.get(Push, push_id).due_on, s.get(Push, push_id).due_schedule_known) == (date(2026, 2, 26), True)
        # … 2-27, 2-28 (Saturday, worked), 3-2
        assert s.get(SpecialReview, review_id).due_on == date(2026, 3, 2)


def test_a_unit_filing_form_is_issued_from_its_current_holders(archive, org, soffice) -> None:
    day = date(2026, 11, 23)
    with pytest.raises(errors.Validation, match="尚未备案"):
        liaison.filing_form(archive, RSJ_STAFF, "仲裁科", day)
    for position, name in (("leader", "陈志刚"), ("liaison", "王晓敏")):
        liaison.file_change(archive, RSJ_STAFF, {"unit_name": "仲裁科", "position": position, "name": name,
                                                 "mobile": "13900000000", "effective_from": "2026-11-23"}, day)
    doc_id = liaison.filing_form(archive, RSJ_STAFF, "仲裁科", day)
    with archive.db.session() as s:
        doc = s.get(IssuedDocument, doc_id)
        assert doc.template_id == "liaison-filing-form" and doc.doc_no == "安人社备〔2026〕1号"
        assert doc.record.custodian.code == "RSJ" and "陈志刚" in doc.data and "王晓敏" in doc.data
