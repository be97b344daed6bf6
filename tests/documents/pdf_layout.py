"""Reading a letter's PDF back for the GB/T 9704 checks: positions in mm from the page's top-left,
colours and line widths (pdfplumber)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pdfplumber

MM = 72 / 25.4
TYPE_TOP, TYPE_BOTTOM = 37.0, 262.0  # 版心: 37 mm top margin, 35 mm bottom margin
# The glyph boxes of the 22nd (last) line of a full page end here (measured; a test keeps it true):
# a 版记 line without rules (信函) sits on the 版心's bottom edge when its glyphs end here too.
LAST_LINE_BOTTOM = 259.5
RED = (1.0, 0.0, 0.0)


@dataclass
class Row:
    page: int
    top: float
    bottom: float
    x0: float
    x1: float
    size: float
    red: bool
    text: str


@dataclass
class Rule:
    page: int
    y: float
    x0: float
    length: float
    width: float
    red: bool


def read(pdf: Path | str) -> tuple[list[Row], list[Rule], int]:
    rows: list[Row] = []
    rules: list[Rule] = []
    with pdfplumber.open(str(pdf)) as doc:
        for n, page in enumerate(doc.pages, 1):
            lines: dict[int, list[dict]] = {}
            for ch in page.chars:
                lines.setdefault(round(ch["top"] / MM * 2), []).append(ch)
            for chars in lines.values():
                chars.sort(key=lambda c: c["x0"])
                rows.append(Row(n, min(c["top"] for c in chars) / MM, max(c["bottom"] for c in chars) / MM,
                                chars[0]["x0"] / MM, chars[-1]["x1"] / MM, chars[0]["size"],
                                tuple(chars[0]["non_stroking_color"] or ()) == RED, "".join(c["text"] for c in chars)))
            seen = set()
            for ln in page.lines:
                key = (round(ln["top"], 1), round(ln["x0"], 1), round(ln["linewidth"], 2))
                if key in seen:  # LibreOffice strokes each border line twice
                    continue
                seen.add(key)
                rules.append(Rule(n, ln["top"] / MM, ln["x0"] / MM, (ln["x1"] - ln["x0"]) / MM, ln["linewidth"] / MM,
                                  tuple(ln["stroking_color"] or ()) == RED))
            pages = n
    rows.sort(key=lambda r: (r.page, r.top))
    return rows, sorted(rules, key=lambda r: (r.page, r.y)), pages


def is_page_number(row: Row) -> bool:
    return row.top > TYPE_BOTTOM and row.text.strip().startswith("—")


def _flat(row: Row) -> str:
    return row.text.replace(" ", "")


def is_banji(row: Row) -> bool:
    return _flat(row).startswith("抄送：") or _flat(row).endswith("印发")


def page_break_problems(rows: list[Row], pages: int, signature: str, rules: list[Rule] | None = None) -> list[str]:
    """GB/T 9704 7.3.5.4, 7.4.1 and 7.5 read back: the page with the signature and date has body
    text above them; the 版记 lies on the last page, together, its last line on the bottom edge of
    the 版心 (±1 mm: the last rule, or for a 函 without rules the glyphs of the last line), no body
    text overlapping it; a page holding only the 版记 carries no page number."""
    problems = []
    sig = [r for r in rows if _flat(r) == signature]
    if sig:
        page = sig[-1].page
        date = next((r for r in rows if r.page >= page and r.top > sig[-1].top - 1 and _flat(r).endswith("日")
                     and _flat(r)[:4].isdigit()), None)
        if date is None or date.page != page:
            problems.append(f"成文日期 not on the signature's page {page}")
        above = [r for r in rows if r.page == page and r.top < sig[-1].top - 1 and not is_page_number(r)]
        if not above:
            problems.append(f"signature alone on page {page}")
    banji = [r for r in rows if is_banji(r)]
    if banji:
        if {r.page for r in banji} != {pages}:
            problems.append(f"版记 on pages {sorted({r.page for r in banji})} of {pages}")
        top = min(r.top for r in banji)
        last_page = [r for r in rows if r.page == pages and not is_page_number(r)]
        overlap = [r for r in last_page if r not in banji and r.bottom > top - 0.5 and r.top < max(b.bottom for b in banji)]
        if overlap:
            problems.append(f"text overlaps the 版记: {overlap[0].text[:20]}")
        black = [r for r in (rules or []) if r.page == pages and not r.red]
        bottom, edge = (black[-1].y, TYPE_BOTTOM) if black else (max(r.bottom for r in banji), LAST_LINE_BOTTOM)
        if abs(bottom - edge) > 1:
            problems.append(f"版记 ends at {bottom:.1f} mm, not at the 版心's foot ({edge} mm)")
        if banji_alone(rows, pages) and any(is_page_number(r) for r in rows if r.page == pages):
            problems.append(f"page {pages} holds only the 版记 and carries a page number")
    return problems


def banji_alone(rows: list[Row], pages: int) -> bool:
    """The last page holds the 版记 and nothing else (besides a page number)."""
    last = [r for r in rows if r.page == pages and not is_page_number(r)]
    top = min((r.top for r in last if is_banji(r)), default=None)
    return pages > 1 and top is not None and all(r.top >= top - 0.5 for r in last)
