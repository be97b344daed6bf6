"""The one table of the regulations and clauses this system cites in letters, pages and messages.

Why one table: letters are filed automatically, so a wrong title or article is archived for good
(every template once cited a 「…领域审管联动工作办法」 that does not exist).
Every citation is written from here, and `tests/test_citations.py` checks the table against the
seed texts (`/work/shared/seeds/`, copied to `docs/sources/`): each local regulation's title
occurs in its seed, each cited article and item exists there, and each clause's `quote` occurs in
exactly that article/item — so a rule cannot point at the neighbouring item (an objection reply
cites 第九条第（五）项, not （六）).

National laws are listed by their official titles; they are not in the seeds, so their articles
are recorded with the wording they are cited for and are not machine-checked.
"""

from __future__ import annotations

from dataclasses import dataclass

_DIGITS = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """1 → 一, 10 → 十, 14 → 十四, 20 → 二十, 69 → 六十九 (article numbers as the texts write them)."""
    if not 0 < n < 1000:
        raise ValueError(n)
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = f"{_DIGITS[hundreds]}百" if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else _DIGITS[tens]) + "十"
    elif hundreds and ones:
        out += "零"
    if ones:
        out += _DIGITS[ones]
    return out


@dataclass(frozen=True)
class Regulation:
    key: str
    title: str  # without 《》
    doc_no: str | None  # 文号 of the issuing notice
    seed: str | None  # file-name prefix of the seed text in /work/shared/seeds/ (None: national law)
    style: str = "article"  # "article": 第N条（N）; "section": 三、…（二）

    @property
    def cited(self) -> str:
        return f"《{self.title}》"


BANFA = Regulation("banfa", "安康市集中审批与监管协调联动实施办法（试行）", "安行审发〔2021〕7号", "000_")
WEIYANG = Regulation("weiyang", "未央区相对集中行政许可“审管联动 1264 工作机制”", "未审改办发〔2020〕6号", "003_",
                     style="section")
XUKEFA = Regulation("xukefa", "中华人民共和国行政许可法", None, None)
FUYIFA = Regulation("fuyifa", "中华人民共和国行政复议法", None, None)
SUSONGFA = Regulation("susongfa", "中华人民共和国行政诉讼法", None, None)

REGULATIONS: tuple[Regulation, ...] = (BANFA, WEIYANG, XUKEFA, FUYIFA, SUSONGFA)
NATIONAL_LAWS: tuple[str, ...] = tuple(r.title for r in REGULATIONS if r.seed is None)
# Documents the seeds themselves define by name and letters refer to in 《》.
SEED_FORMS: tuple[str, ...] = ("特别审查程序联办通知单", "委托书")


@dataclass(frozen=True)
class Clause:
    """One rule: the article (or section) and items it comes from, and a phrase of that very
    article/item (`quote`) the test finds there."""

    regulation: Regulation
    article: int
    items: tuple[int, ...]
    quote: str
    topic: str

    @property
    def ref(self) -> str:
        """第九条第（五）项 (or 三（二） for a sectioned text), without the title."""
        if self.regulation.style == "section":
            return cn_number(self.article) + "".join(f"（{cn_number(i)}）" for i in self.items)
        items = "、".join(f"第（{cn_number(i)}）项" for i in self.items)
        return f"第{cn_number(self.article)}条{items}"

    @property
    def cited(self) -> str:
        """《title》第九条第（五）项."""
        return self.regulation.cited + self.ref


def _c(reg: Regulation, article: int, items: tuple[int, ...], quote: str, topic: str) -> Clause:
    return Clause(reg, article, items, quote, topic)


CLAUSES: dict[str, Clause] = {
    # 安康办法 (安行审发〔2021〕7号)
    "standards": _c(BANFA, 3, (), "按照市人力资源和社会保障局提供的审批标准对划转事项行使审批职权",
                    "SPJ approves by the standards RSJ provides; RSJ no longer approves"),
    "no_approval_by_department": _c(BANFA, 4, (), "不再行使或者变相行使划转事项的审批职权",
                                    "RSJ may not exercise approval powers over transferred matters"),
    "boundary": _c(BANFA, 6, (), "以相应证照颁发和信息推送为界划分", "responsibility passes with the push"),
    "consultation": _c(BANFA, 7, (), "建立审管协商机制", "consultation meetings called by either agency"),
    "escalation": _c(BANFA, 7, (), "经双方协商无法确定的事项，报安康市行政审批制度改革工作领导小组办公室研究解决",
                     "matters consultation cannot settle go to the 领导小组办公室"),
    "liaison": _c(BANFA, 8, (), "确定分管领导和联络员", "each agency files its leaders and liaison officers"),
    "liaison_change": _c(BANFA, 8, (), "须提前五个工作日报安康市行政审批制度改革工作领导小组办公室备案",
                         "a liaison officer change is filed five working days ahead"),
    "review_participants": _c(BANFA, 8, (3,), "及时告知本部门确定的人员参加技术评审、现场踏勘等特别审查程序",
                              "liaison tells its staff to take part in special reviews"),
    "liaison_meetings": _c(BANFA, 8, (5,), "按要求参加审管联动联络员相关会议及培训",
                           "liaison officers attend meetings and training"),
    "approval_push": _c(BANFA, 9, (1,), "推送审批办结事项基本信息，暂不具备网上推送条件的，以函件告知相关信息",
                        "SPJ pushes approval results, by letter when offline"),
    "special_review_push": _c(BANFA, 9, (2,), "将特别审查程序联办通知单、委托书及相关材料推送市人力资源和社会保障局",
                              "SPJ sends the 联办通知单/委托书; RSJ notifies its staff and units"),
    "special_review_staff": _c(BANFA, 9, (2,), "通知相关人员和单位在规定时限内完成相关工作",
                               "RSJ tells its staff and units to finish in time"),
    "supervision_push": _c(BANFA, 9, (3,), "推送相关监管和执法信息", "RSJ pushes supervision and enforcement"),
    "conclusion_push": _c(BANFA, 9, (4,), "特别审查程序审查结论及时推送市行政审批服务局",
                          "RSJ returns the special review conclusion in time"),
    "objection": _c(BANFA, 9, (5,), "对许可决定有异议或发现行政许可相对人实际情况与承诺内容不符的",
                    "RSJ's objection to a decision; SPJ revokes on RSJ's result"),
    "licence_change": _c(BANFA, 9, (6,), "发生依法需变更、撤回、撤销、注销行政许可情形时",
                         "RSJ pushes a case for 变更/撤回/撤销/注销; SPJ acts and informs both"),
    "licence_change_result": _c(BANFA, 9, (6,), "并将结果推送市人力资源和社会保障局和函告原申请人",
                                "SPJ reports the result to RSJ and writes to the applicant"),
    "policy_push": _c(BANFA, 9, (7,), "行业法律法规变动", "RSJ passes on law and policy changes"),
    "archives": _c(BANFA, 10, (), "需要调取、查阅相关档案时", "agencies support each other's archive lookups"),
    "special_review": _c(BANFA, 11, (), "除书面形式审查以外的其他审查程序", "what a special review is"),
    "joint_review": _c(BANFA, 12, (), "由市行政审批服务局牵头，相关部门配合，联合组织实施",
                       "joint review: SPJ leads, the department assists"),
    "entrusted_review": _c(BANFA, 12, (), "由市行政审批服务局委托相关职能部门或第三方机构",
                           "entrusted review"),
    "review_forms": _c(BANFA, 13, (), "按照本办法第九条第二、四项要求推送相关审批信息和审查结论",
                       "joint/entrusted reviews follow 第九条（二）（四）"),
    "conclusion_truth": _c(BANFA, 14, (), "对审查结论的真实性负责", "the reviewer answers for its conclusion"),
    "decision_on_conclusion": _c(BANFA, 14, (), "依据特别审查程序审查结论和其他法定条件作出行政许可决定",
                                 "a licensing decision rests on the special review conclusion"),
    "who_approves": _c(BANFA, 3, (), "谁审批谁负责、谁主管谁监管", "approval and supervision each by its own agency"),
    # 未央 1264 工作机制 (未审改办发〔2020〕6号): the design's second source, cited in docs, not in 安康 letters.
    "wy_policy": _c(WEIYANG, 3, (1,), "政策信息传递制度", "policy information passed on"),
    "wy_standards": _c(WEIYANG, 3, (2,), "区行政审批服务局根据监管部门制订的审批标准",
                       "the department writes the approval standards"),
    "wy_key_projects": _c(WEIYANG, 3, (3,), "重点项目会商制度", "key project consultation"),
    "wy_approval_push": _c(WEIYANG, 3, (4,), "审批信息推送制度", "approval results pushed"),
    "wy_supervision_push": _c(WEIYANG, 3, (5,), "应及时函告区行政审批局", "revocation cases by letter"),
    "wy_liaison": _c(WEIYANG, 3, (6,), "应各确定一名联络员", "one liaison per unit"),
    # National law (not in the seeds; quoted from the official text, not machine-checked).
    "xk_change_withdraw": _c(XUKEFA, 8, (), "行政机关可以依法变更或者撤回已经生效的行政许可",
                             "变更/撤回 of a licence for the public interest"),
    "xk_revoke": _c(XUKEFA, 69, (), "可以撤销行政许可", "撤销 of a licence"),
    "xk_cancel": _c(XUKEFA, 70, (), "行政机关应当依法办理有关行政许可的注销手续", "注销 of a licence"),
    "xk_time_limit": _c(XUKEFA, 42, (), "行政机关应当自受理行政许可申请之日起二十日内作出行政许可决定",
                        "the decision is due within the time limit from 受理"),
}


def clause(key: str) -> Clause:
    return CLAUSES[key]


def _refs(clauses: list[Clause]) -> str:
    """第六条、第九条第（一）项、第（二）项: an article named once for its consecutive items."""
    out: list[str] = []
    last_article: int | None = None
    for c in clauses:
        if c.regulation.style == "article" and c.items and c.article == last_article and out[-1].endswith("项"):
            extra = "、".join(f"第（{cn_number(i)}）项" for i in c.items)
            if extra not in out[-1]:
                out[-1] += "、" + extra
            continue
        if c.ref not in out:
            out.append(c.ref)
        last_article = c.article
    return "、".join(out)


def cite(*keys: str) -> str:
    """《title》第六条、第九条第（一）项: the title once per regulation, then its articles."""
    groups: list[tuple[Regulation, list[Clause]]] = []
    for key in keys:
        c = CLAUSES[key]
        if groups and groups[-1][0] is c.regulation:
            groups[-1][1].append(c)
        else:
            groups.append((c.regulation, [c]))
    return "和".join(reg.cited + _refs(clauses) for reg, clauses in groups)


def ref(*keys: str) -> str:
    """第九条第（五）项、第（六）项 — articles only, for a message once the 办法 is named."""
    return _refs([CLAUSES[k] for k in keys])
