"""Source of truth for the document templates: `python doc_templates/build.py` writes, for every
template id of DESIGN.md §4, `<id>.docx` (GB/T 9704 layout, see gbt9704.py) and
`<id>.schema.json` (its variables). Edit here, re-run, commit both; a test checks they agree.

Variables every template receives from the system (not typed by staff): `agency_name` (发文机关),
`doc_no` (发文字号), `date_cn` (成文日期), `print_date_cn` (印发日期), `matter_name` (from a
`matter` field). Text fields arrive as lists of lines, one paragraph each.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))

from gbt9704 import Letter  # noqa: E402

from archive_app.citations import cite, ref  # noqa: E402

REVIEW_KINDS = ["现场实地核查", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "考试", "考核", "专家评审",
                "技术审查", "听证", "听取利害关系人意见", "集体审查"]
LICENCE_ACTIONS = ["变更", "撤回", "撤销", "注销"]


def f(name: str, label: str, type_: str = "string", required: bool = True, example=None,
      allowed: list[str] | None = None, max_length: int | None = None) -> dict:
    field = {"name": name, "label": label, "type": type_, "required": required, "example": example}
    if allowed:
        field["allowed"] = allowed
    if max_length:
        field["max_length"] = max_length
    return field


RECEIVER_RSJ = "安康市人力资源和社会保障局"
RECEIVER_SPJ = "安康市行政审批服务局"
COMMON_TAIL = [
    f("contact", "联系人", required=False, example="王晓敏"),
    f("phone", "联系电话", required=False, example="0915-3210000"),
    f("cc", "抄送", required=False, example="安康市行政审批制度改革工作领导小组办公室"),
]
CASE = [
    f("matter", "事项", "matter", example="LWPQ"),
    f("case_no", "办件编号", required=False, example="SP-2026-0001"),
    f("applicant", "申请人", example="安康市汉江人力资源服务有限公司"),
]


def joint_review_notice(t: Letter) -> None:
    t.title("特别审查程序联办通知单")
    t.form_number()
    t.form([
        ("承办单位", "{{ receiver }}"),
        ("办件编号", "{{ case_no }}"),
        ("申请人", "{{ applicant }}"),
        ("审批事项", "{{ matter_name }}"),
        ("审查程序", "{{ review_kind }}"),
        ("组织方式", "{{ mode }}"),
        ("牵头单位", "{{ agency_name }}"),
        ("配合单位", "{{ partners }}"),
        ("审查内容及要求", "{% for line in content %}{{ line }}{% if not loop.last %}\n{% endif %}{% endfor %}"),
        ("完成时限", "{{ due_date_cn }}前反馈审查结论"),
        ("联系人及电话", "{{ contact }} {{ phone }}"),
    ])
    t.body(f"依据{cite('special_review_push', 'review_forms')}，"
           f"请贵单位在规定时限内完成上述特别审查工作，并按{ref('conclusion_push')}将审查结论推送我局。")
    t.signature()


def review_entrustment(t: Letter) -> None:
    t.title("委托书")
    t.form_number()
    t.addressee()
    t.body(f"根据{cite('entrusted_review')}，我局现委托你单位对"
           "{{ applicant }}申请的{{ matter_name }}事项（办件编号：{{ case_no }}）组织实施{{ review_kind }}。")
    t.heading("一、委托事项及要求")
    t.text("content")
    t.heading("二、完成时限")
    t.body("请于{{ due_date_cn }}前将审查结论书面反馈我局。")
    t.heading("三、责任")
    t.body(f"受托单位对审查结论的真实性负责（{ref('conclusion_truth')}）。")
    t.contact()
    t.signature()


def approval_result_letter(t: Letter) -> None:
    t.title("关于{{ applicant }}{{ matter_name }}审批办结信息的告知函")
    t.addressee()
    t.body(f"依据{cite('boundary', 'approval_push')}，现将审批办结"
           "事项基本信息告知如下：")
    t.body("申请人：{{ applicant }}{% if applicant_uscc %}（统一社会信用代码：{{ applicant_uscc }}）{% endif %}")
    t.body("审批事项：{{ matter_name }}{% if case_no %}；办件编号：{{ case_no }}{% endif %}")
    t.body("审批结果：{{ decision }}，决定日期：{{ decided_on_cn }}"
           "{% if certificate_no %}；许可证编号：{{ certificate_no }}{% endif %}。")
    t.optional("remarks", "{% for line in remarks %}{{ line }}{% if not loop.last %}\n{% endif %}{% endfor %}")
    t.body("请贵局自收到本函之日起依法履行监管职责。")
    t.contact()
    t.signature()
    t.banji()


def supervision_info_letter(t: Letter) -> None:
    t.title("关于{{ subject }}{{ info_type }}信息的告知函")
    t.addressee()
    t.body(f"依据{cite('supervision_push')}，现将{{{{ subject }}}}"
           "的{{ info_type }}信息告知如下：")
    t.text("content")
    t.contact()
    t.signature()
    t.banji()


def review_conclusion_letter(t: Letter) -> None:
    t.title("关于{{ applicant }}{{ review_kind }}审查结论的反馈函")
    t.addressee()
    t.body("贵局《特别审查程序联办通知单》（{{ notice_no }}）收悉。"
           f"依据{cite('conclusion_push')}，现将{{{{ applicant }}}}{{{{ matter_name }}}}事项"
           "{% if case_no %}（办件编号：{{ case_no }}）{% endif %}的{{ review_kind }}审查结论反馈如下：")
    t.body("审查结论：{{ conclusion }}。")
    t.heading("审查意见")
    t.text("opinion")
    t.body("审查人员：{{ reviewers }}；完成日期：{{ completed_on_cn }}。本单位对审查结论的真实性负责。")
    t.contact()
    t.signature()
    t.banji()


def license_action_letter(t: Letter) -> None:
    t.title("关于{{ action }}{{ applicant }}{{ matter_name }}行政许可的函")
    t.addressee()
    t.body(f"依据{cite('licence_change')}，{{{{ applicant }}}}"
           "{% if certificate_no %}（许可证编号：{{ certificate_no }}）{% endif %}"
           "的{{ matter_name }}行政许可{% if case_no %}（办件编号：{{ case_no }}）{% endif %}"
           "存在依法需{{ action }}的情形，现将有关情况函告如下：")
    t.text("reason")
    t.optional("legal_basis", "法律依据：{{ legal_basis }}")
    t.body("证明材料：{{ evidence }}")
    t.body("请依法作出处理，并将结果反馈我局，同时函告原申请人。")
    t.contact()
    t.signature()
    t.banji()


def revocation_decision(t: Letter) -> None:
    t.title("撤销行政许可决定书")
    t.centred("{{ doc_no }}")
    t.blank(1)
    t.paragraph("{{ applicant }}：")
    t.optional("applicant_uscc", "统一社会信用代码：{{ applicant_uscc }}")
    t.body("你单位于{{ granted_on_cn }}取得的{{ matter_name }}行政许可"
           "{% if certificate_no %}（许可证编号：{{ certificate_no }}）{% endif %}"
           "{% if case_no %}（办件编号：{{ case_no }}）{% endif %}，经查：")
    t.text("facts")
    t.body("依据{{ legal_basis }}，本机关决定撤销上述行政许可。")
    t.body("如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起"
           "行政诉讼。")
    t.signature()
    t.banji()


def applicant_notice(t: Letter) -> None:
    t.title("关于{{ action }}{{ matter_name }}行政许可的告知函")
    t.addressee("applicant")
    t.body("你单位{% if certificate_no %}（许可证编号：{{ certificate_no }}）{% endif %}的{{ matter_name }}行政许可"
           "{% if case_no %}（办件编号：{{ case_no }}）{% endif %}，"
           f"依据{cite('licence_change_result')}，经依法审查，我局已作出"
           "{{ action }}决定。有关情况告知如下：")
    t.text("result")
    t.body("如不服该决定，可以依法申请行政复议或者提起行政诉讼。")
    t.contact()
    t.signature()
    t.banji()


def policy_transmittal_letter(t: Letter) -> None:
    t.title("关于传递《{{ doc_title }}》的函")
    t.addressee()
    t.body(f"依据{cite('policy_push')}，现将{{{{ doc_issuer }}}}"
           "《{{ doc_title }}》{% if doc_ref %}（{{ doc_ref }}）{% endif %}（{{ category }}）传递贵局，主要内容如下：")
    t.text("summary")
    t.optional("attachments", "附件：{{ attachments }}")
    t.contact()
    t.signature()
    t.banji()


def liaison_filing_form(t: Letter) -> None:
    t.title("审管联动联络员备案表")
    t.form_number()
    t.form([
        ("报送单位", "{{ agency_name }}"),
        ("科室", "{{ unit_name }}"),
        ("分管领导", "{{ leader_name }}（{{ leader_title }}）"),
        ("分管领导电话", "{{ leader_phone }}"),
        ("联络员", "{{ liaison_name }}（{{ liaison_title }}）"),
        ("联络员办公电话", "{{ liaison_phone }}"),
        ("联络员手机", "{{ liaison_mobile }}"),
        ("生效日期", "{{ effective_on_cn }}"),
        ("备注", "{{ remarks }}"),
    ])
    t.body(f"依据{cite('liaison')}，报{{{{ receiver }}}}备案。")
    t.signature()


def liaison_change_letter(t: Letter) -> None:
    t.title("关于变更{{ unit_name }}审管联动联络员的备案函")
    t.addressee()
    t.body(f"依据{cite('liaison_change')}，因{{{{ reason }}}}，我局{{{{ unit_name }}}}"
           "审管联动联络员自{{ effective_on_cn }}起由{{ old_name }}变更为{{ new_name }}（{{ new_title }}，"
           "联系电话：{{ new_phone }}），现报请备案。")
    t.optional("exception_reason", "因特殊情况未能提前五个工作日报备：{{ exception_reason }}")
    t.contact()
    t.signature()
    t.banji()


def archive_lookup_letter(t: Letter) -> None:
    t.title("关于调阅业务档案的函")
    t.addressee()
    t.body(f"依据{cite('archives')}，因{{{{ purpose }}}}，需调阅贵单位保存的"
           "下列业务档案，调阅方式为{{ mode }}，期限{{ period_days }}日：")
    t.text("records")
    t.body("我局将严格按照档案管理规定使用上述档案，不擅自复制、转借或对外提供。")
    t.contact()
    t.signature()
    t.banji()


def consultation_notice(t: Letter) -> None:
    t.title("关于召开审管协商会议的通知")
    t.addressee()
    t.body(f"依据{cite('consultation')}，定于{{{{ meeting_time }}}}在{{{{ place }}}}"
           "召开审管协商会议，研究{{ topic }}。现将有关事项通知如下：")
    t.heading("一、参会人员")
    t.text("attendees")
    t.heading("二、会议议程")
    t.text("agenda")
    t.contact()
    t.signature()
    t.banji()


def consultation_minutes(t: Letter) -> None:
    t.body("{{ meeting_date_cn }}，{{ chair }}在{{ place }}主持召开审管协商会议，研究{{ topic }}。"
           "纪要如下：")
    t.heading("一、议定事项")
    t.text("decisions")
    t.heading("二、出席人员")
    t.text("attendees")
    t.signature()
    t.banji()


TEMPLATES: list[dict] = [
    {"id": "joint-review-notice", "title": "特别审查程序联办通知单", "format": "form", "series": "联办",
     "doc_type": "通知单", "retention": "D30", "layout": joint_review_notice,
     "record_title": "{{ applicant }}{{ matter_name }}{{ review_kind }}特别审查程序联办通知单",
     "fields": [f("receiver", "承办单位", example=RECEIVER_RSJ), *CASE,
                f("review_kind", "审查程序", "choice", example="专家评审", allowed=REVIEW_KINDS),
                f("mode", "组织方式", "choice", example="联合组织实施", allowed=["联合组织实施", "委托组织实施"]),
                f("partners", "配合单位", required=False, example="安康市劳动保障监察支队"),
                f("content", "审查内容及要求", "text", example="对申请人经营场所、办公设施进行现场核查。\n核查申请材料真实性。"),
                f("due_date", "完成时限", "date", example="2026-12-04"),
                f("contact", "联系人", example="王晓敏"), f("phone", "联系电话", example="0915-3210000")]},
    {"id": "review-entrustment", "title": "委托书", "format": "form", "series": "委",
     "doc_type": "委托书", "retention": "D30", "layout": review_entrustment,
     "record_title": "关于委托{{ receiver }}实施{{ review_kind }}的委托书",
     "fields": [f("receiver", "受托单位", example="安康市人力资源服务质量检测中心"), *CASE,
                f("review_kind", "审查程序", "choice", example="技术审查", allowed=REVIEW_KINDS),
                f("content", "委托事项及要求", "text", example="对申请人提交的培训方案进行技术审查。\n出具书面审查结论。"),
                f("due_date", "完成时限", "date", example="2026-12-10"), *COMMON_TAIL[:2]]},
    {"id": "approval-result-letter", "title": "审批办结信息告知函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": approval_result_letter,
     "record_title": "关于{{ applicant }}{{ matter_name }}审批办结信息的告知函",
     "fields": [f("receiver", "主送机关", example=RECEIVER_RSJ), *CASE,
                f("applicant_uscc", "统一社会信用代码", required=False, example="91610900MA70BK3Q2B"),
                f("decision", "审批结果", "choice", example="准予许可", allowed=["准予许可", "不予许可", "准予变更", "准予延续", "准予注销"]),
                f("decided_on", "决定日期", "date", example="2026-11-20"),
                f("certificate_no", "许可证编号", required=False, example="陕安劳派2026011"),
                f("remarks", "其他需告知事项", "text", required=False, example="许可有效期三年。"),
                *COMMON_TAIL]},
    {"id": "supervision-info-letter", "title": "监管执法信息告知函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": supervision_info_letter,
     "record_title": "关于{{ subject }}{{ info_type }}信息的告知函",
     "fields": [f("receiver", "主送机关", example=RECEIVER_SPJ),
                f("matter", "事项", "matter", required=False, example="LWPQ"),
                f("subject", "监管对象", example="安康市汉江人力资源服务有限公司"),
                f("info_type", "信息类别", "choice", example="监督检查", allowed=["监督检查", "行政处罚", "投诉举报", "信用监管", "执法检查"]),
                f("content", "信息内容", "text", example="2026年11月18日对该公司开展双随机检查，发现未按规定公示许可证。"),
                *COMMON_TAIL]},
    {"id": "review-conclusion-letter", "title": "审查结论反馈函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": review_conclusion_letter,
     "record_title": "关于{{ applicant }}{{ review_kind }}审查结论的反馈函",
     "fields": [f("receiver", "主送机关", example=RECEIVER_SPJ), *CASE,
                f("notice_no", "联办通知单编号", example="安行审联办〔2026〕3号"),
                f("review_kind", "审查程序", "choice", example="现场实地核查", allowed=REVIEW_KINDS),
                f("conclusion", "审查结论", "choice", example="符合条件", allowed=["符合条件", "不符合条件", "整改后符合条件"]),
                f("opinion", "审查意见", "text", example="经营场所面积、办公设施符合规定。"),
                f("reviewers", "审查人员", example="李明、张华"),
                f("completed_on", "完成日期", "date", example="2026-11-25"), *COMMON_TAIL]},
    {"id": "license-action-letter", "title": "关于变更/撤回/撤销/注销行政许可的函", "format": "letter",
     "series": "函", "doc_type": "函", "retention": "D30", "layout": license_action_letter,
     "record_title": "关于{{ action }}{{ applicant }}{{ matter_name }}行政许可的函",
     "fields": [f("receiver", "主送机关", example=RECEIVER_SPJ),
                f("action", "处理类型", "choice", example="撤销", allowed=LICENCE_ACTIONS), *CASE,
                f("certificate_no", "许可证编号", required=False, example="陕安劳派2026011"),
                f("reason", "情况说明", "text", example="经核查，该公司以欺骗手段取得劳务派遣经营许可。"),
                f("legal_basis", "法律依据", required=False, example="《中华人民共和国行政许可法》第六十九条"),
                f("evidence", "证明材料", example="现场检查笔录、询问笔录各1份"), *COMMON_TAIL]},
    {"id": "revocation-decision", "title": "撤销行政许可决定书", "format": "decision", "series": "撤决",
     "doc_type": "决定书", "retention": "Y", "layout": revocation_decision,
     "record_title": "{{ applicant }}撤销行政许可决定书",
     "fields": [*CASE, f("applicant_uscc", "统一社会信用代码", required=False, example="91610900MA70BK3Q2B"),
                f("certificate_no", "许可证编号", required=False, example="陕安劳派2026011"),
                f("granted_on", "许可日期", "date", example="2026-03-02"),
                f("facts", "查明事实", "text", example="你单位在申请时提交的经营场所证明系伪造。"),
                f("legal_basis", "法律依据", example="《中华人民共和国行政许可法》第六十九条第二款"),
                COMMON_TAIL[2]]},
    {"id": "applicant-notice", "title": "告知原申请人函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": applicant_notice,
     "record_title": "关于{{ action }}{{ applicant }}{{ matter_name }}行政许可的告知函",
     "fields": [*CASE, f("action", "处理类型", "choice", example="撤销", allowed=LICENCE_ACTIONS),
                f("certificate_no", "许可证编号", required=False, example="陕安劳派2026011"),
                f("result", "处理结果", "text", example="撤销你单位劳务派遣经营许可，许可证自即日起作废。"),
                *COMMON_TAIL]},
    {"id": "policy-transmittal-letter", "title": "政策文件信息传递函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": policy_transmittal_letter,
     "record_title": "关于传递《{{ doc_title }}》的函",
     "fields": [f("receiver", "主送机关", example=RECEIVER_SPJ),
                f("doc_title", "文件名称", example="陕西省全面推行相对集中行政许可权改革工作方案"),
                f("doc_issuer", "制发机关", example="中共陕西省委办公厅、陕西省人民政府办公厅"),
                f("doc_ref", "文件文号", required=False, example="陕办字〔2018〕97号"),
                f("category", "信息类别", "choice", example="法律法规变动",
                  allowed=["法律法规变动", "总量控制", "规划限制", "培训学习", "资质资格考试"]),
                f("summary", "主要内容", "text", example="推行相对集中行政许可权改革，明确划转事项审批与监管的职责分工。"),
                f("attachments", "附件", required=False, example="文件全文1份"), *COMMON_TAIL]},
    {"id": "liaison-filing-form", "title": "联络员备案表", "format": "form", "series": "备",
     "doc_type": "备案表", "retention": "D30", "layout": liaison_filing_form,
     "record_title": "{{ unit_name }}审管联动联络员备案表",
     "fields": [f("receiver", "备案机关", example="安康市行政审批制度改革工作领导小组办公室"),
                f("unit_name", "科室", example="劳动关系科"),
                f("leader_name", "分管领导", example="陈志刚"), f("leader_title", "分管领导职务", example="副局长"),
                f("leader_phone", "分管领导电话", example="0915-3210001"),
                f("liaison_name", "联络员", example="王晓敏"), f("liaison_title", "联络员职务", example="科员"),
                f("liaison_phone", "联络员办公电话", example="0915-3210002"),
                f("liaison_mobile", "联络员手机", example="13900000000"),
                f("effective_on", "生效日期", "date", example="2026-12-01"),
                f("remarks", "备注", required=False, example="")]},
    {"id": "liaison-change-letter", "title": "联络员变更备案函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": liaison_change_letter,
     "record_title": "关于变更{{ unit_name }}审管联动联络员的备案函",
     "fields": [f("receiver", "备案机关", example="安康市行政审批制度改革工作领导小组办公室"),
                f("unit_name", "科室", example="劳动关系科"), f("old_name", "原联络员", example="王晓敏"),
                f("new_name", "新联络员", example="赵磊"), f("new_title", "新联络员职务", example="科员"),
                f("new_phone", "新联络员电话", example="0915-3210003"),
                f("effective_on", "生效日期", "date", example="2026-12-07"),
                f("reason", "变更原因", example="原联络员岗位调整"),
                f("exception_reason", "未提前五个工作日报备的原因", required=False, example=""),
                *COMMON_TAIL]},
    {"id": "archive-lookup-letter", "title": "档案调阅函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": archive_lookup_letter,
     "record_title": "关于调阅业务档案的函（{{ purpose }}）",
     "fields": [f("receiver", "档案保管单位", example=RECEIVER_RSJ),
                f("purpose", "调阅事由", example="核查劳务派遣经营许可延续申请"),
                f("records", "调阅档案（档号、题名）", "text", example="J002-WS·2020-D30-LDGX-0012 劳务派遣经营许可决定书"),
                f("mode", "调阅方式", "choice", example="在线查阅", allowed=["在线查阅", "下载复制"]),
                f("period_days", "调阅期限（日）", "integer", example=7), *COMMON_TAIL]},
    {"id": "consultation-notice", "title": "审管协商会议通知", "format": "file", "series": "发",
     "doc_type": "通知", "retention": "D30", "layout": consultation_notice,
     "record_title": "关于召开审管协商会议的通知（{{ topic }}）",
     "fields": [f("receiver", "主送机关", example=RECEIVER_RSJ),
                f("topic", "议题", example="劳务派遣经营许可事中事后监管衔接问题"),
                f("meeting_time", "会议时间", example="2026年12月3日（星期四）上午9:00"),
                f("place", "会议地点", example="市政务服务中心三楼会议室"),
                f("attendees", "参会人员", "text", example="市行政审批服务局分管领导、联络员\n市人力资源和社会保障局分管领导、联络员"),
                f("agenda", "会议议程", "text", example="通报审批办结信息推送情况\n研究监管衔接中的问题"),
                *COMMON_TAIL]},
    {"id": "consultation-minutes", "title": "审管协商会议纪要", "format": "minutes", "series": "纪",
     "doc_type": "纪要", "retention": "Y", "layout": consultation_minutes,
     "record_title": "审管协商会议纪要（{{ topic }}）",
     "fields": [f("topic", "议题", example="劳务派遣经营许可事中事后监管衔接问题"),
                f("meeting_date", "会议日期", "date", example="2026-12-03"),
                f("chair", "主持人", example="市行政审批服务局副局长陈志刚"),
                f("place", "会议地点", example="市政务服务中心三楼会议室"),
                f("decisions", "议定事项", "text", example="审批办结信息当日推送。\n监管发现问题五个工作日内反馈。"),
                f("attendees", "出席人员", "text", example="陈志刚、王晓敏、赵磊"), COMMON_TAIL[2]]},
]


# The clauses (archive_app/citations.py keys) each template cites; a test checks a rendered letter
# cites exactly these and that they exist in the seeds.
CITES: dict[str, list[str]] = {
    "joint-review-notice": ["special_review_push", "review_forms", "conclusion_push"],
    "review-entrustment": ["entrusted_review", "conclusion_truth"],
    "approval-result-letter": ["boundary", "approval_push"],
    "supervision-info-letter": ["supervision_push"],
    "review-conclusion-letter": ["conclusion_push"],
    "license-action-letter": ["licence_change"],
    "revocation-decision": [],
    "applicant-notice": ["licence_change_result"],
    "policy-transmittal-letter": ["policy_push"],
    "liaison-filing-form": ["liaison"],
    "liaison-change-letter": ["liaison_change"],
    "archive-lookup-letter": ["archives"],
    "consultation-notice": ["consultation"],
    "consultation-minutes": [],
}


# Who may issue each template (archive_app/documents/issuers.py): decisions on a licence and what
# the approving agency reports only by it (第三、四条: the department no longer approves),
# supervision information, review conclusions and standards only by the department.
ISSUER: dict[str, str] = {
    "joint-review-notice": "approving", "review-entrustment": "approving", "approval-result-letter": "approving",
    "supervision-info-letter": "department", "review-conclusion-letter": "department",
    # "department" once the registers send SPJ's reply as action-result-letter (it is reused today).
    "license-action-letter": "any", "revocation-decision": "approving", "applicant-notice": "approving",
    "policy-transmittal-letter": "department", "liaison-filing-form": "any", "liaison-change-letter": "any",
    "archive-lookup-letter": "any", "consultation-notice": "any", "consultation-minutes": "any",
}


def schema_of(spec: dict) -> dict:
    out = {k: v for k, v in spec.items() if k != "layout"}
    out["issuer"] = ISSUER[spec["id"]]
    out["cites"] = CITES[spec["id"]]
    return out


def build(out_dir: Path = HERE) -> list[Path]:
    written = []
    for spec in TEMPLATES:
        layout: Callable[[Letter], None] = spec["layout"]
        letter = Letter(spec["format"])
        letter.masthead()
        layout(letter)
        docx = out_dir / f"{spec['id']}.docx"
        letter.save(docx)
        schema = out_dir / f"{spec['id']}.schema.json"
        schema.write_text(json.dumps(schema_of(spec), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written += [docx, schema]
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in build(target):
        print(path)
