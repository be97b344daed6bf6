"""Chinese-aware analysis for exact substring matching in Whoosh.

Whoosh's stock analyzers keep a run of Chinese characters as one token, so 劳务派遣 finds
nothing inside 劳务派遣经营许可证. Here every run of CJK characters becomes its overlapping
bigrams plus one end-of-run token (the run's last character followed by END), each at its own
position:

    劳务派遣 → 劳务(0) 务派(1) 派遣(2) 遣▮(3)

so that, for a query of Chinese characters q:

* len(q) == 1: every occurrence of q starts some token → Prefix(q) is exact;
* len(q) == 2: q is a token exactly where it occurs → Term(q);
* len(q) >= 3: the bigrams of q at consecutive positions → Phrase, exact for contiguous text.

Latin letters and digits form whole lower-case words. Text is NFKC-folded (full-width forms,
compatibility ideographs) and the bracket variants of 文号 (〔〕 [] （） () 【】) fold to one form.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from whoosh.analysis import Token, Tokenizer

END = "\uffff"
_BRACKETS = str.maketrans({"〔": "(", "【": "(", "[": "(", "［": "(", "（": "(", "〕": ")", "】": ")", "]": ")",
                           "］": ")", "）": ")"})
# CJK Unified Ideographs (+ Ext. A, B–F), compatibility ideographs, 〇.
_CJK = r"\u3007\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002ebef"
_RUNS = re.compile(rf"([{_CJK}]+)|([0-9a-z]+)")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def normalize(text: str) -> str:
    """NFKC, lower case, one form of brackets; the text every match and snippet is computed on."""
    return unicodedata.normalize("NFKC", text).translate(_BRACKETS).lower()


def runs(text: str) -> Iterator[tuple[str, str]]:
    """("cjk" | "word", run) for each run of CJK characters or of Latin letters and digits."""
    for m in _RUNS.finditer(normalize(text)):
        yield ("cjk", m.group(1)) if m.group(1) else ("word", m.group(2))


def cjk_tokens(run: str) -> list[str]:
    """The tokens of one CJK run, in position order."""
    return [run[i:i + 2] for i in range(len(run) - 1)] + [run[-1] + END]


def is_cjk(text: str) -> bool:
    return bool(text) and all(re.match(rf"[{_CJK}]", ch) for ch in text)


def strip_controls(text: str) -> str:
    return _CONTROL.sub("", text)


class CJKTokenizer(Tokenizer):
    """The analyzer of every text field of the search schema (see module docstring)."""

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CJKTokenizer)

    def __hash__(self) -> int:
        return hash(type(self))

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost, t.stopped = 1.0, False
            if positions:
                t.pos = start_pos
            yield t
            return
        pos = start_pos
        for kind, run in runs(value):
            for text in (cjk_tokens(run) if kind == "cjk" else [run]):
                t.text, t.boost, t.stopped = text, 1.0, False
                if keeporiginal:
                    t.original = text
                if positions:
                    t.pos = pos
                pos += 1
                yield t
