"""Run the worker (`parse_worker.py`) in a fresh child process with time and memory limits.

A hostile PDF, OOXML or image can make a parser loop or allocate without bound; in a child it
can only kill the child. Children come from a fork server (multiprocessing "forkserver") that
has already imported the parsers, so each file still gets a fresh process with its own
RLIMIT_AS and RLIMIT_CPU, without paying for interpreter start-up and imports every time. The
parent enforces a wall-clock timeout and kills a child that overruns it.
"""

from __future__ import annotations

import math
import multiprocessing
import resource
import threading
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .. import errors
from ..config import Settings
from ..rendition.stamp import StampFields

PRELOAD = ["archive_app.intake.parse_worker", "pypdf", "docx", "openpyxl", "PIL.Image", "defusedxml.ElementTree",
           "archive_app.rendition.stamp", "archive_app.rendition.render", "archive_app.rendition.watermark",
           "archive_app.rendition.preload_fonts", "archive_app.intake.references"]
_context_lock = threading.Lock()
_context: multiprocessing.context.BaseContext | None = None


@dataclass(frozen=True)
class Parsed:
    pages: int | None
    text: str


def _ctx() -> multiprocessing.context.BaseContext:
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
        return _context


def _child(args: list[str], memory: int, cpu_s: float, conn: Connection) -> None:
    cpu_s = max(1, math.ceil(cpu_s))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    from archive_app.intake.parse_worker import handle

    try:
        conn.send(handle(args))
    except MemoryError:
        pass  # the parent sees no answer and a failed child
    finally:
        conn.close()


def run_worker(args: list[str], settings: Settings) -> dict:
    """Run one worker call; turn its refusal or its death into the matching ArchiveError."""
    ctx = _ctx()
    receiver, sender = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(args, settings.parse_memory_bytes, settings.parse_timeout_s, sender),
                       daemon=True)
    proc.start()
    sender.close()
    result = None
    try:
        if receiver.poll(settings.parse_timeout_s):
            try:
                result = receiver.recv()
            except EOFError:
                result = None
        elif proc.is_alive():
            proc.kill()
            proc.join()
            raise errors.Corrupt("文件解析超时（结构异常或过于复杂），已拒收。")
    finally:
        receiver.close()
        proc.join(10)
        if proc.is_alive():
            proc.kill()
            proc.join()
    if result is None:
        if proc.exitcode and proc.exitcode < 0:
            raise errors.ArchiveBomb("文件解析时超出资源上限（疑似压缩炸弹或结构异常），已拒收。")
        raise errors.ArchiveBomb("文件解析时占用内存超出上限（疑似压缩炸弹），已拒收。") if proc.exitcode else \
            errors.Corrupt("文件无法解析，可能已损坏。")
    if not result["ok"]:
        error_class = next(e for e in errors.ALL_ERRORS if e.code == result["code"])
        raise error_class(result["message"])
    return result


def parse_file(path: Path, kind: str, settings: Settings) -> Parsed:
    result = run_worker(["parse", kind, str(path), str(settings.max_text_chars)], settings)
    return Parsed(result["pages"], result["text"])


def render_image(path: Path, out: Path, settings: Settings) -> None:
    run_worker(["render-image", str(path), str(out)], settings)


def stamp(pdf: Path, out: Path, fields: StampFields, settings: Settings) -> int:
    """Write a stamped copy of `pdf` to `out`; returns the page count."""
    return run_worker(["stamp", str(pdf), str(out), json_fields(fields)], settings)["pages"]


def watermark(pdf: Path, out: Path, text: str, settings: Settings) -> None:
    run_worker(["watermark", str(pdf), str(out), text], settings)


def json_fields(fields: StampFields) -> str:
    import json

    return json.dumps(asdict(fields), ensure_ascii=False)
