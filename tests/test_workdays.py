"""Working-day deadlines with the State Council's holidays and 调休, the start day not counted."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

from archive_app.cli import main
from archive_app.core import errors
from archive_app.registers.deadlines import replace_schedule
from archive_app.workdays import Calendar, parse_schedule
from tests.helpers import bearer

CAL = Calendar()


@pytest.mark.parametrize(("start", "days", "expected"), [
    # 2025 国庆中秋: 10月1日至8日放假；9月28日（周日）、10月11日（周六）上班
    (date(2025, 9, 26), 1, date(2025, 9, 28)),   # Friday → the make-up Sunday
    (date(2025, 9, 30), 1, date(2025, 10, 9)),   # across the whole holiday
    (date(2025, 10, 9), 2, date(2025, 10, 11)),  # Thu → Fri, then the make-up Saturday
    # 2026 春节: 2月15日至23日放假；2月14日（周六）、2月28日（周六）上班
    (date(2026, 2, 13), 1, date(2026, 2, 14)),
    (date(2026, 2, 14), 1, date(2026, 2, 24)),
    (date(2026, 11, 20), 0, date(2026, 11, 20)),
    (date(2026, 11, 20), 20, date(2026, 12, 18)),  # a 20-working-day 承诺时限, no holidays on the way
])
def test_deadlines_follow_the_official_schedule(start, days, expected) -> None:
    result = CAL.deadline(start, days)
    assert (result.deadline, result.schedule_known) == (expected, True)


def test_a_year_without_a_schedule_is_flagged_not_guessed() -> None:
    result = CAL.deadline(date(2026, 12, 28), 5)  # runs into 2027
    assert result.deadline == date(2027, 1, 4)  # weekdays only: 29, 30, 31, 1, 4
    assert result.schedule_known is False and result.unknown_years == (2027,)
    assert "2027年的节假日安排尚未载入" in result.warning


SCHEDULE_2027 = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n2027-01-03,holiday,元旦\n"


def test_a_loaded_schedule_makes_the_year_known(archive) -> None:
    with archive.db.transaction() as s:
        assert replace_schedule(s, 2027, SCHEDULE_2027, actor="admin") == 3
    with archive.db.session() as s:
        result = Calendar.from_db(s).deadline(date(2026, 12, 28), 5)
    assert result.deadline == date(2027, 1, 5) and result.schedule_known  # 1 Jan is a holiday now


@pytest.mark.parametrize(("text", "fragment"), [
    ("2027-13-01,holiday", "日期格式"), ("2026-10-01,holiday", "不属于 2027 年"), ("2027-01-01,party", "类别"),
    ("2027-01-01,holiday\n2027-01-01,holiday", "重复"), ("2027-01-04,workday", "本来就是工作日"), ("", "没有任何日期"),
])
def test_a_bad_schedule_is_refused(text, fragment) -> None:
    with pytest.raises(errors.Validation, match=fragment):
        parse_schedule(text, 2027)


def test_cli_and_api(env, archive, client, users, tmp_path) -> None:
    runner = CliRunner()
    flagged = runner.invoke(main, ["workdays", "deadline", "2026-12-28", "5"])
    assert "2027-01-04" in flagged.output and "尚未载入" in flagged.output
    path = tmp_path / "2027.csv"
    path.write_text(SCHEDULE_2027, encoding="utf-8")
    assert runner.invoke(main, ["workdays", "load", str(path), "--year", "2027"]).exit_code == 0
    body = client.get("/api/v1/workdays/deadline", query_string={"start": "2026-12-28", "days": 5},
                      headers=bearer(users["spj_officer"])).get_json()
    assert body == {"start": "2026-12-28", "days": 5, "deadline": "2027-01-05", "schedule_known": True,
                    "unknown_years": [], "warning": None}
    bad = client.get("/api/v1/workdays/deadline", query_string={"start": "x", "days": 5},
                     headers=bearer(users["spj_officer"]))
    assert bad.status_code == 400


def test_a_schedule_with_chinese_headers_and_values_is_read() -> None:
    """Offices keep the schedule as 日期,类别,名称 with 节假日 / 调休上班 (issue 16 item 9)."""
    from archive_app.workdays import parse_schedule

    text = "\ufeff日期,类别,名称\n2027-01-01,节假日,元旦\n2027/2/7,调休上班,春节\n2027年2月8日,放假,春节\n"
    assert [(d.isoformat(), k, n) for d, k, n in parse_schedule(text, 2027)] == [
        ("2027-01-01", "holiday", "元旦"), ("2027-02-07", "workday", "春节"), ("2027-02-08", "holiday", "春节")]
