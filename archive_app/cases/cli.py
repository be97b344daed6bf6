"""`archive-app cases import FILE --user NAME`: a legacy 办件 register, with a progress bar and the
list of refused rows. The named user's agency and role decide what may be imported (the access
policy, as for the API), and the audit trail names that user."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from sqlalchemy import select

from ..core import errors
from ..core.context import command_archive as _archive
from ..models import User
from . import importer


@click.group("cases", help="The 办件 register.")
def group() -> None:
    pass


@group.command("import", help="Import a register (CSV in UTF-8 or GB18030, or XLSX). Rerun to resume.")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--user", "username", required=True, help="The account the import is made as (its agency approves).")
@click.pass_context
def import_cmd(ctx: click.Context, file: Path, username: str) -> None:
    archive = _archive(ctx)
    with archive.db.session() as s:
        user = s.scalar(select(User).where(User.username == username))
        if user is None or not user.active:
            raise errors.NotFound(f"用户「{username}」不存在或已停用。")
        s.expunge(user)
    # errors leave through the archive-app group's one error path (exit status 1)
    with click.progressbar(length=1, label="导入办件", show_pos=True, file=sys.stderr) as bar:
        def progress(done: int, total: int) -> None:
            bar.length = max(total, 1)
            bar.update(done - bar.pos)
        report = importer.run(archive, user, file.read_bytes(), file.name, progress)
    if report.resumed_from:
        click.echo(f"从第 {report.resumed_from} 行之后继续导入。")
    click.echo(f"共 {report.total_rows} 行：导入 {report.imported} 件，已存在且相同 {report.skipped_existing} 件，"
               f"拒收 {len(report.refused)} 行。")
    for r in report.refused:
        click.echo(f"  第 {r['row']} 行（{r['case_no'] or '无办件编号'}）：{r['reason']}")
    if report.refused:
        sys.exit(2)


@group.command("reindex", help="Rebuild the cases search index from the database.")
@click.pass_context
def reindex_cmd(ctx: click.Context) -> None:
    from . import search

    done = search.rebuild(_archive(ctx))
    click.echo(f"办件索引已重建：{done} 件。")
