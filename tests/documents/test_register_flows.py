"""The 审管联动 registers read against 《安康市集中审批与监管协调联动实施办法（试行）》 clause by clause
(issue 17): the directions of 第九条, the receiver's 收文, custody by record category (第十条 concerns
审批业务档案 only), special reviews organised by the approving agency (第十二条) and decided on the
partner's conclusions (第十四条), the sender's deadlines."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlalchemy import func, select

from archive_app import documents
from archive_app.core import errors, localtime
from archive_app.intake import Actor
from archive_app.models import (
    FLOW_SENDERS,
    Agency,
    AuditEntry,
    Case,
    IssuedDocument,
    Matter,
    Push,
    Record,
    SpecialReview,
    Unit,
    User,
)
from archive_app.models.registers import FORM_FLOWS
from archive_app.organisation.access import Action, can
from archive_app.organisation.users import create_user
from archive_app.records import transfer
from archive_app.registers import dashboard, pushes, reviews
from tests import factories as f
from tests.conftest import PASSWORD
from tests.documents.conftest import RSJ_STAFF, SPJ_STAFF

CASE = "SP-2026-0002"
APPLICANT = "安康市汉江人力资源服务有限公司"
DAY = date(2026, 11, 23)
RSJ_CLERK = Actor("rsj_clerk", "RSJ", "clerk")
SPJ_CLERK = Actor("spj_clerk", "SPJ", "clerk")
CLAUSE_ITEMS = {"approval_result": "（一）", "review_notice": "（二）", "supervision": "（三）",
                "review_conclusion": "（四）", "objection": "（五）", "license_change": "（六）", "policy": "（七）"}


@pytest.fixture
def case(archive, org, tmp_path) -> int:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes("劳务派遣经营许可申请书"), "apply.pdf",
                         formed_on="2026-11-02", case_no=CASE, applicant=APPLICANT, title="劳务派遣经营许可申请书")
    return filed.record_id


@pytest.fixture
def evidence(archive, case, tmp_path) -> int:
    """RSJ's own inspection record of the matter, filed after the transfer date (第四条 事中事后监管)."""
    return f.file_bytes(archive, tmp_path, f.pdf_bytes("劳务派遣单位现场检查记录"), "inspection.pdf",
                        actor=RSJ_CLERK, formed_on="2026-11-16", category="supervision",
                        title="劳务派遣单位现场检查记录").record_id


def _user(archive, name: str, agency: str, role: str = "clerk") -> User:
    with archive.db.transaction() as s:
        create_user(s, name, agency, role, PASSWORD)
    with archive.db.session() as s:
        user = s.scalar(select(User).where(User.username == name))
        s.expunge(user)
        return user


def _push(flow: str, receiver: str, evidence: int | None = None) -> dict:
    data = {"flow": flow, "receiver": receiver, "case_no": CASE, "content": "测试推送", "channel": "platform"}
    if flow == "policy":
        data.update(case_no=None, policy_category="政策变化")
    if flow == "license_change":
        data["record_ids"] = [evidence]
    return data


@pytest.mark.parametrize("flow", list(FORM_FLOWS))  # the 审批标准 (第三条) goes with its version
def test_each_flow_goes_the_way_article_nine_says(archive, evidence, flow) -> None:
    """第九条: （一）（二） from the approving agency to the department, （三）至（七） the other way."""
    right, wrong = (SPJ_STAFF, RSJ_STAFF) if FLOW_SENDERS[flow] == "approving" else (RSJ_STAFF, SPJ_STAFF)
    other = {"SPJ": "RSJ", "RSJ": "SPJ"}
    with pytest.raises(errors.Validation) as caught:
        pushes.send(archive, wrong, _push(flow, other[wrong.agency_code], evidence), DAY)
    message = caught.value.message
    assert f"第九条第{CLAUSE_ITEMS[flow]}项" in message and "推送方向不符" in message
    assert "flow" in caught.value.extra["fields"]
    push_id = pushes.send(archive, right, _push(flow, other[right.agency_code], evidence), DAY)
    with archive.db.session() as s:
        push = s.get(Push, push_id)
        assert (push.sender.code, push.receiver.code) == (right.agency_code, other[right.agency_code])


def test_the_hand_over_is_recorded_only_for_an_approval_result_from_spj_to_rsj(archive, evidence) -> None:
    """第六条 「市人力资源和社会保障局接收到审批信息后履行监管职责」."""
    supervision = pushes.send(archive, RSJ_STAFF, _push("supervision", "SPJ"), DAY)
    pushes.receive(archive, SPJ_STAFF, supervision)
    result = pushes.send(archive, SPJ_STAFF, _push("approval_result", "RSJ"), DAY)
    pushes.receive(archive, RSJ_STAFF, result)
    with archive.db.session() as s:
        assert s.get(Push, supervision).handover_at is None
        assert s.get(Push, result).handover_at == s.get(Push, result).received_at


def test_a_third_department_pushes_by_its_role_for_the_matter_without_code(archive, org, tmp_path) -> None:
    """第九条 directions are data: a department that is no agency code in the program sends （三） for its own
    matter and receives （一） with the 第六条 hand-over; RSJ, not that matter's department, may do neither."""
    with archive.db.transaction() as s:
        zjj = Agency(code="ZJJ", name="安康市住房和城乡建设局", fonds_code="J004", doc_prefix="安住建")
        s.add(zjj)
        s.flush()
        s.add(Unit(agency_id=zjj.id, code="JZK", name="建筑市场监管科", is_default=True))
        s.add(Matter(code="JZQY", name="建筑业企业资质核准", department_id=zjj.id,
                     approving_agency_id=s.scalar(select(Agency.id).where(Agency.code == "SPJ")),
                     transfer_date=date(2022, 3, 1)))
    zjj_staff = Actor("zjj_correspondence", "ZJJ", "correspondence")
    decision = f.file_bytes(archive, tmp_path, f.pdf_bytes("建筑业企业资质核准决定书"), "jz.pdf", matter="JZQY",
                            formed_on="2026-11-16", case_no="JZQY-2026-0001", applicant="安康市汉滨建设工程有限公司",
                            title="建筑业企业资质核准决定书")
    supervision = {"flow": "supervision", "matter": "JZQY", "content": "双随机抽查结果", "channel": "platform"}
    pushes.send(archive, zjj_staff, {**supervision, "receiver": "SPJ"}, DAY)
    with pytest.raises(errors.Validation, match="第九条第（三）项"):  # RSJ is not this matter's department
        pushes.send(archive, RSJ_STAFF, {**supervision, "receiver": "SPJ"}, DAY)
    result = {"flow": "approval_result", "case_no": "JZQY-2026-0001", "content": "准予",
              "channel": "platform", "record_ids": [decision.record_id]}
    with pytest.raises(errors.Validation, match="第九条第（一）项"):  # the result goes to the matter's department
        pushes.send(archive, SPJ_STAFF, {**result, "receiver": "RSJ"}, DAY)
    push_id = pushes.send(archive, SPJ_STAFF, {**result, "receiver": "ZJJ"}, DAY)
    [copy] = pushes.receive(archive, zjj_staff, push_id)
    with archive.db.session() as s:
        push = s.get(Push, push_id)
        assert push.handover_at == push.received_at is not None
        assert s.get(Record, copy).custodian.code == "ZJJ" and s.get(Record, copy).archival_code.startswith("J004-")


def test_a_chosen_letter_must_be_addressed_to_the_receiver_of_its_push(archive, org, soffice) -> None:
    """A letter already issued from the 公文 pages and chosen for a push (`document_id`) is held to the same
    主送机关 rule as one generated with the push."""
    example = documents.get("supervision-info-letter").example()
    elsewhere = documents.issue(archive, "supervision-info-letter",
                                {**example, "receiver": "安康市行政审批制度改革工作领导小组办公室"}, RSJ_STAFF, DAY)
    addressed = documents.issue(archive, "supervision-info-letter", {**example, "receiver": "安康市行政审批服务局"},
                                RSJ_STAFF, DAY)
    data = {"flow": "supervision", "receiver": "SPJ", "matter": "LWPQ", "content": "检查结果", "channel": "letter"}
    with pytest.raises(errors.Validation, match="主送机关「安康市行政审批制度改革工作领导小组办公室」"):
        pushes.send(archive, RSJ_STAFF, {**data, "document_id": elsewhere.id}, DAY)
    pushes.send(archive, RSJ_STAFF, {**data, "document_id": addressed.id}, DAY)


def test_a_letter_must_be_addressed_to_the_receiver_of_its_push(archive, org) -> None:
    """The browser journey once had SPJ send a policy letter addressed to itself."""
    letter = {**documents.get("policy-transmittal-letter").example(), "receiver": "安康市人力资源和社会保障局"}
    with pytest.raises(errors.Validation, match="主送机关"):
        pushes.send(archive, RSJ_STAFF, {"flow": "policy", "receiver": "SPJ", "content": "转发", "channel": "letter",
                                         "policy_category": "政策变化", "letter": letter}, DAY)
    with pytest.raises(errors.Validation, match="主送机关不能是发文机关本身"):  # nor issued on its own
        documents.issue(archive, "policy-transmittal-letter", letter, RSJ_STAFF, DAY)
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(IssuedDocument)) == 0  # no number spent


def test_a_policy_push_names_its_category_from_both_texts(archive, org) -> None:
    """第九条（七） and 未央 三（一）: 政策变化、行业发展规范调整、业务指导; 审批标准 is not a policy
    category (a new standard is its own flow under 第三条, 未央 三（二）)."""
    base = {"flow": "policy", "receiver": "SPJ", "content": "转发", "channel": "platform"}
    with pytest.raises(errors.Validation) as caught:
        pushes.send(archive, RSJ_STAFF, base, DAY)
    assert "行业发展规范调整" in caught.value.extra["fields"]["policy_category"]
    for category in ("政策变化", "行业发展规范调整", "业务指导", "资质、资格考试"):
        pushes.send(archive, RSJ_STAFF, {**base, "policy_category": category}, DAY)
    with pytest.raises(errors.Validation):
        pushes.send(archive, RSJ_STAFF, {**base, "policy_category": "审批标准"}, DAY)


def test_the_receiver_files_what_it_was_sent_as_its_own_received_record(archive, case, evidence, tmp_path,
                                                                          soffice) -> None:
    """第九条（二） 「将…联办通知单、委托书及相关材料推送」 and （六） 「并提供相关证明材料」: the receiver
    reads what it was sent, as a 收文 record of its own; the sender's custody does not change."""
    rsj_user, spj_user = _user(archive, "rsj_reader", "RSJ"), _user(archive, "spj_reader", "SPJ")
    review_id = reviews.start(archive, SPJ_STAFF, {
        "case_no": CASE, "kind": "专家评审", "mode": "joint", "partner_agency": "RSJ", "time_limit_days": 10,
        "content": "组织专家评审经营方案", "contact": "王晓敏", "phone": "0915-3210000"}, DAY)
    with archive.db.session() as s:
        review = s.get(SpecialReview, review_id)
        notice_record, notice_push = review.notice_document.record_id, review.push_id
        assert not can(rsj_user, Action.READ_CONTENT, s.get(Record, notice_record), session=s)
    filed = pushes.receive(archive, RSJ_STAFF, notice_push)
    with archive.db.session() as s:
        [copy] = [s.get(Record, i) for i in filed]
        source = s.get(Record, notice_record)
        assert (copy.custodian.code, copy.category, copy.source_record_id, copy.push_id) == \
            ("RSJ", "received", notice_record, notice_push)
        assert copy.received_on == localtime.today() and copy.archival_code.startswith("J002-")
        assert copy.case.case_no == CASE and copy.title == source.title
        assert can(rsj_user, Action.READ_CONTENT, copy, session=s)
        assert source.custodian.code == "SPJ" and len(source.custody_changes) == 1
        assert {f.role for f in copy.files} <= {"original", "rendition", "stamped"}  # no .docx draft
        # the audit trail shows both: the sender filing its notice, the receiver filing its 收文 of it
        filings = {e.object_id: (e.agency_code, json.loads(e.detail)) for e in s.scalars(
            select(AuditEntry).where(AuditEntry.action == "record.file"))}
        assert filings[str(notice_record)][0] == "SPJ"
        agency, detail = filings[str(copy.id)]
        assert (agency, detail["category"], detail["source_record_id"], detail["push_id"]) == \
            ("RSJ", "received", notice_record, notice_push)
        receipt = s.scalar(select(AuditEntry).where(AuditEntry.action == "push.receive",
                                                    AuditEntry.object_id == str(notice_push)))
        assert json.loads(receipt.detail)["received_records"] == [copy.id]
    # evidence pushed by RSJ (第九条（六）) is read by SPJ from its own 收文
    change = pushes.send(archive, RSJ_STAFF, _push("license_change", "SPJ", evidence), DAY)
    [evidence_copy] = pushes.receive(archive, SPJ_STAFF, change)
    with archive.db.session() as s:
        copy = s.get(Record, evidence_copy)
        assert copy.custodian.code == "SPJ" and can(spj_user, Action.READ_CONTENT, copy, session=s)
        assert s.get(Record, evidence).custodian.code == "RSJ"
        # a transfer-date correction moves neither RSJ's supervision record nor SPJ's 收文
        moved = {m.record_id for m in transfer.preview(s, "LWPQ", date(2026, 12, 1))}
        assert case in moved and not moved & {evidence, evidence_copy, notice_record, *filed}


def test_supervision_records_are_filed_by_the_department_whatever_their_date(archive, case, tmp_path) -> None:
    """第三条 「谁主管谁监管」, 第四条: RSJ's inspections after the transfer date are its own to keep."""
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes("双随机抽查结果"), "random.pdf", actor=RSJ_CLERK,
                         formed_on="2026-10-09", category="supervision", title="双随机抽查结果")
    assert filed.custodian == "RSJ"
    with pytest.raises(errors.WrongCustodian):  # SPJ does not keep supervision records
        f.file_bytes(archive, tmp_path, f.pdf_bytes("行政处罚决定书"), "penalty.pdf", actor=SPJ_CLERK,
                     formed_on="2026-10-09", category="supervision", title="行政处罚决定书")
    with pytest.raises(errors.WrongCustodian):  # an approval record after the transfer stays SPJ's
        f.file_bytes(archive, tmp_path, f.pdf_bytes("审批决定"), "approval.pdf", actor=RSJ_CLERK,
                     formed_on="2026-10-09", title="审批决定")
    with pytest.raises(errors.Validation, match="档案类别"):
        f.file_bytes(archive, tmp_path, f.pdf_bytes("收文"), "r.pdf", actor=RSJ_CLERK, formed_on="2026-10-09",
                     category="received", title="收文")


def test_a_transfer_date_correction_never_moves_issued_letters(archive, case, soffice) -> None:
    """第十条 concerns 审批业务档案; a one-day correction once moved RSJ's 2026 letters to SPJ."""
    letter = {**documents.get("supervision-info-letter").example(), "receiver": "安康市行政审批服务局",
              "matter": "LWPQ"}
    issued = documents.issue(archive, "supervision-info-letter", letter, RSJ_STAFF, DAY)
    with archive.db.transaction() as s:
        letter_record = s.get(Record, issued.record_id)
        # a record of the matter, so the correction looks at it (and under 第十条 would move it to SPJ)
        assert (letter_record.category, letter_record.matter.code, letter_record.custodian.code) == \
            ("issued", "LWPQ", "RSJ")
        moves = transfer.apply(s, "LWPQ", date(2021, 7, 2), "admin")
        assert issued.record_id not in [m.record_id for m in moves]
    with archive.db.session() as s:
        assert s.get(Record, issued.record_id).custodian.code == "RSJ"


def test_only_the_approving_agency_organises_special_reviews(archive, case) -> None:
    """第十二条: independent, joint and entrusted reviews are all organised by 市行政审批服务局."""
    for mode in ("independent", "joint", "entrusted"):  # RSJ neither organises nor leads one for an SPJ case
        with pytest.raises(errors.Forbidden, match="第十二条"):
            reviews.start(archive, RSJ_STAFF, {"case_no": CASE, "kind": "现场实地核查", "mode": mode,
                                               "partner_agency": "SPJ", "partner": "安康市行政审批服务局",
                                               "time_limit_days": 5}, DAY)
    with pytest.raises(errors.Validation, match="其他"):  # 第十一条 「主要包括…等」: 其他 needs its name
        reviews.start(archive, SPJ_STAFF, {"case_no": CASE, "kind": "其他", "mode": "independent",
                                           "time_limit_days": 5}, DAY)
    rid = reviews.start(archive, SPJ_STAFF, {"case_no": CASE, "kind": "其他", "kind_note": "人员资格核验",
                                             "mode": "independent", "time_limit_days": 5}, DAY)
    with archive.db.session() as s:
        assert reviews.describe(s.get(SpecialReview, rid))["kind_label"] == "其他（人员资格核验）"


def test_the_partner_sees_names_participants_and_only_its_conclusion_counts(archive, case, evidence, tmp_path,
                                                                            soffice) -> None:
    """第八条（三）, 第九条（四）, 第十四条."""
    start = date(2026, 11, 2)
    review_id = reviews.start(archive, SPJ_STAFF, {
        "case_no": CASE, "kind": "现场实地核查", "mode": "joint", "partner_agency": "RSJ", "time_limit_days": 5,
        "content": "核查经营场所", "contact": "王晓敏", "phone": "0915-3210000"}, start)
    with archive.db.session() as s:
        assert [r.id for r in reviews.register(s, "RSJ")] == [review_id]
        owed = dashboard.build(s, "RSJ", date(2026, 11, 12))
        assert [r.id for r in owed.conclusions_owed] == [review_id] and owed.overdue == owed.conclusions_owed
        push_id = s.get(SpecialReview, review_id).push_id
    with pytest.raises(errors.Forbidden):  # participants are named by the partner
        reviews.assign_participants(archive, SPJ_STAFF, review_id, "张三")
    reviews.assign_participants(archive, RSJ_STAFF, review_id, "王晓敏（劳动关系科科长）、赵磊（科员）")
    with pytest.raises(errors.Forbidden):  # the partner does not link conclusions itself
        reviews.conclude(archive, RSJ_STAFF, review_id, evidence, "符合")
    with pytest.raises(errors.Conflict, match="尚未推送审查结论"):
        reviews.conclude(archive, SPJ_STAFF, review_id, case, "符合")
    pushes.receive(archive, RSJ_STAFF, push_id)
    late_day = date(2026, 11, 12)  # due 11-09
    back = pushes.send(archive, RSJ_STAFF, {"flow": "review_conclusion", "receiver": "SPJ", "case_no": CASE,
                                            "review_id": review_id, "record_ids": [evidence],
                                            "content": "现场核查结论：符合条件", "channel": "platform"}, late_day)
    with pytest.raises(errors.Validation, match="已经推送"):  # one conclusion per review
        pushes.send(archive, RSJ_STAFF, {"flow": "review_conclusion", "receiver": "SPJ", "case_no": CASE,
                                         "review_id": review_id, "content": "again", "channel": "platform"}, late_day)
    with pytest.raises(errors.Validation, match="推送的审查结论"):  # SPJ's own 申请书 is no conclusion
        reviews.conclude(archive, SPJ_STAFF, review_id, case, "符合")
    [copy] = pushes.receive(archive, SPJ_STAFF, back)
    reviews.conclude(archive, SPJ_STAFF, review_id, copy, "符合条件", late_day)
    with archive.db.session() as s:
        info = reviews.describe(s.get(SpecialReview, review_id))
        assert info["delivered_on"] == "2026-11-12" and info["late"] is True
        assert info["participants"].startswith("王晓敏") and info["conclusion_push_id"] == back
        assert s.get(Push, back).due_on == date(2026, 11, 9)  # the review's own due date
        assert dashboard.build(s, "RSJ", late_day).conclusions_owed == []


def test_a_review_is_late_by_the_day_the_partner_delivered_not_the_day_the_lead_linked_it(archive, case, evidence,
                                                                                         soffice) -> None:
    """第九条（四） 「在规定时限内将…特别审查程序审查结论及时推送市行政审批服务局」: the time duty is RSJ's and
    ends when it pushes; SPJ linking the conclusion later does not make RSJ late."""
    review_id = reviews.start(archive, SPJ_STAFF, {
        "case_no": CASE, "kind": "现场实地核查", "mode": "joint", "partner_agency": "RSJ", "time_limit_days": 5,
        "content": "核查经营场所", "contact": "王晓敏", "phone": "0915-3210000"}, date(2026, 11, 2))
    with archive.db.session() as s:
        review = s.get(SpecialReview, review_id)
        assert review.due_on == date(2026, 11, 9)
        pushes.receive(archive, RSJ_STAFF, review.push_id)
    on_time = date(2026, 11, 6)
    back = pushes.send(archive, RSJ_STAFF, {"flow": "review_conclusion", "receiver": "SPJ", "review_id": review_id,
                                            "record_ids": [evidence], "content": "现场核查结论：符合条件",
                                            "channel": "platform"}, on_time)
    [copy] = pushes.receive(archive, SPJ_STAFF, back)
    linked = date(2026, 11, 20)  # SPJ links it eleven days after the due date
    reviews.conclude(archive, SPJ_STAFF, review_id, copy, "符合条件", linked)
    with archive.db.session() as s:
        review = s.get(SpecialReview, review_id)
        info = reviews.describe(review)
        assert (info["delivered_on"], info["concluded_on"], info["late"]) == ("2026-11-06", "2026-11-20", False)
        assert not reviews.is_late(review, linked) and not pushes.describe(s.get(Push, back))["sent_late"]
        assert dashboard.build(s, "SPJ", linked).overdue == [] == dashboard.build(s, "RSJ", linked).overdue


def test_a_case_is_decided_only_when_all_its_reviews_are_concluded(archive, case, tmp_path) -> None:
    """第十四条 「依据特别审查程序审查结论和其他法定条件作出行政许可决定」: every review's conclusion first; for an
    independent review SPJ's own conclusion record, not any record of the case (its 申请书 predates the review)."""
    opened = date(2026, 11, 16)
    first = reviews.start(archive, SPJ_STAFF, {"case_no": CASE, "kind": "现场实地核查", "mode": "independent",
                                               "time_limit_days": 5}, opened)
    reviews.start(archive, SPJ_STAFF, {"case_no": CASE, "kind": "听证", "mode": "independent",
                                       "time_limit_days": 5}, opened)
    with pytest.raises(errors.Validation, match="形成于审查开始"):
        reviews.conclude(archive, SPJ_STAFF, first, case, "符合条件", DAY)
    report = f.file_bytes(archive, tmp_path, f.pdf_bytes("现场核查报告"), "report.pdf", formed_on="2026-11-20",
                          case_no=CASE, title="现场核查报告")
    reviews.conclude(archive, SPJ_STAFF, first, report.record_id, "符合条件", DAY)
    decision = f.file_bytes(archive, tmp_path, f.pdf_bytes("准予许可决定书"), "decision.pdf", formed_on="2026-11-20",
                            case_no=CASE, title="准予劳务派遣经营许可决定书")
    with pytest.raises(errors.Conflict, match="听证"):
        reviews.decide(archive, SPJ_STAFF, first, decision.record_id)


def test_decided_cases_not_yet_pushed_wait_on_the_approving_agency(archive, case) -> None:
    """第九条（一） 「推送审批办结事项基本信息」 and 未央 三（四） 「审批业务办结后…及时推送」."""
    with archive.db.transaction() as s:
        decided = s.scalar(select(Case).where(Case.case_no == CASE))
        decided.status, decided.decided_on = "decided", date(2026, 11, 16)
    with archive.db.session() as s:
        board = dashboard.build(s, "SPJ", DAY)
        [item] = board.unpushed
        # 11-16 (Mon) + 5 working days = 11-23; five working days have passed by 11-23
        assert (item.case.case_no, item.days_since, item.due_on) == (CASE, 5, date(2026, 11, 23))
        assert item in board.due_soon and dashboard.build(s, "RSJ", DAY).unpushed == []
    push_id = pushes.send(archive, SPJ_STAFF, _push("approval_result", "RSJ"), date(2026, 11, 24))
    with archive.db.session() as s:
        push = s.get(Push, push_id)
        assert push.event_on == date(2026, 11, 16) and pushes.describe(push)["sent_late"] is True
        assert dashboard.build(s, "SPJ", DAY).unpushed == []


SUMMARY_CSV = ("事项代码,特别审查程序,程序说明,实施方式,依据,时限,配合单位\n"
               "LWPQ,现场实地核查,,联合,《劳务派遣行政许可实施办法》第八条,10,安康市人力资源和社会保障局\n"
               "LWPQ,其他,经营方案论证,独立,《劳务派遣行政许可实施办法》第六条,5,\n").encode()


def test_the_summary_table_is_data_per_matter_and_its_report_keeps_the_attachment_name(archive, case, tmp_path,
                                                                                      soffice) -> None:
    """安康办法 附件 「市行政审批服务局行政许可事项特别审查程序汇总表」; the per-case log is the 登记簿."""
    from archive_app.models import ReviewProcedure
    from archive_app.records import reports
    from archive_app.registers import procedures

    spj_admin, rsj_admin = Actor("spj_admin", "SPJ", "admin"), Actor("rsj_admin", "RSJ", "admin")
    with pytest.raises(errors.Validation, match="审批部门"):  # the approving agency keeps it
        procedures.import_csv(archive, rsj_admin, SUMMARY_CSV)
    with pytest.raises(errors.Validation, match="第 2 行"):  # all rows or none
        procedures.import_csv(archive, spj_admin, SUMMARY_CSV.replace("联合".encode(), "合办".encode()))
    assert procedures.import_csv(archive, spj_admin, SUMMARY_CSV) == 2
    with archive.db.session() as s:
        rows = procedures.listing(s, "SPJ")
        assert [(r.kind, r.mode, r.time_limit_days) for r in rows] == [("现场实地核查", "joint", 10),
                                                                     ("其他", "independent", 5)]
        joint = rows[0].id
        summary = reports.build(s, "special-review-summary", "SPJ", viewer=None)
    assert summary.title == "市行政审批服务局行政许可事项特别审查程序汇总表"
    assert summary.rows[1][1:6] == ["劳务派遣经营许可（LWPQ）", "其他（经营方案论证）", "独立",
                                    "《劳务派遣行政许可实施办法》第六条", "5个工作日"]
    pdf, media, _ = reports.export(summary, "pdf")
    assert media == "application/pdf" and pdf.startswith(b"%PDF")
    # a new review is prefilled from the table
    review_id = reviews.start(archive, SPJ_STAFF, {"case_no": CASE, "procedure_id": joint, "partner_agency": "RSJ",
                                                   "content": "核查经营场所",
                                                   "contact": "王晓敏", "phone": "0915-3210000"}, DAY)
    with archive.db.session() as s:
        review = s.get(SpecialReview, review_id)
        assert (review.kind, review.mode, review.time_limit_days, review.partner) == \
            ("现场实地核查", "joint", 10, "安康市人力资源和社会保障局")
        register = reports.build(s, "special-review-register", "RSJ", viewer=None)  # the partner's log
        assert register.title == "特别审查程序登记簿" and register.rows[0][1] == CASE
        assert s.scalar(select(func.count()).select_from(ReviewProcedure)) == 2


def test_an_agreed_letter_route_sends_the_notice_itself_and_orphans_no_number(archive, case, soffice) -> None:
    """未央 三（四） 途径: a 联办通知单 agreed to go by letter is the push's letter, not a stray number."""
    pushes.set_agreement(archive, SPJ_STAFF, "LWPQ", "review_notice", 3, "审查内容、完成时限", "joint-review-notice",
                         "letter")
    data = {"case_no": CASE, "kind": "专家评审", "mode": "joint", "partner_agency": "RSJ", "time_limit_days": 10,
            "content": "组织专家评审经营方案", "contact": "王晓敏", "phone": "0915-3210000"}
    with pytest.raises(errors.Validation, match="审查内容"):  # the agreed items are refused before any number
        reviews.start(archive, SPJ_STAFF, data, DAY)
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(IssuedDocument)) == 0
    review_id = reviews.start(archive, SPJ_STAFF, {**data, "items": {"审查内容": "经营方案", "完成时限": "10个工作日"}},
                              DAY)
    with archive.db.session() as s:
        review = s.get(SpecialReview, review_id)
        push = s.get(Push, review.push_id)
        assert push.channel == "letter" and push.document_id == review.notice_document_id
        assert s.scalar(select(func.count()).select_from(IssuedDocument)) == 1


def test_an_agreement_binds_the_time_content_format_and_route_of_a_push(archive, case, soffice) -> None:
    """未央 三（四） 「推送的时间、内容、格式、途径由双方协商确定」: the time is the sender's due date, the content
    items are required, the format is the structured form or one letter template, the route is enforced."""
    admin = Actor("spj_admin", "SPJ", "admin")
    with pytest.raises(errors.Validation, match="以函件途径推送时，格式应为函件模板"):
        pushes.set_agreement(archive, admin, "LWPQ", "supervision", 3, "检查结果、处罚决定", "form", "letter")
    pushes.set_agreement(archive, admin, "LWPQ", "supervision", 3, "检查结果、处罚决定", "form", "platform")
    letter = {**documents.get("supervision-info-letter").example(), "receiver": "安康市行政审批服务局"}
    issued = documents.issue(archive, "supervision-info-letter", letter, RSJ_STAFF, DAY)
    push = {"flow": "supervision", "receiver": "SPJ", "matter": "LWPQ", "content": "日常检查", "channel": "platform",
            "event_on": "2026-11-16", "items": {"检查结果": "发现未按规定订立劳动合同"}}
    with pytest.raises(errors.Validation) as caught:  # content: the agreed item 处罚决定 is missing
        pushes.send(archive, RSJ_STAFF, push, DAY)
    assert caught.value.extra["fields"]["items"] == "按双方约定须填写：处罚决定"
    push["items"]["处罚决定"] = "责令改正"
    with pytest.raises(errors.Validation, match="信息平台"):  # route
        pushes.send(archive, RSJ_STAFF, {**push, "channel": "letter", "letter": letter}, DAY)
    with pytest.raises(errors.Validation, match="结构化信息"):  # format: the form carries no letter
        pushes.send(archive, RSJ_STAFF, {**push, "document_id": issued.id}, DAY)
    push_id = pushes.send(archive, RSJ_STAFF, push, DAY)
    with archive.db.session() as s:
        sent = s.get(Push, push_id)
        # time: 3 working days after the inspection of Monday 11-16 → 11-19; sent 11-23, late
        assert (sent.time_limit_days, sent.due_on) == (3, date(2026, 11, 19)) and pushes.describe(sent)["sent_late"]
        assert pushes.describe(sent)["items"] == {"检查结果": "发现未按规定订立劳动合同", "处罚决定": "责令改正"}
    # a letter template as the agreed format: the push must carry that letter, even on the platform route
    pushes.set_agreement(archive, admin, "LWPQ", "supervision", 3, "检查结果", "supervision-info-letter", "platform")
    with pytest.raises(errors.Validation, match="监管执法信息告知函"):
        pushes.send(archive, RSJ_STAFF, {**push, "items": {"检查结果": "合格"}}, DAY)
    pushes.send(archive, RSJ_STAFF, {**push, "items": {"检查结果": "合格"}, "document_id": issued.id}, DAY)
    # the agreed format of the 联办通知单 route decides the notice: a 委托书 was agreed, a joint notice is refused
    # before it takes a number; under the structured form the notice goes as one of the 相关材料 (第九条（二）)
    pushes.set_agreement(archive, admin, "LWPQ", "review_notice", 2, "审查内容", "review-entrustment", "letter")
    review = {"case_no": CASE, "kind": "专家评审", "mode": "joint", "partner_agency": "RSJ", "time_limit_days": 10,
              "content": "组织专家评审经营方案", "contact": "王晓敏", "phone": "0915-3210000",
              "items": {"审查内容": "经营方案"}}
    with archive.db.session() as s:
        numbers = s.scalar(select(func.count()).select_from(IssuedDocument))
    with pytest.raises(errors.Validation, match="委托书"):
        reviews.start(archive, SPJ_STAFF, review, DAY)
    with archive.db.session() as s:
        assert s.scalar(select(func.count()).select_from(IssuedDocument)) == numbers
    pushes.set_agreement(archive, admin, "LWPQ", "review_notice", 2, "审查内容", "form", "platform")
    review_id = reviews.start(archive, SPJ_STAFF, review, DAY)
    with archive.db.session() as s:
        row = s.get(SpecialReview, review_id)
        notice = s.get(Push, row.push_id)
        assert notice.document_id is None and json.loads(notice.record_ids) == [row.notice_document.record_id]


def test_a_form_agreed_by_letter_before_the_rule_moves_to_the_platform(archive, case, overrides, soffice) -> None:
    """未央 三（四） 格式、途径: the structured form carries no letter, so an agreement saved earlier as form +
    函件 left every push of its flow refused twice over (route 函件, yet no letter) and no joint review could
    open. Migration 0015 moves such rows to the platform, and the table refuses the pair from then on."""
    from alembic import command
    from sqlalchemy import text
    from sqlalchemy.exc import IntegrityError

    from archive_app.core import schema_upgrade

    cfg = schema_upgrade.alembic_config(overrides["database_url"])
    archive.db.dispose()
    command.downgrade(cfg, "0014")  # the schema as it was when the pair could be saved
    try:
        with archive.db.transaction() as s:
            matter = s.scalar(select(Matter.id).where(Matter.code == "LWPQ"))
            for flow, items in (("supervision", "检查结果"), ("review_notice", "审查内容")):
                s.execute(text("INSERT INTO push_agreements (matter_id, flow, time_limit_days, content_items, format,"
                               " route, updated_by, updated_at) VALUES (:m, :f, 3, :i, 'form', 'letter', 'spj_admin',"
                               " :at)"), {"m": matter, "f": flow, "i": items, "at": DAY})
        archive.db.dispose()
    finally:
        command.upgrade(cfg, "head")
    with archive.db.session() as s:
        rows = s.execute(text("SELECT flow, format, route, updated_by FROM push_agreements ORDER BY flow")).all()
    assert [tuple(r) for r in rows] == [("review_notice", "form", "platform", "migration-0015"),
                                        ("supervision", "form", "platform", "migration-0015")]
    push = {"flow": "supervision", "receiver": "SPJ", "matter": "LWPQ", "content": "日常检查", "channel": "platform",
            "event_on": "2026-11-16", "items": {"检查结果": "合格"}}
    with archive.db.session() as s:
        sent = s.get(Push, pushes.send(archive, RSJ_STAFF, push, DAY))
        assert (sent.channel, sent.document_id, sent.time_limit_days) == ("platform", None, 3)
    review_id = reviews.start(archive, SPJ_STAFF, {
        "case_no": CASE, "kind": "专家评审", "mode": "joint", "partner_agency": "RSJ", "time_limit_days": 10,
        "content": "组织专家评审经营方案", "contact": "王晓敏", "phone": "0915-3210000",
        "items": {"审查内容": "经营方案"}}, DAY)
    with archive.db.session() as s:
        notice = s.get(Push, s.get(SpecialReview, review_id).push_id)
        assert (notice.channel, notice.document_id) == ("platform", None)
    with pytest.raises(IntegrityError), archive.db.transaction() as s:  # the pair cannot come back
        s.execute(text("UPDATE push_agreements SET route = 'letter' WHERE flow = 'supervision'"))


def test_the_summary_table_is_imported_and_printed_from_the_command_line(env, archive, org, tmp_path) -> None:
    """安康办法 附件 as data from the command line, and its report under the attachment's name."""
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from archive_app.cli import main

    source = tmp_path / "summary.csv"
    source.write_bytes(b"\xef\xbb\xbf" + SUMMARY_CSV)  # as Excel saves UTF-8
    result = CliRunner().invoke(main, ["review-procedures", "import", str(source), "--agency", "SPJ"])
    assert result.exit_code == 0 and "2 行" in result.output, result.output
    refused = CliRunner().invoke(main, ["review-procedures", "import", str(source), "--agency", "RSJ"])
    assert refused.exit_code != 0 and "审批部门" in refused.output
    out = tmp_path / "summary.xlsx"
    printed = CliRunner().invoke(main, ["report", "special-review-summary", "--agency", "SPJ", "-o", str(out)])
    assert printed.exit_code == 0, printed.output
    sheet = load_workbook(out).active
    assert sheet["A1"].value == "市行政审批服务局行政许可事项特别审查程序汇总表"
    assert [c.value for c in sheet[3]] == ["序号", "事项", "特别审查程序", "实施方式", "依据", "时限", "配合单位"]


def test_a_revocation_decision_answers_only_a_request_found_true(archive, case, evidence, soffice) -> None:
    """未央 三（五） 「区行政审批服务局认定属实的，应依法办理行政许可撤销手续」: the 撤销行政许可决定书 links the
    push that asked for it, and only after a 属实 finding."""
    request = pushes.send(archive, RSJ_STAFF, _push("license_change", "SPJ", evidence), DAY)
    pushes.receive(archive, SPJ_STAFF, request)
    pushes.find(archive, SPJ_STAFF, request, "untrue", "经核查，许可条件仍然具备")
    decision = documents.issue(archive, "revocation-decision", documents.get("revocation-decision").example(),
                               SPJ_STAFF, DAY)
    answer = {"flow": "license_change", "reply_to": request, "content": "撤销许可", "channel": "platform",
              "record_ids": [decision.record_id], "applicant_document_id": None}
    with pytest.raises(errors.Validation, match="属实"):
        pushes.send(archive, SPJ_STAFF, {**answer, "applicant_letter": documents.get("applicant-notice").example()},
                    DAY)
    second = pushes.send(archive, RSJ_STAFF, _push("license_change", "SPJ", evidence), DAY)
    pushes.receive(archive, SPJ_STAFF, second)
    pushes.find(archive, SPJ_STAFF, second, "true", "经核查，申请人以欺骗手段取得许可属实")
    with pytest.raises(errors.Conflict):  # one 认定 per request
        pushes.find(archive, SPJ_STAFF, second, "untrue", "改判")
    answered = pushes.send(archive, SPJ_STAFF, {**answer, "reply_to": second,
                                                "applicant_letter": documents.get("applicant-notice").example()}, DAY)
    with archive.db.session() as s:
        push = s.get(Push, answered)
        assert push.reply_to_id == second and decision.record_id in pushes.describe(push)["record_ids"]
        assert (push.sender.code, push.receiver.code) == ("SPJ", "RSJ")
