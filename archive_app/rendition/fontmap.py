"""Which fonts the letters' PDFs are made with (issue 12 item 6).

The .docx names the fonts GB/T 9704 asks for (仿宋_GB2312, 方正小标宋简体, 黑体, 楷体_GB2312). A
server rarely has them, so LibreOffice gets `fonts.conf` (free stand-ins) and, when the site sets
`ARCHIVE_FONTS_DIR`, that folder too, where the site puts its licensed fonts: fonts found there
under the standard names win over the stand-ins. `pdf_fonts` reads back which fonts a PDF really
embeds, so the register can say when a substitute was used.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from functools import cache
from pathlib import Path

from pypdf import PdfReader

from ..core import config

STATIC_CONF = Path(__file__).with_name("fonts.conf")
# The fonts the templates name, and how a PDF's embedded (subset) name shows the real one.
STANDARD = {"仿宋_GB2312": "FangSong", "方正小标宋简体": "FZXiaoBiaoSong", "黑体": "SimHei",
            "楷体_GB2312": "KaiTi", "宋体": "SimSun"}
_REAL = re.compile(r"(FangSong|FZXiaoBiaoSong|FZXBS|SimHei|KaiTi|SimSun|仿宋|小标宋|黑体|楷体|宋体)", re.I)


def fonts_dir() -> Path | None:
    return config.fonts_dir()


def config_file() -> Path:
    """The fontconfig file LibreOffice runs with: the stand-ins plus the site's font folder."""
    site = fonts_dir()
    if site is None:
        return STATIC_CONF
    text = STATIC_CONF.read_text(encoding="utf-8").replace(
        "<fontconfig>", f"<fontconfig>\n  <dir>{_xml(str(site))}</dir>", 1)
    digest = hashlib.sha256(text.encode()).hexdigest()[:12]
    folder = Path(tempfile.gettempdir()) / "archive-app"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"fonts-{digest}.conf"
    if not path.is_file():
        tmp = path.with_suffix(".tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(path)
    return path


def _xml(value: str) -> str:
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def pdf_fonts(pdf: Path | bytes) -> list[str]:
    """The base names of the fonts a PDF embeds, subset prefixes removed, sorted."""
    import io

    reader = PdfReader(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf)
    names: set[str] = set()
    for page in reader.pages:
        resources = page.get("/Resources") or {}
        fonts = resources.get("/Font") or {}
        for ref in fonts.values():
            base = str(ref.get_object().get("/BaseFont", ""))
            if base:
                names.add(base.lstrip("/").split("+", 1)[-1])
    return sorted(names)


def substitutes(fonts: list[str]) -> list[str]:
    """The embedded fonts that are stand-ins rather than the fonts GB/T 9704 names."""
    return [f for f in fonts if not _REAL.search(f)]


@cache
def stand_ins() -> dict[str, str]:
    """For each standard font, the font LibreOffice will use here (fc-match with our config),
    for the register page; empty when fontconfig's fc-match is not installed."""
    import shutil
    import subprocess

    binary = shutil.which("fc-match")
    if not binary:
        return {}
    env = {**os.environ, "FONTCONFIG_FILE": str(config_file())}
    found = {}
    for name in STANDARD:
        out = subprocess.run([binary, "-f", "%{family[0]}", name], capture_output=True, text=True, env=env,
                             timeout=10, check=False).stdout.strip()
        found[name] = out or "?"
    return found
