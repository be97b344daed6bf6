"""The CJK font that stamps and text renditions are drawn with, embedded in each PDF.

reportlab embeds TrueType outlines only, so Noto CJK (CFF) will not do; WenQuanYi Zen Hei
(Debian package fonts-wqy-zenhei) is the default, ARCHIVE_CJK_FONT overrides it.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from reportlab.lib import textsplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import paragraph

from ..core import config, errors

CANDIDATES = (
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
)
FONT_NAME = "ArchiveCJK"


# reportlab's CJK line breaking lets a closing 》 〉 ” ’ start a line (its list of characters that
# may not start one lacks them): 「…行政许可法\n》第三十八条」 in a narrow cell. Added here, where
# every PDF we draw with Chinese text gets its font, to both copies of the list (a one-run
# paragraph breaks in textsplit, others in paragraph).
_CLOSING = "》〉”’"


@cache
def cjk_font() -> str:
    """Register the CJK font with reportlab once (and its line-breaking rule); return its name."""
    for module in (textsplit, paragraph):
        if _CLOSING[0] not in module.ALL_CANNOT_START:
            module.ALL_CANNOT_START += _CLOSING
    configured = config.cjk_font_file()
    for candidate in ([configured] if configured else []) + list(CANDIDATES):
        if candidate and Path(candidate).is_file():
            kwargs = {"subfontIndex": 0} if candidate.endswith(".ttc") else {}
            pdfmetrics.registerFont(TTFont(FONT_NAME, candidate, **kwargs))
            return FONT_NAME
    raise errors.Unavailable(
        "找不到中文字体，无法生成归档章。请安装 fonts-wqy-zenhei（apt-get install fonts-wqy-zenhei）。")
