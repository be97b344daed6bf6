"""Every template, rendered from its example, cites only titles the seeds or the national laws
have, only articles and items that exist, and exactly the clauses its schema declares (issue 12
item 1); issuer roles refuse with the article cited (item 8)."""

from __future__ import annotations

import pytest

from archive_app.core import citations, errors
from archive_app.documents import issuers, template_catalogue
from archive_app.documents.render import render_docx
from archive_app.models import Agency
from tests.citation_check import SOURCES, check_letter, letter_citations, squash, structure
from tests.documents.test_templates import _context, _text

OLD_TITLE = "安康市人力资源和社会保障领域审管联动工作办法"


@pytest.mark.parametrize("template_id", sorted(t.id for t in template_catalogue.all_templates()))
def test_a_rendered_letter_cites_only_what_exists(template_id: str) -> None:
    t = template_catalogue.get(template_id)
    text = _text(render_docx(t.path, _context(t, t.example())))
    assert OLD_TITLE not in text
    assert check_letter(text, set(t.cites)) == []
    cited = {(title, ref) for title, refs in letter_citations(text) for ref in refs}
    for key in t.cites:  # each declared clause is actually cited
        c = citations.CLAUSES[key]
        assert any(title == c.regulation.title and article == c.article and set(c.items) <= set(items)
                   for title, (article, items) in cited), f"{template_id} does not cite {key}"


def test_no_source_file_names_the_wrong_title() -> None:
    root = template_catalogue.DEFAULT_DIR.parent
    for path in [*root.joinpath("archive_app").rglob("*.py"), *root.joinpath("archive_app").rglob("*.html"),
                 *root.joinpath("doc_templates").glob("*.py"), *root.joinpath("docs").glob("*.md")]:
        assert OLD_TITLE not in path.read_text(encoding="utf-8"), path


def test_each_template_declares_an_issuer_role() -> None:
    for t in template_catalogue.all_templates():
        assert t.issuer in issuers.ROLES
    assert template_catalogue.get("revocation-decision").issuer == "approving"
    assert template_catalogue.get("supervision-info-letter").issuer == "department"


def test_the_department_cannot_issue_a_decision_on_a_transferred_matter(archive, org) -> None:
    t = template_catalogue.get("revocation-decision")
    with archive.db.session() as s:
        rsj = s.query(Agency).filter_by(code="RSJ").one()
        spj = s.query(Agency).filter_by(code="SPJ").one()
        with pytest.raises(errors.Forbidden) as caught:
            issuers.check(s, t, rsj, "LWPQ")
        assert "第四条" in caught.value.message and citations.BANFA.cited in caught.value.message
        issuers.check(s, t, spj, "LWPQ")  # the approving agency may
        issuers.check(s, t, rsj, "TSGS")  # a matter never transferred: the department still approves it
        with pytest.raises(errors.Forbidden) as caught:
            issuers.check(s, template_catalogue.get("supervision-info-letter"), spj, "LWPQ")
        assert "第九条第（三）项" in caught.value.message


def test_the_policy_letter_categories_are_the_words_of_its_clause() -> None:
    """第九条第（七）项 names what RSJ passes on; the letter's 信息类别 quote it verbatim (「资质、资格考试」,
    not 「资质资格考试」), so the category printed in the letter is the seed's own phrase."""
    t = template_catalogue.get("policy-transmittal-letter")
    assert tuple(t.cites) == ("policy_push",)
    c = citations.CLAUSES["policy_push"]
    _article, items = structure(c.regulation.key)[c.article]
    (item,) = (squash(items[i]) for i in c.items)
    allowed = next(f.allowed for f in t.fields if f.name == "category")
    assert allowed and [kind for kind in allowed if kind not in item] == []
    text = _text(render_docx(t.path, _context(t, {**t.example(), "category": "资质、资格考试"})))
    assert "（资质、资格考试）" in text


def test_the_register_policy_categories_are_the_seeds_words() -> None:
    """The push ledger's 信息类别 (RSJ → SPJ, 安康办法 第九条（七）; 未央 三（一）) are phrases the
    seeds use, so a register entry never names a category neither document has."""
    from archive_app.models import POLICY_CATEGORIES

    seeds = "".join(squash(p.read_text(encoding="utf-8")) for p in SOURCES.glob("*.txt"))
    assert [kind for kind in POLICY_CATEGORIES if kind not in seeds] == []
