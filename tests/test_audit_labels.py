"""Every audit action has a Chinese label (issue 16 item 3), found by reading the package source.

Adding `audit.append(..., action="x.y")` without adding "x.y" to archive_app/audit/labels.py
makes this test fail; an action built at run time (f-string, variable) fails too, because its
codes could not be checked.
"""

from __future__ import annotations

import ast
from pathlib import Path

import archive_app
from archive_app.audit import labels as audit_labels

PACKAGE = Path(archive_app.__file__).parent


def _is_audit_append(call: ast.Call) -> bool:
    f = call.func
    return (isinstance(f, ast.Attribute) and f.attr == "append" and isinstance(f.value, ast.Name)
            and f.value.id == "audit") or (isinstance(f, ast.Name) and f.id in ("append", "audit_append"))


def scan_actions(root: Path) -> tuple[set[str], list[str]]:
    """Literal action codes passed to audit.append, and places where the action is not a literal."""
    actions: set[str] = set()
    dynamic: list[str] = []
    for path in sorted(root.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and _is_audit_append(node)):
                continue
            for kw in node.keywords:
                if kw.arg != "action":
                    continue
                values = [n for n in ast.walk(kw.value) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
                literal_only = all(isinstance(n, (ast.Constant, ast.IfExp, ast.Compare, ast.Name, ast.Load,
                                                  ast.Attribute, ast.Eq, ast.NotEq, ast.In, ast.NotIn,
                                                  ast.Tuple, ast.BoolOp, ast.And, ast.Or))
                                   for n in ast.walk(kw.value))
                if isinstance(kw.value, (ast.Name, ast.Attribute, ast.JoinedStr, ast.Call)) or not literal_only:
                    dynamic.append(f"{path.relative_to(root)}:{node.lineno}")
                    continue
                # in `"a.b" if cond else "a.c"` only the branches are actions, not compared values
                for n in values:
                    if "." in n.value and " " not in n.value:
                        actions.add(n.value)
    return actions, dynamic


def test_every_audit_action_in_the_package_has_a_chinese_label():
    actions, dynamic = scan_actions(PACKAGE)
    assert len(actions) >= 30  # the scan really finds the calls
    missing = sorted(a for a in actions if a not in audit_labels.ACTION_LABELS)
    assert not missing, f"audit actions without a Chinese label in archive_app/audit/labels.py: {missing}"
    assert not dynamic, f"audit actions must be string literals so their labels can be checked: {dynamic}"


def test_the_scan_fails_for_an_action_without_a_label(tmp_path):
    (tmp_path / "mod.py").write_text(
        'from archive_app import audit\n'
        'def f(s):\n'
        '    audit.append(s, actor="x", action="widget.frobnicate")\n'
        '    audit.append(s, actor="x", action="record.view" if s else "record.download")\n'
        '    audit.append(s, actor="x", action=f"lookup.{s}")\n', encoding="utf-8")
    actions, dynamic = scan_actions(tmp_path)
    assert actions == {"widget.frobnicate", "record.view", "record.download"}
    assert [a for a in actions if a not in audit_labels.ACTION_LABELS] == ["widget.frobnicate"]
    assert dynamic == ["mod.py:5"]


def test_labels_are_chinese_and_details_read_as_fields():
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in label) for label in audit_labels.ACTION_LABELS.values())
    assert audit_labels.action_label("push.send") == "推送信息"
    assert audit_labels.object_label("record") == "档案"
    fields = audit_labels.detail_fields('{"archival_code":"J001-WS·2026-D30-SPB-0001","handover":true,"role":"clerk"}')
    assert fields == [("archival_code", "档号", "J001-WS·2026-D30-SPB-0001"), ("handover", "责任移交", "是"),
                      ("role", "角色", "档案管理员")]
    assert audit_labels.detail_text('{"doc_no":"安行审函〔2026〕3号"}') == "文号：安行审函〔2026〕3号"



def test_every_action_group_has_a_chinese_name_on_the_page():
    from archive_app.web.audit_pages import group_label

    groups = {code.split(".")[0] for code in audit_labels.ACTION_LABELS}
    assert all(any("\u4e00" <= ch <= "\u9fff" for ch in group_label(g)) for g in groups)
    assert group_label("push") == "推送" and group_label("zzz") == "zzz"


def scan_detail_keys(root: Path) -> set[str]:
    """Literal keys of the `detail={...}` dicts passed to audit.append (and of dicts inside them)."""
    keys: set[str] = set()
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and _is_audit_append(node):
                for kw in node.keywords:
                    if kw.arg == "detail":
                        for d in ast.walk(kw.value):
                            if isinstance(d, ast.Dict):
                                keys.update(k.value for k in d.keys if isinstance(k, ast.Constant))
    return keys


def test_every_detail_field_in_the_package_has_a_chinese_label():
    from archive_app import audit

    keys = scan_detail_keys(PACKAGE)
    assert len(keys) >= 60  # the scan really finds the detail dicts
    # built at run time: the search's filters (audit.search_detail) and the catalogue listing's
    class Asked:
        q, custodian, matter, doc_type, retention, applicant, doc_no = "许可", "SPJ", "LWPQ", "决定", "D30", "甲", "1号"
        date_from, date_to, sort, page = "2026-01-01", "2026-12-31", "date", 2
    keys |= set(audit.search_detail(Asked(), 3, "web")) | {"archival_code", "custodian", "year", "matter", "page",
                                                           "per_page"}
    missing = sorted(k for k in keys if k not in audit_labels.DETAIL_LABELS)
    assert not missing, f"audit detail fields without a Chinese label in archive_app/audit/labels.py: {missing}"


def test_coded_values_read_in_chinese():
    import archive_app.cases.kinds  # noqa: F401 — registers the 办件 event kinds

    agencies = {"SPJ": "安康市行政审批服务局", "RSJ": "安康市人力资源和社会保障局"}
    text = audit_labels.detail_text({"flow": "approval_result", "channel": "platform", "custodian": "RSJ",
                                     "mode": "independent", "position": "liaison", "sort": "relevance",
                                     "media_type": "application/pdf", "size": 22670, "due_on": "2026-12-16",
                                     "kind": "inspection", "retention": "D30", "category": "received"}, agencies)
    assert text == ("推送类型：（一）审批办结信息；渠道：信息平台；保管单位：安康市人力资源和社会保障局；方式：独立组织实施；"
                    "职务：联络员；排序：按相关度；文件格式：PDF；大小：22.1 KB；期限：2026年12月16日；类型：监督检查；"
                    "保管期限：30年；来源：收文")
    moves = audit_labels.detail_text({"moves": [{"from": "J001-WS·2026-D30-SWK-0002", "to": "J001-WS·2026-D30-SWK-0001"}]})
    assert moves == "件号调整：J001-WS·2026-D30-SWK-0002 → J001-WS·2026-D30-SWK-0001"
    assert audit_labels.detail_text({"from": "clerk", "to": "admin"}) == "原：档案管理员；新：系统管理员"
