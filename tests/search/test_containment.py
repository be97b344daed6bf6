"""The search engine is contained (issue 13 item 4): Whoosh's private names are read in one module
only; a start-up canary compares the vectorised engine with Whoosh's own execution and switches to
Whoosh's when they disagree; `ARCHIVE_SEARCH_EXECUTOR=whoosh` gives the same answers; an index
whose pickled classes cannot be read is rebuilt from the database."""

from __future__ import annotations

import ast
import dataclasses
import gc
import re
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import whoosh

from archive_app import search
from archive_app.core.config import load_settings
from archive_app.search import canary, schema, whoosh_internals
from tests.search.conftest import add_records

PACKAGE = Path(__file__).resolve().parents[2] / "archive_app"


def _whoosh_private_attributes() -> set[str]:
    """Every `_name` Whoosh's own code uses as an attribute (self._x, obj._x)."""
    names: set[str] = set()
    for path in Path(whoosh.__file__).parent.rglob("*.py"):
        names |= set(re.findall(r"\.(_[a-z][a-z0-9_]*)\b", path.read_text(errors="replace")))
    return names


def _our_names(tree: ast.AST) -> set[str]:
    """Private names our own code defines (attributes it assigns, fields, functions)."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
            names.add(node.attr)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
    return names


def test_private_whoosh_names_are_read_only_in_whoosh_internals() -> None:
    whoosh_private = _whoosh_private_attributes()
    trees = {p: ast.parse(p.read_text()) for p in PACKAGE.rglob("*.py")}
    ours = set().union(*map(_our_names, trees.values()))
    offences = []
    for path, tree in trees.items():
        if path.name == "whoosh_internals.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("whoosh"):
                if node.module.startswith(("whoosh.codec", "whoosh.filedb.structfile")) or any(
                        a.name.startswith("_") for a in node.names):
                    offences.append(f"{path.name}:{node.lineno} imports from {node.module}")
            elif (isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__")
                  and node.attr in whoosh_private and node.attr not in ours):
                offences.append(f"{path.name}:{node.lineno} reads .{node.attr}")
    assert not offences, offences


def test_the_layout_module_lists_each_private_name_it_reads() -> None:
    source = (PACKAGE / "search" / "whoosh_internals.py").read_text()
    doc = ast.get_docstring(ast.parse(source))
    code = source.split('"""', 2)[2]
    for name in set(re.findall(r"\.(_[a-z][a-z0-9_]*)\b", code)):
        assert name in doc, f"{name} is read but not listed among the layout assumptions"


@pytest.fixture
def fresh_canary():
    canary.reset()
    yield
    canary.reset()


def test_the_canary_agrees_with_this_whoosh(fresh_canary) -> None:
    assert canary.probe() == canary.Verdict(True, "agrees")
    assert canary.executor("numpy") == "numpy"
    assert canary.executor("whoosh") == "whoosh"


def _drop_last_block(real):
    def read(reader, fieldname, text, only=None):
        docs, freqs, values = real(reader, fieldname, text, only)
        if len(docs) > 128:  # a changed block layout that loses a block
            keep = len(docs) - (len(docs) % 128 or 128)
            docs, freqs = docs[:keep], freqs[:keep]
            values = values[:keep] if values else values
        return docs, freqs, values
    return read


def test_the_canary_catches_a_changed_layout(fresh_canary, monkeypatch) -> None:
    with monkeypatch.context() as m:
        m.setattr(whoosh_internals, "read_postings", _drop_last_block(whoosh_internals.read_postings))
        assert not canary.probe().ok
    with monkeypatch.context() as m:  # field lengths misread: BM25F ranking changes
        m.setattr(whoosh_internals, "LENGTHS", np.full(256, 3.0, np.float32))
        verdict = canary.probe()
        assert not verdict.ok and "ranking" in verdict.detail
    with monkeypatch.context() as m:
        def unreadable(*_args, **_kw):
            raise ValueError("unexpected postings layout")
        m.setattr(whoosh_internals, "read_postings", unreadable)
        assert "unexpected postings layout" in canary.probe().detail
    assert canary.probe().ok


def test_a_disagreeing_engine_switches_searches_to_whooshs_execution(archive, org, users, searcher_for,
                                                                     fresh_canary, monkeypatch, caplog) -> None:
    text = "审批监管联动" * 30
    ids = add_records(archive, [{"title": f"许可档案{i}", "text": text} for i in range(140)])  # > one block
    assert searcher_for("spj_officer", q="审批监管", per_page=100).total == 140
    monkeypatch.setattr(whoosh_internals, "read_postings", _drop_last_block(whoosh_internals.read_postings))
    from archive_app.search import engine
    monkeypatch.setattr(engine, "cache", engine._Cache(engine.CACHE_BYTES))
    monkeypatch.setattr(canary, "_verdict", canary.Verdict(True, "agrees"))  # as if probed before the change
    assert searcher_for("spj_officer", q="审批监管", per_page=100).total == 128  # the engine now misses records
    canary.reset()  # the next start probes again
    assert canary.executor("numpy") == "whoosh"
    assert "disagrees with Whoosh" in caplog.text
    found = searcher_for("spj_officer", q="审批监管", per_page=100)
    assert found.total == 140 and found.facets["custodian"] == {"SPJ": 140}
    assert {h.id for h in found.hits} <= set(ids) and len(found.hits) == 100


QUERIES = [dict(q="许可"), dict(q="许可 决定"), dict(q='"行政许可决定"'), dict(q="许可 -撤销"), dict(q="决定 OR 撤销"),
           dict(q="许可", sort="date"), dict(q="许可", sort="date_asc", page=2, per_page=3),
           dict(q="", custodian="SPJ", sort="date"), dict(q="许可", date_from="2024-01-01", date_to="2025-12-31"),
           dict(q="2024*"), dict(q="许可", doc_type="批复")]


def test_whooshs_execution_gives_the_engines_answers(archive, org, users, searcher_for) -> None:
    rows = [{"title": t, "text": x, "custodian": c, "formed_on": d, "doc_no": f"安行审许〔{d.year}〕{i}号",
             "doc_type": "批复" if i % 2 else None}
            for i, (t, x, c, d) in enumerate([
                ("准予行政许可决定书", "行政许可决定 许可 事项", "SPJ", date(2024, 3, 1)),
                ("撤销行政许可决定", "撤销 许可 决定", "SPJ", date(2023, 5, 2)),
                ("许可证变更", "变更 许可", "RSJ", date(2025, 1, 9)),
                ("监管记录", "日常监管 许可 检查", "RSJ", date(2022, 7, 7)),
                ("许可档案", "行政许可决定 留存", "SPJ", date(2025, 6, 30)),
                ("不予许可决定书", "不予 许可 决定", "SPJ", date(2024, 11, 11)),
                ("信息推送", "推送 审批 结果", "RSJ", date(2024, 2, 2))])]
    add_records(archive, rows * 3)
    for params in QUERIES:
        fast = searcher_for("spj_officer", **params)
        archive.settings = dataclasses.replace(archive.settings, search_executor="whoosh")
        try:
            slow = searcher_for("spj_officer", **params)
        finally:
            archive.settings = dataclasses.replace(archive.settings, search_executor="numpy")
        assert fast.total == slow.total > 0, params
        assert fast.facets == slow.facets, params
        if params.get("sort"):
            assert [h.id for h in fast.hits] == [h.id for h in slow.hits], params
        else:  # phrases score by their own formula in each; the same records, the exact ones first
            assert {h.id for h in fast.hits} == {h.id for h in slow.hits}, params


def test_the_executor_setting_is_read_and_checked(overrides, monkeypatch) -> None:
    monkeypatch.setenv("ARCHIVE_SEARCH_EXECUTOR", "whoosh")
    assert load_settings(overrides).search_executor == "whoosh"
    monkeypatch.setenv("ARCHIVE_SEARCH_EXECUTOR", "fast")
    with pytest.raises(ValueError, match="numpy or whoosh"):
        load_settings(overrides)


def test_an_index_whose_pickled_classes_cannot_be_read_is_rebuilt(archive, org, users, searcher_for) -> None:
    ids = add_records(archive, [{"title": "划转移交清单"}, {"title": "划转移交说明"}])
    toc = next(schema.index_path(archive.settings.index_dir).glob("*.toc"))
    toc.write_bytes(toc.read_bytes().replace(b"RawPositions", b"RawPositionz"))  # a class that moved
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)  # Whoosh leaves the file open on this error
        with pytest.raises(AttributeError):
            schema.open_index(archive.settings.index_dir)
        gc.collect()
    assert search.ensure_index(archive) == 2
    assert {h.id for h in searcher_for("spj_officer", q="划转移交").hits} == set(ids)
    assert search.ensure_index(archive) is None  # readable and current: left alone
    assert search.check(archive).ok
