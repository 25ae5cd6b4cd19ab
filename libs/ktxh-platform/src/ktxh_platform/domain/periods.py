"""Reporting periods (kỳ báo cáo), one model for every service.

A period is a month, quarter, half-year, the first nine months of a year, a year, a 5-year plan
period, or a point in time ("thời điểm", the state on a date). Its canonical code is the one
of `ktxh.common.v1.Period.code`: ``2026-M05``, ``2026-Q2``, ``2026-H1``, ``2026-9M``, ``2026``,
``2026-2030``, ``@2026-05-14`` (the catalog's ``2026-05-14`` is accepted on input).

A period knows its bounds and label, the period before and after it (`shifted`), the same
period a year earlier, the months a roll-up reads for it (`months`), the shorter periods it is
made of (`parts`) and its span from January (`year_to_date`). Deadlines come from a calendar
(the submission service's `domain/calendars.py`).

Pure: standard library only.
"""

from __future__ import annotations

import calendar as _calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ktxh_platform.domain import InvalidArgument

__all__ = ["Period", "PeriodKind", "add_months"]


class PeriodKind(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    NINE_MONTHS = "nine_months"
    YEAR = "year"
    PLAN_PERIOD = "plan_period"
    POINT_IN_TIME = "point_in_time"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]


_KIND_LABELS = {
    PeriodKind.MONTH: "Tháng",
    PeriodKind.QUARTER: "Quý",
    PeriodKind.HALF_YEAR: "6 tháng",
    PeriodKind.NINE_MONTHS: "9 tháng",
    PeriodKind.YEAR: "Năm",
    PeriodKind.PLAN_PERIOD: "Giai đoạn 5 năm",
    PeriodKind.POINT_IN_TIME: "Thời điểm",
}
# months in one period of the kind, and how many periods of the kind a year holds
_MONTHS = {PeriodKind.MONTH: 1, PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6,
           PeriodKind.NINE_MONTHS: 9, PeriodKind.YEAR: 12, PeriodKind.PLAN_PERIOD: 60}
_NUMBERS = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2}
_ROMAN = ("I", "II", "III", "IV")
_CODE = re.compile(
    r"^(?:(?P<my>\d{4})-M(?P<m>\d{2})|(?P<qy>\d{4})-Q(?P<q>\d)|(?P<hy>\d{4})-H(?P<h>\d)"
    r"|(?P<ny>\d{4})-9M|(?P<py>\d{4})-(?P<pe>\d{4})|@?(?P<d>\d{4}-\d{2}-\d{2})|(?P<y>\d{4}))$"
)


def add_months(year: int, month: int, offset: int) -> tuple[int, int]:
    """(2026, 1) shifted by -1 -> (2025, 12)."""
    index = year * 12 + month - 1 + offset
    return index // 12, index % 12 + 1


def _bad(message: str, field: str = "period") -> InvalidArgument:
    return InvalidArgument.single(field, message)


@dataclass(frozen=True, order=True)
class Period:
    """One reporting period. `number` is the month, quarter or half (0 for other kinds);
    `as_of` is set for a point in time only."""

    kind: PeriodKind
    year: int
    number: int = 0
    as_of: date | None = None

    def __post_init__(self) -> None:
        if not 1900 <= self.year <= 9995:
            raise _bad(f"Năm {self.year} không hợp lệ", "period.year")
        top = _NUMBERS.get(self.kind, 0)
        if top and not 1 <= self.number <= top:
            raise _bad(
                f"Số thứ tự {self.number} không hợp lệ cho kỳ {self.kind.label.lower()} "
                f"(từ 1 đến {top})", "period.number",
            )
        if not top and self.number != 0:
            raise _bad(f"Kỳ {self.kind.label.lower()} không có số thứ tự", "period.number")
        if (self.kind is PeriodKind.POINT_IN_TIME) != (self.as_of is not None):
            raise _bad("Chỉ kỳ 'Thời điểm' có ngày, và bắt buộc phải có ngày", "period.as_of")
        if self.as_of is not None and self.as_of.year != self.year:
            raise _bad("Năm phải trùng với năm của ngày", "period.year")

    # ------------------------------------------------------------------ constructors

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        return cls(PeriodKind.MONTH, year, month)

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        return cls(PeriodKind.QUARTER, year, quarter)

    @classmethod
    def half_year(cls, year: int, half: int) -> Period:
        return cls(PeriodKind.HALF_YEAR, year, half)

    @classmethod
    def nine_months(cls, year: int) -> Period:
        return cls(PeriodKind.NINE_MONTHS, year)

    @classmethod
    def of_year(cls, year: int) -> Period:
        return cls(PeriodKind.YEAR, year)

    @classmethod
    def plan_period(cls, first_year: int) -> Period:
        return cls(PeriodKind.PLAN_PERIOD, first_year)

    @classmethod
    def point_in_time(cls, on: date) -> Period:
        return cls(PeriodKind.POINT_IN_TIME, on.year, 0, on)

    @classmethod
    def parse(cls, code: str, field: str = "period_code") -> Period:
        m = _CODE.match(code.strip())
        if not m:
            raise _bad(
                f"Mã kỳ '{code}' không hợp lệ (ví dụ 2026-M10, 2026-Q4, 2026-H1, 2026-9M, 2026, "
                "2026-2030, @2026-10-31)", field,
            )
        g = m.groupdict()
        try:
            if g["m"]:
                return cls.month(int(g["my"]), int(g["m"]))
            if g["q"]:
                return cls.quarter(int(g["qy"]), int(g["q"]))
            if g["h"]:
                return cls.half_year(int(g["hy"]), int(g["h"]))
            if g["ny"]:
                return cls.nine_months(int(g["ny"]))
            if g["py"]:
                if int(g["pe"]) != int(g["py"]) + 4:
                    raise _bad("Giai đoạn 5 năm phải gồm đúng 5 năm (ví dụ 2026-2030)", field)
                return cls.plan_period(int(g["py"]))
            if g["d"]:
                try:
                    on = date.fromisoformat(g["d"])
                except ValueError:
                    raise _bad(f"Ngày '{g['d']}' không tồn tại", field) from None
                return cls.point_in_time(on)
            return cls.of_year(int(g["y"]))
        except InvalidArgument as err:
            raise _bad(err.violations[0].message, field) from None

    # ------------------------------------------------------------------ facts

    @property
    def code(self) -> str:
        k = self.kind
        if k is PeriodKind.MONTH:
            return f"{self.year}-M{self.number:02d}"
        if k is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.number}"
        if k is PeriodKind.HALF_YEAR:
            return f"{self.year}-H{self.number}"
        if k is PeriodKind.NINE_MONTHS:
            return f"{self.year}-9M"
        if k is PeriodKind.PLAN_PERIOD:
            return f"{self.year}-{self.end_year}"
        if k is PeriodKind.POINT_IN_TIME:
            assert self.as_of is not None
            return f"@{self.as_of.isoformat()}"
        return str(self.year)

    @property
    def end_year(self) -> int:
        return self.year + 4 if self.kind is PeriodKind.PLAN_PERIOD else self.year

    @property
    def label(self) -> str:
        """Vietnamese: ``Tháng 10/2026``, ``Quý IV/2026``, ``6 tháng đầu năm 2026``."""
        k = self.kind
        if k is PeriodKind.MONTH:
            return f"Tháng {self.number}/{self.year}"
        if k is PeriodKind.QUARTER:
            return f"Quý {_ROMAN[self.number - 1]}/{self.year}"
        if k is PeriodKind.HALF_YEAR:
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        if k is PeriodKind.NINE_MONTHS:
            return f"9 tháng đầu năm {self.year}"
        if k is PeriodKind.PLAN_PERIOD:
            return f"Giai đoạn {self.year}–{self.end_year}"
        if k is PeriodKind.POINT_IN_TIME:
            assert self.as_of is not None
            return f"Thời điểm {self.as_of:%d/%m/%Y}"
        return f"Năm {self.year}"

    @property
    def first_month(self) -> tuple[int, int]:
        if self.as_of is not None:
            return self.as_of.year, self.as_of.month
        if self.kind in _NUMBERS:
            return self.year, (self.number - 1) * _MONTHS[self.kind] + 1
        return self.year, 1

    @property
    def last_month(self) -> tuple[int, int]:
        """(year, month) of the period's last month: calendar rules are anchored on it."""
        if self.as_of is not None:
            return self.first_month
        y, m = self.first_month
        return add_months(y, m, _MONTHS[self.kind] - 1)

    @property
    def start(self) -> date:
        if self.as_of is not None:
            return self.as_of
        return date(*self.first_month, 1)

    @property
    def end(self) -> date:
        """The inclusive last day."""
        if self.as_of is not None:
            return self.as_of
        y, m = self.last_month
        return date(y, m, _calendar.monthrange(y, m)[1])

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def shifted(self, steps: int) -> Period:
        """The period `steps` periods of the same kind later (negative: earlier). For kinds
        without a number (nine months, year, plan period) a step is a year (5 for a plan
        period); for a point in time a step is a year on the same day (29/02 -> 28/02)."""
        k = self.kind
        if k in _NUMBERS:
            size = _NUMBERS[k]
            index = self.year * size + self.number - 1 + steps
            return Period(k, index // size, index % size + 1)
        if k is PeriodKind.POINT_IN_TIME:
            assert self.as_of is not None
            y = self.as_of.year + steps
            day = min(self.as_of.day, _calendar.monthrange(y, self.as_of.month)[1])
            return Period.point_in_time(date(y, self.as_of.month, day))
        return Period(k, self.year + steps * (5 if k is PeriodKind.PLAN_PERIOD else 1))

    @property
    def previous(self) -> Period:
        return self.shifted(-1)

    def same_period_last_year(self) -> Period:
        """Cùng kỳ năm trước (for a plan period: the previous plan period)."""
        if self.kind in _NUMBERS:
            return Period(self.kind, self.year - 1, self.number)
        return self.shifted(-1)

    # ------------------------------------------------------------------ roll-ups

    @property
    def months(self) -> list[tuple[int, int]]:
        """(year, month) pairs a roll-up reads for the period, in order. A point in time reads
        its year up to and including its month (flows as year to date, stocks as the last
        value)."""
        if self.as_of is not None:
            return [(self.year, m) for m in range(1, self.as_of.month + 1)]
        y, m = self.first_month
        return [add_months(y, m, i) for i in range(_MONTHS[self.kind])]

    def parts(self) -> list[list[Period]]:
        """Ways to build the period from shorter ones, finest first (months, then quarters,
        then halves); a plan period is built from its years."""
        if self.kind is PeriodKind.MONTH:
            return []
        if self.kind is PeriodKind.PLAN_PERIOD:
            return [[Period.of_year(y) for y in range(self.year, self.end_year + 1)]]
        months = self.months
        ways = [[Period.month(y, m) for y, m in months]]
        if len(months) % 3 == 0 and months[0][1] % 3 == 1 and self.kind is not PeriodKind.QUARTER:
            ways.append([Period.quarter(self.year, (m + 2) // 3) for _, m in months[2::3]])
        if len(months) % 6 == 0 and self.kind is not PeriodKind.HALF_YEAR:
            ways.append([Period.half_year(self.year, m // 6) for _, m in months[5::6]])
        return ways

    def year_to_date(self) -> Period | None:
        """From January to the end of this period (lũy kế); None when that is the period
        itself or not meaningful (plan period, point in time)."""
        if self.kind in (PeriodKind.PLAN_PERIOD, PeriodKind.POINT_IN_TIME):
            return None
        first, last = self.months[0][1], self.months[-1][1]
        if first == 1:
            return None
        if last == 12:
            return Period.of_year(self.year)
        if last == 9:
            return Period.nine_months(self.year)
        if last == 6:
            return Period.half_year(self.year, 1)
        return Period.point_in_time(date(self.year, last, _calendar.monthrange(self.year, last)[1]))

    def __str__(self) -> str:
        return self.code
