"""`archive-app`: the command line of DESIGN.md §4 (Click)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import select

from . import audit
from .cases import cli as _cases_cli
from .core import errors, schema_upgrade
from .core.context import Archive
from .core.context import command_archive as _archive
from .intake import Actor
from .models import User
from .organisation import agencies
from .records import fixity


def _operator() -> str:
    """Audit actor of an operator's act on the command line: `operator:<OS account>`."""
    import getpass

    try:
        name = getpass.getuser()
    except Exception:
        name = "unknown"
    return f"operator:{name}"[:64]


def _fail(exc: errors.ArchiveError) -> None:
    click.secho(f"错误（{exc.code}）：{exc.message}", fg="red", err=True)
    sys.exit(1)


class _Main(click.Group):
    """The one error path of every command (and subcommand): an ArchiveError becomes its code and
    Chinese message on standard error and exit status 1, as on the web."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except errors.ArchiveError as exc:
            _fail(exc)


@click.group(cls=_Main, help="审管联动档案与公文系统 / 审管联动 records archive.")
@click.pass_context
def main(ctx: click.Context) -> None:
    ctx.obj = None


@main.command(help="Create or upgrade the schema through the migrations; create storage and index folders.")
@click.pass_context
def init(ctx: click.Context) -> None:
    archive = _archive(ctx)
    schema_upgrade.upgrade(archive.settings.database_url)
    swept = archive.store.sweep_tmp()
    click.echo(f"数据库已升级到最新版本：{archive.db.url.split('@')[-1]}")
    click.echo(f"存储目录：{archive.settings.storage_dir}（清理临时文件 {swept} 个）")
    from . import search
    from .search import canary

    n = search.ensure_index(archive)
    if n is None:
        click.echo(f"索引目录：{archive.settings.index_dir}（索引结构为最新）")
    else:
        click.echo(f"索引目录：{archive.settings.index_dir}（已按第 {search.SCHEMA_VERSION} 版结构重建，{n} 件）")
    used = canary.executor(archive.settings.search_executor)
    if archive.settings.search_executor == "whoosh":
        click.echo("检索执行方式：whoosh（按 ARCHIVE_SEARCH_EXECUTOR 设置）")
    elif used == "numpy":
        click.echo("检索执行方式：numpy（自检与 Whoosh 结果一致）")
    else:
        click.secho(f"检索执行方式：whoosh（自检发现向量化检索与 Whoosh 结果不一致：{canary.verdict().detail}）",
                    fg="yellow")


@main.command("demo-data", help="Load the Ankang demo agencies, matters, users and sample records (once).")
@click.pass_context
def demo_data(ctx: click.Context) -> None:
    from . import demo

    archive = _archive(ctx)
    if demo.load(archive, echo=click.echo):
        click.echo("演示数据已载入。")
    else:
        click.echo("演示数据已存在，未重复载入。")
    click.echo(f"演示账号（密码均为 {demo.DEMO_PASSWORD}）：")
    for username, agency, role, name in demo.USERS:
        click.echo(f"  {username:<22} {agency.upper()}  {role:<15} {name}")


@main.command(help="Serve the web app and API: one process with threads, or --workers N processes (gunicorn).")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=5000, show_default=True, type=int, help="Port to listen on.")
@click.option("--threads", default=8, show_default=True, type=int, help="Threads (per worker process).")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Worker processes (gunicorn, Linux; PostgreSQL and ARCHIVE_INDEXER=external with "
                   "`archive-app indexer` running). 1 = one process with threads (waitress).")
def serve(host: str, port: int, threads: int, workers: int) -> None:
    from . import serving
    from .core.config import load_settings

    if workers > 1:
        serving.check_multiprocess(load_settings())
        click.echo(f"审管联动档案与公文系统：http://{host}:{port}/（{workers} 个工作进程）")
        serving.serve_workers(host, port, workers, threads)
    else:
        click.echo(f"审管联动档案与公文系统：http://{host}:{port}/")
        serving.serve_threads(host, port, threads)


@main.group(help="Users.")
def user() -> None:
    pass


@user.command("add", help="Add a user; the password is read from standard input.")
@click.argument("username")
@click.option("--agency", required=True, help="Agency code, e.g. SPJ or RSJ.")
@click.option("--role", required=True, type=click.Choice(["clerk", "officer", "correspondence", "admin"]),
              help="Role within the agency.")
@click.option("--name", "display_name", default=None, help="Display name.")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from stdin.")
@click.pass_context
def user_add(ctx: click.Context, username: str, agency: str, role: str, display_name: str | None,
             password_stdin: bool) -> None:
    from .organisation.users import create_user

    password = sys.stdin.readline().rstrip("\r\n")
    with _archive(ctx).db.transaction() as s:
        create_user(s, username, agency, role, password, display_name, actor="console")
    click.echo(f"已添加用户 {username}（{agency}，{role}）。")


@main.group(help="API tokens.")
def token() -> None:
    pass


@token.command("create", help="Create an API token for USERNAME and print it (shown only once).")
@click.argument("username")
@click.pass_context
def token_create(ctx: click.Context, username: str) -> None:
    from .organisation.users import create_token

    with _archive(ctx).db.transaction() as s:
        value = create_token(s, username, actor="console")
    click.echo(value)


@token.command("revoke", help="Revoke every API token of USERNAME.")
@click.argument("username")
@click.pass_context
def token_revoke(ctx: click.Context, username: str) -> None:
    from .organisation.users import revoke_tokens

    with _archive(ctx).db.transaction() as s:
        n = revoke_tokens(s, username, actor="console")
    click.echo(f"已吊销 {username} 的 {n} 个令牌。")


@user.command("list", help="List users.")
@click.pass_context
def user_list(ctx: click.Context) -> None:
    with _archive(ctx).db.session() as s:
        for u in s.scalars(select(User).order_by(User.username)):
            click.echo(f"{u.username:<24} {u.agency.code:<6} {u.role:<15} {'启用' if u.active else '停用'}")


@user.command("disable", help="Disable a user (keeps the history; revokes tokens).")
@click.argument("username")
@click.pass_context
def user_disable(ctx: click.Context, username: str) -> None:
    from .organisation.users import set_active

    with _archive(ctx).db.transaction() as s:
        set_active(s, username, False, actor="console")
    click.echo(f"已停用用户 {username}。")


@main.group(help="Agencies and their units (data, not code).")
def agency() -> None:
    pass


@agency.command("add", help="Add an agency.")
@click.argument("code")
@click.option("--name", required=True, help="Full name, e.g. 安康市市场监督管理局.")
@click.option("--fonds", required=True, help="全宗号, e.g. J003.")
@click.option("--prefix", default=None, help="机关代字 for document numbers.")
@click.pass_context
def agency_add(ctx: click.Context, code: str, name: str, fonds: str, prefix: str | None) -> None:
    with _archive(ctx).db.transaction() as s:
        agencies.add_agency(s, code, name, fonds, prefix, actor="console")
    click.echo(f"已添加单位 {code} {name}（全宗号 {fonds}）。")


@main.group(help="Units (科室) of an agency.")
def unit() -> None:
    pass


@unit.command("add", help="Add a unit (科室) with its 机构代码 to AGENCY.")
@click.argument("agency_code")
@click.argument("code")
@click.option("--name", required=True, help="Unit name, e.g. 社会事务审批科.")
@click.option("--default", "is_default", is_flag=True, help="Use for matters that name no unit.")
@click.pass_context
def unit_add(ctx: click.Context, agency_code: str, code: str, name: str, is_default: bool) -> None:
    with _archive(ctx).db.transaction() as s:
        agencies.add_unit(s, agency_code, code, name, is_default, actor="console")
    click.echo(f"已添加科室 {agency_code}/{code} {name}。")


@main.group(help="Licensing matters.")
def matter() -> None:
    pass


@matter.command("add", help="Add a matter and its transfer date (划转移交日期).")
@click.argument("code")
@click.option("--name", required=True, help="Matter name.")
@click.option("--department", required=True, help="Agency code of the original department (e.g. RSJ).")
@click.option("--approving", required=True, help="Agency code of the approving agency (e.g. SPJ).")
@click.option("--transfer-date", default=None, help="YYYY-MM-DD; omit for a matter that did not move.")
@click.option("--time-limit", type=int, default=None, help="承诺时限 in working days.")
@click.option("--department-unit", default=None, help="机构代码 of the department's unit.")
@click.option("--approving-unit", default=None, help="机构代码 of the approving agency's unit.")
@click.pass_context
def matter_add(ctx: click.Context, code: str, name: str, department: str, approving: str,
               transfer_date: str | None, time_limit: int | None, department_unit: str | None,
               approving_unit: str | None) -> None:
    with _archive(ctx).db.transaction() as s:
        m = agencies.add_matter(s, code, name, department, approving, agencies.parse_transfer_date(transfer_date),
                                time_limit, "console", department_unit, approving_unit)
        tdate = m.transfer_date
    click.echo(f"已添加事项 {code} {name}" + (f"，划转日期 {tdate}。" if tdate else "（未划转）。"))


@matter.command("set-transfer-date", help="Correct a matter's transfer date; shows the records that would move first.")
@click.argument("code")
@click.argument("new_date")
@click.option("--yes", is_flag=True, help="Apply without asking.")
@click.pass_context
def matter_set_transfer_date(ctx: click.Context, code: str, new_date: str, yes: bool) -> None:
    from .records import transfer

    archive = _archive(ctx)
    when = None if new_date.lower() in ("none", "-") else agencies.parse_transfer_date(new_date)
    with archive.db.session() as s:
        moves = transfer.preview(s, code, when)
    click.echo(f"将有 {len(moves)} 件档案改变保管单位：")
    for m in moves[:20]:
        click.echo(f"  {m.archival_code}  {m.formed_on}  {m.from_code} → {m.to_code}  {m.title}")
    if len(moves) > 20:
        click.echo(f"  …… 另有 {len(moves) - 20} 件")
    if not yes and not click.confirm("确认更正划转日期？", default=False):
        click.echo("未作更改。")
        return
    with archive.db.transaction() as s:
        # the system operator at the server: no second person, so the act names the OS account
        done = transfer.apply(s, code, when, actor=_operator(), via="operator command line")
    click.echo(f"划转日期已更正，{len(done)} 件档案的保管单位已重新确定。")


@main.command("import", help="Bulk-file the files listed in a manifest CSV (resumable).")
@click.argument("path", type=click.Path(exists=True, path_type=Path))
@click.option("--manifest", type=click.Path(exists=True, dir_okay=False, path_type=Path), default=None,
              help="CSV with columns file,matter,title,formed_on,retention,… (default PATH/manifest.csv).")
@click.option("--user", "username", default=None,
              help="File as this user (custody is checked against the user's agency).")
@click.pass_context
def import_(ctx: click.Context, path: Path, manifest: Path | None, username: str | None) -> None:
    from .records.importer import read_manifest, resolve_manifest, run_import

    archive = _archive(ctx)
    actor = Actor.console()
    if username:
        with archive.db.session() as s:
            u = s.scalar(select(User).where(User.username == username))
            if u is None:
                _fail(errors.NotFound(f"用户 {username} 不存在。"))
            actor = Actor.from_user(u)
    total = len(read_manifest(resolve_manifest(path, manifest)[1]))
    with click.progressbar(length=total, label="导入", show_pos=True, file=sys.stderr) as bar:
        summary = run_import(archive, path, manifest, actor, progress=lambda _n: bar.update(1))
    click.echo(f"已归档 {len(summary.filed)} 件，已存在跳过 {len(summary.skipped)} 件，"
               f"拒收 {len(summary.refused)} 件。")
    for name, code, message in summary.refused:
        click.echo(f"  拒收 {name}：{code} {message}")
    sys.exit(1 if summary.refused else 0)


@main.command(help="OCR of scanned records: work the queue (--pending, the default), or re-read one record "
                   "(--record ID) or every scan (--all).")
@click.option("--pending", "mode", flag_value="pending", default=True, help="Work the pending jobs.")
@click.option("--record", "record_id", type=int, default=None, help="Re-read this record now.")
@click.option("--all", "mode", flag_value="all", help="Queue every scanned record again, then work the queue.")
@click.pass_context
def ocr(ctx: click.Context, mode: str, record_id: int | None) -> None:
    from .ocr import queue

    archive = _archive(ctx)
    if record_id is not None:
        jobs = queue.request(archive, [record_id], "console")
        if not jobs:
            _fail(errors.NotFound(f"记录 {record_id} 不存在，或其原件不是扫描件（PDF 或图像）。"))
        outcomes = queue.drain(archive, job_id=jobs[0], wait=True)
        if not outcomes:  # another runner (the indexer, the web process) read it meanwhile
            outcomes = queue.outcomes(archive, jobs[:1])
    else:
        if mode == "all":
            click.echo(f"已排队 {len(queue.request(archive, None, 'console'))} 件。")
        outcomes = queue.drain(archive, wait=True)
    labels = {"done": "已识别", "failed": "识别失败"}
    for o in outcomes:
        pages = f"（第 {'、'.join(map(str, o.failed_pages))} 页失败）" if o.failed_pages else ""
        click.echo(f"记录 {o.record_id}：{labels.get(o.status, o.status)}{pages}")
    done = sum(1 for o in outcomes if o.status == "done")
    click.echo(f"文字识别完成 {done} 件，失败 {len(outcomes) - done} 件。")
    sys.exit(1 if done < len(outcomes) else 0)


def _issuing_actor(archive: Archive, username: str | None, agency: str | None) -> Actor:
    """Who issues from the console: a named user (their agency), or the console for --agency."""
    if username:
        with archive.db.session() as s:
            u = s.scalar(select(User).where(User.username == username))
            if u is None:
                _fail(errors.NotFound(f"用户 {username} 不存在。"))
            return Actor.from_user(u)
    if not agency:
        _fail(errors.Validation("请用 --agency 指定发文机关（或用 --user 指定发文人）。"))
    return Actor.console(agency)


@main.command(help="Generate one document per row of a CSV/XLSX file, number and file each (progress bar).")
@click.argument("template")
@click.option("--data", "data_path", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV (UTF-8) or XLSX; the header row names the template's fields.")
@click.option("--agency", default=None, help="Issuing agency code (SPJ, RSJ …) when no --user is given.")
@click.option("--user", "username", default=None, help="Issue as this user (their agency issues).")
@click.pass_context
def generate(ctx: click.Context, template: str, data_path: Path, agency: str | None, username: str | None) -> None:
    from .documents import bulk

    archive = _archive(ctx)
    actor = _issuing_actor(archive, username, agency)
    rows = bulk.read_rows(data_path.read_bytes(), data_path.name, archive.settings)
    run = bulk.reserve_rows(archive, template, rows, actor)
    numbered = sum(1 for r in run.rows if r.doc_id)
    with click.progressbar(length=numbered, label="生成公文", show_pos=True, file=sys.stderr) as bar:
        bulk.complete_rows(archive, run, actor, progress=lambda _done, _total: bar.update(1))
    click.echo(f"共 {len(run.rows)} 行：已发文 {run.issued} 件，失败 {len(run.failed)} 行。批次 {run.batch}")
    for r in run.rows:
        if r.record_id:
            click.echo(f"  第 {r.row} 行：{r.doc_no}（档案 {r.record_id}）")
    for r in run.failed:
        number = f"（号码 {r.doc_no} 保留，可重试或作废）" if r.doc_no else ""
        click.echo(f"  第 {r.row} 行失败：{r.error}{number}")
    sys.exit(1 if run.failed else 0)


@main.command(help="Export a report (filing-catalogue 归档文件目录, special-review-summary "
                   "市行政审批服务局行政许可事项特别审查程序汇总表, special-review-register 特别审查程序登记簿).")
@click.argument("report_id", type=click.Choice(["filing-catalogue", "special-review-summary",
                                                "special-review-register"]))
@click.option("--agency", required=True, help="Agency code whose records (or reviews) are listed.")
@click.option("--year", type=int, default=None, help="Only this year.")
@click.option("--format", "fmt", type=click.Choice(["xlsx", "pdf"]), default="xlsx", show_default=True)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def report(ctx: click.Context, report_id: str, agency: str, year: int | None, fmt: str, output: Path) -> None:
    from .records import reports

    exported = reports.export_report(_archive(ctx), Actor.console(agency), report_id, agency, year, fmt,
                                     operator=True)  # on the audit trail, as from the API
    output.write_bytes(exported.data)
    click.echo(f"{exported.title}：{exported.rows} 行 → {output}")


@main.command(help="Rebuild the search index from the database, or with --check compare the two.")
@click.option("--check", "check_only", is_flag=True, help="Only report records missing, stale or extra in the index.")
@click.pass_context
def reindex(ctx: click.Context, check_only: bool) -> None:
    from sqlalchemy import func

    from . import search
    from .models import Record

    archive = _archive(ctx)
    if check_only:
        drift = search.check(archive)
        click.echo(f"索引缺少 {len(drift.missing)} 件，内容过期 {len(drift.stale)} 件，多余 {len(drift.extra)} 件；"
                   f"待处理的索引任务 {drift.pending_jobs} 个。")
        for label, ids in (("缺少", drift.missing), ("过期", drift.stale), ("多余", drift.extra)):
            if ids:
                click.echo(f"  {label}：{', '.join(map(str, ids[:50]))}{' ……' if len(ids) > 50 else ''}")
        if not drift.ok:
            click.secho("索引与数据库不一致，请运行 archive-app reindex。", fg="red")
            sys.exit(1)
        click.echo("索引与数据库一致。")
        return
    with archive.db.session() as s:
        total = s.scalar(select(func.count(Record.id))) or 0
    with click.progressbar(length=total, label="重建索引", show_pos=True, file=sys.stderr) as bar:
        n = search.rebuild(archive, progress=bar.update)
    click.echo(f"索引已重建：{n} 件。")


@main.command(help="Run the single index writer as its own process (for multi-worker sites); with "
                   "ARCHIVE_OCR=external (the default when ARCHIVE_INDEXER=external) it also works the OCR queue.")
@click.option("--once", is_flag=True, help="Drain the outbox (and the OCR queue) once and exit.")
@click.option("--interval", default=2.0, show_default=True, help="Seconds between polls of the outbox.")
@click.pass_context
def indexer(ctx: click.Context, once: bool, interval: float) -> None:
    import time

    from . import search
    from .ocr import queue

    archive = _archive(ctx)
    rebuilt = search.ensure_index(archive)
    if rebuilt is not None:
        click.echo(f"索引缺失、结构已变化或无法读取，已重建：{rebuilt} 件。")
    ocr = archive.settings.ocr == "external"
    if once:
        if ocr:
            outcomes = queue.drain(archive)
            if outcomes:
                click.echo(f"文字识别 {len(outcomes)} 件。")
        n = search.drain_all(archive)
        if n:
            click.echo(f"已索引 {n} 个任务。")
        return
    if ocr:  # the site's one OCR runner: a thread here, recognition in niced children
        queue.BackgroundOcr(archive).start()
    while True:
        n = search.drain_all(archive)
        if n:
            click.echo(f"已索引 {n} 个任务。")
        time.sleep(interval)


@main.group("review-procedures", help="The 特别审查程序汇总表 per matter (安康办法 附件).")
def review_procedures() -> None:
    pass


@review_procedures.command("import", help="Import a CSV (事项代码,特别审查程序,程序说明,实施方式,依据,时限,配合单位); "
                                          "all rows or none.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--agency", required=True, help="The approving agency whose 汇总表 this is.")
@click.pass_context
def review_procedures_import(ctx: click.Context, file: Path, agency: str) -> None:
    from .registers import procedures

    n = procedures.import_csv(_archive(ctx), Actor.console(agency), file.read_bytes())
    click.echo(f"已导入特别审查程序汇总表：{n} 行。")


@main.group(help="Working days: holiday schedules and deadlines.")
def workdays() -> None:
    pass


@workdays.command("load", help="Load a year's official holiday schedule (CSV: date,kind[,name]; kind holiday|workday).")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--year", type=int, required=True, help="The year the schedule is for.")
@click.pass_context
def workdays_load(ctx: click.Context, file: Path, year: int) -> None:
    from .registers.deadlines import replace_schedule

    with _archive(ctx).db.transaction() as s:
        n = replace_schedule(s, year, file.read_text(encoding="utf-8"), actor="console")
    click.echo(f"已载入 {year} 年节假日安排：{n} 天。")


@workdays.command("deadline", help="The date N working days after START (YYYY-MM-DD).")
@click.argument("start")
@click.argument("days", type=int)
@click.pass_context
def workdays_deadline(ctx: click.Context, start: str, days: int) -> None:
    from .workdays import Calendar

    with _archive(ctx).db.session() as s:
        result = Calendar.from_db(s).deadline(agencies.parse_date(start, "起算日期", "start"), days)
    click.echo(result.deadline.isoformat())
    if result.warning:
        click.secho(f"注意：{result.warning}", fg="yellow")


@main.command("fixity", help="Re-read every stored file and compare SHA-256 and SM3 with the catalogue.")
@click.pass_context
def fixity_cmd(ctx: click.Context) -> None:
    archive = _archive(ctx)
    with click.progressbar(length=fixity.count_files(archive), label="校验", file=sys.stderr) as bar:
        report = fixity.check(archive, progress=bar.update)
    click.echo(f"已校验 {report.checked} 个文件。")
    for code, role, sha in report.missing:
        click.echo(f"  缺失 {code} {role} {sha}")
    for code, role, sha in report.changed:
        click.echo(f"  被改动 {code} {role} {sha}")
    if report.orphans:
        click.echo(f"  另有 {len(report.orphans)} 个存储文件没有目录记录（中断的归档留下，可安全清理）。")
    if not report.ok:
        click.secho(f"发现问题：缺失 {len(report.missing)} 个，被改动 {len(report.changed)} 个。", fg="red")
        sys.exit(1)
    click.echo("全部文件完好。")



@main.group("audit", help="The audit trail.")
def audit_group() -> None:
    pass


@audit_group.command("verify", help="Check the hash chain of the audit trail (and against a checkpoint).")
@click.option("--checkpoint", "checkpoint_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              default=None, help="A file written by `audit checkpoint`: also detect truncation and recomputation.")
@click.pass_context
def audit_verify(ctx: click.Context, checkpoint_file: Path | None) -> None:
    import json

    archive = _archive(ctx)
    with archive.db.session() as s:
        report = audit.verify(s)
        if not report.ok:
            click.secho(f"审计日志第 {report.first_broken_id} 条记录有问题：{report.problem}"
                        f"（此前 {report.entries} 条完好）。", fg="red")
            sys.exit(1)
        problem = None
        if checkpoint_file is not None:
            try:
                point = json.loads(checkpoint_file.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                click.secho(f"无法读取检查点文件 {checkpoint_file}：{exc}", fg="red", err=True)
                sys.exit(2)
            problem = audit.verify_checkpoint(s, point, report)
    if problem:
        click.secho(f"审计日志与检查点不符：{problem}", fg="red")
        sys.exit(1)
    keyed = (f"自第 {report.keyed_from} 条起使用审计密钥（HMAC-SHA-256）" if report.keyed_from
             else "尚无使用审计密钥的记录")
    click.echo(f"审计日志完整：{report.entries} 条记录，哈希链无断裂；{keyed}。")
    if checkpoint_file is not None:
        click.echo(f"与检查点相符（{checkpoint_file}）。")
    elif report.entries and not report.keyed_from and archive.settings.audit_key_file:
        click.secho("提示：配置了审计密钥，但没有任何记录使用它；若系统已运行过，请用检查点核对是否被整体重算。",
                    fg="yellow")


@audit_group.command("checkpoint", help="Print (and optionally save) the chain's head: entries, last id, hash.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the checkpoint to this file (keep it away from the database).")
@click.pass_context
def audit_checkpoint(ctx: click.Context, output: Path | None) -> None:
    import json

    with _archive(ctx).db.session() as s:
        try:
            point = audit.checkpoint(s)
        except ValueError as exc:
            click.secho(str(exc), fg="red", err=True)
            sys.exit(1)
    text = json.dumps(point, ensure_ascii=False, indent=2)
    if output is not None:
        output.write_text(text + "\n", encoding="utf-8")
    click.echo(text)


@audit_group.command("init-key", help="Create the audit key file (ARCHIVE_AUDIT_KEY_FILE) before first use.")
@click.pass_context
def audit_init_key(ctx: click.Context) -> None:
    from .core import audit_key
    from .core.config import load_settings

    path = load_settings().audit_key_file
    if path.exists():
        click.echo(f"审计密钥已存在：{path}（不会覆盖）。")
        return
    audit_key.create(path)
    click.echo(f"已创建审计密钥：{path}（权限 0600）。请将其与数据库分开备份。")



main.add_command(_cases_cli.group, "cases")
