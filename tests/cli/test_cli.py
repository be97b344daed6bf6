"""The `archive-app` commands of DESIGN.md §4, run as a user would (in-process Click runner)."""

from __future__ import annotations

import csv
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from archive_app.cli import main
from archive_app.models import Matter, Record
from tests import factories as f


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def _manifest(folder: Path, rows: list[dict]) -> Path:
    path = folder / "manifest.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=["file", "matter", "title", "formed_on", "retention", "doc_no"])
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_set_up_an_archive_from_the_command_line(env, archive) -> None:
    assert run("init").exit_code == 0
    assert run("agency", "add", "SCJ", "--name", "安康市市场监督管理局", "--fonds", "J003").exit_code == 0
    assert run("agency", "add", "SPJ", "--name", "安康市行政审批服务局", "--fonds", "J001").exit_code == 0
    assert run("unit", "add", "SCJ", "DJK", "--name", "登记注册科", "--default").exit_code == 0
    assert run("unit", "add", "SPJ", "SCK", "--name", "市场准入科").exit_code == 0
    result = run("matter", "add", "SPXK", "--name", "食品生产许可", "--department", "SCJ", "--approving", "SPJ",
                 "--transfer-date", "2022-01-01", "--approving-unit", "SCK")
    assert result.exit_code == 0, result.output
    with archive.db.session() as s:
        m = s.scalar(select(Matter).where(Matter.code == "SPXK"))
        assert (m.department.code, m.approving_agency.code, str(m.transfer_date)) == ("SCJ", "SPJ", "2022-01-01")
    bad = run("matter", "add", "X", "--name", "x", "--department", "NOPE", "--approving", "SPJ")
    assert bad.exit_code == 1 and "NOPE" in bad.output
    assert run("user", "add", "scj_clerk", "--agency", "SCJ", "--role", "clerk", "--password-stdin",
               input="a long password\n").exit_code == 0
    short = run("user", "add", "x_clerk", "--agency", "SCJ", "--role", "clerk", "--password-stdin", input="short\n")
    assert short.exit_code == 1 and "密码至少8个字符" in short.output
    token = run("token", "create", "scj_clerk")
    assert token.exit_code == 0 and token.output.strip().startswith("arc_")
    assert run("audit", "verify").exit_code == 0


def test_import_files_reports_refusals_and_resumes(env, archive, org, tmp_path) -> None:
    folder = tmp_path / "batch"
    folder.mkdir()
    rows = []
    for i in range(3):
        (folder / f"d{i}.pdf").write_bytes(f.pdf_bytes(f"批量 {i}"))
        rows.append({"file": f"d{i}.pdf", "matter": "LWPQ", "title": f"决定书{i}",
                     "formed_on": f"2021-05-0{i + 1}", "retention": "D30", "doc_no": f"安人社许〔2021〕{i + 1}号"})
    (folder / "bad.pdf").write_bytes(b"not a pdf at all")
    rows.append({"file": "bad.pdf", "matter": "LWPQ", "title": "坏文件", "formed_on": "2021-05-09", "retention": "D30"})
    rows.append({"file": "../outside.pdf", "matter": "LWPQ", "title": "越界", "formed_on": "2021-05-09",
                 "retention": "D30"})
    _manifest(folder, rows)
    first = run("import", str(folder))
    assert first.exit_code == 1
    assert "已归档 3 件" in first.output and "拒收 2 件" in first.output
    assert "bad.pdf" in first.output and "../outside.pdf" in first.output
    again = run("import", str(folder), "--manifest", str(folder / "manifest.csv"))
    assert "已归档 0 件，已存在跳过 3 件" in again.output
    with archive.db.session() as s:
        assert sorted(s.scalars(select(Record.item_no)).all()) == [1, 2, 3]
        assert {r.custodian.code for r in s.scalars(select(Record))} == {"RSJ"}


def test_import_as_a_user_checks_custody(env, archive, org, tmp_path) -> None:
    from archive_app.organisation.users import create_user

    with archive.db.transaction() as s:
        create_user(s, "spj_clerk", "SPJ", "clerk", "a long password")
    folder = tmp_path / "b"
    folder.mkdir()
    (folder / "a.pdf").write_bytes(f.pdf_bytes())
    _manifest(folder, [{"file": "a.pdf", "matter": "LWPQ", "title": "t", "formed_on": "2021-01-05",
                        "retention": "D30"}])
    result = run("import", str(folder), "--user", "spj_clerk")
    assert result.exit_code == 1 and "WRONG_CUSTODIAN" in result.output


def test_fixity_exit_status(env, archive, org, tmp_path) -> None:
    filed = f.file_bytes(archive, tmp_path, f.pdf_bytes(), "a.pdf")
    ok = run("fixity")
    assert ok.exit_code == 0 and "全部文件完好" in ok.output
    archive.store.path_for(filed.sha256).unlink()
    bad = run("fixity")
    assert bad.exit_code == 1 and filed.archival_code in bad.output and "缺失" in bad.output


def test_demo_data_loads_once(env, archive) -> None:
    first = run("demo-data")
    assert first.exit_code == 0 and "spj_clerk" in first.output and "J002-WS·2021-D30-LGK-0001" in first.output
    second = run("demo-data")
    assert "演示数据已存在" in second.output
    with archive.db.session() as s:
        custodians = {r.custodian.code for r in s.scalars(select(Record))}
    assert custodians == {"RSJ", "SPJ"}
    assert run("fixity").exit_code == 0 and run("audit", "verify").exit_code == 0
