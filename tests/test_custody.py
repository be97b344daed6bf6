"""第十条: the custody rule and its edge cases."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from archive_app.custody import CustodyRule, custodian_for, custody_reason

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
