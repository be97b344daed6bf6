"""The one converter to PDF through LibreOffice in headless mode.

Each process uses its own LibreOffice profile directory and converts one file at a time (a
profile cannot be shared by two running instances); every call has a timeout, and a missing
LibreOffice is a clear `Unavailable` error, not a crash. LibreOffice runs in the box of
`sandbox.py` (no network, reads only its own folders) and with the input filter of the kind the
intake sniffed, so a file named .docx is read as a DOCX, never as an OpenDocument or HTML file.
"""

from __future__ import annotations

import math
import os
import resource
import shutil
import signal
import subprocess
import tempfile
import threading
from pathlib import Path

from ..core import config, errors
from . import fontmap, sandbox

_lock = threading.Lock()
MEMORY_LIMIT = 3 * 1024**3  # address space for LibreOffice (it maps far more than it uses)
FONTS_CONF = Path(__file__).with_name("fonts.conf")  # free stand-ins for 仿宋_GB2312 and friends


def _limits(cpu_s: int):
    """Resource limits for the converter: it reads untrusted office files."""
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    return apply


def soffice_binary() -> str | None:
    configured = config.soffice_binary()
    if configured:
        return configured if os.access(configured, os.X_OK) else None
    return shutil.which("soffice") or shutil.which("libreoffice")


# The filter LibreOffice must use for each kind the intake accepts (no guessing by content).
INPUT_FILTERS = {"docx": "MS Word 2007 XML", "xlsx": "Calc MS Excel 2007 XML"}


def _env(profile: Path) -> dict[str, str]:
    return {"HOME": str(profile), "FONTCONFIG_FILE": os.environ.get("FONTCONFIG_FILE", str(fontmap.config_file()))}


def _profile_dir(base: Path) -> Path:
    """This process's private LibreOffice profile (mode 0700)."""
    base.mkdir(parents=True, exist_ok=True)
    path = base / f"lo-profile-{os.getpid()}"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def _readable(binary: str, env: dict[str, str]) -> list[Path]:
    """What the box may read besides the system: our fonts.conf's folder, a LibreOffice
    installed outside /usr (ARCHIVE_SOFFICE)."""
    paths = {FONTS_CONF.parent.resolve(), Path(env["FONTCONFIG_FILE"]).resolve().parent}
    if fontmap.fonts_dir() is not None:  # the site's licensed fonts (ARCHIVE_FONTS_DIR)
        paths.add(fontmap.fonts_dir())
    program = Path(binary).resolve()
    if not program.is_relative_to("/usr"):
        paths.add(program.parent.parent)
    return sorted(paths)


def convert_to_pdf(source: Path, extension: str, workdir: Path, timeout_s: float = 120) -> Path:
    """Convert an office file to PDF inside `workdir`; returns the PDF's path."""
    (pdf,) = convert_many([source], extension, workdir, timeout_s)
    if pdf is None:
        raise errors.Unavailable("LibreOffice 未能把该文件转换为 PDF。")
    return pdf


def convert_many(sources: list[Path], extension: str, workdir: Path,
                 timeout_s: float = 120) -> list[Path | None]:
    """Convert several files in one LibreOffice run (it starts once: ~1 s saved per file).

    Returns, in order, each PDF's path or None where that file could not be converted.
    `timeout_s` is per file; the run as a whole gets the sum.
    """
    binary = soffice_binary()
    if not binary:
        raise errors.Unavailable("未安装 LibreOffice，无法生成 PDF 版式文件。请安装 libreoffice-writer-nogui。")
    profile = _profile_dir(Path(tempfile.gettempdir()) / "archive-app")
    outdir = Path(tempfile.mkdtemp(dir=workdir))
    # LibreOffice names its output after the input; give each input a fixed, harmless name.
    staged = []
    for i, source in enumerate(sources):
        staged.append(outdir / f"input-{i}.{extension}")
        shutil.copyfile(source, staged[-1])
    total = timeout_s * max(1, len(sources))
    infilter = [f"--infilter={INPUT_FILTERS[extension]}"] if extension in INPUT_FILTERS else []
    cmd = [binary, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--nologo", "--nodefault", "--nolockcheck", *infilter, "--convert-to", "pdf",
           "--outdir", str(outdir), *map(str, staged)]
    env = _env(profile)
    cmd, popen_env = sandbox.wrap(cmd, readable=_readable(binary, env),
                                  writable=[profile, outdir.resolve()], env=env)
    with _lock:
        # Own process group: on timeout the whole of LibreOffice goes, not just its launcher.
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                env=popen_env, start_new_session=True,
                                preexec_fn=_limits(math.ceil(total)))
        try:
            proc.wait(timeout=total)
        except subprocess.TimeoutExpired as exc:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            raise errors.Unavailable("LibreOffice 转换 PDF 超时。") from exc
    results: list[Path | None] = []
    for path in staged:
        pdf = path.with_suffix(".pdf")
        results.append(pdf if pdf.is_file() and pdf.stat().st_size > 0 else None)
    return results
