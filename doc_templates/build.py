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

from archive_app.core.citations import SEED_FORMS, cite, ref  # noqa: E402

REVIEW_KINDS = ["现场实地核查", "招标", "拍卖", "检验", "检测", "检疫", "鉴定", "考试", "考核", "专家评审",
                "技术审查", "听证", "听取利害关系人意见", "集体审查"]
LICENCE_ACTIONS = ["变更", "撤回", "撤销", "注销"]
# 第九条第（七）项's own words for what RSJ passes on (a test finds each in the seed, verbatim).
POLICY_KINDS = ["行业法律法规变动", "总量控制", "规划限制", "培训学习", "资质、资格考试"]


def f(name: str, label: str, type_: str = "string", required: bool = True, example=None,
      allowed: list[str] | None = None, max_length: int | None = None, default: str | None = None) -> dict:
    field = {"name": name, "label": label, "type": type_, "required": required, "example": example}
    if allowed:
        field["allowed"] = allowed
    if default:
        field["default"] = default
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
        ("办件编号", "{{ case_no or '—' }}"),
        ("申请人", "{{ applicant }}"),
        ("审批事项", "{{ matter_name }}"),
        ("审查程序", "{{ review_kind }}"),
        ("组织方式", "{{ mode }}"),
        ("牵头单位", "{{ agency_name }}"),
        ("配合单位", "{{ receiver }}{% if partners %}、{{ partners }}{% endif %}"),
        ("审查内容及要求", "@lines:content"),
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
           "{{ applicant }}申请的{{ matter_name }}事项{% if case_no %}（办件编号：{{ case_no }}）{% endif %}"
           "组织实施{{ review_kind }}。")
    t.heading("一、委托事项及要求")
    t.text("content")
    t.heading("二、完成时限")
    t.body("请于{{ due_date_cn }}前将审查结论书面反馈我局。")
    t.heading("三、责任")
    t.body(f"受托单位对审查结论的真实性负责（{ref('conclusion_truth')}）。")
    t.signature()
    t.contact()


def approval_result_letter(t: Letter) -> None:
    t.title("关于{{ applicant }}{{ matter_approval }}办结信息的告知函")
    t.addressee()
    t.body(f"依据{cite('boundary', 'approval_push')}，现将审批办结"
           "事项基本信息告知如下：")
    t.body("申请人：{{ applicant }}{% if applicant_uscc %}（统一社会信用代码：{{ applicant_uscc }}）{% endif %}")
    t.body("审批事项：{{ matter_name }}{% if case_no %}；办件编号：{{ case_no }}{% endif %}")
    t.body("审批结果：{{ decision }}，决定日期：{{ decided_on_cn }}"
           "{% if certificate_no %}；许可证编号：{{ certificate_no }}{% endif %}。")
    t.text("remarks")
    t.body("请贵局自收到本函之日起依法履行监管职责。")
    t.signature()
    t.contact()
    t.banji()


def supervision_info_letter(t: Letter) -> None:
    t.title("关于{{ subject }}{{ info_type }}信息的告知函")
    t.addressee()
    t.body(f"依据{cite('supervision_push')}，现将{{{{ subject }}}}"
           "的{{ info_type }}信息告知如下：")
    t.text("content")
    t.signature()
    t.contact()
    t.banji()


def review_conclusion_letter(t: Letter) -> None:
    t.title("关于{{ applicant }}{{ review_kind }}审查结论的反馈函")
    t.addressee()
    t.body("贵局《{{ basis_form }}》（{{ notice_no }}）收悉。"
           f"依据{cite('conclusion_push')}，现将{{{{ applicant }}}}{{{{ matter_name }}}}事项"
           "{% if case_no %}（办件编号：{{ case_no }}）{% endif %}的{{ review_kind }}审查结论反馈如下：")
    t.body("审查结论：{{ conclusion }}。")
    t.heading("审查意见")
    t.text("opinion")
    t.body("审查人员：{{ reviewers }}；完成日期：{{ completed_on_cn }}。本单位对审查结论的真实性负责。")
    t.signature()
    t.contact()
    t.banji()


def license_action_letter(t: Letter) -> None:
    t.title("关于{{ action }}{{ applicant }}{{ matter_licence }}的函")
    t.addressee()
    t.body(f"依据{cite('licence_change')}，{{{{ applicant }}}}"
           "{% if certificate_no %}（许可证编号：{{ certificate_no }}）{% endif %}"
           "的{{ matter_licence }}{% if case_no %}（办件编号：{{ case_no }}）{% endif %}"
           "存在依法需{{ action }}的情形，现将有关情况函告如下：")
    t.text("reason")
    t.optional("legal_basis", "法律依据：{{ legal_basis }}")
    t.body("证明材料：{{ evidence }}")
    t.body("请依法作出处理，并将结果反馈我局，同时函告原申请人。")
    t.signature()
    t.contact()
    t.banji()


REMEDY = ("如不服本决定，可以自收到本决定书之日起六十日内依法申请行政复议，或者在六个月内依法向人民法院提起"
          "行政诉讼。")


def revocation_decision(t: Letter) -> None:
    t.title("撤销行政许可决定书")
    t.centred("{{ doc_no }}")
    t.blank(1)
    t.paragraph("{{ applicant }}：")
    t.optional("applicant_uscc", "统一社会信用代码：{{ applicant_uscc }}")
    t.body("你单位于{{ granted_on_cn }}取得的{{ matter_licence }}"
           "{{ licence_ids }}，经查：")
    t.text("facts")
    t.body("依据{{ legal_basis }}，本机关决定撤销上述行政许可。")
    t.body(REMEDY)
    t.signature()
    t.banji()


def applicant_notice(t: Letter) -> None:
    t.title("关于{{ action }}{{ matter_licence }}的告知函")
    t.addressee("applicant")
    t.body("你单位{% if certificate_no %}（许可证编号：{{ certificate_no }}）{% endif %}的{{ matter_licence }}"
           "{% if case_no %}（办件编号：{{ case_no }}）{% endif %}，"
           f"依据{cite('licence_change_result')}，经依法审查，我局已作出"
           "{{ action }}决定。有关情况告知如下：")
    t.text("result")
    t.body("如不服该决定，可以依法申请行政复议或者提起行政诉讼。")
    t.signature()
    t.contact()
    t.banji()


def policy_transmittal_letter(t: Letter) -> None:
    t.title("关于传递《{{ doc_title }}》的函")
    t.addressee()
    t.body(f"依据{cite('policy_push')}，现将{{{{ doc_issuer }}}}"
           "《{{ doc_title }}》{% if doc_ref %}（{{ doc_ref }}）{% endif %}（{{ category }}）传递贵局，主要内容如下：")
    t.text("summary")
    t.optional("attachments", "附件：{{ attachments }}")
    t.signature()
    t.contact()
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
    t.title("关于变更{{ unit_name }}审管联动{{ role }}的备案函")
    t.addressee()
    t.body("依据{% if role == '分管领导' %}" + cite("liaison") + "{% else %}" + cite("liaison_change") + "{% endif %}，"
           "因{{ reason }}，我局{{ unit_name }}审管联动{{ role }}自{{ effective_on_cn }}起由{{ old_name }}"
           "变更为{{ new_name }}（{{ new_title }}，联系电话：{{ new_phone }}），现报请备案。")
    t.optional("exception_reason", "因特殊情况未能提前五个工作日报备：{{ exception_reason }}")
    t.signature()
    t.contact()
    t.banji()


def archive_lookup_letter(t: Letter) -> None:
    t.title("关于调阅业务档案的函")
    t.addressee()
    t.body(f"依据{cite('archives')}，因{{{{ purpose }}}}，需调阅贵单位保存的"
           "下列业务档案，调阅方式为{{ mode }}，期限{{ period_days }}日：")
    t.text("records")
    t.body("我局将严格按照档案管理规定使用上述档案，不擅自复制、转借或对外提供。")
    t.signature()
    t.contact()
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
    t.signature()
    t.contact()
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


def licence_decision(verb: str) -> Callable[[Letter], None]:
    """变更、撤回、注销行政许可决定书: the same frame as 撤销 — the licence, the facts, the legal
    basis (行政许可法 第八条 for 变更/撤回, 第七十条 for 注销), the decision and the remedy clause."""
    def layout(t: Letter) -> None:
        t.title(f"{verb}行政许可决定书")
        t.centred("{{ doc_no }}")
        t.blank(1)
        t.paragraph("{{ applicant }}：")
        t.optional("applicant_uscc", "统一社会信用代码：{{ applicant_uscc }}")
        t.body("你单位于{{ granted_on_cn }}取得的{{ matter_licence }}"
               "{{ licence_ids }}，" + ("现有以下情形：" if verb != "变更" else "因以下情形需要变更："))
        t.text("facts")
        if verb == "变更":
            t.body("依据{{ legal_basis }}，本机关决定对上述行政许可作如下变更：")
            t.text("changes")
        else:
            t.body("依据{{ legal_basis }}，本机关决定" + verb + "上述行政许可。")
        if verb in ("变更", "撤回"):
            t.optional("compensation", "{{ compensation }}")
        t.body(REMEDY)
        t.signature()
        t.banji()
    return layout


def action_result_letter(t: Letter) -> None:
    """SPJ's answer to RSJ's request (第九条第（五）（六）项): what it decided, not a request to act."""
    t.title("关于{{ action }}{{ applicant }}{{ matter_licence }}处理结果的告知函")
    t.addressee()
    t.body("贵局{% if request_ref %}（{{ request_ref }}）{% endif %}推送的{{ applicant }}{{ matter_licence }}"
           "{% if case_no %}（办件编号：{{ case_no }}）{% endif %}需{{ action }}的有关信息及证明材料收悉。"
           f"依据{cite('objection', 'licence_change_result')}，我局经依法审查，已于{{{{ decided_on_cn }}}}作出"
           "{{ action }}决定{% if decision_no %}（{{ decision_no }}）{% endif %}。现将处理结果告知如下：")
    t.text("result")
    t.body("处理结果{{ applicant_informed }}原申请人。")
    t.signature()
    t.contact()
    t.banji()


def coordination_request_letter(t: Letter) -> None:
    """第七条: what the two agencies could not settle goes to the 领导小组办公室."""
    t.title("关于报请协调{{ topic }}的函")
    t.addressee()
    t.body(f"依据{cite('escalation')}，{{{{ partner }}}}与我局于{{{{ consulted_on_cn }}}}就{{{{ topic }}}}进行协商，"
           "经双方协商无法确定。现将有关情况报告如下，请予研究解决。")
    t.heading("一、基本情况")
    t.text("background")
    t.heading("二、双方意见")
    t.text("positions")
    t.heading("三、请求协调事项")
    t.text("request")
    t.optional("attachments", "附件：{{ attachments }}")
    t.signature()
    t.contact()
    t.banji()


def approval_standard_letter(t: Letter) -> None:
    """第三条: SPJ approves by the standards RSJ provides (未央 三（二） 审批标准制定制度)."""
    t.title("关于提供{{ matter_approval }}标准的函")
    t.addressee()
    t.body(f"依据{cite('standards')}，市行政审批服务局按照我局提供的审批标准对划转事项行使审批职权。"
           "现将{{ matter_approval }}标准提供贵局，自{{ effective_on_cn }}起执行。主要内容如下：")
    t.text("content")
    t.optional("changes", "与原审批标准相比，主要变化为：{{ changes }}")
    t.optional("attachments", "附件：{{ attachments }}")
    t.signature()
    t.contact()
    t.banji()


def review_participants_notice(t: Letter) -> None:
    """第八条第（三）项、第九条第（二）项: the department tells its staff and units to take part."""
    t.title("关于参加{{ applicant }}{{ matter_name }}{{ review_kind }}的通知")
    t.addressee()
    t.body("市行政审批服务局《{{ basis_form }}》（{{ notice_no }}）收悉。"
           f"依据{cite('review_participants', 'special_review_staff')}，现将参加{{{{ applicant }}}}"
           "{{ matter_name }}事项{% if case_no %}（办件编号：{{ case_no }}）{% endif %}{{ review_kind }}"
           "的有关事项通知如下：")
    t.heading("一、参加人员")
    t.text("participants")
    t.heading("二、时间和地点")
    t.body("{{ time_place }}")
    t.heading("三、工作要求")
    t.text("requirements")
    t.body(f"请于{{{{ due_date_cn }}}}前完成并将审查意见报送我局，由联络员按{ref('conclusion_push')}推送市行政审批服务局。")
    t.signature()
    t.contact()
    t.banji()


def liaison_meeting_notice(t: Letter) -> None:
    """第八条第（五）项: liaison officers attend meetings and training."""
    t.title("关于{% if kind == '培训' %}举办{% else %}召开{% endif %}审管联动联络员{{ kind }}的通知")
    t.addressee()
    t.body(f"依据{cite('liaison_meetings')}，定于{{{{ meeting_time }}}}在{{{{ place }}}}"
           "{% if kind == '培训' %}举办{% else %}召开{% endif %}审管联动联络员{{ kind }}，主题为{{ topic }}。"
           "现将有关事项通知如下：")
    t.heading("一、参加人员")
    t.text("attendees")
    t.heading("二、{% if kind == '培训' %}培训内容{% else %}会议议程{% endif %}")
    t.text("agenda")
    t.tag("if requirements")
    t.heading("三、有关要求")
    t.tag("endif")
    t.text("requirements")
    t.signature()
    t.contact()
    t.banji()


TEMPLATES: list[dict] = [
    {"id": "joint-review-notice", "title": "特别审查程序联办通知单", "format": "form", "series": "联办",
     "doc_type": "通知单", "retention": "D30", "layout": joint_review_notice,
     "record_title": "{{ applicant }}{{ matter_name }}{{ review_kind }}特别审查程序联办通知单",
     "fields": [f("receiver", "配合单位", example=RECEIVER_RSJ), *CASE,
                f("review_kind", "审查程序", "choice", example="专家评审", allowed=REVIEW_KINDS),
                f("mode", "组织方式", "choice", example="联合组织实施", allowed=["联合组织实施", "委托组织实施"]),
                f("partners", "其他配合单位", required=False, example="安康市劳动保障监察支队"),
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
     "record_title": "关于{{ applicant }}{{ matter_approval }}办结信息的告知函",
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
                f("basis_form", "来文种类", "choice", required=False, example="特别审查程序联办通知单",
                  allowed=list(SEED_FORMS), default=SEED_FORMS[0]),
                f("notice_no", "联办通知单或委托书编号", example="安行审联办〔2026〕3号"),
                f("review_kind", "审查程序", "choice", example="现场实地核查", allowed=REVIEW_KINDS),
                f("conclusion", "审查结论", "choice", example="符合条件", allowed=["符合条件", "不符合条件", "整改后符合条件"]),
                f("opinion", "审查意见", "text", example="经营场所面积、办公设施符合规定。"),
                f("reviewers", "审查人员", example="李明、张华"),
                f("completed_on", "完成日期", "date", example="2026-11-25"), *COMMON_TAIL]},
    {"id": "license-action-letter", "title": "关于变更/撤回/撤销/注销行政许可的函", "format": "letter",
     "series": "函", "doc_type": "函", "retention": "D30", "layout": license_action_letter,
     "record_title": "关于{{ action }}{{ applicant }}{{ matter_licence }}的函",
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
     "record_title": "关于{{ action }}{{ applicant }}{{ matter_licence }}的告知函",
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
                f("category", "信息类别", "choice", example=POLICY_KINDS[0], allowed=POLICY_KINDS),
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
     "record_title": "关于变更{{ unit_name }}审管联动{{ role }}的备案函",
     "fields": [f("receiver", "备案机关", example="安康市行政审批制度改革工作领导小组办公室"),
                f("role", "变更人员", "choice", required=False, example="联络员", allowed=["联络员", "分管领导"],
                  default="联络员"),
                f("unit_name", "科室", example="劳动关系科"), f("old_name", "原任人员", example="王晓敏"),
                f("new_name", "新任人员", example="赵磊"), f("new_title", "新任人员职务", example="科员"),
                f("new_phone", "新任人员电话", example="0915-3210003"),
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


def _decision_spec(verb: str, template_id: str, series: str, facts: str, basis: str, extra: list[dict]) -> dict:
    return {"id": template_id, "title": f"{verb}行政许可决定书", "format": "decision", "series": series,
            "doc_type": "决定书", "retention": "Y", "layout": licence_decision(verb),
            "record_title": f"{{{{ applicant }}}}{verb}行政许可决定书",
            "fields": [*CASE, f("applicant_uscc", "统一社会信用代码", required=False, example="91610900MA70BK3Q2B"),
                       f("certificate_no", "许可证编号", required=False, example="陕安劳派2026011"),
                       f("granted_on", "许可日期", "date", example="2026-03-02"),
                       f("facts", "事实和理由", "text", example=facts),
                       f("legal_basis", "法律依据", example=basis), *extra, COMMON_TAIL[2]]}


TEMPLATES += [
    {"id": "action-result-letter", "title": "处理结果告知函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": action_result_letter,
     "record_title": "关于{{ action }}{{ applicant }}{{ matter_licence }}处理结果的告知函",
     "fields": [f("receiver", "主送机关", example=RECEIVER_RSJ),
                f("action", "处理类型", "choice", example="撤销", allowed=LICENCE_ACTIONS), *CASE,
                f("request_ref", "来函文号或推送编号", required=False, example="安人社函〔2026〕5号"),
                f("decided_on", "决定日期", "date", example="2026-11-27"),
                f("decision_no", "决定书文号", required=False, example="安行审撤决〔2026〕1号"),
                f("result", "处理结果", "text",
                  example="撤销该公司劳务派遣经营许可，收回许可证（编号：陕安劳派2026011）。\n该公司三年内不得再次申请该行政许可。"),
                f("applicant_informed", "告知原申请人", "choice", example="已函告", allowed=["已函告", "将另行函告"]),
                *COMMON_TAIL]},
    _decision_spec("变更", "license-change-decision", "变决",
                   "你单位劳务派遣经营许可所依据的客观情况发生重大变化，经营场所已依法迁移。",
                   "《中华人民共和国行政许可法》第八条第二款",
                   [f("changes", "变更内容", "text", example="经营场所变更为安康市汉滨区兴安中路88号。"),
                    f("compensation", "补偿事项", required=False, example="")]),
    _decision_spec("撤回", "license-withdrawal-decision", "撤回决",
                   "准予行政许可所依据的客观情况发生重大变化，为了公共利益的需要，需撤回该行政许可。",
                   "《中华人民共和国行政许可法》第八条第二款",
                   [f("compensation", "补偿事项", required=False,
                      example="对你单位因此受到的财产损失，本机关将依法给予补偿。")]),
    _decision_spec("注销", "license-cancellation-decision", "注决",
                   "你单位已依法终止。", "《中华人民共和国行政许可法》第七十条第（三）项", []),
    {"id": "coordination-request-letter", "title": "报请领导小组办公室协调的函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "D30", "layout": coordination_request_letter,
     "record_title": "关于报请协调{{ topic }}的函",
     "fields": [f("receiver", "主送机关", example="安康市行政审批制度改革工作领导小组办公室"),
                f("partner", "协商对方", example=RECEIVER_RSJ),
                f("topic", "协调事项", example="劳务派遣经营许可事中事后监管衔接问题"),
                f("consulted_on", "协商日期", "date", example="2026-12-03"),
                f("background", "基本情况", "text", example="双方于2026年12月3日召开审管协商会议，研究审批办结信息推送后的监管衔接。"),
                f("positions", "双方意见", "text",
                  example="我局意见：审批办结信息推送后即由监管部门履行监管职责。\n对方意见：应待许可证送达后再移交监管。"),
                f("request", "请求协调事项", "text", example="明确审批与监管责任的划分时点。"),
                f("attachments", "附件", required=False, example="审管协商会议纪要1份"), *COMMON_TAIL]},
    {"id": "approval-standard-letter", "title": "审批标准传递函", "format": "letter", "series": "函",
     "doc_type": "函", "retention": "Y", "layout": approval_standard_letter,
     "record_title": "关于提供{{ matter_approval }}标准的函",
     "fields": [f("receiver", "主送机关", example=RECEIVER_SPJ),
                f("matter", "事项", "matter", example="LWPQ"),
                f("effective_on", "执行日期", "date", example="2027-01-01"),
                f("content", "审批标准主要内容", "text",
                  example="一、受理条件\n二、申请材料\n三、审查要点\n四、办理时限"),
                f("changes", "主要变化", required=False, example=""),
                f("attachments", "附件", required=False, example="审批标准全文1份"), *COMMON_TAIL]},
    {"id": "review-participants-notice", "title": "特别审查程序参加人员通知", "format": "file", "series": "发",
     "doc_type": "通知", "retention": "D30", "layout": review_participants_notice,
     "record_title": "关于参加{{ applicant }}{{ matter_name }}{{ review_kind }}的通知",
     "fields": [f("receiver", "主送", example="劳动关系科、安康市劳动保障监察支队"),
                f("basis_form", "来文种类", "choice", example="特别审查程序联办通知单", allowed=list(SEED_FORMS)),
                f("notice_no", "联办通知单或委托书编号", example="安行审联办〔2026〕3号"), *CASE,
                f("review_kind", "审查程序", "choice", example="现场实地核查", allowed=REVIEW_KINDS),
                f("participants", "参加人员", "text", example="劳动关系科 李明\n安康市劳动保障监察支队 张华"),
                f("time_place", "时间和地点", example="2026年12月2日上午9:00，申请人经营场所"),
                f("requirements", "工作要求", "text", required=False,
                  example="按联办通知单所列内容逐项核查，如实记录。"),
                f("due_date", "完成时限", "date", example="2026-12-04"), *COMMON_TAIL]},
    {"id": "liaison-meeting-notice", "title": "联络员会议/培训通知", "format": "file", "series": "发",
     "doc_type": "通知", "retention": "D30", "layout": liaison_meeting_notice,
     "record_title": "审管联动联络员{{ kind }}通知（{{ topic }}）",
     "fields": [f("receiver", "主送", example="市行政审批服务局、市人力资源和社会保障局各科室联络员"),
                f("kind", "类别", "choice", example="会议", allowed=["会议", "培训"]),
                f("topic", "主题", example="审管信息双向推送工作"),
                f("meeting_time", "时间", example="2026年12月10日（星期四）下午3:00"),
                f("place", "地点", example="市政务服务中心三楼会议室"),
                f("attendees", "参加人员", "text", example="各科室审管联动联络员"),
                f("agenda", "议程或内容", "text", example="通报审批办结信息推送情况\n交流监管信息推送中的问题"),
                f("requirements", "有关要求", "text", required=False, example="请各联络员准时参加，不得缺席。"),
                *COMMON_TAIL]},
]


# The clauses (archive_app/core/citations.py keys) each template cites; a test checks a rendered letter
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
    "action-result-letter": ["objection", "licence_change_result"],
    "license-change-decision": [], "license-withdrawal-decision": [], "license-cancellation-decision": [],
    "coordination-request-letter": ["escalation"],
    "approval-standard-letter": ["standards"],
    "review-participants-notice": ["review_participants", "special_review_staff", "conclusion_push"],
    "liaison-meeting-notice": ["liaison_meetings"],
}


# Who may issue each template (archive_app/documents/issuers.py): decisions on a licence and what
# the approving agency reports only by it (第三、四条: the department no longer approves),
# supervision information, review conclusions and standards only by the department.
ISSUER: dict[str, str] = {
    "joint-review-notice": "approving", "review-entrustment": "approving", "approval-result-letter": "approving",
    "supervision-info-letter": "department", "review-conclusion-letter": "department",
    "license-action-letter": "department", "revocation-decision": "approving", "applicant-notice": "approving",
    "policy-transmittal-letter": "department", "liaison-filing-form": "any", "liaison-change-letter": "any",
    "archive-lookup-letter": "any", "consultation-notice": "any", "consultation-minutes": "any",
    "action-result-letter": "approving", "license-change-decision": "approving",
    "license-withdrawal-decision": "approving", "license-cancellation-decision": "approving",
    "coordination-request-letter": "any", "approval-standard-letter": "department",
    "review-participants-notice": "department", "liaison-meeting-notice": "any",
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
        out = schema_of(spec)
        if letter.heading_pattern:
            out["heading"] = letter.heading_pattern
        schema.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written += [docx, schema]
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else HERE
    for path in build(target):
        print(path)
