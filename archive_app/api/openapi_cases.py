"""OpenAPI paths of the 办件 register (issue 14; docs/cases.md), merged into `openapi.spec()`."""

from __future__ import annotations

from .openapi import _err, _json, _json_body, _obj

_W = ("VALIDATION", "UNAUTHENTICATED", "FORBIDDEN")
STATUSES = ["received", "special_review", "decided", "served", "pushed", "supervised", "changed", "withdrawn",
            "revoked", "cancelled", "expired"]
KINDS = ["special_review", "decision", "service", "change", "renewal", "withdrawal", "revocation", "cancellation",
         "consultation", "inspection", "random_check", "penalty", "complaint", "change_request", "objection"]
CASE = _obj("case_no", "matter", "matter_name", "applicant", "applicant_uscc", "status_label", "received_on",
            "due_on", "decided_on", "decision", "certificate_no", "valid_until", "served_on", "supervising_agency",
            "key_project_reason", status={"type": "string", "enum": STATUSES},
            schedule_known={"type": "boolean", "description": "承诺时限途经年份均已有节假日安排"},
            key_project={"type": "boolean", "description": "重点项目（未央 三（三））"})
UNPUSHED = {**CASE, "properties": {**CASE["properties"], "push_due_on": {
    "type": "string", "format": "date",
    "description": "审批办结信息应推送之日（第九条（一）；按推送约定，未约定时办结后 5 个工作日）"},
    "working_days_since_decided": {"type": "integer", "description": "办结后已过的工作日数"}}}
STANDARD = _obj("title", "effective_from", "effective_until", "provided_by", version={"type": "integer"},
                record_id={"type": ["integer", "null"]}, document_id={"type": ["integer", "null"]},
                doc_no={"type": ["string", "null"], "description": "审批标准传递函的发文字号"})
PUBLISHED = {**STANDARD, "properties": {**STANDARD["properties"], "push_id": {
    "type": "integer", "description": "审管联动推送台账中的推送（第三条），由审批机关签收为收文"}}}
MATTER_FLAG = _obj("matter", key_project={"type": "boolean"}, key_project_reason={"type": ["string", "null"]})
ENTRY = _obj("date", "agency", "agency_name", "kind", "kind_label", "summary", "archival_code", "participants",
             "outcome", accessible={"type": "boolean", "description": "本人现在能否查看内容；否则可申请调阅"},
             record_id={"type": ["integer", "null"]}, push_id={"type": ["integer", "null"]},
             document_id={"type": ["integer", "null"]}, review_id={"type": ["integer", "null"]},
             event_id={"type": ["integer", "null"]}, record_ids={"type": "array", "items": {"type": "integer"}})
DETAIL = {**CASE, "properties": {**CASE["properties"], "standard": {"oneOf": [STANDARD, {"type": "null"}]},
                                 "timeline": {"type": "array", "items": ENTRY}}}
CASE_NO = [{"name": "case_no", "in": "path", "required": True, "schema": {"type": "string"}}]
CODE = [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}]


def _q(name: str, schema: dict, description: str) -> dict:
    return {"name": name, "in": "query", "schema": schema, "description": description}


_S = {"type": "string"}
CASE_PATHS = {
    "/cases": {
        "get": {"summary": "办件查询（按日期倒序）",
                "parameters": [_q("q", _S, "全文检索（与档案检索同一检索式）：申请人、事项、办件编号、许可证号等"),
                               _q("matter", _S, "事项代码"), _q("status", {"type": "string", "enum": STATUSES}, "状态"),
                               _q("applicant", _S, "申请人（包含）"), _q("uscc", _S, "统一社会信用代码"),
                               _q("certificate_no", _S, "许可证号"), _q("case_no", _S, "办件编号"),
                               _q("decided_from", {"type": "string", "format": "date"}, "决定日期起"),
                               _q("decided_to", {"type": "string", "format": "date"}, "决定日期止"),
                               _q("overdue", {"type": "string", "enum": ["1"]}, "已超承诺时限未决定"),
                               _q("due_within", {"type": "integer"}, "N 个工作日内到期未决定"),
                               _q("unpushed", {"type": "string", "enum": ["1"]}, "已决定未推送（第九条（一））"),
                               _q("key_project", {"type": "string", "enum": ["1"]}, "重点项目"),
                               _q("page", {"type": "integer"}, "页码"),
                               _q("per_page", {"type": "integer"}, "每页条数")],
                "responses": {"200": _json(_obj(total={"type": "integer"}, page={"type": "integer"},
                                                per_page={"type": "integer"},
                                                items={"type": "array", "items": CASE})),
                              **_err("VALIDATION", "UNAUTHENTICATED")}},
        "post": {"summary": "受理登记（审批机关；划转前受理的由主管部门）",
                 "requestBody": _json_body({"case_no": _S, "matter": _S, "applicant": _S, "applicant_uscc": _S,
                                            "received_on": {"type": "string", "format": "date"}},
                                           ["case_no", "matter", "applicant", "received_on"]),
                 "responses": {"201": _json(DETAIL, "Created"), **_err(*_W, "CONFLICT")}}},
    "/cases/{case_no}": {"get": {"summary": "办件详情、所依审批标准与全程时间轴（含两单位的档案、推送、特别审查）",
                                 "parameters": CASE_NO,
                                 "responses": {"200": _json(DETAIL), **_err("UNAUTHENTICATED", "NOT_FOUND")}}},
    "/cases/{case_no}/events": {"post": {
        "summary": "登记事件：审批类（决定、送达、变更、延续、撤回、撤销、注销、会商）由审批机关，"
                   "监管类（监督检查、双随机、处罚、投诉举报、变更撤销情形推送、异议）由监管部门",
        "parameters": CASE_NO,
        "requestBody": _json_body({"kind": {"type": "string", "enum": KINDS},
                                   "date": {"type": "string", "format": "date"},
                                   "summary": _S, "decision": _S, "certificate_no": _S,
                                   "valid_until": {"type": "string", "format": "date"},
                                   "record_ids": {"type": "array", "items": {"type": "integer"},
                                                  "description": "关联档案：只能是登记单位保管的档案（第十条），"
                                                                 "否则 VALIDATION（字段 record_ids）"},
                                   "participants": {**_S, "description": "会商：听取意见的单位和人员"},
                                   "outcome": {**_S, "description": "会商结果"}}, ["kind", "date"]),
        "responses": {"201": _json(DETAIL, "Created"), **_err(*_W, "NOT_FOUND", "CONFLICT")}}},
    "/cases/{case_no}/key-project": {"post": {
        "summary": "标记或取消重点项目（未央 三（三）），审批机关",
        "parameters": CASE_NO,
        "requestBody": _json_body({"key_project": {"type": "boolean"}, "reason": _S}, ["reason"]),
        "responses": {"200": _json(DETAIL), **_err(*_W, "NOT_FOUND")}}},
    "/cases/import": {"post": {
        "summary": "导入办件登记簿（CSV UTF-8/GB18030 或 XLSX，中文或英文列名）；同一文件再次提交时从中断处继续",
        "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
            "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}},
        "responses": {"200": _json(_obj(import_id={"type": "integer"}, total_rows={"type": "integer"},
                                        done_rows={"type": "integer"}, imported={"type": "integer"},
                                        skipped_existing={"type": "integer"}, resumed_from={"type": "integer"},
                                        finished={"type": "boolean"},
                                        refused={"type": "array", "items": _obj(
                                            "case_no", "reason", row={"type": "integer"})})),
                      **_err(*_W, "EMPTY_FILE", "TOO_LARGE", "CORRUPT")}}},
    "/dashboard/cases": {"get": {
        "summary": "本单位审批的办件中：超承诺时限未决定、三个工作日内到期、已决定未推送（第九条（一））",
        "responses": {"200": _json(_obj("agency", "today", "due_soon_until", totals={"type": "object"},
                                        overdue={"type": "array", "items": CASE},
                                        due_soon={"type": "array", "items": CASE},
                                        unpushed={"type": "array", "items": UNPUSHED})),
                      **_err("UNAUTHENTICATED")}}},
    "/matters/{code}/standards": {
        "get": {"summary": "事项审批标准各版本（监管部门提供，审批机关适用；第三条）", "parameters": CODE,
                "responses": {"200": _json(_obj("matter", "provider", "applier",
                                                items={"type": "array", "items": STANDARD})),
                              **_err("UNAUTHENTICATED", "NOT_FOUND")}},
        "post": {"summary": "登记新版本（监管部门的系统管理员）并以审批标准传递函推送审批机关"
                            "（第三条；未央 三（二））：传递函编号、归档、登入发文登记簿，推送记入台账；"
                            "传递函未能生成时不登记版本、不推送。"
                            "上一版本于新版本施行前一日废止", "parameters": CODE,
                 "requestBody": _json_body({"title": _S, "effective_from": {"type": "string", "format": "date"},
                                            "effective_until": {"type": "string", "format": "date"},
                                            "record_id": {"type": "integer"}, "document_id": {
                                                "type": "integer", "description": "已发出的审批标准传递函（不再另发）"},
                                            "letter": {"type": "object", "description":
                                                       "传递函内容：content 审批标准主要内容、changes、attachments、"
                                                       "contact、phone、cc；主送机关、事项、执行日期取自本版本"}},
                                           ["title", "effective_from"]),
                 "responses": {"201": _json(PUBLISHED, "Created"),
                               **_err(*_W, "NOT_FOUND", "CONFLICT", "UNAVAILABLE")}}},
    "/matters/{code}/key-project": {
        "get": {"summary": "事项是否列为重点项目（未央 三（三））", "parameters": CODE,
                "responses": {"200": _json(MATTER_FLAG), **_err("UNAUTHENTICATED", "NOT_FOUND")}},
        "post": {"summary": "将事项列为或取消重点项目（审批机关的系统管理员；未央 三（三））", "parameters": CODE,
                 "requestBody": _json_body({"key_project": {"type": "boolean"}, "reason": _S}, []),
                 "responses": {"200": _json(MATTER_FLAG), **_err(*_W, "NOT_FOUND")}}},
}
