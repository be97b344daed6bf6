"""Recognition quality on generated scans (issue 15 targets): CER ≤ 3 % on clean 300 dpi pages,
≤ 8 % at 200 dpi with speckle, blur and 1.5° skew; a page turned sideways or upside down is
found and turned back; two columns are read column by column."""

from __future__ import annotations

import pytest

from archive_app.ocr.engines import recognise
from bench.ocr_bench import cer
from tests.ocr.scans import damage, text_page, two_columns


@pytest.mark.parametrize("face", ["宋体", "楷体"])
def test_clean_300_dpi(face) -> None:
    img, truth = text_page(21, 300, face, lines=4)
    assert cer(truth, recognise(img).text()) <= 0.03


def test_200_dpi_with_noise_and_skew() -> None:
    img, truth = text_page(22, 200, "宋体", lines=4)
    page = recognise(damage(img, 1, 1.5, 0.004, 0.8, 75))
    assert cer(truth, page.text()) <= 0.08
    assert -2.0 <= page.skew <= -1.0  # measured, and turned back (clockwise) before reading


@pytest.mark.parametrize(("turn", "undo"), [(90, 270), (180, 180), (270, 90)])
def test_a_turned_page_is_turned_back(turn, undo) -> None:
    img, truth = text_page(23, 200, "黑体", lines=3)
    page = recognise(img.rotate(turn, expand=True))
    assert page.rotation == undo
    assert cer(truth, page.text()) <= 0.03


def test_two_columns_are_read_one_after_the_other() -> None:
    img, truth = two_columns(24, 300)
    assert cer(truth, recognise(img).text()) <= 0.03
