"""Working days (DESIGN.md rule 7; 行政许可法第八十二条: 期限以工作日计算，不含法定节假日).

The day an item starts is not counted (开始的当日不计入): N working days from a date is the N-th
working day after it. Holidays and 调休 make-up working days come from an administrator-loaded
schedule for that year if there is one, otherwise from chinesecalendar (2004–2026). A year with
neither is counted on weekdays only, and the result says so (`schedule_known` False, with the
years missing) — never a crash, never a silent guess.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, timedelta

import chinese_calendar
from sqlalchemy import select
from sqlalchemy.orm import Session

from ..core import errors
from ..models import CalendarDay

MAX_DAYS = 1000
KINDS = {"holiday": "holiday", "休": "holiday", "放假": "holiday", "节假日": "holiday", "假日": "holiday",
         "法定节假日": "holiday", "休息": "holiday",
         "workday": "workday", "班": "workday", "上班": "workday", "调休上班": "workday", "补班": "workday",
         "调休": "workday", "工作日": "workday"}
HEADER_NAMES = {"date", "日期"}  # a first column titled so is the header row, in English or Chinese


def _schedule_date(value: str) -> date:
    """YYYY-MM-DD, also as typed in Chinese offices: 2026/1/1 or 2026年1月1日."""
    value = value.strip()
    m = re.fullmatch(r"(\d{4})\s*(?:[-/.]|年)\s*(\d{1,2})\s*(?:[-/.]|月)\s*(\d{1,2})\s*日?", value)
    if not m:
        raise ValueError(value)
    return date(int(m[1]), int(m[2]), int(m[3]))


@dataclass(frozen=True)
class Deadline:
    deadline: date
    schedule_known: bool
    unknown_years: tuple[int, ...] = ()

    @property
    def warning(self) -> str | None:
        if self.schedule_known:
            return None
        years = "、".join(map(str, self.unknown_years))
        return f"{years}年的节假日安排尚未载入，期限按周一至周五计算，可能不准确。"


@dataclass
class Calendar:
    """Loaded schedules (by year) over chinesecalendar, over plain weekdays."""

    loaded: dict[int, dict[date, str]] = field(default_factory=dict)
    _memo: dict[tuple[date, int], Deadline] = field(default_factory=dict, repr=False, compare=False)
    _days: dict[date, tuple[bool, bool]] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_db(cls, session: Session) -> Calendar:
        loaded: dict[int, dict[date, str]] = {}
        for row in session.scalars(select(CalendarDay)):
            loaded.setdefault(row.year, {})[row.day] = row.kind
        return cls(loaded)

    def is_workday(self, day: date) -> tuple[bool, bool]:
        """(is a working day, the year's schedule is known)."""
        known = self._days.get(day)
        if known is None:
            known = self._days[day] = self._lookup(day)
        return known

    def _lookup(self, day: date) -> tuple[bool, bool]:
        if day.year in self.loaded:
            kind = self.loaded[day.year].get(day)
            return (kind == "workday") if kind else day.weekday() < 5, True
        try:
            return chinese_calendar.is_workday(day), True
        except NotImplementedError:
            return day.weekday() < 5, False

    def deadline(self, start: date, days: int) -> Deadline:
        """N working days after `start` (memoised per calendar: a register import asks for the same
        dates thousands of times, and chinesecalendar checks its range on every day it is asked)."""
        if not 0 <= days <= MAX_DAYS:
            raise errors.Validation(f"工作日天数应为 0 至 {MAX_DAYS}。", fields={"days": "超出范围"})
        memo = self._memo.get((start, days))
        if memo is None:
            memo = self._memo[(start, days)] = self._count(start, days)
        return memo

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end` (0 when end <= start): how long an
        item has waited, counted the way its deadline is."""
        n, day = 0, start
        while day < end:
            day += timedelta(days=1)
            n += self.is_workday(day)[0]
        return n

    def _count(self, start: date, days: int) -> Deadline:
        day, counted, unknown = start, 0, set()
        while counted < days:
            try:
                day += timedelta(days=1)
            except OverflowError as exc:  # past 9999-12-31: a bad start date, not a server fault
                raise errors.Validation("起算日期过晚，期限超出了可计算的日期范围（公元 9999 年）。",
                                        fields={"start": "超出范围"}) from exc
            working, known = self.is_workday(day)
            if not known:
                unknown.add(day.year)
            if working:
                counted += 1
        return Deadline(day, not unknown, tuple(sorted(unknown)))


def parse_schedule(text: str, year: int) -> list[tuple[date, str, str | None]]:
    """CSV lines `date,kind[,name]` (kind: holiday/休/放假/节假日 or workday/班/上班/调休上班; a header
    row 日期,类别,名称 or date,kind,name is skipped) → validated rows."""
    rows, problems, seen = [], [], set()
    for n, rec in enumerate(csv.reader(io.StringIO(text.lstrip("\ufeff"))), 1):
        if not rec or not rec[0].strip() or rec[0].strip().lower() in HEADER_NAMES:
            continue
        try:
            day = _schedule_date(rec[0])
        except ValueError:
            problems.append(f"第{n}行日期格式应为 YYYY-MM-DD")
            continue
        kind = KINDS.get(rec[1].strip() if len(rec) > 1 else "")
        if day.year != year:
            problems.append(f"第{n}行日期不属于 {year} 年")
        elif kind is None:
            problems.append(f"第{n}行类别应为「节假日」（或 放假、holiday）或「调休上班」（或 上班、workday）")
        elif day in seen:
            problems.append(f"第{n}行日期重复")
        elif kind == "workday" and day.weekday() < 5:
            problems.append(f"第{n}行：{day} 本来就是工作日，不是调休上班日")
        else:
            seen.add(day)
            rows.append((day, kind, rec[2].strip() if len(rec) > 2 and rec[2].strip() else None))
    if not rows and not problems:
        problems.append("文件中没有任何日期")
    if problems:
        raise errors.Validation("节假日安排有误：" + "；".join(problems[:10]) + "。", fields={"file": problems})
    return rows
