"""Lines into paragraphs (archive_app/core/textflow.py) on plain text and on positioned lines."""

from __future__ import annotations

from archive_app.core.textflow import Line, despace, join_pages, join_plain


def test_cjk_lines_of_one_paragraph_join_without_a_space() -> None:
    text = "甲乙丙丁戊己庚辛\n壬癸子丑\n　　新的段落开\n最后"
    assert join_plain(text) == "甲乙丙丁戊己庚辛壬癸子丑\n新的段落开最后"


def test_a_short_line_ends_its_paragraph() -> None:
    assert join_plain("甲乙丙丁戊己庚辛\n壬癸\n子丑寅卯辰巳午未") == "甲乙丙丁戊己庚辛壬癸\n子丑寅卯辰巳午未"


def test_latin_words_get_a_space_and_hyphens_are_mended() -> None:
    assert join_plain("the archive keeps intro-\nduction and the rest of\nit") == \
        "the archive keeps introduction and the rest of it"
    assert join_plain("a well-known archive of Xi'an\nCity") == "a well-known archive of Xi'an City"


def test_spaces_between_every_cjk_character_are_removed_a_single_one_is_kept() -> None:
    assert despace("劳 务 派 遣 经 营 许 可") == "劳务派遣经营许可"
    assert despace("申请人 安康市汉江人力资源有限公司") == "申请人 安康市汉江人力资源有限公司"


def test_a_paragraph_runs_on_across_a_page_break_and_page_numbers_go() -> None:
    page1 = [Line("甲乙丙丁戊己庚辛", 10, 90, 100, 10), Line("壬癸子丑寅卯辰巳", 10, 90, 82, 10),
             Line("— 1 —", 40, 60, 10, 10)]
    page2 = [Line("午未甲乙", 10, 50, 100, 10), Line("甲乙丙丁戊己", 30, 90, 82, 10)]
    assert join_pages([page1, page2]) == ["甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未甲乙", "甲乙丙丁戊己"]


def test_an_indented_line_on_the_next_page_starts_a_paragraph() -> None:
    page1 = [Line("甲乙丙丁戊己庚辛", 10, 90, 100, 10), Line("壬癸子丑寅卯辰巳", 10, 90, 82, 10)]
    page2 = [Line("午未甲乙", 30, 70, 100, 10)]
    assert join_pages([page1, page2]) == ["甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳", "午未甲乙"]


def test_a_wide_gap_between_lines_is_a_paragraph_break() -> None:
    lines = [Line("甲乙丙丁戊己庚辛", 10, 90, 200, 10), Line("壬癸子丑寅卯辰巳", 10, 90, 182, 10),
             Line("午未甲乙丙丁戊己", 10, 90, 164, 10), Line("子丑寅卯辰巳午未", 10, 90, 120, 10)]
    assert join_pages([lines]) == ["甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未甲乙丙丁戊己\n子丑寅卯辰巳午未"]


def test_a_paragraph_that_fills_a_whole_page_runs_on_to_the_third() -> None:
    full = [Line("甲乙丙丁戊己庚辛", 10, 90, 100, 10), Line("壬癸子丑寅卯辰巳", 10, 90, 82, 10)]
    page1 = [Line("子丑寅卯辰巳", 30, 90, 100, 10), *full[1:]]
    page3 = [Line("午未", 10, 30, 100, 10), Line("新段落甲乙丙", 30, 90, 82, 10)]
    assert join_pages([page1, full, page3]) == \
        ["子丑寅卯辰巳壬癸子丑寅卯辰巳甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未", "", "新段落甲乙丙"]


def test_ocr_lines_are_joined_and_despaced_the_same_way() -> None:
    from archive_app.ocr.engines import OcrLine, Page

    page = Page(1000, 400, lines=[OcrLine("劳 务 派 遣 经 营 许 可 申 请", 100, 50, 900, 80, 0.9),
                                  OcrLine("书已受理，准予许可。", 100, 100, 500, 130, 0.9),
                                  OcrLine("申请人 安康市汉江人力资源有限公司", 160, 150, 900, 180, 0.9)])
    assert page.text() == "劳务派遣经营许可申请书已受理，准予许可。\n申请人 安康市汉江人力资源有限公司"
