"""Lines back into paragraphs: the text of a PDF page or of an OCR result, as a reader reads it.

A PDF (or a scan) only knows lines. Extracted naively, each line ends in a newline, and the
search analyzer treats a newline as a break in a run of Chinese characters — so a phrase that
wraps (GB/T 9704: 28 characters a line) or runs onto the next page was never found. Here lines
carry their geometry, and a line joins the one before it when both belong to one paragraph:

* the line before reaches the right edge of its column (it was wrapped, not ended), and
* this line is not indented (a GB/T 9704 paragraph starts two characters in), and
* the gap between them is an ordinary line gap.

Where either side of a join is Chinese (or full-width punctuation) nothing is put between the
lines; a Latin word broken by a hyphen is mended; other joins get one space. Page-number lines
(「— 3 —」) are dropped so that a paragraph runs on across a page break. Spaces that a producer
put between every two Chinese characters of a line (「劳 务 派 遣」) are removed; a single space
between two words of an otherwise unspaced line is kept.

Pure functions, used inside the parse child (PDF text layers) and the OCR child (recognised
boxes): nothing here opens a file.
"""

from __future__ import annotations

import itertools
import re
import statistics
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

_PAGE_NUMBER = re.compile(r"^[\s\-—–－一]*(第\s*)?\d{1,4}(\s*页)?[\s\-—–－一]*$")
_WIDE = r"[\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]"
_SPACED = re.compile(rf"(?<={_WIDE}) (?={_WIDE})")
_ADJACENT = re.compile(r"[\u3400-\u9fff\uf900-\ufaff](?=[\u3400-\u9fff\uf900-\ufaff])")


@dataclass(frozen=True)
class Line:
    """One line of a page: its text and where it sits (PDF units, y growing upwards)."""

    text: str
    x0: float
    x1: float
    y: float
    size: float


def wide(ch: str) -> bool:
    """A character that is one em wide and wants no space beside it: CJK, full-width forms."""
    return unicodedata.east_asian_width(ch) in ("W", "F")


def text_width(text: str) -> float:
    """Width in em, estimated: wide characters 1, others 0.5."""
    return sum(1.0 if wide(c) else 0.5 for c in text)


def despace(text: str) -> str:
    """Remove the spaces a producer put between every two CJK characters of a line."""
    spaced = len(_SPACED.findall(text))
    if spaced >= 2 and spaced >= len(_ADJACENT.findall(text)):
        return _SPACED.sub("", text)
    return text


def _joiner(before: str, after: str) -> tuple[str, str]:
    """(before, separator) for joining two lines of one paragraph."""
    a, b = before[-1], after[0]
    if a == "-" and len(before) > 1 and before[-2].isascii() and before[-2].isalpha() and b.islower():
        return before[:-1], ""
    if wide(a) or wide(b):
        return before, ""
    return before, " "


def _indent(text: str) -> tuple[str, float]:
    """Text without its leading blanks, and their width in em (「　　」 = 2)."""
    stripped = text.lstrip(" \u3000\t")
    lead = text[: len(text) - len(stripped)]
    return stripped, sum(1.0 if c == "\u3000" else 0.5 for c in lead)


def _margin(column: list[Line]) -> float:
    """The left edge of a column: where its leftmost line starts, not counting lines led by a
    punctuation mark (OCR boxes of 「。」 and 「，」 start off the margin)."""
    lettered = [o.x0 for o in column if not unicodedata.category(o.text[:1] or "x").startswith("P")]
    return min(lettered or [o.x0 for o in column])


def _paragraph_breaks(lines: list[Line]) -> list[bool]:
    """For each line: does it start a new paragraph? (the first line: judged by indent alone)"""
    gaps = [p.y - c.y for p, c in itertools.pairwise(lines) if 0 < p.y - c.y]
    pitch = statistics.median(gaps) if gaps else 0.0
    starts = []
    for i, line in enumerate(lines):
        em = line.size or 1.0
        column = [o for o in lines if abs(o.x0 - line.x0) <= 2.5 * em]
        left = _margin(column)
        indented = line.x0 > left + 0.8 * em
        if i == 0:
            starts.append(indented)
            continue
        prev = lines[i - 1]
        pcol = [o for o in lines if abs(o.x0 - prev.x0) <= 2.5 * em]
        right = max(o.x1 for o in pcol)
        full = prev.x1 >= right - 1.5 * em and len(pcol) > 1
        gap = prev.y - line.y
        ordinary_gap = 0 < gap <= max(pitch * 1.5, em * 1.05) if pitch else 0 < gap <= em * 2.5
        starts.append(indented or not full or not ordinary_gap)
    return starts


def page_paragraphs(lines: list[Line]) -> tuple[list[tuple[str, bool, bool]], Line | None, float]:
    """(text, starts_a_paragraph, ends_full) for each paragraph of a page, in reading order; the
    page's first line and the left edge of its last line's column (to judge a page break)."""
    cleaned = []
    for line in lines:
        text, lead = _indent(line.text)
        text = despace(text.rstrip())
        if not text or _PAGE_NUMBER.match(text):
            continue
        cleaned.append(Line(text, line.x0 + lead * line.size, line.x1, line.y, line.size))
    if not cleaned:
        return [], None, 0.0
    starts = _paragraph_breaks(cleaned)
    # Whether the page's last line reaches the right edge: the paragraph may run on.
    last = cleaned[-1]
    em = last.size or 1.0
    column = [o for o in cleaned if abs(o.x0 - last.x0) <= 2.5 * em]
    last_full = len(column) > 1 and last.x1 >= max(o.x1 for o in column) - 1.5 * em
    last_left = _margin(column)
    paragraphs: list[list] = []
    for line, start in zip(cleaned, starts, strict=True):
        if start or not paragraphs:
            paragraphs.append([line.text, start])
        else:
            before, sep = _joiner(paragraphs[-1][0], line.text)
            paragraphs[-1][0] = before + sep + line.text
    return ([(text, start, last_full and i == len(paragraphs) - 1) for i, (text, start) in enumerate(paragraphs)],
            cleaned[0], last_left)


def join_pages(pages: Iterable[list[Line]]) -> list[str]:
    """Each page's text with its paragraphs on their own lines; a paragraph that runs from one
    page onto the next (last line full, next page's first line not indented) is moved whole to
    the page where it started, so that no phrase is cut by the page break (a page it fills
    whole is then empty)."""
    out: list[list[str]] = []
    carry, left = False, 0.0
    for lines in pages:
        paragraphs, first, last_left = page_paragraphs(lines)
        # the first line is indented against the previous page's margin: a new paragraph
        flush = first is not None and first.x0 <= left + 0.8 * (first.size or 1.0)
        texts = []
        # the page where the running paragraph is (a page it filled whole was moved there too)
        held = next((texts for texts in reversed(out) if texts), None)
        for i, (text, start, runs_on) in enumerate(paragraphs):
            if i == 0 and carry and flush and not start and held is not None:
                before, sep = _joiner(held[-1], text)
                held[-1] = before + sep + text
            else:
                texts.append(text)
            carry = runs_on
        left = last_left
        if not paragraphs:
            carry = False
        out.append(texts)
    return ["\n".join(t) for t in out]


def plain_lines(text: str) -> list[Line]:
    """Lines of a text without positions, laid out as if monospaced: a line is full when it is
    as wide as the widest, indented by its leading blanks."""
    return [Line(t, 0.0, text_width(t), -i * 1.5, 1.0) for i, t in enumerate(text.splitlines()) if t.strip()]


def join_plain(text: str) -> str:
    """`join_pages` for one page of plain text."""
    return join_pages([plain_lines(text)])[0]


def pdf_page_lines(page, extract: Callable | None = None) -> list[Line]:
    """The lines of a pypdf page, in content-stream order (which keeps columns apart), from the
    positions pypdf reports to a text visitor. A new line starts where the baseline moves or the
    pen goes back; pieces of one line further apart than half an em are separated by a space."""
    pieces: list[tuple[str, float, float, float]] = []

    def visit(text: str, cm: list, tm: list, font: object, font_size: float) -> None:
        if not text or not text.strip("\n"):
            return
        a, b = tm[0] * cm[0] + tm[1] * cm[2], tm[0] * cm[1] + tm[1] * cm[3]
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        size = abs(font_size * (a * a + b * b) ** 0.5) or 1.0
        for k, part in enumerate(text.split("\n")):
            if part:
                pieces.append((part, x, y - k * 1.2 * size, size))

    plain = (extract or page.extract_text)(visitor_text=visit) or ""
    if not pieces and plain.strip():  # no positions reported: lay the plain text out
        return plain_lines(plain)
    lines: list[Line] = []
    for text, x, y, size in pieces:
        if lines:
            cur = lines[-1]
            same_line = abs(cur.y - y) <= 0.35 * max(size, cur.size) and x >= cur.x1 - 0.6 * size
            if same_line:
                gap = x - cur.x1
                sep = " " if gap > 0.5 * size and not cur.text.endswith(" ") and not text.startswith(" ") else ""
                joined = cur.text + sep + text
                lines[-1] = Line(joined, cur.x0, x + text_width(text) * size, cur.y, max(cur.size, size))
                continue
        lines.append(Line(text, x, x + text_width(text) * size, y, size))
    return lines
