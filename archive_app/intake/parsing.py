"""Run the worker (`parse_worker.py`) in limited child processes.

A hostile PDF, OOXML or image can make a parser loop or allocate without bound; in a child it
can only kill the child. Children come from a fork server (multiprocessing "forkserver") that
has already imported the parsers. Each child runs with its own RLIMIT_AS (memory) and, for each
call, an RLIMIT_CPU allowance of `parse_timeout_s` CPU seconds beyond what it has used so far;
the parent enforces a wall-clock timeout per call and kills a child that overruns it.

A child serves up to `MAX_CALLS` calls, one at a time, and then retires; idle children wait in
a small pool (`POOL_SIZE`). Starting a child costs ≈ 20–70 ms, which made bulk intake pay more
for process start-up than for parsing. The guarantees are those of a fresh child per file: one
file is decoded at a time in a limited child; a child that dies, overruns, runs out of memory or
refuses a file (any refusal: the parser may have been left in a bad state) fails that one call
and is never used again; nothing a child computes reaches the caller but its answer.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import resource
import threading
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from ..core import errors
from ..core.config import Settings
from ..rendition.stamp import StampFields
from .textclean import clean_text

# "__main__" first: the fork server imports the main module once, so that a child does not run
# it again when it starts (multiprocessing re-imports it in every child otherwise; for the
# `archive-app` console script that is the whole CLI, ≈ 1.1 s a child).
PRELOAD = ["__main__", "archive_app.intake.parse_worker", "pypdf", "docx", "openpyxl", "PIL.Image",
           "defusedxml.ElementTree",
           "archive_app.rendition.stamp", "archive_app.rendition.render", "archive_app.rendition.watermark",
           "archive_app.rendition.preload_fonts", "archive_app.intake.references", "archive_app.core.textflow",
           "archive_app.intake.pdf_checks"]
MAX_CALLS = 40  # calls a child serves before it retires
POOL_SIZE = (os.cpu_count() or 1) + 1  # idle children kept: parse on every core and stamp beside
_context_lock = threading.Lock()
_context: multiprocessing.context.BaseContext | None = None


@dataclass(frozen=True)
class Parsed:
    pages: int | None
    text: str
    textless: tuple[int, ...] = ()  # pages (0-based) without a text layer: to be recognised


def _ctx() -> multiprocessing.context.BaseContext:
    global _context
    with _context_lock:
        if _context is None:
            ctx = multiprocessing.get_context("forkserver")
            ctx.set_forkserver_preload(PRELOAD)
            _context = ctx
        return _context


def _serve(conn: Connection, memory: int, cpu_s: float) -> None:
    """The child: answer calls until the parent closes the pipe (or retires the child)."""
    budget = max(1, math.ceil(cpu_s))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    hard = budget * (MAX_CALLS + 1) + 1
    from archive_app.intake.parse_worker import handle

    try:
        while True:
            try:
                args = conn.recv()
            except EOFError:
                return
            used = resource.getrusage(resource.RUSAGE_SELF)
            soft = min(hard, math.ceil(used.ru_utime + used.ru_stime) + budget)
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))  # SIGXCPU ends the child past it
            conn.send(handle(args))
    except (MemoryError, OSError):
        pass  # out of memory, or the parent went away: the parent sees no answer and a failed child
    finally:
        conn.close()


@dataclass
class _Child:
    proc: multiprocessing.process.BaseProcess
    conn: Connection
    key: tuple[int, float]
    calls: int = 0

    def retire(self, kill: bool = False) -> None:
        if kill and self.proc.is_alive():
            self.proc.kill()
        self.conn.close()
        self.proc.join(10)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()


class _Pool:
    """Idle children by their limits; any thread takes one for one call and gives it back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._idle: list[_Child] = []

    def take(self, memory: int, cpu_s: float) -> _Child:
        key = (memory, cpu_s)
        with self._lock:
            for i, child in enumerate(self._idle):
                if child.key == key:
                    del self._idle[i]
                    if child.proc.is_alive():
                        return child
                    child.retire()
                    break
        ctx = _ctx()
        parent, child_end = ctx.Pipe(duplex=True)
        proc = ctx.Process(target=_serve, args=(child_end, memory, cpu_s), daemon=True)
        proc.start()
        child_end.close()
        return _Child(proc, parent, key)

    def give_back(self, child: _Child) -> None:
        if child.calls >= MAX_CALLS:
            child.retire()
            return
        with self._lock:
            if len(self._idle) < POOL_SIZE:
                self._idle.append(child)
                return
        child.retire()

    def close(self) -> None:
        """Retire every idle child (tests; the children are daemons and die with the parent anyway)."""
        with self._lock:
            idle, self._idle = self._idle, []
        for child in idle:
            child.retire()


_pool = _Pool()


def run_worker(args: list[str], settings: Settings, memory: int | None = None, timeout_s: float | None = None) -> dict:
    """Run one worker call; turn its refusal or its death into the matching ArchiveError.
    `memory` and `timeout_s` override the parse limits (OCR needs more of both)."""
    timeout_s = timeout_s or settings.parse_timeout_s
    child = _pool.take(memory or settings.parse_memory_bytes, timeout_s)
    child.calls += 1
    result = None
    try:
        child.conn.send(args)
        if child.conn.poll(timeout_s):
            result = child.conn.recv()
        elif child.proc.is_alive():
            child.retire(kill=True)
            raise errors.Corrupt("文件解析超时（结构异常或过于复杂），已拒收。")
    except (EOFError, BrokenPipeError, ConnectionResetError):
        result = None
    if result is None:
        child.retire()
        exitcode = child.proc.exitcode
        if exitcode and exitcode < 0:
            raise errors.ArchiveBomb("文件解析时超出资源上限（疑似压缩炸弹或结构异常），已拒收。")
        raise errors.ArchiveBomb("文件解析时占用内存超出上限（疑似压缩炸弹），已拒收。") if exitcode else \
            errors.Corrupt("文件无法解析，可能已损坏。")
    if not result["ok"]:
        child.retire()  # a refused file may have left the parser in a bad state
        error_class = next(e for e in errors.ALL_ERRORS if e.code == result["code"])
        raise error_class(result["message"])
    _pool.give_back(child)
    return result


def parse_file(path: Path, kind: str, settings: Settings) -> Parsed:
    result = run_worker(["parse", kind, str(path), str(settings.max_text_chars)], settings)
    return Parsed(result["pages"], clean_text(result["text"]), tuple(result.get("textless") or ()))


def render_image(path: Path, out: Path, settings: Settings) -> None:
    run_worker(["render-image", str(path), str(out)], settings)


def stamp(pdf: Path, out: Path, fields: StampFields, settings: Settings) -> None:
    """Write a stamped copy of `pdf` to `out`."""
    run_worker(["stamp", str(pdf), str(out), json_fields(fields)], settings)


def watermark(pdf: Path, out: Path, text: str, settings: Settings) -> None:
    run_worker(["watermark", str(pdf), str(out), text], settings)


def json_fields(fields: StampFields) -> str:
    import json

    return json.dumps(asdict(fields), ensure_ascii=False)
