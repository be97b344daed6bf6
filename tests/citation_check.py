"""Reading the seed texts (docs/sources/, copies of /work/shared/seeds/) into articles and items,
and checking the citations a rendered letter contains against them and `archive_app.core.citations`."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from archive_app.core import citations

SOURCES = Path(__file__).resolve().parents[1] / "docs" / "sources"
_CN = "一二三四五六七八九十百零"
_ARTICLE = re.compile(rf"^第([{_CN}]+)条\s", re.M)
_CHAPTER = re.compile(rf"^第[{_CN}]+章\s", re.M)
_SECTION = re.compile(r"^([一二三四五六七八九十]+)、", re.M)
_ITEM = re.compile(r"^（([一二三四五六七八九十]+)）", re.M)
_REF = re.compile(rf"第([{_CN}]+)条((?:第（[{_CN}]+）项、?)*)")


def squash(text: str) -> str:
    """The seeds break lines (and pages) inside sentences: compare without any whitespace."""
    return re.sub(r"\s+", "", text)


def cn_value(text: str) -> int:
    for n in range(1, 200):
        if citations.cn_number(n) == text:
            return n
    raise ValueError(text)


def seed_text(reg: citations.Regulation) -> str:
    (path,) = SOURCES.glob(f"{reg.seed}*.txt")
    return path.read_text(encoding="utf-8")


@cache
def structure(key: str) -> dict[int, tuple[str, dict[int, str]]]:
    """{article: (its whole text, {item: item text})} of a seeded regulation."""
    reg = next(r for r in citations.REGULATIONS if r.key == key)
    text = seed_text(reg)
    if reg.style == "article":
        start = text.index("第一条")
        body = _CHAPTER.sub("", text[start:])
        heads = list(_ARTICLE.finditer(body))
    else:
        start = text.index("一、充分发挥")
        body = text[start:]
        heads = list(_SECTION.finditer(body))
    out: dict[int, tuple[str, dict[int, str]]] = {}
    for i, head in enumerate(heads):
        end = heads[i + 1].start() if i + 1 < len(heads) else len(body)
        chunk = body[head.start():end]
        items_at = list(_ITEM.finditer(chunk))
        items = {cn_value(m.group(1)): chunk[m.start():(items_at[j + 1].start() if j + 1 < len(items_at) else len(chunk))]
                 for j, m in enumerate(items_at)}
        out[cn_value(head.group(1))] = (chunk, items)
    return out


def clause_problem(reg: citations.Regulation, article: int, items: tuple[int, ...]) -> str | None:
    """Why 第article条第（items）项 does not exist in the seed text, or None."""
    articles = structure(reg.key)
    if article not in articles:
        return f"{reg.title} has no article {article}"
    missing = [i for i in items if i not in articles[article][1]]
    return f"{reg.title} article {article} has no item(s) {missing}" if missing else None


def known_titles() -> set[str]:
    """Titles a letter may cite: the seeded regulations, every 《…》 the seeds cite, the forms
    they define, and the table's national laws."""
    titles = {r.title for r in citations.REGULATIONS} | set(citations.SEED_FORMS)
    for reg in citations.REGULATIONS:
        if reg.seed:
            titles |= {squash(t) for t in re.findall(r"《([^《》]+)》", seed_text(reg))}
    return titles


def letter_citations(text: str) -> list[tuple[str, list[tuple[int, tuple[int, ...]]]]]:
    """[(title, [(article, items)])] for every 《…》 in a rendered letter; an article cited later
    without a title (「并按第九条第（四）项…」) belongs to the last title named before it."""
    found: list[tuple[str, list[tuple[int, tuple[int, ...]]]]] = []
    tokens = sorted([(m.start(), "title", m) for m in re.finditer(r"《([^《》]+)》", text)]
                    + [(m.start(), "ref", m) for m in _REF.finditer(text)], key=lambda x: x[0])
    for _, kind, m in tokens:
        if kind == "title":
            found.append((m.group(1), []))
        elif found:
            found[-1][1].append((cn_value(m.group(1)), tuple(cn_value(i) for i in re.findall(r"（([^）]+)）", m.group(2)))))
    return found


def check_letter(text: str, expected: set[str] | None = None) -> list[str]:
    """Problems with the citations in `text`: unknown titles, articles or items that do not exist
    in the seed, and (with `expected`, the template's declared clause keys) clauses of a seeded
    regulation the letter cites that are not the ones its rule comes from."""
    problems: list[str] = []
    known = known_titles()
    allowed_refs: set[tuple[str, int, tuple[int, ...]]] | None = None
    if expected is not None:
        allowed_refs = set()
        for key in expected:
            c = citations.CLAUSES[key]
            allowed_refs.add((c.regulation.title, c.article, c.items))
            allowed_refs |= {(c.regulation.title, c.article, (i,)) for i in c.items}
    for title, refs in letter_citations(text):
        if squash(title) not in known:
            problems.append(f"《{title}》 is neither in the seeds nor a listed national law")
            continue
        reg = next((r for r in citations.REGULATIONS if r.title == title), None)
        if reg is None or reg.seed is None:
            continue
        for article, items in refs:
            problem = clause_problem(reg, article, items)
            if problem:
                problems.append(problem)
            elif allowed_refs is not None:
                wanted = [(title, article, (i,)) for i in items] if items else [(title, article, ())]
                if not all(w in allowed_refs for w in wanted):
                    problems.append(f"{title} 第{article}条 {items} is not a clause this template declares")
    return problems
