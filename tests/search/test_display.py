"""Search display (issue 16 item 8): the 题名 as filed with highlights on its own characters, and
suggestions when nothing is found."""

from __future__ import annotations

from archive_app.search.query import parse
from archive_app.search.searcher import highlight_title, snippet
from tests.helpers import login


def test_the_title_keeps_its_full_width_brackets_while_matches_are_marked() -> None:
    atoms = parse("第43号 许可").positive_atoms()
    html = str(highlight_title("劳务派遣经营许可延续审批意见（第43号）", atoms))
    assert html == "劳务派遣经营<mark>许可</mark>延续审批意见（<mark>第43号</mark>）"
    # a full-width letter folds to ASCII for matching but is shown as typed
    assert str(highlight_title("ＡＢＣ公司许可", parse("abc").positive_atoms())) == "<mark>ＡＢＣ</mark>公司许可"


def test_the_snippet_shows_the_original_characters() -> None:
    text = "前文。" * 40 + "安康市劳务派遣经营许可（第43号）决定"
    out = str(snippet(text, parse("第43号").positive_atoms()))
    assert "（<mark>第43号</mark>）" in out and out.startswith("…")


def test_an_empty_result_suggests_what_to_try(client, users, archive, tmp_path) -> None:
    login(client, "spj_officer")
    html = client.get("/search", query_string={"q": "不存在的词 另一个词", "custodian": "SPJ"}).get_data(as_text=True)
    assert 'data-testid="no-results"' in html and "去掉筛选条件" in html and "只检索「不存在的词」" in html
