"""The box LibreOffice runs in: it reads untrusted office files, and a file can ask it to fetch
a URL or read a local file (a linked image, an OLE link, a remote template, an ODF `xlink:href`).
The intake check (`intake/references.py`) refuses such files; this is the second depth, so a
reference that slips past the check still reaches nothing:

- no network at all: a new network namespace with only a loopback interface that is down, so
  neither the internet nor services on this machine (127.0.0.1) can be reached;
- a file system of its own: the system directories read-only (/usr and the few parts of /etc
  that fonts and LibreOffice need), an empty /tmp, and the two directories of this run — its
  private profile and the folder holding its input and output. The archive's storage, the
  instance folder (secret key, SQLite catalogue), home directories and the rest of /etc are not
  there to be read;
- a clean environment (no ARCHIVE_SECRET_KEY or database URL), all capabilities dropped, its own
  PID/IPC/UTS namespaces, and it dies with its parent.

The box is bubblewrap (`bwrap`, Debian package `bubblewrap`). It works as root and, where the
kernel allows unprivileged user namespaces (Debian's default), as an ordinary user.
`ARCHIVE_SOFFICE_SANDBOX=off` runs LibreOffice without it — only for a machine where the box
cannot be made and the operator accepts the risk; without the box and without that setting no
office rendition is made (fail closed), the record is still filed.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from pathlib import Path

from ..core import config, errors

BOX_TMP = "/tmp"  # noqa: S108 — an empty tmpfs inside the box, not the host's /tmp


def mode() -> str:
    """`bwrap` (the default) or `off`."""
    return config.soffice_sandbox()


def bwrap_binary() -> str | None:
    return shutil.which("bwrap")


def _system_binds() -> list[str]:
    """/usr read-only; /bin, /lib… as on this machine (symlinks into /usr on Debian 12)."""
    args = ["--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib64", "/lib32"):
        path = Path(top)
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), top]
        elif path.is_dir():
            args += ["--ro-bind", top, top]
    for extra in ("/etc/fonts", "/etc/libreoffice", "/etc/ld.so.cache", "/etc/alternatives",
                  "/var/cache/fontconfig"):
        args += ["--ro-bind-try", extra, extra]
    return args


def _box(readable: list[Path], writable: list[Path], env: dict[str, str]) -> list[str]:
    args = [bwrap_binary() or "bwrap", "--unshare-all", "--die-with-parent", "--new-session",
            "--cap-drop", "ALL", *_system_binds(), "--proc", "/proc", "--dev", "/dev",
            "--tmpfs", BOX_TMP]
    for path in readable:
        args += ["--ro-bind", str(path), str(path)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    args.append("--clearenv")
    for key, value in env.items():
        args += ["--setenv", key, value]
    return args


@functools.cache
def _usable(binary: str) -> bool:
    """Can this machine make the box? (bwrap installed and namespaces allowed.) Asked once."""
    try:
        probe = subprocess.run([*_box([], [], {}), "--", "/bin/true"], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return False
    return probe.returncode == 0


def wrap(cmd: list[str], *, readable: list[Path], writable: list[Path],
         env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """The command line (and the environment for Popen) that runs `cmd` in the box.

    Raises Unavailable when the box cannot be made and the operator has not turned it off.
    """
    if mode() == "off":
        return cmd, {**os.environ, **env}
    binary = bwrap_binary()
    if binary is None or not _usable(binary):
        raise errors.Unavailable(
            "LibreOffice 的隔离运行环境（bubblewrap）不可用，为安全起见未生成 PDF 版式副本。"
            "请安装 bubblewrap（apt-get install bubblewrap），并确认系统允许创建用户命名空间。")
    inner_env = {"PATH": "/usr/bin:/bin", "LANG": os.environ.get("LANG", "C.UTF-8"), "TMPDIR": BOX_TMP, **env}
    return [*_box(readable, writable, inner_env), "--", *cmd], {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}
