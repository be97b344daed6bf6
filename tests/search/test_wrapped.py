"""Phrases that a PDF wraps across lines and pages are found (issue 15, 「Line breaks」).

Line-wrapped PDFs are drawn the way GB/T 9704 lays out a 公文 (28 characters a line, 22 lines a
page, paragraphs indented two characters, page numbers 「— N —」) and at other widths; their text is
extracted by the intake parser and indexed; a phrase must be found exactly when it occurs in the
paragraphs that were drawn — across a wrap, across a page break, never across two paragraphs.
"""

from __future__ import annotations

import io
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas

from archive_app.intake.parse_worker import parse_pdf
from archive_app.rendition.fonts import cjk_font
from archive_app.search.analysis import normalize
from tests.search.conftest import add_records
from tests.search.test_exact import ALPHABET


def wrapped_pdf(paragraphs: list[str], width: int, lines_per_page: int = 22, indent: str = "geometric",
                per_glyph: bool = False) -> bytes:
    """Paragraphs drawn `width` characters a line, the first line of each two characters in."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=A4)
    size = min(16.0, (A4[0] - 54 * mm) / width)
    left, top, pitch = 28 * mm, A4[1] - 37 * mm, size * 1.8
    row, page = 0, 1

    def draw(text: str, x: float) -> None:
        nonlocal row, page
        if row == lines_per_page:
            c.setFont(cjk_font(), 14)
            c.drawCentredString(A4[0] / 2, 20 * mm, f"— {page} —")
            c.showPage()
            row, page = 0, page + 1
        c.setFont(cjk_font(), size)
        y = top - row * pitch
        if per_glyph:
            for i, ch in enumerate(text):
                c.drawString(x + i * size, y, ch)
        else:
            c.drawString(x, y, text)
        row += 1

    for para in paragraphs:
        first = width - 2
        if indent == "geometric":
            draw(para[:first], left + 2 * size)
        else:
            draw("\u3000\u3000" + para[:first], left)
        for i in range(first, len(para), width):
            draw(para[i:i + width], left)
    c.drawCentredString(A4[0] / 2, 20 * mm, f"— {page} —")
    c.showPage()
    c.save()
    return buf.getvalue()


def extracted(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / f"w{random.random()}.pdf"
    path.write_bytes(data)
    return parse_pdf(path, 1_000_000)[1]


def _paragraphs(rng: random.Random, n: int) -> list[str]:
    return ["".join(rng.choice(ALPHABET + "，。") for _ in range(rng.randint(5, 90))) for _ in range(n)]


# (characters a line, how a paragraph is indented, one glyph per draw call, lines a page): GB/T 9704's
# 28 × 22 and other widths; short pages put many page breaks inside paragraphs.
DOCS = [(28, "geometric", False, 22), (28, "ideographic", False, 22), (20, "geometric", True, 22),
        (35, "geometric", False, 22), (28, "geometric", True, 22), (28, "geometric", False, 5),
        (24, "ideographic", False, 4)]


@pytest.fixture
def wrapped(archive, org, users, tmp_path):
    rng = random.Random(15)
    rows, sources = [], []
    for width, indent, per_glyph, per_page in DOCS:
        paras = _paragraphs(rng, 14)
        sources.append("\n".join(paras))
        pdf = wrapped_pdf(paras, width, lines_per_page=per_page, indent=indent, per_glyph=per_glyph)
        rows.append({"title": "包装", "matter": "TSGS", "text": extracted(tmp_path, pdf)})
    ids = add_records(archive, rows)
    return dict(zip(ids, sources, strict=True)), DOCS


def _found(searcher_for, q: str) -> set[int]:
    res = searcher_for("spj_officer", q=f'"{q}"', per_page=100)
    return {h.id for h in res.hits}


def _expected(corpus: dict, q: str) -> set[int]:
    return {rid for rid, text in corpus.items() if normalize(q) in normalize(text)}


def test_extraction_gives_back_the_drawn_paragraphs(tmp_path) -> None:
    rng = random.Random(3)
    for width, indent, per_glyph, per_page in DOCS:
        paras = _paragraphs(rng, 12)
        pdf = wrapped_pdf(paras, width, lines_per_page=per_page, indent=indent, per_glyph=per_glyph)
        assert extracted(tmp_path, pdf) == "\n".join(paras)


def test_every_phrase_across_a_wrap_or_a_page_break_is_found(wrapped, searcher_for) -> None:
    corpus, docs = wrapped
    page_breaks = 0
    for (rid, text), (width, _, _, per_page) in zip(corpus.items(), docs, strict=True):
        checked, line = 0, 0  # line: the document's line number of the paragraph's first line
        for para in text.split("\n"):
            # every line break inside the paragraph (the first line is two characters shorter)
            cuts = range(width - 2, len(para), width)
            for k, cut in enumerate(cuts):
                q = para[max(0, cut - 2):cut + 2]
                if len(q) < 4 or any(ch in "，。" for ch in q):
                    continue
                assert rid in _found(searcher_for, q), (width, q)
                checked += 1
                page_breaks += (line + k + 1) % per_page == 0  # the next line is on the next page
            line += 1 + len(cuts)
        assert checked >= 5
    assert page_breaks >= 5  # phrases across a page break (page number 「— N —」 between) among them


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=ALPHABET, min_size=3, max_size=6))
def test_property_wrapped_pdfs_match_python_in(wrapped, searcher_for, q) -> None:
    corpus, _ = wrapped
    assert _found(searcher_for, q) == _expected(corpus, q)


def test_a_snippet_highlights_a_phrase_across_the_wrap(archive, org, users, searcher_for, tmp_path) -> None:
    para = "经审查，安康市秦巴人力资源有限公司于二〇二六年申请劳务派遣经营许可，符合条件，准予许可。"
    text = extracted(tmp_path, wrapped_pdf([para], 28))
    add_records(archive, [{"title": "决定书", "text": text, "matter": "TSGS"}])
    at = para.index("劳务派遣")
    assert at < 26 < at + 4  # 26 characters on the first line: 劳务派遣 crosses the wrap
    hit = searcher_for("spj_officer", q="劳务派遣").hits[0]
    assert "<mark>劳务派遣</mark>" in str(hit.snippet)
