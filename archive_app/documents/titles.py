"""Breaking a letter's title into lines between words (GB/T 9704 7.3.1: 「标题回行时，要做到词意完整，
排列对称，长短适宜，间距恰当，标题排列应当使用梯形或菱形」).

LibreOffice breaks a long title wherever the line is full (「劳务派/遣」). Here the title is cut into
words — a small lexicon of the words our titles are made of (agencies, matters, the templates'
own wording) plus place-name suffixes; a value typed by staff is never joined to its neighbour —
and the breaks are chosen so the lines are as even as possible, the upper line never longer
than the one below it when two lines differ (正梯形). No line starts with a closing or ends with
an opening bracket or 「的」. A word longer than a line (rare) is the only thing ever cut inside.
"""

from __future__ import annotations

import html
import math
import re
from functools import cache

from jinja2 import Environment, StrictUndefined

LINE_CHARS = 20  # 2号 (22 pt) title, 0.25 pt closed up, in the 156 mm 版心
MARK = "\ue000"  # wraps each value while the pattern is filled in


def _mark(value: object) -> object:
    """Each value printed into the pattern is wrapped in MARK, so it is never joined to its
    neighbour; conditions in the pattern (`{% if kind == '培训' %}`) still see the value itself."""
    return f"{MARK}{value}{MARK}" if isinstance(value, str) and value else value


# The title is plain text (docxtpl escapes it when it goes into the letter): the pattern is
# rendered with escaping, as every template here is, and the result decoded back to text —
# unescape(escape(v)) is v for every value typed, so 「A&B<C>」 comes out as typed.
_ENV = Environment(autoescape=True, undefined=StrictUndefined, finalize=_mark)
_LEXICON = frozenset("""
关于 经营许可 人力资源服务 召开 举办 参加 提供 传递 报请 协调 变更 撤回 撤销 注销
处理结果 处理 结果 的 告知函 反馈函 备案函 函 通知
决定书 审批 标准 办结 信息 审查 结论 行政 许可 行政许可 经营 劳务派遣 劳务 派遣 人力资源 人力 资源 服务 有限公司
有限责任公司 股份有限公司 公司 集团 中心 安康市 陕西省 西安市 未央区 汉滨区 汉江 秦巴 审管联动 审管 联动 联络员
分管领导 会议 培训 特别审查程序 联办通知单 委托书 现场实地核查 专家评审 技术审查 民办 职业 培训学校 学校 设立
终止 企业 实行 不定时 工作制 和 综合 计算 工时 事中事后 监管 衔接 问题 业务 档案 调阅 监督检查 行政处罚 执法检查
投诉举报 信用监管 全面 推行 相对集中 行政许可权 改革 工作 方案 实施办法 办法 劳动关系科 劳动 关系 科 审批标准
协商 纪要 备案表 联办 通知单 证明 材料 人才 质量 检测 集中 与 推送 双向 情况
""".split())
_LONGEST = max(map(len, _LEXICON))
_OPENING = "《（“〔【"
_CLOSING = "》）”〕】，、。"


def width(text: str) -> float:
    return sum(0.5 if ord(c) < 0x2E80 else 1 for c in text)


@cache
def _words(chunk: str) -> tuple[str, ...]:
    """Forward longest match on the lexicon; unknown characters stay together as one word, cut
    only after a place-name suffix (省 市 县 区)."""
    out: list[str] = []
    run = ""
    i = 0
    while i < len(chunk):
        for n in range(min(_LONGEST, len(chunk) - i), 1, -1):
            if chunk[i:i + n] in _LEXICON:
                if run:
                    out.append(run)
                    run = ""
                out.append(chunk[i:i + n])
                i += n
                break
        else:
            if chunk[i] in _LEXICON and not run:
                out.append(chunk[i])
            else:
                run += chunk[i]
                if chunk[i] in "省市县区" and len(run) >= 3:
                    out.append(run)
                    run = ""
            i += 1
    if run:
        out.append(run)
    return tuple(out)


def tokens(title_with_marks: str) -> list[str]:
    """The title's unbreakable pieces, brackets glued to the word they belong to."""
    pieces: list[str] = []
    for chunk in title_with_marks.split(MARK):
        if chunk:
            pieces.extend(_words(chunk))
    glued: list[str] = []
    for piece in pieces:
        if glued and (piece[0] in _CLOSING or glued[-1][-1] in _OPENING or glued[-1] == "的"):
            glued[-1] += piece
        else:
            glued.append(piece)
    return glued


def lines(pieces: list[str], limit: int = LINE_CHARS) -> list[str]:
    """Break between pieces into the fewest lines of at most `limit`, as even as possible, an
    upper line no longer than the next (梯形)."""
    total = width("".join(pieces))
    if total <= limit:
        return ["".join(pieces)]
    split: list[str] = []
    for piece in pieces:  # a piece wider than a line is cut (the only break inside a word)
        while width(piece) > limit:
            cut = 1
            while width(piece[:cut + 1]) <= limit:
                cut += 1
            split.append(piece[:cut])
            piece = piece[cut:]
        split.append(piece)
    widths = [width(p) for p in split]
    for count in range(math.ceil(total / limit), len(split) + 1):
        best = _best(widths, count, limit)
        if best is not None:
            out, start = [], 0
            for end in best:
                out.append("".join(split[start:end]))
                start = end
            return out
    return ["".join(split)]


def _best(widths: list[float], count: int, limit: int) -> list[int] | None:
    """Line ends for `count` lines minimising the spread of line widths (ties: shorter on top)."""
    n = len(widths)
    prefix = [0.0]
    for w in widths:
        prefix.append(prefix[-1] + w)
    target = prefix[-1] / count

    @cache
    def solve(start: int, left: int) -> tuple[float, tuple[int, ...]] | None:
        if left == 1:
            w = prefix[n] - prefix[start]
            return ((w - target) ** 2, (n,)) if w <= limit else None
        found: tuple[float, tuple[int, ...]] | None = None
        for end in range(start + 1, n - left + 2):
            w = prefix[end] - prefix[start]
            if w > limit:
                break
            rest = solve(end, left - 1)
            if rest is None:
                continue
            nxt = prefix[rest[1][0]] - prefix[end]
            cost = (w - target) ** 2 + rest[0] + (0.01 if w > nxt else 0)
            if found is None or cost < found[0]:
                found = (cost, (end, *rest[1]))
        return found

    result = solve(0, count)
    return list(result[1]) if result else None


def title_text(pattern: str, ctx: dict[str, object]) -> str:
    """The title of a letter, lines joined with a line break (docxtpl writes <w:br/>)."""
    filled = html.unescape(_ENV.from_string(pattern).render(ctx))
    return "\n".join(lines(tokens(re.sub(r"\s+", "", filled))))
