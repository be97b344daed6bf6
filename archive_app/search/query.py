"""The query language and its compilation to Whoosh queries.

Language: words are ANDed; "a phrase" is one exact string; OR between two terms; NOT or a
leading - excludes a term; a trailing * makes a Latin/digit word a prefix. Malformed input
(unbalanced quotes, a lone operator, overlong text, control characters) is a VALIDATION error
with a message a clerk understands — never a 500.

Leak-freedom is built into every atom: an atom matches a record through its catalogue fields
(visible to both agencies) OR through its content — but content only in the requesting user's
own agency's content field, or, for the other agency, only on records the user holds an active
lookup grant for (and then with a constant score, so the other agency's term statistics never
shape the ranking). A record the user cannot open can therefore only be found, counted, faceted or
ranked by its catalogue data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq

from ..core import errors
from .analysis import END, normalize, runs, strip_controls
from .phrase import FastPhrase
from .schema import content_field

MAX_QUERY = 200
_TOKENS = re.compile(r'"([^"]*)"|(\S+)')
CATALOGUE_FIELDS = (("title", 3.0), ("doc_no", 3.0), ("applicant", 2.0), ("catalogue", 1.0))


@dataclass(frozen=True)
class Atom:
    text: str
    negated: bool = False
    prefix: bool = False  # trailing * on a Latin/digit word

    def parts(self) -> list[tuple[str, str]]:
        return list(runs(self.text))

    def match_strings(self) -> list[str]:
        """The normalized strings a snippet highlights for this atom."""
        return [run for _, run in self.parts()]


@dataclass
class Parsed:
    clauses: list[list[Atom]] = field(default_factory=list)  # AND of ORs

    @property
    def empty(self) -> bool:
        return not self.clauses

    def positive_atoms(self) -> list[Atom]:
        return [a for clause in self.clauses for a in clause if not a.negated]


def parse(text: str | None) -> Parsed:
    text = (text or "").replace("“", '"').replace("”", '"').replace("＂", '"')
    if len(text) > MAX_QUERY:
        raise errors.Validation(f"检索词过长（{len(text)} 个字符），最多 {MAX_QUERY} 个字符。", fields={"q": "过长"})
    if strip_controls(text) != text:
        raise errors.Validation("检索词中含有不可见的控制字符，请重新输入。", fields={"q": "含控制字符"})
    if text.count('"') % 2:
        raise errors.Validation("检索词中的引号不成对，请检查后重新输入。", fields={"q": "引号不成对"})
    items: list[str | Atom] = []
    negate = False
    for m in _TOKENS.finditer(text):
        quoted, word = m.group(1), m.group(2)
        if word in ("OR", "|"):
            items.append("OR")
            continue
        if word == "NOT":
            if negate:
                raise errors.Validation("NOT 连续出现，请检查检索式。", fields={"q": "NOT 用法有误"})
            negate = True
            continue
        if word and word.startswith("-") and len(word) > 1:
            negate, word = True, word[1:]
        raw = quoted if quoted is not None else word
        prefix = quoted is None and raw.endswith("*") and len(raw) > 1
        atom = Atom(raw.rstrip("*") if prefix else raw, negated=negate, prefix=prefix)
        negate = False
        if not atom.parts():
            continue  # punctuation only: nothing to search
        items.append(atom)
    if negate:
        raise errors.Validation("NOT（或 -）后面缺少检索词。", fields={"q": "NOT 后缺少检索词"})
    parsed = Parsed()
    pending_or = False
    for item in items:
        if item == "OR":
            if not parsed.clauses or pending_or:
                raise errors.Validation("OR 两侧都需要检索词。", fields={"q": "OR 用法有误"})
            pending_or = True
        elif pending_or:
            parsed.clauses[-1].append(item)
            pending_or = False
        else:
            parsed.clauses.append([item])
    if pending_or:
        raise errors.Validation("OR 两侧都需要检索词。", fields={"q": "OR 用法有误"})
    if text.strip() and parsed.empty:
        raise errors.Validation("检索词中没有可以检索的文字或数字。", fields={"q": "无可检索内容"})
    if parsed.clauses and all(a.negated for clause in parsed.clauses for a in clause):
        raise errors.Validation("检索式不能只有排除词，请至少给出一个要查找的词。", fields={"q": "只有排除词"})
    return parsed


def atom_query(fieldname: str, atom: Atom, boost: float = 1.0) -> wq.Query:
    """Exact match of the atom's text in one field (see analysis.py for why this is exact)."""
    parts = atom.parts()
    if len(parts) > 1 and not (parts[-1][0] == "cjk" and len(parts[-1][1]) == 1) and not atom.prefix:
        tokens: list[str] = []
        for i, (kind, run) in enumerate(parts):
            if kind == "word":
                tokens.append(run)
            else:
                bigrams = [run[j:j + 2] for j in range(len(run) - 1)]
                tokens.extend(bigrams + ([run[-1] + END] if i < len(parts) - 1 else []))
        if len(tokens) == 1:
            return wq.Term(fieldname, tokens[0], boost=boost)
        return FastPhrase(fieldname, tokens, boost=boost)
    subs: list[wq.Query] = []
    for i, (kind, run) in enumerate(parts):
        last = i == len(parts) - 1
        if kind == "word":
            subs.append(wq.Prefix(fieldname, run, boost=boost) if atom.prefix and last else
                        wq.Term(fieldname, run, boost=boost))
        elif len(run) == 1:
            subs.append(wq.Prefix(fieldname, run, boost=boost))
        elif len(run) == 2:
            subs.append(wq.Term(fieldname, run, boost=boost))
        else:
            subs.append(FastPhrase(fieldname, [run[j:j + 2] for j in range(len(run) - 1)], boost=boost))
    return subs[0] if len(subs) == 1 else wq.And(subs)


@dataclass(frozen=True)
class Scope:
    """What the searching user may read the content of."""

    agency_code: str
    grants: dict[str, frozenset[int]]  # other agency code → record ids under an active lookup grant


def catalogue_query(atom: Atom) -> wq.Query:
    compact = normalize(atom.text).replace(" ", "")
    subs: list[wq.Query] = [atom_query(name, atom, boost) for name, boost in CATALOGUE_FIELDS]
    subs += [wq.Term("title_exact", compact, boost=12.0), wq.Term("applicant_exact", compact, boost=12.0)]
    if re.search(r"[0-9a-z]", compact) and len(compact) >= 3:
        subs.append(wq.Prefix("codes", compact, boost=2.0))
    return wq.Or(subs)


def content_query(atom: Atom, scope: Scope) -> wq.Query:
    subs: list[wq.Query] = [atom_query(content_field(scope.agency_code), atom)]
    for agency, ids in scope.grants.items():
        if ids:
            granted = wq.Or([wq.Term("id", str(i)) for i in sorted(ids)])
            subs.append(wq.And([wq.ConstantScoreQuery(atom_query(content_field(agency), atom), 1.0), granted]))
    return wq.Or(subs)


def compile_query(parsed: Parsed, scope: Scope) -> wq.Query:
    if parsed.empty:
        return wq.Every()
    clauses: list[wq.Query] = []
    negatives: list[wq.Query] = []
    for clause in parsed.clauses:
        positives = []
        for atom in clause:
            q = wq.Or([catalogue_query(atom), content_query(atom, scope)])
            (negatives if atom.negated and len(clause) == 1 else positives).append(
                wq.Not(q) if atom.negated and len(clause) > 1 else q)
        if positives:
            clauses.append(positives[0] if len(positives) == 1 else wq.Or(positives))
    base = clauses[0] if len(clauses) == 1 else wq.And(clauses)
    return wq.AndNot(base, wq.Or(negatives)) if negatives else base
