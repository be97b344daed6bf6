"""Run the worker (`parse_worker.py`) in a child process with time and memory limits.

A hostile PDF, OOXML or image can make a parser loop or allocate without bound; in a child it
can only kill the child. The child gets RLIMIT_AS and RLIMIT_CPU and a wall-clock timeout.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from .. import errors
from ..config import Settings
from ..rendition.stamp import StampFields

PACKAGE_PARENT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Parsed:
    pages: int | None
    text: str


def _limits(memory: int, cpu_s: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 1))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def run_worker(args: list[str], settings: Settings) -> dict:
    """Run one worker call; turn its refusal or its death into the matching ArchiveError."""
    cmd = [sys.executable, "-E", "-s", "-m", "archive_app.intake.parse_worker", *args]
    try:
        proc = subprocess.run(
            cmd, capture_output=True, timeout=settings.parse_timeout_s, check=False,
            preexec_fn=_limits(settings.parse_memory_bytes, settings.parse_timeout_s),
            cwd=PACKAGE_PARENT,
        )
    except subprocess.TimeoutExpired as exc:
        raise errors.Corrupt("文件解析超时（结构异常或过于复杂），已拒收。") from exc
    if proc.returncode != 0 or not proc.stdout:
        if proc.returncode < 0 or b"MemoryError" in proc.stderr:
            raise errors.ArchiveBomb("文件解析时超出资源上限（疑似压缩炸弹或结构异常），已拒收。")
        raise errors.Corrupt("文件无法解析，可能已损坏。")
    result = json.loads(proc.stdout.decode("utf-8"))
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
    return run_worker(["stamp", str(pdf), str(out), json.dumps(asdict(fields), ensure_ascii=False)], settings)["pages"]
