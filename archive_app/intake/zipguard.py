"""Checks on zip containers (OOXML, OFD) made from the central directory alone, before any
entry is decompressed: entry count, declared total size, the ratio of each large entry AND of
the whole container (many entries of just under 1 MiB each must not pass where one large entry
would not), overlapping entries (the "non-recursive" zip bomb), encrypted entries and path
tricks."""

from __future__ import annotations

import itertools
import stat
import zipfile
from pathlib import Path, PurePosixPath

from ..core import errors
from ..core.config import Settings

MB = 1024 * 1024
RATIO_FLOOR = 8 * MB  # below this much in all, the container's overall ratio does not matter


def _bad_name(name: str) -> bool:
    if not name or "\\" in name or "\x00" in name or name.startswith("/"):
        return True
    parts = PurePosixPath(name).parts
    return any(p == ".." for p in parts) or (len(parts) > 0 and ":" in parts[0])


def check_zip(path: Path, settings: Settings) -> None:
    """Refuse the container with ARCHIVE_BOMB, ENCRYPTED or CORRUPT; return when it is safe."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        raise errors.Corrupt("文件的压缩结构已损坏（可能是下载或拷贝不完整），无法打开。") from exc
    if len(infos) > settings.zip_max_entries:
        raise errors.ArchiveBomb(f"文件内含 {len(infos)} 个部件，超过上限 {settings.zip_max_entries}，已拒收。")
    total = 0
    seen: set[str] = set()
    spans: list[tuple[int, int]] = []
    for info in infos:
        if info.flag_bits & 0x1:
            raise errors.Encrypted("文件内容已加密，档案中不能保存加密文件，请解除加密后重新上传。")
        if _bad_name(info.filename) or info.filename in seen:
            raise errors.Corrupt("文件内部含有异常的路径名称，已拒收。")
        seen.add(info.filename)
        mode = info.external_attr >> 16
        if mode and stat.S_ISLNK(mode):
            raise errors.Corrupt("文件内部含有符号链接，已拒收。")
        total += info.file_size
        if info.file_size > 1024 * 1024 and info.file_size > settings.zip_max_ratio * max(info.compress_size, 1):
            raise errors.ArchiveBomb("文件内某个部件的压缩比异常（疑似压缩炸弹），已拒收。")
        spans.append((info.header_offset, info.header_offset + 30 + info.compress_size))
    if total > settings.zip_max_total_bytes:
        raise errors.ArchiveBomb(f"文件解压后的总大小 {total / MB:.0f} MB 超过上限 "
                                 f"{settings.zip_max_total_bytes / MB:.0f} MB（疑似压缩炸弹），已拒收。")
    if total > RATIO_FLOOR and total > settings.zip_max_ratio * max(path.stat().st_size, 1):
        raise errors.ArchiveBomb(f"文件解压后共 {total / MB:.0f} MB，是文件本身的 "
                                 f"{total / max(path.stat().st_size, 1):.0f} 倍（疑似压缩炸弹），已拒收。")
    spans.sort()
    for (start_a, end_a), (start_b, _) in itertools.pairwise(spans):
        if start_b < end_a and start_b != start_a:
            raise errors.ArchiveBomb("文件内部的部件相互重叠（疑似压缩炸弹），已拒收。")
        if start_b == start_a:
            raise errors.ArchiveBomb("文件内部的多个部件指向同一数据（疑似压缩炸弹），已拒收。")
