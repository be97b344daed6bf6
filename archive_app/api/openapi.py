"""The OpenAPI 3.1 description of /api/v1. `tests/api/test_openapi.py` fails when a route is
missing here, so the description keeps up with the code."""

from __future__ import annotations

from ..core.errors import ALL_ERRORS
from ..models.registers import FLOWS, FORM_FLOWS

ERROR = {"$ref": "#/components/schemas/Error"}


def _err(*codes: str) -> dict:
    by_code = {e.code: e for e in ALL_ERRORS}
    out: dict = {}
    for code in codes:
        status = str(by_code[code].status)
        out.setdefault(status, {"description": "", "content": {"application/json": {"schema": ERROR}}})
        out[status]["description"] = (out[status]["description"] + " " + code).strip()
    return out


def _json(schema: dict, description: str = "OK") -> dict:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


RECORD_SUMMARY = {
    "type": "object",
    "required": ["id", "archival_code", "title", "formed_on", "retention", "custodian", "custodian_name", "filed_at"],
    "properties": {
        **{k: {"type": t} for k, t in {
            "id": "integer", "archival_code": "string", "title": "string", "formed_on": "string",
            "retention": "string", "custodian": "string", "custodian_name": "string", "filed_at": "string"}.items()},
        **{k: {"type": [t, "null"]} for k, t in {  # empty when the record has none
            "doc_no": "string", "responsible": "string", "doc_type": "string", "security_level": "string",
            "pages": "integer", "matter": "string", "applicant": "string", "applicant_uscc": "string",
            "case_no": "string", "category": "string", "source_record_id": "integer", "push_id": "integer",
            "received_on": "string"}.items()}},
}
OCR_STATE = {
    "description": "文字识别状态（issue 15）：null 表示无需识别（有文字层的 PDF）；pending 识别中，"
                   "done 已识别，failed 识别失败，corrected 已人工更正识别文字。"
                   "pages 为需识别的页码，failed_pages 为无法识别的页码。",
    "oneOf": [{"type": "null"}, {
        "type": "object", "required": ["state", "pages", "failed_pages", "error", "engine"],
        "additionalProperties": False,
        "properties": {"state": {"type": "string", "enum": ["pending", "done", "failed", "corrected"]},
                       "pages": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                       "failed_pages": {"type": "array", "items": {"type": "integer", "minimum": 1}},
                       "error": {"type": ["string", "null"]}, "engine": {"type": ["string", "null"]}}}],
}
OCR_REF = {"$ref": "#/components/schemas/OcrState"}
INTAKE_FIELDS = {
    "file": {"type": "string", "format": "binary"},
    "matter": {"type": "string", "description": "事项代码"},
    "title": {"type": "string", "description": "题名"},
    "formed_on": {"type": "string", "format": "date", "description": "形成日期 YYYY-MM-DD"},
    "retention": {"type": "string", "enum": ["Y", "D30", "D10"], "description": "保管期限"},
    "doc_no": {"type": "string", "description": "文号"},
    "responsible": {"type": "string", "description": "责任者"},
    "applicant": {"type": "string"},
    "applicant_uscc": {"type": "string", "description": "统一社会信用代码 (GB 32100)"},
    "case_no": {"type": "string", "description": "办件编号"},
    "doc_type": {"type": "string", "description": "文种"},
    "security_level": {"type": "string", "enum": ["非密", "内部", "秘密", "机密"]},
    "remarks": {"type": "string", "description": "备注"},
}
ID = [{"name": "record_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
LOOKUP_ID = [{"name": "request_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
LOOKUP = {"$ref": "#/components/schemas/LookupRequest"}
LOOKUP_SCHEMA = {"type": "object", "properties": {
    "id": {"type": "integer"}, "number": {"type": "string", "description": "调阅单号"},
    "status": {"type": "string", "enum": ["pending", "approved", "denied", "returned", "expired"]},
    "requester": {"type": "string"}, "requester_agency": {"type": "string"}, "custodian": {"type": "string"},
    "purpose": {"type": "string"}, "mode": {"type": "string", "enum": ["view", "download"]},
    "days": {"type": "integer"}, "granted_mode": {"type": ["string", "null"]},
    "granted_days": {"type": ["integer", "null"]}, "expires_at": {"type": ["string", "null"]},
    "decision_note": {"type": ["string", "null"]}, "record_ids": {"type": "array", "items": {"type": "integer"}},
    "created_at": {"type": "string"}}}


DOC_ID = [{"name": "doc_id", "in": "path", "required": True, "schema": {"type": "integer"}}]
STATUSES = ["pending", "issued", "failed", "voided"]
TEMPLATE = {"type": "object", "properties": {
    "id": {"type": "string"}, "title": {"type": "string"}, "format": {"type": "string"},
    "doc_type": {"type": "string"}, "retention": {"type": "string"},
    "issuer": {"type": "string", "enum": ["approving", "department", "any"],
               "description": "可制发的单位：审批机关、监管部门或任一方（不符时 FORBIDDEN，引用条款）"},
    "cites": {"type": "array", "items": {"type": "string"}, "description": "所引条款（archive_app/core/citations.py）"},
    "fields": {"type": "array", "items": {"type": "object", "properties": {
        "name": {"type": "string"}, "label": {"type": "string"},
        "type": {"type": "string", "enum": ["string", "text", "date", "integer", "choice", "matter"]},
        "required": {"type": "boolean"}, "example": {}, "allowed": {"type": "array", "items": {"type": "string"}},
    }}}}}
DOCUMENT = {"type": "object", "properties": {
    "id": {"type": "integer"}, "template": {"type": "string"}, "doc_no": {"type": "string", "description": "发文字号"},
    "title": {"type": "string"}, "issued_on": {"type": "string", "format": "date"},
    "status": {"type": "string", "enum": STATUSES}, "error": {"type": ["string", "null"]},
    "record_id": {"type": ["integer", "null"]}, "agency": {"type": "string"},
    "void_reason": {"type": ["string", "null"]}, "created_by": {"type": "string"}, "created_at": {"type": "string"},
    "links": {"type": "object", "properties": {"docx": {"type": "string"}, "pdf": {"type": "string"},
                                               "record": {"type": "string"}}}}}


def _id(name: str) -> list[dict]:
    return [{"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}]


def _obj(*names: str, **typed: dict) -> dict:
    return {"type": "object", "properties": {**{n: {"type": ["string", "null"]} for n in names}, **typed}}


DUE = {"due_on": {"type": "string", "format": "date"}, "schedule_known": {"type": "boolean"},
       "warning": {"type": ["string", "null"], "description": "途经年份未载入节假日安排时的提示"}}
PUSH = _obj("flow", "flow_label", "sender", "receiver", "matter", "case_no", "content", "channel", "document",
            "applicant_document", "sent_on", "sent_at", "sent_by", "received_at", "received_by", "handover_at",
            "event_on", "policy_category", "finding", "finding_reason", "clause",
            id={"type": "integer"}, record_ids={"type": "array", "items": {"type": "integer"}},
            reply_to={"type": ["integer", "null"]}, status={"type": "string", "enum": ["sent", "received"]},
            review_id={"type": ["integer", "null"]}, sent_late={"type": "boolean"},
            items={"type": "object", "description": "约定内容项（未央 三（四））"}, **DUE)
REVIEW = _obj("case_no", "applicant", "matter", "kind", "mode", "mode_label", "lead", "partner", "started_on",
              "notice", "conclusion", "concluded_on", "kind_note", "kind_label", "partner_agency", "participants",
              "delivered_on", id={"type": "integer"}, time_limit_days={"type": "integer"},
              conclusion_push_id={"type": ["integer", "null"]},
              push_id={"type": ["integer", "null"]}, conclusion_record_id={"type": ["integer", "null"]},
              decision_record_id={"type": ["integer", "null"]}, late={"type": "boolean"},
              status={"type": "string", "enum": ["open", "concluded", "decided"]}, **DUE)
LIAISON = _obj("agency", "unit_name", "position", "position_label", "name", "title", "phone", "mobile",
               "effective_from", "effective_to", "filed_on", "earliest_on", "reason", "document",
               id={"type": "integer"}, schedule_known={"type": "boolean"})
PROC = _obj("matter", "matter_name", "kind", "kind_note", "mode", "mode_label", "basis", "partner",
            id={"type": "integer"}, time_limit_days={"type": "integer"})
_W = ("VALIDATION", "UNAUTHENTICATED", "FORBIDDEN")


def _register_paths() -> dict:
    flows, sent = list(FLOWS), list(FORM_FLOWS)  # 第九条's seven and the 审批标准 (第三条, sent with its version)
    return {
        "/pushes": {
            "get": {"summary": "本单位信息推送台账（第九条七类及第三条审批标准，发出与收到）",
                    "parameters": [{"name": "flow", "in": "query", "schema": {"type": "string", "enum": flows}}],
                    "responses": {"200": _json(_obj(total={"type": "integer"},
                                                    items={"type": "array", "items": PUSH})),
                                  **_err("UNAUTHENTICATED")}},
            "post": {"summary": "推送信息，方向按第九条（（一）（二）审批部门→监管部门，"
                                "（三）至（七）监管部门→审批部门，（五）（六）的处理结果反向答复；"
                                "方向不符为 VALIDATION 并引用条款）；以函件推送时生成并归档函件"
                                "（letter，主送机关须为接收单位）或引用已发函件（document_id）；答复变更/撤销类推送须先认定，"
                                "并同时函告原申请人（applicant_letter 或 applicant_document_id）；due_on 为推送方期限"
                                "（约定时限，未约定为事件后 5 个工作日；审查结论为审查程序的期限）；"
                                "有推送约定时（未央 三（四））须走约定途径、填齐约定内容项（items），"
                                "约定格式为结构化信息时不附函件，为函件模板时须附该模板的函件"
                                "（平台推送用 document_id）",
                     "requestBody": _json_body({
                         "flow": {"type": "string", "enum": sent}, "receiver": {"type": "string"},
                         "content": {"type": "string"}, "channel": {"type": "string", "enum": ["platform", "letter"]},
                         "matter": {"type": "string"}, "case_no": {"type": "string"},
                         "record_ids": {"type": "array", "items": {"type": "integer"}},
                         "reply_to": {"type": "integer"}, "letter": {"type": "object"},
                         "review_id": {"type": "integer", "description": "（四）审查结论所答复的特别审查程序"},
                         "event_on": {"type": "string", "format": "date", "description": "办结或事件日期"},
                         "policy_category": {"type": "string", "description": "（七）的信息类别"},
                         "items": {"type": "object", "description": "约定内容项：项目 → 内容"},
                         "letter_template": {"type": "string"}, "applicant_letter": {"type": "object"},
                         "document_id": {"type": "integer"}, "applicant_document_id": {"type": "integer"}},
                         ["flow", "content"]),
                     "responses": {"201": _json(PUSH, "Created"), **_err(*_W, "UNAVAILABLE")}}},
        "/pushes/{push_id}": {"get": {"summary": "推送详情（推送方与接收方可见）", "parameters": _id("push_id"),
                                      "responses": {"200": _json(PUSH), **_err("UNAUTHENTICATED", "NOT_FOUND")}}},
        "/pushes/{push_id}/receive": {"post": {
            "summary": "接收单位签收；审批办结信息的签收即监管责任移交（第六条）", "parameters": _id("push_id"),
            "responses": {"200": _json(PUSH), **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT")}}},
        "/push-agreements": {
            "get": {"summary": "各事项推送约定（时限、内容、格式、途径）",
                    "responses": {"200": _json({"type": "array", "items": _obj(
                        "matter", "flow", "content_items", "format", "route", time_limit_days={"type": "integer"})}),
                        **_err("UNAUTHENTICATED")}},
            "post": {"summary": "管理员设置某事项某类推送的约定（未央 三（四） 时间、内容、格式、途径）："
                                "format 为 form（结构化信息）或该类推送的函件模板编号；函件途径须用函件模板",
                     "requestBody": _json_body({"matter": {"type": "string"}, "flow": {"type": "string"},
                                                "time_limit_days": {"type": "integer"},
                                                "content_items": {"type": "string"}, "format": {"type": "string"},
                                                "route": {"type": "string", "enum": ["platform", "letter"]}},
                                               ["matter", "flow", "time_limit_days", "content_items", "route"]),
                     "responses": {"201": {"description": "Saved"}, **_err(*_W)}}},
        "/special-reviews": {
            "get": {"summary": "本单位牵头的特别审查程序登记簿",
                    "parameters": [{"name": "year", "in": "query", "schema": {"type": "integer"}}],
                    "responses": {"200": _json(_obj(total={"type": "integer"},
                                                    items={"type": "array", "items": REVIEW})),
                                  **_err("UNAUTHENTICATED")}},
            "post": {"summary": "登记特别审查程序；联合/委托实施时生成联办通知单/委托书并推送配合单位",
                     "requestBody": _json_body({
                         "case_no": {"type": "string"}, "kind": {"type": "string"},
                         "mode": {"type": "string", "enum": ["independent", "joint", "entrusted"]},
                         "time_limit_days": {"type": "integer"}, "partner_agency": {"type": "string"},
                         "partner": {"type": "string"}, "content": {"type": "string"},
                         "contact": {"type": "string"}, "phone": {"type": "string"}},
                         ["case_no", "kind", "mode", "time_limit_days"]),
                     "responses": {"201": _json(REVIEW, "Created"), **_err(*_W, "UNAVAILABLE")}}},
        "/special-reviews/{review_id}": {"get": {
            "summary": "特别审查程序详情", "parameters": _id("review_id"),
            "responses": {"200": _json(REVIEW), **_err("UNAUTHENTICATED", "NOT_FOUND")}}},
        "/special-reviews/{review_id}/conclusion": {"post": {
            "summary": "登记审查结论（须已作为本办件档案归档）", "parameters": _id("review_id"),
            "requestBody": _json_body({"record_id": {"type": "integer"}, "conclusion": {"type": "string"}},
                                      ["record_id", "conclusion"]),
            "responses": {"200": _json(REVIEW), **_err(*_W, "NOT_FOUND", "CONFLICT")}}},
        "/special-reviews/{review_id}/decision": {"post": {
            "summary": "关联许可决定（须先有审查结论，第十四条）", "parameters": _id("review_id"),
            "requestBody": _json_body({"record_id": {"type": "integer"}}, ["record_id"]),
            "responses": {"200": _json(REVIEW), **_err(*_W, "NOT_FOUND", "CONFLICT")}}},
        "/review-procedures": {
            "get": {"summary": "市行政审批服务局行政许可事项特别审查程序汇总表（按事项）；agency 为审批部门代码",
                    "parameters": [{"name": "agency", "in": "query", "schema": {"type": "string"}}],
                    "responses": {"200": _json(_obj(total={"type": "integer"}, items={"type": "array", "items": PROC})),
                                  **_err("UNAUTHENTICATED")}},
            "post": {"summary": "审批部门管理员新增或替换一行（同一事项、同一程序）",
                     "requestBody": _json_body({k: {"type": "string"} for k in (
                         "matter", "kind", "kind_note", "mode", "basis", "partner")} | {
                         "time_limit_days": {"type": "integer"}},
                         ["matter", "kind", "mode", "basis", "time_limit_days"]),
                     "responses": {"201": _json(PROC), **_err(*_W)}}},
        "/review-procedures/import": {"post": {
            "summary": "导入汇总表 CSV（事项代码,特别审查程序,程序说明,实施方式,依据,时限,配合单位），全部或全不",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "properties": {"file": {"type": "string", "format": "binary"}}}}}},
            "responses": {"201": _json(_obj(imported={"type": "integer"})), **_err(*_W)}}},
        "/review-procedures/{row_id}": {"delete": {
            "summary": "删除汇总表的一行", "parameters": _id("row_id"),
            "responses": {"204": {"description": "已删除"}, **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND")}}},
        "/special-reviews/{review_id}/participants": {"post": {
            "summary": "配合或受托单位确定参加人员（第八条第（三）项）", "parameters": _id("review_id"),
            "requestBody": _json_body({"participants": {"type": "string"}}, ["participants"]),
            "responses": {"200": _json(REVIEW), **_err(*_W, "NOT_FOUND", "CONFLICT")}}},
        "/pushes/{push_id}/finding": {"post": {
            "summary": "审批部门对异议或撤销推送的认定：属实/不属实并说明理由（未央 三（五）），答复处理结果之前",
            "parameters": _id("push_id"),
            "requestBody": _json_body({"finding": {"type": "string", "enum": ["true", "untrue"]},
                                       "finding_reason": {"type": "string"}}, ["finding", "finding_reason"]),
            "responses": {"200": _json(PUSH), **_err(*_W, "NOT_FOUND", "CONFLICT")}}},
        "/liaison-officers": {
            "get": {"summary": "现任分管领导和联络员（两单位）；history=1 为本单位备案历史",
                    "parameters": [{"name": "agency", "in": "query", "schema": {"type": "string"}},
                                   {"name": "history", "in": "query", "schema": {"type": "string", "enum": ["1"]}}],
                    "responses": {"200": _json(_obj(items={"type": "array", "items": LIAISON},
                                                    pending={"type": "array", "items": LIAISON})),
                                  **_err("UNAUTHENTICATED")}},
            "post": {"summary": "备案或变更（变更须提前五个工作日，例外须说明原因；变更时生成备案函）",
                     "requestBody": _json_body({
                         "unit_name": {"type": "string"}, "position": {"type": "string", "enum": ["leader", "liaison"]},
                         "name": {"type": "string"}, "title": {"type": "string"}, "phone": {"type": "string"},
                         "mobile": {"type": "string"}, "effective_from": {"type": "string", "format": "date"},
                         "reason": {"type": "string", "description": "变更的特殊原因（变更时必填，第八条）"},
                         "letter": {"type": "boolean"}}, ["unit_name", "position", "name", "effective_from"]),
                     "responses": {"201": _json(LIAISON, "Created"), **_err(*_W, "UNAVAILABLE")}}},
        "/liaison-officers/filing-form": {"post": {
            "summary": "按某科室现任分管领导和联络员生成联络员备案表（公文，自动编号归档）",
            "requestBody": _json_body({"unit_name": {"type": "string"}}, ["unit_name"]),
            "responses": {"201": _json(_obj(document_id={"type": "integer"}, links={"type": "object"}), "Created"),
                          **_err(*_W, "UNAVAILABLE")}}},
        "/dashboard": {"get": {"summary": "本单位工作台：待签收、逾期、三个工作日内到期、待审查结论、待生效联络员变更",
                               "responses": {"200": _json(_obj("agency", "today", "due_soon_until",
                                                               counts={"type": "object"})),
                                             **_err("UNAUTHENTICATED")}}},
        "/workdays/schedules": {"post": {
            "summary": "管理员载入某年的节假日安排（CSV：date,kind[,name]），并重算未完结事项的期限",
            "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                "type": "object", "required": ["file", "year"],
                "properties": {"file": {"type": "string", "format": "binary"}, "year": {"type": "integer"}}}}}},
            "responses": {"201": _json(_obj(year={"type": "integer"}, days={"type": "integer"})), **_err(*_W)}}},
    }


def _json_body(properties: dict, required: list[str]) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": properties}}}}


REGISTER_PATHS = _register_paths()


def _case_paths() -> dict:
    from .openapi_cases import CASE_PATHS

    return CASE_PATHS


def _spec() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "审管联动档案与公文系统 API", "version": "1"},
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearer": []}, {"session": []}],
        "components": {
            "securitySchemes": {
                "bearer": {"type": "http", "scheme": "bearer", "description": "archive-app token create"},
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": "写操作另需 X-CSRFToken 请求头"},
            },
            "schemas": {
                "Error": {"type": "object", "required": ["error"], "properties": {"error": {
                    "type": "object", "required": ["code", "message"],
                    "properties": {"code": {"type": "string", "enum": [e.code for e in ALL_ERRORS]},
                                   "message": {"type": "string"},
                                   "existing_id": {"type": "integer"},
                                   "fields": {"type": "object"}}}}},
                "RecordSummary": RECORD_SUMMARY,
                "OcrState": OCR_STATE,
                "LookupRequest": LOOKUP_SCHEMA,
            },
        },
        "paths": {
            "/records": {
                "post": {
                    "summary": "归档一个文件（与上传页面、批量导入共用同一流程）",
                    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": {
                        "type": "object", "required": ["file", "matter", "title", "formed_on", "retention"],
                        "properties": INTAKE_FIELDS}}}},
                    "responses": {
                        "201": _json({"type": "object", "properties": {
                            "id": {"type": "integer"}, "archival_code": {"type": "string"},
                            "custodian": {"type": "string"}, "sha256": {"type": "string"},
                            "pages": {"type": ["integer", "null"]}}}, "Filed"),
                        **_err("EMPTY_FILE", "VALIDATION", "TOO_LARGE", "UNSUPPORTED_TYPE", "TYPE_MISMATCH",
                               "ENCRYPTED", "CORRUPT", "ARCHIVE_BOMB", "EXTERNAL_REFERENCE", "DUPLICATE",
                               "WRONG_CUSTODIAN", "UNAUTHENTICATED", "FORBIDDEN"),
                    },
                },
                "get": {
                    "summary": "按保管单位、年度、事项浏览目录，或按档号查找",
                    "parameters": [{"name": n, "in": "query", "schema": {"type": t}} for n, t in (
                        ("archival_code", "string"), ("custodian", "string"), ("year", "integer"),
                        ("matter", "string"), ("page", "integer"), ("per_page", "integer"))],
                    "responses": {"200": _json({"type": "object", "properties": {
                        "total": {"type": "integer"}, "page": {"type": "integer"},
                        "per_page": {"type": "integer"},
                        "items": {"type": "array", "items": {"allOf": [
                            {"$ref": "#/components/schemas/RecordSummary"},
                            {"type": "object", "required": ["ocr"], "properties": {"ocr": OCR_REF}}]}}}}),
                        **_err("VALIDATION", "UNAUTHENTICATED")},
                },
            },
            "/records/{record_id}": {"get": {
                "summary": "档案目录信息；内容（文件摘要）只对保管单位可见",
                "parameters": ID,
                "responses": {"200": _json({"allOf": [{"$ref": "#/components/schemas/RecordSummary"}, {
                    "type": "object", "required": ["ocr"],
                    "properties": {"accessible": {"type": "boolean"}, "ocr": OCR_REF,
                                                     "custody_history": {"type": "array"},
                                                     "files": {"type": "array"}}}]}),
                              **_err("UNAUTHENTICATED", "NOT_FOUND")}}},
            "/records/{record_id}/content": {"get": {
                "summary": "下载原件（原始字节）", "parameters": ID,
                "responses": {"200": {"description": "原件（其原有的媒体类型）", "content": {"*/*": {}}},
                              **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONTENT_DAMAGED")}}},
            "/records/{record_id}/stamped": {"get": {
                "summary": "加盖归档章的 PDF 副本", "parameters": ID,
                "responses": {"200": {"description": "PDF", "content": {"application/pdf": {}}},
                              **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONTENT_DAMAGED")}}},
            "/matters": {"get": {
                "summary": "事项及其划转日期",
                "responses": {"200": _json({"type": "array", "items": {"type": "object", "properties": {
                    "code": {"type": "string"}, "name": {"type": "string"},
                    "department": {"type": "string"}, "approving_agency": {"type": "string"},
                    "transfer_date": {"type": ["string", "null"], "format": "date"},
                    "time_limit_days": {"type": ["integer", "null"]}}}}), **_err("UNAUTHENTICATED")}}},
            "/lookup-requests": {
                "post": {
                    "summary": "提出调阅申请（对方单位保管的档案）",
                    "requestBody": _json_body({
                        "record_ids": {"type": "array", "items": {"type": "integer"}},
                        "purpose": {"type": "string"}, "mode": {"type": "string", "enum": ["view", "download"]},
                        "days": {"type": "integer", "minimum": 1}}, ["record_ids", "purpose", "mode", "days"]),
                    "responses": {"201": _json(LOOKUP, "Created"),
                                  **_err("VALIDATION", "UNAUTHENTICATED", "FORBIDDEN")}},
                "get": {
                    "summary": "我的申请、待我单位审批的申请、本单位相关的历史",
                    "responses": {"200": _json({"type": "object", "properties": {
                        k: {"type": "array", "items": LOOKUP} for k in ("mine", "queue", "history")}}),
                        **_err("UNAUTHENTICATED")}},
            },
            "/lookup-requests/{request_id}": {"get": {
                "summary": "调阅申请详情（申请方与保管方可见）", "parameters": LOOKUP_ID,
                "responses": {"200": _json(LOOKUP), **_err("UNAUTHENTICATED", "NOT_FOUND")}}},
            "/lookup-requests/{request_id}/decision": {"post": {
                "summary": "保管单位审批：批准（可收窄方式或缩短期限）或拒绝（需说明理由）",
                "parameters": LOOKUP_ID,
                "requestBody": _json_body({
                    "decision": {"type": "string", "enum": ["approve", "deny"]}, "note": {"type": "string"},
                    "mode": {"type": "string", "enum": ["view", "download"]}, "days": {"type": "integer"}},
                    ["decision"]),
                "responses": {"200": _json(LOOKUP),
                              **_err("VALIDATION", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT")}}},
            "/lookup-requests/{request_id}/return": {"post": {
                "summary": "申请人提前归还，访问立即结束", "parameters": LOOKUP_ID,
                "responses": {"200": _json(LOOKUP), **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT")}}},
            "/search": {"get": {
                "summary": "全文检索（两单位档案）：目录字段对双方可见；正文命中、摘要和计数只来自本人可查阅的档案",
                "parameters": [{"name": n, "in": "query", "schema": {"type": t}, "description": d} for n, t, d in (
                    ("q", "string", '检索式：空格=并且，"词组"，OR，NOT 或 -，英文/数字后 * 为前缀'),
                    ("custodian", "string", "保管单位代码"), ("matter", "string", "事项代码"),
                    ("doc_type", "string", "文种"), ("retention", "string", "保管期限"),
                    ("applicant", "string", "申请人"), ("doc_no", "string", "文号（括号写法不限）"),
                    ("date_from", "string", "YYYY-MM-DD"), ("date_to", "string", "YYYY-MM-DD"),
                    ("sort", "string", "relevance | date | date_asc"), ("page", "integer", "页码"),
                    ("per_page", "integer", "每页条数，最多 100"))],
                "responses": {"200": _json({"type": "object", "properties": {
                    "total": {"type": "integer"}, "page": {"type": "integer"}, "per_page": {"type": "integer"},
                    "cases": {"type": "array", "description": "匹配的办件（前 5 件，仅目录字段；见 /cases?q=）",
                              "items": {"type": "object"}},
                    "cases_total": {"type": "integer"},
                    "hits": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "title": {"type": "string"}, "archival_code": {"type": "string"},
                        "custodian": {"type": "string"}, "matter": {"type": "string"},
                        "doc_no": {"type": ["string", "null"]}, "formed_on": {"type": "string"},
                        "snippet": {"type": ["string", "null"], "description": "HTML，匹配处以 <mark> 标出"},
                        "accessible": {"type": "boolean"}}}},
                    "facets": {"type": "object", "additionalProperties": {
                        "type": "object", "additionalProperties": {"type": "integer"}}}}}),
                    **_err("VALIDATION", "UNAUTHENTICATED")}}},
            "/templates": {"get": {
                "summary": "公文模板目录：编号、名称、格式、变量表（含示例值）",
                "responses": {"200": _json({"type": "array", "items": TEMPLATE}), **_err("UNAUTHENTICATED")}}},
            "/documents": {
                "post": {
                    "summary": "按模板发文：自动编发文字号，生成 .docx 与 PDF，并作为本单位档案归档",
                    "requestBody": _json_body({"template": {"type": "string", "description": "模板编号"},
                                               "data": {"type": "object", "description": "变量值（见 /templates）"}},
                                              ["template", "data"]),
                    "responses": {"201": _json(DOCUMENT, "Created"),
                                  **_err("VALIDATION", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "UNAVAILABLE")}},
                "get": {
                    "summary": "本单位发文登记簿（含作废、生成失败的号码）",
                    "parameters": [{"name": "year", "in": "query", "schema": {"type": "integer"}},
                                   {"name": "status", "in": "query", "schema": {"type": "string", "enum": STATUSES}}],
                    "responses": {"200": _json({"type": "object", "properties": {
                        "total": {"type": "integer"}, "items": {"type": "array", "items": DOCUMENT}}}),
                        **_err("UNAUTHENTICATED", "FORBIDDEN")}},
            },
            "/documents/{doc_id}": {"get": {
                "summary": "公文详情与文件链接", "parameters": DOC_ID,
                "responses": {"200": _json(DOCUMENT), **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND")}}},
            "/documents/{doc_id}/docx": {"get": {
                "summary": "下载 .docx 底稿（记入审计日志）", "parameters": DOC_ID,
                "responses": {"200": {"description": ".docx"}, **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND")}}},
            "/documents/{doc_id}/pdf": {"get": {
                "summary": "下载 PDF 版式文件（归档的原件，记入审计日志）", "parameters": DOC_ID,
                "responses": {"200": {"description": "PDF"}, **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND")}}},
            "/documents/{doc_id}/void": {"post": {
                "summary": "作废：号码保留在登记簿中，不再使用", "parameters": DOC_ID,
                "requestBody": _json_body({"reason": {"type": "string"}}, ["reason"]),
                "responses": {"200": _json(DOCUMENT),
                              **_err("VALIDATION", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT")}}},
            "/documents/{doc_id}/retry": {"post": {
                "summary": "重新生成未完成（生成中/生成失败）的公文，沿用原号码", "parameters": DOC_ID,
                "responses": {"200": _json(DOCUMENT),
                              **_err("UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "UNAVAILABLE")}}},
            "/reports/{report_id}": {"get": {
                "summary": "报表：filing-catalogue 归档文件目录（A4 横向）/ special-review-summary "
                           "市行政审批服务局行政许可事项特别审查程序汇总表"
                           "（PDF 为 A4 纵向、表格横排，GB/T 9704-2012）/ "
                           "special-review-register 特别审查程序登记簿（A4 横向）",
                "parameters": [{"name": "report_id", "in": "path", "required": True,
                                "schema": {"type": "string", "enum": ["filing-catalogue", "special-review-summary",
                                                                        "special-review-register"]}},
                               {"name": "format", "in": "query", "schema": {"type": "string", "enum": ["xlsx", "pdf"]}},
                               {"name": "year", "in": "query", "schema": {"type": "integer"}},
                               {"name": "agency", "in": "query", "schema": {"type": "string"},
                                "description": "单位代码，默认本单位。报表按其所列对象的访问规则："
                                               "归档文件目录（目录信息）可查两个单位；"
                                               "特别审查程序汇总表只能查本单位（否则 FORBIDDEN）"}],
                "responses": {"200": {"description": "XLSX 或 PDF（单元格一律为文本，不含公式）"},
                              **_err("VALIDATION", "UNAUTHENTICATED", "FORBIDDEN", "NOT_FOUND")}}},
            **REGISTER_PATHS,
            **_case_paths(),
            "/workdays/deadline": {"get": {
                "summary": "按工作日计算期限（开始当日不计入；节假日与调休按国务院安排）",
                "parameters": [{"name": "start", "in": "query", "required": True, "schema": {"type": "string",
                                                                                          "format": "date"}},
                               {"name": "days", "in": "query", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "start": {"type": "string"}, "days": {"type": "integer"}, "deadline": {"type": "string"},
                    "schedule_known": {"type": "boolean", "description": "途经年份均已有节假日安排"},
                    "unknown_years": {"type": "array", "items": {"type": "integer"}},
                    "warning": {"type": ["string", "null"]}}}), **_err("VALIDATION", "UNAUTHENTICATED")}}},
            "/openapi.json": {"get": {"summary": "本说明", "security": [],
                                      "responses": {"200": {"description": "OpenAPI 3.1"}}}},
        },
    }


# Answers any operation may give besides those it lists (web/errors.py; declared in core/errors.py).
GENERAL_ERRORS = ("BAD_REQUEST", "METHOD_NOT_ALLOWED", "INTERNAL")


def spec() -> dict:
    """The document, each operation also answering `default`: an Error for a malformed request
    (BAD_REQUEST), a method the path does not take (METHOD_NOT_ALLOWED) or an unexpected failure
    (INTERNAL)."""
    doc = _spec()
    default = {"description": " ".join(GENERAL_ERRORS), "content": {"application/json": {"schema": ERROR}}}
    for ops in doc["paths"].values():
        for op in ops.values():
            op["responses"].setdefault("default", default)
    return doc
