"""第十条: the custody rule and its edge cases."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from archive_app.records.custody import CustodyRule, custodian_for, custody_reason

MOVED = CustodyRule("RSJ", "SPJ", date(2021, 7, 1))
NEVER = CustodyRule("RSJ", "RSJ", None)


def test_before_the_transfer_date_the_department_keeps_it() -> None:
    assert custodian_for(MOVED, date(2021, 6, 30)) == "RSJ"


def test_on_the_transfer_date_the_approval_bureau_keeps_it() -> None:
    assert custodian_for(MOVED, date(2021, 7, 1)) == "SPJ"


def test_after_the_transfer_date_the_approval_bureau_keeps_it() -> None:
    assert custodian_for(MOVED, date(2026, 11, 22)) == "SPJ"


def test_a_matter_without_transfer_date_stays_with_its_department() -> None:
    assert custodian_for(NEVER, date(2026, 1, 1)) == "RSJ"
    assert custodian_for(CustodyRule("SCJ", "SPJ", None), date(2030, 1, 1)) == "SCJ"


def test_agencies_are_data_any_pair_works() -> None:
    rule = CustodyRule("ZJJ", "SPJ", date(2022, 3, 1))
    assert custodian_for(rule, date(2022, 2, 28)) == "ZJJ"
    assert custodian_for(rule, date(2022, 3, 1)) == "SPJ"


def test_a_corrected_transfer_date_moves_exactly_the_records_in_between() -> None:
    old, new = MOVED, CustodyRule("RSJ", "SPJ", date(2021, 9, 1))
    days = [date(2021, 6, 1) + timedelta(days=i) for i in range(120)]
    moved = [d for d in days if custodian_for(old, d) != custodian_for(new, d)]
    assert moved == [d for d in days if date(2021, 7, 1) <= d < date(2021, 9, 1)]


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)))
def test_the_rule_is_a_threshold(formed: date, transfer: date) -> None:
    rule = CustodyRule("RSJ", "SPJ", transfer)
    assert custodian_for(rule, formed) == ("SPJ" if formed >= transfer else "RSJ")


def test_the_reason_explains_the_decision_in_chinese() -> None:
    assert "早于划转移交日期2021年7月1日" in custody_reason(MOVED, date(2021, 6, 30))
    assert "当日或之后" in custody_reason(MOVED, date(2021, 7, 1))
    assert "未划转" in custody_reason(NEVER, date(2021, 7, 1))


# Issue 17: 第十条 governs 审批业务档案 only; the category of a record decides which rule applies.

def test_supervision_records_stay_with_the_department_whatever_their_date() -> None:
    """第三条 「谁主管谁监管」, 第四条 事中事后监管: inspections, penalties, complaints are RSJ's."""
    assert custodian_for(MOVED, date(2026, 11, 22), "supervision") == "RSJ"
    assert custodian_for(MOVED, date(2021, 7, 1), "supervision") == "RSJ"
    assert custodian_for(NEVER, date(2026, 1, 1), "supervision") == "RSJ"
    assert "第三条" in custody_reason(MOVED, date(2026, 11, 22), "supervision")


def test_issued_and_received_records_stay_with_their_holder() -> None:
    """A 公文 stays with its issuer, a 收文 with its receiver, whatever the matter's dates."""
    assert custodian_for(MOVED, date(2020, 1, 1), "issued", "SPJ") == "SPJ"
    assert custodian_for(MOVED, date(2026, 1, 1), "issued", "RSJ") == "RSJ"
    assert custodian_for(None, date(2026, 1, 1), "issued", "RSJ") == "RSJ"  # a 公文 of no matter
    assert custodian_for(MOVED, date(2020, 1, 1), "received", "SPJ") == "SPJ"


def test_the_rule_refuses_what_it_cannot_decide() -> None:
    import pytest

    with pytest.raises(ValueError):
        custodian_for(MOVED, date(2026, 1, 1), "issued")  # who issued it?
    with pytest.raises(ValueError):
        custodian_for(None, date(2026, 1, 1), "approval")  # an approval record needs its matter
    with pytest.raises(ValueError):
        custodian_for(MOVED, date(2026, 1, 1), "gossip")


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
       st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1)),
       st.sampled_from(["supervision", "issued", "received"]))
def test_only_approval_records_follow_a_transfer_date_correction(formed: date, transfer: date, category: str) -> None:
    from archive_app.records.custody import follows_transfer

    before, after = CustodyRule("RSJ", "SPJ", transfer), CustodyRule("RSJ", "SPJ", None)
    holder = "RSJ"
    assert custodian_for(before, formed, category, holder) == custodian_for(after, formed, category, holder)
    assert not follows_transfer(category) and follows_transfer("approval")
